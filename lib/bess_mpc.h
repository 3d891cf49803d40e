/* bess_mpc.h: the receding-horizon loop over a history — re-optimise over the horizon with what is known, apply the first step to the simulator, advance. */
#ifndef BESS_MPC_H
#define BESS_MPC_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_devplan.h"
#include "bess_devstate.h"
#include "bess_err.h"
#include "bess_forecast.h"
#include "bess_lp.h"
#include "bess_setpoint.h"
#include "bess_sim.h"

/*
 * At each control step k (every opts.every steps from the first), the
 * window k .. k+horizon-1 (cut at the end of the history) is loaded into
 * ONE model built for the whole run: prices, load and solar as the
 * outlook forecasts them at k, limits as given, the SOC the simulator
 * reached, the cycle budget left today, and the bills so far as
 * bess_rates_cost settles them: the demand billed so far in the current
 * bill (means of completed demand windows; a window begun before k enters
 * the model as its import so far), each ratchet's floor from the bills
 * before the window, the current bill's kWh, cost and paid export (energy
 * blocks, export cap, and the minimum of a bill that ends in the window). The model's basis is shifted by the steps
 * moved and the dual simplex starts from it (a handful of pivots a
 * window). The plan's steps are applied to the simulator, which settles
 * them against what really happened, until the next re-optimisation.
 *
 * Every window ends with at least the SOC the run started with (the
 * battery's terminal rule "init" read as the run's initial SOC; "free",
 * "QTY" and "=QTY" apply to every window as they are), so with perfect
 * foresight and a horizon that covers the history the loop reproduces the
 * whole-period optimum.
 *
 * With a setpoint other than "battery", each step of the plan is carried
 * out against the step's real load (bess_setpoint_apply) with the import
 * cap the plan accepts there (bess_setpoint_caps, never below the peak
 * reached since). With amortize, each window's demand rates are weighed
 * by the share of the rest of the bill the window covers. With nowcast_h, the load forecast of each window is
 * corrected by the forecaster's miss in the step just before (actual -
 * forecast), fading with that half-life: what a controller that reads its
 * meter knows.
 *
 * A window whose import limit cannot be met in some steps has those
 * limits lifted to what the steps need (bess_mpc_solve), counted in
 * relaxed_steps, instead of losing the whole window. A window with no
 * schedule still (the solver failed) leaves the battery idle until the
 * next re-optimisation; those steps are counted and the first reason kept.
 *
 * With opts.devices, every window schedules the controllable loads with
 * the battery from their state when it starts (bess_devstate.h: on or
 * off, what is left of a min_on or min_off, hours off today, a task's
 * energy so far); each step applies the plan's device commands to the
 * real load (a shed device's power off load_kw, a shiftable device's
 * added: bess_devstate_load_kw), records them and advances the state.
 * A step with no plan applies the no-action rule (bess_devstate_default).
 *
 * With opts.events, every window meets the events it sees (bess_lp_events):
 * a reduction event's steps already past count with the import realised,
 * its steps beyond the window at their baseline.
 */
struct bess_mpc_opts {
	size_t horizon;				/* window length, steps (>= 1) */
	size_t every;				/* re-optimise every N steps (>= 1) */
	int cold;				/* 1: build a new model and solve it cold each time (for comparison) */
	enum bess_lp_method method;		/* method of cold solves */
	enum bess_milp milp;			/* binaries rule */
	enum bess_setpoint setpoint;		/* how a plan's step meets the real load (guard and grid also
						   tilt each window's prices: bess_setpoint_tilt) */
	double nowcast_h;			/* > 0: the load forecast's latest miss is added to the
						   window, halving every nowcast_h hours; 0 = off */
	const struct bess_event_plan *events;	/* demand-response events on the history's grid (NULL = none) */
	size_t nevents;
	struct bess_devrun *devices;		/* controllable loads (initialised by the caller; their
						   state and record are filled in); NULL = none */
	int amortize;				/* 1: each window's demand rates weighed by its share of
						   the rest of the bill (bess_setpoint_share) */
	const struct bess_tariff *tariff;	/* the billing periods of that share (NULL = none) */
	void (*progress)(void *ctx, size_t done, size_t total);	/* called now and then, may be NULL */
	void *progress_ctx;
};

/* What the loop did. */
struct bess_mpc_stats {
	size_t solves;			/* re-optimisations */
	size_t failed_solves;		/* of which found no schedule */
	size_t fallback_steps;		/* steps left idle for want of a schedule */
	size_t milp_solves;		/* solves that needed binaries */
	size_t milp_not_proved;		/* of which not proved optimal within the gap (schedule used) */
	size_t builds;			/* models built */
	size_t cold_starts;		/* warm solves whose shifted basis could not be used (solved cold) */
	size_t setpoint_steps;		/* steps whose power the setpoint changed from the plan's */
	size_t relaxed_steps;		/* import limits lifted where no schedule could meet them */
	long iterations;		/* simplex pivots, all solves */
	double solve_ms;		/* wall time in the solver, ms */
	long first_fallback_step;	/* -1 if none */
	char first_fallback[400];	/* why */
};

