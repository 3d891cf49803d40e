/* bess_lp.h: the battery scheduling LP (GLPK) — built once for a horizon, updated per window, solved warm or cold. */
#ifndef BESS_LP_H
#define BESS_LP_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_devices.h"
#include "bess_err.h"
#include "bess_event.h"
#include "bess_tariff.h"

/*
 * The model, for steps t = 0 .. n-1 of dt hours (all powers kW, energies kWh),
 * net[t] = load[t] - solar[t]:
 *
 * columns per step (limits are column bounds, never rows):
 *   c[t]  charge          0 .. charge_kw
 *   d[t]  discharge       0 .. discharge_kw
 *   s[t]  SOC at the end of step t, soc_min .. soc_max (the last one also
 *         bounded by the terminal rule)
 *   u[t]  curtailed solar 0 .. solar[t]          (BESS_LP_SOLAR only)
 *   x[t]  grid export     0 .. export limit      (BESS_LP_SPLIT only)
 *   m[t]  running peak import of the step's (billing, demand period) group
 *         (BESS_LP_DEMAND only; fixed at 0 in steps without a demand period)
 *   b[t], e[t]  SOC below soc_min / above soc_max, penalised
 *         (BESS_LP_SOFT only; the physical SOC is then s - b + e)
 *
 * The grid is not a column: the grid row's own (auxiliary) variable is it.
 *   grid[t] = c - d + u + x, so that import = net + grid[t]
 *   SPLIT:     -net <= grid[t] <= import_limit - net    (import >= 0)
 *   otherwise: -export_limit - net <= grid[t] <= import_limit - net
 *              (import - export = net + grid; export limit 0 when export
 *              is not allowed). SPLIT is needed only when some step pays
 *              export at a price other than its import price.
 *
 * rows per step:
 *   grid[t]  as above
 *   soc[t]   S[t] - k S[t-1] - eta_c dt c + dt/eta_d d = 0   (S = s - b + e,
 *            k = (1 - self_discharge)^dt; for t = 0 the right side is k soc_init)
 *   cap[t]   m - c + d - u - x >= net, i.e. m >= import  (BESS_LP_DEMAND;
 *            free in steps without a demand period)
 *   chain[t] m[t] - m[prev] >= 0, prev the group's previous step; the first
 *            step of a group has m[t] >= the peak so far instead
 *   ratchet[t] (BESS_LP_RATCHET) the billed demand B of a (bill, period)
 *            group with a ratchet is the column r[last step of the group]
 *            (0 elsewhere), costed instead of m there; the group's rows say
 *            B - m[last] >= 0 (first step) and B - share * m[last of an
 *            earlier bill looked back on] >= 0 (one per such bill inside
 *            the window, on the following steps, or on rows added after
 *            all others where the group has too few); bills before the window
 *            count through the input's ratchet floor (B's lower bound)
 * plus, with BESS_LP_CYCLES, one row per local day:
 *   sum over the day's steps of d dt <= max_cycles * capacity * day share
 * plus, in the split model, each bill's energy blocks, minimum charge and
 * export cap (the tariff's bill terms) as a few columns and rows per bill
 * and running totals per 16 steps after all these, made and set by
 * bess_lpbill_update (bess_lpbill.h) over the grid rows (so for every
 * battery, device and event alike); bess_lp_flags_for asks for the split
 * model when the rates have them
 *
 * With --no-grid-charge the charge column's bound is min(charge_kw,
 * max(0, solar - load)): only solar beyond the load charges the battery.
 *
 * objective: sum dt (price import - export_price export + cycle_cost d)
 *            - V s[last] with a terminal value V per kWh stored (the
 *              battery's terminal_value, or the lowest import price of the
 *              window times eta_discharge)
 *            + sum over groups rate * m[last step of the group]
 *            + P sum (b + e), P large enough that any violation is
 *              recovered as fast as the limits allow,
 *   written on the columns (import replaced by net + c - d + u + x) plus the
 *   constant sum dt price net.
 *
 * The running-maximum chain keeps every column short (no peak variable in
 * thousands of rows), which keeps the interior-point method fast.
 *
 * Simultaneous charge/discharge can only pay where the import or export
 * price is negative, and simultaneous import/export only where the export
 * price is above the import price: those are the "eligible" steps. With
 * BESS_MILP_AUTO the LP is solved first; only if its optimum charges and
 * discharges (or imports and exports) at once in an eligible step are
 * binaries added there (big-M rows c <= C z, d <= D (1 - z) and alike, C
 * and D no larger than the grid lets the step charge or discharge alone).
 * An LP optimum without such a step is also the MILP optimum, so nothing is
 * lost. Beside the big-M rows (the per-step hull of "charge or discharge"),
 * each eligible step gets four rows that hold only when it does one or the
 * other, the SOC room rules (k = the step's keep factor, S the SOC):
 *   eta_c dt c <= soc_max - k S[t-1]      eta_c dt c <= S[t] - k soc_min
 *   dt/eta_d d <= k S[t-1] - soc_min      dt/eta_d d <= k soc_max - S[t]
 * (a step that charges starts with room for it and ends above soc_min by
 * it; likewise discharging): they remove most of the relaxation's gain from
 * burning energy in a full battery, which is where the binaries bite.
 * Import/export binaries get two such rows: exporting, export <= d - net
 * (the battery covers the load first); importing, c + u >= -net (it takes
 * the solar surplus first). Their big-Ms are what the step allows alone.
 * One battery whose step costs are linear in its charge and discharge (no
 * export column, curtailment, demand chain, soft SOC, cycle rows, events,
 * devices or bill terms; simultaneous flows never pay in steps without
 * binaries, where it may still discharge beyond the export limit by
 * charging at once, as the LP does) is solved exactly instead, at any
 * size, by the dynamic program of bess_socdp.h: method "simplex+dp" or
 * "interior+dp", the bound its value. Otherwise:
 * up to BESS_LP_BB_MAX_STEPS steps GLPK's branch and bound runs from the LP
 * basis, with the relative gap opts.mip_gap and the time limit
 * opts.time_limit_s (plain for a second, then again from the root with
 * GLPK's Gomory and MIR cuts and the best schedule so far); above, the direction of each offending step is fixed to
 * the larger of its two flows and the LP re-solved (repeatedly). A
 * branch-and-bound schedule is polished: its directions fixed, the LP is
 * solved again for an exact vertex (GLPK's search meets rows only to its
 * feasibility tolerance). Either way
 * the result carries the best bound known (the LP's at least) and the gap:
 * status BESS_LP_OPTIMAL only when the gap is proved within mip_gap,
 * BESS_LP_FEASIBLE otherwise.
 *
 * Use (bess-optimize does the first four once; a receding-horizon loop
 * repeats shift/update/solve):
 *   flags = bess_lp_flags_for(&battery, &input, n) [| BESS_LP_SOFT | ...];
 *   lp = bess_lp_new(&battery, &site, n, dt_h, flags, &err);
 *   bess_lp_update(lp, &input, &err);         // prices, load, limits, SOC
 *   bess_lp_solve(lp, &opts, &result, &err);  // cold, or warm from the basis
 *   bess_lp_schedule(lp, &schedule);
 *   ... next window: bess_lp_shift(lp, 1); input.first++; input.soc_init_kwh = ...;
 *       bess_lp_update(lp, &input, &err); opts.warm = 1; bess_lp_solve(...)
 *   bess_lp_free(lp);
 * A loop whose windows may need a part the first window did not (solar,
 * export at its own price, demand periods, a SOC outside its limits) should
 * build with those flags from the start: update refuses data the structure
 * cannot hold.
 */

