/* replay.c: a recorded stream replayed (bess-replay): due times from timestamps, speed, interval and gap cap, and each record written when due. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "bess_replay.h"

void
bess_pace_init(struct bess_pace *p, const struct bess_pace_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->o = *o;
	if (!(p->o.speed > 0))
		p->o.speed = 1;
}

int
bess_pace_due(struct bess_pace *p, bess_time_t t, long long *due_us)
{
	long long dt;

	if (!p->started) {
		p->started = 1;
		p->prev = t;
		p->due_us = 0;
		*due_us = 0;
		return 0;
	}
	if (t < p->prev)
		return -1;
	dt = t - p->prev;
	p->prev = t;
	if (dt > 0) {
		if (p->o.interval_us > 0)
			p->due_us += p->o.interval_us;
		else {
			if (p->o.max_gap_us > 0 && dt > p->o.max_gap_us)
				dt = p->o.max_gap_us;
			double w = (double)dt / p->o.speed;

			/* a wait past the 64-bit clock (a tiny speed) is forever, not a wrap to now */
			p->due_us = w >= 4e18 - (double)p->due_us ? (long long)4e18 : p->due_us + llround(w);
		}
	}
	*due_us = p->due_us;
	return 0;
}

void
bess_replay_init(struct bess_replay *rp, const struct bess_pace_opts *o, const char *time_col,
    int now, enum bess_fmt fmt, FILE *out)
{
	memset(rp, 0, sizeof(*rp));
	bess_pace_init(&rp->p, o);
	rp->time_col = time_col;
	rp->now = now;
	rp->fmt = fmt;
	rp->out = out;
	bess_rec_init(&rp->rec);
}

/* Sleep until due_us after rp->start. */
static void
wait_until(const struct bess_replay *rp, long long due_us)
{
	struct timespec t = rp->start;

	t.tv_sec += (time_t)(due_us / 1000000);
	t.tv_nsec += (long)(due_us % 1000000) * 1000;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

int
bess_replay_input(struct bess_replay *rp, struct bess_reader *r, const char *name,
    struct bess_err *err)
{
	const struct bess_schema *s = bess_reader_schema(r);
	struct bess_rec in;
	char tsbuf[BESS_TIME_BUFSZ], why[256];
	int rc, ti = -1;

	memset(&in, 0, sizeof(in));
	if (rp->gone)
		return 0;
	if (rp->w == NULL) {
		struct bess_writer_opts wo;

		memset(&wo, 0, sizeof(wo));
		wo.fmt = rp->fmt != BESS_FMT_AUTO ? rp->fmt : bess_reader_format(r);
		wo.flush_each = 1;	/* a paced stream: each record out when due */
		if ((rp->w = bess_writer_new(rp->out, &wo)) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
	}
	while ((rc = bess_reader_next(r, &in, err)) == 1) {
		bess_time_t t;
		long long due;
		size_t i;

		if (ti < 0 && (ti = bess_schema_find(s, rp->time_col)) < 0) {
			bess_err_set(err, name, in.line, "no column '%s' (--time-col)", rp->time_col);
			rc = -1;
			break;
		}
		if ((size_t)ti >= in.n || in.len[ti] == 0) {
			bess_err_set(err, name, in.line, "missing time in column '%s'", rp->time_col);
			rc = -1;
			break;
		}
		if (bess_time_parse(in.v[ti], in.len[ti], NULL, &t, why, sizeof(why)) != BESS_TP_OK) {
			bess_err_set(err, name, in.line, "column '%s': %s", rp->time_col, why);
			rc = -1;
			break;
		}
		if (bess_pace_due(&rp->p, t, &due) != 0) {
			bess_err_set(err, name, in.line, "time %s is before the previous record's; "
			    "a replay needs time order (bess-ingest --sort)", bess_time_format(t, tsbuf));
			rc = -1;
			break;
		}
		if (due == 0 && rp->start.tv_sec == 0 && rp->start.tv_nsec == 0) {
			struct timespec rt;

			clock_gettime(CLOCK_MONOTONIC, &rp->start);
			clock_gettime(CLOCK_REALTIME, &rt);
			rp->wall0_us = (long long)rt.tv_sec * 1000000 + rt.tv_nsec / 1000;
		} else
			wait_until(rp, due);
		if (bess_rec_resize(&rp->rec, in.n) != 0) {
			bess_err_set(err, name, in.line, "out of memory");
			rc = -1;
			break;
		}
		for (i = bess_writer_fixed_columns(rp->w); i < in.n; i++)
			if (in.len[i] > 0)	/* said here, with the line it came from */
				break;
		if (i < in.n) {
			bess_err_set(err, name, in.line, "column '%s' appeared after the CSV header "
			    "was written; write NDJSON (-f ndjson) or name the columns first",
			    s->name[i]);
			rc = -1;
			break;
		}
		for (i = 0; i < in.n; i++)
			bess_rec_set(&rp->rec, i, in.v[i], (enum bess_kind)in.kind[i]);
		rp->rec.line = in.line;
		if (rp->now)
			bess_rec_set(&rp->rec, (size_t)ti, bess_time_format(rp->wall0_us + due, tsbuf),
			    BESS_K_STR);
		if (bess_writer_write(rp->w, s, &rp->rec, err) != 0) {
			if (bess_writer_errno(rp->w) == EPIPE) {
				rp->gone = 1;	/* the reader went away (| head): a quiet end */
				rc = 0;
				break;
			}
			rc = -1;
			break;
		}
	}
	return rc < 0 ? -1 : 0;
}

int
bess_replay_finish(struct bess_replay *rp, struct bess_err *err)
{
	if (rp->gone || rp->w == NULL)
		return 0;
	return bess_writer_finish(rp->w, NULL, err);
}

void
bess_replay_free(struct bess_replay *rp)
{
	bess_writer_free(rp->w);
	rp->w = NULL;
	bess_rec_free(&rp->rec);
}
