/* bess_fleet.h: what a schedule of several batteries says per battery — wear, value, summary keys and per-device records. */
#ifndef BESS_FLEET_H
#define BESS_FLEET_H

#include <stdio.h>

#include "bess_battery.h"
#include "bess_lp.h"
#include "bess_rec.h"
#include "bess_summary.h"
#include "bess_table.h"
#include "bess_tariff.h"
#include "bess_time.h"

/* One battery's share of a schedule of n steps of dt_h hours. */
struct bess_fleet_use {
	double throughput_kwh;		/* kWh discharged (AC) */
	double cycles;			/* throughput / capacity */
	double degradation_cost;	/* cycle_cost * throughput, currency */
	double value;			/* sum of price * dt * (discharge - charge) - degradation_cost:
					   what its flows are worth at the energy prices, currency */
	double soc_final_kwh;		/* SOC at the end */
};

/* Battery i's use in sc (price per step: r->price, the import price). */
void bess_fleet_use(const struct bess_fleet *f, size_t i, const struct bess_lp_schedule *sc,
    const struct bess_rates *r, size_t n, struct bess_fleet_use *u);

/*
 * The degradation cost of the whole fleet: each battery's cycle_cost times
 * its kWh discharged; step_cost (NULL or n steps) gets each step's share added.
 */
double bess_fleet_degradation(const struct bess_fleet *f, const struct bess_lp_schedule *sc, double dt_h,
    size_t n, double *step_cost);

/*
 * The summary's "batteries" list (bess(7) SUMMARY KEYS): per battery
 * device, capacity_kwh, throughput_kwh, cycles, degradation_cost, value,
 * saving_share_pct (its value over the sum of the values, in %; null when
 * that sum is not positive), soc_final_kwh.
 */
void bess_fleet_summary(struct bess_kv *k, const struct bess_fleet *f, const struct bess_lp_schedule *sc,
    const struct bess_rates *r, size_t n);

/*
 * The batteries' per-device records (bess_devrec.h, kind "battery"), step
 * by step: command charge, discharge or idle, power_kw = charge - discharge,
 * soc_kwh, soc_pct, cost = the step's degradation cost. -1 on a write error.
 */
int bess_fleet_devrec(FILE *fp, enum bess_fmt fmt, const struct bess_fleet *f,
    const struct bess_lp_schedule *sc, const bess_time_t *ts, double dt_h, size_t n);


/*
 * Price a fleet's schedule: bess_rates_cost of the site's import_kw and
 * export_kw, with each battery's own cycle cost on its kWh discharged
 * (sc's per-battery flows; one battery: bess_rates_cost with its cycle
 * cost, exactly). Returns 0 or -1.
 */
int bess_fleet_cost(const struct bess_rates *r, const struct bess_fleet *f, const double *import_kw,
    const double *export_kw, const struct bess_lp_schedule *sc, struct bess_cost *c, double *step_cost,
    struct bess_err *err);

/*
 * The site's battery as a summary names it (capacity_kwh and the other
 * keys of one battery): one battery itself; several: the sums of the
 * capacities, powers and SOC limits, an efficiency or cycle cost only
 * when all have the same (NAN otherwise, written null).
 */
void bess_fleet_site_battery(const struct bess_fleet *f, struct bess_battery *site);

/*
 * The batteries' per-device records with their header into a new buffer
 * *buf (free it) of *len bytes, format fmt (CSV or NDJSON). 0, or -1 out
 * of memory.
 */
int bess_fleet_devrec_buf(const struct bess_fleet *f, const struct bess_lp_schedule *sc,
    const bess_time_t *ts, double dt_h, size_t n, enum bess_fmt fmt, char **buf, size_t *len);

/*
 * The batteries' commands from per-device records (bess(7) PER-DEVICE
 * RECORDS: ts, device, power_kw; kind when present) onto the steps ts[0..n)
 * of step_us: charge_kw[i][k], discharge_kw[i][k] of battery i (power_kw's
 * sign, positive charging), NAN where battery i has no record for step k.
 * Records of another kind than "battery" are passed over. Errors name
 * file:line: no 'device' or 'power_kw' column, a battery id not in f, a
 * time not on the steps, a battery and step given twice, power_kw not a
 * number.
 */
int bess_fleet_commands(const struct bess_fleet *f, const struct bess_table *cmd, const bess_time_t *ts,
    size_t n, long long step_us, double **charge_kw, double **discharge_kw, struct bess_err *err);

#endif
