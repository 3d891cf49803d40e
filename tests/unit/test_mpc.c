/* test_mpc.c: the receding-horizon loop against an independent dynamic program and the single-shot optimum, on random cases. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_forecast.h"
#include "bess_lp.h"
#include "bess_mpc.h"
#include "bess_sim.h"
#include "bess_tariff.h"
#include "fixture_mpc.h"

#define N 24		/* hourly steps of the random arbitrage cases */
#define GRID 0.5	/* kWh: the dynamic program's SOC grid */

/*
 * The arbitrage battery of the dynamic program: 36 kWh, 10 kW, charging
 * 90 %, discharging 80 %. A full-power hour moves 9 kWh in or 12.5 kWh out,
 * so every vertex of the LP (SOC at a limit, or flows at their limits)
 * lies on a 0.5 kWh grid, and the DP over that grid finds the LP optimum
 * exactly.
 */
static void
dp_battery(struct bess_battery *b, double init)
{
	battery_base(b, 36, 10, 0.9, 0.8);
	battery_start(b, init);
	battery_checked(b);
}

/*
 * The minimum cost of n hourly steps of pure arbitrage from init kWh, ending
 * at or above init, by backward induction over the SOC grid: from s to s',
 * a rise of r costs price * r / 0.9 (at most 9 kWh), a fall of f earns
 * price * 0.8 f (at most 12.5 kWh).
 */
static double
dp(const double *price, size_t n, double init)
{
	int m = (int)(36 / GRID + 0.5), s, s2, i0 = (int)(init / GRID + 0.5);
	double *v = malloc((size_t)(m + 1) * sizeof(double)), *nv = malloc((size_t)(m + 1) * sizeof(double));
	double best;
	size_t t;

	for (s = 0; s <= m; s++)
		v[s] = s >= i0 ? 0 : INFINITY;
	for (t = n; t-- > 0;) {
		for (s = 0; s <= m; s++) {
			nv[s] = INFINITY;
			for (s2 = 0; s2 <= m; s2++) {
				double d = (s2 - s) * GRID, c;

				if (d > 9 + 1e-12 || -d > 12.5 + 1e-12 || isinf(v[s2]))
					continue;
				c = d > 0 ? price[t] * d / 0.9 : price[t] * d * 0.8;
				if (c + v[s2] < nv[s])
					nv[s] = c + v[s2];
			}
		}
		memcpy(v, nv, (size_t)(m + 1) * sizeof(double));
	}
	best = v[i0];
	free(v);
	free(nv);
	return best;
}

