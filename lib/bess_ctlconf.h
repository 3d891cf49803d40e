/* bess_ctlconf.h: the controller's settings as a tool states them (durations, a safe SOC in kWh or % of capacity) made into a controller with its demand-response events — shared by --live and --once. */
#ifndef BESS_CTLCONF_H
#define BESS_CTLCONF_H

#include "bess_ctl.h"

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
	const char *events;		/* demand-response events file (bess-events(5)), NULL = none */
	const char *baseline_from;	/* load history for their baselines, NULL = none */
};

/*
 * The controller of fleet f (its first battery's capacity turns a safe SOC
 * in % into kWh) at site s under tariff (NULL = the site's flat prices),
 * with cf's settings and events. NULL with err.
 */
struct bess_ctl *bess_ctlconf_new(const struct bess_ctlconf *cf, const struct bess_fleet *f,
    const struct bess_site *s, const struct bess_tariff *tariff, struct bess_err *err);

#endif
