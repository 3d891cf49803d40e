/* test_tariff.c: tariff files (the bess-tariff(5) examples), periods in local time across DST, bills, days, and pricing a schedule by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_tariff.h"
#include "tap.h"

#define US 1000000LL
#define H (3600 * US)

static struct bess_tariff *
parse(const char *text, struct bess_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct bess_tariff *t = bess_tariff_read(fp, "t", err);

	fclose(fp);
	return t;
}

/* An instant from an RFC 3339 text. */
static bess_time_t
at(const char *s)
{
	bess_time_t t = 0;
	struct bess_tparse tp;

	memset(&tp, 0, sizeof(tp));
	bess_time_parse(s, strlen(s), &tp, &t, NULL, 0);
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

	/* Errors name the line. */
	{
		static const struct { const char *text, *msg; } bad[] = {
			{ "[a]\nfoo = 1\n", "t:2: unknown key 'foo' (in a period: energy, demand, export, when)" },
			{ "[a]\n[a]\n", "t:2: period 'a' is defined twice" },
			{ "[a]\ndemand = -1\n", "t:2: demand: '-1' is negative" },
			{ "[a]\nwhen = 25:00-26:00\n", "t:2: when: '25:00-26:00' is not a month list (jun-aug), "
			    "a day list (mon-fri, weekend) or a clock window (08:00-11:00)" },
			{ "billing = year\n[a]\n", "t:1: billing: 'year' is not month, day or none" },
			{ "# nothing\n", "t: no [period] defined" },
		};
		char buf[600];

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			t = parse(bad[i].text, &err);
			ok(t == NULL, "bad tariff %zu is refused", i + 1);
			is_str(t ? "" : bess_err_str(&err, buf, sizeof(buf)), bad[i].msg, "its message");
			bess_tariff_free(t);
		}
		t = parse("timezone = Mars/Olympus\n[a]\n", &err);
		ok(t == NULL && strstr(err.msg, "timezone") != NULL, "an unknown zone is refused");
		bess_tariff_free(t);
	}
	return done();
}
