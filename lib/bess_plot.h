/* bess_plot.h: turn a record table into a gnuplot script (panels, decimation, daily and price views), with every string escaped. */
#ifndef BESS_PLOT_H
#define BESS_PLOT_H

#include <stddef.h>

#include "bess_err.h"
#include "bess_rec.h"
#include "bess_table.h"
#include "bess_tariff.h"
#include "bess_time.h"

/* Output formats; each maps to one gnuplot terminal. */
enum bess_plot_fmt {
	BESS_PLOT_PNG = 0,	/* pngcairo */
	BESS_PLOT_SVG,		/* svg */
	BESS_PLOT_PDF,		/* pdfcairo */
	BESS_PLOT_HTML,		/* svg with mouse support, standalone; wrapped by bess_plot_html */
	BESS_PLOT_TEXT		/* dumb (characters) */
};

/* What the chart shows. */
enum bess_plot_view {
	BESS_VIEW_TIME = 0,	/* stacked panels over one time axis */
	BESS_VIEW_DAILY,	/* the same panels, one value per local day: mean line, min-max band */
	BESS_VIEW_PRICE		/* battery power against price, and an hour-of-day profile */
};

/* Panels of the time and daily views. */
enum bess_panel {
	BESS_PANEL_PRICE = 0,	/* price, export_price */
	BESS_PANEL_BATTERY,	/* battery_kw or charge_kw/discharge_kw, as bars */
	BESS_PANEL_SOC,		/* soc_kwh (or soc_pct), with limits */
	BESS_PANEL_SITE,	/* load_kw, solar_kw, grid_import_kw, grid_export_kw */
	BESS_PANEL_OTHER,	/* columns named with --columns that no panel above takes */
	BESS_PANEL_N
};

/* Chart options; bess_plot_opts_init sets the defaults. */
struct bess_plot_opts {
	enum bess_plot_fmt fmt;		/* gnuplot terminal */
	enum bess_plot_view view;	/* which chart */
	const char *title;		/* chart title, NULL = none */
	int panels[BESS_PANEL_N];	/* panels in drawing order (enum bess_panel) */
	int npanels;			/* 0 = every panel that has data, in enum order */
	const char *const *columns;	/* NULL-terminated: draw only these columns; NULL = all known ones */
	const struct bess_tz *tz;	/* zone of the time axis and of days/hours, NULL = UTC */
	int width, height;		/* pixels (characters for text), 0 = default for the panel count */
	double capacity_kwh;		/* battery capacity, NAN = unknown */
	double soc_min, soc_max;	/* SOC limits, NAN = none; kWh, or percent when soc_*_pct */
	int soc_min_pct, soc_max_pct;	/* 1 when the limit above is in percent of capacity */
	const char *currency;		/* price unit label "EUR" -> "EUR/kWh"; NULL = "per kWh" */
	int no_decimate;		/* 1: every point as it is (for comparisons), never min/max per column */
	size_t rows_cap;		/* rows kept before gathering them in buckets; 0 = 1048576 */
	const struct bess_tariff *tariff;	/* TOU periods drawn as labelled bands, NULL = none */
	const char *status;		/* a status strip above the panels (not in text), NULL = none */
	int stale;			/* the strip in red */
	int by_device;			/* per-device records (one per device and time: device, kind,
					 * power_kw, soc_kwh) drawn as a series per device: 0 = when the
					 * input has a device and a power_kw column, 1 = always, -1 = never */
};

void bess_plot_opts_init(struct bess_plot_opts *o);

/* The panel a name ("price", "battery", "soc", "site", "other") means (-1 if unknown). */
int bess_plot_panel_parse(const char *name);
/*
 * --panels: a comma-separated list of panel names, in drawing order, into
 * o->panels and o->npanels. 0, or -1 with err (an unknown panel, one named
 * twice, none).
 */
int bess_plot_panels_parse(const char *list, struct bess_plot_opts *o, struct bess_err *err);
/* --size WIDTHxHEIGHT (20x10 to 20000x20000) into o->width, o->height. 0, or -1 with err. */
int bess_plot_size_parse(const char *arg, struct bess_plot_opts *o, struct bess_err *err);
/* Format name ("png", "svg", "pdf", "html", "text"); parse also takes "txt" and "dumb"; -1 if unknown. */
const char *bess_plot_fmt_name(enum bess_plot_fmt f);
int bess_plot_fmt_parse(const char *name, enum bess_plot_fmt *f);
/* The format a file name's extension implies (.png .svg .pdf .html .htm .txt); -1 if none. */
int bess_plot_fmt_from_path(const char *path, enum bess_plot_fmt *f);

/*
 * Records gathered for a chart in bounded memory: only the columns a chart
 * draws are kept (as numbers), other keys are passed over, so a stream's
 * width costs nothing; past o->rows_cap rows they are gathered into buckets
 * (each bucket's minimum and maximum per column), so the length costs a
 * fixed amount too. Daily sums and the price view's hour profile are kept
 * per day and hour as records come; its scatter keeps every k-th record.
 * window_s > 0 keeps only the records within window_s of the newest (a live
 * stream's sliding window); the time axis then spans the window.
 * The options are copied; the strings and tables they point to must outlive d.
 */
struct bess_plot_data;
struct bess_plot_data *bess_plot_data_new(const struct bess_plot_opts *o, double window_s,
    struct bess_err *err);
