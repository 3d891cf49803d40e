/* bess_event.h: demand-response events — the events file, the like-days baseline, and the settlement (delivered, shortfall, payment, penalty) every tool prices an event with. */
#ifndef BESS_EVENT_H
#define BESS_EVENT_H

#include <stddef.h>

#include "bess_civil.h"
#include "bess_err.h"

/*
 * An event asks the site, over a window [start, end), either to keep its
 * grid import at or below cap_kw in every step (a cap event), or to import
 * reduce_kwh less over the window than its baseline (a reduction event).
 * A step belongs to the window when it starts inside it.
 *
 * The settlement, the one home of these equations (bess-events(5)); B[t]
 * the baseline, imp[t] the grid import, kW, dt the step in hours:
 *   reduction: baseline_kwh  = sum dt B[t]
 *              requested_kwh = reduce_kwh
 *              shortfall_kwh = max(0, sum dt imp[t] - (baseline_kwh - requested_kwh))
 *   cap:       requested_kwh = sum dt max(0, B[t] - cap_kw)
 *              shortfall_kwh = sum dt max(0, imp[t] - cap_kw)
 *   delivered_kwh = requested_kwh - shortfall_kwh (negative when the site
 *                   imports more than the baseline: paid back at the same rate)
 *   payment = payment_per_kwh * delivered_kwh
 *   penalty = penalty_per_kwh * shortfall_kwh
 * All of it is linear or convex in the import, so the schedule LP holds it
 * exactly (lib/lpevent.c): cost = -payment*requested + (payment + penalty) * shortfall.
 */
enum bess_event_kind {
	BESS_EVENT_REDUCE = 0,	/* reduce_kwh less than the baseline over the window */
	BESS_EVENT_CAP		/* import at most cap_kw in every step of the window */
};

/* Default like days of the baseline: "10 of 10" (CAISO's 10-in-10). */
#define BESS_EVENT_DAYS 10
/* Days looked back at most for like days. */
#define BESS_EVENT_LOOKBACK_DAYS 45

struct bess_event {
	char id[64];			/* the event's name */
	enum bess_event_kind kind;	/* reduction or cap */
	bess_time_t start_us, end_us;	/* the window [start, end), us since the epoch */
	double cap_kw;			/* CAP: the import cap, kW */
	double reduce_kwh;		/* REDUCE: the reduction asked against the baseline, kWh */
	double payment;			/* currency per kWh delivered */
	double penalty;			/* currency per kWh short */
	double baseline_kw;		/* a given flat baseline, kW; NAN = from the history (like days) */
	int days;			/* like days looked at (the Y of "X of Y") */
	int high;			/* of which the X with the highest window energy are averaged */
	char tz[64];			/* zone of the like days ("UTC" when not given) */
	long line;			/* line in the events file */
};

struct bess_events {
	struct bess_event *ev;		/* sorted by start */
	size_t n;
	char file[256];			/* the events file's name */
};

/*
 * Read an events file (CSV or NDJSON records; columns in bess-events(5)):
 * id, start, end, one of cap_kw / reduce_kwh, payment, penalty, and
 * optionally baseline_kw, baseline_days, baseline_high, tz. Errors name
 * file:line: a bad or missing field, an empty window, both or neither of
 * cap_kw and reduce_kwh, two events whose windows overlap, a repeated id.
 */
int bess_events_load(struct bess_events *e, const char *path, struct bess_err *err);
void bess_events_free(struct bess_events *e);

/*
 * One event laid on a regular grid of steps (ts[0] + i step_us): the
 * steps [first, first + m) start inside its window, baseline_kw[0..m) is
 * their baseline. Made by bess_event_plan.
 */
struct bess_event_plan {
	const struct bess_event *ev;	/* the event */
	size_t first, m;		/* its steps on the grid */
	double dt_h;			/* step length, hours */
	double *baseline_kw;		/* per step of the window (owned) */
	int baseline_days;		/* like days averaged (0 for a given baseline_kw) */
	double baseline_kwh;		/* sum dt baseline */
	double requested_kwh;		/* what the event asks (see above) */
};

/* A history of the site's net load (load - solar), for baselines. */
struct bess_load_history {
	bess_time_t *ts;		/* instants, increasing (owned) */
	double *net_kw;			/* net load, kW, NAN = no value (owned) */
	size_t n;
	char file[256];			/* its name, for messages */
};

/*
 * Read a load history (CSV or NDJSON records: ts with an offset, load_kw,
 * optional solar_kw; net = load - solar) from path. Times must increase.
 * 0, or -1 with err naming file:line.
 */
int bess_load_history_read(struct bess_load_history *h, const char *path, struct bess_err *err);
/* A history from arrays of n steps (copied; solar_kw may be NULL, NAN entries count as 0); 0 or -1. */
int bess_load_history_set(struct bess_load_history *h, const bess_time_t *ts, const double *load_kw,
    const double *solar_kw, size_t n, const char *file, struct bess_err *err);
void bess_load_history_free(struct bess_load_history *h);

/*
 * Lay the events on the grid of n steps from ts0, step_us apart, with
 * baselines from each event's baseline_kw or else from hist (may be NULL).
 * Every event's window must lie inside the grid, with at least one step.
 * The like-days baseline of a step: the site-local days before the event's
 * day of the same type (Monday to Friday, or Saturday and Sunday), without
 * an event of e on them, that have a value at the step's wall-clock time
 * for every step of the window, the last `days` of them within
 * BESS_EVENT_LOOKBACK_DAYS; of those, the `high` with the highest mean over
 * the window; the baseline is their mean at the step's time. No like day is
 * an error. plans: e->n of them (bess_event_plans_free).
 */
int bess_event_plan(const struct bess_events *e, bess_time_t ts0, long long step_us, size_t n,
    const struct bess_load_history *hist, struct bess_event_plan **plans, struct bess_err *err);
void bess_event_plans_free(struct bess_event_plan *p, size_t n);

/* An event settled against a schedule. */
struct bess_event_result {
	double baseline_kwh;		/* sum dt baseline over the window */
	double requested_kwh;		/* see above */
	double import_kwh;		/* sum dt import over the window */
	double delivered_kwh;		/* requested - shortfall */
	double shortfall_kwh;
	double payment;			/* payment_per_kwh * delivered */
	double penalty;			/* penalty_per_kwh * shortfall */
	double peak_kw;			/* highest import in the window */
};

/* Settle plan p against import_kw (indexed like the grid, p->first + m steps at least). */
void bess_event_settle(const struct bess_event_plan *p, const double *import_kw,
    struct bess_event_result *r);

/* The kind as a word: "reduce" or "cap". */
const char *bess_event_kind_name(enum bess_event_kind k);

#endif
