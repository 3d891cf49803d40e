/* summary.c: one record built field by field, written as an NDJSON line — summaries, commands and breakdown rows of every tool. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_qty.h"
#include "bess_summary.h"

void
bess_kv_init(struct bess_kv *k)
{
	bess_schema_init(&k->s);
	bess_rec_init(&k->r);
	k->text = NULL;
	k->oom = 0;
}

void
bess_kv_free(struct bess_kv *k)
{
	size_t i;

	for (i = 0; i < k->s.n; i++)
		free(k->text[i]);
	free(k->text);
	bess_rec_free(&k->r);
	bess_schema_free(&k->s);
}

void
bess_kv_add(struct bess_kv *k, const char *name, const char *text, enum bess_kind kind)
{
	char **nt;
	int i;

	if (k->oom)
		return;
	if ((i = bess_schema_add(&k->s, name)) < 0 || bess_rec_resize(&k->r, k->s.n) != 0 ||
	    (nt = realloc(k->text, k->s.n * sizeof(*nt))) == NULL) {
		k->oom = 1;
		return;
	}
	k->text = nt;
	if ((k->text[i] = strdup(text ? text : "")) == NULL) {
		k->oom = 1;
		return;
	}
	bess_rec_set(&k->r, (size_t)i, k->text[i], text ? kind : BESS_K_NULL);
}

void
bess_kv_num(struct bess_kv *k, const char *name, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		bess_kv_add(k, name, NULL, BESS_K_NULL);
		return;
	}
	if (fabs(v) < 1e-9 * 1e-3)
		v = 0;
	bess_fmt_num(v, buf);
	bess_kv_add(k, name, buf, BESS_K_NUM);
}

const char *
bess_fmt_fig(double v, char *buf)
{
	if (fabs(v) < 5e-7)
		v = 0;
	bess_fmt_fixed(v, 6, buf);
	return buf;
}

void
bess_kv_fig(struct bess_kv *k, const char *name, double v)
{
	char buf[64];

	if (!isfinite(v)) {
		bess_kv_add(k, name, NULL, BESS_K_NULL);
		return;
	}
	bess_kv_add(k, name, bess_fmt_fig(v, buf), BESS_K_NUM);
}

void
bess_kv_int(struct bess_kv *k, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	bess_kv_add(k, name, buf, BESS_K_NUM);
}

void
bess_kv_str(struct bess_kv *k, const char *name, const char *v)
{
	bess_kv_add(k, name, v, BESS_K_STR);
}

void
bess_kv_bool(struct bess_kv *k, const char *name, int v)
{
	bess_kv_add(k, name, v ? "true" : "false", BESS_K_BOOL);
}

char *
bess_kv_line(const struct bess_kv *k, size_t *len)
{
	char *buf = NULL;
	FILE *mf;
	struct bess_writer_opts wo;
	struct bess_writer *w;
	struct bess_err err;
	int rc;

	*len = 0;
	if (k->oom || (mf = open_memstream(&buf, len)) == NULL)
		return NULL;
	memset(&wo, 0, sizeof(wo));
	wo.fmt = BESS_FMT_NDJSON;
	if ((w = bess_writer_new(mf, &wo)) == NULL) {
		fclose(mf);
		free(buf);
		return NULL;
	}
	rc = bess_writer_write(w, &k->s, &k->r, &err) || bess_writer_finish(w, &k->s, &err);
	bess_writer_free(w);
	fclose(mf);
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

void
bess_kv_nest(struct bess_kv *dst, const char *name, const struct bess_kv *k)
{
	size_t len;
	char *line = bess_kv_line(k, &len);

	if (line == NULL) {
		dst->oom = 1;
		return;
	}
	while (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	bess_kv_add(dst, name, line, BESS_K_JSON);
	free(line);
}