/* Flags of bess_lp_new: which optional parts the model has (its structure). */
enum {
	BESS_LP_DEMAND = 1 << 0,	/* demand-charge chain (m columns, cap/chain rows) */
	BESS_LP_SOFT = 1 << 1,		/* soft SOC limits (b, e columns) */
	BESS_LP_CYCLES = 1 << 2,	/* daily cycle-cap rows (needs battery max_cycles_per_day) */
	BESS_LP_SOLAR = 1 << 3,		/* curtailment columns (any solar) */
	BESS_LP_SPLIT = 1 << 4,		/* an export column (export paid other than at the import price) */
	BESS_LP_RATCHET = 1 << 5	/* demand ratchets (billed-demand column, ratchet row) */
};

/*
 * Most steps one model takes. GLPK needs about 5 kB a step; the interior-point solve grows
 * about as the size to 100,000 steps (15-minute arbitrage: 35,040 1.3 s, 100,000 2.7 s),
 * then faster (200,000 14 s, 400,000 97 s; a year of 5-minute steps 16 s), measured with a
 * load average of 9 to 13 on 2 cores; 100,000 and 600,000 steps did not finish in 300 s on
 * other inputs. 600,000 was accepted: a limit that let hour-long solves start.
 */
#define BESS_LP_MAX_STEPS 200000

