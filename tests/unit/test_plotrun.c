/* test_plotrun.c: bess-plot's option values, default format and title, the chart drawn through a stand-in gnuplot and shaped for its output, a live redraw's file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bess_plotrun.h"
#include "check.h"

static char dir[64], gp[128];

/* A stand-in gnuplot whose body is the shell script body. */
static void
fake(const char *body)
{
	FILE *f = fopen(gp, "w");

	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(gp, 0755);
}

/* What the hooks were told, in order: "E(msg)" for an error, "[line]" for a gnuplot line. */
static struct bess_buf said;

static void
on_error(void *ctx, const struct bess_err *err)
{
	(void)ctx;
	bess_buf_add(&said, "E(", 2);
	bess_buf_add(&said, err->msg, strlen(err->msg));
	bess_buf_add(&said, ")", 1);
}

static void
on_line(void *ctx, const char *line, size_t n)
{
	(void)ctx;
	bess_buf_add(&said, "[", 1);
	bess_buf_add(&said, line, n);
	bess_buf_add(&said, "]", 1);
}

/* Two hours of prices, read as bess-plot reads its input. */
static struct bess_plot_data *
two_hours(const struct bess_plot_opts *o)
{
	static const char csv[] = "ts,price\n2026-01-05T00:00:00Z,0.1\n2026-01-05T01:00:00Z,0.2\n";
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	struct bess_plot_data *d = bess_plot_data_new(o, 0, NULL);
	struct bess_reader *r = bess_reader_open(fp, "t.csv", NULL, NULL);
	struct bess_err err;

	if (d == NULL || r == NULL || bess_plot_data_read(d, r, &err) != 0)
		abort();
	bess_reader_close(r);
	fclose(fp);
	return d;
}

static void
test_values(void)
{
	struct bess_plot_opts o;
	struct bess_err err;
	enum bess_plot_fmt f;
	double v = -1, s = -1;
	int pct = -1;
	char buf[64];

	bess_plot_opts_init(&o);
	check(bess_plot_capacity_parse("1.2MWh", &o, &err) == 0 && o.capacity_kwh == 1200,
	    "capacity: 1.2MWh is 1200 kWh");
	check(bess_plot_capacity_parse("0kWh", &o, &err) == -1, "capacity: 0 is refused");
	same(err.msg, "capacity must be positive", "capacity: ... saying why");
	check(bess_plot_limit_parse("10%", &v, &pct, &err) == 0 && v == 10 && pct == 1,
	    "limit: 10% is 10 percent");
	check(bess_plot_limit_parse("190kWh", &v, &pct, &err) == 0 && v == 190 && pct == 0,
	    "limit: 190kWh is 190 kWh");
	check(bess_plot_limit_parse("101%", &v, &pct, &err) == -1, "limit: 101% is out of range");
	same(err.msg, "'101%' is out of range", "limit: ... naming it");
	check(bess_plot_dur_parse("5m", 0, &s, &err) == 0 && s == 300, "dur: 5m is 300 s");
	check(bess_plot_dur_parse("50ms", 1, &s, &err) == -1, "dur: --every 50ms is too often");
	same(err.msg, "'50ms' is too often: at least 100ms", "dur: ... saying the floor");
	check(bess_plot_dur_parse("50ms", 0, &s, &err) == 0 && fabs(s - 0.05) < 1e-12,
	    "dur: 50ms is 0.05 s for --window");

	check(bess_plot_fmt_default(NULL, 0, &f) == 0 && f == BESS_PLOT_TEXT, "fmt: stdout is text");
	check(bess_plot_fmt_default("-", 0, &f) == 0 && f == BESS_PLOT_TEXT, "fmt: - is text");
	check(bess_plot_fmt_default("a.svg", 1, &f) == 0 && f == BESS_PLOT_PNG, "fmt: a script is png");
	check(bess_plot_fmt_default("a.svg", 0, &f) == 0 && f == BESS_PLOT_SVG, "fmt: a.svg is svg");
	check(bess_plot_fmt_default("a.dat", 0, &f) == -1, "fmt: a.dat names none");

	same(bess_plot_deftitle(buf, sizeof(buf), "/var/log/site.csv", 1, 0), "site.csv (live)",
	    "title: the base name, live");
	same(bess_plot_deftitle(buf, sizeof(buf), "a.csv", 0, 1), "a.csv and more", "title: more inputs");
	same(bess_plot_deftitle(buf, sizeof(buf), NULL, 0, 0), "bess", "title: stdin is bess");
	same(bess_plot_deftitle(buf, sizeof(buf), "dir/", 0, 0), "bess", "title: no base name is bess");
}

