/* test_sim.c: the battery simulator and its settlement against hand calculations (each derivation is in the comment above its case). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_sim.h"
#include "bess_tariff.h"
#include "fixture.h"

/* cap kWh, p kW both ways, charge/discharge efficiencies, SOC limits in kWh. */
static void
battery(struct bess_battery *b, double cap, double p, double ec, double ed, double lo, double hi)
{
	battery_base(b, cap, p, ec, ed);
	battery_limits(b, lo, hi);
	battery_checked(b);
}

static void
site(struct bess_sim_site *s, double load, double solar, double il, double el, double xprice)
{
	s->load_kw = load;
	s->solar_kw = solar;
	s->import_limit_kw = il;
	s->export_limit_kw = el;
	s->export_price = xprice;
	s->no_grid_charge = 0;
}

static void
cmd(struct bess_sim_cmd *c, double charge, double discharge)
{
	memset(c, 0, sizeof(*c));
	c->charge_kw = charge;
	c->discharge_kw = discharge;
}

int
main(void)
{
	struct bess_battery b;
	struct bess_sim s;
	struct bess_sim_cmd c;
	struct bess_sim_site st;
	struct bess_sim_out o;
	char buf[128];

	/*
	 * Efficiency: 100 kWh, 50 kW, eta_c 0.9, eta_d 0.8, 1-hour steps, from 0.
	 * Charging 50 kW stores 0.9 * 50 = 45 kWh; discharging 20 kW then takes
	 * 20 / 0.8 = 25 kWh out: 20 kWh left. With a 30 kW load the grid
	 * imports 30 + 50 = 80 kW, then 30 - 20 = 10 kW.
	 */
	battery(&b, 100, 50, 0.9, 0.8, 0, 100);
	bess_sim_init(&s, &b, 1, 0);
	site(&st, 30, 0, INFINITY, INFINITY, 0.1);
	cmd(&c, 50, 0);
	bess_sim_step(&s, &c, &st, &o);
	near(o.soc_kwh, 45, 1e-12, "charging 50 kW for 1 h at 90 % stores 45 kWh");
	near(o.import_kw, 80, 1e-12, "the grid carries load plus charge: 80 kW");
	is_int((int)o.clip, 0, "no clip");
	cmd(&c, 0, 20);
	bess_sim_step(&s, &c, &st, &o);
	near(o.soc_kwh, 20, 1e-12, "discharging 20 kW at 80 % takes 25 kWh: 20 kWh left");
	near(o.import_kw, 10, 1e-12, "the grid imports load less discharge: 10 kW");

	/* Power limit: asking 80 kW of a 50 kW battery gives 50 kW and a charge_power clip. */
	bess_sim_init(&s, &b, 1, 0);
	cmd(&c, 80, 0);
	bess_sim_step(&s, &c, &st, &o);
	near(o.charge_kw, 50, 1e-12, "80 kW asked, 50 kW allowed");
	ok(o.clip == BESS_CLIP_CHARGE_POWER, "clip: %s", bess_clip_format(o.clip, buf, sizeof(buf)));
	cmd(&c, 0, 70);
	bess_sim_step(&s, &c, &st, &o);
	/* from 45 kWh: 50 kW out takes 62.5 kWh > 45, so the SOC limit also cuts: 45 * 0.8 = 36 kW */
	near(o.discharge_kw, 36, 1e-12, "70 kW asked from 45 kWh: power cut to 50, SOC cut to 36 kW");
	ok(o.clip == (BESS_CLIP_DISCHARGE_POWER | BESS_CLIP_SOC_MIN), "both clips: %s",
	    bess_clip_format(o.clip, buf, sizeof(buf)));
	is_str(buf, "discharge_power+soc_min", "clip names joined with '+'");
	near(o.soc_kwh, 0, 1e-12, "ends empty");

	/*
	 * SOC max: limits 10..90 kWh, at 85 kWh charging 50 kW would store 45;
	 * only 5 kWh fit: 5 / 0.9 = 5.5556 kW.
	 */
	battery(&b, 100, 50, 0.9, 0.8, 10, 90);
	bess_sim_init(&s, &b, 1, 85);
	cmd(&c, 50, 0);
	bess_sim_step(&s, &c, &st, &o);
	near(o.charge_kw, 5 / 0.9, 1e-9, "charge cut to 5/0.9 kW at soc_max");
	near(o.soc_kwh, 90, 1e-9, "ends at soc_max 90 kWh");
	ok(o.clip == BESS_CLIP_SOC_MAX, "clip soc_max");
	/* SOC min: at 15 kWh with soc_min 10, only 5 kWh may leave: 5 * 0.8 = 4 kW. */
	bess_sim_init(&s, &b, 1, 15);
	cmd(&c, 0, 50);
	bess_sim_step(&s, &c, &st, &o);
	near(o.discharge_kw, 4, 1e-12, "discharge cut to 4 kW at soc_min");
	ok(o.clip == BESS_CLIP_SOC_MIN, "clip soc_min");
	/* Below soc_min already (5 kWh): discharging is cut to nothing, charging 10 kW is allowed (+9 kWh). */
	bess_sim_init(&s, &b, 1, 5);
	cmd(&c, 0, 10);
	bess_sim_step(&s, &c, &st, &o);
	ok(o.discharge_kw == 0 && o.soc_kwh == 5 && o.clip == BESS_CLIP_SOC_MIN,
	    "below soc_min: no discharge, SOC stays 5");
	cmd(&c, 10, 0);
	bess_sim_step(&s, &c, &st, &o);
	ok(o.clip == 0, "below soc_min: charging back is not clipped");
	near(o.soc_kwh, 14, 1e-12, "5 + 0.9 * 10 = 14 kWh");

	/* A cut smaller than 1e-9 of the limit is solver noise: applied, not reported. */
	bess_sim_init(&s, &b, 1, 90 - 0.9 * 10);
	cmd(&c, 10 + 1e-12, 0);
	bess_sim_step(&s, &c, &st, &o);
	ok(o.clip == 0 && o.soc_kwh <= 90, "noise above soc_max is cut silently");

	/* Import limit: load 40 kW, limit 60 kW, charge 50 asked: only 20 kW fit. */
	battery(&b, 100, 50, 1, 1, 0, 100);
	bess_sim_init(&s, &b, 1, 0);
	site(&st, 40, 0, 60, INFINITY, 0.1);
	cmd(&c, 50, 0);
	bess_sim_step(&s, &c, &st, &o);
	near(o.charge_kw, 20, 1e-12, "charge cut to the import limit's room: 20 kW");
	near(o.import_kw, 60, 1e-12, "import at the limit");
	ok(o.clip == BESS_CLIP_IMPORT_LIMIT, "clip import_limit");
	/* Load alone above the limit: 70 kW against 60, battery idle: an over_import step, no clip. */
	cmd(&c, 0, 0);
	site(&st, 70, 0, 60, INFINITY, 0.1);
	bess_sim_step(&s, &c, &st, &o);
	ok(o.over_import && o.clip == 0 && o.import_kw == 70, "load above the import limit: over_import");
	is_int((int)s.over_import_steps, 1, "over_import counted");

	/*
	 * Export: not allowed (limit 0), load 10 kW, discharge 30 asked from 50
	 * kWh: only 10 kW can go to the load. With an export limit of 5 kW and
	 * solar 20 kW, load 10 kW, idle: 10 kW would leave, 5 are curtailed.
	 */
	bess_sim_init(&s, &b, 1, 50);
	site(&st, 10, 0, INFINITY, 0, 0.1);
	cmd(&c, 0, 30);
	bess_sim_step(&s, &c, &st, &o);
	near(o.discharge_kw, 10, 1e-12, "no export: discharge cut to the load, 10 kW");
	ok(o.clip == BESS_CLIP_EXPORT_LIMIT && o.export_kw == 0, "clip export_limit, nothing exported");
	site(&st, 10, 20, INFINITY, 5, 0.1);
	cmd(&c, 0, 0);
	bess_sim_step(&s, &c, &st, &o);
	near(o.export_kw, 5, 1e-12, "export at its 5 kW limit");
	near(o.curtail_kw, 5, 1e-12, "the other 5 kW of solar curtailed");
	ok(o.clip == 0, "curtailment is not a clip");
	/*
	 * Solar is curtailed before discharge is cut: 20 kW solar, 10 load,
	 * limit 5, discharge 8: 18 kW would leave, 13 of the solar go; with
	 * discharge 30: 40 would leave, all 20 of the solar go, and discharge
	 * is cut by the 15 kW still over: 15 kW.
	 */
	cmd(&c, 0, 8);
	bess_sim_step(&s, &c, &st, &o);
	ok(o.curtail_kw == 13 && o.discharge_kw == 8 && o.export_kw == 5 && o.clip == 0,
	    "curtail 13 kW, discharge 8 kW as asked, export 5 kW");
	cmd(&c, 0, 30);
	bess_sim_step(&s, &c, &st, &o);
	ok(o.curtail_kw == 20 && o.discharge_kw == 15 && o.export_kw == 5 &&
	    o.clip == BESS_CLIP_EXPORT_LIMIT,
	    "all solar curtailed before discharge is cut: curtail %g, discharge %g, export %g",
	    o.curtail_kw, o.discharge_kw, o.export_kw);
	/* A negative export price: 20 kW solar, 10 load, 10 kW would be paid to leave; curtailed instead. */
	site(&st, 10, 20, INFINITY, INFINITY, -0.05);
	cmd(&c, 0, 0);
	bess_sim_step(&s, &c, &st, &o);
	ok(o.export_kw == 0 && o.curtail_kw == 10, "negative export price: curtail 10 kW rather than export");

	/* Self-discharge 1 %/h: 100 kWh idle for 2 hours keeps 100 * 0.99^2 = 98.01 kWh. */
	battery(&b, 100, 50, 1, 1, 0, 100);
	b.self_discharge_per_h = 0.01;
	bess_sim_init(&s, &b, 2, 100);
	site(&st, 0, 0, INFINITY, INFINITY, 0.1);
	cmd(&c, 0, 0);
	bess_sim_step(&s, &c, &st, &o);
	near(o.soc_kwh, 98.01, 1e-12, "1 %/h self-discharge over 2 h: 98.01 kWh");

	/* A missing command: idle, and counted as a "missing" clip. */
	memset(&c, 0, sizeof(c));
	c.missing = 1;
	c.charge_kw = 10;
	bess_sim_step(&s, &c, &st, &o);
	ok(o.charge_kw == 0 && o.clip == BESS_CLIP_MISSING, "missing command: idle, clip 'missing'");
	is_int((int)s.clips[6], 1, "clip kinds counted ('missing' is kind 6)");
	is_str(bess_clip_name(6), "missing", "kind 6 is named 'missing'");

	/*
	 * A whole run priced with the shared tariff code: demand charges per
	 * period and export. Tariff in UTC: [peak] 08:00-12:00 demand 10/kW,
	 * energy from the price column; [other] demand 2/kW. Hourly from
	 * 2025-01-06T06:00Z (Monday): steps 06, 07 other; 08, 09 peak; 10 peak.
	 * Load 40, 60, 80, 100, 70 kW, prices 0.1, 0.1, 0.3, 0.3, 0.2, battery
	 * 100 kWh / 50 kW, eta 1, from 50 kWh, commands +20, 0, -30, -50, -10:
	 *   SOC 70, 70, 40; at 09:00 only 40 kWh are left, so the 50 kW asked
	 *   is cut to 40 (soc_min), and the last 10 kW to nothing;
	 *   imports: 40+20 = 60, 60, 80-30 = 50, 100-40 = 60, 70 kW
	 *   energy: 0.1*60 + 0.1*60 + 0.3*50 + 0.3*60 + 0.2*70 = 59
	 *   peak other = 60 (demand 120); peak peak = max(50, 60, 70) = 70 (700)
	 *   total 59 + 120 + 700 = 879
	 */
	{
		static const char tf[] = "[peak]\ndemand = 10\nwhen = 08:00-12:00\n[other]\ndemand = 2\n";
		FILE *fp = fmemopen((void *)tf, sizeof(tf) - 1, "r");
		struct bess_err err;
		struct bess_tariff *t = bess_tariff_read(fp, "t", &err);
		struct bess_site si;
		struct bess_rates r;
		struct bess_series ser;
		struct bess_traj tr;
		struct bess_cost cost;
		bess_time_t ts[5];
		double load[] = { 40, 60, 80, 100, 70 }, price[] = { 0.1, 0.1, 0.3, 0.3, 0.2 };
		double ch[] = { 20, 0, 0, 0, 0 }, dis[] = { 0, 0, 30, 50, 10 };
		size_t i;

		fclose(fp);
		bess_site_init(&si);
		for (i = 0; i < 5; i++)
			ts[i] = (1736121600LL + 6 * 3600 + (long long)i * 3600) * 1000000;
		bess_rates_build(&r, t, ts, 5, H, price, NULL, &si, &err);
		memset(&ser, 0, sizeof(ser));
		ser.n = 5;
		ser.ts = ts;
		ser.step_us = H;
		ser.dt_h = 1;
		ser.price = price;
		ser.load_kw = load;
		battery(&b, 100, 50, 1, 1, 0, 100);
		bess_traj_init(&tr, 5);
		bess_sim_run(&b, &si, &ser, &r, 50, ch, dis, NULL, &tr, &s);
		ok(tr.import_kw[0] == 60 && tr.import_kw[1] == 60 && tr.import_kw[2] == 50 &&
		    tr.import_kw[3] == 60 && tr.import_kw[4] == 70, "imports 60, 60, 50, 60, 70 kW");
		ok(tr.clip[3] == BESS_CLIP_SOC_MIN && tr.clip[4] == BESS_CLIP_SOC_MIN && s.clipped_steps == 2,
		    "the last two discharges are cut at soc_min");
		bess_rates_cost(&r, tr.import_kw, tr.export_kw, tr.discharge_kw, 0, &cost, NULL, &err);
		near(cost.energy_cost, 59, 1e-9, "energy 59");
		near(cost.demand_cost, 820, 1e-9, "demand 2*60 + 10*70 = 820");
		near(cost.total, 879, 1e-9, "total 879");
		bess_cost_free(&cost);

		/*
		 * Export paid at the import price: load 10, discharge 50 from 50 kWh
		 * in a 0.3 step: 40 kW exported, revenue 0.3 * 40 = 12; a cycle cost
		 * of 0.02/kWh on 50 kWh discharged adds 1.
		 */
		load[2] = 10;
		ch[0] = 0;
		dis[2] = 50;
		dis[3] = dis[4] = 0;
		bess_sim_run(&b, &si, &ser, &r, 50, ch, dis, NULL, &tr, &s);
		bess_rates_cost(&r, tr.import_kw, tr.export_kw, tr.discharge_kw, 0.02, &cost, NULL, &err);
		near(tr.export_kw[2], 40, 1e-12, "40 kW exported");
		near(cost.export_revenue, 12, 1e-12, "export revenue 12");
		near(cost.degradation_cost, 1, 1e-12, "degradation 0.02 * 50 = 1");
		bess_cost_free(&cost);
		bess_traj_free(&tr);
		bess_rates_free(&r);
		bess_tariff_free(t);
		bess_site_free(&si);
	}
	{
		/*
		 * The physics' one home (bess_battery.h). eta_charge 0.8,
		 * eta_discharge 0.5, a half-hour step from 10 kWh:
		 *   charge 20 kW:    10 + 0.8 * 0.5 * 20 = 18 kWh
		 *   discharge 4 kW:  10 - 0.5 * 4 / 0.5 = 6 kWh
		 *   both:            10 + 8 - 4 = 14 kWh
		 * and back: storing 8 kWh takes 8 / (0.8 * 0.5) = 20 kW;
		 * taking out 4 kWh takes 4 * 0.5 / 0.5 = 4 kW. With 10 %/h
		 * self-discharge a quarter hour keeps 0.9^0.25 (awk: 0.974004).
		 */
		struct bess_battery bt;

		battery(&bt, 100, 50, 0.8, 0.5, 0, 100);
		near(bess_battery_soc_step(&bt, 0.5, 10, 20, 0), 18, 1e-12, "SOC step: charging 20 kW");
		near(bess_battery_soc_step(&bt, 0.5, 10, 0, 4), 6, 1e-12, "SOC step: discharging 4 kW");
		near(bess_battery_soc_step(&bt, 0.5, 10, 20, 4), 14, 1e-12, "SOC step: both");
		near(bess_battery_charge_kw(&bt, 0.5, 8), 20, 1e-12, "inverse: 8 kWh in is 20 kW");
		near(bess_battery_discharge_kw(&bt, 0.5, 4), 4, 1e-12, "inverse: 4 kWh out is 4 kW");
		near(bess_battery_soc_step(&bt, 0.5, 10, bess_battery_charge_kw(&bt, 0.5, 7), 0), 17, 1e-12,
		    "the inverse undoes the step (charging)");
		near(bess_battery_soc_step(&bt, 0.5, 10, 0, bess_battery_discharge_kw(&bt, 0.5, 3)), 7, 1e-12,
		    "the inverse undoes the step (discharging)");
		bt.self_discharge_per_h = 0.1;
		near(bess_battery_keep(&bt, 0.25), 0.974004, 1e-6, "keep over a quarter hour at 10 %/h");
	}
	return done();
}
