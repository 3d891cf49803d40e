/* bess_lpdev.h: controllable loads in the scheduling model (GLPK columns and rows added to bess_lp): shedding and shifting. */
#ifndef BESS_LPDEV_H
#define BESS_LPDEV_H

#include <glpk.h>
#include <stddef.h>
#include <stdint.h>

#include "bess_devices.h"
#include "bess_err.h"
#include "bess_tariff.h"

/*
 * The model of the devices of a devices file, for the steps t = 0..n-1 of
 * dt hours of a bess_lp window (all powers kW, energies kWh), added to its
 * GLPK problem (columns and rows after the battery's):
 *
 * sheddable device of power P (its draw is part of load_kw):
 *   off[t] in {0, 1} (1 = switched off); fixed at 0 outside its "when"
 *   windows and outside the window's data
 *   grid row t: -P off[t]      cap row t (demand): +P off[t]; under a tariff's
 *   demand_window of w steps, +P/w off[t] in the cap row of every step whose
 *   window holds t (lib/lp.c set_cap: the window's mean import)
 *   cost: dt (cost_kwh P + cost_h) off[t]   (the energy not bought is the
 *         grid row's: -price P dt off[t])
 *   max_off H per local day d: sum over the day's steps of dt off[t] <= H
 *         (less the hours already off that day, from the state)
 *   min_off of L steps (L > 1): y[t] >= off[t] - off[t-1] (y >= 0, a switch-off),
 *         sum of y over the L steps up to t <= off[t]
 *   min_on of L steps (L > 1): w[t] >= off[t-1] - off[t] (a switch-on),
 *         sum of w over the L steps up to t <= 1 - off[t]
 *   off[-1] is the state's (on unless a state record said off); the
 *   steps starting within the state's hold_h are fixed at that state (a
 *   min_off or min_on begun before the window; an off held so is kept
 *   within the day's max_off)
 * shiftable device with levels l_1 < ... < l_k (its energy is not in load_kw):
 *   z[t][j] in {0, 1}: runs at l_j in step t; sum_j z[t][j] <= 1 (k > 1);
 *   fixed at 0 in steps outside every task
 *   grid row t: +l_j z[t][j]      cap row t: -l_j z[t][j]
 *   per task (a local day's window, earliest start to deadline) whose
 *   deadline is inside the model's window:
 *         E - done <= sum over its steps of dt l_j z[t][j] < E - done + dt l_k
 *         (less than one more step at the highest level: the device stops when done;
 *         0 when E - done <= 0)
 *   (done: delivered before the window, from the state); a task whose
 *   deadline is past the window is not required there (a later window
 *   requires it)
 * essential devices add nothing.
 * y and w stay continuous: with off binary they are exact. off and z are
 * solved as an LP first; where the LP's answer is integral it is the MILP's
 * too; otherwise bess_lp's branch and bound makes them binary.
 */

/* What a device is doing when a window starts (bess-dispatch's state; all zero = on, nothing done). */
struct bess_devstate {
	int off;		/* sheddable: 1 if switched off now */
	double off_h;		/* sheddable: hours off so far on local day off_day */
	int64_t off_day;	/* the local day off_h is of */
	double done_kwh;	/* shiftable: kWh delivered to task done_task */
	int64_t done_task;	/* the task (local date its window opens) done_kwh is of */
	double hold_h;		/* sheddable: hours the present on/off state must still be held
				   (what is left of a min_on or min_off begun before the window; 0 = free) */
};

struct bess_lpdev;

/*
 * The devices of dv for a model of n steps of dt_h hours whose step first
 * starts at ts[first] (ts: the whole series, as the rates). Built into P:
 * grid_row[t] and cap_row[t] (-1: none) are the rows of step t the devices'
 * power enters. NULL with err.
 */
struct bess_lpdev *bess_lpdev_new(const struct bess_devices *dv, glp_prob *P, size_t n, double dt_h,
    const int *grid_row, const int *cap_row, struct bess_err *err);
void bess_lpdev_free(struct bess_lpdev *m);

/* The series' instants (step i starts at ts[i]), nts of them. */
void bess_lpdev_times(struct bess_lpdev *m, const bess_time_t *ts, size_t nts);
/* The state at the window's start, one per device (NULL: all on, nothing done). Kept as a pointer. */
void bess_lpdev_state(struct bess_lpdev *m, const struct bess_devstate *st);

/* Load a window (bounds, costs, day and task rows). Errors: no times, more tasks than days. */
int bess_lpdev_update(struct bess_lpdev *m, glp_prob *P, const struct bess_rates *r, size_t first,
    size_t na, struct bess_err *err);

/* The integer columns (off and z), count returned, *cols set (1-based GLPK columns). */
int bess_lpdev_intcols(const struct bess_lpdev *m, const int **cols);
/* Is any integer column of solution x (1-based, every column) fractional? */
int bess_lpdev_fractional(const struct bess_lpdev *m, const double *x);
/* The devices' change to the grid import of step t in solution x, kW (shifted on, shed off). */
double bess_lpdev_step_kw(const struct bess_lpdev *m, const double *x, size_t t);
/* Upper bounds of what the devices can add to (up) or take from (down) the import of any step, kW. */
void bess_lpdev_range_kw(const struct bess_lpdev *m, double *up, double *down);

/*
 * The devices' columns in step t's grid row and their coefficients (the
 * kW they add to the import per unit), written to ind[0..] and val[0..]:
 * their count, at most bess_lpdev_max_entries.
 */
int bess_lpdev_step_entries(const struct bess_lpdev *m, size_t t, int *ind, double *val);
int bess_lpdev_max_entries(const struct bess_lpdev *m);

/*
 * Device i in step t of solution x: the power it draws (kW), whether it is
 * on, and the kWh shed (sheddable off) or run (shiftable) in the step.
 */
void bess_lpdev_device(const struct bess_lpdev *m, const double *x, size_t i, size_t t, double *power_kw,
    int *on, double *shed_kwh);

/*
 * What the window could not hold, device i: kWh of tasks that could not be
 * met in full in the window (the task began before the data), and kWh of
 * tasks whose deadline is past the window (not required there).
 */
void bess_lpdev_shortfall(const struct bess_lpdev *m, size_t i, double *short_kwh, double *later_kwh);

/*
 * Each device alone, exactly: the cheapest plan of every device under the
 * column costs cost[] (1-based GLPK columns, e.g. the objective less the
 * duals of the rows the devices share with the battery), within the
 * devices' own rows and bounds as the last update left them and their
 * binaries 0 or 1. Writes the devices' columns of x (1-based, every
 * column) and *value, the plans' summed cost. A sheddable device by a
 * dynamic program over (on or off, steps since the last switch, steps off
 * so far today); a shiftable one by trying every count of steps per level
 * in each task, the highest levels in the cheapest steps (exact when a
 * step's cost is a price per kWh, as the grid's). -1 when a device is
 * beyond that (costs of another form, too many combinations, or no plan
 * at all): branch and bound then decides.
 */
int bess_lpdev_best(struct bess_lpdev *m, glp_prob *P, const double *cost, double *x, double *value);

/* The devices' columns (col0 .. col0+ncol-1) and their own rows (row0 .. row0+nrow-1), GLPK indices. */
void bess_lpdev_span(const struct bess_lpdev *m, int *col0, int *ncol, int *row0, int *nrow);

#endif
