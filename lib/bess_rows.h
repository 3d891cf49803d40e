/* bess_rows.h: records that carry an input table's columns through and append a tool's own (bess-optimize's schedule, bess-dispatch's trajectory). */
#ifndef BESS_ROWS_H
#define BESS_ROWS_H

#include <stdio.h>

#include "bess_err.h"
#include "bess_rec.h"
#include "bess_table.h"

/*
 * t's columns in order except those named in cols (the tool's values
 * replace them), then cols except omit (NULL: none; e.g. curtail_kw when
 * there is no solar). Per row of t: bess_rows_start, then bess_rows_num or
 * bess_rows_text for each written column of cols in order, then
 * bess_rows_write; at the end bess_rows_close.
 */
struct bess_rows {
	const struct bess_table *t;	/* the input */
	struct bess_schema s;		/* carried columns, then the tool's */
	struct bess_rec rec;		/* the row being built */
	struct bess_writer *w;		/* to the output */
	size_t *keep, nkeep;		/* carried columns: their indices in t */
	size_t f;			/* the row's next field */
	char (*num)[32];		/* per field: the text bess_rows_num wrote */
};

/* 0, or -1 with err "out of memory" (o is then freed). */
int bess_rows_open(struct bess_rows *o, FILE *fp, enum bess_fmt fmt, const struct bess_table *t,
    const char *const *cols, const char *omit, struct bess_err *err);
/* Start a record with row's carried fields (and its input line, for messages). */
void bess_rows_start(struct bess_rows *o, size_t row);
/* The next field: v as a figure people read (bess_fmt_fig: 6 decimals at most, no "-0"). */
void bess_rows_num(struct bess_rows *o, double v);
/* The next field: text (not copied: it must last until bess_rows_write) of kind. */
void bess_rows_text(struct bess_rows *o, const char *text, enum bess_kind kind);
/* Write the record. 0, or -1 with err. */
int bess_rows_write(struct bess_rows *o, struct bess_err *err);
/* Finish the output when ok, and free o. 0, or -1 when !ok or with err when finishing fails. */
int bess_rows_close(struct bess_rows *o, int ok, struct bess_err *err);

#endif