int
main(void)
{
	struct bess_battery b;
	struct bess_site s;
	struct hist h;
	int k, agree = 1, agree_cold = 1, dp_lp = 1, bounded = 1, better = 1;
	size_t i;

	bess_site_init(&s);
	fixture_rng = 88172645463325252ULL;	/* this test's seed: its cases stay the same */

	/*
	 * Ten random arbitrage days (prices 0.01..0.5, start anywhere on the SOC
	 * grid): the DP optimum equals the LP's; the loop with perfect foresight
	 * and a horizon covering the day reproduces it, warm and cold; with
	 * horizons of 3, 6 and 12 hours, re-optimising every 1 or 2 steps, it is
	 * never better than the optimum and never worse than leaving the
	 * battery idle (cost 0).
	 */
	for (k = 0; k < 10; k++) {
		double init = GRID * (int)(uniform() * 72), best, z, lp;
		static const size_t hz[] = { 3, 6, 12 };
		size_t j;

		hist_init(&h, N, 0, 0, 0);
		for (i = 0; i < N; i++)
			h.price[i] = 0.01 + 0.49 * uniform();
		dp_battery(&b, init);
		best = dp(h.price, N, init);
		lp = optimum(&b, &s, NULL, &h);
		if (!rel_eq(lp, best, 1e-9)) {
			dp_lp = 0;
			diag("case %d: LP %.12g, DP %.12g", k, lp, best);
		}
		z = mpc_run(&b, &s, NULL, &h, "perfect", N, 1, 0, NULL);
		if (!rel_eq(z, best, 1e-6)) {
			agree = 0;
			diag("case %d: loop %.12g, optimum %.12g", k, z, best);
		}
		z = mpc_run(&b, &s, NULL, &h, "perfect", N + 5, 1, 1, NULL);
		if (!rel_eq(z, best, 1e-6)) {
			agree_cold = 0;
			diag("case %d (cold): loop %.12g, optimum %.12g", k, z, best);
		}
		for (j = 0; j < 3; j++) {
			size_t every;

			for (every = 1; every <= 2; every++) {
				z = mpc_run(&b, &s, NULL, &h, "perfect", hz[j], every, 0, NULL);
				if (!(z >= best - 1e-9 * fmax(1, fabs(best)) && z <= 1e-9)) {
					bounded = 0;
					diag("case %d, horizon %zu, every %zu: %.12g not in [%.12g, 0]", k, hz[j],
					    every, z, best);
				}
			}
		}
		/* persistence cannot beat the optimum either */
		z = mpc_run(&b, &s, NULL, &h, "persistence", 6, 1, 0, NULL);
		if (!(z >= best - 1e-9 * fmax(1, fabs(best))))
			better = 0;
	}
	ok(dp_lp, "the single-shot LP equals the dynamic program on 10 random days");
	ok(agree, "perfect foresight over the whole day (warm): the loop's cost equals the optimum (1e-6)");
	ok(agree_cold, "the same with a new model solved cold at every step");
	ok(bounded, "horizons 3, 6, 12 h, every 1 or 2 steps: optimum <= cost <= idle (0), 60 runs");
	ok(better, "a forecast never beats the optimum");

	/*
	 * Sites with load, solar (some of it curtailed at a 5 kW export limit), a
	 * demand tariff with two periods (bills by day, so the peaks reset
	 * inside the history), a daily cycle cap, an initial SOC and a cycle
	 * cost: perfect foresight over the whole history, re-optimising every 1
	 * or 3 steps, equals the single-shot LP's objective (1e-6 relative).
	 */
	{
		static const char tf[] = "billing = day\n[peak]\ndemand = 0.8\nwhen = 07:00-19:00\n"
		    "[night]\ndemand = 0.3\n";
		FILE *fp = fmemopen((void *)tf, sizeof(tf) - 1, "r");
		struct bess_err err;
		struct bess_tariff *t = bess_tariff_read(fp, "tariff", &err);
		int same = 1;

		fclose(fp);
		for (k = 0; k < 6; k++) {
			size_t n = 60;
			double z1, z3, opt;

			hist_init(&h, n, 1, 1, 0);
			for (i = 0; i < n; i++) {
				double hour = (double)(i % 24);

				h.price[i] = 0.05 + 0.3 * uniform();
				h.load[i] = 20 + 30 * uniform();
				h.solar[i] = hour > 6 && hour < 18 ? 60 * uniform() : 0;
			}
			dp_battery(&b, 10 + k);
			b.max_cycles_per_day = k % 2 ? 1 : 0;
			b.cycle_cost_per_kwh = 0.01 * k;
			s.export_limit_kw = 5;
			opt = optimum(&b, &s, t, &h);
			z1 = mpc_run(&b, &s, t, &h, "perfect", n, 1, 0, NULL);
			z3 = mpc_run(&b, &s, t, &h, "perfect", n + 10, 3, 0, NULL);
			if (!rel_eq(z1, opt, 1e-6) || !rel_eq(z3, opt, 1e-6)) {
				same = 0;
				diag("site %d: every 1 %.12g, every 3 %.12g, optimum %.12g", k, z1, z3, opt);
			}
		}
		ok(same, "sites with load, solar, export limit, demand periods, cycle cap: loop = optimum");
		s.export_limit_kw = INFINITY;
		bess_tariff_free(t);
	}

	/*
	 * The warm start works: 160 hourly steps, 48-hour windows, every step;
	 * the shifted basis needs far fewer pivots than solving each window
	 * from scratch with the simplex.
	 */
	{
		struct bess_mpc_stats sw, sc;
		double zw, zc;

		hist_init(&h, 160, 1, 0, 0);
		for (i = 0; i < 160; i++) {
			h.price[i] = 0.1 + 0.1 * sin((double)i * 6.283 / 24) + 0.05 * uniform();
			h.load[i] = 30;
		}
		dp_battery(&b, 0);
		zw = mpc_run(&b, &s, NULL, &h, "perfect", 48, 1, 0, &sw);
		zc = mpc_run(&b, &s, NULL, &h, "perfect", 48, 1, 1, &sc);
		ok(sw.builds == 1 && sc.builds == 160, "one model for the warm run, one per step cold");
		ok(sw.iterations * 3 < sc.iterations, "warm: %ld pivots, cold: %ld", sw.iterations, sc.iterations);
		diag("realised cost: warm %.9g, cold %.9g (ties in a window may pick different first steps)",
		    zw, zc);
	}
	bess_site_free(&s);
	return done();
}
