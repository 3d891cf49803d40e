/* bess_optimize.h: one optimisation over a whole run (bess-optimize's engine): the model built and solved, the fallback, the site without the battery, costs, events settled, offers weighed, and its summary and documents. */
#ifndef BESS_OPTIMIZE_H
#define BESS_OPTIMIZE_H

#include <stddef.h>
#include <stdio.h>

#include "bess_tariff.h"
#include "bess_devices.h"
#include "bess_devplan.h"
#include "bess_err.h"
#include "bess_event.h"
#include "bess_fleet.h"
#include "bess_lp.h"
#include "bess_offer.h"
#include "bess_rec.h"
#include "bess_summary.h"
#include "bess_table.h"

/* What one run is given (the caller owns all of it; it must outlast the run). */
struct bess_optimize_in {
	const struct bess_fleet *fleet;		/* the batteries (one: bat[0], id "battery") */
	const struct bess_site *site;		/* grid connection, tariff, binaries rule */
	const struct bess_table *t;		/* the input records: times, and files and lines for messages */
	long long step_us;			/* the grid's step, microseconds */
	const struct bess_rates *rates;		/* prices per step (bess_rates_build over t) */
	const double *load_kw;			/* site load per step, NULL = none */
	const double *solar_kw;			/* PV generation per step, NULL = none */
	const double *import_limit_kw;		/* per-step import limit, NULL = the site's */
	const double *export_limit_kw;		/* per-step export limit, NULL = the site's */
	const char *events;			/* demand-response events to meet (bess-events(5)), NULL = none */
	const char *offer;			/* events offered, weighed one by one, NULL = none */
	const char *baseline_from;		/* load history for like-days baselines, NULL = none */
	const struct bess_devices *dv;		/* controllable loads, NULL = none */
	enum bess_lp_method method;		/* simplex, interior or auto */
};

/* One run: what it built, and everything its summary says. */
struct bess_optimize {
	struct bess_optimize_in in;		/* what it was given */
	struct bess_lp *lp;			/* the model (bess_optimize_build) */
	struct bess_lp_input lin;		/* the model's input */
	struct bess_lp_opts lo;			/* how it is solved */
	unsigned flags;				/* the model's flags (bess_lp_flags_for_n) */
	double soc0_kwh[BESS_FLEET_MAX];	/* per battery: SOC at the start, kWh */
	const char *status;			/* "optimal", "feasible" (not proved within the gap) or
						   "fallback"; NULL until solved */
	const char *solver_status;		/* "optimal", "feasible", "infeasible", "failed" */
	char reason[600];			/* why a fallback, "" if optimal or feasible */
	long bad_step;				/* first step that cannot be met, -1 */
	struct bess_err note;			/* what to tell about the outcome: a schedule not proved
						   optimal, infeasible (at the input's file:line) or a
						   failed solver; msg "" when optimal */
	struct bess_lp_result res;		/* solver answer */
	struct bess_cost cost;			/* the written schedule, priced */
	struct bess_cost base;			/* the site without the battery, priced */
	struct bess_lp_schedule sc;		/* the written schedule (the fallback: battery idle) */
	struct bess_lp_schedule idle;		/* the site without the battery */
	double *step_cost;			/* the written schedule's cost per step */
	double *base_load_kw;			/* with devices: the load with them as without action, per step */
	size_t n;				/* steps */
	double step_s;				/* step length, seconds */
	struct bess_events events;		/* in.events loaded */
	struct bess_event_plan *plan;		/* the events on the grid */
	struct bess_event_result *ev;		/* and settled against the written schedule */
	size_t nev;				/* events */
	struct bess_events offers;		/* in.offer loaded */
	struct bess_event_plan *oplan;		/* the offers on the grid */
	struct bess_offer *offer;		/* offered events, weighed */
	size_t noffer;				/* offers weighed */
	struct bess_load_history hist;		/* in.baseline_from read */
	struct bess_devplan dp;			/* the devices' plan */
	const struct bess_devplan *devplan;	/* &dp once built, NULL without devices */
};

/*
 * Load the events and offers, check that no offer overlaps an event, and
 * build the model (o->lp, to write with bess_lp_write before solving).
 * o is cleared first; free it with bess_optimize_free in any case.
 * 0, or -1 with err.
 */
int bess_optimize_build(struct bess_optimize *o, const struct bess_optimize_in *in, struct bess_err *err);

/*
 * Solve the model built, and fill the outcome: the schedule or (infeasible,
 * failed) the fallback with the battery idle, o->note, the devices' plan,
 * both costs, the events settled and the offers weighed. -1 with err on
 * a failure of the run itself (o->status is set once the solver has answered).
 */
int bess_optimize_solve(struct bess_optimize *o, struct bess_err *err);

void bess_optimize_free(struct bess_optimize *o);

/* Everything the summary says, as one record (key vocabulary in bess(7)). */
void bess_optimize_summary(struct bess_kv *k, const struct bess_optimize *o);
/* The summary as one JSON object (no newline); -1 when out of memory. */
int bess_optimize_summary_json(FILE *fp, const struct bess_optimize *o);
/* The schedule as one JSON document with arrays, and the summary (-f json). */
void bess_optimize_doc(FILE *fp, const struct bess_optimize *o);
/*
 * The written schedule as records to fp in fmt (csv, ndjson or lp): each
 * input record's columns carried through, then charge_kw, discharge_kw,
 * battery_kw, soc_kwh, soc_pct (of the fleet's capacity), grid_import_kw,
 * grid_export_kw, curtail_kw (only with solar), cost and status. 0, or -1
 * (err filled unless the failure was a write already said by the writer).
 */
int bess_optimize_records(FILE *fp, enum bess_fmt fmt, const struct bess_optimize *o,
    struct bess_err *err);
/*
 * The per-device records (bess(7) PER-DEVICE RECORDS) in fmt: the batteries
 * when the fleet was given, then the devices, in a new *buf of *len bytes.
 * 0, or -1 when out of memory.
 */
int bess_optimize_per_device(const struct bess_optimize *o, enum bess_fmt fmt, char **buf, size_t *len);

#endif
