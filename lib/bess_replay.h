/* bess_replay.h: pacing a recorded stream — when each record is due, from its timestamp, a speed or a fixed interval. */
#ifndef BESS_REPLAY_H
#define BESS_REPLAY_H

#include <stdio.h>
#include <time.h>

#include "bess_err.h"
#include "bess_rec.h"
#include "bess_time.h"

/* Pacing options. */
struct bess_pace_opts {
	double speed;			/* recorded time runs this many times faster (1 = real time), > 0 */
	long long interval_us;		/* > 0: one timestamp every interval_us, whatever the recorded spacing */
	long long max_gap_us;		/* > 0: a recorded gap longer than this is shortened to it (before speed) */
};

/* The pacing state: call bess_pace_due for each record in order. */
struct bess_pace {
	struct bess_pace_opts o;	/* options */
	int started;			/* a record was seen */
	bess_time_t prev;		/* its time */
	long long due_us;		/* when it was due, us after the first */
};

void bess_pace_init(struct bess_pace *p, const struct bess_pace_opts *o);

/*
 * When a record of time t is due, in microseconds after the first record
 * (which is due at 0): the recorded spacing divided by speed, or one
 * interval per new timestamp; records with the same time are due together.
 * 0 and *due_us, or -1 when t is before the previous record's time.
 */
int bess_pace_due(struct bess_pace *p, bess_time_t t, long long *due_us);

/*
 * A replay (bess-replay): the records of each input written to out, each
 * when it is due on the monotonic clock (bess_pace_due), flushed at once.
 */
struct bess_replay {
	struct bess_pace p;		/* the pacing */
	const char *time_col;		/* the time column */
	int now;			/* the time column set to the wall clock when each record goes out */
	enum bess_fmt fmt;		/* output format, BESS_FMT_AUTO = the first input's */
	FILE *out;			/* where the records go */
	struct bess_writer *w;		/* made for the first input */
	struct bess_rec rec;		/* the record written (with now, a new time) */
	struct timespec start;		/* monotonic clock when the first record went out */
	long long wall0_us;		/* real time then, us since the epoch */
	int gone;			/* out's reader went away (EPIPE): nothing more is written */
};

void bess_replay_init(struct bess_replay *rp, const struct bess_pace_opts *o, const char *time_col,
    int now, enum bess_fmt fmt, FILE *out);
/*
 * Replay the records of r (named name), sleeping until each is due. A
 * reader of out that went away ends it quietly (rp->gone). 0, or -1 with
 * err (no or a bad time, a time before the previous one, a column that
 * appears after the CSV header was written, a write error).
 */
int bess_replay_input(struct bess_replay *rp, struct bess_reader *r, const char *name,
    struct bess_err *err);
/* The output finished (nothing when the reader went away). 0, or -1 with err. */
int bess_replay_finish(struct bess_replay *rp, struct bess_err *err);
void bess_replay_free(struct bess_replay *rp);

#endif
