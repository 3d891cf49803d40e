/* bess_plotrun.h: what bess-plot makes of its options and writes — the values of its chart options, the format and a page's title, the chart drawn once through gnuplot and shaped for its output, and a live redraw's file. */
#ifndef BESS_PLOTRUN_H
#define BESS_PLOTRUN_H

#include <stddef.h>

#include "bess_err.h"
#include "bess_gnuplot.h"
#include "bess_plot.h"

/* --capacity QTY: an energy above 0 into o->capacity_kwh. 0, or -1 with err. */
int bess_plot_capacity_parse(const char *arg, struct bess_plot_opts *o, struct bess_err *err);
/*
 * --soc-min, --soc-max: an energy (kWh) of 0 or more, or a percentage from 0 to
 * 100 (*pct set to 1). 0, or -1 with err.
 */
int bess_plot_limit_parse(const char *arg, double *v, int *pct, struct bess_err *err);
/* --every (every: at least 100 ms), --window, --stale: a duration into *s, seconds. 0, or -1 with err. */
int bess_plot_dur_parse(const char *arg, int every, double *s, struct bess_err *err);

/*
 * The chart format when -f is not given: png for a script, else the one
 * output's extension implies (output NULL or "-": text). 0, or -1 when the
 * extension names no format.
 */
int bess_plot_fmt_default(const char *output, int script, enum bess_plot_fmt *fmt);
/*
 * A page's title when none was given: the input's base name (input NULL:
 * "bess"), with " (live)" when following, else " and more" when more inputs
 * follow. Written into buf (len bytes); returns buf.
 */
const char *bess_plot_deftitle(char *buf, size_t len, const char *input, int follow, int more);

/* How the drawing reports: the library prints nothing. */
struct bess_plotrun_hooks {
	void *ctx;		/* handed to both hooks */
	/* a failure (the render, gnuplot not run or failing, no chart, the page), before gnuplot's messages */
	void (*error)(void *ctx, const struct bess_err *err);
	/* one line of gnuplot's messages (n bytes, not NUL-terminated) */
	void (*gnuplot_line)(void *ctx, const char *line, size_t n);
};

/*
 * Draw what d holds through gnuplot (a path): out holds the chart as gnuplot
 * wrote it. gnuplot's messages go to the line hook, after the failure they
 * explain. 0, or -1 after the error hook.
 */
int bess_plot_draw(const char *gnuplot, const struct bess_plot_data *d, struct bess_buf *out,
    const struct bess_plotrun_hooks *h);

/*
 * The bytes bess-plot writes for the chart of d: with gnuplot NULL, the
 * script (data inline); else the chart drawn, as an HTML page titled
 * o->title (fmt html), without the dumb terminal's leading form feed (text)
 * or as gnuplot wrote it. 0 with out filled, or -1 after the error hook.
 */
int bess_plot_output(const struct bess_plot_opts *o, const char *gnuplot,
    const struct bess_plot_data *d, struct bess_buf *out, const struct bess_plotrun_hooks *h);

/*
 * The file a live redraw (--follow -o FILE) rewrites: for fmt html, the
 * page of po around the chart (n bytes); for text, the status line and the
 * chart below it (its form feed dropped); else the chart. 0 with out
 * filled, or -1 with err.
 */
int bess_plot_live_file(enum bess_plot_fmt fmt, const char *chart, size_t n,
    const struct bess_plot_pageopts *po, struct bess_buf *out, struct bess_err *err);

#endif
