/* rows.c: records that carry an input table's columns through and append a tool's own. */
#include <stdlib.h>
#include <string.h>

#include "bess_rows.h"
#include "bess_summary.h"

int
bess_rows_open(struct bess_rows *o, FILE *fp, enum bess_fmt fmt, const struct bess_table *t,
    const char *const *cols, const char *omit, struct bess_err *err)
{
	struct bess_writer_opts wo;
	size_t i, k;

	memset(o, 0, sizeof(*o));
	o->t = t;
	bess_schema_init(&o->s);
	bess_rec_init(&o->rec);
	memset(&wo, 0, sizeof(wo));
	wo.fmt = fmt;
	if ((o->w = bess_writer_new(fp, &wo)) == NULL ||
	    (o->keep = malloc((t->schema.n + 1) * sizeof(*o->keep))) == NULL)
		goto oom;
	for (i = 0; i < t->schema.n; i++) {
		int ours = 0;

		for (k = 0; cols[k]; k++)
			ours |= strcmp(t->schema.name[i], cols[k]) == 0;
		if (!ours) {
			o->keep[o->nkeep++] = i;
			if (bess_schema_add(&o->s, t->schema.name[i]) < 0)
				goto oom;
		}
	}
	for (k = 0; cols[k]; k++)
		if ((omit == NULL || strcmp(cols[k], omit) != 0) && bess_schema_add(&o->s, cols[k]) < 0)
			goto oom;
	if (bess_rec_resize(&o->rec, o->s.n) != 0 || (o->num = calloc(o->s.n, sizeof(*o->num))) == NULL)
		goto oom;
	return 0;
oom:
	bess_rows_close(o, 0, NULL);
	return bess_err_set(err, NULL, 0, "out of memory");
}

void
bess_rows_start(struct bess_rows *o, size_t row)
{
	size_t j;

	for (j = 0; j < o->nkeep; j++)
		bess_rec_set(&o->rec, j, bess_table_get(o->t, row, (int)o->keep[j]),
		    bess_table_kind(o->t, row, (int)o->keep[j]));
	o->rec.line = o->t->line[row];
	o->f = o->nkeep;
}

void
bess_rows_num(struct bess_rows *o, double v)
{
	bess_rec_set(&o->rec, o->f, bess_fmt_fig(v, o->num[o->f]), BESS_K_NUM);
	o->f++;
}

void
bess_rows_text(struct bess_rows *o, const char *text, enum bess_kind kind)
{
	bess_rec_set(&o->rec, o->f++, text, kind);
}

int
bess_rows_write(struct bess_rows *o, struct bess_err *err)
{
	return bess_writer_write(o->w, &o->s, &o->rec, err);
}

int
bess_rows_close(struct bess_rows *o, int ok, struct bess_err *err)
{
	int rc = ok ? 0 : -1;

	if (ok && bess_writer_finish(o->w, &o->s, err) != 0)
		rc = -1;
	bess_writer_free(o->w);
	bess_rec_free(&o->rec);
	bess_schema_free(&o->s);
	free(o->keep);
	free(o->num);
	memset(o, 0, sizeof(*o));
	return rc;
}
