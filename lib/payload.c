/* payload.c: MQTT payloads to record fields and back — JSON objects, single values, battery commands. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bess_battery.h"
#include "bess_grow.h"
#include "bess_payload.h"
#include "bess_qty.h"

static void why_set(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
why_set(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

int
bess_payload_spec_parse(const char *s, struct bess_payload_spec *sp, char *why, size_t whylen)
{
	static const struct {
		const char *name;
		enum bess_payload_mode mode;
		const char *field;	/* default field, NULL if the mode takes none */
	} modes[] = {
		{ "auto", BESS_PL_AUTO, NULL },
		{ "json", BESS_PL_JSON, NULL },
		{ "value", BESS_PL_VALUE, "value" },
		{ "command", BESS_PL_COMMAND, "battery_kw" },
	};
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s), i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strlen(modes[i].name) != n || strncmp(s, modes[i].name, n) != 0)
			continue;
		if (colon && (modes[i].field == NULL || colon[1] == '\0')) {
			why_set(why, whylen, modes[i].field ? "'%s': a field name must follow ':'" :
			    "'%s': only value:FIELD and command:FIELD take a field", s);
			return -1;
		}
		sp->mode = modes[i].mode;
		sp->field = colon ? colon + 1 : modes[i].field;
		return 0;
	}
	why_set(why, whylen, "'%s' is not auto, json, value[:FIELD] or command[:FIELD]", s);
	return -1;
}

void
bess_fields_init(struct bess_fields *f)
{
	memset(f, 0, sizeof(*f));
}

void
bess_fields_clear(struct bess_fields *f)
{
	f->n = 0;
	f->used = 0;
}

void
bess_fields_free(struct bess_fields *f)
{
	free(f->name_off);
	free(f->val_off);
	free(f->val_len);
	free(f->kind);
	free(f->arena);
	bess_fields_init(f);
}

/* Copy len bytes and a NUL into the arena; the offset, or (size_t)-1 when out of memory. */
static size_t
arena_put(struct bess_fields *f, const char *s, size_t len)
{
	size_t off = f->used;
	char *q;

	if ((q = bess_grow(f->arena, &f->acap, f->used + len + 1, 1024, 1)) == NULL)
		return (size_t)-1;
	f->arena = q;
	if (len)
		memcpy(f->arena + off, s, len);
	f->arena[off + len] = '\0';
	f->used += len + 1;
	return off;
}

static int
find_n(const struct bess_fields *f, const char *name, size_t namelen)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		const char *nm = f->arena + f->name_off[i];

		if (strncmp(nm, name, namelen) == 0 && nm[namelen] == '\0')
			return (int)i;
	}
	return -1;
}

int
bess_fields_find(const struct bess_fields *f, const char *name)
{
	return find_n(f, name, strlen(name));
}

const char *
bess_fields_name(const struct bess_fields *f, size_t i)
{
	return f->arena + f->name_off[i];
}

const char *
bess_fields_value(const struct bess_fields *f, size_t i)
{
	return f->arena + f->val_off[i];
}

int
bess_fields_set(struct bess_fields *f, const char *name, size_t namelen,
    const char *val, size_t len, enum bess_kind kind)
{
	int k = find_n(f, name, namelen);
	size_t off;

	if (k < 0) {
		if (f->n == f->cap) {
			size_t cap = bess_grow_cap(f->cap, f->n + 1, 16, sizeof(size_t));
			size_t *a = cap ? realloc(f->name_off, cap * sizeof(*a)) : NULL;
			size_t *b = a ? realloc(f->val_off, cap * sizeof(*b)) : NULL;
			size_t *c = b ? realloc(f->val_len, cap * sizeof(*c)) : NULL;
			unsigned char *d = c ? realloc(f->kind, cap) : NULL;

			if (a)
				f->name_off = a;
			if (b)
				f->val_off = b;
			if (c)
				f->val_len = c;
			if (d == NULL)
				return -1;
			f->kind = d;
			f->cap = cap;
		}
		if ((off = arena_put(f, name, namelen)) == (size_t)-1)
			return -1;
		k = (int)f->n++;
		f->name_off[k] = off;
	}
	if ((off = arena_put(f, val, len)) == (size_t)-1)
		return -1;
	f->val_off[k] = off;
	f->val_len[k] = len;
	f->kind[k] = (unsigned char)kind;
	return 0;
}

