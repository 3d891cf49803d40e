/* bess_rule.h: the simple rule-based strategy a backtest compares with — charge below one price quantile, discharge above another. */
#ifndef BESS_RULE_H
#define BESS_RULE_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_err.h"
#include "bess_forecast.h"
#include "bess_sim.h"

/*
 * At each step the rule looks at the prices it knows for the horizon ahead
 * (the same outlook the optimiser gets) and takes their q_lo and q_hi
 * quantiles. If the spread pays for the losses (hi eta_c eta_d - cycle
 * cost > lo), it charges at full power while the price of the step is at
 * or below lo and discharges at full power while it is at or above hi;
 * otherwise, and in between, it stays idle. It never plans: it stops at
 * the SOC limits, charges no more than the import limit leaves room for
 * and discharges no more than the forecast load plus the export limit
 * take. Demand charges are ignored.
 */
struct bess_rule_opts {
	double q_lo, q_hi;	/* quantiles, 0 <= q_lo <= q_hi <= 1 */
	size_t horizon;		/* steps of prices looked at */
};

/* The q-quantile (0..1) of v[0..n), linear between order statistics (v is sorted in place). NAN if n == 0. */
double bess_quantile(double *v, size_t n, double q);

/*
 * The rule's command for a step starting at soc_kwh: price of the step and
 * thresholds lo, hi; net_kw the forecast load - solar; il, el the grid
 * limits (el 0 when export is not allowed).
 */
void bess_rule_command(const struct bess_battery *b, double dt_h, double soc_kwh, double price,
    double lo, double hi, double net_kw, double il, double el, struct bess_sim_cmd *cmd);

/* Run the rule over the outlook's history (t of n steps; sim gets the final state and clips). */
int bess_rule_run(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, const struct bess_rule_opts *opts, struct bess_traj *t,
    struct bess_sim *sim, struct bess_err *err);

/* --rule: "LO,HI" (0 <= LO <= HI <= 1) into *lo, *hi, or "off" (both -1). 0, or -1 with err. */
int bess_rule_parse(const char *arg, double *lo, double *hi, struct bess_err *err);

#endif
