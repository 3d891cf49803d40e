/* test_plot.c: unit tests for the gnuplot script builder (quoting, decimation, ticks, HTML page, script text). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_plot.h"
#include "bess_table.h"
#include "tap.h"

/* Load CSV text into a table; returns 0 or -1 with err. */
static int
load(struct bess_table *t, const char *csv, struct bess_err *err)
{
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	struct bess_reader *r;
	int rc;

	bess_table_init(t);
	if (fp == NULL)
		return -1;
	if ((r = bess_reader_open(fp, "t.csv", NULL, err)) == NULL) {
		fclose(fp);
		return -1;
	}
	rc = bess_table_read(t, r, err);
	bess_reader_close(r);
	fclose(fp);
	return rc;
}

static void
test_quote(void)
{
	static const struct {
		const char *in, *want;
	} q[] = {
		{ "price", "'price'" },
		{ "it's", "'it' . \"'\" . 's'" },		/* gnuplot's own '' escape is not used */
		{ "'", "\"'\"" },
		{ "''x'", "\"'\" . \"'\" . 'x' . \"'\"" },
		{ "a\nb\tc\x7f", "'a b c '" },			/* no control character survives */
		{ "x\"; system(\"touch /tmp/owned\"); \"", "'x\"; system(\"touch /tmp/owned\"); \"'" },
		{ "'; system('touch x'); '", "\"'\" . '; system(' . \"'\" . 'touch x' . \"'\" . '); ' . \"'\"" },
		{ "`touch x` @GPVAL_TERM \\n", "'`touch x` @GPVAL_TERM \\n'" },
		{ "", "''" },
	};
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		char *s = bess_plot_quote(q[i].in);

		is_str(s, q[i].want, "quote #%zu", i);
		free(s);
	}
}

