/* live.c: the live loop around the controller — events in from a record stream, a command per control interval out, on the events' clock or the wall clock (a reader thread). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_grow.h"
#include "bess_ctldev.h"
#include "bess_live.h"

bess_time_t
bess_live_wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (bess_time_t)ts.tv_sec * BESS_US_PER_S + ts.tv_nsec / 1000;
}

int
bess_live_records(void *ctx, const struct bess_ctl_cmd *cmd)
{
	struct bess_live_out *lo = ctx;
	struct bess_kv k;
	int rc;

	bess_kv_init(&k);
	bess_ctl_cmd_record(cmd, &k);
	if (k.oom)
		rc = bess_err_set(&lo->err, NULL, 0, "out of memory");
	else
		rc = bess_writer_write(lo->w, &k.s, &k.r, &lo->err);
	bess_kv_free(&k);
	if (rc != 0 || bess_writer_flush(lo->w) != 0 || fflush(lo->fp) != 0)
		return -1;
	return 0;
}

int
bess_live_kv(void *ctx, const struct bess_kv *k)
{
	struct bess_live_out *lo = ctx;

	if (bess_writer_write(lo->w, &k->s, &k->r, &lo->err) != 0 || bess_writer_flush(lo->w) != 0 ||
	    fflush(lo->fp) != 0)
		return -1;
	return 0;
}

/* bess_live_run_out's warnings, handed on. */
static void
warn_out(void *ctx, const char *msg)
{
	struct bess_live_out *lo = ctx;

	lo->warn(lo->warn_ctx, msg);
}

int
bess_live_run_out(struct bess_ctl *ctl, struct bess_reader *r, FILE *out, enum bess_fmt fmt,
    long long step_us, int clock_events, void (*warn)(void *ctx, const char *msg), void *ctx,
    struct bess_err *err)
{
	struct bess_writer_opts wo;
	struct bess_live_out lo;
	struct bess_live_io io;
	struct bess_err ferr;
	int rc;

	memset(&wo, 0, sizeof(wo));
	wo.fmt = fmt;
	memset(&lo, 0, sizeof(lo));
	lo.fp = out;
	lo.warn = warn;
	lo.warn_ctx = ctx;
	if ((lo.w = bess_writer_new(out, &wo)) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	io.emit = bess_live_records;
	io.emit_rec = bess_live_kv;	/* the devices' instructions */
	io.warn = warn_out;
	io.ctx = &lo;
	if ((rc = bess_live_run(ctl, r, step_us, clock_events, &io, err)) != 0 && !err->msg[0])
		*err = lo.err;
	if (bess_writer_finish(lo.w, NULL, &ferr) != 0 && rc == 0) {
		rc = -1;
		bess_err_clear(err);
	}
	bess_writer_free(lo.w);
	return rc;
}

/*
 * A reader error on one NDJSON line (not JSON, not an object) is a bad
 * record like any other: skipped with a warning, as the next line is
 * independent. Anything else (CSV structure, the same line failing again)
 * ends the input.
 */
static int
line_skippable(const struct bess_reader *r, const struct bess_err *err, long *last)
{
	int skip = bess_reader_format(r) == BESS_FMT_NDJSON && err->line > 0 && err->line != *last;

	*last = err->line;
	return skip;
}

/* A bad record, skipped. */
static void
warn_err(const struct bess_live_io *io, const struct bess_err *err)
{
	char buf[1024], msg[1100];

	snprintf(msg, sizeof(msg), "%s (record skipped)", bess_err_str(err, buf, sizeof(buf)));
	io->warn(io->ctx, msg);
}

/* Apply an event; a refused reading (dated ahead of the clock) is a warning. 0 or -1 with err. */
static int
apply(struct bess_ctl *ctl, const struct bess_live_io *io, const struct bess_ctl_event *ev,
    bess_time_t now, struct bess_err *err)
{
	int rc = bess_ctl_apply(ctl, ev, now, err);

	if (rc > 0) {
		char buf[1024];

		io->warn(io->ctx, bess_err_str(err, buf, sizeof(buf)));
		rc = 0;
	}
	return rc;
}

/* A meter reading the controller follows: the interval's commands recomputed (one per battery), handed to io. */
static int
follow(struct bess_ctl *ctl, const struct bess_live_io *io, const struct bess_ctl_event *ev,
    struct bess_err *err)
{
	struct bess_ctl_cmd cmd[BESS_FLEET_MAX];	/* a controller has at most so many batteries */
	size_t i;

