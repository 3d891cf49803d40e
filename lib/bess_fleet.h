/* bess_fleet.h: what a schedule of several batteries says per battery — wear, value, summary keys and per-device records. */
#ifndef BESS_FLEET_H
#define BESS_FLEET_H

#include <stdio.h>

#include "bess_battery.h"
#include "bess_lp.h"
#include "bess_rec.h"
#include "bess_summary.h"
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

#endif