void bess_plot_data_free(struct bess_plot_data *d);
/*
 * Per-device records (bess-optimize --per-device: ts, device, kind, command,
 * power_kw, soc_kwh, ...; o->by_device) are gathered by time: the records of
 * one time, one per device, make one row, and each device's power_kw and
 * soc_kwh become its own series — "ID power_kw" in the battery panel for a
 * device of kind "battery" (in the site panel for any other kind: the power
 * a load draws) and "ID soc_kwh" in the SOC panel. At most
 * BESS_PLOT_MAX_DEVICES devices. Other columns are the site's, as usual.
 */
#define BESS_PLOT_MAX_DEVICES 16
/*
 * Add one record (fields over schema s) read from file. 0; -1 on bad data
 * (err names file:line: a time that is not RFC 3339, a drawn column that is
 * not a number); 1 when skipped with err saying why (with a window: a time
 * not after the newest record's, which is an error without one).
 */
int bess_plot_data_add(struct bess_plot_data *d, const struct bess_schema *s,
    const struct bess_rec *rec, const char *file, struct bess_err *err);
/* Add every record of r; 0 or -1 (err filled). */
int bess_plot_data_read(struct bess_plot_data *d, struct bess_reader *r, struct bess_err *err);
/* Rows kept now (at most about rows_cap), and records read in all. */
size_t bess_plot_data_count(const struct bess_plot_data *d);
size_t bess_plot_data_read_total(const struct bess_plot_data *d);
/* The gnuplot script of what d holds, as bess_plot_script. */
char *bess_plot_render(const struct bess_plot_data *d, size_t *len, struct bess_err *err);

/*
 * What a live view's status strip says, as of now (seconds since 1970):
 * the last SOC, the last command (battery_kw or the set-points, and its
 * status), the price now (the newest price at or before now), how old the
 * newest record is, and, when it is older than stale_s (> 0), that the
 * stream is stale. Fills text (printable ASCII, from numbers and the
 * status word only) and returns 1 when stale, else 0.
 */
#define BESS_STATUS_SZ 320
int bess_plot_status(const struct bess_plot_data *d, double now, double stale_s,
    const char *currency, char text[BESS_STATUS_SZ]);
/* The newest record's time (seconds), NAN before the first. */
double bess_plot_data_last(const struct bess_plot_data *d);
/* The stream's typical step: the median of its last 64 gaps, seconds (NAN with fewer than 2 rows). */
double bess_plot_data_step(const struct bess_plot_data *d);
/* The status strip the next bess_plot_render draws (text not copied), NULL = none. */
void bess_plot_data_status(struct bess_plot_data *d, const char *status, int stale);

/*
 * Build the gnuplot script for table t: data inline as datablocks of
 * numbers, every text (titles, labels, column names) single-quoted with
 * bess_plot_quote, no 'set output' (the image goes to gnuplot's standard
 * output). Returns a malloc'd NUL-terminated script and *len, or NULL with
 * err filled (no data, missing columns, times not increasing, bad numbers).
 */
char *bess_plot_script(const struct bess_table *t, const struct bess_plot_opts *o,
    size_t *len, struct bess_err *err);

/*
 * s as a gnuplot string expression that reads back as exactly s: single-
 * quoted pieces (gnuplot substitutes nothing inside single quotes: no
 * backslash escapes, no backquotes, no macros), each quote in s written as
 * "'", joined with '.'; control characters become spaces. Returns a malloc'd
 * string or NULL when out of memory.
 */
char *bess_plot_quote(const char *s);

/*
 * Wrap the SVG gnuplot wrote (svg, n bytes) into one HTML page titled title
 * (HTML-escaped; NULL = "bess-plot"): the XML prolog is dropped and the <svg>
 * element placed inline, its script and mouse handlers kept. Returns a
 * malloc'd page and *len, or NULL with err filled (no <svg> in the input).
 */
char *bess_plot_html(const char *svg, size_t n, const char *title, size_t *len,
    struct bess_err *err);

/* A page around the SVG: its title, a status strip, and a live page's refresh. */
struct bess_plot_pageopts {
	const char *title;	/* <title>, HTML-escaped; NULL = "bess-plot" */
	const char *status;	/* status strip above the chart (escaped), NULL = none */
	int stale;		/* the strip in red */
	double refresh_s;	/* > 0: the page fetches itself again this often and swaps the chart in */
	double written;		/* when the page was written (seconds since 1970), for its own staleness check */
};

/*
 * bess_plot_html with a status strip and, for a live page, a script that
 * refreshes the chart in place (no full reload: the reader keeps their
 * place). The chart is scaled to the window's width and height.
 */
char *bess_plot_page(const char *svg, size_t n, const struct bess_plot_pageopts *po, size_t *len,
    struct bess_err *err);

/*
 * Tick marks for a time axis from x0 to x1 (instants) in zone tz (NULL =
 * UTC), at most maxticks of them, at round local times (15 min ... 1 year).
 * Fills pos[] (instants) and label[] (each BESS_TICK_LABELSZ bytes) and
 * returns how many (at most maxticks, which must be >= 1).
 */
#define BESS_TICK_LABELSZ 24
int bess_plot_ticks(const struct bess_tz *tz, bess_time_t x0, bess_time_t x1, int maxticks,
    bess_time_t *pos, char (*label)[BESS_TICK_LABELSZ]);

/*
 * Min/max decimation of one series onto ncols equal columns of [x0, x1):
 * for each column with values, its minimum and maximum (in time order; one
 * point when they are the same sample). Columns with no value give a NaN
 * row so lines break there. x (seconds) ascending; NaN y are skipped.
 * Writes at most 2*ncols points into ox/oy and
 * returns how many.
 */
size_t bess_plot_minmax(const double *x, const double *y, size_t n, double x0, double x1,
    size_t ncols, double *ox, double *oy);

#endif