/* Most batteries one model takes. */
#define BESS_LP_MAX_BATTERIES 32

/* Branch and bound for MILPs up to this many steps; fixing above. */
#define BESS_LP_BB_MAX_STEPS 10000

/* Defaults of bess_lp_opts.mip_gap and .time_limit_s (used where those are 0). */
#define BESS_LP_MIP_GAP 1e-9
#define BESS_LP_TIME_LIMIT_S 60

/* The data of one window. Arrays are of the whole series and indexed from first. */
struct bess_lp_input {
	const struct bess_rates *rates;		/* prices, demand periods, bills, days */
	size_t first;				/* window start: step first of rates is the model's step 0 */
	size_t n_active;			/* steps of the window with data (<= n; 0 = n); the rest are idle and free */
	const double *load_kw;			/* site load, NULL = 0 */
	const double *solar_kw;			/* PV generation, NULL = 0 */
	const double *import_limit_kw;		/* per-step import limit, NULL or NAN = the site's */
	const double *export_limit_kw;		/* per-step export limit, NULL or NAN = the site's */
	double soc_init_kwh;			/* SOC at the start of step first (battery 0's) */
	const double *bat_soc_init_kwh;		/* per battery of a fleet model: SOC at the start of step
						   first, kWh; NULL = soc_init_kwh (one battery only) */
	const double *peak_so_far_kw;		/* per demand period: peak already reached in the first step's
						   bill; NULL = rates->peak_so_far_kw for bill 0, else 0 */
	const struct bess_bill *bill_so_far;	/* the first step's bill before the window: import_kwh,
						   paid_export_kwh, energy_cost, export_revenue (NULL = none) */
	int bill_open;				/* 1: the bill of the rates' last step runs on past them (a
						   window of a longer history): its minimum is not planned */
	double win_before_kw;			/* the import of the steps before first in the first step's
						   demand window (tariff demand_window), summed, kW */
	const double *ratchet_floor_kw;		/* per bill of the window (0 = the first step's) and demand
						   period, bill-major: the ratchet's floor from the bills
						   before the window, kW (NULL = none) */
};

/* How to solve. */
enum bess_lp_method {
	BESS_LP_AUTO = 0,	/* warm: simplex from the basis; cold: simplex below 100 steps, else interior point */
	BESS_LP_SIMPLEX,	/* dual simplex (warm from the current basis when opts.warm) */
	BESS_LP_INTERIOR	/* GLPK's interior point (no basis; not for warm starts) */
};

struct bess_lp_opts {
	enum bess_lp_method method;	/* see above */
	int warm;			/* 1: start the simplex from the current (shifted) basis */
	enum bess_milp milp;		/* the binaries rule (normally site.milp) */
	double mip_gap;			/* relative gap (objective - bound) / max(|objective|, 1) that counts
					   as optimal; 0 = site.mip_gap, else BESS_LP_MIP_GAP */
	double time_limit_s;		/* wall-time budget of branch and bound, s; 0 = site.time_limit_s,
					   else BESS_LP_TIME_LIMIT_S */
	int no_apart;			/* 1: devices by branch and bound only, never apart from the
					   battery (the check of the exact method) */
};

enum bess_lp_status {
	BESS_LP_OPTIMAL = 0,	/* solved; a MILP proved within mip_gap */
	BESS_LP_INFEASIBLE,	/* no schedule meets the constraints (see bess_lp_diagnose) */
	BESS_LP_FAILED,		/* the solver gave up (numerical trouble, limits) */
	BESS_LP_FEASIBLE	/* a MILP schedule that meets every constraint, not proved within
				   mip_gap (time limit, or fixing above BESS_LP_BB_MAX_STEPS) */
};

/* Does the status come with a schedule (OPTIMAL or FEASIBLE)? */
#define BESS_LP_HAS_SCHEDULE(st) ((st) == BESS_LP_OPTIMAL || (st) == BESS_LP_FEASIBLE)

struct bess_lp_result {
	enum bess_lp_status status;
	double objective;		/* the minimised cost, penalty included */
	double penalty;			/* the SOC-violation penalty part of objective */
	int milp;			/* 1 if binaries were used */
	double milp_bound;		/* lower bound on the MILP optimum (the objective when not a MILP) */
	double milp_gap;		/* (objective - milp_bound) / max(|objective|, 1), >= 0 */
	double mip_gap;			/* the gap asked for (what OPTIMAL means for a MILP) */
	int time_limited;		/* 1 if the time limit stopped branch and bound */
	const char *method;		/* "simplex", "interior", "simplex+bb", "interior+dp", "interior+fix", ... */
	double solve_ms;		/* wall time inside GLPK, ms */
	int iterations;			/* simplex iterations (0 for interior point) */
	int warm_used;			/* 1 if the simplex started from the (shifted) previous basis */
};

