/* mqttrec.c: MQTT messages as records (topic levels, payload fields, receive time) and records as messages (topic template, payload). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_mqttrec.h"
#include "bess_time.h"

/* ---- messages in, records out ---- */

struct bess_mqttsub {
	struct bess_mqttsub_opts o;	/* options */
	struct bess_fields f;		/* the message being turned into a record */
	struct bess_writer *w;		/* on o.out */
	struct bess_view view;		/* the columns written */
	struct bess_rec rec;		/* the record written */
	char **names;			/* the message's field names, for the view */
	size_t names_cap;		/* slots in names */
	char **cols;			/* fixed columns: --fields (borrowed), or a CSV's first message (owned) */
	size_t ncols;
	int cols_owned;			/* cols is ours to free */
	char **warned;			/* fields warned about (dropped from CSV, overridden), once each */
	size_t nwarned;
	const char *topic;		/* the message's topic, for messages */
	unsigned long long n;		/* records written */
	int oom;			/* an allocation failed in a callback */
	int closed;			/* out was closed by the reader (EPIPE) */
};

struct bess_mqttsub *
bess_mqttsub_new(const struct bess_mqttsub_opts *o)
{
	struct bess_mqttsub *s = calloc(1, sizeof(*s));
	struct bess_writer_opts wo;

	if (s == NULL)
		return NULL;
	s->o = *o;
	bess_fields_init(&s->f);
	bess_view_init(&s->view);
	bess_rec_init(&s->rec);
	if (o->fields) {
		s->cols = (char **)o->fields;	/* borrowed */
		s->ncols = o->nfields;
	}
	memset(&wo, 0, sizeof(wo));
	wo.fmt = o->fmt;
	if ((s->w = bess_writer_new(o->out, &wo)) == NULL) {
		bess_mqttsub_free(s);
		return NULL;
	}
	return s;
}

void
bess_mqttsub_free(struct bess_mqttsub *s)
{
	size_t i;

	if (s == NULL)
		return;
	bess_writer_free(s->w);
	if (s->cols_owned) {
		for (i = 0; i < s->ncols; i++)
			free(s->cols[i]);
		free(s->cols);
	}
	for (i = 0; i < s->nwarned; i++)
		free(s->warned[i]);
	free(s->warned);
	bess_view_free(&s->view);
	free(s->names);
	bess_rec_free(&s->rec);
	bess_fields_free(&s->f);
	free(s);
}

unsigned long long
bess_mqttsub_count(const struct bess_mqttsub *s)
{
	return s->n;
}

int
bess_mqttsub_closed(const struct bess_mqttsub *s)
{
	return s->closed;
}

static void
warnf(struct bess_mqttsub *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warnf(struct bess_mqttsub *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (s->o.warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->o.warn(s->o.ctx, msg);
}

static void
fail(struct bess_mqttsub *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail(struct bess_mqttsub *s, const char *fmt, ...)
{
	struct bess_err err;
	va_list ap;

	bess_err_clear(&err);
	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	if (s->o.error)
		s->o.error(s->o.ctx, &err);
}

static void
add_level(void *ctx, const char *name, const char *val, size_t len)
{
	struct bess_mqttsub *s = ctx;

	if (bess_fields_set(&s->f, name, strlen(name), val, len, BESS_K_STR) != 0)
		s->oom = 1;
}

/* Has name been warned about (else remember it)? */
static int
warned_once(struct bess_mqttsub *s, const char *name)
{
	size_t i;
	char **q;

	for (i = 0; i < s->nwarned; i++)
		if (strcmp(s->warned[i], name) == 0)
			return 1;
	if ((q = realloc(s->warned, (s->nwarned + 1) * sizeof(*q))) == NULL)
		return 1;
	s->warned = q;
	if ((q[s->nwarned] = strdup(name)) == NULL)
		return 1;
	s->nwarned++;
	return 0;
}

/*
 * A field taken from the topic (a named level, or "topic" itself) set
 * again after the payload: the broker authorises by topic, so a payload's
 * "site":"s2" on bess/s1/... must not speak for another site.
 */
static void
topic_wins(void *ctx, const char *name, const char *val, size_t len)
{
	struct bess_mqttsub *s = ctx;
	int k = bess_fields_find(&s->f, name);
	char key[80];

	if (k >= 0 && s->f.val_len[k] == len && memcmp(bess_fields_value(&s->f, (size_t)k), val, len) == 0)
		return;
	snprintf(key, sizeof(key), "\x01%s", name);	/* apart from warn_dropped's names */
	if (k >= 0 && s->o.warn && !warned_once(s, key))
		warnf(s, "topic '%s': field '%s' of the payload differs from the topic's; the topic's "
		    "is kept (warned once per field)", s->topic, name);
	add_level(ctx, name, val, len);
}

/* Is name one of the fixed columns? */
static int
is_col(const struct bess_mqttsub *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i], name) == 0)
			return 1;
	return 0;
}

static void
warn_dropped(struct bess_mqttsub *s, const char *name)
{
	if (warned_once(s, name))
		return;
	warnf(s, "field '%s' is not a CSV column (the first message's fields are; "
	    "name them all with --fields); dropped", name);
}

