/* bess_ctldev.h: the controller's controllable loads — reported device states in, each device's state carried from interval to interval (and run to run in the state file), one instruction per device and interval out. */
#ifndef BESS_CTLDEV_H
#define BESS_CTLDEV_H

#include <stddef.h>

#include "bess_devices.h"
#include "bess_devstate.h"
#include "bess_lp.h"
#include "bess_rec.h"
#include "bess_state.h"
#include "bess_summary.h"
#include "bess_time.h"

/*
 * What the controller knows of the devices of a devices file. Each device
 * has an activity: what it does from instant t_at on (on or off, and the
 * power it draws) — its last instruction, or what it reported since. The
 * state st (bess_devstate.h) is as of t_at with the activity switched in:
 * a sheddable device whose activity differs from the state before has
 * switched at t_at, and holds the new state for its min_on or min_off
 * from then. Time moving on (bess_ctldev_advance) counts hours off per
 * local day, runs down the holds and adds a shiftable device's energy to
 * its task, with the activity held. A plan starts from st.
 */
struct bess_ctldev {
	const struct bess_devices *dv;	/* not owned */
	long long step_us;		/* control interval, microseconds */
	struct bess_devrun run;		/* run.st: the state (as above); run.plan_*: the standing plan's
					   device part; run.cur_on, run.cur_kw: the activity */
	bess_time_t t_at;		/* the instant the state is at */
	int known;			/* 0: nothing known yet (every device on, nothing done) */
	bess_time_t told_ts;		/* the interval of the last instruction (0 = none) */
	unsigned char *told_on;		/* [i]: that instruction */
	double *told_kw;		/* [i]: kW */
};

/* The devices of dv for a controller of step_us intervals. -1 when out of memory. */
int bess_ctldev_init(struct bess_ctldev *c, const struct bess_devices *dv, long long step_us);
void bess_ctldev_free(struct bess_ctldev *c);

/*
 * A reported state's word: ON, OFF (any case), 1, 0, true or false (len
 * bytes of v). *on set; 0, or -1 if it is none of them.
 */
int bess_ctldev_word(const char *v, size_t len, int *on);

/* Longest gap carried on step by step: a week (every hold, day and task of a site is over by then). */
#define BESS_CTLDEV_GAP_US	(7LL * 24 * 3600 * 1000000)

/*
 * The state and activity carried on to instant t (nothing when t is not
 * after t_at; of a gap longer than BESS_CTLDEV_GAP_US only its end).
 */
void bess_ctldev_advance(struct bess_ctldev *c, bess_time_t t);

/*
 * Device i reported at ts that it is on (on = 1) or off (0), drawing
 * power_kw (NAN = not said: a device on draws its power, or its highest
 * level; off draws 0). The state is carried on to ts, and the report
 * becomes the activity from then (a switch starts its min_on or min_off
 * there). A report dated before t_at is older than what is known (an
 * instruction given since, or a later report) and is not taken: returns
 * 0. Returns 1 if the report differs from the activity (a plan made on it
 * is stale), else 0.
 */
int bess_ctldev_report(struct bess_ctldev *c, size_t i, bess_time_t ts, int on, double power_kw);

/* The devices' part of a solved model (its first len steps) becomes the standing plan. -1 when out of memory. */
int bess_ctldev_plan(struct bess_ctldev *c, const struct bess_lp *lp, size_t len);

/*
 * The instructions for the interval starting at t: step j of the standing
 * plan, or with j (size_t)-1 each device by the no-action rule from its
 * state (bess_devstate_default: a sheddable device on unless its min_off
 * holds, a shiftable device at its highest level while its task lacks
 * energy). The state is carried on to t first (a state kept from after
 * the interval's end, a clock that was wrong, is taken as of t); the
 * instructions become the activity.
 */
void bess_ctldev_instruct(struct bess_ctldev *c, bess_time_t t, size_t j);

/*
 * Device i's instruction as a record, the per-device records' long form
 * (bess(7)) without the battery's and the cost's columns: ts, device, kind,
 * command (ON or OFF), power_kw (what it should draw; 0 when OFF).
 * Essential devices are never instructed: 0 for them (nothing added), 1
 * otherwise.
 */
int bess_ctldev_record(const struct bess_ctldev *c, size_t i, struct bess_kv *k);

/*
 * The last instructions as fmt records (bess_ctldev_record) in memory
 * (*buf, *len: a new buffer; the caller frees it). 0, or -1 when out of
 * memory.
 */
int bess_ctldev_records(const struct bess_ctldev *c, enum bess_fmt fmt, char **buf, size_t *len);

/*
 * Carry the devices across runs (the state file, version 3): restore
 * each device of the file from its id's keys (a device the state does not
 * name starts on, nothing held or done; the state's other ids are
 * dropped), save every sheddable and shiftable device's.
 */
void bess_ctldev_restore(struct bess_ctldev *c, const struct bess_state *st);
/* -1 when the state file cannot keep that many devices (BESS_STATE_MAX_DEVICES). */
int bess_ctldev_save(const struct bess_ctldev *c, struct bess_state *st);

#endif
