/* bess_lpevent.h: the demand-response terms of the schedule LP — shortfall columns and rows per event, hooked into lib/lp.c (internal to the LP modules). */
#ifndef BESS_LPEVENT_H
#define BESS_LPEVENT_H

#include <stddef.h>

#include <glpk.h>

#include "bess_err.h"
#include "bess_event.h"

/*
 * The terms, with imp[t] = net[t] + g[t] the grid import of step t (g[t]
 * the grid row's columns: the model must have its export column,
 * BESS_LP_SPLIT, so that the row is import minus net exactly) and the
 * settlement of bess_event.h:
 *
 *   reduction event e, one column s_e >= 0 (its shortfall, kWh) and one row
 *     sum over its steps in the window of dt g[t] - s_e
 *         <= baseline_kwh - requested_kwh - sum dt net[t]
 *            - sum over its steps before the window of dt import[t]
 *            - sum over its steps after the window of dt baseline[t]
 *     (the import realised before the window, when the caller knows it;
 *     else, and after the window, the steps are taken at their baseline)
 *   cap event, per step t of the window inside it, a column s_t >= 0
 *     (import above the cap, kW) and a row  g[t] - s_t <= cap_kw - net[t]
 *   objective: (payment + penalty) s_e, or (payment + penalty) dt s_t, plus
 *     the constant -payment requested_kwh of each event with a step in the
 *     window: exactly -payment * delivered + penalty * shortfall.
 * The shortfall is never bounded, so an event never makes a window
 * infeasible.
 */
struct bess_lpev;

/*
 * Append the columns and rows for the plans (kept by pointer: they must
 * outlive the model) to P, a model of n steps: a reduction event's column
 * and row, and when any event is a cap, a column and row per step.
 * NULL with err when out of memory.
 */
struct bess_lpev *bess_lpev_new(glp_prob *P, size_t n, const struct bess_event_plan *plans,
    size_t nplan, struct bess_err *err);
void bess_lpev_free(struct bess_lpev *e);

/* A window as the LP holds it. */
struct bess_lpev_window {
	size_t first;			/* the model's step 0 is step first of the plans' grid */
	size_t n_act;			/* active steps */
	double dt_h;			/* step length, hours */
	const double *net_kw;		/* per model step: load - solar */
	const double *past_import_kw;	/* grid-indexed: the import realised in steps before first
					   (NULL: those steps are taken at their baseline) */
	int (*grid_row)(const void *ctx, size_t t);	/* model step t's grid row in P */
	const void *ctx;		/* for grid_row */
};

/* Load the window's event terms into P; *obj_const receives the objective constant. */
int bess_lpev_update(struct bess_lpev *e, glp_prob *P, const struct bess_lpev_window *w,
    double *obj_const, struct bess_err *err);

/* Name the columns and rows (for an LP file). */
void bess_lpev_names(const struct bess_lpev *e, glp_prob *P);

#endif
