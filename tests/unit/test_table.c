/* test_table.c: unit tests for lib/table.c (a record stream in memory), printing TAP. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_table.h"
#include "tap.h"

/*
 * Where the expectations come from (never from this code's output):
 *   [date]  GNU date, e.g. `date -u -d 2025-01-01T00:00:00Z +%s` = 1735689600.
 *   [doc]   lib/bess_table.h.
 *   [hand]  worked out by hand in the comment next to it.
 */

#define T0	1735689600LL	/* [date] 2025-01-01T00:00:00Z */
#define US	1000000LL

/* Append the records of text (called name) to t; 0 or -1 with err. */
static int
load(struct bess_table *t, const char *name, const char *text, struct bess_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct bess_reader *r = bess_reader_open(fp, name, NULL, err);
	int rc = r ? bess_table_read(t, r, err) : -1;

	bess_reader_close(r);
	fclose(fp);
	return rc;
}

/* The table as text: names, then per row "file:line:field|field" ("~" missing). */
static char *
show(const struct bess_table *t)
{
	static char buf[8192];
	size_t n = 0, i;
	int c;

	buf[0] = '\0';
	for (c = 0; c < (int)t->schema.n; c++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", c ? "|" : "", t->schema.name[c]);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\n");
	for (i = 0; i < t->n && n < sizeof(buf); i++) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s:%ld:", t->file[t->src[i]], t->line[i]);
		for (c = 0; c < (int)t->schema.n; c++) {
			const char *s = bess_table_get(t, i, c);

			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", c ? "|" : "",
			    bess_table_kind(t, i, c) == BESS_K_NULL ? "~" : s);
		}
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\n");
	}
	return buf;
}

static void
test_union(void)
{
	struct bess_table t;
	struct bess_err err;
	int rc1, rc2;

	bess_table_init(&t);
	rc1 = load(&t, "a.csv", "ts,a,b\n2025-01-01T00:00:00Z,1,2\n2025-01-01T01:00:00+01:00,3,\n", &err);
	rc2 = load(&t, "b.ndjson", "{\"b\":5,\"ts\":\"2025-01-01T02:00:00Z\",\"c\":\"x\"}\n"
	    "\n{\"ts\":\"2025-01-01T03:00:00Z\",\"d\":true,\"a\":null}\n", &err);
	ok(rc1 == 0 && rc2 == 0, "two readers load");
	/* [doc] the union of the columns in order of appearance; missing fields stay missing */
	is_str(show(&t), "ts|a|b|c|d\n"
	    "a.csv:2:2025-01-01T00:00:00Z|1|2|~|~\n"
	    "a.csv:3:2025-01-01T01:00:00+01:00|3|~|~|~\n"
	    "b.ndjson:1:2025-01-01T02:00:00Z|~|5|x|~\n"
	    "b.ndjson:3:2025-01-01T03:00:00Z|~|~|~|true\n", "union schema, files, lines, fields");
	/* [date] + [hand]: 01:00+01:00 is 00:00Z */
	ok(t.n == 4 && t.ts[0] == T0 * US && t.ts[1] == T0 * US && t.ts[2] == (T0 + 7200) * US &&
	    t.ts[3] == (T0 + 10800) * US, "parsed times (an offset honoured)");
	ok(bess_table_kind(&t, 2, 3) == BESS_K_STR && bess_table_kind(&t, 3, 4) == BESS_K_BOOL &&
	    bess_table_kind(&t, 0, 1) == BESS_K_AUTO && bess_table_kind(&t, 2, 2) == BESS_K_NUM,
	    "kinds kept: STR, BOOL, AUTO, NUM");
	is_int(bess_table_col(&t, "c"), 3, "column c is 3");
	is_int(bess_table_col(&t, "zz"), -1, "no column zz");
	is_str(bess_table_get(&t, 9, 0), "", "row out of range: \"\"");
	is_str(bess_table_get(&t, 0, 9), "", "column out of range: \"\"");
	is_str(bess_table_get(&t, 0, -1), "", "column -1: \"\"");
	is_int(bess_table_kind(&t, 0, 9), BESS_K_NULL, "kind out of range: NULL");
	{
		struct bess_rec rec;

		bess_rec_init(&rec);
		ok(bess_table_rec(&t, 2, &rec) == 0 && rec.n == 5 && rec.line == 1 &&
		    strcmp(rec.v[2], "5") == 0 && rec.kind[2] == BESS_K_NUM && rec.len[3] == 1 &&
		    rec.kind[1] == BESS_K_NULL && rec.len[1] == 0, "bess_table_rec view of row 2");
		bess_rec_free(&rec);
	}
	bess_table_free(&t);
	ok(t.n == 0 && t.schema.n == 0, "free leaves an empty table");
}

