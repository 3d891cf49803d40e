/* bess_devstate.h: what each controllable load is doing as a run goes on — the state carried from one plan (window) to the next: on or off, what is left of a min_on or min_off, hours off today, a task's energy so far. */
#ifndef BESS_DEVSTATE_H
#define BESS_DEVSTATE_H

#include <stddef.h>

#include "bess_devices.h"
#include "bess_lp.h"
#include "bess_lpdev.h"
#include "bess_time.h"

/*
 * A run's devices step by step: their state now (each window's model
 * starts from it: bess_lpdev.h) and what each did in every step so far.
 */
struct bess_devrun {
	const struct bess_devices *dv;	/* not owned */
	size_t n;			/* steps of the run */
	double dt_h;			/* step, h */
	struct bess_devstate *st;	/* per device: after the steps applied so far */
	double *power_kw;		/* [i * n + k]: what device i drew in step k, kW */
	unsigned char *on;		/* [i * n + k]: 1 if on (sheddable not shed, shiftable running) */
	double *plan_kw;		/* the standing plan [i * plan_cap + j], kW */
	unsigned char *plan_on;		/* [i * plan_cap + j] */
	size_t plan_len, plan_cap;	/* its steps; room for */
	double *cur_kw;			/* [i]: the step being taken (bess_devrun_begin), kW */
	unsigned char *cur_on;		/* [i] */
};

/* All devices on, nothing done. -1 when out of memory (r is then freed). */
int bess_devrun_init(struct bess_devrun *r, const struct bess_devices *dv, size_t n, double dt_h);
void bess_devrun_free(struct bess_devrun *r);

/*
 * Device i's state st after a step of dt_h hours from ts in which it was
 * on (or off) drawing power_kw: a sheddable device's switch starts its
 * min_off (switched off) or min_on (switched on) hold, a hold runs down,
 * hours off count per local day; a shiftable device's energy counts
 * toward the task the step belongs to.
 */
void bess_devstate_step(const struct bess_devices *dv, size_t i, struct bess_devstate *st, bess_time_t ts,
    double dt_h, int on, double power_kw);

/*
 * What device i does in a step from ts with no plan (the no-action rule
 * from state st): a sheddable device stays off while its min_off hold
 * lasts, else it is on; a shiftable device runs at its highest level
 * while its task's energy is not yet met; an essential device is on.
 */
void bess_devstate_default(const struct bess_devices *dv, size_t i, const struct bess_devstate *st,
    bess_time_t ts, double dt_h, int *on, double *power_kw);

/*
 * What device i doing (on, power_kw) adds to the site's metered load_kw,
 * kW: a shed sheddable device -power_kw of its file (load_kw has it on),
 * a shiftable device its power (load_kw lacks it), essential 0.
 */
double bess_devstate_load_kw(const struct bess_device *d, int on, double power_kw);

/* The devices' part of a solved window's schedule (its first len steps) becomes the standing plan. -1 when out of memory. */
int bess_devrun_plan(struct bess_devrun *r, const struct bess_lp *lp, size_t len);

/*
 * The step from ts: step j of the standing plan ((size_t)-1 or past it:
 * no plan, each device by the no-action rule) into cur_kw and cur_on.
 * Returns what the devices add to the site's metered load, kW.
 */
double bess_devrun_begin(struct bess_devrun *r, size_t j, bess_time_t ts);

/* Step k from ts taken as cur_kw and cur_on say: recorded and every state advanced. */
void bess_devrun_step(struct bess_devrun *r, size_t k, bess_time_t ts);

/*
 * A device reported its state (on or off) at the start of the next plan:
 * a sheddable device found in another state than st says has switched
 * then, and holds the new state for its min_on (on) or min_off (off)
 * from that moment; the plan starts from it. Returns 1 if the report
 * differs from st (the device did not do as told), else 0.
 */
int bess_devstate_report(const struct bess_device *d, struct bess_devstate *st, int on);

#endif