/* Set a field from a decoded JSON value (texts formatted as the NDJSON reader does). */
static int
set_json(struct bess_fields *f, const char *name, size_t namelen, json_t *v)
{
	char num[32];
	char *dump;
	int n, rc;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return bess_fields_set(f, name, namelen, json_string_value(v),
		    json_string_length(v), BESS_K_STR);
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return bess_fields_set(f, name, namelen, num, (size_t)n, BESS_K_NUM);
	case JSON_REAL:
		n = bess_fmt_num(json_real_value(v), num);
		return bess_fields_set(f, name, namelen, num, (size_t)n, BESS_K_NUM);
	case JSON_TRUE:
		return bess_fields_set(f, name, namelen, "true", 4, BESS_K_BOOL);
	case JSON_FALSE:
		return bess_fields_set(f, name, namelen, "false", 5, BESS_K_BOOL);
	case JSON_NULL:
		return bess_fields_set(f, name, namelen, "", 0, BESS_K_NULL);
	default:
		if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
			return -1;
		rc = bess_fields_set(f, name, namelen, dump, strlen(dump), BESS_K_JSON);
		free(dump);
		return rc;
	}
}

static void
trim(const char **p, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)(*p)[0]))
		(*p)++, (*len)--;
	while (*len > 0 && isspace((unsigned char)(*p)[*len - 1]))
		(*len)--;
}

static int
decode_json(const char *p, size_t len, struct bess_fields *f, char *why, size_t whylen)
{
	json_error_t je;
	json_t *obj, *v;
	const char *key;

	obj = json_loadb(p, len, JSON_REJECT_DUPLICATES, &je);
	if (obj == NULL || !json_is_object(obj)) {
		if (obj == NULL)
			why_set(why, whylen, "payload is not a JSON object: %s", je.text);
		else
			why_set(why, whylen, "payload is not a JSON object");
		json_decref(obj);
		return -1;
	}
	json_object_foreach(obj, key, v) {
		if (strlen(key) == 0 || set_json(f, key, strlen(key), v) != 0) {
			why_set(why, whylen, strlen(key) ? "out of memory" :
			    "payload has an empty key");
			json_decref(obj);
			return -1;
		}
	}
	json_decref(obj);
	return 0;
}

static int
decode_value(const char *name, const char *p, size_t len, struct bess_fields *f,
    char *why, size_t whylen)
{
	const char *t = p;
	size_t tn = len;
	json_t *v, *s;
	int rc;

	trim(&t, &tn);
	if (tn == 0)
		rc = bess_fields_set(f, name, strlen(name), "", 0, BESS_K_NULL);
	else if (bess_is_json_number(t, tn))
		rc = bess_fields_set(f, name, strlen(name), t, tn, BESS_K_NUM);
	else if ((v = json_loadb(t, tn, JSON_DECODE_ANY, NULL)) != NULL) {
		rc = set_json(f, name, strlen(name), v);
		json_decref(v);
	} else {
		/* plain text: it must be UTF-8 without NUL bytes to become a field */
		if (memchr(p, '\0', len) != NULL || (s = json_stringn(p, len)) == NULL) {
			why_set(why, whylen, "payload is not UTF-8 text");
			return -1;
		}
		json_decref(s);
		rc = bess_fields_set(f, name, strlen(name), p, len, BESS_K_STR);
	}
	if (rc != 0)
		why_set(why, whylen, "out of memory");
	return rc;
}

