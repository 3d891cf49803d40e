/* bess_ctlconf.h: the controller's settings as a tool states them (its options: durations, a safe SOC in kWh or % of capacity) made into a controller with its demand-response events — shared by --live, --once and the backtest. */
#ifndef BESS_CTLCONF_H
#define BESS_CTLCONF_H

#include "bess_ctl.h"
#include "bess_opt.h"

/* What a tool's options say about the controller (bess-dispatch(1): Live and cron). */
struct bess_ctlconf {
	long long step_us;		/* control interval, microseconds (> 0) */
	long long horizon_us;		/* look-ahead, microseconds: rounded up to whole intervals, at least one */
	long long stale_us;		/* an input older than this makes the command safe, microseconds */
	int safe_hold;			/* 1: the safe command holds a SOC (safe_kwh or safe_pct); 0: idle */
	double safe_kwh;		/* that SOC, kWh (NAN when given in %) */
	double safe_pct;		/* that SOC, % of each battery's capacity (NAN when given in kWh) */
	int setpoint;			/* enum bess_setpoint */
	int amortize;			/* 1: plans weigh demand rates by their share of the bill */
	long long nowcast_us;		/* the load forecast's miss fades with this half-life, microseconds (0 = off) */
	int follow_meter;		/* enum bess_ctl_meter */
	int clock_events;		/* 1: time is the ts of state updates and ticks (--clock events); 0: the wall clock */
	char *events;			/* demand-response events file (bess-events(5)), NULL = none (owned) */
	char *baseline_from;		/* load history for their baselines, NULL = none (owned) */
};

/*
 * The options that set it (NULL-terminated; config keys and BESS_*
 * variables too): --horizon, --step, --stale, --safe, --setpoint,
 * --nowcast, --amortize, --follow-meter, --clock, --events,
 * --baseline-from. Their ids run from BESS_CTLCONF_OPT_BASE.
 */
enum { BESS_CTLCONF_OPT_BASE = 1200, BESS_CTLCONF_OPT_END = 1300 };
extern const struct bess_optdef bess_ctlconf_optdefs[];

/* Defaults: 15 min intervals, 48 h ahead, stale after 1 h, safe = idle, set-point grid, nowcast 4 h, amortize on. */
void bess_ctlconf_init(struct bess_ctlconf *cf);
void bess_ctlconf_free(struct bess_ctlconf *cf);
/* Is id one of bess_ctlconf_optdefs? */
int bess_ctlconf_is_opt(int id);
/* Store option id's arg (NULL for a flag) in cf. 0, or -1 with err->msg. */
int bess_ctlconf_set(struct bess_ctlconf *cf, int id, const char *arg, struct bess_err *err);
/* The nowcast's half-life in hours (0 = off), as bess_ctl_opts and bess_backtest_opts take it. */
double bess_ctlconf_nowcast_h(const struct bess_ctlconf *cf);
/* Check cf against the batteries of f (a SOC to hold in kWh within each one's capacity). 0, or -1 with err (a usage error). */
int bess_ctlconf_check(const struct bess_ctlconf *cf, const struct bess_fleet *f, struct bess_err *err);

/*
 * The controller of fleet f (its first battery's capacity turns a safe SOC
 * in % into kWh) at site s under tariff (NULL = the site's flat prices),
 * with cf's settings and events. NULL with err.
 */
struct bess_ctl *bess_ctlconf_new(const struct bess_ctlconf *cf, const struct bess_fleet *f,
    const struct bess_site *s, const struct bess_tariff *tariff, struct bess_err *err);

#endif
