/* test_optval.c: what the bess-* mains share from the library: option values (lists, words, kept texts, record formats, times), numeric columns, carried columns. */
#include <stdlib.h>

#include <string.h>

#include "bess_opt.h"
#include "bess_rows.h"
#include "bess_table.h"
#include "bess_time.h"
#include "bess_tz.h"
#include "tap.h"

int
main(void)
{
	struct bess_err err;
	char **l = NULL, *s = NULL;
	size_t n = 0;
	enum bess_fmt f = BESS_FMT_AUTO;

	/* lists: "a,,b" is two items (strtok skips the empty one), appended in order */
	is_int(bess_opt_list_add(&l, &n, "a,,b", &err), 0, "list 'a,,b' parses");
	is_int(n, 2, "... two items");
	is_str(l[0], "a", "... first a");
	is_str(l[1], "b", "... then b");
	ok(l[2] == NULL, "... NULL-terminated");
	is_int(bess_opt_list_add(&l, &n, "c", &err), 0, "a second list appends");
	is_int(n, 3, "... three items");
	is_str(l[2], "c", "... c last");
	ok(l[3] == NULL, "... still NULL-terminated");
	is_int(bess_opt_list_add(&l, &n, ",", &err), 0, "a list of nothing");
	is_int(n, 3, "... adds nothing");
	bess_opt_list_free(l, n);
	l = NULL;
	n = 0;
	is_int(bess_opt_list_add(&l, &n, "", &err), 0, "the empty list");
	ok(l == NULL && n == 0, "... leaves an empty list NULL");

	/* a word among several: its position, or a message listing them all */
	{
		static const char *const words[] = { "error", "first", "last", NULL };
		int k = -1;

		is_int(bess_opt_pick("last", words, &k, &err), 0, "a word");
		is_int(k, 2, "... third");
		is_int(bess_opt_pick("Last", words, &k, &err), -1, "words are case-sensitive");
		is_str(err.msg, "'Last' is not error, first or last", "... the message lists them");
		is_int(bess_opt_pick("x", (const char *const[]){ "hold", "linear", NULL }, &k, &err), -1,
		    "two words");
		is_str(err.msg, "'x' is not hold or linear", "... joined by 'or'");
	}

	/* kept texts: replaced, the old one freed (LeakSanitizer checks that) */
	is_int(bess_opt_str(&s, "one", &err), 0, "a text kept");
	is_int(bess_opt_str(&s, "two", &err), 0, "... and replaced");
	is_str(s, "two", "... the last one counts");
	free(s);

	/* record formats: the words bess_fmt_parse knows, lp only where allowed */
	is_int(bess_opt_fmt("csv", 0, &f, &err), 0, "csv");
	is_int(f, BESS_FMT_CSV, "... is CSV");
	is_int(bess_opt_fmt("jsonl", 0, &f, &err), 0, "jsonl");
	is_int(f, BESS_FMT_NDJSON, "... is NDJSON");
	is_int(bess_opt_fmt("influx", 1, &f, &err), 0, "influx where lp is allowed");
	is_int(f, BESS_FMT_LP, "... is line protocol");
	f = BESS_FMT_CSV;
	is_int(bess_opt_fmt("lp", 0, &f, &err), -1, "lp where it is not allowed");
	is_str(err.msg, "'lp' is not csv or ndjson", "... says so");
	is_int(f, BESS_FMT_CSV, "... and leaves the format alone");
	is_int(bess_opt_fmt("xml", 1, &f, &err), -1, "xml");
	is_str(err.msg, "'xml' is not csv, ndjson or lp", "... names the three");

	/* time options: 2024-01-01T00:00:00Z is 1704067200 s (19723 days of 86400 s since 1970) */
	{
		struct bess_tparse tp;
		bess_time_t t = 0;
		char why[256];
		struct bess_tz *tz = bess_tz_load("Europe/Berlin", &err);
		static const char *const s1 = "2024-01-01T00:00:00Z", *const s2 = "2024-01-01T00:00:00",
		    *const s3 = "2024-01-01";

		memset(&tp, 0, sizeof(tp));
		ok(bess_time_parse(s1, strlen(s1), &tp, &t, why, sizeof(why)) == BESS_TP_OK &&
		    t == 1704067200LL * BESS_US_PER_S, "an RFC 3339 time");
		tp.naive_utc = 1;
		ok(bess_time_parse(s2, strlen(s2), &tp, &t, why, sizeof(why)) == BESS_TP_OK &&
		    t == 1704067200LL * BESS_US_PER_S, "a naive time in UTC");
		/* Berlin is UTC+1 in winter: local midnight is 23:00 UTC the day before */
		tp.naive_utc = 0;
		tp.tz = tz;
		ok(tz && bess_time_parse(s3, strlen(s3), &tp, &t, why, sizeof(why)) == BESS_TP_OK &&
		    t == (1704067200LL - 3600) * BESS_US_PER_S, "a naive date in a zone");
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
		struct bess_rows rw;
		FILE *ifp = fmemopen((void *)in, sizeof(in) - 1, "r"), *ofp;
		char *out = NULL;
		size_t len = 0;

		bess_table_init(&t);
		r = bess_reader_open(ifp, "in", NULL, &err);
		ok(r && bess_table_read(&t, r, &err) == 0 && t.n == 1, "a table of one row");
		bess_reader_close(r);
		fclose(ifp);
		ofp = open_memstream(&out, &len);
		is_int(bess_rows_open(&rw, ofp, BESS_FMT_CSV, &t, cols, "curtail_kw", &err), 0, "rows open");
		bess_rows_start(&rw, 0);
		bess_rows_num(&rw, 0.1234567);
		bess_rows_num(&rw, -1e-7);
		bess_rows_text(&rw, "optimal", BESS_K_STR);
		is_int(bess_rows_write(&rw, &err), 0, "a row written");
		is_int(bess_rows_close(&rw, 1, &err), 0, "... and finished");
		fclose(ofp);
		is_str(out, "ts,a,b,soc_kwh,cost,status\n2024-01-01T00:00:00Z,1,x,0.123457,0,optimal\n",
		    "input columns carried, then ours");
		free(out);

		/* numeric columns: soc_kwh is the 3rd (index 2) and holds 9; b holds "x" */
		{
			double *v = NULL;
			int idx = 0;

			is_int(bess_table_column(&t, "soc_kwh", &v, &idx, &err), 0, "a numeric column");
			ok(v && v[0] == 9 && idx == 2, "... its number and index");
			free(v);
			is_int(bess_table_column(&t, "nope", &v, &idx, &err), 0, "an absent column");
			ok(v == NULL && idx == -1, "... is NULL, index -1");
			is_int(bess_table_column(&t, "b", &v, NULL, &err), -1, "a column of text is an error");
			is_str(err.msg, "column 'b': 'x' is not a number", "... naming the column");
			ok(strcmp(err.file, "in") == 0 && err.line == 2, "... at in:2");
			free(v);
		}
		bess_table_free(&t);
	}
	{	/* an option's name for messages: the short letter too when it has one */
		static const struct bess_optdef defs[] = {
			{ "count", 'C', BESS_OPT_ARG, 7 },
			{ "fields", 0, BESS_OPT_ARG, 8 },
			{ NULL, 0, 0, 0 }
		};
		char buf[64];

		is_str(bess_opt_label(defs, 7, buf, sizeof(buf)), "-C/--count", "label: -C/--count");
		is_str(bess_opt_label(defs, 8, buf, sizeof(buf)), "--fields", "label: --fields, no letter");
		is_str(bess_opt_label(defs, 9, buf, sizeof(buf)), "?", "label: an id not in the table is ?");
	}
	{	/* a duration: 15 min is 900 s */
		long long us = 0;

		ok(bess_opt_dur("15m", &us, &err) == 0 && us == 900000000LL, "dur: 15m is 900000000 us");
		is_int(bess_opt_dur("soon", &us, &err), -1, "dur: a word is refused");
	}
	{	/* a memory size: 512M is 512 x 1048576 bytes, 8G is 8 x 1024 MiB */
		long long b = 0;

		ok(bess_opt_mem("512M", &b, &err) == 0 && b == 536870912LL, "mem: 512M is 536870912 bytes");
		ok(bess_opt_mem("8G", &b, &err) == 0 && b == 8589934592LL, "mem: 8G is 8589934592 bytes");
		ok(bess_opt_mem("100", &b, &err) == 0 && b == 104857600LL, "mem: a number is MiB");
		is_int(bess_opt_mem("0.5M", &b, &err), -1, "mem: half a MiB is too little");
		is_str(err.msg, "'0.5M' is not a size from 1 MiB to 1 PiB (e.g. 512M, 8G)", "mem: ... saying so");
		ok(bess_opt_half_memory() >= 0, "mem: half the physical memory, or 0 when unknown");
	}
	return done();
}
