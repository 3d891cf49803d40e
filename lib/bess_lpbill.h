/* bess_lpbill.h: the bill-level terms of the schedule LP — energy blocks, the minimum charge, the export cap — as columns and rows beside the per-step model. */
#ifndef BESS_LPBILL_H
#define BESS_LPBILL_H

#include <glpk.h>
#include <stddef.h>

#include "bess_err.h"
#include "bess_tariff.h"

/*
 * For each bill the window touches (slot s = bill - the first step's bill),
 * with B the set of its steps in the window, imp[t] the site's grid import
 * and dt the step length. imp[t] = net[t] + the grid row of step t (lp.c's
 * one definition of the site's import: every battery's charge - discharge,
 * curtailment, export, the devices' power), read from the model, so that
 * the terms hold for any number of batteries, devices and events:
 *
 *   I_s = so_far import + sum over B of dt imp[t]       (row: the bill's kWh)
 *   energy blocks, when convex (bess_tariff(5) "tier" rates a_1 <= a_2 <= ...,
 *   a_1 >= 0): z_sk >= I_s - above_k, z_sk >= 0, cost (a_k - a_{k-1}) z_sk,
 *   which sums to the blocks' charge bess_tier_kwh bills (slope a_k in block k)
 *   export cap, when the bill's export price p is one value >= 0: the export
 *   revenue of its steps moves to P_s, 0 <= P_s <= cap - paid so far,
 *   P_s <= sum over B of dt x[t], cost -p P_s = -p min(export, cap): what
 *   paying "in time order until the cap" comes to at one price
 *   minimum charge, when the window holds the bill's last step and every
 *   other part of the bill is planned exactly: w_s >= 0, cost w_s,
 *   w_s >= minimum - (fixed + so far energy - so far export revenue +
 *   the window's energy - export + blocks + demand charges), so that the
 *   bill is max(minimum, charges) as bess_rates_cost settles it.
 *
 * No row sums more than 16 steps: a sum over a bill runs through running
 * totals, one column and row per 16 steps (q = the previous q + the next
 * 16 steps' kWh, export or energy charge), and the bill's row reads the
 * last of them. One row over all of a month's steps made GLPK's interior
 * point 20 to 100 times slower.
 *
 * Declining blocks (not convex), a cap on export at prices that vary within
 * a bill (paid in time order: not convex) and a minimum on a bill that
 * has either, or runs past the window, are not planned: billed only
 * (bess_lpbill_unplanned says which).
 */

/* What a bill term reads of one step of the window. */
struct bess_lpbill_step {
	int grid_row;		/* the step's grid row: imp[t] = net_kw + its columns (every battery's
				   charge - discharge, curtailment, export, the devices' power) */
	int x;			/* the export column (0 = none) */
	int dem;		/* a column whose objective coefficient is a demand charge of the step's bill (0 = none) */
	double dem_rate;	/* that coefficient, currency/kW */
	double net_kw;		/* load - solar, kW */
	double el_kw;		/* the export limit in force, kW (0 = no export) */
};

struct bess_lpbill;

void bess_lpbill_free(struct bess_lpbill *B);

/*
 * Set the bill terms of the window f .. f+na-1 of r in P (GLPK columns and
 * rows are added after the existing ones the first time a slot is needed,
 * and kept; a slot not needed is fixed at zero). st: per window step.
 * so_far: what the first step's bill had before the window (NULL = none):
 * import_kwh, paid_export_kwh, energy_cost and export_revenue are read.
 * open_end: the bill of r's last step runs on past r (a window of a longer
 * history), so its minimum is not planned. *Bp is made on first need. 0, or
 * -1 with err (out of memory).
 */
int bess_lpbill_update(struct bess_lpbill **Bp, glp_prob *P, const struct bess_rates *r, size_t f,
    size_t na, const struct bess_lpbill_step *st, const struct bess_bill *so_far, int open_end,
    struct bess_err *err);

/* Do r's bills need the split model (an export column) for their terms? */
int bess_lpbill_needs_split(const struct bess_rates *r);

/*
 * The parts of r's bills the LP does not plan over the whole of r (billed
 * only): e.g. "declining energy blocks ('tier')", or "" when it plans all
 * of them. Returns buf.
 */
char *bess_lpbill_unplanned(const struct bess_rates *r, char *buf, size_t len);

#endif
