/* test_billrun.c: bess-bill's meters read from a table and two meters on the same times, by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_billrun.h"
#include "check.h"

/* Load CSV text into t (named name). */
static void
load(struct bess_table *t, const char *name, const char *csv)
{
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	struct bess_reader *r;
	struct bess_err err;

	bess_table_init(t);
	if (fp == NULL || (r = bess_reader_open(fp, name, NULL, &err)) == NULL || bess_table_read(t, r, &err) != 0)
		abort();
	bess_reader_close(r);
	fclose(fp);
}

int
main(void)
{
	struct bess_table a, b, c;
	struct bess_err err;
	double *imp, *exp_;

	/* load 5 and 1 kW with solar 2 and 4 kW: import 3 and 0, export 0 and 3 */
	load(&a, "a.csv", "ts,load_kw,solar_kw\n2026-01-05T00:00:00Z,5,2\n2026-01-05T01:00:00Z,1,4\n");
	check(bess_bill_meter(&a, NULL, &imp, &exp_, &err) == 0, "meter: load and solar");
	check(imp[0] == 3 && imp[1] == 0 && exp_[0] == 0 && exp_[1] == 3, "meter: import 3, 0; export 0, 3");
	free(imp);
	free(exp_);
	check(bess_bill_meter(&a, "grid_import_kw", &imp, &exp_, &err) == -1 && imp == NULL,
	    "meter: asked for grid_import_kw, a table without it");
	same(err.msg, "a.csv: no meter column: grid_import_kw", "meter: ... naming the file and column");

	/* the same times, and one an hour off at b.csv:3 */
	load(&b, "b.csv", "ts,grid_import_kw,grid_export_kw\n2026-01-05T00:00:00Z,1,0\n2026-01-05T01:00:00Z,0,1\n");
	load(&c, "c.csv", "ts,grid_import_kw,grid_export_kw\n2026-01-05T00:00:00Z,1,0\n2026-01-05T02:00:00Z,0,1\n");
	is_int(bess_bill_same_times(&a, &b, &err), 0, "same times: a and b");
	is_int(bess_bill_same_times(&a, &c, &err), -1, "same times: c's second record is an hour later");
	ok(strcmp(err.file, "c.csv") == 0 && err.line == 3, "same times: ... at c.csv:3");
	same(err.msg, "not the time of a.csv:3 (the meters must cover the same times)", "same times: ... saying which");
	bess_table_free(&a);
	bess_table_free(&b);
	bess_table_free(&c);
	return done_testing();
}
