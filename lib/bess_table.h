/* bess_table.h: a whole record stream in memory, with parsed times — for tools that need every row at once. */
#ifndef BESS_TABLE_H
#define BESS_TABLE_H

#include <stddef.h>

#include "bess_err.h"
#include "bess_rec.h"
#include "bess_time.h"

struct bess_table {
	struct bess_schema schema;	/* union of the inputs' columns, in order of appearance */
	size_t n;			/* rows */
	bess_time_t *ts;		/* per row: the instant in column 'ts' */
	long *line;			/* per row: input line */
	int *src;			/* per row: index into file[] */
	char **file;			/* input names */
	size_t nfile;
	/*
	 * private: the fields each row has (only those: a sparse NDJSON stream of 9,990 keys,
	 * one a record, took 4.4 GB as a dense row x column grid), sorted by column
	 */
	char *arena;			/* NUL-terminated texts */
	size_t arena_n, arena_cap;
	size_t *first;			/* per row: its first field in e_*; [n] = fields in all */
	int *e_col;			/* per field: column */
	unsigned char *e_kind;		/* per field: enum bess_kind */
	size_t *e_off;			/* per field: offset of its text in arena */
	size_t ecap;			/* fields allocated */
	size_t cap;			/* rows allocated */
};

void bess_table_init(struct bess_table *t);
void bess_table_free(struct bess_table *t);

/*
 * Append every record of r. Column 'ts' must hold RFC 3339 times with an
 * offset (as bess-ingest writes them); errors name file:line.
 */
int bess_table_read(struct bess_table *t, struct bess_reader *r, struct bess_err *err);

/* Column index by name, -1 if absent. */
int bess_table_col(const struct bess_table *t, const char *name);
/* Field text ("" if missing) and kind. */
const char *bess_table_get(const struct bess_table *t, size_t row, int col);
enum bess_kind bess_table_kind(const struct bess_table *t, size_t row, int col);

/*
 * Column col as numbers into out[0..n): NAN where missing. A field that is
 * not a number is an error naming file:line and the column.
 */
int bess_table_num(const struct bess_table *t, int col, double *out, struct bess_err *err);

/*
 * Column name as numbers, NAN where missing, in a new array *out (free
 * it); *out is NULL when t has no such column. *idx (when idx is not NULL)
 * receives the column's index, or -1. 0, or -1 with err (a field that is
 * not a number, out of memory).
 */
int bess_table_column(const struct bess_table *t, const char *name, double **out, int *idx,
    struct bess_err *err);

/*
 * Check times strictly increase on one regular grid; *step_us receives the
 * step (0 for fewer than two rows). Errors name the first offending row.
 */
int bess_table_grid(const struct bess_table *t, long long *step_us, struct bess_err *err);
/*
 * bess_table_grid for a tool that needs the step: no records, or one
 * record (whose step cannot be known), are errors too.
 */
int bess_table_regular(const struct bess_table *t, long long *step_us, struct bess_err *err);

/* A view of row as a record over t->schema (valid until the table changes). */
int bess_table_rec(const struct bess_table *t, size_t row, struct bess_rec *rec);

#endif