/* Write the fields of s->f as one record. 0, or -1 after reporting why. */
static int
write_record(struct bess_mqttsub *s)
{
	const struct bess_schema *vs;
	struct bess_err err;
	size_t i;

	if (s->cols == NULL && s->o.fmt == BESS_FMT_CSV) {
		/* a CSV header is written once: the first message's fields make it */
		if ((s->cols = calloc(s->f.n + 1, sizeof(*s->cols))) == NULL)
			goto oom;
		s->cols_owned = 1;
		for (i = 0; i < s->f.n; i++)
			if ((s->cols[s->ncols++] = strdup(bess_fields_name(&s->f, i))) == NULL)
				goto oom;
	}
	if (s->cols) {
		if (bess_rec_resize(&s->rec, s->ncols) != 0)
			goto oom;
		for (i = 0; i < s->ncols; i++) {
			int k = bess_fields_find(&s->f, s->cols[i]);

			s->rec.v[i] = k < 0 ? "" : bess_fields_value(&s->f, (size_t)k);
			s->rec.len[i] = k < 0 ? 0 : s->f.val_len[k];
			s->rec.kind[i] = k < 0 ? BESS_K_NULL : s->f.kind[k];
		}
		if (s->o.fields == NULL)
			for (i = 0; i < s->f.n; i++)
				if (!is_col(s, bess_fields_name(&s->f, i)))
					warn_dropped(s, bess_fields_name(&s->f, i));
		vs = bess_view_set(&s->view, s->cols, s->ncols);
	} else {
		if (s->f.n > s->names_cap) {
			char **q = realloc(s->names, s->f.n * sizeof(*q));

			if (q == NULL)
				goto oom;
			s->names = q;
			s->names_cap = s->f.n;
		}
		if (bess_rec_resize(&s->rec, s->f.n) != 0)
			goto oom;
		for (i = 0; i < s->f.n; i++) {
			s->names[i] = (char *)bess_fields_name(&s->f, i);
			s->rec.v[i] = bess_fields_value(&s->f, i);
			s->rec.len[i] = s->f.val_len[i];
			s->rec.kind[i] = s->f.kind[i];
		}
		vs = bess_view_set(&s->view, s->names, s->f.n);
	}
	if (vs == NULL)
		goto oom;
	if (bess_writer_write(s->w, vs, &s->rec, &err) != 0) {
		if (s->o.error)
			s->o.error(s->o.ctx, &err);
		return -1;
	}
	return 0;
oom:
	fail(s, "out of memory");
	return -1;
}

int
bess_mqttsub_message(void *ctx, const char *topic, const void *payload, size_t len, int retain)
{
	struct bess_mqttsub *s = ctx;
	char ts[BESS_TIME_BUFSZ], why[256];
	struct timespec now;
	bess_time_t t;
	size_t i;
	int k;

	if (retain && s->o.no_retained)
		return 0;
	clock_gettime(CLOCK_REALTIME, &now);
	t = (bess_time_t)now.tv_sec * BESS_US_PER_S + now.tv_nsec / 1000000 * 1000;
	bess_fields_clear(&s->f);
	bess_time_format(t, ts);
	if (bess_fields_set(&s->f, "ts", 2, ts, strlen(ts), BESS_K_STR) != 0 ||
	    bess_fields_set(&s->f, "topic", 5, topic, strlen(topic), BESS_K_STR) != 0)
		s->oom = 1;
	for (i = 0; i < s->o.npat; i++)
		if (bess_topic_pat_match(&s->o.pat[i], topic, add_level, s))
			break;
	if (!s->oom && bess_payload_decode(s->o.spec, payload, len, &s->f, why, sizeof(why)) != 0) {
		warnf(s, "topic '%s': %s; skipped", topic, why);
		return 0;
	}
	/* what the topic says wins over what the payload claims */
	s->topic = topic;
	topic_wins(s, "topic", topic, strlen(topic));
	for (i = 0; i < s->o.npat; i++)
		if (bess_topic_pat_match(&s->o.pat[i], topic, topic_wins, s))
			break;
	/* a payload's own time must be a time ("ts":"garbage" was passed on) */
	if ((k = bess_fields_find(&s->f, "ts")) >= 0) {
		const char *v = bess_fields_value(&s->f, (size_t)k);

		if (bess_time_parse(v, s->f.val_len[k], NULL, &t, why, sizeof(why)) != BESS_TP_OK) {
			warnf(s, "topic '%s': field 'ts': %s; skipped", topic, why);
			return 0;
		}
		/* an offset becomes UTC with Z, as every bess record has it; a Z time stays as sent */
		if (s->f.val_len[k] == 0 || v[s->f.val_len[k] - 1] != 'Z') {
			bess_time_format(t, ts);
			if (bess_fields_set(&s->f, "ts", 2, ts, strlen(ts), BESS_K_STR) != 0)
				s->oom = 1;
		}
	}
	if (s->oom) {
		fail(s, "out of memory");
		return -1;
	}
	if (write_record(s) != 0)
		return -1;
	if (bess_writer_flush(s->w) != 0) {
		if (errno == EPIPE) {
			s->closed = 1;
			return 2;	/* not taken: a persistent session gets it again */
		}
		fail(s, "%s: %s", s->o.out_name, strerror(errno));
		return -1;
	}
	s->n++;
	return s->o.count && s->n >= s->o.count ? 1 : 0;
}

