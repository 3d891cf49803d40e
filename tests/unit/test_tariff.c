/* test_tariff.c: tariff files (the bess-tariff(5) examples), periods in local time across DST, bills, days, and pricing a schedule by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_tariff.h"
#include "fixture.h"
#include "tap.h"

/* a zone name of 128 bytes: one more than the tariff's 128-byte field holds with its NUL */
#define TZ128 "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

#define US 1000000LL

static struct bess_tariff *
parse(const char *text, struct bess_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct bess_tariff *t = bess_tariff_read(fp, "t", err);

	fclose(fp);
	return t;
}

static const char cst[] =
    "# peak/valley/night (bess-tariff(5), first example)\n"
    "timezone = Asia/Shanghai\n"
    "billing = month\n"
    "\n"
    "[peak]\n"
    "energy = 70\n"
    "demand = 10154\n"
    "when = 08:00-11:00\n"
    "when = 18:00-23:00\n"
    "\n"
    "[valley]\n"
    "energy = 26\n"
    "demand = 7090\n"
    "when = 07:00-08:00\n"
    "when = 11:00-18:00\n"
    "\n"
    "[night]\n"
    "energy = 16\n"
    "demand = 4541\n";

static const char la[] =
    "timezone = America/Los_Angeles\n"
    "energy = add\n"
    "\n"
    "[summer-peak]\n"
    "energy = 0.12\n"
    "demand = 18.5/kW\n"
    "when = jun-sep weekday 16:00-21:00\n"
    "\n"
    "[other]\n"
    "demand = 6/kW\n";

/* bess-tariff(5), third example */
static const char us[] =
    "timezone = America/Denver\n"
    "fixed = 25\n"
    "minimum = 40\n"
    "tier = 1000kWh 0.01\n"
    "tier = 5000kWh -0.005\n"
    "demand_window = 15m\n"
    "export_cap = 500kWh\n"
    "feed_in_limit = 50kW\n"
    "\n"
    "[summer-on]\n"
    "energy = 0.14\n"
    "demand = 14/kW\n"
    "ratchet = 80%\n"
    "lookback = 11 jun-sep\n"
    "export = 0.05\n"
    "when = jun-sep weekday 14:00-20:00\n"
    "\n"
    "[other]\n"
    "energy = 0.08\n"
    "demand = 4/kW\n"
    "export = 0.03\n";

