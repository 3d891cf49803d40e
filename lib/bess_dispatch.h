/* bess_dispatch.h: bess-dispatch's runs over a history (--simulate, --backtest) — the events and devices files loaded, the engine run, and what it found made ready to write: the trajectory, each device's records, the breakdown, the summary and the warnings. */
#ifndef BESS_DISPATCH_H
#define BESS_DISPATCH_H

#include <stdio.h>

#include "bess_backtest.h"
#include "bess_ctlconf.h"
#include "bess_devices.h"
#include "bess_event.h"
#include "bess_opt.h"

/* What a run is asked to do. */
struct bess_dispatch_opts {
	int backtest;			/* 1: --backtest (the controller over the history); 0: --simulate */
	const struct bess_fleet *fleet;	/* the batteries */
	const struct bess_site *site;	/* grid connection, tariff, binaries rule */
	const struct bess_tariff *tariff;	/* NULL = the site's flat prices */
	const struct bess_tz *tz;	/* zone of the breakdown and --da-publish, NULL = none */
	const struct bess_ctlconf *cf;	/* what the backtest's controller shares with the live one: horizon,
					   set-point, nowcast, amortize; the events file and its baselines'
					   load history (NULL: the history's own load) */
	const char *devices;		/* controllable loads (bess-devices(5)), NULL = none; --simulate:
					   their instructions are the commands' device records */
	const struct bess_table *commands;	/* --simulate: per-device commands, NULL = the history's command column */
	struct bess_fc_spec fc;		/* --forecast, --profile-days */
	struct bess_backtest_opts bo;	/* --backtest's settings: every, cold, method, da_min, the rule's
					   quantiles, no_optimum (and progress) stored here; the rest is
					   filled by bess_dispatch_open */
	enum bess_by by;		/* the breakdown's periods */
	enum bess_fmt fmt;		/* the records' format (trajectory, per device, breakdown) */
};

/*
 * The options that set it (NULL-terminated; config keys and BESS_*
 * variables too): --every, --forecast, --profile-days, --da-publish,
 * --rule, --no-optimum, --solve, --method, --by. Their ids run from
 * BESS_DISPATCH_OPT_BASE.
 */
enum { BESS_DISPATCH_OPT_BASE = 1300, BESS_DISPATCH_OPT_END = 1400 };
extern const struct bess_optdef bess_dispatch_optdefs[];

/* Defaults: re-optimise every step, persistence forecasts, no day-ahead publication, the rule at 0.25 and 0.75, months. */
void bess_dispatch_opts_init(struct bess_dispatch_opts *o);
/* Is id one of bess_dispatch_optdefs? */
int bess_dispatch_is_opt(int id);
/* Store option id's arg (NULL for a flag) in o. 0, or -1 with err->msg. */
int bess_dispatch_set(struct bess_dispatch_opts *o, int id, const char *arg, struct bess_err *err);

/* A run: its inputs, and what it found. */
struct bess_dispatch {
	const struct bess_dispatch_opts *o;	/* (not owned) */
	const struct bess_history *h;	/* the history (not owned) */
	struct bess_events events;	/* the events file's events */
	struct bess_load_history lh;	/* their baselines' load history */
	struct bess_event_plan *plans;	/* the events on the history's grid (NULL = none) */
	size_t nplans;			/* how many (0 without events) */
	struct bess_event_result *evr;	/* --simulate: each event settled against the commands */
	struct bess_devices *dv;	/* the devices (NULL = none) */
	struct bess_backtest_opts bo;	/* the backtest's settings as run */
	struct bess_simulate sm;	/* --simulate's result */
	struct bess_devplan sdp;	/* --simulate --devices: the devices as instructed, settled */
	struct bess_backtest bt;	/* --backtest's result (bt.horizon set by bess_dispatch_open) */
};

/*
 * Start a run over h (which must outlive d): the events and the devices
 * loaded, and a backtest's outlook built. 0; BESS_DISPATCH_USAGE with err
 * when --every is longer than the horizon (a usage error); or -1 with
 * err. Free d with bess_dispatch_free in every case.
 */
#define BESS_DISPATCH_USAGE 2
int bess_dispatch_open(struct bess_dispatch *d, const struct bess_dispatch_opts *o,
    const struct bess_history *h, struct bess_err *err);

/* Run it: the commands settled (--simulate, with the events settled against them) or the backtest. 0, or -1 with err. */
int bess_dispatch_run(struct bess_dispatch *d, struct bess_err *err);

/*
 * The trajectory as records to fp in o->fmt: the history's columns, then
 * command_kw, charge_kw, discharge_kw, battery_kw (charge - discharge),
 * soc_kwh, soc_pct (of the fleet's capacity), grid_import_kw,
 * grid_export_kw, curtail_kw (with solar only), cost (the step's), clip.
 * 0, or -1 with err (err->msg empty when a write failed and the writer's
 * finish said nothing more).
 */
int bess_dispatch_traj(const struct bess_dispatch *d, FILE *fp, struct bess_err *err);

/* Each battery's settled records, then each device's, into a new buffer *buf (free it). 0, or -1 out of memory. */
int bess_dispatch_per_device(const struct bess_dispatch *d, char **buf, size_t *len);

/* The breakdown (bess_breakdown) per o->by into a new buffer *buf. 0, or -1 with err. */
int bess_dispatch_breakdown(const struct bess_dispatch *d, char **buf, size_t *len, struct bess_err *err);

/* Each warning the run leaves (a device's tasks not delivered by their deadlines), handed to warn. */
void bess_dispatch_warnings(const struct bess_dispatch *d, void (*warn)(void *ctx, const char *msg), void *ctx);

/* The summary record into k, and the line for people into human. */
void bess_dispatch_summary(const struct bess_dispatch *d, struct bess_kv *k, char *human, size_t len);

void bess_dispatch_free(struct bess_dispatch *d);

#endif
