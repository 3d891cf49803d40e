/* bess_backtest.h: settling a command stream (simulate) and backtesting the receding-horizon controller over a history, with the baseline, the whole-period optimum and the rule beside it; their summaries and per-period breakdowns. */
#ifndef BESS_BACKTEST_H
#define BESS_BACKTEST_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_devplan.h"
#include "bess_devstate.h"
#include "bess_fleet.h"
#include "bess_err.h"
#include "bess_forecast.h"
#include "bess_lp.h"
#include "bess_mpc.h"
#include "bess_report.h"
#include "bess_sim.h"
#include "bess_summary.h"
#include "bess_table.h"
#include "bess_tariff.h"

/* The numeric columns a history may have. */
enum {
	BESS_H_PRICE, BESS_H_XPRICE, BESS_H_LOAD, BESS_H_SOLAR, BESS_H_IL, BESS_H_EL,
	BESS_H_PRICE_FC, BESS_H_XPRICE_FC, BESS_H_LOAD_FC, BESS_H_SOLAR_FC, BESS_H_BATTERY,
	BESS_H_CHARGE, BESS_H_DISCHARGE, BESS_H_CURTAIL, BESS_H_NCOL
};

/* A table of records on a regular grid seen as a series. */
struct bess_history {
	const struct bess_table *t;	/* the records (not owned; must outlive h) */
	double *col[BESS_H_NCOL];	/* numeric columns (owned), NULL if absent */
	struct bess_series ser;		/* the series view */
	long long step_us;		/* step, microseconds */
};

/*
 * Bind t: two records or more on a regular grid; load_kw and solar_kw,
 * when present, have a value in every step (the simulator needs what
 * really happened). 0, or -1 with err (h is then freed).
 */
int bess_history_bind(struct bess_history *h, const struct bess_table *t, struct bess_err *err);
void bess_history_free(struct bess_history *h);

/* --simulate: a command stream (battery_kw, or charge_kw and discharge_kw) settled. */
struct bess_simulate {
	struct bess_rates rates;	/* the run's prices, periods and bills */
	struct bess_traj tr;		/* what the battery did */
	struct bess_sim sim;		/* final state and clip counts */
	struct bess_cost cost;		/* its bill */
	struct bess_cost base;		/* the bill without the battery */
	struct bess_lp_schedule idle;	/* the grid without the battery */
	double *step_cost;		/* per step: energy - export + degradation */
	double *base_cost;		/* the same without the battery */
	const struct bess_fleet *fleet;	/* the batteries of bess_simulate_run_fleet (NULL: one) */
	struct bess_lp_schedule per;	/* with fleet: each battery's settled flows and SOC */
};

int bess_simulate_run(struct bess_simulate *sm, const struct bess_battery *b,
    const struct bess_site *s, const struct bess_tariff *tariff, const struct bess_history *h,
    struct bess_err *err);
void bess_simulate_free(struct bess_simulate *sm);

/*
 * The same for the batteries of f behind the one meter (bess(7)
 * BATTERIES), settled by bess_fleet_sim_step. Their commands come from
 * cmd, per-device records (bess_fleet_commands; a battery without a
 * record for a step is idle there, a "missing" clip), or, for one battery
 * and cmd NULL, from the history's command column as bess_simulate_run.
 * sm->tr and sm->sim hold the site's sums, sm->per each battery's.
 */
int bess_simulate_run_fleet(struct bess_simulate *sm, const struct bess_fleet *f,
    const struct bess_site *s, const struct bess_tariff *tariff, const struct bess_history *h,
    const struct bess_table *cmd, struct bess_err *err);

/*
 * The same with the devices of dv (bess_devsim.h): their instructions from
 * cmd's records whose kind is not "battery" (a device without any follows
 * the no-action rule), its battery records the batteries' commands (one
 * battery without any: the history's command column). The load the
 * batteries meet is load_kw with the devices as instructed; sm->base and
 * sm->idle are the site with neither battery nor control (sheddable devices
 * on, shiftable ones at their no-action baseline). *dp gets the devices as
 * instructed, settled (free it with bess_devplan_free).
 */