/* A solved (or idle) schedule, n steps. */
struct bess_lp_schedule {
	size_t n;
	double *charge_kw, *discharge_kw;	/* battery AC power, each >= 0 (a fleet's: the sums) */
	double *soc_kwh;			/* physical SOC at the end of each step (a fleet's: the sum) */
	size_t nbat;				/* batteries */
	double **bat_charge_kw;			/* per battery [i][t], kW (one battery: charge_kw itself) */
	double **bat_discharge_kw;		/* per battery [i][t], kW (one battery: discharge_kw itself) */
	double **bat_soc_kwh;			/* per battery [i][t], kWh (one battery: soc_kwh itself) */
	double *import_kw, *export_kw;		/* grid, each >= 0 */
	double *curtail_kw;			/* solar not used */
	double soc_violation_kwh;		/* largest distance outside soc_min..soc_max at a step end */
	size_t soc_violation_steps;		/* battery-steps ending outside the limits */
};

struct bess_lp;
struct bess_devstate;

/*
 * A model of n steps of dt_h hours for battery b and site s (both copied;
 * b must have passed bess_battery_check). flags: BESS_LP_*. Silences GLPK's
 * terminal output. NULL with err on failure.
 * When GLPK itself fails (out of memory) in bess_lp_new, bess_lp_update or
 * bess_lp_solve, the call returns an error instead of GLPK's abort(), and
 * GLPK is reset: every model made before is lost, and only bess_lp_free
 * may be called on it.
 */
struct bess_lp *bess_lp_new(const struct bess_battery *b, const struct bess_site *s,
    size_t n, double dt_h, unsigned flags, struct bess_err *err);
void bess_lp_free(struct bess_lp *lp);

/*
 * A model of nbat batteries b[0..nbat-1] behind the one grid connection
 * (1 .. BESS_LP_MAX_BATTERIES): each battery's block of columns and SOC row
 * is the one-battery model's; the grid, demand and export parts see the sums
 * of their flows. bess_lp_new is this with nbat 1. Windows need
 * in->bat_soc_init_kwh when nbat > 1.
 */
struct bess_lp *bess_lp_new_n(const struct bess_battery *b, size_t nbat, const struct bess_site *s,
    size_t n, double dt_h, unsigned flags, struct bess_err *err);

/* The flags a one-shot solve of this input needs (demand, soft SOC, cycles, solar, split). */
unsigned bess_lp_flags_for(const struct bess_battery *b, const struct bess_lp_input *in, size_t n);

/* The flags for nbat batteries (in->bat_soc_init_kwh, when given, per battery). */
unsigned bess_lp_flags_for_n(const struct bess_battery *b, size_t nbat, const struct bess_lp_input *in,
    size_t n);

/*
 * Load a window: bounds, objective, right-hand sides, and the few matrix
 * rows whose shape depends on the data (demand chain links, day rows).
 * The basis is kept. in->rates must cover first .. first+n_active-1.
 * Errors: a step with NAN load or solar; data the model's flags cannot
 * hold (a demand period without BESS_LP_DEMAND, solar without
 * BESS_LP_SOLAR, an export price unlike the import price without BESS_LP_SPLIT).
 */
int bess_lp_update(struct bess_lp *lp, const struct bess_lp_input *in, struct bess_err *err);

/*
 * Move the basis k steps earlier, for a warm start after the window moved
 * k steps on: step t takes the statuses of step t+k; the k new steps at
 * the end get a neutral pattern that keeps the basis square (each row's own
 * variable basic except the SOC row's and the demand chain's, whose SOC and
 * peak columns are basic instead; other columns at the bound their cost
 * favours); where the dropped steps' columns covered rows of the kept ones
 * (the SOC link, a demand-chain link, a day row), those rows' own variables
 * complete the basis, the first choice that factorises. If none does, the
 * next warm solve runs cold instead (result.warm_used = 0).
 * Measured with GLPK 5.0 (192 steps of 15 min, shift 1, a year of windows):
 * arbitrage about 3-8 pivots and 0.15-0.3 ms a window, with three
 * demand-charge periods 5-13 pivots and 0.3-0.6 ms, against 1.5 ms and
 * 12 ms cold.
 */
