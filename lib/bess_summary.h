/* bess_summary.h: one record built field by field (a summary line, a command, a breakdown row) — the one builder every tool's summary goes through, with the number forms people read. */
#ifndef BESS_SUMMARY_H
#define BESS_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "bess_event.h"
#include "bess_rec.h"
#include "bess_tariff.h"

/*
 * A record whose field texts it owns. Fields are appended in order; a
 * failed allocation sets oom and later additions do nothing, so a caller
 * builds the whole record and checks oom (or bess_kv_line's NULL) once.
 * The key vocabulary of summaries is listed once in bess(7).
 */
struct bess_kv {
	struct bess_schema s;		/* field names, in order */
	struct bess_rec r;		/* field values (texts point into text) */
	char **text;			/* owned copies, one per field */
	int oom;			/* an allocation failed */
};

void bess_kv_init(struct bess_kv *k);
void bess_kv_free(struct bess_kv *k);

/* A field of kind with text (copied); text NULL is JSON null. */
void bess_kv_add(struct bess_kv *k, const char *name, const char *text, enum bess_kind kind);
/* A number exactly (bess_fmt_num; |v| < 1e-12 as 0); NAN and infinities are null. */
void bess_kv_num(struct bess_kv *k, const char *name, double v);
/* A figure people read (bess_fmt_fig: at most 6 decimals); NAN and infinities are null. */
void bess_kv_fig(struct bess_kv *k, const char *name, double v);
void bess_kv_int(struct bess_kv *k, const char *name, long long v);
/* A string; NULL is null. */
void bess_kv_str(struct bess_kv *k, const char *name, const char *v);
void bess_kv_bool(struct bess_kv *k, const char *name, int v);
/*
 * A JSON array of objects made one bess_kv at a time ("demand", "events", a schedule), then
 * added to a record as one field: open, push each object, add. A failure on the way sets
 * the record's oom at the add.
 */
struct bess_kv_list {
	FILE *mf;			/* the array's text so far (open_memstream), NULL if it failed */
	char *buf;			/* ... and its buffer */
	size_t len;
	size_t n;			/* objects pushed */
	int oom;			/* an allocation failed */
};

void bess_kv_list_open(struct bess_kv_list *l);
/* Append object d to the array and free d. */
void bess_kv_list_push(struct bess_kv_list *l, struct bess_kv *d);
/* Close the array and add it to k as field name (or set k->oom); l is done with. */
void bess_kv_list_add(struct bess_kv_list *l, struct bess_kv *k, const char *name);

/* k's line as a JSON object field of dst (nested). */
void bess_kv_nest(struct bess_kv *dst, const char *name, const struct bess_kv *k);

/* k as one NDJSON line (with its newline) in a new buffer (free it), *len its length; NULL when out of memory. */
char *bess_kv_line(const struct bess_kv *k, size_t *len);
/*
 * Records 0 to n-1 as fmt in memory (*buf and *len as bess_writer_mem):
 * record i is what fill(ctx, i, k) adds to an empty k; a fill that returns
 * 0 writes none for i. 0, or -1 when out of memory (*buf NULL).
 */
int bess_kv_records(enum bess_fmt fmt, size_t n, int (*fill)(const void *ctx, size_t i, struct bess_kv *k),
    const void *ctx, char **buf, size_t *len);

/*
 * Sections every tool's summary shares, so that a key means the same in
 * each (the vocabulary is listed once in bess(7)).
 *
 * bess_summary_cost: "cost" (the whole bill: energy - export revenue +
 * demand + degradation), with prefix "" also energy_cost, export_revenue,
 * demand_cost and degradation_cost; "saving" (base's cost - cost) when
 * base is not NULL. Names are prefixed ("rule_cost", "rule_saving").
 */
void bess_summary_cost(struct bess_kv *k, const char *prefix, const struct bess_cost *cost,
    const struct bess_cost *base);
/*
 * "peak_kw": the highest grid import of any step (import_kw[0..n), kW; 0
 * when the site never imports); "baseline_peak_kw": the same without the
 * battery (base_import); "demand_peak_kw": the highest measured demand a
 * demand charge saw, before ratchets (the largest peak_kw of cost's demand
 * lines: step imports, or window means with a demand_window, and the
 * first bill's peak so far; null when the tariff has no demand charges).
 */
