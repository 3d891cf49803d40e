/* test_devstate.c: the devices' state carried from step to step (min_on/min_off holds, hours off per local day, a task's energy so far, reports that differ), every figure by hand. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_civil.h"
#include "bess_devstate.h"
#include "fixture.h"
#include "tap.h"

/* An instant: y-m-d hh:mm UTC. */
static bess_time_t
ymd_hm(int y, int m, int d, int h, int mi)
{
	return (bess_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60) * BESS_US_PER_S;
}

int
main(void)
{
	struct bess_devices *dv = devices_from(
	    "[pump]\nkind = sheddable\npower = 5kW\ncost = 0.1\nmin_off = 1h\nmin_on = 45m\n"
	    "[van]\nkind = shiftable\npower = 0 2kW 4kW\nenergy = 5kWh\nwindow = 22:00-06:00\n"
	    "[fridge]\nkind = essential\npower = 0.5kW\n");
	struct bess_devrun r;
	struct bess_devstate st;
	int o;
	double p;

	if (dv == NULL || bess_devrun_init(&r, dv, 8, 0.25) != 0) {
		ok(0, "parse and init");
		return done();
	}
	ok(r.st[0].off == 0 && r.st[0].hold_h == 0, "all on, nothing held at first");
	/* 23:00 the pump is switched off: min_off 1 h, one 15-minute step of it gone: 0.75 h left */
	r.cur_on[0] = 0, r.cur_kw[0] = 0, r.cur_on[1] = 1, r.cur_kw[1] = 4, r.cur_on[2] = 1, r.cur_kw[2] = 0.5;
	bess_devrun_step(&r, 0, ymd_hm(2026, 1, 5, 23, 0));
	ok(r.st[0].off == 1 && fabs(r.st[0].hold_h - 0.75) < 1e-12, "switched off: 0.75 h of min_off left");
	ok(fabs(r.st[0].off_h - 0.25) < 1e-12, "0.25 h off today");
	/* the van's task opened on 2026-01-05 at 22:00: 4 kW x 0.25 h = 1 kWh of it */
	ok(r.st[1].done_task == bess_days_from_civil(2026, 1, 5) && fabs(r.st[1].done_kwh - 1) < 1e-12,
	    "1 kWh of the task of the 5th delivered");
	ok(fabs(r.power_kw[1 * 8 + 0] - 4) < 1e-12 && r.on[0 * 8 + 0] == 0, "the step is recorded");
	/* the no-action rule: the pump held off while its min_off lasts; the van on until 5 kWh */
	bess_devstate_default(dv, 0, &r.st[0], ymd_hm(2026, 1, 5, 23, 15), 0.25, &o, &p);
	ok(o == 0 && p == 0, "no plan: held off by min_off");
	bess_devstate_default(dv, 1, &r.st[1], ymd_hm(2026, 1, 5, 23, 15), 0.25, &o, &p);
	ok(o == 1 && p == 4, "no plan: the van runs at its top level while 4 kWh are missing");
	/* no plan for the step: the pump held off (-5 kW), the van at 4 kW (+4), the fridge 0: -1 kW */
	ok(fabs(bess_devrun_begin(&r, (size_t)-1, ymd_hm(2026, 1, 5, 23, 15)) - -1) < 1e-12 && r.cur_on[0] == 0 &&
	    r.cur_kw[1] == 4 && r.cur_on[2] == 1, "no plan: the step's devices by the no-action rule, load -1 kW");
	ok(bess_devstate_load_kw(&dv->dev[0], 0, 0) == -5 && bess_devstate_load_kw(&dv->dev[1], 1, 4) == 4 &&
	    bess_devstate_load_kw(&dv->dev[2], 1, 0.5) == 0, "load change: -5 shed, +4 shifted, 0 essential");
	/* three more off steps: the hold runs down to 0; midnight starts a new day's off hours */
	bess_devrun_step(&r, 1, ymd_hm(2026, 1, 5, 23, 15));
	bess_devrun_step(&r, 2, ymd_hm(2026, 1, 5, 23, 30));
	bess_devrun_step(&r, 3, ymd_hm(2026, 1, 5, 23, 45));
	ok(r.st[0].hold_h == 0 && fabs(r.st[0].off_h - 1) < 1e-12, "an hour off: free again, 1 h off on the 5th");
	ok(fabs(r.st[1].done_kwh - 4) < 1e-12, "4 kWh of the van's task");
	bess_devrun_step(&r, 4, ymd_hm(2026, 1, 6, 0, 0));
	ok(fabs(r.st[0].off_h - 0.25) < 1e-12 && r.st[0].off_day == bess_days_from_civil(2026, 1, 6),
	    "after midnight: 0.25 h off on the 6th");
	ok(r.st[1].done_task == bess_days_from_civil(2026, 1, 5) && fabs(r.st[1].done_kwh - 5) < 1e-12,
	    "the task of the 5th goes on past midnight: 5 kWh");
	bess_devstate_default(dv, 1, &r.st[1], ymd_hm(2026, 1, 6, 0, 15), 0.25, &o, &p);
	ok(o == 0 && p == 0, "no plan: the van stops when its 5 kWh are in");
	bess_devstate_default(dv, 0, &r.st[0], ymd_hm(2026, 1, 6, 0, 15), 0.25, &o, &p);
	ok(o == 1 && p == 5, "no plan, nothing held: the pump on");
	/* switched on: min_on 45 m, one step gone: 0.5 h */
	r.cur_on[0] = 1, r.cur_kw[0] = 5;
	bess_devrun_step(&r, 5, ymd_hm(2026, 1, 6, 0, 15));
	ok(r.st[0].off == 0 && fabs(r.st[0].hold_h - 0.5) < 1e-12, "switched on: 0.5 h of min_on left");
	/* a report: the pump says OFF although told ON: it switched now, its min_off (1 h) begins */
	st = r.st[0];
	ok(bess_devstate_report(&dv->dev[0], &st, 0) == 1 && st.off == 1 && st.hold_h == 1,
	    "reported OFF when on: off, 1 h of min_off held");
	ok(bess_devstate_report(&dv->dev[0], &st, 0) == 0 && st.hold_h == 1, "the same report again: no change");
	ok(bess_devstate_report(&dv->dev[2], &st, 0) == 0, "an essential device's report changes nothing");
	bess_devrun_free(&r);
	bess_devices_free(dv);
	return done();
}