	memset(cmd, 0, sizeof(cmd));
	if (bess_ctl_follow_event(ctl, ev, cmd) != 0)
		return 0;	/* nothing to follow */
	for (i = 0; i < bess_ctl_batteries(ctl); i++)
		if (io->emit(io->ctx, &cmd[i]) != 0) {
			memset(err, 0, sizeof(*err));
			return -1;
		}
	return 0;
}

/* A jump of the events' clock past this is held until a second event confirms it. */
static long long
max_jump(long long step)
{
	long long day = 24 * BESS_US_PER_H;

	return 4 * step > day ? 4 * step : day;
}

/* The commands for the interval starting at t (one per battery, in the fleet's order), then the devices' instructions, handed to io. */
static int
emit_command(struct bess_ctl *ctl, const struct bess_live_io *io, bess_time_t t, struct bess_err *err)
{
	struct bess_ctl_cmd cmd[BESS_FLEET_MAX];	/* a controller has at most so many batteries */
	const struct bess_ctldev *dev = bess_ctl_ctldev(ctl);
	size_t i;
	int rc = 0;

	memset(cmd, 0, sizeof(cmd));
	if (bess_ctl_command(ctl, t, cmd, err) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < bess_ctl_batteries(ctl); i++)
		if (io->emit(io->ctx, &cmd[i]) != 0) {
			memset(err, 0, sizeof(*err));
			rc = -1;
		}
	if (rc == 0 && dev && io->emit_rec)	/* then each device's instruction */
		for (i = 0; rc == 0 && i < dev->dv->ndev; i++) {
			struct bess_kv k;

			bess_kv_init(&k);
			if (bess_ctldev_record(dev, i, &k)) {
				if (k.oom)
					rc = bess_err_set(err, NULL, 0, "out of memory");
				else if (io->emit_rec(io->ctx, &k) != 0) {
					memset(err, 0, sizeof(*err));
					rc = -1;
				}
			}
			bess_kv_free(&k);
		}
	return rc;
}

/* Time is the ts of state events; intervals fire as it passes their start. */
static int
run_events(struct bess_ctl *ctl, struct bess_reader *r, long long step,
    const struct bess_live_io *io, struct bess_err *err)
{
	struct bess_rec rec;	/* points into the reader: nothing to free */
	struct bess_ctl_event ev, *held = NULL, jump;
	size_t nheld = 0, i;
	bess_time_t clock = 0, next = 0;
	long last = 0;
	int started = 0, got, rc = -1, have_jump = 0;
	char msg[512], a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];

	bess_rec_init(&rec);
	while ((got = bess_reader_next(r, &rec, err)) != 0) {
		if (got < 0 && line_skippable(r, err, &last)) {
			warn_err(io, err);
			continue;
		}
		if (got < 0)
			goto done;
		if (bess_ctl_parse_for(ctl, bess_reader_schema(r), &rec, bess_reader_name(r), &ev, err) != 0) {
			warn_err(io, err);
			continue;
		}
		if (!ev.clock || (started && ev.ts < clock)) {
			if (!started) {	/* before the clock starts: applied when it does */
				struct bess_ctl_event *nh = realloc(held, (nheld + 1) * sizeof(*nh));

				if (nh == NULL) {
					bess_err_set(err, NULL, 0, "out of memory");
					goto done;
				}
				held = nh;
				held[nheld++] = ev;
			} else if (apply(ctl, io, &ev, clock, err) != 0 || follow(ctl, io, &ev, err) != 0) {
				goto done;
			}
			continue;
		}
		if (!started) {
			started = 1;
			clock = ev.ts;
			next = (ev.ts / step + (ev.ts % step != 0)) * step;
			for (i = 0; i < nheld; i++)
				if (apply(ctl, io, &held[i], clock, err) != 0)
					goto done;
		}
		/*
		 * A jump of the clock by more than a day (one record dated 2123)
		 * would issue every interval in between and then ignore every
		 * true event as late. It is held: the next event confirms it
		 * (within a day after it: the skipped intervals are reported, not
		 * issued) or shows it was a stray record (dropped, reported).
		 */
		if (ev.ts - clock > max_jump(step) && !(have_jump && ev.ts >= jump.ts &&
		    ev.ts - jump.ts <= max_jump(step))) {
			snprintf(msg, sizeof(msg), "%s:%ld: the clock would jump from %s to %s; the "
			    "record is held until the next one confirms it", bess_reader_name(r),
			    rec.line, bess_time_format(clock, a), bess_time_format(ev.ts, b));
			io->warn(io->ctx, msg);
			jump = ev;
			have_jump = 1;
			continue;
		}
		if (have_jump && ev.ts >= jump.ts) {
			bess_time_t to = (jump.ts / step + (jump.ts % step != 0)) * step;

			snprintf(msg, sizeof(msg), "the clock jumped from %s to %s: %lld intervals "
			    "skipped, not issued", bess_time_format(clock, a), bess_time_format(jump.ts, b),
			    (long long)((to - next) / step));
			io->warn(io->ctx, msg);
			next = to;
			clock = jump.ts;
			if (apply(ctl, io, &jump, clock, err) != 0)
				goto done;
			if (next == clock) {
				if (emit_command(ctl, io, next, err) != 0)
					goto done;
				next += step;
			}
		} else if (have_jump) {
			snprintf(msg, sizeof(msg), "a record dated %s was not followed by others near it: "
			    "dropped", bess_time_format(jump.ts, b));
			io->warn(io->ctx, msg);
		}
		have_jump = 0;
		while (next < ev.ts) {
			if (emit_command(ctl, io, next, err) != 0)
				goto done;
			next += step;
		}
		clock = ev.ts;
		if (apply(ctl, io, &ev, clock, err) != 0)
			goto done;
		if (next == ev.ts) {
			if (emit_command(ctl, io, next, err) != 0)
				goto done;
			next += step;
		}
	}
	rc = 0;
done:
	free(held);
	return rc;
}

