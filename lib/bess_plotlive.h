/* bess_plotlive.h: bess-plot --follow's engine — a live record stream read on a thread, charts redrawn through gnuplot at most every so often, a status strip and staleness. */
#ifndef BESS_PLOTLIVE_H
#define BESS_PLOTLIVE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "bess_err.h"
#include "bess_plot.h"

/*
 * What the loop needs, and the hooks through which it reports: the library
 * prints nothing, the program decides how each report is shown.
 */
struct bess_plotlive {
	const struct bess_plot_opts *po;	/* the chart (fmt html and text draw no status strip in it) */
	const char *gnuplot;		/* gnuplot's path (bess_gnuplot_find) */
	double every_s;			/* at most one redraw this often, seconds (> 0) */
	double window_s;		/* the time axis shows the newest window_s seconds of data */
	double stale_s;			/* stale after this long without a record; 0 = never, < 0 = three
					 * of the stream's steps, at least 60 s */
	int data_clock;			/* 1: now is the newest record's time (a replay), never stale */
	volatile sig_atomic_t *stop;	/* set (by a signal handler): end at once, NULL = never */
	void *ctx;			/* handed to every hook */
	/* an error that ended the input, or that gnuplot could not be run (the loop goes on) */
	void (*error)(void *ctx, const struct bess_err *err);
	/* a warning: a record skipped, gnuplot failed (the last chart kept) */
	void (*warn)(void *ctx, const char *msg);
	/* one line of gnuplot's messages (n bytes, not NUL-terminated) */
	void (*gnuplot_line)(void *ctx, const char *line, size_t n);
	/*
	 * Show the newest chart (n bytes, as gnuplot wrote it) with the status
	 * strip, as of the wall clock now_s (seconds since 1970); chart is NULL
	 * before the first one. Called at most every every_s and whenever a
	 * chart was drawn. 0, or -1 to end the loop (the output went away).
	 */
	int (*show)(void *ctx, const char *chart, size_t n, const char *status, int stale, double now_s);

	/* filled by bess_plotlive_run */
	char *chart;			/* the last chart drawn (malloc'd, the caller frees), NULL = none */
	size_t chart_len;		/* its bytes */
	char status[BESS_STATUS_SZ];	/* the last status strip */
	int stopped;			/* ended by *stop */
	struct bess_plotlive_src *src;	/* the stream and the reader thread's state (private) */
};

/*
 * Start following the record stream in (named name): its header is read
 * (a FIFO waits for it here). 0, or -1 with err filled (nothing to free).
 */
int bess_plotlive_open(struct bess_plotlive *lv, FILE *in, const char *name, struct bess_err *err);

/*
 * Follow the stream opened until it ends or *stop is set. A bad NDJSON line
 * is skipped with a warning; anything else that goes wrong in the input ends
 * it (the error hook). Returns 0 when the stream ended with a chart drawn,
 * or when stopped; -1 otherwise: show ended it, the input failed, or no chart
 * could be drawn, with err filled when that was not said through a hook
 * already (err->msg empty otherwise), e.g. "<stdin>: no records to plot".
 * Everything opened is freed, except when stopped: the reader thread may
 * then still be blocked in read(2), and it and what it uses are left to the
 * process's exit (in must not be closed).
 */
int bess_plotlive_run(struct bess_plotlive *lv, struct bess_err *err);

/*
 * One frame of the text chart (n bytes; a leading form feed dropped) below
 * the status strip, to fp: on a terminal (tty) drawn in place from the top
 * left (the strip in white on red when stale), lines cleared to their end;
 * in a pipe each frame starts with a form feed.
 */
void bess_plot_frame(FILE *fp, const char *status, int stale, const char *chart, size_t n, int tty);

#endif
