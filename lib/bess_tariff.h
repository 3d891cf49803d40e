/* bess_tariff.h: energy and demand prices per step (stream columns or a time-of-use tariff file) and the pricing of a settled schedule. */
#ifndef BESS_TARIFF_H
#define BESS_TARIFF_H

#include <stdio.h>
#include <stddef.h>

#include "bess_battery.h"
#include "bess_err.h"
#include "bess_time.h"

/* How a tariff's bills are cut (in the tariff's local time). */
enum bess_billing {
	BESS_BILL_MONTH = 0,	/* calendar months (default) */
	BESS_BILL_DAY,		/* local days */
	BESS_BILL_NONE		/* the whole horizon is one billing period */
};

/* One "when" line of a period: all its parts must hold. */
struct bess_tou_rule {
	unsigned months;	/* bit m-1 set for month m (1..12) that matches */
	unsigned wdays;		/* bit d set for weekday d (0 = Sunday) that matches */
	int from_min;		/* local minute of day the window starts (0..1439) */
	int to_min;		/* minute it ends, exclusive (1..1440); <= from_min wraps past midnight */
};

/* A time-of-use period ("[peak]" in the file). */
struct bess_tou_period {
	char name[64];			/* section name */
	double energy;			/* energy rate, currency/kWh (NAN = none: the stream's price) */
	double demand;			/* demand rate, currency/kW on the billing period's peak import (0 = none) */
	double export_rate;		/* export rate, currency/kWh (NAN = none) */
	double ratchet_frac;		/* "ratchet": billed demand >= this share of an earlier bill's peak (0 = none) */
	int lookback_bills;		/* "lookback N": the N bills before (0 = every earlier bill in the data) */
	unsigned lookback_months;	/* "lookback jun-sep": only bills starting in these months count (bit m-1) */
	struct bess_tou_rule *rule;	/* when it applies; none = always */
	size_t nrule;
};

/* An energy block: import beyond above_kwh in a bill pays adder more per kWh. */
struct bess_tier {
	double above_kwh;		/* kWh imported in the bill before the block starts */
	double adder;			/* currency/kWh added to every period's rate in the block (may be < 0) */
};

/* A tariff file, parsed (see bess-tariff(5)). */
struct bess_tariff {
	char tzname[128];		/* "timezone =", default "UTC" */
	struct bess_tz *tz;		/* loaded zone (owned) */
	enum bess_billing billing;	/* "billing =" */
	int energy_add;			/* "energy = add": period energy rates add to the price column */
	double demand_window_s;		/* "demand_window": demand on fixed windows' mean import, seconds (0 = per step) */
	double fixed;			/* "fixed": currency per bill */
	double minimum;			/* "minimum": a bill is at least this, currency (NAN = none) */
	double export_cap_kwh;		/* "export_cap": kWh per bill paid for export (INFINITY = no cap) */
	double feed_in_limit_kw;	/* "feed_in_limit": grid export limit, kW (INFINITY = none) */
	struct bess_tier *tier;		/* "tier" lines, by above_kwh */
	size_t ntier;
	struct bess_tou_period *period;	/* in file order; the first that matches a step wins */
	size_t nperiod;
};

/* Parse a tariff from fp, called name in messages (file:line). NULL on error. */
struct bess_tariff *bess_tariff_read(FILE *fp, const char *name, struct bess_err *err);
/* Open and parse path. */
struct bess_tariff *bess_tariff_load(const char *path, struct bess_err *err);
void bess_tariff_free(struct bess_tariff *t);

/*
 * A "when" value (bess-tariff(5): months, days, a clock window, each
 * optional) into r; v is cut up. 0, or -1 with why. Also read by the
 * devices file (bess-devices(5)).
 */
int bess_tou_rule_parse(char *v, struct bess_tou_rule *r, char *why, size_t whylen);
/* Does local time c fall in r? */
int bess_tou_rule_match(const struct bess_tou_rule *r, const struct bess_civil *c);

/* The index of the period covering local time c, or -1 if none does. */
int bess_tariff_match(const struct bess_tariff *t, const struct bess_civil *c);

/*
 * Everything a horizon's prices are, step by step: what the LP minimises
 * and what settlement charges. Built by bess_rates_build.
 */
struct bess_rates {
	size_t n;			/* steps */
	double dt_h;			/* step length, hours */
	double *price;			/* import price per step, currency/kWh */
	double *export_price;		/* export price per step, currency/kWh (unused if !export_ok) */
	int export_ok;			/* 0: export is not allowed */
	int *period;			/* demand period of each step, index into period_name, -1 = none */
	int *bill;			/* billing period of each step, 0 = the one holding the first step */
	int *day;			/* local day of each step, 0 = the first step's day (for cycle caps) */
	double *day_frac;		/* per day index: the share of that day inside the horizon (0..1] */
	size_t nday;
	size_t nperiod;			/* demand periods (tariff periods with a demand rate) */
	char (*period_name)[64];	/* their names */
	double *demand_rate;		/* their rates, currency/kW */
	double *peak_so_far_kw;		/* per period: the peak already reached in bill 0, kW */
	size_t nbill;
	char (*bill_label)[16];		/* "2025-01", "2025-01-16" or "all" */
	int *bill_month;		/* per bill: local month (1..12) of its first step */
	/* tariff parts beyond per-step prices (all zero / none without a tariff) */
	int *tp;			/* tariff period of each step (index into tp_name), -1 = none */
	size_t ntp;
	char (*tp_name)[64];		/* tariff period names */
	int *win_first;			/* per step: the first step of its demand window (itself without windows) */
	int *win_n;			/* per step: steps of its window inside the data (1 without windows) */
	double *ratchet_frac;		/* per demand period: share of an earlier peak billed at least (0 = none) */
	int *lookback_bills;		/* per demand period: bills looked back (0 = all earlier) */
	unsigned *lookback_months;	/* per demand period: months whose bills count (bit m-1) */
	double fixed;			/* currency per bill */
	double minimum;			/* least bill, currency (NAN = none) */
	double export_cap_kwh;		/* kWh paid for export per bill (INFINITY = all) */
	struct bess_tier *tier;		/* energy blocks, by above_kwh (owned) */
	size_t ntier;
	double feed_in_limit_kw;	/* the tariff's limit on grid export, kW (INFINITY = none) */
};