/*
 * Can the loop plan the nb batteries b[0..nb)? 0, or -1 with err when
 * several have a cycle cap (max_cycles_per_day: the window's daily budget
 * is one for the site). A tool checks this with its options, before any
 * input is read, and reports it as a usage error.
 */
int bess_mpc_fleet_check(const struct bess_battery *b, size_t nb, struct bess_err *err);

/*
 * Run the loop over the outlook's history for battery b at site s. t must
 * have n steps; sim receives the final state and clip counts.
 */
int bess_mpc_run(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, const struct bess_mpc_opts *opts, struct bess_traj *t,
    struct bess_sim *sim, struct bess_mpc_stats *st, struct bess_err *err);

/*
 * The same for nb batteries b[0..nb) behind the one meter (1 ..
 * BESS_FLEET_MAX): every window plans them together (bess_lp_new_n, each
 * from the SOC its simulator reached), each step is carried out per
 * battery (bess_setpoint_apply_n) and settled by bess_fleet_sim_step. t
 * and sim receive the site's sums (sim: bess_fleet_sim's site), per (NULL,
 * or a schedule of n steps and nb batteries) each battery's flows and SOC
 * and the site's grid. With one battery this is bess_mpc_run. Several
 * batteries with a cycle cap (max_cycles_per_day) are an error
 * (bess_mpc_fleet_check).
 */
int bess_mpc_run_n(const struct bess_battery *b, size_t nb, const struct bess_site *s,
    const struct bess_outlook *o, const struct bess_mpc_opts *opts, struct bess_traj *t,
    struct bess_sim *sim, struct bess_lp_schedule *per, struct bess_mpc_stats *st, struct bess_err *err);

/*
 * Solve lp, loaded with in (len active steps), with lo. When no schedule
 * exists, the import limit of the first step no schedule can meet
 * (bess_lp_diagnose) is lifted to that step's net load (il: the window's
 * import limits, in->import_limit_kw, changed in place), the model
 * reloaded and solved again, as long as that helps. *relaxed counts the
 * steps lifted. Returns as bess_lp_solve (res->status says the outcome).
 */
int bess_mpc_solve(struct bess_lp *lp, const struct bess_battery *wb, const struct bess_site *s,
    const struct bess_lp_input *in, size_t len, double *il, const struct bess_lp_opts *lo,
    struct bess_lp_result *res, size_t *relaxed, struct bess_err *err);
/* The same for a model of nbat batteries wb[0..nbat-1] (bess_lp_new_n). */
int bess_mpc_solve_n(struct bess_lp *lp, const struct bess_battery *wb, size_t nbat, const struct bess_site *s,
    const struct bess_lp_input *in, size_t len, double *il, const struct bess_lp_opts *lo,
    struct bess_lp_result *res, size_t *relaxed, struct bess_err *err);

/* The battery a window's model uses: terminal rule "init" becomes "at least b's initial SOC". */
void bess_mpc_battery(const struct bess_battery *b, struct bess_battery *w);

/* The LP input of the whole history with its actual values (for the optimum and the baseline). */
void bess_mpc_actual(const struct bess_outlook *o, struct bess_lp_input *in);

/*
 * The perfect-foresight optimum over the whole history: one model of n
 * steps with the actual values, solved cold with method (BESS_LP_AUTO
 * picks the interior point for large models). sc must have n steps.
 */
int bess_mpc_optimum(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    struct bess_lp_schedule *sc, struct bess_lp_result *res, struct bess_err *err);
/* The same for nb batteries (b[0..nb), sc a schedule of nb batteries; bess_mpc_optimum_ev is this with nb 1). */
int bess_mpc_optimum_n(const struct bess_battery *b, size_t nb, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    const struct bess_event_plan *ev, size_t nev, struct bess_lp_schedule *sc,
    struct bess_lp_result *res, struct bess_err *err);
/* The same with demand-response events on the history's grid (ev[0..nev), may be none). */
int bess_mpc_optimum_ev(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    const struct bess_event_plan *ev, size_t nev, struct bess_lp_schedule *sc,
    struct bess_lp_result *res, struct bess_err *err);
/*
 * bess_mpc_optimum_n with controllable loads dv too (NULL = none; no state: all on,
 * nothing done before the history): with a schedule, *dp is the devices'
 * plan (bess_devplan_build; the caller frees it).
 */
int bess_mpc_optimum_dv(const struct bess_battery *b, size_t nb, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    const struct bess_event_plan *ev, size_t nev, const struct bess_devices *dv,
    struct bess_lp_schedule *sc, struct bess_lp_result *res, struct bess_devplan *dp,
    struct bess_err *err);

#endif
