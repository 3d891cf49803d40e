/* plotlive.c: bess-plot --follow's engine — records read on a thread, charts redrawn through gnuplot at most every so often, with a status strip. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_gnuplot.h"
#include "bess_plotlive.h"

/* What the reader thread and the drawing loop share. */
struct bess_plotlive_src {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct bess_plotlive *lv;	/* the hooks */
	struct bess_plot_data *d;	/* the records (under mu) */
	struct bess_reader *r;
	int dirty;			/* records came since the last chart */
	int eof;			/* the input ended */
	int failed;			/* ... with an error that ends it */
};

/*
 * A bad NDJSON line is a bad record like any other (skipped with a
 * warning); anything else (CSV structure, the same line failing again) ends
 * the input.
 */
static void *
reader(void *arg)
{
	struct bess_plotlive_src *s = arg;
	struct bess_rec rec;
	struct bess_err err;
	long last = 0;
	int got;

	bess_rec_init(&rec);
	while ((got = bess_reader_next(s->r, &rec, &err)) != 0) {
		int rc = 0;

		if (got < 0) {
			int skip = bess_reader_format(s->r) == BESS_FMT_NDJSON && err.line > 0 &&
			    err.line != last;

			last = err.line;
			if (!skip) {
				s->lv->error(s->lv->ctx, &err);
				pthread_mutex_lock(&s->mu);
				s->failed = 1;
				pthread_mutex_unlock(&s->mu);
				break;
			}
			rc = 1;
		} else {
			pthread_mutex_lock(&s->mu);
			rc = bess_plot_data_add(s->d, bess_reader_schema(s->r), &rec, bess_reader_name(s->r),
			    &err);
			if (rc == 0) {
				s->dirty = 1;
				pthread_cond_signal(&s->cv);
			}
			pthread_mutex_unlock(&s->mu);
		}
		if (rc != 0) {
			char buf[1024], msg[1100];

			snprintf(msg, sizeof(msg), "%s (record skipped)", bess_err_str(&err, buf, sizeof(buf)));
			s->lv->warn(s->lv->ctx, msg);
		}
	}
	pthread_mutex_lock(&s->mu);
	s->eof = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
bess_plotlive_open(struct bess_plotlive *lv, FILE *in, const char *name, struct bess_err *err)
{
	struct bess_plotlive_src *s;
	struct bess_reader_opts ro;

	lv->chart = NULL;
	lv->chart_len = 0;
	lv->status[0] = '\0';
	lv->stopped = 0;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	s->lv = lv;
	if ((s->d = bess_plot_data_new(lv->po, lv->window_s, err)) == NULL) {
		free(s);
		return -1;
	}
	memset(&ro, 0, sizeof(ro));
	if ((s->r = bess_reader_open(in, name, &ro, err)) == NULL) {
		bess_plot_data_free(s->d);
		free(s);
		return -1;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	lv->src = s;
	return 0;
}

static int
stop_now(const struct bess_plotlive *lv)
{
	return lv->stop != NULL && *lv->stop;
}

/* gnuplot's messages through the hook. */
static void
said(struct bess_plotlive *lv, const struct bess_buf *gerr)
{
	bess_gnuplot_lines(gerr->p, lv->gnuplot_line, lv->ctx);
}

static void
src_free(struct bess_plotlive_src *s)
{
	bess_reader_close(s->r);
	bess_plot_data_free(s->d);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}

int
bess_plotlive_run(struct bess_plotlive *lv, struct bess_err *err)
{
	struct bess_plotlive_src *s = lv->src;
	const struct bess_plot_opts *po = lv->po;
	struct bess_buf chart = { 0 }, next = { 0 };
	pthread_t th;
	double last_draw = -1e300, last_tick = -1e300;
	int have_chart = 0, was_stale = -1, rc = 0, stopped = 0;
	/* fmt html and text carry the status outside the chart, so its staleness needs no redraw */
	int strip = po->fmt != BESS_PLOT_HTML && po->fmt != BESS_PLOT_TEXT;

	bess_err_clear(err);
	if (pthread_create(&th, NULL, reader, s) != 0) {
		bess_err_set(err, NULL, 0, "cannot start the reader thread");
		src_free(s);
		lv->src = NULL;
		return -1;
	}
	for (;;) {
		double now_m, now, last_x, stale_s;
		int dirty, eof, failed, stale, redraw, tick;
		char *script = NULL;
		size_t slen = 0;

		pthread_mutex_lock(&s->mu);
		for (;;) {
			struct timespec ts;
			double wait, due;

			now_m = mono_s();
			if (s->eof || stop_now(lv))
				break;
			due = last_tick + lv->every_s;
			if (s->dirty && last_draw + lv->every_s < due)
				due = last_draw + lv->every_s;
			if (now_m >= due)
				break;
			wait = due - now_m;
			if (wait > 1)
				wait = 1;	/* a signal is seen within a second */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += (time_t)wait;
			ts.tv_nsec += (long)((wait - floor(wait)) * 1e9);
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&s->cv, &s->mu, &ts);
		}
		stopped = stop_now(lv);
		dirty = s->dirty;
		eof = s->eof;
		failed = s->failed;
		last_x = bess_plot_data_last(s->d);
		now = lv->data_clock ? last_x : wall_s();
		stale_s = lv->stale_s;
		if (stale_s < 0) {	/* three of the stream's steps, at least a minute */
			stale_s = 3 * bess_plot_data_step(s->d);
			if (!(stale_s >= 60))
				stale_s = 60;
		}
		stale = bess_plot_status(s->d, now, lv->data_clock ? 0 : stale_s, po->currency, lv->status);
		/* a chart when records came (at most every every_s), or when the strip drawn in it changes */
		redraw = (dirty && (now_m >= last_draw + lv->every_s || eof || stopped)) ||
		    (stale != was_stale && strip && bess_plot_data_count(s->d) > 0);
		tick = now_m >= last_tick + lv->every_s || redraw;
		if (redraw) {
			bess_plot_data_status(s->d, strip ? lv->status : NULL, stale);
			if (bess_plot_data_count(s->d) > 0) {
				struct bess_err rerr;
				char buf[1024];

				if ((script = bess_plot_render(s->d, &slen, &rerr)) == NULL)
					lv->warn(lv->ctx, bess_err_str(&rerr, buf, sizeof(buf)));
			}
			s->dirty = 0;
		}
		pthread_mutex_unlock(&s->mu);
		if (script) {
			struct bess_buf gerr = { 0 };
			struct bess_err gpe;
			int g = bess_gnuplot_run(lv->gnuplot, script, slen, &next, &gerr, &gpe);

			if (g == 0 && next.n > 0) {
				struct bess_buf t = chart;

				said(lv, &gerr);
				chart = next;
				next = t;
				next.n = 0;
				have_chart = 1;
			} else {
				char msg[128];

				if (g < 0)
					lv->error(lv->ctx, &gpe);
				else if (g > 0) {
					snprintf(msg, sizeof(msg), "gnuplot failed (exit status %d)%s keeping the last chart",
					    g, gerr.n ? "; its messages follow;" : ";");
					lv->warn(lv->ctx, msg);
					said(lv, &gerr);
				} else
					lv->warn(lv->ctx, "gnuplot wrote no chart; keeping the last chart");
				next.n = 0;
			}
			bess_buf_free(&gerr);
			free(script);
			last_draw = now_m;
		}
		if (tick) {
			last_tick = now_m;
			was_stale = stale;
			if (lv->show(lv->ctx, have_chart ? chart.p : NULL, have_chart ? chart.n : 0, lv->status,
			    stale, wall_s()) != 0) {
				rc = -1;	/* the terminal or pipe went away */
				break;
			}
		}
		if (eof || stop_now(lv)) {
			stopped = stop_now(lv);
			if (failed)
				rc = -1;
			break;
		}
	}
	lv->stopped = stopped;
	if (stopped) {
		/* the reader may be blocked in read(2): it goes with the process */
		pthread_detach(th);
	} else {
		pthread_join(th, NULL);
		if (!have_chart && rc == 0) {
			if (bess_plot_data_read_total(s->d) == 0)
				bess_err_set(err, bess_reader_name(s->r), 0, "no records to plot");
			rc = -1;
		}
		src_free(s);
		lv->src = NULL;
	}
	bess_buf_free(&next);
	if (have_chart) {
		lv->chart = chart.p;
		lv->chart_len = chart.n;
	} else
		bess_buf_free(&chart);
	return rc;
}

void
bess_plot_frame(FILE *fp, const char *status, int stale, const char *chart, size_t n, int tty)
{
	const char *p = chart, *end = chart + n, *nl;

	if (n > 0 && *p == '\f')
		p++;
	if (tty)
		fputs("\033[H", fp);
	else
		fputc('\f', fp);
	if (tty && stale)
		fputs("\033[1;37;41m", fp);
	fputs(status, fp);
	if (tty)
		fputs(stale ? "\033[0m\033[K\n" : "\033[K\n", fp);
	else
		fputc('\n', fp);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		fwrite(p, 1, (size_t)(nl - p), fp);
		fputs(tty ? "\033[K\n" : "\n", fp);
		if (nl == end)
			break;
	}
	if (tty)
		fputs("\033[J", fp);
	fflush(fp);
}