/*
 * Per-step prices for the n steps starting at ts[0], step_us apart: the
 * import price is the stream's price[] (NULL or NAN entries: none) or the
 * tariff period's energy rate (replacing it, or added with "energy = add");
 * the export price follows site->export_mode: the tariff's export rate,
 * else export_price[] (NULL = no column), else the import price without
 * an "energy = add" charge (an import charge is not paid on export). A step
 * with no import price is an error naming its time. tariff may be NULL
 * (no demand charges; days and bills in UTC). site->peak entries name
 * periods ("" = all); an unknown name is an error.
 */
int bess_rates_build(struct bess_rates *r, const struct bess_tariff *tariff,
    const bess_time_t *ts, size_t n, long long step_us, const double *price,
    const double *export_price, const struct bess_site *site, struct bess_err *err);
void bess_rates_free(struct bess_rates *r);

/* The demand charge of one billing period in one tariff period. */
struct bess_demand_line {
	int period;		/* index into rates->period_name */
	int bill;		/* index into rates->bill_label */
	double peak_kw;		/* the peak import (of window means with demand_window), including the peak so far for bill 0 */
	double ratchet_kw;	/* the ratchet's floor: share * the highest peak looked back on, kW (0 = none) */
	double billed_kw;	/* max(peak_kw, ratchet_kw) */
	double rate;		/* currency/kW */
	double cost;		/* rate * billed_kw */
};

/* Energy imported in one billing period in one tariff period (or in no period: tp -1). */
struct bess_energy_line {
	int tp;			/* index into rates->tp_name, -1 = steps no period matches */
	int bill;		/* index into rates->bill_label */
	double kwh;		/* imported, kWh */
	double cost;		/* sum of price * import * dt_h */
};

/* One bill: the sums of its lines (currency unless named otherwise). */
struct bess_bill {
	double import_kwh, export_kwh;	/* metered, kWh */
	double paid_export_kwh;		/* export paid for (up to the export cap), kWh */
	double energy_cost;		/* by the per-step prices */
	double tier_cost;		/* the energy blocks' adders */
	double demand_cost;		/* the demand lines */
	double fixed_cost;		/* the fixed charge */
	double export_revenue;		/* paid export */
	double minimum_topup;		/* what lifts the bill to the minimum charge */
	double total;			/* energy + tier + demand + fixed - export + minimum_topup */
};

/* What a settled schedule costs. */
struct bess_cost {
	double energy_cost;		/* sum of price * import * dt_h */
	double tier_cost;		/* sum of the bills' block adders */
	double export_revenue;		/* sum of export_price * paid export * dt_h */
	double demand_cost;		/* sum of the demand lines */
	double fixed_cost;		/* fixed charges of every bill */
	double minimum_topup;		/* minimum-charge top-ups of every bill */
	double degradation_cost;	/* cycle cost * kWh discharged */
	double total;			/* the bills' totals + degradation_cost */
	double throughput_kwh;		/* kWh discharged (AC) */
	struct bess_demand_line *line;	/* one per (bill, period) that has steps, bill-major (owned) */
	size_t nline;
	struct bess_energy_line *eline;	/* one per (bill, tariff period) that has steps, bill-major (owned) */
	size_t neline;
	double *tier_kwh;		/* per bill and tier (bill-major): kWh in the block (owned) */
	struct bess_bill *bill;		/* per bill (owned) */
	size_t nbill;
};

/*
 * One step added to bill B: import_kwh at price, and export_kwh paid at
 * export_price in time order until the bill has export_cap_kwh paid (the one
 * home of that rule, for settling and for the bills so far); *cost and
 * *revenue are the step's.
 */
void bess_bill_energy(struct bess_bill *B, double price, double export_price, double export_cap_kwh,
    double import_kwh, double export_kwh, double *cost, double *revenue);

/*
 * Price a schedule: import_kw, export_kw per step (>= 0), discharge_kw
 * (NULL = none) at cycle_cost per kWh. step_cost (NULL or n) receives each
 * step's energy cost - export revenue + degradation (demand charges, energy
 * blocks, fixed and minimum charges are billed per period, not per step).
 * This is the one place a bill is worked out (bess-bill, bess-optimize and
 * bess-dispatch all call it). Returns 0 or -1 (out of memory).
 */
int bess_rates_cost(const struct bess_rates *r, const double *import_kw,
    const double *export_kw, const double *discharge_kw, double cycle_cost,
    struct bess_cost *c, double *step_cost, struct bess_err *err);
void bess_cost_free(struct bess_cost *c);
/* The saving of cost against base (the site without the battery): base->total - cost->total, its one home. */
double bess_cost_saving(const struct bess_cost *cost, const struct bess_cost *base);

/* The kWh of a bill's import_kwh that falls in energy block k of r (0 if it does not reach it). */
double bess_tier_kwh(const struct bess_rates *r, size_t k, double import_kwh);

#endif