int bess_simulate_run_devices(struct bess_simulate *sm, struct bess_devplan *dp, const struct bess_fleet *f,
    const struct bess_site *s, const struct bess_tariff *tariff, const struct bess_history *h,
    const struct bess_table *cmd, const struct bess_devices *dv, struct bess_err *err);

/* --backtest's settings. */
struct bess_backtest_opts {
	long long horizon_us;		/* look-ahead of each optimisation */
	size_t every;			/* re-optimise every N steps */
	int cold;			/* 1: rebuild and solve cold each time */
	enum bess_lp_method method;	/* method of cold solves and of the optimum */
	const struct bess_fc_spec *fc;	/* forecast methods */
	const struct bess_tz *tz;	/* zone of --da-publish and the breakdown (NULL = none) */
	int da_min;			/* day-ahead publication, minutes after local midnight; -1 = none */
	double rule_lo, rule_hi;	/* the rule's price quantiles; rule_lo < 0: no rule */
	int no_optimum;			/* 1: skip the whole-period optimum */
	enum bess_setpoint setpoint;	/* how a plan's step meets the real load */
	const struct bess_event_plan *events;	/* demand-response events on the history's grid (NULL = none) */
	size_t nevents;
	const struct bess_devices *devices;	/* controllable loads planned with the battery (NULL = none):
					   load_kw is the site with its sheddable devices on and
					   without its shiftable devices (bess-devices(5)) */
	double nowcast_h;		/* the load forecast's latest miss fades with this half-life, h (0 = off) */
	int amortize;			/* 1: windows weigh demand rates by their share of the bill */
	void (*progress)(void *ctx, size_t done, size_t total);	/* may be NULL */
	void *progress_ctx;
};

/* What a backtest found: the controller's run and what it is compared with. */
struct bess_backtest {
	size_t n;			/* steps */
	size_t horizon;			/* window, steps */
	struct bess_outlook o;		/* what was known when (its rates are the actual bill's) */
	struct bess_traj tr;		/* the controller's trajectory */
	struct bess_sim sim;		/* its final state and clips */
	struct bess_mpc_stats st;	/* solves, fallbacks, pivots, time */
	struct bess_cost cost;		/* the controller's bill */
	struct bess_cost base;		/* without the battery */
	struct bess_cost ocost;		/* the whole-period optimum's (have_opt) */
	struct bess_cost rcost;		/* the rule's (have_rule) */
	struct bess_lp_schedule idle;	/* the grid without the battery */
	struct bess_lp_schedule opt;	/* the optimum's schedule */
	struct bess_lp_result ores;	/* its solve */
	struct bess_traj rtr;		/* the rule's trajectory */
	struct bess_sim rsim;		/* its final state and clips */
	double *step_cost, *base_cost, *opt_cost, *rule_cost;	/* per step (opt, rule: NULL if not run) */
	int have_opt;			/* the optimum was solved to optimality */
	int have_rule;			/* the rule ran */
	struct bess_event_result *ev;	/* per event: settled against the controller's run (realised) */
	struct bess_event_result *oev;	/* per event: against the optimum's schedule (have_opt) */
	size_t nev;
	struct bess_devrun dr;		/* with devices: what each did in the controller's run */
	struct bess_devplan dp;		/* with devices: that run settled (shed and shift savings) */
	struct bess_devplan odp;	/* with devices: the optimum's device plan (have_opt) */
	int have_dev;			/* the run had devices (dp set) */
	double run_s;			/* wall time of the controller's loop and its bill, s */
	double opt_s;			/* wall time of the optimum, s */
	const struct bess_tariff *tariff;	/* the tariff (not owned; NULL = none) */
	const struct bess_fleet *fleet;	/* the batteries of bess_backtest_run_fleet (NULL: one) */
	struct bess_lp_schedule per;	/* with fleet: each battery's settled flows and SOC */
};

/*
 * Check the inputs and build the outlook (errors: no price and no tariff,
 * a day-ahead rule without a zone, the outlook's own); bt->horizon is set.
 * The caller may then check opts->every against it. bt is freed by
 * bess_backtest_free whatever the outcome.
 */