/* Columns appearing after many rows; many rows: earlier rows keep their fields. */
static void
test_growth(void)
{
	struct bess_table t;
	struct bess_err err;
	char *text = malloc(1 << 20), line[512];
	size_t n = 0;
	int i, k, bad = 0;

	for (i = 0; i < 3000; i++) {
		n += (size_t)snprintf(text + n, (1 << 20) - n, "{\"ts\":\"2025-01-01T00:00:00Z\",\"v\":%d", i);
		if (i >= 1000)	/* 20 more columns from row 1000 on */
			for (k = 0; k < 20; k++)
				n += (size_t)snprintf(text + n, (1 << 20) - n, ",\"k%d\":%d", k, i + k);
		n += (size_t)snprintf(text + n, (1 << 20) - n, "}\n");
	}
	bess_table_init(&t);
	ok(load(&t, "g", text, &err) == 0 && t.n == 3000 && t.schema.n == 22,
	    "3000 rows, 22 columns");
	for (i = 0; i < 3000; i++) {
		snprintf(line, sizeof(line), "%d", i);
		if (strcmp(bess_table_get(&t, (size_t)i, 1), line) != 0 || t.line[i] != i + 1)
			bad++;
		for (k = 0; k < 20; k++) {
			const char *s = bess_table_get(&t, (size_t)i, 2 + k);

			snprintf(line, sizeof(line), "%d", i + k);
			if (i < 1000 ? *s != '\0' : strcmp(s, line) != 0)
				bad++;
		}
	}
	is_int(bad, 0, "every field where it belongs after the columns grew");
	bess_table_free(&t);
	free(text);
}

static void
test_read_errors(void)
{
	struct bess_table t;
	struct bess_err err;

	bess_table_init(&t);
	ok(load(&t, "x.csv", "ts,a\n2025-01-01T00:00:00Z,1\n,2\n", &err) == -1 &&
	    strcmp(err.file, "x.csv") == 0 && err.line == 3 &&
	    strcmp(err.msg, "missing time in column 'ts'") == 0, "missing time: x.csv:3");
	bess_table_free(&t);
	bess_table_init(&t);
	ok(load(&t, "x.csv", "time,a\n2025-01-01T00:00:00Z,1\n", &err) == -1 && err.line == 2 &&
	    strcmp(err.msg, "missing time in column 'ts'") == 0, "no ts column at all");
	bess_table_free(&t);
	bess_table_init(&t);
	/* [doc] ts needs an offset: a naive time is an error */
	ok(load(&t, "x.csv", "ts,a\n2025-01-01T00:00:00Z,1\n2025-01-01 01:00,2\n", &err) == -1 &&
	    err.line == 3 && strncmp(err.msg, "column 'ts': ", 13) == 0,
	    "naive time in ts: x.csv:3 (%s)", err.msg);
	bess_table_free(&t);
	bess_table_init(&t);
	ok(load(&t, "x.csv", "ts,a\n2025-01-01T00:00:00Z,1\n2025-01-01T00:00:00Z,1,2\n", &err) == -1 &&
	    err.line == 3 && strcmp(err.msg, "3 fields, but the header has 2") == 0,
	    "reader errors pass through with their line");
	bess_table_free(&t);
}

/* A table from ts values (hours after T0 as text offsets) for the grid tests. */
static int
grid_of(const char *text, long long *step, struct bess_err *err)
{
	struct bess_table t;
	int rc;

	bess_table_init(&t);
	rc = load(&t, "g.csv", text, err);
	if (rc == 0)
		rc = bess_table_grid(&t, step, err);
	bess_table_free(&t);
	return rc;
}

