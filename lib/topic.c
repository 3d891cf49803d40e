/* topic.c: MQTT topic filters with named wildcard levels, and topic templates filled from record fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_topic.h"

#define SHARE_PREFIX	"$share/"
#define TOPIC_MAX	65535	/* bytes in a topic: MQTT's two-byte length */

void
bess_topic_pat_free(struct bess_topic_pat *p)
{
	size_t i;

	for (i = 0; i < p->nlev; i++) {
		free(p->lev[i]);
		free(p->name[i]);
	}
	free(p->lev);
	free(p->name);
	free(p->filter);
	free(p->match);
	memset(p, 0, sizeof(*p));
}

/* Split the part after any $share prefix into levels, checking the wildcards. */
static int
pat_levels(struct bess_topic_pat *p, const char *orig, const char *s, struct bess_err *err)
{
	const char *a = s, *e;
	size_t n = 1, i, j;
	char *f, *m;

	for (e = s; *e; e++)
		n += *e == '/';
	p->lev = calloc(n, sizeof(*p->lev));
	p->name = calloc(n, sizeof(*p->name));
	f = m = NULL;
	if (p->lev == NULL || p->name == NULL)
		goto oom;
	p->nlev = n;
	for (i = 0; i < n; i++) {
		size_t len;

		e = strchr(a, '/');
		len = e ? (size_t)(e - a) : strlen(a);
		if (len > 0 && (a[0] == '+' || a[0] == '#')) {
			if (memchr(a + 1, '+', len - 1) || memchr(a + 1, '#', len - 1)) {
				bess_err_set(err, NULL, 0, "'%s': a field name after '%s' cannot hold '+' or '#'",
				    orig, a[0] == '+' ? "+" : "#");
				return -1;
			}
			if (a[0] == '#' && i + 1 < n) {
				bess_err_set(err, NULL, 0, "'%s': '#' must be the last level", orig);
				return -1;
			}
			if ((p->lev[i] = strdup(a[0] == '+' ? "+" : "#")) == NULL)
				goto oom;
			if (len > 1) {
				if ((p->name[i] = strndup(a + 1, len - 1)) == NULL)
					goto oom;
				for (j = 0; j < i; j++)
					if (p->name[j] && strcmp(p->name[j], p->name[i]) == 0) {
						bess_err_set(err, NULL, 0, "'%s': field '%s' is named twice",
						    orig, p->name[i]);
						return -1;
					}
				p->nnamed++;
			}
		} else {
			if (memchr(a, '+', len) || memchr(a, '#', len)) {
				bess_err_set(err, NULL, 0, "'%s': '+' and '#' must start a level "
				    "(use +name to name one)", orig);
				return -1;
			}
			if ((p->lev[i] = strndup(a, len)) == NULL)
				goto oom;
		}
		a = e ? e + 1 : a + len;
	}
	/* the filters without names: the whole one for the broker, the rest for matching */
	{
		size_t pre = (size_t)(s - orig), cap = pre + 1;

		for (i = 0; i < n; i++)
			cap += strlen(p->lev[i]) + 1;
		if ((f = malloc(cap)) == NULL)
			goto oom;
		memcpy(f, orig, pre);
		m = f + pre;
		*m = '\0';
		for (i = 0; i < n; i++) {
			if (i)
				strcat(m, "/");
			strcat(m, p->lev[i]);
		}
		p->filter = f;
		if ((p->match = strdup(m)) == NULL)
			goto oom;
	}
	return 0;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
	return -1;
}

int
bess_topic_pat_parse(const char *s, struct bess_topic_pat *p, struct bess_err *err)
{
	const char *rest = s;

	memset(p, 0, sizeof(*p));
	if (*s == '\0') {
		bess_err_set(err, NULL, 0, "an empty topic filter");
		return -1;
	}
	if (strlen(s) > TOPIC_MAX) {
		bess_err_set(err, NULL, 0, "a topic filter of %zu bytes (MQTT allows %d)", strlen(s),
		    TOPIC_MAX);
		return -1;
	}
	if (strncmp(s, SHARE_PREFIX, strlen(SHARE_PREFIX)) == 0) {
		const char *g = s + strlen(SHARE_PREFIX), *slash = strchr(g, '/');

		if (slash == NULL || slash == g || slash[1] == '\0') {
			bess_err_set(err, NULL, 0, "'%s': a shared subscription is $share/GROUP/FILTER", s);
			return -1;
		}
		if (strpbrk(g, "+#") != NULL && strpbrk(g, "+#") < slash) {
			bess_err_set(err, NULL, 0, "'%s': the group name cannot hold '+' or '#'", s);
			return -1;
		}
		rest = slash + 1;
	}
	if (pat_levels(p, s, rest, err) != 0) {
		bess_topic_pat_free(p);
		return -1;
	}
	return 0;
}

