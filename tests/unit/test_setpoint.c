/* test_setpoint.c: a plan's step carried out against the meter (battery, guard, grid), the import caps of a plan and a plan's share of the bill, against hand calculations (each derivation in the comment above its case). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_setpoint.h"
#include "bess_time.h"
#include "fixture.h"

/* A lossless 10 kWh / 5 kW battery, SOC 0 .. 10 kWh. */
static void
battery(struct bess_battery *b)
{
	battery_base(b, 10, 5, 1, 1);
	battery_limits(b, 0, 10);
	battery_checked(b);
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
	near(dis, 2, 1e-9, "battery mode: discharge 2 kW");
	ok(bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 13, 0, &ch, &dis) == 1,
	    "grid mode changes it");
	near(ch, 0, 1e-9, "grid mode, load 13: no charge");
	near(dis, 5, 1e-9, "grid mode, load 13: discharge 13 - 8 = 5 kW (import 8, the cap)");
	/* real load 15: 15 - 8 = 7 wanted, 5 kW of power: import 15 - 5 = 10, the bill's new peak */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 15, 0, &ch, &dis);
	near(dis, 5, 1e-9, "grid mode, load 15: the power limit, 5 kW (import 10)");
	/* SOC 2 kWh left, lossless, one hour: at most 2 kW; import 13 - 2 = 11 */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 2, &c, 13, 0, &ch, &dis);
	near(dis, 2, 1e-9, "grid mode, 2 kWh left: 2 kW (import 11)");
	/* a quarter hour with 2 kWh left: 2 / 0.25 = 8 kW of energy, 5 kW of power: 5 */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 0.25, 2, &c, 13, 0, &ch, &dis);
	near(dis, 5, 1e-9, "grid mode, a quarter hour, 2 kWh left: the power limit binds first");
	/* real load 6, below the forecast, in a step the plan discharges: the plan's 2 kW (import 4) */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 5, &c, 6, 0, &ch, &dis);
	near(ch, 0, 1e-9, "grid mode, load 6, the plan discharging: no charge");
	near(dis, 2, 1e-9, "grid mode, load 6, the plan discharging: its 2 kW (import 4)");

	/*
	 * A load above the forecast under a cap above the plan's import: the
	 * plan forecast 10 kW and discharges 2 (arbitrage: grid 8), the peak
	 * already paid is 12 (cap 12). Real load 13: 13 - 2 = 11 is under the
	 * cap, so the plan's 2 kW as they are (import 11; the 3 kWh the plan
	 * did not spend stay stored). Real load 16: 16 - 2 = 14 passes the cap
	 * by 2: discharge 4 (import 12). Real load 20: 8 over, 5 kW of power:
	 * discharge 5 (import 15). Real load 9, below the forecast: the plan
	 * discharges, so its 2 kW (import 7).
	 */
	cmd(&c, 0, 2, 8, 12);
	ok(bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 13, 0, &ch, &dis) == 0,
	    "grid mode, load 13 under a cap of 12: the plan's power");
	near(dis, 2, 1e-9, "grid mode, load 13, cap 12: discharge 2 kW (import 11)");
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 16, 0, &ch, &dis);
	near(dis, 4, 1e-9, "grid mode, load 16, cap 12: discharge 4 kW (import 12)");
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 20, 0, &ch, &dis);
	near(dis, 5, 1e-9, "grid mode, load 20, cap 12: the power limit, 5 kW (import 15)");
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 9, 0, &ch, &dis);
	near(dis, 2, 1e-9, "grid mode, load 9: the plan's 2 kW (import 7)");
	/* the plan charges 3 kW at grid 8 under a cap of 12; real load 7: 7 + 3 = 10, under the cap: 3 kW */
	cmd(&c, 3, 0, 8, 12);
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 5, &c, 7, 0, &ch, &dis);
	near(ch, 3, 1e-9, "grid mode, charging, load 7 under a cap of 12: the plan's 3 kW (import 10)");
	/* real load 11: 11 + 3 = 14 passes 12: charge cut to 1 (import 12) */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 5, &c, 11, 0, &ch, &dis);
	near(ch, 1, 1e-9, "grid mode, charging, load 11, cap 12: charge cut to 1 kW (import 12)");
	/*
	 * real load 4, below the forecast of 5, in a charging step: stored, to
	 * the planned import 8: charge 8 - 4 = 4 kW (5 kWh of room; 8 is under
	 * the peak already paid, 12). With a peak already paid of 6, charging
	 * beyond the plan's 3 kW stops at 6 - 4 = 2: the plan's 3 kW (import 7).
	 */
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 5, &c, 4, 0, &ch, &dis);
	near(ch, 4, 1e-9, "grid mode, charging, load 4: stored up to the planned import, 4 kW");
	c.peak_kw = 6;
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 5, &c, 4, 0, &ch, &dis);
	near(ch, 3, 1e-9, "grid mode, charging, load 4, peak paid 6: the plan's 3 kW, no new peak");

	/*
	 * Guard: the plan charges 3 kW on a forecast load of 5 (grid 8, cap 8).
	 * Real load 7: 7 + 3 = 10 is 2 over: charge cut to 1 (import 8).
	 * Real load 12: 12 + 3 is 7 over: no charge, discharge 4 (import 8).
	 * Real load 4: 4 + 3 = 7 is under the cap: the plan as it is.
	 */
	cmd(&c, 3, 0, 8, 8);
	bess_setpoint_apply(BESS_SETPOINT_GUARD, &b, 1, 5, &c, 7, 0, &ch, &dis);
	near(ch, 1, 1e-9, "guard, load 7: charge cut to 1 kW");
	bess_setpoint_apply(BESS_SETPOINT_GUARD, &b, 1, 5, &c, 12, 0, &ch, &dis);
	near(ch, 0, 1e-9, "guard, load 12: no charge");
	near(dis, 4, 1e-9, "guard, load 12: discharge 4 kW");
	ok(bess_setpoint_apply(BESS_SETPOINT_GUARD, &b, 1, 5, &c, 4, 0, &ch, &dis) == 0 && ch == 3,
	    "guard, load 4: the plan's 3 kW");

	/*
	 * No export: the plan discharges 5 kW on a forecast load of 5 (grid 0,
	 * cap 5); the real load is 3: grid mode discharges only 3 kW.
	 */
	cmd(&c, 0, 5, 0, 5);
	bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 3, 0, &ch, &dis);
	near(dis, 3, 1e-9, "grid mode without export: discharge only the real load, 3 kW");
	/* without a cap (no demand charge) grid mode keeps the plan's power */
	cmd(&c, 0, 2, 8, INFINITY);
	ok(bess_setpoint_apply(BESS_SETPOINT_GRID, &b, 1, 10, &c, 13, 0, &ch, &dis) == 0 && dis == 2,
	    "grid mode without a cap: the plan's 2 kW");

	/*
	 * Two batteries (each the lossless 10 kWh / 5 kW one) carry out one step
	 * of a plan: both planned to discharge 2 kW on a forecast load of 10
	 * (grid 6, cap 6). They take the miss in the order given, each with the
	 * other's power counted as load. Real load 13 (3 kW over): battery 0
	 * sees 13 - 2 = 11 and discharges 11 - 6 = 5; battery 1 then sees
	 * 13 - 5 = 8, 2 over the cap: its plan's 2 kW (import 6). Real load 16
	 * (6 over): battery 0 gives its 5 kW, battery 1 sees 16 - 5 = 11 and
	 * gives 5 (import 6). Battery 0 with 1 kWh left (1 kW for the hour):
	 * it gives 1, battery 1 sees 15 and gives its 5 (import 10).
	 */
	{
		struct bess_battery two[2];
		double start[2] = { 10, 10 }, c2[2] = { 0, 0 }, d2[2] = { 2, 2 };

		battery(&two[0]);
		battery(&two[1]);
		cmd(&c, 0, 0, 6, 6);
		ok(bess_setpoint_apply_n(BESS_SETPOINT_GRID, two, 2, 1, start, &c, 13, 0, c2, d2) == 1,
		    "two batteries, load 13: changed");
		near(d2[0], 5, 1e-9, "two batteries, load 13: battery 0 discharges 5 kW");
		near(d2[1], 2, 1e-9, "two batteries, load 13: battery 1 keeps its 2 kW");
		d2[0] = d2[1] = 2;
		bess_setpoint_apply_n(BESS_SETPOINT_GRID, two, 2, 1, start, &c, 16, 0, c2, d2);
		near(d2[0] + d2[1], 10, 1e-9, "two batteries, load 16: 5 + 5 kW (import 6)");
		d2[0] = d2[1] = 2;
		start[0] = 1;
		bess_setpoint_apply_n(BESS_SETPOINT_GRID, two, 2, 1, start, &c, 16, 0, c2, d2);
		near(d2[0], 1, 1e-9, "two batteries, load 16, battery 0 with 1 kWh: it gives 1 kW");
		near(d2[1], 5, 1e-9, "two batteries, load 16, battery 0 with 1 kWh: battery 1 gives 5 kW");
		/* one battery: bess_setpoint_apply itself (load 13, plan 2 at grid 8, cap 8: 5 kW) */
		cmd(&c, 0, 2, 8, 8);
		d2[0] = 2;
		start[0] = 10;
		bess_setpoint_apply_n(BESS_SETPOINT_GRID, two, 1, 1, start, &c, 13, 0, c2, d2);
		near(d2[0], 5, 1e-9, "one battery through bess_setpoint_apply_n: 5 kW, as bess_setpoint_apply");
	}

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
	near(cap[0], 6, 1e-9, "cap of step 0: the peak so far, 6");
	near(cap[1], 6, 1e-9, "cap of step 1: 6");
	near(cap[2], 7, 1e-9, "cap of step 2: its own planned import, 7");
	ok(isinf(cap[3]), "step 3 (no demand period): no cap");
	/* the same plan starting in the next bill for steps 2 and 3: period 1 has no peak so far there */
	bill[2] = bill[3] = 1;
	imp[2] = 1;
	bess_setpoint_caps(&r, imp, 4, peak, cap);
	near(cap[2], 1, 1e-9, "a later bill: its own import only, 1");

	/*
	 * A plan's share of the rest of the bill. Monthly bills on London time:
	 * a 48 h window from 2023-01-01T00:00Z (GMT: the bill ends at
	 * 2023-02-01T00:00Z, 31 * 24 = 744 h on) covers 48/744; one from
	 * 2023-01-30T00:00Z reaches the bill's end (48 h on): 1. In summer
	 * (BST, UTC+1) July begins at 2023-06-30T23:00Z: from
	 * 2023-06-10T12:00Z that is 20 days and 11 hours, 491 h: 48/491.
	 * Daily bills: the local day of 2023-06-10T12:00Z ends at 23:00Z, 11 h
	 * on: a 6 h window covers 6/11, a 48 h one all of it. billing = none,
	 * or no tariff: 1.
	 */
	{
		struct bess_tariff *tm = tariff("timezone = Europe/London\n[all]\ndemand = 10\n");
		struct bess_tariff *td = tariff("timezone = Europe/London\nbilling = day\n[all]\ndemand = 10\n");
		struct bess_tariff *tn = tariff("billing = none\n[all]\ndemand = 10\n");
		bess_time_t h = 3600LL * 1000000, jan1 = at("2023-01-01T00:00:00Z"), jun = at("2023-06-10T12:00:00Z");

		near(bess_setpoint_share(tm, jan1, jan1 + 48 * h), 48.0 / 744, 1e-9, "share: 48 h from 1 January, 48/744");
		near(bess_setpoint_share(tm, at("2023-01-30T00:00:00Z"), at("2023-02-01T00:00:00Z")), 1, 1e-9,
		    "share: a window to the bill's end, 1");
		near(bess_setpoint_share(tm, jun, jun + 48 * h), 48.0 / 491, 1e-9, "share: 48 h from 10 June 12:00Z (BST), 48/491");
		near(bess_setpoint_share(td, jun, jun + 6 * h), 6.0 / 11, 1e-9, "share, daily bills: 6 h of 11, 6/11");
		near(bess_setpoint_share(td, jun, jun + 48 * h), 1, 1e-9, "share, daily bills: past the day's end, 1");
		near(bess_setpoint_share(tn, jun, jun + 6 * h), 1, 1e-9, "share, billing = none: 1");
		near(bess_setpoint_share(NULL, jun, jun + 6 * h), 1, 1e-9, "share without a tariff: 1");
		bess_tariff_free(tm);
		bess_tariff_free(td);
		bess_tariff_free(tn);
	}
	return done();
}