static void
test_draw(void)
{
	struct bess_plotrun_hooks h = { NULL, on_error, on_line };
	struct bess_plot_opts o;
	struct bess_plot_data *d;
	struct bess_buf out = { 0 };

	bess_plot_opts_init(&o);
	o.fmt = BESS_PLOT_TEXT;
	d = two_hours(&o);

	/* the text chart: the dumb terminal's leading form feed dropped, its messages passed on */
	fake("cat >/dev/null; printf '\\fchart\\n'; echo 'warning: x' >&2");
	check(bess_plot_output(&o, gp, d, &out, &h) == 0, "output: text drawn");
	same(out.p, "chart\n", "output: the form feed dropped");
	same(said.p, "[warning: x]", "output: gnuplot's message passed on");
	bess_buf_free(&said);
	bess_buf_free(&out);

	/* failing: the failure said first, then the messages that explain it */
	fake("cat >/dev/null; echo 'line 3: bad' >&2; exit 1");
	check(bess_plot_output(&o, gp, d, &out, &h) == -1, "output: gnuplot failing fails");
	same(said.p, "E(gnuplot failed (exit status 1):)[line 3: bad]", "output: failure, then its message");
	bess_buf_free(&said);

	/* exit 0 with nothing written: its messages, then "no chart" */
	fake("cat >/dev/null; echo 'hm' >&2");
	check(bess_plot_output(&o, gp, d, &out, &h) == -1, "output: no chart fails");
	same(said.p, "[hm]E(gnuplot wrote no chart)", "output: the message, then no chart");
	bess_buf_free(&said);

	/* html: the SVG inside a page titled as asked */
	o.fmt = BESS_PLOT_HTML;
	o.title = "T<1>";
	fake("cat >/dev/null; printf '<svg></svg>'");
	check(bess_plot_output(&o, gp, d, &out, &h) == 0, "output: html drawn");
	check(out.p && strstr(out.p, "<title>T&lt;1&gt;</title>") && strstr(out.p, "<svg></svg>"),
	    "output: a page with the escaped title around the SVG");
	bess_buf_free(&out);

	/* no gnuplot: the script, data inline */
	check(bess_plot_output(&o, NULL, d, &out, &h) == 0 && out.p && strstr(out.p, "0.2") != NULL,
	    "output: the script holds the data");
	bess_buf_free(&out);
	check(said.n == 0, "output: nothing said when all went well");
	bess_plot_data_free(d);
}

static void
test_live_file(void)
{
	struct bess_plot_pageopts po;
	struct bess_buf out = { 0 };
	struct bess_err err;

	memset(&po, 0, sizeof(po));
	po.status = "live: 2 records";
	check(bess_plot_live_file(BESS_PLOT_TEXT, "\fchart\n", 7, &po, &out, &err) == 0, "live: text");
	same(out.p, "live: 2 records\nchart\n", "live: the status line above the chart, no form feed");
	check(bess_plot_live_file(BESS_PLOT_SVG, "<svg/>", 6, &po, &out, &err) == 0, "live: svg");
	same(out.p, "<svg/>", "live: an SVG as it is");
	po.refresh_s = 5;
	check(bess_plot_live_file(BESS_PLOT_HTML, "<svg></svg>", 11, &po, &out, &err) == 0 &&
	    strstr(out.p, "live: 2 records") && strstr(out.p, "</svg>"), "live: a page with the strip");
	check(bess_plot_live_file(BESS_PLOT_HTML, "<svg/>", 6, &po, &out, &err) == -1,
	    "live: a chart with no <svg> element is no page");
	same(err.msg, "gnuplot wrote no <svg> element", "live: ... saying so");
	bess_buf_free(&out);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "%s/bess-pr.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(gp, sizeof(gp), "%s/gnuplot", dir);
	test_values();
	test_draw();
	test_live_file();
	unlink(gp);
	rmdir(dir);
	return done_testing();
}