int
bess_topic_pat_match(const struct bess_topic_pat *p, const char *topic,
    void (*cb)(void *ctx, const char *name, const char *val, size_t len), void *ctx)
{
	const char *a = topic, *e;
	size_t i;
	int pass;

	/* MQTT-4.7.2-1: wildcards at the first level do not match $SYS-like topics */
	if (topic[0] == '$' && p->nlev > 0 && (p->lev[0][0] == '+' || p->lev[0][0] == '#'))
		return 0;
	/* pass 0 checks, pass 1 reports the named levels, so cb never sees a half match */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && (cb == NULL || p->nnamed == 0))
			return 1;
		a = topic;
		for (i = 0; i < p->nlev; i++) {
			const char *lev = p->lev[i];
			size_t len;

			if (lev[0] == '#' && lev[1] == '\0') {
				/* "a/#" also matches "a" itself: then a is past the end */
				if (pass == 1 && p->name[i])
					cb(ctx, p->name[i], a ? a : "", a ? strlen(a) : 0);
				a = NULL;
				break;
			}
			if (a == NULL)
				return 0;
			e = strchr(a, '/');
			len = e ? (size_t)(e - a) : strlen(a);
			if (lev[0] == '+' && lev[1] == '\0') {
				if (pass == 1 && p->name[i])
					cb(ctx, p->name[i], a, len);
			} else if (strlen(lev) != len || memcmp(lev, a, len) != 0)
				return 0;
			a = e ? e + 1 : NULL;
		}
		if (a != NULL)
			return 0;	/* the topic has more levels than the filter */
	}
	return 1;
}

void
bess_topic_tmpl_free(struct bess_topic_tmpl *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->part[i].text);
	free(t->part);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

static int
tmpl_add(struct bess_topic_tmpl *t, const char *s, size_t len, int is_field)
{
	struct bess_tmpl_part *q = realloc(t->part, (t->n + 1) * sizeof(*q));

	if (q == NULL)
		return -1;
	t->part = q;
	if ((q[t->n].text = strndup(s, len)) == NULL)
		return -1;
	q[t->n++].is_field = is_field;
	return 0;
}

int
bess_topic_tmpl_parse(const char *s, struct bess_topic_tmpl *t, struct bess_err *err)
{
	char *lit;
	size_t n = 0;
	const char *p;

	memset(t, 0, sizeof(*t));
	if (*s == '\0') {
		bess_err_set(err, NULL, 0, "an empty topic");
		return -1;
	}
	if (strlen(s) > TOPIC_MAX) {
		bess_err_set(err, NULL, 0, "a topic of %zu bytes (MQTT allows %d)", strlen(s), TOPIC_MAX);
		return -1;
	}
	if ((lit = malloc(strlen(s) + 1)) == NULL)
		goto oom;
	for (p = s; *p; p++) {
		if (p[0] == '{' && p[1] == '{') {
			lit[n++] = *p++;
		} else if (p[0] == '}' && p[1] == '}') {
			lit[n++] = *p++;
		} else if (*p == '{') {
			const char *end = strchr(p + 1, '}');

			if (end == NULL) {
				bess_err_set(err, NULL, 0, "'%s': '{' without '}' (write '{{' for a brace)", s);
				goto fail;
			}
			if (end == p + 1 || memchr(p + 1, '{', (size_t)(end - p - 1))) {
				bess_err_set(err, NULL, 0, "'%s': '{}' needs a field name inside", s);
				goto fail;
			}
			if ((n > 0 && tmpl_add(t, lit, n, 0) != 0) ||
			    tmpl_add(t, p + 1, (size_t)(end - p - 1), 1) != 0)
				goto oom;
			n = 0;
			p = end;
		} else if (*p == '}') {
			bess_err_set(err, NULL, 0, "'%s': '}' without '{' (write '}}' for a brace)", s);
			goto fail;
		} else if (*p == '+' || *p == '#') {
			bess_err_set(err, NULL, 0, "'%s': a topic to publish to cannot hold '+' or '#'", s);
			goto fail;
		} else
			lit[n++] = *p;
	}
	if (n > 0 && tmpl_add(t, lit, n, 0) != 0)
		goto oom;
	free(lit);
	return 0;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
fail:
	free(lit);
	bess_topic_tmpl_free(t);
	return -1;
}

static int
buf_put(struct bess_topic_tmpl *t, size_t *used, const char *s, size_t len)
{
	char *q;

	if ((q = bess_grow(t->buf, &t->cap, *used + len + 1, 128, 1)) == NULL)
		return -1;
	t->buf = q;
	memcpy(t->buf + *used, s, len);
	*used += len;
	t->buf[*used] = '\0';
	return 0;
}

const char *
bess_topic_tmpl_expand(struct bess_topic_tmpl *t, const struct bess_schema *s,
    const struct bess_rec *rec, struct bess_err *err)
{
	size_t i, used = 0;

	if (buf_put(t, &used, "", 0) != 0)
		goto oom;
	for (i = 0; i < t->n; i++) {
		const struct bess_tmpl_part *pt = &t->part[i];
		const char *v;
		size_t len;
		int k;

		if (!pt->is_field) {
			if (buf_put(t, &used, pt->text, strlen(pt->text)) != 0)
				goto oom;
			continue;
		}
		k = bess_schema_find(s, pt->text);
		if (k < 0 || (size_t)k >= rec->n || rec->len[k] == 0 ||
		    rec->kind[k] == BESS_K_NULL) {
			bess_err_set(err, NULL, 0, "topic field '%s' is %s", pt->text,
			    k < 0 ? "not a column" : "missing");
			return NULL;
		}
		v = rec->v[k];
		len = rec->len[k];
		if (memchr(v, '/', len) || memchr(v, '+', len) || memchr(v, '#', len) ||
		    strlen(v) != len) {
			bess_err_set(err, NULL, 0, "topic field '%s': '%s' holds '/', '+', '#' or a NUL byte",
			    pt->text, v);
			return NULL;
		}
		if (buf_put(t, &used, v, len) != 0)
			goto oom;
	}
	if (used > TOPIC_MAX) {
		bess_err_set(err, NULL, 0, "the topic would be %zu bytes (MQTT allows %d)", used,
		    TOPIC_MAX);
		return NULL;
	}
	return t->buf;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
	return NULL;
}
