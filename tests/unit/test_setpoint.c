/* test_setpoint.c: a plan's step carried out against the meter (battery, guard, grid) and the import caps of a plan, against hand calculations (each derivation in the comment above its case). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_setpoint.h"
#include "tap.h"

static void
near(double got, double want, const char *what)
{
	ok(fabs(got - want) <= 1e-9 || (isinf(got) && isinf(want)), "%s: %.9g (want %.9g)", what, got, want);
}

/* A lossless 10 kWh / 5 kW battery, SOC 0 .. 10 kWh. */
static void
battery(struct bess_battery *b)
{
	struct bess_err err;

	bess_battery_init(b);
	b->capacity_kwh = 10;
	b->charge_kw = b->discharge_kw = 5;
	b->have_charge_kw = b->have_discharge_kw = 1;
	b->eta_charge = b->eta_discharge = 1;
	b->soc_min_pct = b->soc_max_pct = NAN;
	b->soc_min_kwh = 0;
	b->soc_max_kwh = 10;
	if (bess_battery_check(b, &err) != 0)
		diag("battery: %s", err.msg);
}

static void
cmd(struct bess_setpoint_cmd *c, double ch, double dis, double grid, double cap)
{
	c->charge_kw = ch;
	c->discharge_kw = dis;
	c->grid_kw = grid;
	c->cap_kw = cap;
	c->peak_kw = cap;
}

int
main(void)
{
	struct bess_battery b;
	struct bess_setpoint_cmd c;
	struct bess_rates r;
	double ch, dis, cap[4];
	int period[4] = { 0, 0, 1, -1 }, bill[4] = { 0, 0, 0, 0 };
	double rate[2] = { 10, 2 }, imp[4] = { 3, 5, 7, 9 }, peak[2] = { 6, 0 };

	battery(&b);

	/*
	 * The plan forecast a 10 kW load and planned to discharge 2 kW: grid 8
	 * kW, the period's cap 8. The real load is 13 kW. Battery mode keeps 2
	 * kW (the grid takes 11). Grid mode holds 8: it discharges 13 - 8 = 5
	 * kW, all its power (SOC 10 kWh is plenty for an hour).
	 */
	cmd(&c, 0, 2, 8, 8);
	ok(bess_setpoint_apply(BESS_SETPOINT_BATTERY, &b, 1, 10, &c, 13, 0, &ch, &dis) == 0,
	    "battery mode leaves the plan's power as it is");
	near(dis, 2, "battery mode: discharge 2 kW");
	ok(bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 13, 0, &ch, &dis) == 1,
	    "grid mode changes it");
	near(ch, 0, "grid mode, load 13: no charge");
	near(dis, 5, "grid mode, load 13: discharge 13 - 8 = 5 kW (import 8, the cap)");
	/* real load 15: 15 - 8 = 7 wanted, 5 kW of power: import 15 - 5 = 10, the bill's new peak */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 15, 0, &ch, &dis);
	near(dis, 5, "grid mode, load 15: the power limit, 5 kW (import 10)");
	/* SOC 2 kWh left, lossless, one hour: at most 2 kW; import 13 - 2 = 11 */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 2, &c, 13, 0, &ch, &dis);
	near(dis, 2, "grid mode, 2 kWh left: 2 kW (import 11)");
	/* a quarter hour with 2 kWh left: 2 / 0.25 = 8 kW of energy, 5 kW of power: 5 */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 0.25, 2, &c, 13, 0, &ch, &dis);
	near(dis, 5, "grid mode, a quarter hour, 2 kWh left: the power limit binds first");
	/* real load 6, below the forecast: hold 8 by charging 8 - 6 = 2 kW (room: 10 - 5 kWh) */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 5, &c, 6, 0, &ch, &dis);
	near(ch, 2, "grid mode, load 6: charge 2 kW to the target");
	near(dis, 0, "grid mode, load 6: no discharge");

	/*
	 * Guard: the plan charges 3 kW on a forecast load of 5 (grid 8, cap 8).
	 * Real load 7: 7 + 3 = 10 is 2 over: charge cut to 1 (import 8).
	 * Real load 12: 12 + 3 is 7 over: no charge, discharge 4 (import 8).
	 * Real load 4: 4 + 3 = 7 is under the cap: the plan as it is.
	 */
	cmd(&c, 3, 0, 8, 8);
	bess_setpoint_apply(BESS_SETPOINT_GUARD, &b, 1, 5, &c, 7, 0, &ch, &dis);
	near(ch, 1, "guard, load 7: charge cut to 1 kW");
	bess_setpoint_apply(BESS_SETPOINT_GUARD, &b, 1, 5, &c, 12, 0, &ch, &dis);
	near(ch, 0, "guard, load 12: no charge");
	near(dis, 4, "guard, load 12: discharge 4 kW");
	ok(bess_setpoint_apply(BESS_SETPOINT_GUARD, &b, 1, 5, &c, 4, 0, &ch, &dis) == 0 && ch == 3,
	    "guard, load 4: the plan's 3 kW");

	/*
	 * No export: the plan discharges 5 kW on a forecast load of 5 (grid 0,
	 * cap 5); the real load is 3: grid mode discharges only 3 kW.
	 */
	cmd(&c, 0, 5, 0, 5);
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 3, 0, &ch, &dis);
	near(dis, 3, "grid mode without export: discharge only the real load, 3 kW");
	/* without a cap (no demand charge) grid mode keeps the plan's power */
	cmd(&c, 0, 2, 8, INFINITY);
	ok(bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 13, 0, &ch, &dis) == 0 && dis == 2,
	    "grid mode without a cap: the plan's 2 kW");

	/*
	 * Caps of a 4-step plan: periods 0 0 1 none, one bill, rates 10 and 2,
	 * imports 3 5 7 9, peaks so far 6 and 0. Period 0: max(6, 3, 5) = 6 for
	 * both of its steps; period 1: 7; the last step has no demand rate.
	 */
	memset(&r, 0, sizeof(r));
	r.n = 4;
	r.period = period;
	r.bill = bill;
	r.nperiod = 2;
	r.demand_rate = rate;
	bess_setpoint_caps(&r, imp, 4, peak, cap);
	near(cap[0], 6, "cap of step 0: the peak so far, 6");
	near(cap[1], 6, "cap of step 1: 6");
	near(cap[2], 7, "cap of step 2: its own planned import, 7");
	ok(isinf(cap[3]), "step 3 (no demand period): no cap");
	/* the same plan starting in the next bill for steps 2 and 3: period 1 has no peak so far there */
	bill[2] = bill[3] = 1;
	imp[2] = 1;
	bess_setpoint_caps(&r, imp, 4, peak, cap);
	near(cap[2], 1, "a later bill: its own import only, 1");
	return done();
}