static void
test_grid(void)
{
	struct bess_err err;
	long long step = -1;

	ok(grid_of("ts\n2025-01-01T00:00:00Z\n2025-01-01T00:15:00Z\n2025-01-01T00:30:00Z\n", &step,
	    &err) == 0 && step == 900 * US, "15-minute grid: step 900 s");
	ok(grid_of("ts\n2025-01-01T00:00:00Z\n", &step, &err) == 0 && step == 0, "one row: step 0");
	ok(grid_of("ts\n", &step, &err) == 0 && step == 0, "no rows: step 0");
	ok(grid_of("ts\n2025-01-01T00:00:00Z\n2025-01-01T00:00:00.5Z\n2025-01-01T00:00:01Z\n", &step,
	    &err) == 0 && step == 500000, "half-second grid");
	/* [hand] the messages name the offending row (file:line) and both times */
	ok(grid_of("ts\n2025-01-01T00:00:00Z\n2025-01-01T00:15:00Z\n2025-01-01T00:15:00Z\n", &step,
	    &err) == -1 && strcmp(err.file, "g.csv") == 0 && err.line == 4 &&
	    strcmp(err.msg, "time 2025-01-01T00:15:00Z is the same as the previous row's "
	    "2025-01-01T00:15:00Z; records must be in time order, one per step") == 0,
	    "duplicate time: g.csv:4");
	ok(grid_of("ts\n2025-01-01T00:00:00Z\n2025-01-01T00:15:00Z\n2025-01-01T00:10:00Z\n", &step,
	    &err) == -1 && err.line == 4 &&
	    strcmp(err.msg, "time 2025-01-01T00:10:00Z is before the previous row's "
	    "2025-01-01T00:15:00Z; records must be in time order, one per step") == 0,
	    "time going back: g.csv:4");
	ok(grid_of("ts\n2025-01-01T00:15:00Z\n2025-01-01T00:00:00Z\n", &step, &err) == -1 &&
	    err.line == 3 && strstr(err.msg, "is before the previous row's") != NULL,
	    "going back from the first step");
	ok(grid_of("ts\n2025-01-01T00:00:00Z\n2025-01-01T00:15:00Z\n2025-01-01T00:45:00Z\n", &step,
	    &err) == -1 && err.line == 4 &&
	    strcmp(err.msg, "time 2025-01-01T00:45:00Z breaks the regular grid (step 900s, here "
	    "1800s); put the data on a grid first with bess-resample") == 0, "a gap: g.csv:4");
}

static void
test_num(void)
{
	struct bess_table t;
	struct bess_err err;
	double v[4];
	int c;

	bess_table_init(&t);
	load(&t, "n.ndjson", "{\"ts\":\"2025-01-01T00:00:00Z\",\"x\":1.5,\"s\":\"12\",\"b\":true,\"j\":[1]}\n"
	    "{\"ts\":\"2025-01-01T01:00:00Z\",\"x\":null,\"s\":\"abc\",\"b\":null,\"j\":null}\n"
	    "{\"ts\":\"2025-01-01T02:00:00Z\",\"x\":-2e3,\"s\":\"\"}\n", &err);
	c = bess_table_col(&t, "x");
	/* [doc] NAN where missing */
	ok(bess_table_num(&t, c, v, &err) == 0 && v[0] == 1.5 && isnan(v[1]) && v[2] == -2000,
	    "numbers, NAN for null");
	/* [doc] a JSON string holding a number counts; text does not; bool and JSON are not numbers */
	c = bess_table_col(&t, "s");
	ok(bess_table_num(&t, c, v, &err) == -1 && strcmp(err.file, "n.ndjson") == 0 &&
	    err.line == 2 && strcmp(err.msg, "column 's': 'abc' is not a number") == 0,
	    "text is an error naming n.ndjson:2 and the column");
	c = bess_table_col(&t, "b");
	ok(bess_table_num(&t, c, v, &err) == -1 && err.line == 1 &&
	    strcmp(err.msg, "column 'b': 'true' is not a number") == 0, "true is not a number");
	c = bess_table_col(&t, "j");
	ok(bess_table_num(&t, c, v, &err) == -1 && err.line == 1 &&
	    strcmp(err.msg, "column 'j': '[1]' is not a number") == 0, "[1] is not a number");
	bess_table_free(&t);

	bess_table_init(&t);
	load(&t, "n.csv", "ts;p\n2025-01-01T00:00:00Z;1,5\n", &err);
	c = bess_table_col(&t, "p");
	ok(bess_table_num(&t, c, v, &err) == -1 && err.line == 2 &&
	    strcmp(err.msg, "column 'p': '1,5' is not a number") == 0,
	    "a decimal comma is not a number here (bess-ingest converts it)");
	bess_table_free(&t);

	bess_table_init(&t);
	load(&t, "n.csv", "ts,p\n2025-01-01T00:00:00Z,"
	    "123456789012345678901234567890123456789012345678901234567890abc\n", &err);
	c = bess_table_col(&t, "p");
	ok(bess_table_num(&t, c, v, &err) == -1 &&
	    strcmp(err.msg, "column 'p': '1234567890123456789012345678901234567890' is not a number") == 0,
	    "a long bad field is cut to 40 bytes in the message");
	bess_table_free(&t);
}

int
main(void)
{
	test_union();
	test_growth();
	test_read_errors();
	test_grid();
	test_num();
	return done();
}
