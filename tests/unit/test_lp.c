/* test_lp.c: the battery LP against optima derived by hand (each derivation is in the comment above its case). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_lp.h"
#include "bess_tariff.h"
#include "fixture_lp.h"

/* A battery of cap kWh and p kW with charge/discharge efficiencies, starting at init kWh. */
static void
battery(struct bess_battery *b, double cap, double p, double eta_c, double eta_d, double init)
{
	battery_base(b, cap, p, eta_c, eta_d);
	battery_start(b, init);
	battery_checked(b);
}

/* Check a schedule against the battery equations and the site balance, step by step. */
static void
physics(const struct run *r, const struct bess_battery *b, const double *load, const double *solar,
    size_t n, const char *what)
{
	size_t t;
	double soc = b->soc_init_kwh, worst_soc = 0, worst_bal = 0;

	for (t = 0; t < n; t++) {
		double l = load ? load[t] : 0, s = solar ? solar[t] : 0;
		double bal = r->sc.import_kw[t] - r->sc.export_kw[t] -
		    (l - s + r->sc.curtail_kw[t] + r->sc.charge_kw[t] - r->sc.discharge_kw[t]);

		soc = soc + b->eta_charge * r->sc.charge_kw[t] - r->sc.discharge_kw[t] / b->eta_discharge;
		worst_soc = fmax(worst_soc, fabs(soc - r->sc.soc_kwh[t]));
		worst_bal = fmax(worst_bal, fabs(bal));
	}
	ok(worst_soc < 1e-6 && worst_bal < 1e-6, "%s: SOC equation and power balance hold "
	    "(worst %.2g kWh, %.2g kW)", what, worst_soc, worst_bal);
}