int bess_backtest_init(struct bess_backtest *bt, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_history *h,
    const struct bess_backtest_opts *opts, struct bess_err *err);
/* Run the controller, price it, and run the optimum and the rule as asked. */
int bess_backtest_run(struct bess_backtest *bt, const struct bess_battery *b,
    const struct bess_site *s, const struct bess_backtest_opts *opts, struct bess_err *err);
void bess_backtest_free(struct bess_backtest *bt);

/*
 * Run it for the batteries of f (bess_mpc_run_n; the optimum plans all of
 * them; the rule is one battery's, and is left out for several). The
 * summary then names the site's battery (bess_fleet_site_battery) and,
 * for batteries given by --battery, adds the "batteries" list. One battery
 * gives what bess_backtest_run gives.
 */
int bess_backtest_run_fleet(struct bess_backtest *bt, const struct bess_fleet *f,
    const struct bess_site *s, const struct bess_backtest_opts *opts, struct bess_err *err);

/*
 * The demand-response events of events_path laid on h's grid, their
 * like-days baselines from baseline_path (a load history file) or, when
 * NULL, from h's own load_kw less solar_kw. ev, lh and *plans are the
 * caller's to free (bess_events_free, bess_load_history_free,
 * bess_event_plans_free(*plans, ev->n)) whatever the outcome. 0, or -1.
 */
int bess_backtest_events(const struct bess_history *h, const char *events_path,
    const char *baseline_path, struct bess_events *ev, struct bess_load_history *lh,
    struct bess_event_plan **plans, struct bess_err *err);

/* Summary records (key vocabulary in bess(7)). */
void bess_summary_simulate(struct bess_kv *k, const struct bess_simulate *sm,
    const struct bess_battery *b, const struct bess_site *s, const struct bess_history *h);
void bess_summary_backtest(struct bess_kv *k, const struct bess_backtest *bt,
    const struct bess_battery *b, const struct bess_site *s, const struct bess_history *h,
    const struct bess_backtest_opts *opts);

/* What a breakdown adds beside the costs (each NULL = left out). */
struct bess_breakdown_more {
	const struct bess_rates *rates;	/* the run's prices and bills: energy_cost, export_revenue,
					   degradation_cost (with cost, below) */
	const struct bess_cost *cost;	/* the run's bill: its demand lines, demand_cost */
	const struct bess_cost *base;	/* the bill without the battery (and devices' control):
					   baseline_demand_cost */
	const struct bess_devplan *dp;	/* the devices settled: shed_ and shift_ figures */
};

/*
 * Per local day or month of tz: the costs of each strategy (opt, rule may
 * be NULL) and the battery's work, as records in format fmt into a new
 * (with events evp[0..nev) settled as evr: dr_payment and dr_penalty, each
 * event counted in the period of its first step)
 * buffer *buf (free it) of *len bytes. 0, or -1 with err.
 */
int bess_breakdown(const struct bess_history *h, const struct bess_tz *tz, enum bess_by by,
    enum bess_fmt fmt, double capacity_kwh, const struct bess_traj *tr, const double *cost,
    const double *base, const double *base_import, const double *opt, const double *rule,
    const struct bess_event_plan *evp, const struct bess_event_result *evr, size_t nev,
    const struct bess_breakdown_more *more, char **buf, size_t *len, struct bess_err *err);

/* One line for people about a run ("backtest: cost ..., optimum ...; N solves in T s") into buf. */
void bess_backtest_line(const struct bess_backtest *bt, char *buf, size_t len);
void bess_simulate_line(const struct bess_simulate *sm, char *buf, size_t len);

/* A long run's progress on a terminal: at most four lines a second, with the rate and what is left. */
struct bess_progress {
	double t0, last;	/* start, last line (s, monotonic) */
	int shown;		/* a line is on the terminal (not yet ended) */
};
void bess_progress_init(struct bess_progress *p);
/*
 * The line to show after done of total steps ("12/100 steps, 40/s, ETA 2 s   ",
 * ending in a newline when done == total), or 0 when it is too soon for one.
 */
int bess_progress_line(struct bess_progress *p, size_t done, size_t total, char *buf, size_t len);

#endif