int
main(void)
{
	struct bess_err err;
	struct bess_tariff *t;
	struct bess_site site;
	struct bess_rates r;
	bess_time_t ts[24];
	size_t i;

	bess_site_init(&site);

	/*
	 * CST example, hourly from local midnight Monday 2025-01-06 (16:00Z the
	 * day before): local hours 0-6 night, 7 valley, 8-10 peak, 11-17 valley,
	 * 18-22 peak, 23 night. Period indices follow the file: peak 0, valley 1,
	 * night 2; energy 70 / 26 / 16.
	 */
	t = parse(cst, &err);
	ok(t != NULL, "CST example parses");
	if (t) {
		static const int want[24] = { 2, 2, 2, 2, 2, 2, 2, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
		    0, 0, 0, 0, 0, 2 };
		static const double price[3] = { 70, 26, 16 };
		int same = 1;

		for (i = 0; i < 24; i++)
			ts[i] = at("2025-01-05T16:00:00Z") + (bess_time_t)i * H;
		ok(bess_rates_build(&r, t, ts, 24, H, NULL, NULL, &site, &err) == 0, "CST: rates");
		for (i = 0; i < 24; i++)
			same &= r.period[i] == want[i] && r.price[i] == price[want[i]];
		ok(same, "CST: each local hour in its period, at its energy rate");
		ok(r.nperiod == 3 && r.demand_rate[0] == 10154 && r.demand_rate[2] == 4541,
		    "CST: demand rates 10154 / 7090 / 4541");
		is_int(r.nbill, 1, "CST: one billing month");
		is_int(r.nday, 1, "CST: one local day");
		bess_rates_free(&r);
		bess_tariff_free(t);
	}

	/*
	 * LA example with "energy = add": the summer peak adds 0.12 to the
	 * stream's price 0.05 on June weekdays 16-21 local (PDT, UTC-7).
	 * 2025-06-02 is a Monday: 16:00 PDT = 23:00Z is in; 15:00 PDT is not;
	 * Sunday 2025-06-01 16:00 PDT is not; 2025-10-02 (Thursday) is out of season.
	 */
	t = parse(la, &err);
	ok(t != NULL, "LA example parses");
	if (t) {
		double p[4] = { 0.05, 0.05, 0.05, 0.05 };

		ts[0] = at("2025-06-02T23:00:00Z");
		ok(bess_rates_build(&r, t, ts, 1, H, p, NULL, &site, &err) == 0, "LA: rates");
		ok(r.period[0] == 0 && fabs(r.price[0] - 0.17) < 1e-12, "LA: Monday 16:00 PDT is summer peak at 0.05 + 0.12");
		ok(r.demand_rate[0] == 18.5 && r.demand_rate[1] == 6, "LA: demand 18.5/kW and 6/kW");
		bess_rates_free(&r);
		ts[0] = at("2025-06-02T22:00:00Z");
		bess_rates_build(&r, t, ts, 1, H, p, NULL, &site, &err);
		ok(r.period[0] == 1 && r.price[0] == 0.05, "LA: 15:00 PDT is other, at the stream's price");
		bess_rates_free(&r);
		ts[0] = at("2025-06-01T23:00:00Z");
		bess_rates_build(&r, t, ts, 1, H, p, NULL, &site, &err);
		ok(r.period[0] == 1, "LA: Sunday is other");
		bess_rates_free(&r);
		ts[0] = at("2025-10-02T23:00:00Z");
		bess_rates_build(&r, t, ts, 1, H, p, NULL, &site, &err);
		ok(r.period[0] == 1, "LA: October is out of season");
		bess_rates_free(&r);
		bess_tariff_free(t);
	}

	/*
	 * DST in Berlin: a window 08:00-09:00 local is 07:00Z in winter time
	 * (29 March 2025) and 06:00Z in summer time (30 March, the change day).
	 */
	t = parse("timezone = Europe/Berlin\n[morning]\ndemand = 1\nwhen = 08:00-09:00\n", &err);
	ok(t != NULL, "Berlin tariff parses");
	if (t) {
		ts[0] = at("2025-03-29T07:00:00Z");
		ts[1] = at("2025-03-30T06:00:00Z");
		ts[2] = at("2025-03-30T07:00:00Z");
		ts[3] = at("2025-03-29T06:00:00Z");
		for (i = 0; i < 4; i++) {
			bess_rates_build(&r, t, ts + i, 1, H, (double[]){ 0.1 }, NULL, &site, &err);
			ok(r.period[0] == (i < 2 ? 0 : -1), "Berlin: %s is %s the 08:00 window", i == 0 ?
			    "07:00Z in CET" : i == 1 ? "06:00Z in CEST" : i == 2 ? "07:00Z in CEST" :
			    "06:00Z in CET", i < 2 ? "in" : "outside");
			bess_rates_free(&r);
		}

		/*
		 * Bills and days: from 2025-01-31T21:00Z hourly for 4 hours; local
		 * midnight (February) is 23:00Z, so steps 0-1 are January, 2-3 February.
		 */
		for (i = 0; i < 4; i++)
			ts[i] = at("2025-01-31T21:00:00Z") + (bess_time_t)i * H;
		bess_rates_build(&r, t, ts, 4, H, (double[]){ 1, 1, 1, 1 }, NULL, &site, &err);
		ok(r.bill[0] == 0 && r.bill[1] == 0 && r.bill[2] == 1 && r.bill[3] == 1 && r.nbill == 2,
		    "bills change at local midnight of 1 February (23:00Z)");
		is_str(r.bill_label[1], "2025-02", "the second bill is 2025-02");
		bess_rates_free(&r);

		/* 15-minute steps over 36 hours from local midnight: day shares 1 and 0.5 */
		{
			bess_time_t q[144];
			double p[144];

			for (i = 0; i < 144; i++) {
				q[i] = at("2025-01-14T23:00:00Z") + (bess_time_t)i * 15 * 60 * US;
				p[i] = 0.1;
			}
			ok(bess_rates_build(&r, t, q, 144, 15 * 60 * US, p, NULL, &site, &err) == 0,
			    "36 hours of quarter hours: rates");
			ok(r.nday == 2 && r.day[95] == 0 && r.day[96] == 1 && fabs(r.day_frac[0] - 1) < 1e-12 &&
			    fabs(r.day_frac[1] - 0.5) < 1e-12, "36 hours from local midnight: days of share 1 and 0.5");
			bess_rates_free(&r);
		}
		bess_tariff_free(t);
	}

	/*
	 * Pricing a schedule by hand: two hours at import price 0.2, export 0.1
	 * (column); imports 10 and 0 kW, exports 0 and 4 kW, discharge 0 and 5 kW
	 * at cycle cost 0.02; one demand period (rate 3/kW) with 12 kW already
	 * reached. Energy 0.2*10 = 2; export 0.1*4 = 0.4; wear 0.02*5 = 0.1;
	 * demand 3 * max(12, 10, 0) = 36; total 2 - 0.4 + 0.1 + 36 = 37.7.
	 */
	t = parse("[all]\ndemand = 3\n", &err);
	if (t) {
		double price[] = { 0.2, 0.2 }, xp[] = { 0.1, 0.1 }, imp[] = { 10, 0 }, ex[] = { 0, 4 };
		double dis[] = { 0, 5 }, step[2];
		struct bess_peak_so_far pk = { "", 12 };
		struct bess_cost c;

		site.peak = &pk;
		site.npeak = 1;
		ts[0] = at("2025-05-01T00:00:00Z");
		ts[1] = ts[0] + H;
		bess_rates_build(&r, t, ts, 2, H, price, xp, &site, &err);
		bess_rates_cost(&r, imp, ex, dis, 0.02, &c, step, &err);
		ok(fabs(c.energy_cost - 2) < 1e-12 && fabs(c.export_revenue - 0.4) < 1e-12 &&
		    fabs(c.degradation_cost - 0.1) < 1e-12, "cost: energy 2, export 0.4, wear 0.1");
		ok(c.nline == 1 && c.line[0].peak_kw == 12 && fabs(c.demand_cost - 36) < 1e-12,
		    "cost: demand 3 * 12 (the peak so far beats this month's 10 kW)");
		ok(fabs(c.total - 37.7) < 1e-12, "cost: total 37.7");
		ok(fabs(step[0] - 2) < 1e-12 && fabs(step[1] - (-0.4 + 0.1)) < 1e-12,
		    "cost: per step 2 and -0.3 (demand billed per period)");
		bess_cost_free(&c);
		bess_rates_free(&r);
		site.peak = NULL;
		site.npeak = 0;
		bess_tariff_free(t);
	}


	/*
	 * An import charge is not an export price: prices 50, 100, 150 with
	 * "energy = add" and a charge of 100 in the middle hour, no export_price
	 * column, export allowed (auto). Import 50, 200, 150; export 50, 100, 150.
	 */
	t = parse("energy = add\n[net]\nenergy = 100\nwhen = 01:00-02:00\n[rest]\n", &err);
	ok(t != NULL, "add: parsed");
	if (t) {
		double p[] = { 50, 100, 150 };

		ts[0] = at("2025-05-01T00:00:00Z");
		ts[1] = ts[0] + H;
		ts[2] = ts[1] + H;
		ok(bess_rates_build(&r, t, ts, 3, H, p, NULL, &site, &err) == 0, "add: rates");
		ok(r.price[0] == 50 && r.price[1] == 200 && r.price[2] == 150, "add: import 50 200 150");
		ok(r.export_price[0] == 50 && r.export_price[1] == 100 && r.export_price[2] == 150,
		    "add: export 50 100 150 (the charge is not paid on export)");
		bess_rates_free(&r);
		bess_tariff_free(t);
	}

	/*
	 * Interval-averaged demand (EMHASS-style capacity tariff): 5-minute steps,
	 * demand on 15-minute means, 10/kW. Imports 0 30 0 | 10 10 10 kW: the
	 * steps' peak is 30 kW but the windows' means are 10 and 10, so the
	 * billed peak is 10 kW: 100, not 300. A window cut by the data's start
	 * (data from 00:05: 30 0 | 10 10 10) is the mean of the steps it has: 15.
	 */
	t = parse("demand_window = 15m\n[all]\ndemand = 10/kW\n", &err);
	ok(t != NULL && t->demand_window_s == 900, "window: 15m parsed");
	if (t) {
		double p[6] = { 0 }, imp[] = { 0, 30, 0, 10, 10, 10 };
		bess_time_t q[6];
		struct bess_cost c;

		for (i = 0; i < 6; i++)
			q[i] = at("2025-05-01T00:00:00Z") + (bess_time_t)i * 300 * US;
		ok(bess_rates_build(&r, t, q, 6, 300 * US, p, NULL, &site, &err) == 0, "window: rates");
		ok(r.win_first[2] == 0 && r.win_n[2] == 3 && r.win_first[3] == 3, "window: steps 0-2 and 3-5");
		bess_rates_cost(&r, imp, p, NULL, 0, &c, NULL, &err);
		ok(c.nline == 1 && fabs(c.line[0].peak_kw - 10) < 1e-12 && fabs(c.demand_cost - 100) < 1e-9,
		    "window: peak 10 kW (mean of 0 30 0), demand 100");
		bess_cost_free(&c);
		bess_rates_free(&r);
		ok(bess_rates_build(&r, t, q + 1, 5, 300 * US, p, NULL, &site, &err) == 0 &&
		    r.win_n[0] == 2, "window: cut by the start, 2 steps");
		bess_rates_cost(&r, imp + 1, p, NULL, 0, &c, NULL, &err);
		ok(fabs(c.line[0].peak_kw - 15) < 1e-12, "window: the cut window's mean is 15");
		bess_cost_free(&c);
		bess_rates_free(&r);
		ok(bess_rates_build(&r, t, q, 6, 420 * US, p, NULL, &site, &err) != 0 &&
		    strstr(err.msg, "demand_window") != NULL, "window: 7-minute steps do not divide 15 minutes");
		bess_tariff_free(t);
	}

	/*
	 * Ratchets (REopt demand_lookback style), daily steps May..Sep 2025 (153
	 * days), 10 kW a day except one day a month: May 200, Jun 100, Jul 30,
	 * Aug 120, Sep 40 kW; demand 10/kW, ratchet 75 %.
	 *  lookback = jun-aug (peaks in given months): May 200; Jun 100 (May
	 *    does not count); Jul max(30, .75*100) = 75; Aug max(120, 75) = 120;
	 *    Sep max(40, .75*120) = 90: 585 kW, 5850.
	 *  lookback = 1: May 200; Jun max(100, 150) = 150; Jul max(30, 75) = 75;
	 *    Aug max(120, 22.5) = 120; Sep max(40, 90) = 90: 635 kW, 6350.
	 *  lookback = 3: Jun 150; Jul max(30, .75*200) = 150; Aug max(120, 150)
	 *    = 150; Sep max(40, .75*max(100,30,120)) = 90: 740 kW, 7400.
	 */
	{
		static const char *const look[] = { "jun-aug", "1", "3" };
		static const double want[] = { 5850, 6350, 7400 };
		static const double pk[] = { 200, 100, 30, 120, 40 };
		double *p = calloc(153, sizeof(double)), *imp = calloc(153, sizeof(double));
		bess_time_t *q = calloc(153, sizeof(bess_time_t));
		char text[200];
		size_t k;

		for (i = 0; i < 153; i++) {
			q[i] = at("2025-05-01T00:00:00Z") + (bess_time_t)i * 24 * H;
			imp[i] = 10;
		}
		/* the 10th of May (day 9), June (31+9), July (61+9), August (92+9), September (123+9) */
		imp[9] = pk[0], imp[40] = pk[1], imp[70] = pk[2], imp[101] = pk[3], imp[132] = pk[4];
		for (k = 0; k < 3; k++) {
			struct bess_cost c;

			snprintf(text, sizeof(text), "[all]\ndemand = 10\nratchet = 75%%\nlookback = %s\n", look[k]);
			t = parse(text, &err);
			ok(t != NULL && bess_rates_build(&r, t, q, 153, 24 * H, p, NULL, &site, &err) == 0 &&
			    r.nbill == 5, "ratchet %s: five bills", look[k]);
			bess_rates_cost(&r, imp, p, NULL, 0, &c, NULL, &err);
			ok(c.nline == 5 && fabs(c.demand_cost - want[k]) < 1e-9, "ratchet lookback %s: demand %g",
			    look[k], want[k]);
			if (k == 0)
				ok(fabs(c.line[2].ratchet_kw - 75) < 1e-12 && c.line[2].peak_kw == 30 &&
				    c.line[2].billed_kw == 75, "ratchet: July peak 30, floor 75, billed 75");
			bess_cost_free(&c);
			bess_rates_free(&r);
			bess_tariff_free(t);
		}
		free(p);
		free(imp);
		free(q);
	}

	/*
	 * Energy blocks, fixed and minimum charges, export cap, one bill of three
	 * hours: import 400, 500, 300 kWh at 0.1 (1200 kWh, energy 120); blocks
	 * above 500 kWh +0.02 and above 1000 kWh +0.05: 500 kWh * 0.02 + 200 kWh
	 * * 0.05 = 20; fixed 12.5. Export 0 (no export here). Total 152.5.
	 * Second: import 10, 0, 0 kWh (energy 1, no block), export 0, 2, 2 kWh
	 * paid 0.1 with a cap of 3 kWh: 0.3; 1 + 12.5 - 0.3 = 13.2, lifted to the
	 * minimum 30 (top-up 16.8).
	 */
	t = parse("fixed = 12.5\nminimum = 30\nexport_cap = 3kWh\ntier = 1000kWh 0.05\n"
	    "tier = 500kWh 0.02\n[all]\nenergy = 0.1\n", &err);
	ok(t != NULL && t->ntier == 2 && t->tier[0].above_kwh == 500, "blocks: sorted");
	if (t) {
		double imp1[] = { 400, 500, 300 }, x1[] = { 0, 0, 0 }, imp2[] = { 10, 0, 0 }, x2[] = { 0, 2, 2 };
		struct bess_cost c;

		ts[0] = at("2025-05-01T00:00:00Z");
		ts[1] = ts[0] + H;
		ts[2] = ts[1] + H;
		bess_rates_build(&r, t, ts, 3, H, NULL, NULL, &site, &err);
		bess_rates_cost(&r, imp1, x1, NULL, 0, &c, NULL, &err);
		ok(fabs(c.energy_cost - 120) < 1e-9 && fabs(c.tier_cost - 20) < 1e-9 &&
		    fabs(c.tier_kwh[0] - 500) < 1e-9 && fabs(c.tier_kwh[1] - 200) < 1e-9,
		    "blocks: 500 kWh at +0.02 and 200 kWh at +0.05: 20");
		ok(fabs(c.total - 152.5) < 1e-9 && c.minimum_topup == 0, "blocks: total 152.5");
		ok(c.neline == 1 && fabs(c.eline[0].kwh - 1200) < 1e-9, "blocks: one energy line of 1200 kWh");
		bess_cost_free(&c);
		bess_rates_cost(&r, imp2, x2, NULL, 0, &c, NULL, &err);
		ok(fabs(c.export_revenue - 0.3) < 1e-12 && fabs(c.bill[0].paid_export_kwh - 3) < 1e-12 &&
		    fabs(c.bill[0].export_kwh - 4) < 1e-12, "cap: 3 of 4 kWh paid, 0.3");
		ok(fabs(c.minimum_topup - 16.8) < 1e-9 && fabs(c.total - 30) < 1e-9, "minimum: 13.2 lifted to 30");
		bess_cost_free(&c);
		bess_rates_free(&r);
		bess_tariff_free(t);
	}

	t = parse(us, &err);
	ok(t != NULL && t->fixed == 25 && t->minimum == 40 && t->ntier == 2 && t->tier[1].adder == -0.005 &&
	    t->demand_window_s == 900 && t->export_cap_kwh == 500 && t->feed_in_limit_kw == 50 &&
	    t->period[0].ratchet_frac == 0.8 && t->period[0].lookback_bills == 11 &&
	    t->period[0].lookback_months == 0x1e0 && t->period[1].lookback_months == 0xfff,
	    "the US example: every new key as written (jun-sep = bits 5-8)");
	bess_tariff_free(t);

	/* Errors name the line. */
	{
		static const struct { const char *text, *msg; } bad[] = {
			{ "[a]\nfoo = 1\n", "t:2: unknown key 'foo' (in a period: energy, demand, export, ratchet, lookback, when)" },
			{ "[a]\n[a]\n", "t:2: period 'a' is defined twice" },
			/* the one section header parser (bess_line_section), as for a devices file */
			{ "[a\n", "t:1: '[a' is not a [period] header" },
			{ "[a] x\n", "t:1: '[a] x' is not a [period] header" },
			{ "[ ]\n", "t:1: a period name is 1 to 63 bytes, not ''" },
			{ "[0123456789012345678901234567890123456789012345678901234567890123]\n",
			    "t:1: a period name is 1 to 63 bytes, not "
			    "'0123456789012345678901234567890123456789012345678901234567890123'" },
			{ "[a]\ndemand = -1\n", "t:2: demand: '-1' is negative" },
			{ "[a]\nwhen = 25:00-26:00\n", "t:2: when: '25:00-26:00' is not a month list (jun-aug), "
			    "a day list (mon-fri, weekend) or a clock window (08:00-11:00)" },
			{ "billing = year\n[a]\n", "t:1: billing: 'year' is not month, day or none" },
			{ "# nothing\n", "t: no [period] defined" },
			{ "tier = 500kWh\n[a]\n", "t:1: tier: '500kWh' is not 'KWH RATE' (e.g. 500kWh 0.03)" },
			{ "demand_window = 1.5s\n[a]\n", "t:1: demand_window: '1.5s' is not whole seconds up to 31 days" },
			{ "[a]\ndemand = 5\nratchet = 120%\n", "t:3: ratchet: '120%' is not a share in (0, 100%]" },
			{ "[a]\nratchet = 80%\n", "t: period 'a': a ratchet needs a demand rate" },
			{ "[a]\ndemand = 5\nlookback = jun-aug jul\n", "t:3: lookback: 'jul' is not a count of bills (11) or one month list (jun-sep)" },
			{ "fixed = -3\n[a]\n", "t:1: fixed: '-3' is not an amount from 0 to 1e12" },
			/* the one key = value splitter and timezone key (bess_line_kv, bess_line_timezone): 128 bytes hold 127 */
			{ "[a]\nenergy 0.3\n", "t:2: 'energy 0.3' is not 'key = value'" },
			{ "timezone = " TZ128 "\n[a]\n", "t:1: timezone name too long" },
			{ "surcharge = 3\n[a]\n", "t:1: unknown key 'surcharge' (before any [period]: timezone, billing, energy, demand_window, fixed, minimum, tier, export_cap, feed_in_limit)" },
		};
		char buf[600];

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			t = parse(bad[i].text, &err);
			ok(t == NULL, "bad tariff %zu is refused", i + 1);
			is_str(t ? "" : bess_err_str(&err, buf, sizeof(buf)), bad[i].msg, "its message");
			bess_tariff_free(t);
		}
		t = parse("[a]\nwhen = 24:00-06:00\n", &err);
		ok(t == NULL && strstr(err.msg, "not a clock window") != NULL,
		    "a window cannot start at 24:00");
		bess_tariff_free(t);
		/* a read error ends the file with the system's reason (one home with the devices file) */
		t = bess_tariff_load("/no/such/tariff", &err);
		is_str(t ? "" : bess_err_str(&err, buf, sizeof(buf)), "/no/such/tariff: No such file or directory",
		    "a missing tariff: the system's reason (bess_line_open)");
		bess_tariff_free(t);
		t = bess_tariff_load("/", &err);
		is_str(t ? "" : bess_err_str(&err, buf, sizeof(buf)), "/: Is a directory", "a folder is not a tariff (EISDIR)");
		bess_tariff_free(t);
		t = parse("timezone = Mars/Olympus\n[a]\n", &err);
		ok(t == NULL && strstr(err.msg, "timezone") != NULL, "an unknown zone is refused");
		bess_tariff_free(t);
	}

	/*
	 * "23:00-00:00" was refused ("not a clock window") though 22:00-06:00 wraps: an end of
	 * 00:00 is midnight, the window 23:00-24:00. By hand: 23:00 and 23:59 are in it; 22:59,
	 * 00:00 (the next day) and 12:00 are not, and so fall to period 'b' (index 1).
	 */
	t = parse("[a]\nenergy = 1\nwhen = 23:00-00:00\n[b]\nenergy = 2\n", &err);
	ok(t != NULL, "'23:00-00:00' is a clock window");
	if (t) {
		static const int hm[5][3] = { { 23, 0, 0 }, { 23, 59, 0 }, { 22, 59, 1 }, { 0, 0, 1 },
		    { 12, 0, 1 } };
		struct bess_civil c;

		for (i = 0; i < 5; i++) {
			memset(&c, 0, sizeof(c));
			c.year = 2025, c.month = 1, c.day = 6, c.wday = 1;
			c.hour = hm[i][0], c.min = hm[i][1];
			is_int(bess_tariff_match(t, &c), hm[i][2], "23:00-00:00 at %02d:%02d", hm[i][0],
			    hm[i][1]);
		}
		bess_tariff_free(t);
	}
	return done();
}
