/* bess-plot: draw a record stream as a chart (PNG, SVG, PDF, HTML or text) through gnuplot. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bess_gnuplot.h"
#include "bess_opt.h"
#include "bess_plot.h"
#include "bess_plotlive.h"
#include "bess_plotrun.h"
#include "bess_qty.h"
#include "bess_table.h"
#include "bess_tariff.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_TITLE, O_PANELS, O_COLUMNS,
	O_VIEW, O_TZ, O_SIZE, O_SCRIPT, O_CAPACITY, O_SOCMIN, O_SOCMAX, O_CURRENCY, O_ALL,
	O_FOLLOW, O_EVERY, O_WINDOW, O_STALE, O_CLOCK, O_TARIFF, O_BYDEV
};

static const struct bess_optdef opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG | BESS_OPT_CLI, O_FORMAT },
	{ "title", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_TITLE },
	{ "panels", 0, BESS_OPT_ARG, O_PANELS },
	{ "panels", 'p', BESS_OPT_ARG | BESS_OPT_OLD, O_PANELS },	/* -p is --port elsewhere */
	{ "columns", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_COLUMNS },
	{ "view", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_VIEW },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "size", 0, BESS_OPT_ARG, O_SIZE },
	{ "script", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_SCRIPT },
	{ "capacity", 0, BESS_OPT_ARG, O_CAPACITY },
	{ "soc-min", 0, BESS_OPT_ARG, O_SOCMIN },
	{ "soc-max", 0, BESS_OPT_ARG, O_SOCMAX },
	{ "currency", 0, BESS_OPT_ARG, O_CURRENCY },
	{ "all-points", 0, BESS_OPT_FLAG, O_ALL },
	{ "follow", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_FOLLOW },
	{ "every", 0, BESS_OPT_ARG, O_EVERY },
	{ "window", 0, BESS_OPT_ARG, O_WINDOW },
	{ "stale", 0, BESS_OPT_ARG, O_STALE },
	{ "clock", 0, BESS_OPT_ARG, O_CLOCK },
	{ "tariff", 0, BESS_OPT_ARG, O_TARIFF },
	{ "by-device", 0, BESS_OPT_ARG, O_BYDEV },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_plot_opts po;	/* what the library needs */
	const char *output;		/* -o FILE, NULL = stdout */
	int have_fmt;			/* -f given */
	int script;			/* --script: write the gnuplot script instead of running it */
	char *tzname;			/* --tz */
	struct bess_tz *tz;
	char *currency;			/* --currency */
	char **columns;			/* --columns, NULL-terminated */
	size_t ncolumns;
	int follow;			/* --follow */
	double every_s;			/* --every: at most one redraw this often */
	double window_s;		/* --window */
	double stale_s;			/* --stale: 0 = off, < 0 = three steps of the stream */
	int data_clock;			/* --clock data: now is the newest record's time */
	char *tariff_path;		/* --tariff */
	struct bess_tariff *tariff;
};

