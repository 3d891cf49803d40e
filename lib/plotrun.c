/* plotrun.c: what bess-plot makes of its options and writes — chart option values, the default format and title, the chart drawn once through gnuplot and shaped for its output, a live redraw's file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_opt.h"
#include "bess_plotrun.h"
#include "bess_qty.h"

int
bess_plot_capacity_parse(const char *arg, struct bess_plot_opts *o, struct bess_err *err)
{
	struct bess_qty q;
	char why[256];

	if (bess_qty_parse(arg, BESS_DIM_ENERGY, &q, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	if (!(q.value > 0))
		return bess_err_set(err, NULL, 0, "capacity must be positive");
	o->capacity_kwh = q.value;
	return 0;
}

int
bess_plot_limit_parse(const char *arg, double *v, int *pct, struct bess_err *err)
{
	struct bess_qty q;
	char why[256];

	if (bess_qty_parse(arg, BESS_DIM_ENERGY | BESS_DIM_PERCENT, &q, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	if (q.value < 0 || (q.dim == BESS_DIM_PERCENT && q.value > 100))
		return bess_err_set(err, NULL, 0, "'%s' is out of range", arg);
	*v = q.value;
	*pct = q.dim == BESS_DIM_PERCENT;
	return 0;
}

int
bess_plot_dur_parse(const char *arg, int every, double *s, struct bess_err *err)
{
	long long us;

	if (bess_opt_dur(arg, &us, err) != 0)
		return -1;
	if (every && us < 100000)
		return bess_err_set(err, NULL, 0, "'%s' is too often: at least 100ms", arg);
	*s = (double)us / 1e6;
	return 0;
}

int
bess_plot_fmt_default(const char *output, int script, enum bess_plot_fmt *fmt)
{
	if (script)
		*fmt = BESS_PLOT_PNG;
	else if (output && strcmp(output, "-") != 0)
		return bess_plot_fmt_from_path(output, fmt);
	else
		*fmt = BESS_PLOT_TEXT;
	return 0;
}

const char *
bess_plot_deftitle(char *buf, size_t len, const char *input, int follow, int more)
{
	const char *base = input && strrchr(input, '/') ? strrchr(input, '/') + 1 : input;

	snprintf(buf, len, "%s%s", base && *base ? base : "bess",
	    follow ? " (live)" : more ? " and more" : "");
	return buf;
}

static void
say(const struct bess_plotrun_hooks *h, const struct bess_err *err)
{
	if (h->error)
		h->error(h->ctx, err);
}

int
bess_plot_draw(const char *gnuplot, const struct bess_plot_data *d, struct bess_buf *out,
    const struct bess_plotrun_hooks *h)
{
	struct bess_buf gerr = { 0 };
	struct bess_err err;
	char *script;
	size_t slen;
	int rc;

	out->n = 0;
	if ((script = bess_plot_render(d, &slen, &err)) == NULL) {
		say(h, &err);
		return -1;
	}
	rc = bess_gnuplot_run(gnuplot, script, slen, out, &gerr, &err);
	free(script);
	if (rc > 0)
		bess_err_set(&err, NULL, 0, "gnuplot failed (exit status %d)%s", rc, gerr.n ? ":" : "");
	if (rc != 0)
		say(h, &err);
	if (rc >= 0 && h->gnuplot_line)
		bess_gnuplot_lines(gerr.p, h->gnuplot_line, h->ctx);
	bess_buf_free(&gerr);
	if (rc != 0)
		return -1;
	if (out->n == 0) {
		bess_err_set(&err, NULL, 0, "gnuplot wrote no chart");
		say(h, &err);
		return -1;
	}
	return 0;
}

/* Hand n bytes of p to out (p malloc'd, or NULL after err was filled). */
static int
take(struct bess_buf *out, char *p, size_t n, const struct bess_plotrun_hooks *h,
    const struct bess_err *err)
{
	if (p == NULL) {
		say(h, err);
		return -1;
	}
	bess_buf_free(out);
	out->p = p;
	out->n = out->cap = n;
	return 0;
}

int
bess_plot_output(const struct bess_plot_opts *o, const char *gnuplot,
    const struct bess_plot_data *d, struct bess_buf *out, const struct bess_plotrun_hooks *h)
{
	struct bess_buf g = { 0 };
	struct bess_err err;
	char *p;
	size_t n = 0;
	int rc;

	if (gnuplot == NULL) {
		p = bess_plot_render(d, &n, &err);
		return take(out, p, n, h, &err);
	}
	if (bess_plot_draw(gnuplot, d, &g, h) != 0) {
		bess_buf_free(&g);
		return -1;
	}
	if (o->fmt == BESS_PLOT_HTML) {
		p = bess_plot_html(g.p, g.n, o->title, &n, &err);
		bess_buf_free(&g);
		return take(out, p, n, h, &err);
	}
	if (o->fmt == BESS_PLOT_TEXT && g.p[0] == '\f') {
		/* the dumb terminal starts each page with a form feed: not wanted in a mail or a file */
		out->n = 0;
		rc = bess_buf_add(out, g.p + 1, g.n - 1);
		bess_buf_free(&g);
		if (rc != 0) {
			bess_err_set(&err, NULL, 0, "out of memory");
			say(h, &err);
		}
		return rc;
	}
	bess_buf_free(out);
	*out = g;
	return 0;
}

int
bess_plot_live_file(enum bess_plot_fmt fmt, const char *chart, size_t n,
    const struct bess_plot_pageopts *po, struct bess_buf *out, struct bess_err *err)
{
	int ff = chart[0] == '\f';

	out->n = 0;
	if (fmt == BESS_PLOT_HTML) {
		size_t plen;
		char *page = bess_plot_page(chart, n, po, &plen, err);

		if (page == NULL)
			return -1;
		bess_buf_free(out);
		out->p = page;
		out->n = out->cap = plen;
		return 0;
	}
	if (fmt == BESS_PLOT_TEXT) {
		if (bess_buf_add(out, po->status, strlen(po->status)) != 0 || bess_buf_add(out, "\n", 1) != 0 ||
		    bess_buf_add(out, chart + ff, n - ff) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		return 0;
	}
	if (bess_buf_add(out, chart, n) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	return 0;
}
