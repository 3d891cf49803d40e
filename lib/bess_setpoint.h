/* bess_setpoint.h: what the battery does within one control interval when the real load differs from the forecast the plan was made on — the plan's power as it is, or a grid-import cap and target held against the meter. */
#ifndef BESS_SETPOINT_H
#define BESS_SETPOINT_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_tariff.h"

/*
 * How a plan's step is carried out (--setpoint):
 *   battery  the planned charge and discharge power, whatever the load does
 *            (the grid takes the difference);
 *   guard    the planned power, but the grid import never goes above the
 *            interval's import cap while the battery can help: charging is
 *            cut first, then the battery discharges more, within its power
 *            and the energy above soc_min;
 *   grid     in a step with an import cap, the meter is held: a real load
 *            above the forecast keeps the plan's power while the import stays
 *            under the cap, and the battery covers what would pass the cap,
 *            within its power and SOC; a load below it is stored where the
 *            plan charges (the battery charges more, up to the planned
 *            import, and never above the peak already reached), and keeps
 *            the plan's power elsewhere; a step without a cap (no demand
 *            charge) keeps the planned power, as energy prices alone do not
 *            reward holding the meter.
 * The cap is the peak the plan accepts for the interval's demand period
 * in the current bill (the plan's highest import there, never below the
 * peak already reached); without demand charges there is no cap.
 */
enum bess_setpoint {
	BESS_SETPOINT_BATTERY = 0,
	BESS_SETPOINT_GUARD,
	BESS_SETPOINT_GRID
};

/*
 * The import cap of each step of a plan of len steps over the window rates
 * r (step 0 = the plan's first; bill 0 its bill): the highest import the
 * plan accepts (import_kw) in the step's demand period and bill, never
 * below peak_kw[period] (the peak already reached in bill 0; NULL = 0);
 * INFINITY where the step's period has no demand rate.
 */
void bess_setpoint_caps(const struct bess_rates *r, const double *import_kw, size_t len,
    const double *peak_kw, double *cap);

/*
 * Break the ties of equal prices the way uncertainty favours: keep energy
 * stored as long as the plan allows (charge early, discharge late). Adds
 * j times a millionth of the mean price to step j's import and export
 * price (export_price may be NULL): far below any real price difference,
 * and below the loss of any cycle of battery b, so it never pays for
 * cycling (none for a battery with a round trip above 99.9 %). Returns the
 * slope added (per step).
 */
double bess_setpoint_tilt(const struct bess_battery *b, double *price, double *export_price, size_t len);

/*
 * The share of the rest of the bill a plan from start to end covers:
 * (end - start) / (the end of the billing period holding start - start),
 * at most 1; 1 without a tariff or with billing = none. A window of a
 * receding-horizon controller weighs the demand rates by it
 * (--amortize): a cap raised now serves every later day of the bill, and
 * the window sees only its own days, so at full rates it would raise the
 * charging periods' caps too late and hold too little energy for the days
 * that set the bill.
 */
double bess_setpoint_share(const struct bess_tariff *t, bess_time_t start, bess_time_t end);

/* The name of a mode ("battery", "guard", "grid"). */
const char *bess_setpoint_name(enum bess_setpoint m);

/* One interval's command. */
struct bess_setpoint_cmd {
	double charge_kw, discharge_kw;	/* the plan's battery power, AC, each >= 0 */
	double grid_kw;			/* the plan's grid flow: import - export, kW */
	double cap_kw;			/* the import cap, kW (INFINITY = none) */
	double peak_kw;			/* the peak already reached in the step's demand period and bill, kW:
					   grid mode charges beyond the plan only up to it */
};

/*
 * The power the battery (b, start_kwh already self-discharged, dt_h hours)
 * applies in mode m when the site's real net load (load - solar) is
 * net_kw: *charge_kw and *discharge_kw (>= 0). export_ok 0: the battery
 * never discharges below the net load in grid mode. Returns 1 when the
 * result differs from the plan's power.
 */
int bess_setpoint_apply(enum bess_setpoint m, const struct bess_battery *b, double dt_h,
    double start_kwh, const struct bess_setpoint_cmd *c, double net_kw, int export_ok,
    double *charge_kw, double *discharge_kw);

/*
 * Several batteries b[0..nb) carry out one step of a plan whose site
 * command is c (grid_kw, cap_kw, peak_kw; c's charge and discharge are
 * ignored): charge_kw[i], discharge_kw[i] hold battery i's planned power
 * on entry and the power it applies on return; start_kwh[i] its SOC
 * (already self-discharged). The rule: the batteries take the meter's
 * miss in the order given, each as bess_setpoint_apply with the others'
 * power as part of the load (those before it at what they apply, those
 * after it at their plan), so battery 0 holds the set-point first and a
 * battery later in the list moves only for what the ones before it could
 * not meet. With one battery this is bess_setpoint_apply. Returns 1 when
 * any battery's power differs from its plan.
 */
int bess_setpoint_apply_n(enum bess_setpoint m, const struct bess_battery *b, size_t nb, double dt_h,
    const double *start_kwh, const struct bess_setpoint_cmd *c, double net_kw, int export_ok,
    double *charge_kw, double *discharge_kw);

#endif