void bess_lp_shift(struct bess_lp *lp, size_t k);

/*
 * Add demand-response events (bess_event.h, the terms in bess_lpevent.h),
 * laid on the grid of in->rates (plans kept by pointer: they must outlive
 * the model), before the first bess_lp_update. The model must have been
 * built with BESS_LP_SPLIT (import is then a row of the model, not net
 * of export). The objective then includes -payment * delivered + penalty *
 * shortfall of every event with a step in the window.
 */
int bess_lp_events(struct bess_lp *lp, const struct bess_event_plan *plans, size_t nplan,
    struct bess_err *err);

/*
 * For a caller whose window arrays start at step grid_first of the
 * events' grid (a receding-horizon loop; 0 otherwise): where the next
 * bess_lp_update lays the events, and the import realised in the grid's
 * steps before it (past_import_kw, indexed on that grid; NULL: those
 * steps count at their baseline).
 */
void bess_lp_events_at(struct bess_lp *lp, size_t grid_first, const double *past_import_kw);

/* Solve; 0 with res filled (status may be INFEASIBLE or FAILED), -1 on an internal error. */
int bess_lp_solve(struct bess_lp *lp, const struct bess_lp_opts *opts,
    struct bess_lp_result *res, struct bess_err *err);

/* Allocate / free a schedule of n steps (all zero), of one battery or of nbat. */
int bess_lp_schedule_init(struct bess_lp_schedule *sc, size_t n);
int bess_lp_schedule_init_n(struct bess_lp_schedule *sc, size_t n, size_t nbat);
void bess_lp_schedule_free(struct bess_lp_schedule *sc);

/* The solved schedule (values within 1e-9 of a bound are snapped to it). */
void bess_lp_schedule(const struct bess_lp *lp, struct bess_lp_schedule *sc);

/*
 * The battery idle (charge = discharge = 0) on the same window: grid import
 * and export follow load and solar; solar is curtailed where export is not
 * allowed, limited, or priced below zero; the SOC drifts by self-discharge.
 * Import limits are not enforced (this is also the "no battery" baseline).
 */
void bess_lp_idle(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, struct bess_lp_schedule *sc);
void bess_lp_idle_n(const struct bess_battery *b, size_t nbat, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, struct bess_lp_schedule *sc);

/*
 * Why a window is infeasible: returns the first step (0-based, within the
 * window) that no schedule can meet, with why filled ("load 900 kW is above
 * the import limit 500 kW plus what the battery can give (...)"), n if the
 * steps can all be met but the terminal SOC rule cannot, or -1 if no cause
 * is found (e.g. the daily cycle cap).
 */
long bess_lp_diagnose(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, char *why, size_t whylen);

/*
 * Controllable loads (bess_lpdev.h, bess-devices(5)) in the model: call once
 * after bess_lp_new, before bess_lp_update. ts: the series' step starts
 * (nts of them, indexed like the rates); st: one state per device at the
 * window's start, or NULL (all on, nothing done); both kept as pointers.
 * With devices, bess_lp_shift makes the next solve cold, and a fractional
 * on/off answer is solved by branch and bound at any size.
 */
int bess_lp_devices(struct bess_lp *lp, const struct bess_devices *dv, const bess_time_t *ts, size_t nts,
    const struct bess_devstate *st, struct bess_err *err);
/* The devices' step starts for the next update (a receding-horizon window: the series from its first step). */
void bess_lp_devices_times(struct bess_lp *lp, const bess_time_t *ts, size_t nts);
/* Device i in step t of the solution: power drawn (kW), on or off, kWh shed (sheddable) or run (shiftable). */
void bess_lp_device(const struct bess_lp *lp, size_t i, size_t t, double *power_kw, int *on, double *kwh);
/* Device i's task energy the window could not hold (short) and due after it (later), kWh. */
void bess_lp_device_shortfall(const struct bess_lp *lp, size_t i, double *short_kwh, double *later_kwh);

/* The same for nbat batteries (the power of every step, summed over them; nbat 1: bess_lp_diagnose). */
long bess_lp_diagnose_n(const struct bess_battery *b, size_t nbat, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, char *why, size_t whylen);

/* Write the model in CPLEX LP format (names like c_12, soc_12). */
int bess_lp_write(struct bess_lp *lp, const char *path, struct bess_err *err);

/* "GLPK 5.0" */
const char *bess_lp_solver(void);

#endif