void bess_summary_peaks(struct bess_kv *k, const double *import_kw, const double *base_import,
    size_t n, const struct bess_cost *cost);
/*
 * "demand": one object per (bill, period) line of cost: period, bill,
 * peak_kw (the measured demand: the highest import, or window mean, in the
 * line's steps), baseline_peak_kw (from base; null when base is NULL),
 * ratchet_kw (the ratchet's floor; null when the period has no ratchet),
 * billed_kw (the demand billed: the larger of the two), rate and cost
 * (rate * billed_kw). Then "ratchet_cost": what the ratchets add to the
 * demand charges, the sum of rate * (billed_kw - peak_kw) (null when no
 * period has a ratchet).
 */
void bess_summary_demand(struct bess_kv *k, const struct bess_rates *r, const struct bess_cost *cost,
    const struct bess_cost *base);

/*
 * Energy bought and sold: "import_kwh" (sum dt import) and "export_kwh"
 * (sum dt export) over the n steps of dt_h hours; their money is
 * energy_cost and export_revenue (bess_summary_cost).
 */
void bess_summary_energy(struct bess_kv *k, const double *import_kw, const double *export_kw,
    size_t n, double dt_h);

/*
 * One demand-response event settled (bess_event_settle): id, kind, start,
 * end, cap_kw and reduce_kwh (null the one not its kind), baseline_kwh, baseline_days (null for a given
 * baseline_kw), requested_kwh, import_kwh, delivered_kwh, shortfall_kwh,
 * payment, penalty, peak_kw. The per-event record and the summary's
 * "events" objects are these.
 */
void bess_summary_event(struct bess_kv *k, const struct bess_event_plan *p,
    const struct bess_event_result *r);
/*
 * The events of a run: "dr_payment" and "dr_penalty" (sums over res[0..n)),
 * "net_cost" (cost->total + other_cost - dr_payment + dr_penalty: the bill
 * with the events settled and other_cost, what the plan costs beside the
 * bill, e.g. the devices' shed_cost), "net_saving" (base->total - net_cost:
 * against the site with no battery, no control and no events) and "events"
 * (one object per event, bess_summary_event). Nothing when n is 0.
 */
/*
 * net_cost (cost->total + other_cost: the bill and what shedding cost) and
 * net_saving (base->total less it; base NULL: left out), for a run with
 * devices and no events (bess_summary_events writes them with events).
 */
void bess_summary_net(struct bess_kv *k, const struct bess_cost *cost, const struct bess_cost *base,
    double other_cost);
void bess_summary_events(struct bess_kv *k, const struct bess_event_plan *p,
    const struct bess_event_result *res, size_t n, const struct bess_cost *cost,
    const struct bess_cost *base, double other_cost);

/*
 * Offered events weighed (bess_offer.h): "offers", one object per offer,
 * the fields of bess_summary_event as planned with it, then
 * "objective_change" (the plan's objective with it less without it; < 0
 * earns), "earns" (-objective_change) and "accept" (true when it earns).
 * Nothing when n is 0.
 */
struct bess_offer;
void bess_summary_offer(struct bess_kv *k, const struct bess_offer *o);
void bess_summary_offers(struct bess_kv *k, const struct bess_offer *o, size_t n);

/*
 * The per-event records: "status" (accepted for the events planned,
 * offered for the offers), the fields of bess_summary_event, then
 * objective_change, earns and accept (null for accepted events), in format
 * fmt (CSV or NDJSON) into a new buffer *buf of *len bytes. 0, or -1.
 */
int bess_event_records(const struct bess_event_plan *p, const struct bess_event_result *res,
    size_t n, const struct bess_offer *o, size_t noff, enum bess_fmt fmt, char **buf, size_t *len);

/*
 * A figure people read: at most 6 decimals, trailing zeros trimmed, no
 * "-0" (|v| < 5e-7 is 0). buf: 32 bytes; returns it.
 */
const char *bess_fmt_fig(double v, char *buf);

#endif