static void
usage(void)
{
	printf("usage: bess-plot [options] [file ...]\n"
	    "Draw a bess record stream as a chart through gnuplot: price, battery power\n"
	    "(charge up, discharge down), SOC and site power in stacked panels over time.\n"
	    "\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically; its extension gives the format\n"
	    "  -f, --format FMT       png, svg, pdf, html (interactive SVG in a page) or text\n"
	    "                         (default: from -o, else text on standard output)\n"
	    "      --size WxH         pixels (characters for text); default fits the panels\n"
	    "      --script           write the gnuplot script (data inline) instead of running\n"
	    "                         it; its chart format is -f (default png)\n"
	    "Chart:\n"
	    "      --view VIEW        time (default): panels over time; daily: one mean (and\n"
	    "                         min-max band) per local day; price: battery power against\n"
	    "                         price, and an hour-of-day profile\n"
	    "      --panels LIST      panels, in order: price, battery, soc, site, other\n"
	    "                         (default: every panel with data)\n"
	    "      --columns LIST     draw only these columns; columns no panel knows go to\n"
	    "                         the 'other' panel\n"
	    "      --title TEXT       chart title\n"
	    "      --tz ZONE          time axis, days and hours in IANA ZONE (default UTC)\n"
	    "      --currency CUR     price axis label CUR/kWh (default 'per kWh')\n"
	    "      --capacity QTY     battery capacity (e.g. 500kWh), drawn on the SOC panel\n"
	    "      --soc-min QTY      lower SOC limit, kWh or %% of capacity (e.g. 10%%)\n"
	    "      --soc-max QTY      upper SOC limit\n"
	    "      --all-points       draw every point (default: min/max per pixel column\n"
	    "                         when there are more records than columns)\n"
	    "      --tariff FILE      time-of-use periods as shaded bands with their rates\n"
	    "      --by-device WHEN   per-device records (ts, device, kind, power_kw, soc_kwh)\n"
	    "                         as a power and a SOC series per device: auto (default:\n"
	    "                         when the input has a device and a power_kw column), on\n"
	    "                         or off\n"
	    "Live (--follow):\n"
	    "      --follow           read a live stream (one input) and redraw as records\n"
	    "                         arrive: -o FILE is rewritten atomically (an HTML page\n"
	    "                         refreshes itself in place), else the terminal is redrawn\n"
	    "      --every DUR        at most one redraw this often (default 5s)\n"
	    "      --window DUR       the time axis shows the newest DUR of data (default 24h)\n"
	    "      --stale DUR|off    say the stream is stale when no record came for DUR\n"
	    "                         (default: three of its steps, at least 1m)\n"
	    "      --clock wall|data  now is the wall clock (default) or the newest record's\n"
	    "                         time (a replay)\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n"
	    "\n"
	    "Needs gnuplot (Debian: gnuplot-nox) unless --script is given.\n"
	    "Exit status: 0 success, 1 bad data, gnuplot missing or failing, 2 usage error;\n"
	    "with --follow, 0 when the stream ends (gnuplot failing keeps the last chart).\n"
	    "See bess-plot(1) and bess(7).\n");
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	int k;

	(void)src;
	switch (id) {
	case O_FORMAT:
		if (bess_plot_fmt_parse(arg, &c->po.fmt) != 0)
			return bess_err_set(err, NULL, 0, "'%s' is not png, svg, pdf, html or text", arg);
		c->have_fmt = 1;
		return 0;
	case O_TITLE:
		c->po.title = arg;
		return 0;
	case O_PANELS:
		return bess_plot_panels_parse(arg, &c->po, err);
	case O_COLUMNS:
		return bess_opt_list_add(&c->columns, &c->ncolumns, arg, err);
	case O_VIEW:
		if (bess_opt_pick(arg, (const char *const[]){ "time", "daily", "price", NULL }, &k, err) != 0)
			return -1;
		c->po.view = k == 0 ? BESS_VIEW_TIME : k == 1 ? BESS_VIEW_DAILY : BESS_VIEW_PRICE;
		return 0;
	case O_TZ:
		return bess_opt_str(&c->tzname, arg, err);
	case O_SIZE:
		return bess_plot_size_parse(arg, &c->po, err);
	case O_SCRIPT:
		c->script = 1;
		return 0;
	case O_CAPACITY:
		return bess_plot_capacity_parse(arg, &c->po, err);
	case O_SOCMIN:
		return bess_plot_limit_parse(arg, &c->po.soc_min, &c->po.soc_min_pct, err);
	case O_SOCMAX:
		return bess_plot_limit_parse(arg, &c->po.soc_max, &c->po.soc_max_pct, err);
	case O_CURRENCY:
		if (bess_opt_str(&c->currency, arg, err) != 0)
			return -1;
		c->po.currency = c->currency;
		return 0;
	case O_ALL:
		c->po.no_decimate = 1;
		return 0;
	case O_FOLLOW:
		c->follow = 1;
		return 0;
	case O_EVERY:
		return bess_plot_dur_parse(arg, 1, &c->every_s, err);
	case O_WINDOW:
		return bess_plot_dur_parse(arg, 0, &c->window_s, err);
	case O_STALE:
		if (strcmp(arg, "off") == 0) {
			c->stale_s = 0;
			return 0;
		}
		return bess_plot_dur_parse(arg, 0, &c->stale_s, err);
	case O_CLOCK:
		if (bess_opt_pick(arg, (const char *const[]){ "wall", "data", NULL }, &k, err) != 0)
			return -1;
		c->data_clock = k == 1;
		return 0;
	case O_TARIFF:
		return bess_opt_str(&c->tariff_path, arg, err);
	case O_BYDEV:
		if (bess_opt_pick(arg, (const char *const[]){ "auto", "on", "off", NULL }, &k, err) != 0)
			return -1;
		c->po.by_device = k == 0 ? 0 : k == 1 ? 1 : -1;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* gnuplot's messages, one "bess-plot: gnuplot: " line each. */
static void
gnuplot_line(void *ctx, const char *line, size_t n)
{
	(void)ctx;
	fprintf(stderr, "%s: gnuplot: %.*s\n", cli_prog, (int)n, line);
}

static int
write_out(const char *path, const char *data, size_t n)
{
	FILE *out = cli_out_open(path);

	if (out == NULL)
		return -1;
	if (fwrite(data, 1, n, out) != n && out != stdout) {
		cli_errorf("%s: %s", path, strerror(errno));
		cli_out_abort();
		return -1;
	}
	return cli_out_commit();
}

static void
conf_free(struct conf *c)
{
	free(c->tzname);
	free(c->currency);
	free(c->tariff_path);
	bess_tariff_free(c->tariff);
	bess_opt_list_free(c->columns, c->ncolumns);
	bess_tz_free(c->tz);
}

/* Gather one input's records (a bess record stream: its first line is the header). */
static int
into_data(struct bess_reader *r, const char *name, void *ctx)
{
	struct bess_err err;

	(void)name;
	if (bess_plot_data_read(ctx, r, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* ---- --follow: lib/plotlive.c runs the loop, these hooks show what it reports ---- */

struct show {
	const struct conf *c;
	const char *title;		/* an HTML page's title */
	int tty;			/* text drawn in place on a terminal */
};

static volatile sig_atomic_t stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
}

/* The output of one redraw: -o FILE rewritten atomically, or the terminal. */
static int
live_write(const struct show *sh, const char *chart, size_t n, const char *status, int stale,
    double now_s)
{
	const struct conf *c = sh->c;
	struct bess_plot_pageopts po;
	struct bess_buf f = { 0 };
	struct bess_err err;
	int rc;

	if (c->output == NULL || strcmp(c->output, "-") == 0) {
		if (c->po.fmt == BESS_PLOT_TEXT) {
			bess_plot_frame(stdout, status, stale, chart, n, sh->tty);
			return 0;
		}
		if (c->po.fmt != BESS_PLOT_HTML) {
			/* png, svg, pdf in a pipe: one chart after another */
			if (fwrite(chart, 1, n, stdout) != n || fflush(stdout) != 0)
				return -1;
			return 0;
		}
	}
	memset(&po, 0, sizeof(po));
	po.title = sh->title;
	po.status = status;
	po.stale = stale;
	po.refresh_s = c->every_s;
	po.written = now_s;
	if (bess_plot_live_file(c->po.fmt, chart, n, &po, &f, &err) != 0) {
		cli_error(&err);
		rc = -1;
	} else
		rc = write_out(c->output, f.p, f.n);
	bess_buf_free(&f);
	return rc;
}

static int
live_show(void *ctx, const char *chart, size_t n, const char *status, int stale, double now_s)
{
	struct show *sh = ctx;

	if (chart == NULL) {
		if (sh->tty)
			bess_plot_frame(stdout, status, stale, "", 0, 1);
		return 0;
	}
	if (live_write(sh, chart, n, status, stale, now_s) != 0 && sh->c->output == NULL)
		return -1;	/* the terminal or pipe went away */
	return 0;
}

static int
run_follow(struct conf *c, const char *gnuplot, int argc, char **argv, int first)
{
	struct bess_plotlive lv;
	struct show sh;
	struct bess_err err;
	const char *name;
	FILE *in;
	struct sigaction sa;
	int rc;

	if (argc - first > 1)
		cli_usage("--follow reads one input (a file, a FIFO, or stdin)");
	if (c->po.view != BESS_VIEW_TIME)
		cli_usage("--follow draws the time view");
	if ((in = cli_open_in(argc > first ? argv[first] : "-", &name)) == NULL)
		return EXIT_DATA;
	memset(&lv, 0, sizeof(lv));
	lv.po = &c->po;
	lv.gnuplot = gnuplot;
	lv.every_s = c->every_s;
	lv.window_s = c->window_s;
	lv.stale_s = c->stale_s;
	lv.data_clock = c->data_clock;
	lv.stop = &stop_sig;
	lv.ctx = &sh;
	lv.error = cli_error_hook;
	lv.warn = cli_warn_msg;
	lv.gnuplot_line = gnuplot_line;
	lv.show = live_show;
	if (bess_plotlive_open(&lv, in, name, &err) != 0) {
		cli_error(&err);
		cli_close_in(in);
		return EXIT_DATA;
	}
	sh.c = c;
	sh.title = c->po.title ? c->po.title : "bess-plot";
	sh.tty = (c->output == NULL || strcmp(c->output, "-") == 0) && c->po.fmt == BESS_PLOT_TEXT &&
	    isatty(STDOUT_FILENO);
	if (sh.tty) {	/* the alternate screen, cursor hidden */
		fputs("\033[?1049h\033[?25l\033[H\033[2J", stdout);
		fflush(stdout);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = bess_plotlive_run(&lv, &err);
	if (sh.tty) {
		fputs("\033[?25h\033[?1049l", stdout);
		if (lv.chart && !lv.stopped)	/* the final chart stays on the screen */
			bess_plot_frame(stdout, lv.status, 0, lv.chart, lv.chart_len, 0);
		fflush(stdout);
	}
	if (err.msg[0])
		cli_error(&err);
	if (!lv.stopped)
		cli_close_in(in);
	free(lv.chart);
	return rc == 0 ? 0 : EXIT_DATA;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	struct bess_plot_data *d = NULL;
	struct bess_reader_opts ro;
	struct bess_buf chart = { 0 };
	struct bess_plotrun_hooks hooks = { NULL, cli_error_hook, gnuplot_line };
	char *gnuplot = NULL;
	int first, status = 0;

	cli_init("bess-plot");
	memset(&c, 0, sizeof(c));
	bess_plot_opts_init(&c.po);
	c.every_s = 5;
	c.window_s = 86400;
	c.stale_s = -1;
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0)
		cli_usage_err(&err);
	c.tz = cli_tz_load(c.tzname);
	c.po.tz = c.tz;
	c.po.columns = (const char *const *)c.columns;
	if (c.follow && c.script)
		cli_usage("--follow draws charts: --script writes one script");
	if (!c.have_fmt && bess_plot_fmt_default(c.output, c.script, &c.po.fmt) != 0)
		cli_usage("cannot tell the chart format from '%s': name it with -f "
		    "png, svg, pdf, html or text", c.output);
	if (!c.script && (c.po.fmt == BESS_PLOT_PNG || c.po.fmt == BESS_PLOT_PDF) &&
	    (c.output == NULL || strcmp(c.output, "-") == 0) && isatty(STDOUT_FILENO))
		cli_usage("not writing a %s chart to a terminal: use -o FILE or a pipe",
		    bess_plot_fmt_name(c.po.fmt));
	if (c.follow && c.po.fmt == BESS_PLOT_HTML && (c.output == NULL || strcmp(c.output, "-") == 0))
		cli_usage("--follow -f html needs -o FILE (the page refreshes itself from the file)");
	if (c.tariff_path) {
		if ((c.tariff = bess_tariff_load(c.tariff_path, &err)) == NULL) {
			cli_error(&err);
			conf_free(&c);
			return cli_finish(EXIT_DATA);
		}
		c.po.tariff = c.tariff;
	}
	if (!c.script && (gnuplot = bess_gnuplot_find()) == NULL) {
		cli_errorf("gnuplot not found on PATH: install it (Debian: apt-get install gnuplot-nox), "
		    "or write the script with --script");
		conf_free(&c);
		return cli_finish(EXIT_DATA);
	}
	if (c.po.title == NULL && (c.follow || c.po.fmt == BESS_PLOT_HTML)) {
		/* a page is titled like its chart: the input's name, as the tab and above the panels */
		static char deftitle[300];

		c.po.title = bess_plot_deftitle(deftitle, sizeof(deftitle),
		    argc > first && strcmp(argv[first], "-") != 0 ? argv[first] : NULL, c.follow,
		    argc - first > 1);
	}
	if (c.follow) {
		if (c.po.fmt == BESS_PLOT_TEXT && c.po.width == 0 && isatty(STDOUT_FILENO) &&
		    (c.output == NULL || strcmp(c.output, "-") == 0)) {
			struct winsize ws;

			if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20 && ws.ws_row >= 12) {
				c.po.width = ws.ws_col;
				c.po.height = ws.ws_row - 2;	/* the status strip, and the cursor's line */
			}
		}
		status = run_follow(&c, gnuplot, argc, argv, first);
		goto done;
	}
	if ((d = bess_plot_data_new(&c.po, 0, &err)) == NULL) {
		cli_error(&err);
		status = EXIT_DATA;
		goto done;
	}
	/* a bess record stream: the header is its first line (no preamble guessed) */
	memset(&ro, 0, sizeof(ro));
	if (cli_each_input(&ro, argc, argv, first, into_data, d) != 0) {
		status = EXIT_DATA;
		goto done;
	}
	if (bess_plot_output(&c.po, c.script ? NULL : gnuplot, d, &chart, &hooks) != 0 ||
	    write_out(c.output, chart.p, chart.n) != 0)
		status = EXIT_DATA;
done:
	bess_buf_free(&chart);
	free(gnuplot);
	bess_plot_data_free(d);
	conf_free(&c);
	return cli_finish(status);
}