int
bess_mqttsub_finish(struct bess_mqttsub *s, struct bess_err *err)
{
	if (s->closed)
		return 0;
	/* a CSV with no records still gets its header */
	if (bess_writer_finish(s->w, s->cols ? bess_view_set(&s->view, s->cols, s->ncols) : NULL,
	    err) != 0 && errno != EPIPE)
		return bess_err_set(err, NULL, 0, "%s: %s", s->o.out_name, strerror(errno));
	return 0;
}

/* ---- records in, messages out ---- */

struct bess_mqttpub {
	char *const *inputs;		/* input files ("-" = stdin) */
	int ninputs, next;		/* how many, the next to open */
	FILE *fp;			/* the open input */
	const char *name;		/* its name for messages */
	struct bess_reader *r;		/* its reader */
	struct bess_reader_opts ro;	/* reader options */
	struct bess_topic_tmpl *tmpl;	/* -t (expanding uses its buffer) */
	struct bess_payload_enc *enc;	/* --payload */
	volatile sig_atomic_t *stop;	/* set by a signal: end */
	struct bess_rec rec;		/* filled by the reader, which owns its arrays */
	unsigned long long n;		/* messages handed over */
};

struct bess_mqttpub *
bess_mqttpub_new(char *const *inputs, int ninputs, const struct bess_reader_opts *ro,
    struct bess_topic_tmpl *tmpl, struct bess_payload_enc *enc, volatile sig_atomic_t *stop)
{
	struct bess_mqttpub *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->inputs = inputs;
	p->ninputs = ninputs;
	p->ro = *ro;
	p->tmpl = tmpl;
	p->enc = enc;
	p->stop = stop;
	bess_rec_init(&p->rec);
	return p;
}

static void
pub_close(struct bess_mqttpub *p)
{
	bess_reader_close(p->r);
	p->r = NULL;
	if (p->fp != NULL && p->fp != stdin)
		fclose(p->fp);
	p->fp = NULL;
}

void
bess_mqttpub_free(struct bess_mqttpub *p)
{
	if (p == NULL)
		return;
	pub_close(p);
	free(p);
}

unsigned long long
bess_mqttpub_count(const struct bess_mqttpub *p)
{
	return p->n;
}

static int
stopped(const struct bess_mqttpub *p)
{
	return p->stop != NULL && *p->stop;
}

int
bess_mqttpub_next(void *ctx, struct bess_mqtt_msg *msg, struct bess_err *err)
{
	struct bess_mqttpub *p = ctx;
	struct bess_err e;
	char why[256];
	int rc;

	for (;;) {
		if (stopped(p))
			return 0;
		if (p->r == NULL) {
			const char *path;

			if (p->next >= p->ninputs)
				return 0;
			path = p->inputs[p->next++];
			if (strcmp(path, "-") == 0) {
				p->fp = stdin;
				p->name = "<stdin>";
			} else if ((p->fp = fopen(path, "r")) == NULL) {
				return bess_err_set(err, path, 0, "%s", strerror(errno));
			} else
				p->name = path;
			if ((p->r = bess_reader_open(p->fp, p->name, &p->ro, err)) == NULL)
				return stopped(p) ? 0 : -1;
		}
		rc = bess_reader_next(p->r, &p->rec, err);
		if (rc == 1) {
			const struct bess_schema *sc = bess_reader_schema(p->r);

			if ((msg->topic = bess_topic_tmpl_expand(p->tmpl, sc, &p->rec, &e)) == NULL)
				return bess_err_set(err, p->name, p->rec.line, "%s", e.msg);
			if ((msg->payload = bess_payload_enc_record(p->enc, sc, &p->rec, &msg->len,
			    why, sizeof(why))) == NULL)
				return bess_err_set(err, p->name, p->rec.line, "%s", why);
			p->n++;
			return 1;
		}
		if (rc < 0)
			return stopped(p) ? 0 : -1;	/* a read cut short by a signal is the end */
		pub_close(p);
	}
}

int
bess_mqtt_password(const char *path, char **pw, struct bess_err *err)
{
	const char *env = getenv("BESS_MQTT_PASSWORD");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;

	*pw = NULL;
	if (path == NULL) {
		if (env && (*pw = strdup(env)) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		return 0;
	}
	if ((fp = fopen(path, "r")) == NULL)
		return bess_err_set(err, path, 0, "%s", strerror(errno));
	errno = 0;
	n = getline(&line, &cap, fp);
	fclose(fp);
	if (n < 0) {
		free(line);
		if (errno != 0)	/* a folder: EISDIR */
			return bess_err_set(err, path, 0, "%s", strerror(errno));
		return bess_err_set(err, path, 0, "the password file is empty");
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*pw = line;
	return 0;
}