static int
decode_command(const char *name, const char *p, size_t len, struct bess_fields *f,
    char *why, size_t whylen)
{
	double kw;
	char num[32];
	int n;

	if (bess_command_parse(p, len, &kw, why, whylen) != 0)
		return -1;
	n = bess_fmt_num(kw, num);
	if (bess_fields_set(f, name, strlen(name), num, (size_t)n, BESS_K_NUM) != 0) {
		why_set(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

int
bess_payload_decode(const struct bess_payload_spec *sp, const char *p, size_t len,
    struct bess_fields *f, char *why, size_t whylen)
{
	const char *t = p;
	size_t tn = len;
	double kw;

	switch (sp->mode) {
	case BESS_PL_JSON:
		return decode_json(p, len, f, why, whylen);
	case BESS_PL_VALUE:
		return decode_value(sp->field ? sp->field : "value", p, len, f, why, whylen);
	case BESS_PL_COMMAND:
		return decode_command(sp->field ? sp->field : "battery_kw", p, len, f, why, whylen);
	default:
		trim(&t, &tn);
		if (tn > 0 && t[0] == '{')
			return decode_json(p, len, f, why, whylen);
		if (bess_command_parse(p, len, &kw, NULL, 0) == 0)
			return decode_command("battery_kw", p, len, f, why, whylen);
		return decode_value("value", p, len, f, why, whylen);
	}
}

int
bess_command_parse(const char *s, size_t len, double *kw, char *why, size_t whylen)
{
	static const struct {
		const char *word;
		double sign;	/* +1 charge, -1 discharge, 0 idle (takes no power) */
	} words[] = { { "CHARGE", 1 }, { "DISCHARGE", -1 }, { "IDLE", 0 } };
	char buf[64], qwhy[160];
	struct bess_qty q;
	size_t i, wl;

	trim(&s, &len);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		wl = strlen(words[i].word);
		if (len >= wl && strncasecmp(s, words[i].word, wl) == 0 &&
		    (len == wl || isspace((unsigned char)s[wl])))
			break;
	}
	if (i == sizeof(words) / sizeof(words[0])) {
		why_set(why, whylen, "'%.*s' is not a command (CHARGE P, DISCHARGE P or IDLE)",
		    (int)(len < 40 ? len : 40), s);
		return -1;
	}
	s += wl;
	len -= wl;
	trim(&s, &len);
	if (words[i].sign == 0) {
		if (len > 0) {
			why_set(why, whylen, "IDLE takes no power");
			return -1;
		}
		*kw = 0;
		return 0;
	}
	if (len == 0 || len >= sizeof(buf)) {
		why_set(why, whylen, "%s needs a power, e.g. %s 100kW", words[i].word, words[i].word);
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (bess_qty_parse(buf, BESS_DIM_POWER | BESS_DIM_NONE, &q, qwhy, sizeof(qwhy)) != 0) {
		why_set(why, whylen, "%s: %s", words[i].word, qwhy);
		return -1;
	}
	if (!(q.value >= 0) || !isfinite(q.value)) {
		why_set(why, whylen, "%s: the power must not be negative", words[i].word);
		return -1;
	}
	*kw = words[i].sign * q.value;
	if (*kw == 0)
		*kw = 0;	/* no "-0" from DISCHARGE 0 */
	return 0;
}

int
bess_command_format(double kw, char *buf)
{
	char num[32];

	if (!isfinite(kw))
		return -1;
	bess_fmt_fixed(fabs(kw), 3, num);
	if (strcmp(num, "0") == 0)
		return snprintf(buf, 48, "IDLE");
	return snprintf(buf, 48, "%s %skW", kw > 0 ? "CHARGE" : "DISCHARGE", num);
}

void
bess_view_init(struct bess_view *v)
{
	memset(v, 0, sizeof(*v));
	bess_schema_init(&v->s[0]);
	bess_schema_init(&v->s[1]);
}

void
bess_view_free(struct bess_view *v)
{
	free(v->s[0].name);
	free(v->s[1].name);
	free(v->sig);
	bess_view_init(v);
}

const struct bess_schema *
bess_view_set(struct bess_view *v, char *const *names, size_t n)
{
	struct bess_schema *s;
	size_t i, len = 0, off = 0;
	int same;

	for (i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	same = len == v->siglen && v->s[v->cur].n == n;
	for (i = 0; same && i < n; i++) {
		size_t k = strlen(names[i]) + 1;

		same = memcmp(v->sig + off, names[i], k) == 0;
		off += k;
	}
	if (!same) {
		/* other names: the other schema, so the writer makes new keys */
		if (len > v->sigcap) {
			char *q = realloc(v->sig, len);

			if (q == NULL)
				return NULL;
			v->sig = q;
			v->sigcap = len;
		}
		for (i = 0, off = 0; i < n; i++) {
			size_t k = strlen(names[i]) + 1;

			memcpy(v->sig + off, names[i], k);
			off += k;
		}
		v->siglen = len;
		v->cur = !v->cur;
	}
	s = &v->s[v->cur];
	if (n > s->cap) {
		char **q = realloc(s->name, n * sizeof(*q));

		if (q == NULL)
			return NULL;
		s->name = q;
		s->cap = n;
	}
	for (i = 0; i < n; i++)
		s->name[i] = names[i];
	s->n = n;
	return s;
}

struct bess_payload_enc {
	struct bess_payload_spec sp;	/* mode and field */
	char *field;			/* sp.field, owned */
	char **sel;			/* JSON: the fields to write, NULL = all */
	size_t nsel;
	struct bess_view view;		/* JSON: the columns written */
	struct bess_rec vrec;		/* JSON with sel: the record written */
	FILE *ms;			/* JSON: a memory stream the record writer fills */
	char *msbuf;			/* its buffer */
	size_t mslen;			/* its size */
	struct bess_writer *w;		/* NDJSON writer on ms */
	char cmd[48];			/* COMMAND: the last command */
};

struct bess_payload_enc *
bess_payload_enc_new(const struct bess_payload_spec *sp, const char *const *fields, size_t n)
{
	struct bess_payload_enc *e = calloc(1, sizeof(*e));
	struct bess_writer_opts wo;
	size_t i;

	if (e == NULL)
		return NULL;
	e->sp = *sp;
	if (sp->field && (e->field = strdup(sp->field)) == NULL)
		goto fail;
	e->sp.field = e->field;
	bess_view_init(&e->view);
	bess_rec_init(&e->vrec);
	if (sp->mode == BESS_PL_JSON || sp->mode == BESS_PL_AUTO) {
		e->sp.mode = BESS_PL_JSON;
		if (fields != NULL) {
			if ((e->sel = calloc(n + 1, sizeof(*e->sel))) == NULL)
				goto fail;
			for (i = 0; i < n; i++)
				if ((e->sel[e->nsel++] = strdup(fields[i])) == NULL)
					goto fail;
			if (bess_rec_resize(&e->vrec, n) != 0)
				goto fail;
		}
		if ((e->ms = open_memstream(&e->msbuf, &e->mslen)) == NULL)
			goto fail;
		memset(&wo, 0, sizeof(wo));
		wo.fmt = BESS_FMT_NDJSON;
		if ((e->w = bess_writer_new(e->ms, &wo)) == NULL)
			goto fail;
	}
	return e;
fail:
	bess_payload_enc_free(e);
	return NULL;
}

void
bess_payload_enc_free(struct bess_payload_enc *e)
{
	size_t i;

	if (e == NULL)
		return;
	bess_writer_free(e->w);
	if (e->ms)
		fclose(e->ms);
	free(e->msbuf);
	for (i = 0; i < e->nsel; i++)
		free(e->sel[i]);
	free(e->sel);
	bess_rec_free(&e->vrec);
	bess_view_free(&e->view);
	free(e->field);
	free(e);
}

/* Is field k of rec present (not missing)? */
static int
present(const struct bess_rec *rec, int k)
{
	return k >= 0 && (size_t)k < rec->n && rec->len[k] > 0 && rec->kind[k] != BESS_K_NULL;
}

static const char *
enc_json(struct bess_payload_enc *e, const struct bess_schema *s, const struct bess_rec *rec,
    size_t *len, char *why, size_t whylen)
{
	const struct bess_schema *ws;
	const struct bess_rec *wr = rec;
	struct bess_err err;
	long end;
	size_t i;

	if (e->sel) {
		for (i = 0; i < e->nsel; i++) {
			int k = bess_schema_find(s, e->sel[i]);

			if (present(rec, k)) {
				e->vrec.v[i] = rec->v[k];
				e->vrec.len[i] = rec->len[k];
				e->vrec.kind[i] = rec->kind[k];
			} else {
				e->vrec.v[i] = "";
				e->vrec.len[i] = 0;
				e->vrec.kind[i] = BESS_K_NULL;
			}
		}
		ws = bess_view_set(&e->view, e->sel, e->nsel);
		wr = &e->vrec;
	} else
		ws = bess_view_set(&e->view, s->name, s->n);	/* the caller's may change in place */
	if (ws == NULL || fseek(e->ms, 0, SEEK_SET) != 0 ||
	    bess_writer_write(e->w, ws, wr, &err) != 0 || bess_writer_flush(e->w) != 0 ||
	    (end = ftell(e->ms)) < 1) {
		why_set(why, whylen, "out of memory");
		return NULL;
	}
	*len = (size_t)end - 1;	/* without the newline */
	return e->msbuf;
}

const char *
bess_payload_enc_record(struct bess_payload_enc *e, const struct bess_schema *s,
    const struct bess_rec *rec, size_t *len, char *why, size_t whylen)
{
	double kw, c, d;
	int k, n, rc, rd;

	switch (e->sp.mode) {
	case BESS_PL_VALUE:
		k = bess_schema_find(s, e->sp.field);
		if (!present(rec, k)) {
			why_set(why, whylen, "field '%s' is %s", e->sp.field,
			    k < 0 ? "not a column" : "missing");
			return NULL;
		}
		*len = rec->len[k];
		return rec->v[k];
	case BESS_PL_COMMAND:
		k = bess_schema_find(s, e->sp.field);
		if (k >= 0 || strcmp(e->sp.field, "battery_kw") != 0) {
			rc = bess_rec_num(rec, k, &kw);
			if (rc != 0) {
				why_set(why, whylen, "field '%s' is %s", e->sp.field,
				    k < 0 ? "not a column" : rc > 0 ? "missing" : "not a number");
				return NULL;
			}
		} else {
			/* no battery_kw: battery power is charge_kw - discharge_kw (see bess(7)) */
			rc = bess_rec_num(rec, bess_schema_find(s, "charge_kw"), &c);
			rd = bess_rec_num(rec, bess_schema_find(s, "discharge_kw"), &d);
			if (rc < 0 || rd < 0 || (rc > 0 && rd > 0)) {
				why_set(why, whylen, "no battery power: field 'battery_kw' (or "
				    "'charge_kw' and 'discharge_kw') is %s",
				    rc < 0 || rd < 0 ? "not a number" : "missing");
				return NULL;
			}
			kw = bess_battery_kw(rc ? 0 : c, rd ? 0 : d);
		}
		if ((n = bess_command_format(kw, e->cmd)) < 0) {
			why_set(why, whylen, "battery power is not finite");
			return NULL;
		}
		*len = (size_t)n;
		return e->cmd;
	default:
		return enc_json(e, s, rec, len, why, whylen);
	}
}
