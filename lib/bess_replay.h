/* bess_replay.h: pacing a recorded stream — when each record is due, from its timestamp, a speed or a fixed interval. */
#ifndef BESS_REPLAY_H
#define BESS_REPLAY_H

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

#endif