/* Events read by a thread (wall clock) and handed to the main loop. */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct bess_ctl_event *ev;	/* pending events */
	size_t n, cap;
	int eof;			/* the input ended (or failed) */
	int failed;			/* ... failed: the message is in warn */
	struct bess_reader *r;
	const struct bess_ctl *ctl;	/* whose batteries the records name (read only here) */
	char *warn;			/* a bad record's message for the main thread, or NULL */
};

static void *
reader_thread(void *arg)
{
	struct queue *q = arg;
	struct bess_rec rec;
	struct bess_err err;
	struct bess_ctl_event *grown;
	long last = 0;
	int got, fatal = 0;

	bess_rec_init(&rec);
	while ((got = bess_reader_next(q->r, &rec, &err)) != 0) {
		struct bess_ctl_event ev;
		int bad = got < 0 ? !(fatal = !line_skippable(q->r, &err, &last)) :
		    bess_ctl_parse_for(q->ctl, bess_reader_schema(q->r), &rec, bess_reader_name(q->r),
		    &ev, &err) != 0;

		pthread_mutex_lock(&q->mu);
		if (!fatal && !bad && (grown = bess_grow(q->ev, &q->cap, q->n + 1, 64, sizeof(ev))) != NULL) {
			q->ev = grown;
			q->ev[q->n++] = ev;
		} else {
			char buf[1024];

			if (!fatal && !bad)	/* out of memory: this record is lost, those pending are kept */
				bess_err_set(&err, bess_reader_name(q->r), 0, "out of memory (record skipped)");
			free(q->warn);
			q->warn = strdup(bess_err_str(&err, buf, sizeof(buf)));
			q->failed = fatal;
		}
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
		if (fatal)
			break;
	}
	/* rec points into the reader: nothing to free */
	pthread_mutex_lock(&q->mu);
	q->eof = 1;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The wall clock: a thread reads, the main loop wakes at each interval start. */
static int
run_wall(struct bess_ctl *ctl, struct bess_reader *r, long long step,
    const struct bess_live_io *io, struct bess_err *err)
{
	struct queue q;
	pthread_t th;
	bess_time_t next = (bess_live_wall_now() / step + 1) * step;
	int eof = 0, failed = 0, rc = 0;

	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	q.r = r;
	q.ctl = ctl;
	if (pthread_create(&th, NULL, reader_thread, &q) != 0) {
		pthread_mutex_destroy(&q.mu);
		pthread_cond_destroy(&q.cv);
		return bess_err_set(err, NULL, 0, "cannot start the reader");
	}
	while (!eof) {
		struct bess_ctl_event *batch = NULL;
		struct bess_err aerr;
		size_t nb = 0, i;
		char *warn = NULL;

		pthread_mutex_lock(&q.mu);
		while (q.n == 0 && !q.eof && q.warn == NULL) {
			struct timespec ts;

			ts.tv_sec = (time_t)(next / BESS_US_PER_S);
			ts.tv_nsec = (long)(next % BESS_US_PER_S) * 1000;
			if (pthread_cond_timedwait(&q.cv, &q.mu, &ts) == ETIMEDOUT)
				break;
		}
		batch = q.ev;
		nb = q.n;
		q.ev = NULL;
		q.n = q.cap = 0;
		warn = q.warn;
		q.warn = NULL;
		eof = q.eof;
		failed = q.failed;
		pthread_mutex_unlock(&q.mu);
		if (warn && failed) {
			bess_err_set(err, NULL, 0, "%s", warn);
			rc = -1;
		} else if (warn) {
			char msg[1100];

			snprintf(msg, sizeof(msg), "%s (record skipped)", warn);
			io->warn(io->ctx, msg);
		}
		free(warn);
		for (i = 0; i < nb; i++) {
			if (bess_ctl_apply(ctl, &batch[i], bess_live_wall_now(), &aerr) > 0) {
				char buf[1024];

				io->warn(io->ctx, bess_err_str(&aerr, buf, sizeof(buf)));
			}
			if (rc == 0 && follow(ctl, io, &batch[i], err) != 0) {
				rc = -1;
				eof = 1;
			}
		}
		free(batch);
		while (!eof && bess_live_wall_now() >= next) {
			if (emit_command(ctl, io, next, err) != 0) {
				rc = -1;
				eof = 1;
				break;
			}
			next += step;
		}
	}
	pthread_join(th, NULL);
	free(q.ev);
	free(q.warn);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	return rc;
}

int
bess_live_run(struct bess_ctl *ctl, struct bess_reader *r, long long step_us,
    int clock_events, const struct bess_live_io *io, struct bess_err *err)
{
	if (clock_events)
		return run_events(ctl, r, step_us, io, err);
	return run_wall(ctl, r, step_us, io, err);
}