static void
test_minmax(void)
{
	/* columns of width 5 over [0, 10): {3,1,4,1,5} -> min 1 (first at x=1), max 5 (x=4);
	 * {9,2,6,NaN,NaN} -> max 9 (x=5), min 2 (x=6); each pair in time order */
	double x[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	double y[] = { 3, 1, 4, 1, 5, 9, 2, 6, NAN, NAN };
	double ox[6], oy[6];
	double x2[] = { 0, 1, 12, 13 }, y2[] = { 1, 2, 3, 3 };
	size_t m;

	m = bess_plot_minmax(x, y, 10, 0, 10, 2, ox, oy);
	is_int(m, 4, "minmax: two points per column");
	ok(ox[0] == 1 && oy[0] == 1 && ox[1] == 4 && oy[1] == 5, "minmax: column 0 is (1,1) (4,5)");
	ok(ox[2] == 5 && oy[2] == 9 && ox[3] == 6 && oy[3] == 2, "minmax: column 1 is (5,9) (6,2)");
	/* width 5 over [0, 15): column 1 [5,10) is empty -> a NaN at its middle 7.5;
	 * column 2 holds 3 and 3: one point, the first (x=12) */
	m = bess_plot_minmax(x2, y2, 4, 0, 15, 3, ox, oy);
	is_int(m, 4, "minmax: empty column and flat column");
	ok(ox[0] == 0 && oy[0] == 1 && ox[1] == 1 && oy[1] == 2, "minmax: column 0 is (0,1) (1,2)");
	ok(ox[2] == 7.5 && isnan(oy[2]), "minmax: empty column breaks the line at 7.5");
	ok(ox[3] == 12 && oy[3] == 3, "minmax: flat column is one point (12,3)");
}

/* Instants from RFC 3339 text. */
static bess_time_t
T(const char *s)
{
	struct bess_tparse tp;
	bess_time_t t = 0;

	memset(&tp, 0, sizeof(tp));
	bess_time_parse(s, strlen(s), &tp, &t, NULL, 0);
	return t;
}

static void
check_ticks(const struct bess_tz *tz, const char *a, const char *b, int maxt, int want_n,
    const char *const *want_t, const char *const *want_l, const char *what)
{
	bess_time_t pos[40];
	char lab[40][BESS_TICK_LABELSZ];
	int n = bess_plot_ticks(tz, T(a), T(b), maxt, pos, lab), i, good = n == want_n;

	is_int(n, want_n, "ticks %s: count", what);
	for (i = 0; good && i < n; i++) {
		if (pos[i] != T(want_t[i]) || strcmp(lab[i], want_l[i]) != 0) {
			char buf[BESS_TIME_BUFSZ];

			diag("tick %d: got %s '%s', want %s '%s'", i, bess_time_format(pos[i], buf), lab[i],
			    want_t[i], want_l[i]);
			good = 0;
		}
	}
	ok(good, "ticks %s: instants and labels", what);
}

static void
test_ticks(void)
{
	struct bess_err err;
	struct bess_tz *ber = bess_tz_load("Europe/Berlin", &err);

	/* one UTC day, at most 5 ticks: 24 h / 6 h = 4 intervals is the first step that fits */
	{
		static const char *const t[] = { "2023-03-01T00:00:00Z", "2023-03-01T06:00:00Z",
			"2023-03-01T12:00:00Z", "2023-03-01T18:00:00Z", "2023-03-02T00:00:00Z" };
		static const char *const l[] = { "01 Mar", "06:00", "12:00", "18:00", "02 Mar" };

		check_ticks(NULL, t[0], t[4], 5, 5, t, l, "UTC day");
	}
	ok(ber != NULL, "Europe/Berlin loads");
	if (ber == NULL)
		return;
	/* the spring day in Berlin has 23 h: local 00:00 is 23:00Z (+01), 06:00 is 04:00Z (+02) */
	{
		static const char *const t[] = { "2023-03-25T23:00:00Z", "2023-03-26T04:00:00Z",
			"2023-03-26T10:00:00Z", "2023-03-26T16:00:00Z", "2023-03-26T22:00:00Z" };
		static const char *const l[] = { "26 Mar", "06:00", "12:00", "18:00", "27 Mar" };

		check_ticks(ber, t[0], t[4], 5, 5, t, l, "Berlin spring day");
	}
	/* hourly across the gap: local 02:00 does not exist on 26 March and gets no tick */
	{
		static const char *const t[] = { "2023-03-25T23:00:00Z", "2023-03-26T00:00:00Z",
			"2023-03-26T01:00:00Z", "2023-03-26T02:00:00Z", "2023-03-26T03:00:00Z",
			"2023-03-26T04:00:00Z" };
		static const char *const l[] = { "26 Mar", "01:00", "03:00", "04:00", "05:00", "06:00" };

		check_ticks(ber, t[0], t[5], 8, 6, t, l, "Berlin spring gap");
	}
	/* autumn: local 02:00 happens twice (00:00Z at +02, 01:00Z at +01); the earlier gets the tick */
	{
		static const char *const t[] = { "2023-10-28T22:00:00Z", "2023-10-28T23:00:00Z",
			"2023-10-29T00:00:00Z", "2023-10-29T02:00:00Z", "2023-10-29T03:00:00Z" };
		static const char *const l[] = { "29 Oct", "01:00", "02:00", "03:00", "04:00" };

		check_ticks(ber, t[0], t[4], 8, 5, t, l, "Berlin autumn fold");
	}
	/* a year, at most 5 ticks: 365 d / 91.3 d < 4, so quarters */
	{
		static const char *const t[] = { "2023-01-01T00:00:00Z", "2023-04-01T00:00:00Z",
			"2023-07-01T00:00:00Z", "2023-10-01T00:00:00Z", "2024-01-01T00:00:00Z" };
		static const char *const l[] = { "Jan 2023", "Apr 2023", "Jul 2023", "Oct 2023", "Jan 2024" };

		check_ticks(NULL, t[0], t[4], 5, 5, t, l, "UTC year");
	}
	bess_tz_free(ber);
}

static void
test_formats(void)
{
	enum bess_plot_fmt f = BESS_PLOT_TEXT;

	ok(bess_plot_fmt_from_path("out/plan.PNG", &f) == 0 && f == BESS_PLOT_PNG, "plan.PNG is png");
	ok(bess_plot_fmt_from_path("a.htm", &f) == 0 && f == BESS_PLOT_HTML, "a.htm is html");
	ok(bess_plot_fmt_from_path("a.txt", &f) == 0 && f == BESS_PLOT_TEXT, "a.txt is text");
	ok(bess_plot_fmt_from_path("a.pdf", &f) == 0 && f == BESS_PLOT_PDF, "a.pdf is pdf");
	ok(bess_plot_fmt_from_path("plan", &f) < 0, "no extension: unknown");
	ok(bess_plot_fmt_from_path("d.png/plan", &f) < 0, "a dot in a folder name is no extension");
	ok(bess_plot_fmt_from_path("plan.gp", &f) < 0, ".gp is not a chart format");
	ok(bess_plot_panel_parse("soc") == BESS_PANEL_SOC && bess_plot_panel_parse("x") < 0, "panel names");
}

static void
test_html(void)
{
	static const char svg[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svgx/>"
	    "<svg width=\"1\"><text>a &lt; b</text></svg>\n";
	struct bess_err err;
	size_t n = 0;
	char *page = bess_plot_html(svg, sizeof(svg) - 1, "a<b&\"c", &n, &err);

	ok(page != NULL, "html: page built");
	if (page == NULL)
		return;
	ok(strncmp(page, "<!DOCTYPE html>\n", 16) == 0, "html: starts with the HTML doctype");
	ok(strstr(page, "<title>a&lt;b&amp;&quot;c</title>") != NULL, "html: title escaped");
	ok(strstr(page, "<body>\n<div id=\"chart\">\n<svg width=\"1\"><text>a &lt; b</text></svg>\n") != NULL,
	    "html: the svg element follows <body>, as gnuplot wrote it");
	ok(strstr(page, "<?xml") == NULL && strstr(page, "<svgx") == NULL, "html: prolog dropped");
	ok(n == strlen(page), "html: length");
	free(page);
	ok(bess_plot_html("<svgx>", 6, NULL, &n, &err) == NULL &&
	    strcmp(err.msg, "gnuplot wrote no <svg> element") == 0, "html: no svg is an error");
}

static char *
script_of(const char *csv, struct bess_plot_opts *o, struct bess_err *err)
{
	struct bess_table t;
	size_t n;
	char *s = NULL;

	if (load(&t, csv, err) == 0)
		s = bess_plot_script(&t, o, &n, err);
	bess_table_free(&t);
	return s;
}

static void
test_script(void)
{
	struct bess_plot_opts o;
	struct bess_err err;
	char *s;
	const char *cols[] = { "a'b", NULL };

	bess_plot_opts_init(&o);
	o.fmt = BESS_PLOT_TEXT;
	s = script_of("ts,price\n", &o, &err);
	ok(s == NULL && strcmp(err.msg, "no records to plot") == 0, "script: no records is an error");
	free(s);
	s = script_of("ts,foo\n2023-01-01T00:00:00Z,1\n", &o, &err);
	ok(s == NULL && strncmp(err.msg, "nothing to plot: no column price,", 33) == 0,
	    "script: no known column is an error");
	free(s);
	s = script_of("ts,price\n2023-01-01T01:00:00Z,1\n2023-01-01T00:00:00Z,2\n", &o, &err);
	ok(s == NULL && err.line == 3 && strncmp(err.msg, "time '2023-01-01T00:00:00Z' is not after", 40) == 0,
	    "script: time going back is an error at line 3");
	free(s);
	/*
	 * Three hourly prices from 2023-01-01T00:00Z (1672531200 s): each holds for one
	 * step (3600 s), so the step line has two points per record.
	 */
	s = script_of("ts,price\n2023-01-01T00:00:00Z,0.1\n2023-01-01T01:00:00Z,0.2\n"
	    "2023-01-01T02:00:00Z,0.3\n", &o, &err);
	ok(s != NULL, "script: three prices");
	ok(s && strstr(s, "$p0s0 << EOD\n1672531200 0.1\n1672534800 0.1\n1672534800 0.2\n"
	    "1672538400 0.2\n1672538400 0.3\n1672542000 0.3\nEOD\n") != NULL, "script: price as steps");
	ok(s && strstr(s, "set xrange [1672531200.000000:1672542000.000000]\n") != NULL,
	    "script: x range is first record to last + one step");
	ok(s && strstr(s, "set output") == NULL && strstr(s, "system") == NULL, "script: no output file, no system()");
	free(s);
	/* a missing value breaks the line; a gap of 2 steps too (rows at 0, 1 h, 2 h missing, 4 h) */
	s = script_of("ts,soc_kwh\n2023-01-01T00:00:00Z,1\n2023-01-01T01:00:00Z,2\n"
	    "2023-01-01T02:00:00Z,\n2023-01-01T04:00:00Z,4\n2023-01-01T05:00:00Z,5\n", &o, &err);
	/* the steps are 1, 1, 2, 1 h: median 1 h; the 2 h step after a missing value is a gap too */
	ok(s && strstr(s, "$p0s0 << EOD\n1672531200 1\n1672534800 2\n1672538400 NaN\n"
	    "1672545600 4\n1672549200 5\nEOD\n") != NULL, "script: SOC line with a break");
	free(s);
	/* a column with a quote, through --columns, and a title with one */
	o.columns = cols;
	o.title = "it's";
	s = script_of("ts,a'b\n2023-01-01T00:00:00Z,1\n", &o, &err);
	ok(s && strstr(s, " title 'a' . \"'\" . 'b'\n") != NULL, "script: column name quoted in the legend");
	ok(s && strstr(s, "set multiplot title 'it' . \"'\" . 's'\n") != NULL, "script: title quoted");
	free(s);
	/* SOC limits in % need a capacity on a kWh axis */
	bess_plot_opts_init(&o);
	o.soc_min = 10;
	o.soc_min_pct = 1;
	s = script_of("ts,soc_kwh\n2023-01-01T00:00:00Z,1\n", &o, &err);
	ok(s == NULL && strcmp(err.msg, "--soc-min in % needs --capacity to be drawn on the SOC axis in kWh") == 0,
	    "script: --soc-min 10%% without --capacity");
	free(s);
	/* with 200 kWh: 10% is 20 kWh */
	o.capacity_kwh = 200;
	s = script_of("ts,soc_kwh\n2023-01-01T00:00:00Z,1\n", &o, &err);
	ok(s && strstr(s, "20 with lines lw 1.2 dt 2 lc rgb '#7f7f7f' title 'min 20 kWh'") != NULL,
	    "script: 10%% of 200 kWh drawn at 20 kWh");
	ok(s && strstr(s, "200 with lines lw 1.2 dt 2 lc rgb '#000000' title 'capacity 200 kWh'") != NULL,
	    "script: capacity drawn");
	free(s);
	/* a panel asked for that has no data */
	bess_plot_opts_init(&o);
	o.panels[0] = BESS_PANEL_SOC;
	o.npanels = 1;
	s = script_of("ts,price\n2023-01-01T00:00:00Z,1\n", &o, &err);
	ok(s == NULL && strcmp(err.msg, "panel 'soc' has nothing to draw: it needs soc_kwh or soc_pct") == 0,
	    "script: empty panel named");
	free(s);
}

/*
 * Bounded memory: 10,000 records through a plot_data that keeps at most 64
 * rows. Every value is 0 except a spike of +7 at record 1234 and -5 at
 * 8765: after the rows are gathered into buckets (min and max per bucket),
 * the script still holds both extremes, the kept rows stay at most 64, and
 * keys that are not drawn (a thousand of them) are not kept at all.
 */
static void
test_bounded(void)
{
	struct bess_plot_opts o;
	struct bess_plot_data *d;
	struct bess_schema sch;
	struct bess_rec rec;
	struct bess_err err;
	char ts[32], val[32], name[32], *script;
	size_t len = 0, i, max_rows = 0;
	int bad = 0, k;

	bess_plot_opts_init(&o);
	o.rows_cap = 64;
	o.fmt = BESS_PLOT_TEXT;
	o.view = BESS_VIEW_TIME;
	d = bess_plot_data_new(&o, 0, &err);
	ok(d != NULL, "bounded: data made");
	if (d == NULL)
		return;
	bess_schema_init(&sch);
	bess_schema_add(&sch, "ts");
	bess_schema_add(&sch, "price");
	for (k = 0; k < 1000; k++) {
		snprintf(name, sizeof(name), "junk%d", k);
		bess_schema_add(&sch, name);
	}
	bess_rec_init(&rec);
	bess_rec_resize(&rec, sch.n);
	for (i = 0; i < 10000; i++) {
		double v = i == 1234 ? 7 : i == 8765 ? -5 : 0;

		snprintf(ts, sizeof(ts), "2023-01-%02dT%02d:%02d:00Z", (int)(1 + i / 1440), (int)(i / 60 % 24),
		    (int)(i % 60));
		snprintf(val, sizeof(val), "%g", v);
		bess_rec_set(&rec, 0, ts, BESS_K_STR);
		bess_rec_set(&rec, 1, val, BESS_K_NUM);
		bess_rec_set(&rec, 2 + i % 1000, "1", BESS_K_NUM);
		rec.line = (long)i + 2;
		if (bess_plot_data_add(d, &sch, &rec, "t", &err) != 0)
			bad++;
		bess_rec_set(&rec, 2 + i % 1000, "", BESS_K_NULL);
		if (bess_plot_data_count(d) > max_rows)
			max_rows = bess_plot_data_count(d);
	}
	ok(bad == 0, "bounded: 10000 records added");
	ok(max_rows <= 64, "bounded: at most 64 rows kept at any time (most: %zu)", max_rows);
	ok(bess_plot_data_read_total(d) == 10000, "bounded: 10000 records counted");
	script = bess_plot_render(d, &len, &err);
	ok(script != NULL, "bounded: script rendered");
	if (script) {
		/* the price block: the largest and smallest values in it */
		const char *p = strstr(script, "$p0s0 << EOD\n"), *e = p ? strstr(p, "\nEOD\n") : NULL;
		double lo = 1e9, hi = -1e9;

		/* (the text view of 7 days is a time chart: under 14 days) */
		if (p && e)
			for (p = strchr(p, '\n') + 1; p < e; p = strchr(p, '\n') + 1) {
				double t, y;

				if (sscanf(p, "%lf %lf", &t, &y) == 2 && !isnan(y)) {
					lo = fmin(lo, y);
					hi = fmax(hi, y);
				}
			}
		ok(hi == 7 && lo == -5, "bounded: the spikes +7 and -5 survive the buckets (got %g, %g)", hi, lo);
		ok(strstr(script, "of 10000 records, 2023-01-01T00:00:00Z to 2023-01-07T22:39:00Z\n") != NULL,
		    "bounded: the header counts every record");
		ok(strstr(script, "# more than 64 records: gathered first as each bucket's min and max") != NULL,
		    "bounded: the header says the records were gathered in buckets");
		free(script);
	}
	bess_rec_free(&rec);
	bess_schema_free(&sch);
	bess_plot_data_free(d);
}

int
main(void)
{
	test_quote();
	test_minmax();
	test_ticks();
	test_formats();
	test_html();
	test_script();
	test_bounded();
	return done();
}
