/* test_cli_opt.c: the option helpers the bess-* mains share (cmd/cli.c): lists, words, kept texts, record formats, times, numeric columns, carried columns. */
#include <stdlib.h>

#include "cli.c"	/* cmd/cli.c is not in libbess.a */
#include "tap.h"

int
main(void)
{
	struct bess_err err;
	char **l = NULL, *s = NULL;
	size_t n = 0;
	enum bess_fmt f = BESS_FMT_AUTO;

	cli_init("test_cli_opt");

	/* lists: "a,,b" is two items (strtok skips the empty one), appended in order */
	is_int(cli_list_add(&l, &n, "a,,b", &err), 0, "list 'a,,b' parses");
	is_int(n, 2, "... two items");
	is_str(l[0], "a", "... first a");
	is_str(l[1], "b", "... then b");
	ok(l[2] == NULL, "... NULL-terminated");
	is_int(cli_list_add(&l, &n, "c", &err), 0, "a second list appends");
	is_int(n, 3, "... three items");
	is_str(l[2], "c", "... c last");
	ok(l[3] == NULL, "... still NULL-terminated");
	is_int(cli_list_add(&l, &n, ",", &err), 0, "a list of nothing");
	is_int(n, 3, "... adds nothing");
	cli_list_free(l, n);
	l = NULL;
	n = 0;
	is_int(cli_list_add(&l, &n, "", &err), 0, "the empty list");
	ok(l == NULL && n == 0, "... leaves an empty list NULL");

	/* a word among several: its position, or a message listing them all */
	{
		static const char *const words[] = { "error", "first", "last", NULL };
		int k = -1;

		is_int(cli_pick("last", words, &k, &err), 0, "a word");
		is_int(k, 2, "... third");
		is_int(cli_pick("Last", words, &k, &err), -1, "words are case-sensitive");
		is_str(err.msg, "'Last' is not error, first or last", "... the message lists them");
		is_int(cli_pick("x", (const char *const[]){ "hold", "linear", NULL }, &k, &err), -1,
		    "two words");
		is_str(err.msg, "'x' is not hold or linear", "... joined by 'or'");
	}

	/* kept texts: replaced, the old one freed (LeakSanitizer checks that) */
	is_int(cli_str_opt(&s, "one", &err), 0, "a text kept");
	is_int(cli_str_opt(&s, "two", &err), 0, "... and replaced");
	is_str(s, "two", "... the last one counts");
	free(s);

	/* record formats: the words bess_fmt_parse knows, lp only where allowed */
	is_int(cli_fmt_opt("csv", 0, &f, &err), 0, "csv");
	is_int(f, BESS_FMT_CSV, "... is CSV");
	is_int(cli_fmt_opt("jsonl", 0, &f, &err), 0, "jsonl");
	is_int(f, BESS_FMT_NDJSON, "... is NDJSON");
	is_int(cli_fmt_opt("influx", 1, &f, &err), 0, "influx where lp is allowed");
	is_int(f, BESS_FMT_LP, "... is line protocol");
	f = BESS_FMT_CSV;
	is_int(cli_fmt_opt("lp", 0, &f, &err), -1, "lp where it is not allowed");
	is_str(err.msg, "'lp' is not csv or ndjson", "... says so");
	is_int(f, BESS_FMT_CSV, "... and leaves the format alone");
	is_int(cli_fmt_opt("xml", 1, &f, &err), -1, "xml");
	is_str(err.msg, "'xml' is not csv, ndjson or lp", "... names the three");

	/* time options: 2024-01-01T00:00:00Z is 1704067200 s (19723 days of 86400 s since 1970) */
	ok(cli_time_opt("begin", "2024-01-01T00:00:00Z", NULL, 0) == 1704067200LL * BESS_US_PER_S,
	    "an RFC 3339 time");
	ok(cli_time_opt("begin", "2024-01-01T00:00:00", NULL, 1) == 1704067200LL * BESS_US_PER_S,
	    "a naive time in UTC");
	ok(cli_tz_load(NULL) == NULL, "no --tz, no zone");
	{
		struct bess_tz *tz = cli_tz_load("Europe/Berlin");

		/* Berlin is UTC+1 in winter: local midnight is 23:00 UTC the day before */
		ok(tz && cli_time_opt("end", "2024-01-01", tz, 0) == (1704067200LL - 3600) * BESS_US_PER_S,
		    "a naive date in --tz");
		bess_tz_free(tz);
	}

	/*
	 * carried columns: a, b pass through in order, the input's soc_kwh is
	 * replaced by ours, curtail_kw is omitted; 0.1234567 rounds to 6
	 * decimals, -1e-7 is below half a millionth and prints as 0 (not -0)
	 */
	{
		static const char in[] = "ts,a,soc_kwh,b\n2024-01-01T00:00:00Z,1,9,x\n";
		static const char *const cols[] = { "soc_kwh", "curtail_kw", "cost", "status", NULL };
		struct bess_table t;
		struct bess_reader *r;
		struct cli_rows rw;
		FILE *ifp = fmemopen((void *)in, sizeof(in) - 1, "r"), *ofp;
		char *out = NULL;
		size_t len = 0;

		bess_table_init(&t);
		r = bess_reader_open(ifp, "in", NULL, &err);
		ok(r && bess_table_read(&t, r, &err) == 0 && t.n == 1, "a table of one row");
		bess_reader_close(r);
		fclose(ifp);
		ofp = open_memstream(&out, &len);
		is_int(cli_rows_open(&rw, ofp, BESS_FMT_CSV, &t, cols, "curtail_kw"), 0, "rows open");
		cli_rows_start(&rw, 0);
		cli_rows_num(&rw, 0.1234567);
		cli_rows_num(&rw, -1e-7);
		cli_rows_text(&rw, "optimal", BESS_K_STR);
		is_int(cli_rows_write(&rw), 0, "a row written");
		is_int(cli_rows_close(&rw, 1), 0, "... and finished");
		fclose(ofp);
		is_str(out, "ts,a,b,soc_kwh,cost,status\n2024-01-01T00:00:00Z,1,x,0.123457,0,optimal\n",
		    "input columns carried, then ours");
		free(out);

		/* numeric columns: soc_kwh is the 3rd (index 2) and holds 9; b holds "x" */
		{
			double *v = NULL;
			int idx = 0;

			is_int(cli_table_num(&t, "soc_kwh", &v, &idx), 0, "a numeric column");
			ok(v && v[0] == 9 && idx == 2, "... its number and index");
			free(v);
			is_int(cli_table_num(&t, "nope", &v, &idx), 0, "an absent column");
			ok(v == NULL && idx == -1, "... is NULL, index -1");
			diag("an error about column 'b' is expected here:");
			is_int(cli_table_num(&t, "b", &v, NULL), -1, "a column of text is an error");
			free(v);
		}
		bess_table_free(&t);
	}
	return done();
}
