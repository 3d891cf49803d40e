/* bess_socdp.h: the exact optimum of one battery that either charges or discharges in each step, by dynamic programming over its SOC. */
#ifndef BESS_SOCDP_H
#define BESS_SOCDP_H

#include <stddef.h>

/*
 * One step of the problem. The SOC moves by delta = S[t] - keep S[t-1]
 * (kWh): charging, delta in [charge_lo, charge_hi] (>= 0) at cost
 * charge_cost per kWh of delta; discharging, delta in
 * [discharge_lo, discharge_hi] (<= 0) at cost discharge_cost per kWh of
 * delta (so a discharge of 10 kWh costs -10 discharge_cost); never both.
 * An empty range (lo > hi) is a direction the step cannot take. S[t] must
 * lie in [soc_lo, soc_hi] and costs soc_cost per kWh. With the battery's
 * costs linear in charge and discharge power, delta and its direction
 * determine the step's cost: this is the MILP of bess_lp.h for one battery
 * whose grid row never binds against its own flows.
 */
struct bess_socdp_step {
	double charge_lo, charge_hi;		/* SOC gain when charging, kWh (lo > hi: cannot charge) */
	double charge_cost;			/* cost per kWh of SOC gained charging */
	double discharge_lo, discharge_hi;	/* SOC change when discharging, kWh, <= 0 (lo > hi: cannot) */
	double discharge_cost;			/* cost per kWh of SOC change discharging (times a negative change) */
	double soc_lo, soc_hi;			/* bounds on the SOC at the step's end, kWh */
	double soc_cost;			/* cost per kWh of the SOC at the step's end */
	double extra_lo, extra_hi;		/* a third way, e.g. discharging beyond the export
						   limit by charging at once (lo > hi: none) */
	double extra_cost, extra_fixed;		/* its cost: extra_fixed + extra_cost delta */
};

/* Which way a step went (bess_socdp_solve's dir). */
enum { BESS_SOCDP_CHARGE, BESS_SOCDP_DISCHARGE, BESS_SOCDP_EXTRA };

/* Results of bess_socdp_solve. */
enum {
	BESS_SOCDP_OK = 0,		/* delta and value filled */
	BESS_SOCDP_INFEASIBLE = 1,	/* no schedule meets the bounds */
	BESS_SOCDP_TOO_BIG = 2		/* the value functions grew past max_points, or out of memory */
};

/*
 * The minimum over schedules of the sum of step costs, from S[-1] =
 * soc_init, with S[t] = keep S[t-1] + delta[t] (keep in (0, 1]): a
 * backward pass over the value function of the SOC, which is piecewise
 * linear (not convex where a step's costs make it so: a negative price),
 * kept exactly as its breakpoints; then a forward pass for the schedule.
 * Exact up to floating-point rounding. delta (n entries) receives the
 * schedule's SOC changes, dir (n entries, or NULL) the way each step went
 * (BESS_SOCDP_*), *value its cost. max_points bounds the breakpoints of
 * any one value function (0: no bound).
 */
int bess_socdp_solve(const struct bess_socdp_step *st, size_t n, double keep, double soc_init,
    size_t max_points, double *delta, unsigned char *dir, double *value);

#endif