int
main(void)
{
	struct bess_battery b;
	struct bess_site s;
	struct run r;
	int m;

	bess_site_init(&s);

	/*
	 * Two steps, prices 1 then 3, perfect efficiency, 10 kWh / 5 kW from
	 * empty, end free: charge 5 kW (5 kWh) then discharge 5 kW, exported
	 * at the import price: cost 5*1 - 5*3 = -10. Both methods.
	 */
	for (m = BESS_LP_SIMPLEX; m <= BESS_LP_INTERIOR; m++) {
		double price[] = { 1, 3 };
		const char *mn = m == BESS_LP_SIMPLEX ? "simplex" : "interior";

		battery(&b, 10, 5, 1, 1, 0);
		b.soc_final = BESS_SOC_FINAL_FREE;
		solve(&r, &b, &s, NULL, 2, price, NULL, NULL, NULL, (enum bess_lp_method)m);
		ok(r.rc == 0, "spread (%s): solved", mn);
		near(r.res.objective, -10, 1e-6, "spread: objective");
		near(r.sc.charge_kw[0], 5, 1e-5, "spread: charge 5 kW in step 1");
		near(r.sc.discharge_kw[1], 5, 1e-5, "spread: discharge 5 kW in step 2");
		near(r.cost.total, -10, 1e-5, "spread: the priced schedule costs the objective");
		done_run(&r);
	}

	/*
	 * Efficiency break-even: 90 % each way (81 % round trip). Charging c
	 * kWh at price 1 gives 0.9c stored and 0.81c delivered, so arbitrage
	 * pays iff p2 * 0.81 > 1, i.e. p2 > 1/0.81 = 1.2345679.
	 * p2 = 1.2: idle, cost 0. p2 = 1.3: c = 5 (power), d = 0.81*5 = 4.05,
	 * cost 5*1 - 4.05*1.3 = -0.265.
	 */
	{
		double below[] = { 1, 1.2 }, above[] = { 1, 1.3 }, at[] = { 1, 1 / 0.81 };

		battery(&b, 10, 5, 0.9, 0.9, 0);
		b.soc_final = BESS_SOC_FINAL_FREE;
		solve(&r, &b, &s, NULL, 2, below, NULL, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, 0, 1e-9, "break-even: p2 = 1.2 is below 1/0.81: cost 0");
		ok(r.sc.charge_kw[0] == 0 && r.sc.discharge_kw[1] == 0, "break-even: battery idle below");
		done_run(&r);
		solve(&r, &b, &s, NULL, 2, above, NULL, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, -0.265, 1e-9, "break-even: p2 = 1.3: cost 5 - 4.05*1.3 = -0.265");
		near(r.sc.discharge_kw[1], 4.05, 1e-9, "break-even: discharge 4.05 kW");
		done_run(&r);
		solve(&r, &b, &s, NULL, 2, at, NULL, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, 0, 1e-9, "break-even: exactly at 1/0.81 nothing is gained");
		done_run(&r);
	}

	/* A flat price with losses: any cycle loses energy, so the unique optimum is idle. */
	{
		double flat[] = { 0.2, 0.2, 0.2, 0.2, 0.2, 0.2 }, load[] = { 3, 1, 4, 1, 5, 9 };

		battery(&b, 10, 5, 0.95, 0.95, 5);
		solve(&r, &b, &s, NULL, 6, flat, NULL, load, NULL, BESS_LP_INTERIOR);
		near(r.res.objective, 0.2 * 23, 1e-6, "flat: cost is the load's 23 kWh at 0.2");
		near(r.cost.throughput_kwh, 0, 1e-4, "flat: no throughput");
		physics(&r, &b, load, NULL, 6, "flat");
		done_run(&r);
	}

	/*
	 * Power and SOC limits binding: 6 kWh / 3 kW, lossless, from empty,
	 * end free, prices 1 2 3 9 8 7. Cheapest charging first: 3 kW at 1
	 * (power-bound), 3 kW at 2 (the SOC reaches 6, capacity-bound), none at
	 * 3; discharge 3 kW at 9 and 3 kW at 8 (power-bound), none at 7.
	 * Cost 3*1 + 3*2 - 3*9 - 3*8 = -42. The optimum is unique.
	 */
	{
		double price[] = { 1, 2, 3, 9, 8, 7 };
		double c[] = { 3, 3, 0, 0, 0, 0 }, d[] = { 0, 0, 0, 3, 3, 0 };
		size_t t;
		int same = 1;

		battery(&b, 6, 3, 1, 1, 0);
		b.soc_final = BESS_SOC_FINAL_FREE;
		solve(&r, &b, &s, NULL, 6, price, NULL, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, -42, 1e-9, "limits: objective -42");
		for (t = 0; t < 6; t++)
			same &= fabs(r.sc.charge_kw[t] - c[t]) < 1e-9 && fabs(r.sc.discharge_kw[t] - d[t]) < 1e-9;
		ok(same, "limits: charge 3,3,0 and discharge 0,0,0,3,3,0");
		near(r.sc.soc_kwh[1], 6, 1e-9, "limits: full after step 2");
		done_run(&r);
	}

	/*
	 * Demand charge: load 100 100 200 100 kW, energy free, 10 per kW of the
	 * month's peak import. 50 kWh / 100 kW lossless from empty, end free.
	 * Without the battery the peak is 200: 2000. The battery can shift 50
	 * kWh: charge 25 kW in each of steps 1-2 (import 125) and discharge 50
	 * in step 3 (import 150): peak 150, cost 1500. Shaving 50 kW is worth
	 * exactly 50 * 10 = 500. With 180 kW already reached this month the
	 * peak cannot go below 180: shave 20 kW, cost 1800.
	 */
	{
		static const char tf[] = "[all]\ndemand = 10\n";
		double zero[] = { 0, 0, 0, 0 }, load[] = { 100, 100, 200, 100 };
		FILE *fp = fmemopen((void *)tf, sizeof(tf) - 1, "r");
		struct bess_err err;
		struct bess_tariff *tariff = bess_tariff_read(fp, "tariff", &err);
		struct bess_peak_so_far pk = { "all", 180 };

		fclose(fp);
		ok(tariff != NULL, "demand: tariff parsed");
		battery(&b, 50, 100, 1, 1, 0);
		b.soc_final = BESS_SOC_FINAL_FREE;
		for (m = BESS_LP_SIMPLEX; m <= BESS_LP_INTERIOR; m++) {
			solve(&r, &b, &s, tariff, 4, zero, NULL, load, NULL, (enum bess_lp_method)m);
			near(r.res.objective, 1500, 1e-5, "demand: peak 150, cost 1500");
			ok(r.cost.nline == 1, "demand: one demand line");
			if (r.cost.nline == 1)
				near(r.cost.line[0].peak_kw, 150, 1e-5, "demand: priced peak 150 kW");
			physics(&r, &b, load, NULL, 4, "demand");
			done_run(&r);
		}
		s.peak = &pk;
		s.npeak = 1;
		solve(&r, &b, &s, tariff, 4, zero, NULL, load, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, 1800, 1e-6, "demand: 180 kW already reached: cost 1800");
		near(r.cost.demand_cost, 1800, 1e-6, "demand: the priced demand cost is 1800");
		done_run(&r);
		s.peak = NULL;
		s.npeak = 0;
		bess_tariff_free(tariff);
	}

	/*
	 * Published answer: 2 MW / 4 MWh, 90 % on charge only, start and end
	 * empty, hourly prices 10 -50 200 -50 200 per MWh (here kW, kWh and
	 * per kWh, the same numbers). Step 1 imports 4/9 MWh = 0.444444 (0.4
	 * stored), steps 2 and 4 charge 2 (1.8 stored each), steps 3 and 5
	 * discharge 2: SOC 0.4, 2.2, 0.2, 2.0, 0. Profit
	 * -10*4/9 + 50*2 + 200*2 + 50*2 + 200*2 = 995.555...
	 * The prices are negative, so this runs the MILP rule too (auto: the LP
	 * shows no simultaneous flows, so no binaries).
	 */
	{
		double price[] = { 10, -50, 200, -50, 200 }, net[] = { 4.0 / 9, 2, -2, 2, -2 };
		size_t t;
		int same = 1;

		battery(&b, 4, 2, 0.9, 1, 0);
		b.soc_final = BESS_SOC_FINAL_EXACT;
		b.soc_final_kwh = 0;
		solve(&r, &b, &s, NULL, 5, price, NULL, NULL, NULL, BESS_LP_AUTO);
		near(-r.res.objective, 995.5555555555556, 1e-6, "published: profit 995.56");
		for (t = 0; t < 5; t++)
			same &= fabs(r.sc.import_kw[t] - r.sc.export_kw[t] - net[t]) < 1e-6;
		ok(same, "published: net import 0.444444 2 -2 2 -2");
		ok(!r.res.milp, "published: no binaries were needed");
		done_run(&r);
	}

	/*
	 * Negative price with a full battery: 10 kWh / 5 kW, 90 % each way,
	 * start full, end free, one hour at -1. The LP charges 5 and discharges
	 * 4.05 at once (0.9*5 = 4.05/0.9, SOC unchanged), importing 0.95 kWh
	 * for a cost of -0.95. Forbidding that, charging is impossible (full)
	 * and discharging costs, so idle: cost 0.
	 */
	{
		double price[] = { -1 };

		battery(&b, 10, 5, 0.9, 0.9, 10);
		b.soc_final = BESS_SOC_FINAL_FREE;
		s.milp = BESS_MILP_OFF;
		solve(&r, &b, &s, NULL, 1, price, NULL, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, -0.95, 1e-9, "negative price, LP: cost -0.95 (simultaneous)");
		ok(!r.res.milp, "negative price, LP: no binaries with --milp off");
		done_run(&r);
		s.milp = BESS_MILP_AUTO;
		solve(&r, &b, &s, NULL, 1, price, NULL, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, 0, 1e-9, "negative price, MILP: idle, cost 0");
		ok(r.res.milp, "negative price, MILP: binaries were used");
		ok(r.sc.charge_kw[0] * r.sc.discharge_kw[0] == 0, "negative price, MILP: not both at once");
		done_run(&r);
	}

	/*
	 * Export paid above the import price: import 1, export 2 per kWh, 10 kW
	 * limits both ways, no load, empty battery (5 kW), end free. The LP
	 * imports and exports at once; export is bounded by solar + discharge
	 * power = 0 + 5 kW (bess-optimize(1), THE MODEL), so it moves 5 kW for
	 * an hour at a margin of 1: cost -5. Without simultaneous flows nothing
	 * pays (the battery is empty and must not end below empty): cost 0.
	 */
	{
		double price[] = { 1 }, xprice[] = { 2 };

		battery(&b, 10, 5, 1, 1, 0);
		b.soc_final = BESS_SOC_FINAL_FREE;
		s.import_limit_kw = 10;
		s.export_limit_kw = 10;
		s.milp = BESS_MILP_OFF;
		solve(&r, &b, &s, NULL, 1, price, xprice, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, -5, 1e-9, "export above import, LP: cost -5");
		done_run(&r);
		s.milp = BESS_MILP_AUTO;
		solve(&r, &b, &s, NULL, 1, price, xprice, NULL, NULL, BESS_LP_SIMPLEX);
		near(r.res.objective, 0, 1e-9, "export above import, MILP: cost 0");
		ok(r.res.milp, "export above import, MILP: binaries were used");
		done_run(&r);
		s.import_limit_kw = s.export_limit_kw = INFINITY;
	}

	/*
	 * A battery below its SOC floor: 100 kWh, 10 kW lossless, floor 20 kWh,
	 * starting at 5 kWh, flat price 1. It must recover as fast as allowed:
	 * charge 10 (SOC 15), charge 5 (SOC 20), then idle. The first step ends
	 * outside the limits (5 kWh short), the largest violation at a step end.
	 */
	{
		double price[] = { 1, 1, 1, 1 };

		battery(&b, 100, 10, 1, 1, 5);
		b.soc_min_kwh = 20;
		b.soc_min_pct = NAN;
		solve(&r, &b, &s, NULL, 4, price, NULL, NULL, NULL, BESS_LP_SIMPLEX);
		ok(r.rc == 0, "below floor: solved, not infeasible");
		near(r.sc.charge_kw[0], 10, 1e-6, "below floor: full power in step 1");
		near(r.sc.charge_kw[1], 5, 1e-6, "below floor: the rest in step 2");
		near(r.sc.soc_kwh[3], 20, 1e-6, "below floor: ends at the floor");
		ok(r.sc.soc_violation_steps == 1, "below floor: one step ends outside the limits");
		near(r.sc.soc_violation_kwh, 5, 1e-6, "below floor: worst violation 5 kWh");
		done_run(&r);
	}

	/*
	 * Infeasible: load 900 kW in step 2 with a 500 kW import limit and a
	 * battery of 100 kWh / 300 kW: whatever it stored in step 1, step 2
	 * needs 400 kW from a battery limited to 300 kW. The first step that
	 * cannot be met is step 2 (index 1).
	 */
	{
		double price[] = { 1, 1 }, load[] = { 100, 900 };
		struct bess_lp_input in;
		char why[256];
		long bad;

		battery(&b, 100, 300, 1, 1, 0);
		s.import_limit_kw = 500;
		solve(&r, &b, &s, NULL, 2, price, NULL, load, NULL, BESS_LP_SIMPLEX);
		ok(r.rc != 0 && r.res.status == BESS_LP_INFEASIBLE, "infeasible: reported as such");
		memset(&in, 0, sizeof(in));
		in.rates = &r.rates;
		in.load_kw = load;
		bad = bess_lp_diagnose(&b, &s, &in, 2, why, sizeof(why));
		is_int(bad, 1, "infeasible: the first step that cannot be met is index 1");
		diag("%s", why);
		done_run(&r);
		s.import_limit_kw = INFINITY;
	}

	/*
	 * The receding-horizon use: one model of 4 steps rolled over 8 steps of
	 * data with load, a demand tariff and prices; after each shift and
	 * update a warm simplex solve must reach the same objective as a new
	 * model solved cold on the same window (an independent build). The last
	 * windows are shorter (n_active) and compared with models of that size.
	 */
	{
		static const char tf[] = "[day]\ndemand = 0.3\nwhen = 06:00-18:00\n[night]\ndemand = 0.1\n";
		double price[] = { 0.3, 0.1, 0.5, 0.2, 0.6, 0.1, 0.4, 0.3 };
		double load[] = { 5, 8, 3, 9, 4, 7, 6, 2 };
		bess_time_t ts[8];
		FILE *fp = fmemopen((void *)tf, sizeof(tf) - 1, "r");
		struct bess_err err;
		struct bess_tariff *tariff = bess_tariff_read(fp, "tariff", &err);
		struct bess_rates rates;
		struct bess_lp *roll = NULL, *fresh;
		struct bess_lp_input in;
		struct bess_lp_opts o;
		struct bess_lp_result rw, rc;
		struct bess_lp_schedule sc;
		size_t f, i;
		double soc = 2;
		int agree = 1, warm_used = 1;

		fclose(fp);
		for (i = 0; i < 8; i++)
			ts[i] = 1736121600LL * 1000000 + (bess_time_t)i * 3 * H;	/* 3-hour steps */
		battery(&b, 10, 4, 0.95, 0.95, soc);
		bess_rates_build(&rates, tariff, ts, 8, 3 * H, price, NULL, &s, &err);
		memset(&in, 0, sizeof(in));
		in.rates = &rates;
		in.load_kw = load;
		memset(&o, 0, sizeof(o));
		bess_lp_schedule_init(&sc, 4);
		for (f = 0; f < 8; f++) {
			size_t na = 8 - f < 4 ? 8 - f : 4;

			in.first = f;
			in.n_active = na;
			in.soc_init_kwh = soc;
			if (roll == NULL)
				roll = bess_lp_new(&b, &s, 4, 3, BESS_LP_DEMAND, &err);
			else
				bess_lp_shift(roll, 1);
			bess_lp_update(roll, &in, &err);
			o.method = BESS_LP_SIMPLEX;
			o.warm = f > 0;
			bess_lp_solve(roll, &o, &rw, &err);
			in.n_active = 0;
			fresh = bess_lp_new(&b, &s, na, 3, BESS_LP_DEMAND, &err);
			bess_lp_update(fresh, &in, &err);
			o.warm = 0;
			bess_lp_solve(fresh, &o, &rc, &err);
			bess_lp_free(fresh);
			if (rw.status != BESS_LP_OPTIMAL || rc.status != BESS_LP_OPTIMAL ||
			    fabs(rw.objective - rc.objective) > 1e-7 * (1 + fabs(rc.objective))) {
				agree = 0;
				diag("window %zu: rolled %.10g, fresh %.10g", f, rw.objective, rc.objective);
			}
			if (f > 0 && rw.iterations > rc.iterations + 20)
				warm_used = 0;
			bess_lp_schedule(roll, &sc);
			soc = sc.soc_kwh[0];	/* the plant did step f as planned */
		}
		ok(agree, "rolling: warm solves of shifted windows equal cold solves of new models");
		ok(warm_used, "rolling: warm solves take no more pivots than cold ones (+20)");
		bess_lp_schedule_free(&sc);
		bess_lp_free(roll);
		bess_rates_free(&rates);
		bess_tariff_free(tariff);
	}

	bess_site_free(&s);
	return done();
}
