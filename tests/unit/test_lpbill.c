/* test_lpbill.c: energy blocks, the minimum charge and the export cap planned by the LP, against optima derived by hand (each in the comment above its case). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_lp.h"
#include "bess_lpbill.h"
#include "bess_tariff.h"
#include "fixture_lp.h"

/* One case (fixture_lp.h) under the tariff written in text. */
static void
solve_text(struct run *r, const struct bess_battery *b, const struct bess_site *s, const char *text,
    size_t n, const double *price, const double *xprice, const double *load)
{
	struct bess_tariff *t = tariff(text);

	memset(r, 0, sizeof(*r));
	r->rc = -1;
	if (t == NULL)
		return;
	solve(r, b, s, t, n, price, xprice, load, NULL, BESS_LP_SIMPLEX);
	bess_tariff_free(t);
}

int
main(void)
{
	struct bess_battery b;
	struct bess_site s;
	struct run r;
	double flat[25], load[25], zero[25];
	size_t i;

	bess_site_init(&s);
	s.export_mode = BESS_EXPORT_NONE;
	for (i = 0; i < 25; i++)
		flat[i] = 0.1, load[i] = 0, zero[i] = 0;

	/*
	 * An energy block moves import to another bill. Daily bills, a flat
	 * 0.1, "tier = 5kWh 1": a day's import beyond 5 kWh pays 1 more.
	 * 25 hourly steps: day 1 has no load, day 2 (its first hour) 8 kWh.
	 * Lossless 10 kWh / 10 kW from empty. Without the battery day 2 pays
	 * 8 * 0.1 + 3 * 1 = 3.8; storing 3 to 5 kWh on day 1 (below its
	 * block) leaves day 2 at 5 to 3 kWh: 8 * 0.1 = 0.8 and no block. An
	 * LP that does not weigh the block is indifferent and may idle (3.8).
	 */
	battery_free_end(&b, 10, 10, 1, 0);
	load[24] = 8;
	solve_text(&r, &b, &s, "billing = day\ntier = 5kWh 1\n[all]\n", 25, flat, NULL, load);
	ok(r.rc == 0 && r.unplanned[0] == '\0', "block: solved, every part planned ('%s')", r.unplanned);
	near(r.res.objective, 0.8, 1e-9, "block: objective 8 * 0.1, no block reached");
	near(r.cost.total, 0.8, 1e-9, "block: the bill (bess_rates_cost) is the objective");
	near(r.cost.tier_cost, 0, 1e-9, "block: no kWh in the block");
	ok(r.sc.import_kw[24] >= 3 - 1e-9 && r.sc.import_kw[24] <= 5 + 1e-9,
	    "block: day 2 imports 3 to 5 kWh (%.9g)", r.sc.import_kw[24]);
	done_run(&r);

	/*
	 * Two rising blocks: beyond 5 kWh +1, beyond 7 kWh +3; day 2 needs 12.
	 * Moving x kWh to day 1 saves 3 a kWh while day 2 is above 7 (x < 5),
	 * then day 1 pays 1 where day 2 saves 1 (indifferent). Best: day 2 at
	 * 7 kWh and day 1 at most 7: blocks (7 - 5) * 1 = 2, energy 12 * 0.1
	 * = 1.2, total 3.2 (no battery: 1.2 + 2 + 5 * 3 = 18.2).
	 */
	load[24] = 12;
	solve_text(&r, &b, &s, "billing = day\ntier = 5kWh 1\ntier = 7kWh 3\n[all]\n", 25, flat, NULL, load);
	near(r.res.objective, 3.2, 1e-9, "two blocks: objective 1.2 + 2");
	near(r.cost.total, 3.2, 1e-9, "two blocks: the bill is the objective");
	done_run(&r);

	/*
	 * Declining blocks (+1 beyond 5 kWh, then -0.5 beyond 7: not convex)
	 * are billed, not planned: the LP sees the flat 0.1 only and idles,
	 * 0.8 for 8 kWh; the bill adds (7 - 5) * 1 + (8 - 7) * -0.5 = 1.5.
	 */
	load[24] = 8;
	solve_text(&r, &b, &s, "billing = day\ntier = 5kWh 1\ntier = 7kWh -0.5\n[all]\n", 25, flat, NULL, load);
	ok(strcmp(r.unplanned, "declining energy blocks ('tier': not convex)") == 0,
	    "declining blocks: not planned, said so ('%s')", r.unplanned);
	near(r.res.objective, 0.8, 1e-9, "declining blocks: objective without them 0.8");
	near(r.cost.total, 2.3, 1e-9, "declining blocks: billed 0.8 + 1.5");
	done_run(&r);

	/*
	 * A minimum charge makes storing free. Daily bills, "minimum = 5";
	 * day 1 costs 0.9 a kWh and has 1 kWh of load (0.9: lifted to 5),
	 * day 2 costs 1 and needs 10 kWh. 10 kWh / 10 kW, 90 % each way
	 * (81 % round trip), from empty. Storing pays 0.9 for 0.81 kWh
	 * delivered worth 0.81: a loss, unless day 1 is below its minimum,
	 * where charging costs nothing until its charges reach 5: 5 / 0.9 - 1
	 * = 4.5556 kWh charged, 4.1 stored, 3.69 delivered. Day 1 bills 5,
	 * day 2 imports 10 - 3.69 = 6.31: total 11.31 (idle: 5 + 10 = 15).
	 */
	{
		double price[25], ld[25];

		for (i = 0; i < 25; i++)
			price[i] = i < 24 ? 0.9 : 1, ld[i] = 0;
		ld[0] = 1;
		ld[24] = 10;
		battery_free_end(&b, 10, 10, 0.9, 0);
		solve_text(&r, &b, &s, "billing = day\nminimum = 5\n[all]\n", 25, price, NULL, ld);
		ok(r.rc == 0 && r.unplanned[0] == '\0', "minimum: solved and planned");
		near(r.res.objective, 11.31, 1e-9, "minimum: objective 5 + 6.31");
		near(r.cost.total, 11.31, 1e-9, "minimum: the bill is the objective");
		near(r.sc.import_kw[24], 6.31, 1e-9, "minimum: day 2 imports 10 - 3.69");
		near(r.cost.bill[0].minimum_topup, 0, 1e-9, "minimum: day 1 charged up to the minimum");
		done_run(&r);
	}

	/*
	 * An export cap with a value for stored energy. One hour, import 1,
	 * export_price 0.7, 2 kWh of export paid per bill, a full lossless
	 * 10 kWh / 10 kW battery, a terminal value of 0.5 per kWh kept.
	 * Paid export (0.7) beats keeping (0.5) for the 2 kWh the cap pays;
	 * beyond, export earns nothing: export 2, keep 8. Objective
	 * -2 * 0.7 - 8 * 0.5 = -5.4 (an uncapped plan exports all 10 for -7,
	 * of which 1.4 is paid). The bill: -1.4.
	 */
	{
		double p1[] = { 1 }, x1[] = { 0.7 }, x2[] = { 0.7, 0.6 }, p2[] = { 1, 1 };

		s.export_mode = BESS_EXPORT_AUTO;
		battery_free_end(&b, 10, 10, 1, 10);
		b.terminal_value = 0.5;
		solve_text(&r, &b, &s, "export_cap = 2kWh\n[all]\n", 1, p1, x1, zero);
		ok(r.rc == 0 && r.unplanned[0] == '\0', "cap: solved and planned");
		near(r.res.objective, -5.4, 1e-9, "cap: objective -1.4 - 4");
		near(r.sc.export_kw[0], 2, 1e-9, "cap: exports the 2 kWh paid");
		near(r.cost.total, -1.4, 1e-9, "cap: billed -1.4");
		done_run(&r);
		/* export prices that vary in a bill (paid in time order): not convex, not planned */
		solve_text(&r, &b, &s, "export_cap = 2kWh\nminimum = 1\n[all]\n", 2, p2, x2, zero);
		ok(strcmp(r.unplanned, "the export cap in 1 bill (paid in time order at export prices that "
		    "vary or fall below 0: not convex), the minimum charge of those bills") == 0,
		    "cap: varying export prices are not planned, said so ('%s')", r.unplanned);
		done_run(&r);
		s.export_mode = BESS_EXPORT_NONE;
	}

	bess_site_free(&s);
	return done();
}
