/* test_forecast.c: forecasts from the past only, day-ahead publication, prices through tariffs, and the quantile rule — against values worked out by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_forecast.h"
#include "bess_rule.h"
#include "tap.h"

#define H 3600000000LL

static int
near(double got, double want, double tol, const char *what)
{
	int good = fabs(got - want) <= tol || (isnan(got) && isnan(want));

	ok(good, "%s: %.9g (want %.9g)", what, got, want);
	return good;
}

static bess_time_t
at(const char *s)
{
	bess_time_t t = 0;

	bess_time_parse(s, strlen(s), NULL, &t, NULL, 0);
	return t;
}

static struct bess_tariff *
tariff(const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct bess_err err;
	struct bess_tariff *t = bess_tariff_read(fp, "t", &err);

	fclose(fp);
	if (t == NULL)
		diag("tariff: %s", err.msg);
	return t;
}

int
main(void)
{
	double v[64], col[64];
	struct bess_fc f;
	struct bess_fc_spec spec;
	struct bess_err err;
	char buf[128];
	size_t i;

	/*
	 * A series with 4 steps a day (6-hour steps), value i+1 at step i.
	 * persistence at now=8: step 8 -> 24 h earlier, step 4 (5); step 11 ->
	 * step 7 (8); step 12 is a day ahead, so two days back: step 4 (5);
	 * step 13 -> step 5 (6).
	 */
	for (i = 0; i < 64; i++)
		v[i] = (double)i + 1;
	f = (struct bess_fc){ BESS_FC_PERSISTENCE, v, NULL, 64, 4, 3 };
	near(bess_fc_at(&f, 8, 8), 5, 0, "persistence: same time yesterday");
	near(bess_fc_at(&f, 8, 11), 8, 0, "persistence: the last step of the day ahead");
	near(bess_fc_at(&f, 8, 12), 5, 0, "persistence: beyond a day, the latest known day");
	near(bess_fc_at(&f, 8, 13), 6, 0, "persistence: 2 days back for 5 steps ahead");
	near(bess_fc_at(&f, 2, 3), NAN, 0, "persistence: nothing a day before the start");
	/* seasonal: a week is 28 steps; now=30: step 30 -> step 2 (3); step 58 -> two weeks back, step 2 */
	f.method = BESS_FC_SEASONAL;
	near(bess_fc_at(&f, 30, 30), 3, 0, "seasonal: same time last week");
	near(bess_fc_at(&f, 30, 58), 3, 0, "seasonal: a week ahead, two weeks back");
	near(bess_fc_at(&f, 10, 10), NAN, 0, "seasonal: nothing in the first week");
	/*
	 * profile of 3 days: now=12, step 13: steps 9, 5, 1 -> (10 + 6 + 2) / 3 = 6;
	 * with step 9 missing: (6 + 2) / 2 = 4; at now=8 only two days exist:
	 * steps 4 and 0 -> (5 + 1) / 2 = 3.
	 */
	f.method = BESS_FC_PROFILE;
	near(bess_fc_at(&f, 12, 13), 6, 1e-12, "profile: mean of the last 3 days");
	v[9] = NAN;
	near(bess_fc_at(&f, 12, 13), 4, 1e-12, "profile: a missing day is left out");
	v[9] = 10;
	near(bess_fc_at(&f, 8, 8), 3, 1e-12, "profile: only the days that exist");
	/* columns: the column where it has a value, else persistence */
	for (i = 0; i < 64; i++)
		col[i] = 100 + (double)i;
	col[9] = NAN;
	f = (struct bess_fc){ BESS_FC_COLUMNS, v, col, 64, 4, 3 };
	near(bess_fc_at(&f, 8, 8), 108, 0, "columns: the forecast column");
	near(bess_fc_at(&f, 8, 9), 6, 0, "columns: an empty cell falls back to persistence");
	f.method = BESS_FC_PERFECT;
	near(bess_fc_at(&f, 8, 20), 21, 0, "perfect: the actual value");

	/* the spec */
	bess_fc_spec_init(&spec);
	is_str(bess_fc_spec_format(&spec, buf, sizeof(buf)), "perfect", "default: perfect");
	ok(bess_fc_spec_parse(&spec, "persistence", &err) == 0, "parse 'persistence'");
	is_str(bess_fc_spec_format(&spec, buf, sizeof(buf)), "persistence", "all persistence");
	ok(bess_fc_spec_parse(&spec, "price=perfect,load=profile", &err) == 0, "parse per quantity");
	is_str(bess_fc_spec_format(&spec, buf, sizeof(buf)), "price=perfect,load=profile,solar=persistence",
	    "per quantity, solar left as it was");
	ok(bess_fc_spec_parse(&spec, "crystal", &err) != 0, "unknown method refused");
	is_str(err.msg, "'crystal' is not perfect, persistence, seasonal, profile, columns, week-profile, ew-profile or ridge", "its message");
	ok(bess_fc_spec_parse(&spec, "wind=perfect", &err) != 0, "unknown quantity refused");
	is_str(err.msg, "'wind' is not price, load or solar", "its message");
	ok(bess_fc_spec_parse(&spec, "seasonal,", &err) != 0, "a trailing comma refused");

	/*
	 * Day-ahead in Europe/Berlin, published at 12:00 local. At 11:59 CET
	 * (10:59Z) on 16 January only today is known: until 17 Jan 00:00 CET =
	 * 16 Jan 23:00Z. At 12:00 CET tomorrow is known too: until 18 Jan 00:00
	 * CET = 17 Jan 23:00Z. On Saturday 29 March 2025 at 12:00 CET the next
	 * day is the 23-hour day of the switch to CEST: known until 31 March
	 * 00:00 CEST = 30 March 22:00Z.
	 */
	{
		struct bess_tz *tz = bess_tz_load("Europe/Berlin", &err);
		char tb[BESS_TIME_BUFSZ];

		is_str(bess_time_format(bess_da_known_until(tz, 720, at("2025-01-16T10:59:00Z")), tb),
		    "2025-01-16T23:00:00Z", "before publication: today's prices only");
		is_str(bess_time_format(bess_da_known_until(tz, 720, at("2025-01-16T11:00:00Z")), tb),
		    "2025-01-17T23:00:00Z", "from 12:00 local: tomorrow's too");
		is_str(bess_time_format(bess_da_known_until(tz, 720, at("2025-03-29T11:00:00Z")), tb),
		    "2025-03-30T22:00:00Z", "the day of the DST switch ends at 22:00Z");
		bess_tz_free(tz);
	}

	/*
	 * Prices through a tariff. Hourly steps from 2025-01-06T00:00Z, the
	 * price column p[i] = i. A tariff whose [tou] period replaces the price
	 * with 0.2 from 08:00 to 12:00 (UTC) and leaves other hours to the
	 * column: with persistence at now=30 (day 2, 06:00), step 32 (08:00) is
	 * 0.2 whatever the forecast, step 36 (12:00) is yesterday's p[12] = 12.
	 * With "energy = add" and 0.05 always: step 36 is 0.05 + 12.
	 * Perfect: the actual rates (32: 0.2, 36: 36).
	 */
	{
		struct bess_tariff *t1 = tariff("[tou]\nenergy = 0.2\nwhen = 08:00-12:00\n");
		struct bess_tariff *t2 = tariff("energy = add\n[all]\nenergy = 0.05\n");
		struct bess_site site;
		struct bess_series ser;
		struct bess_outlook o;
		bess_time_t ts[48];
		double p[48], w[8], x[8];

		bess_site_init(&site);
		for (i = 0; i < 48; i++) {
			ts[i] = at("2025-01-06T00:00:00Z") + (bess_time_t)i * H;
			p[i] = (double)i;
		}
		memset(&ser, 0, sizeof(ser));
		ser.n = 48;
		ser.ts = ts;
		ser.step_us = H;
		ser.dt_h = 1;
		ser.price = p;
		bess_fc_spec_init(&spec);
		bess_fc_spec_parse(&spec, "persistence", &err);
		ok(bess_outlook_init(&o, &ser, t1, &site, &spec, NULL, 0, &err) == 0, "outlook with a TOU tariff");
		bess_outlook_window(&o, 30, 8, w, x, NULL, NULL);
		near(w[2], 0.2, 0, "a tariff rate is known ahead: step 32 is 0.2");
		near(w[6], 12, 0, "the column's part is forecast: step 36 is yesterday's 12");
		near(x[6], 12, 0, "export follows the import price");
		bess_outlook_free(&o);
		ok(bess_outlook_init(&o, &ser, t2, &site, &spec, NULL, 0, &err) == 0, "outlook with an adding tariff");
		bess_outlook_window(&o, 30, 8, w, NULL, NULL, NULL);
		near(w[6], 12.05, 1e-12, "energy = add: 0.05 + yesterday's 12");
		bess_outlook_free(&o);
		bess_fc_spec_init(&spec);
		bess_outlook_init(&o, &ser, t1, &site, &spec, NULL, 0, &err);
		bess_outlook_window(&o, 30, 8, w, NULL, NULL, NULL);
		ok(w[2] == 0.2 && w[6] == 36, "perfect: the actual prices (0.2, 36)");
		bess_outlook_free(&o);
		/* the first step with persistence: nothing known yet, the latest known value held, else 0 */
		bess_fc_spec_parse(&spec, "persistence", &err);
		bess_outlook_init(&o, &ser, NULL, &site, &spec, NULL, 0, &err);
		bess_outlook_window(&o, 0, 2, w, NULL, NULL, NULL);
		ok(w[0] == 0 && w[1] == 0, "nothing known at step 0: 0");
		bess_outlook_window(&o, 5, 2, w, NULL, NULL, NULL);
		ok(w[0] == 4 && w[1] == 4, "no day of history yet: the latest value (step 4) held");
		bess_outlook_free(&o);
		/*
		 * The day-ahead rule, published at 12:00 UTC. At 11:00Z of day 1
		 * (step 11) today is known: step 23 is its actual 23 (persistence
		 * would have nothing a day back and hold step 10's 10); step 30
		 * (tomorrow 06:00) is not: yesterday's step 6. At 12:00Z (step 12)
		 * tomorrow is known too: step 41 is 41, not step 17's 17.
		 */
		{
			struct bess_tz *utc = bess_tz_load("UTC", &err);
			double w3[32];

			bess_outlook_init(&o, &ser, NULL, &site, &spec, utc, 720, &err);
			bess_outlook_window(&o, 11, 20, w3, NULL, NULL, NULL);
			ok(w3[12] == 23 && w3[19] == 6, "day-ahead before publication: today 23, tomorrow "
			    "forecast 6 (got %g, %g)", w3[12], w3[19]);
			bess_outlook_window(&o, 12, 30, w3, NULL, NULL, NULL);
			near(w3[29], 41, 0, "day-ahead after publication: tomorrow's actual");
			bess_outlook_free(&o);
			bess_tz_free(utc);
		}
		bess_fc_spec_parse(&spec, "columns", &err);
		ok(bess_outlook_init(&o, &ser, NULL, &site, &spec, NULL, 0, &err) != 0,
		    "columns without price_fc refused");
		is_str(err.msg, "--forecast price=columns needs a 'price_fc' column", "its message");
		bess_tariff_free(t1);
		bess_tariff_free(t2);
		bess_site_free(&site);
	}

	/* quantiles: 1, 2, 3, 4 -> q 0.25 at position 0.75: 1.75; median 2.5; ends 1 and 4 */
	{
		double q[4] = { 4, 1, 3, 2 };

		near(bess_quantile(q, 4, 0.25), 1.75, 1e-12, "quantile 0.25 of 1..4");
		near(bess_quantile(q, 4, 0.5), 2.5, 1e-12, "median of 1..4");
		near(bess_quantile(q, 4, 0), 1, 0, "quantile 0 is the least");
		near(bess_quantile(q, 4, 1), 4, 0, "quantile 1 is the most");
	}

	/*
	 * The rule: 10 kWh, 5 kW, lossless, 1-hour steps, SOC 2 kWh, thresholds
	 * 0.15 and 0.3. At 0.1 it charges min(5, 8 kWh of room) = 5 kW; with
	 * load 3 kW and an import limit of 6 kW only 3 kW fit. At 0.35 it
	 * discharges the 2 kWh it has: 2 kW. At 40 % round trip the spread
	 * does not pay (0.3 * 0.4 = 0.12, below 0.15): idle.
	 */
	{
		struct bess_battery b;
		struct bess_sim_cmd c;

		bess_battery_init(&b);
		b.capacity_kwh = 10;
		b.charge_kw = b.discharge_kw = 5;
		b.have_charge_kw = b.have_discharge_kw = 1;
		b.eta_charge = b.eta_discharge = 1;
		bess_battery_check(&b, &err);
		bess_rule_command(&b, 1, 2, 0.1, 0.15, 0.3, 0, INFINITY, INFINITY, &c);
		near(c.charge_kw, 5, 0, "rule: cheap, charge at full power");
		bess_rule_command(&b, 1, 2, 0.1, 0.15, 0.3, 3, 6, INFINITY, &c);
		near(c.charge_kw, 3, 0, "rule: no more than the import limit leaves");
		bess_rule_command(&b, 1, 2, 0.35, 0.15, 0.3, 0, INFINITY, INFINITY, &c);
		near(c.discharge_kw, 2, 0, "rule: dear, discharge what is stored");
		bess_rule_command(&b, 1, 2, 0.2, 0.15, 0.3, 0, INFINITY, INFINITY, &c);
		ok(c.charge_kw == 0 && c.discharge_kw == 0, "rule: in between, idle");
		b.eta_charge = b.eta_discharge = sqrt(0.4);
		bess_rule_command(&b, 1, 2, 0.1, 0.15, 0.3, 0, INFINITY, INFINITY, &c);
		ok(c.charge_kw == 0, "rule: a spread that does not pay the losses: idle");
	}
	return done();
}
