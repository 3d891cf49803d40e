/* test_mpc_bill.c: the receding-horizon loop plans against the bills so far — ratchet floors from earlier bills, a demand window begun before the window, energy blocks, the minimum and the export cap — by hand and against the single-shot optimum. */
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

/* Run the loop with perfect foresight; the realised cost (the shared settlement), NAN on failure. */
static double
run(const struct bess_battery *b, const struct bess_site *s, const struct bess_tariff *t,
    struct hist *h, size_t horizon, size_t every)
{
	return mpc_run(b, s, t, h, "perfect", horizon, every, 0, NULL);
}

int
main(void)
{
	struct bess_battery b;
	struct bess_site s;
	struct hist h;
	size_t i;
	int k;

	bess_site_init(&s);
	fixture_rng = 0x9E3779B97F4A7C15ULL;	/* this test's seed: its cases stay the same */
	s.export_mode = BESS_EXPORT_NONE;

	/*
	 * A ratchet floor from a bill before the window changes a decision.
	 * Daily bills, demand 10/kW, ratchet 100 % of the earlier days' peaks.
	 * Day 1 (24 hours): load 100 kW at 3 a kWh; day 2: 50 kW at 3, then
	 * 100 kW at 1. A lossless 10 kWh / 60 kW battery from empty, windows
	 * of 2 hours every hour. Day 1's peak is 100 whatever the battery
	 * does (charging only raises it, and energy stored at 3 is worth at
	 * most 3), so day 2 bills at least 100 kW. A window on day 2 that
	 * knows the floor sees nothing to gain from shaving day 2's 100 kW and
	 * does not pay 3 - 1 = 2 a kWh to store 10 kWh: day 1 24 * 100 * 3 +
	 * 1000, day 2 50 * 3 + 100 * 1 + 1000, total 9450. A window blind to
	 * it would shave to 90 kW (worth 100 to it) and pay 20 more: 9470.
	 * The single-shot optimum is 9450.
	 */
	{
		struct bess_tariff *t = tariff("billing = day\n[all]\ndemand = 10\nratchet = 100%\n");

		hist_init(&h, 26, 1, 1, 0);
		for (i = 0; i < 26; i++) {
			h.price[i] = i == 25 ? 1 : 3;
			h.load[i] = i == 24 ? 50 : 100;
			h.solar[i] = 0;
		}
		battery_free_end(&b, 10, 60, 1, 0);
		ok(rel_eq(run(&b, &s, t, &h, 2, 1), 9450, 1e-9), "ratchet floor: 2-hour windows on day 2 bill 9450 "
		    "(the floor from day 1 planned)");
		ok(rel_eq(optimum(&b, &s, t, &h), 9450, 1e-9), "ratchet floor: the single-shot optimum is 9450");
		bess_tariff_free(t);
	}

	/*
	 * Perfect foresight with windows that reach the end of the history:
	 * each re-optimisation is the rest of the problem from the state the
	 * loop carries (the SOC, each bill's billed demand so far, ratchet
	 * floors, the import of a demand window begun before, the bill's
	 * kWh, cost and paid export so far), so the realised bills equal the
	 * single-shot optimum, re-optimising every hour or every 5 hours. Daily
	 * bills over 60 hours, random prices, load and solar, each of these
	 * tariffs (hand-checked separately in test_lpbill.c and test_tariff.c),
	 * whose blocks, minimum and cap bind on some days. Checked: windows
	 * blind to the bill so far fail the blocks, minimum and cap cases,
	 * blind to a demand window begun before fail the means cases.
	 */
	{
		static const char *tf[] = {
			"billing = day\n[peak]\ndemand = 8\nratchet = 80%\nwhen = 08:00-20:00\n"
			    "[other]\ndemand = 3\nratchet = 50%\nlookback = 1\n",
			"billing = day\ndemand_window = 2h\n[all]\ndemand = 6\n",
			"billing = day\ndemand_window = 3h\n[all]\ndemand = 6\nratchet = 90%\n",
			"billing = day\ntier = 100kWh 0.1\ntier = 150kWh 0.3\n[all]\ndemand = 2\n",
			"billing = day\nminimum = 60\n[all]\ndemand = 1\n",
			"billing = day\nexport_cap = 15kWh\nminimum = 30\n[all]\nexport = 0.04\n",
		};
		static const char *name[] = { "ratchets", "2-hour means", "3-hour means and a ratchet",
		    "rising blocks", "a minimum", "an export cap and a minimum" };
		size_t c;

		for (c = 0; c < sizeof(tf) / sizeof(tf[0]); c++) {
			struct bess_tariff *t = tariff(tf[c]);
			int same = 1;

			s.export_mode = c == 5 ? BESS_EXPORT_AUTO : BESS_EXPORT_NONE;
			for (k = 0; k < 3; k++) {
				size_t n = 60;
				double z1, z5, opt;

				hist_init(&h, n, 1, 1, 0);
				for (i = 0; i < n; i++) {
					double hour = (double)(i % 24);

					h.price[i] = 0.05 + 0.3 * uniform();
					h.load[i] = 2 + 20 * uniform();
					h.solar[i] = hour > 6 && hour < 18 ? 25 * uniform() : 0;
				}
				battery_free_end(&b, 20 + 5 * k, 8, 0.95, 5);
				opt = optimum(&b, &s, t, &h);
				z1 = run(&b, &s, t, &h, n, 1);
				z5 = run(&b, &s, t, &h, n + 10, 5);
				if (!rel_eq(z1, opt, 1e-6) || !rel_eq(z5, opt, 1e-6)) {
					same = 0;
					diag("%s, case %d: every 1 %.12g, every 5 %.12g, optimum %.12g", name[c], k,
					    z1, z5, opt);
				}
			}
			ok(same, "%s: the loop's bills = the single-shot optimum (3 histories, every 1 and 5)",
			    name[c]);
			bess_tariff_free(t);
		}
	}
	bess_site_free(&s);
	return done();
}
