/* test_forecast.c: forecasts from the past only, day-ahead publication, prices through tariffs, and the quantile rule — against values worked out by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_fcrun.h"
#include "bess_forecast.h"
#include "bess_tz.h"
#include "bess_rule.h"
#include "fixture.h"

/* A weekly pattern: 100 * weekday (0 = Thursday 1 Jan 1970) + hour, hourly from the epoch (UTC). */
static double
weekly(size_t i)
{
	return 100.0 * (double)((i / 24) % 7) + (double)(i % 24);
}

/*
 * Each method on the weekly pattern, issued at now = 5 weeks (840) for
 * targets 840 .. 840+29 (30 hours ahead), with a gap at step 840-2 = 838.
 * Hand values for target i = 840 + j, hour h = i % 24, weekday d = (i/24) % 7:
 *   seasonal      one week back: the pattern itself, 100 d + h
 *   week-profile  the 4 weeks back are all 100 d + h: the same
 *   ew-profile    a weighted mean of equal values: the same
 *   persistence   the latest day before now at hour h: for j < 24 the day
 *                 before (100 (d-1) + h, d-1 taken mod 7); for j >= 24 two
 *                 days back
 *   profile (7 d) the 7 days before cover every weekday once:
 *                 100 * (0+1+...+6)/7 + h = 300 + h
 * The gap at 838 (hour 22 of the day before): persistence of target 862
 * (hour 22, one day ahead) reads 838 -> empty; profile skips it: the other
 * 6 days' hour 22, weekdays d-2 .. d-7, i.e. all but d-1:
 * (2100 - 100 (d-1 mod 7)) / 6 + 22.
 */
static void
test_methods(void)
{
	static double y[2000];
	struct bess_fc f = { BESS_FC_SEASONAL, y, NULL, 2000, 24, 7 };
	struct bess_fc_ext x;
	size_t now = 840, i, j;
	int bad[5] = { 0, 0, 0, 0, 0 };

	for (i = 0; i < 2000; i++)
		y[i] = weekly(i);
	y[838] = NAN;
	memset(&x, 0, sizeof(x));
	for (j = 0; j < 30; j++) {
		double h, d, want_p;

		i = now + j;
		h = (double)(i % 24);
		d = (double)((i / 24) % 7);
		want_p = 100.0 * fmod(d - (j < 24 ? 1 : 2) + 7, 7) + h;
		f.method = BESS_FC_SEASONAL;
		bad[0] += fabs(bess_fc_at(&f, now, i) - (100 * d + h)) > 1e-9;
		f.method = BESS_FC_WEEK_PROFILE;
		bad[1] += fabs(bess_fc_at_ext(&f, &x, now, i) - (100 * d + h)) > 1e-9;
		f.method = BESS_FC_EW_PROFILE;
		bad[2] += fabs(bess_fc_at_ext(&f, &x, now, i) - (100 * d + h)) > 1e-9;
		f.method = BESS_FC_PERSISTENCE;
		if (i == 862)
			ok(isnan(bess_fc_at(&f, now, i)), "persistence reads the gap at 838: empty, not 0");
		else
			bad[3] += fabs(bess_fc_at(&f, now, i) - want_p) > 1e-9;
		f.method = BESS_FC_PROFILE;
		if (i == 862)
			near(bess_fc_at(&f, now, i), (2100 - 100 * fmod(d - 1 + 7, 7)) / 6 + 22, 1e-9,
			    "profile skips the gap: the mean of the other 6 days");
		else
			bad[4] += fabs(bess_fc_at(&f, now, i) - (300 + h)) > 1e-9;
	}
	is_int(bad[0], 0, "seasonal: the pattern one week back, 30 targets");
	is_int(bad[1], 0, "week-profile: the 4-week mean of equal values");
	is_int(bad[2], 0, "ew-profile: the weighted mean of equal values");
	is_int(bad[3], 0, "persistence: the day before the issue for today, two days back for tomorrow");
	is_int(bad[4], 0, "profile: 300 + hour, the mean of 7 weekdays");
	/* now = 840 is hour 0 of day 35; targets j >= 24 are a day ahead: two days back from j = 24 */
	f.method = BESS_FC_PERSISTENCE;
	near(bess_fc_at(&f, 840, 840 + 24), weekly(840 - 24), 1e-9,
	    "persistence of the next day's 00:00 at 00:00: one day back (the latest day before now)");

	/*
	 * week-profile with weeks = 2 on a series whose weekly value grows by 7
	 * per week: y = weekly + 7 * week. Target 840 (week 5): weeks 4 and 3:
	 * weekly(840) + 7 * 3.5. ew-profile alpha 0.5, 7 weeks (0.5^6 >= 1 %,
	 * 0.5^7 < 1 %): weights 1, 1/2, ..., 1/64 on weeks 4..-2 — only weeks
	 * 4..0 exist: sum(w_k (4 - k)) / sum(w_k), k = 0..4, times 7.
	 */
	for (i = 0; i < 2000; i++)
		y[i] = weekly(i) + 7.0 * (double)(i / 168);
	x.weeks = 2;
	f.method = BESS_FC_WEEK_PROFILE;
	near(bess_fc_at_ext(&f, &x, 840, 840), weekly(840) + 7 * 3.5, 1e-9, "week-profile of 2 weeks");
	x.ew_alpha = 0.5;
	f.method = BESS_FC_EW_PROFILE;
	{
		double sw = 0, s = 0, w = 1;
		int k;

		for (k = 0; k <= 4; k++, w /= 2) {
			sw += w;
			s += w * (4 - k);
		}
		near(bess_fc_at_ext(&f, &x, 840, 840), weekly(840) + 7 * s / sw, 1e-9,
		    "ew-profile alpha 0.5: weeks weighted 1, 1/2, 1/4, ... of those that exist");
	}
}

/*
 * The outlook (what bess-dispatch's backtest knows) refits ridge at the
 * first step of every hour, so a forecast issued on the hour is the same
 * as one fitted at that very issue (bess_fc_at_ext with no model kept fits
 * at every call): 15-minute steps, 40 days of a weekly pattern with a
 * deterministic ripple, issues at 10:00 and 15:00 of day 35, 48 h ahead.
 * A fit kept from midnight (the old daily refit) forecasts otherwise.
 */
static void
test_outlook_ridge(void)
{
	enum { N = 40 * 96 };
	static double y[N], price[N];
	static bess_time_t ts[N];
	struct bess_series ser;
	struct bess_fc_spec spec;
	struct bess_outlook o;
	struct bess_site site;
	struct bess_err err;
	struct bess_fc f = { BESS_FC_RIDGE, y, NULL, N, 96, 7 };
	struct bess_fc_ext daily;
	double w[192], worst = 0, apart = 0;
	size_t i, j, k;
	const size_t issue[2] = { 35 * 96 + 40, 35 * 96 + 60 };

	for (i = 0; i < N; i++) {
		ts[i] = (bess_time_t)1735689600 * 1000000 + (bess_time_t)i * 900 * 1000000;
		y[i] = weekly(i / 4) + 3 * sin(0.37 * (double)i) + 0.002 * (double)i;
	}
	memset(&ser, 0, sizeof(ser));
	ser.n = N;
	ser.ts = ts;
	ser.step_us = 900LL * 1000000;
	ser.dt_h = 0.25;
	ser.load_kw = y;
	ser.price = price;	/* all 0: prices play no part */
	bess_site_init(&site);
	bess_fc_spec_init(&spec);
	bess_fc_spec_parse(&spec, "load=ridge", &err);
	memset(&daily, 0, sizeof(daily));
	daily.model = bess_fc_model_new(0, 96, 96, 0);
	ok(bess_outlook_init(&o, &ser, NULL, &site, &spec, NULL, 0, &err) == 0, "outlook with load=ridge");
	for (k = 0; k < 2; k++) {
		bess_outlook_window(&o, issue[k], 192, NULL, NULL, w, NULL);
		for (j = 0; j < 192; j++) {
			double fresh = bess_fc_at(&f, issue[k], issue[k] + j);

			if (fabs(w[j] - fresh) > worst)
				worst = fabs(w[j] - fresh);
			if (fabs(bess_fc_at_ext(&f, &daily, issue[k], issue[k] + j) - fresh) > apart)
				apart = fabs(bess_fc_at_ext(&f, &daily, issue[k], issue[k] + j) - fresh);
		}
	}
	near(worst, 0, 1e-9, "outlook ridge on the hour = a fit at that issue (10:00 and 15:00, 48 h)");
	ok(apart > 1e-3, "a fit kept from midnight differs (by %g)", apart);
	bess_outlook_free(&o);
	bess_fc_model_free(daily.model);
	bess_site_free(&site);
}

/*
 * ridge with no penalty on y = weekly pattern + a trend of 0.01 per step:
 * y[i] = y[i - 168] + 1.68 exactly, one of the linear combinations of its
 * features (intercept 1.68, seasonal weight 1), so the least-squares fit
 * reproduces the future exactly: target i forecast = weekly(i) + 0.01 i.
 * Seasonal naive misses by 1.68 (by 3.36 for targets a week ahead).
 */
static void
test_ridge(void)
{
	static double y[3000];
	struct bess_fc f = { BESS_FC_RIDGE, y, NULL, 3000, 24, 7 };
	struct bess_fc_ext x;
	size_t now = 2400, j;
	double worst = 0;

	for (j = 0; j < 3000; j++)
		y[j] = weekly(j) + 0.01 * (double)j;
	memset(&x, 0, sizeof(x));
	x.model = bess_fc_model_new(0, 48, 0, -1);
	for (j = 0; j < 48; j++) {
		double e = fabs(bess_fc_at_ext(&f, &x, now, now + j) - (weekly(now + j) + 0.01 * (double)(now + j)));

		if (e > worst)
			worst = e;
	}
	near(worst, 0, 1e-6, "ridge (no penalty) recovers weekly pattern + trend, 48 h ahead");
	f.method = BESS_FC_SEASONAL;
	near(bess_fc_at(&f, now, now) - y[now], -1.68, 1e-9, "where seasonal naive misses by 1.68");
	bess_fc_model_free(x.model);
}

/*
 * Lag links across the changes of Europe/London in 2023 (hourly from
 * 2023-03-25T00:00Z = step 0; clocks go 01:00 GMT -> 02:00 BST on 26 March
 * = 01:00Z, step 25).
 *   2023-03-27T09:00Z = 10:00 BST Monday (step 57): one local day earlier is
 *   10:00 BST Sunday = 09:00Z (step 33), 24 steps back (no DST in between).
 *   2023-03-26T09:00Z = 10:00 BST Sunday (step 33): 10:00 GMT Saturday =
 *   10:00Z (step 10): only 23 steps back — the 23-hour day.
 *   2023-03-27T00:00Z = 01:00 BST Monday (step 48): 01:00 on Sunday did not
 *   exist; the instant after the jump, 01:00Z (step 25).
 * Then the 25-hour day (29 October, 02:00 BST -> 01:00 GMT at 01:00Z):
 *   from 2023-10-28T00:00Z = step 0: 2023-10-30T10:00Z = 10:00 GMT Monday
 *   (step 58): 10:00 GMT Sunday = 10:00Z (step 34), 24 back;
 *   2023-10-29T10:00Z = 10:00 GMT Sunday (step 34): 10:00 BST Saturday =
 *   09:00Z (step 9): 25 steps back.
 *   2023-10-30T01:00Z = 01:00 GMT Monday (step 49): 01:00 Sunday happened
 *   twice (00:00Z BST and 01:00Z GMT): the earlier, step 24.
 * Then the forecasts: a series equal to the local hour + 100 * local
 * weekday; persistence issued at 2023-03-27T00:00Z (step 48) for 10:00 BST
 * Monday (step 57) reads 10:00 Sunday: 10 + 100 * 0 = 10; by steps (24
 * back) it would read 09:00 BST... the same here, so also the Sunday
 * itself: issued at step 24 (2023-03-26T00:00Z) for step 33 (10:00 BST
 * Sunday) it reads 10:00 GMT Saturday = 610 by links, 09:00Z Saturday
 * (step 9, 09:00 GMT) = 609 by steps.
 */
static void
test_dst(void)
{
	struct bess_err err;
	struct bess_tz *tz = bess_tz_load("Europe/London", &err);
	long ld[100], lw[100];
	double y[100];
	struct bess_fc f;
	struct bess_fc_ext x;
	size_t i;

	if (tz == NULL) {
		ok(0, "Europe/London loads: %s", err.msg);
		return;
	}
	bess_fc_links(tz, at("2023-03-25T00:00:00Z"), H, 0, 100, ld, lw);
	is_int(ld[57], 33, "spring: Monday 10:00 BST <- Sunday 10:00 BST, 24 steps");
	is_int(ld[33], 10, "spring: Sunday 10:00 BST <- Saturday 10:00 GMT, 23 steps (the 23-hour day)");
	is_int(ld[48], 25, "spring: Monday 01:00 BST <- Sunday 01:00 (did not exist): the instant after the jump");
	is_int(lw[33], -1, "a week back is before the grid: -1");
	for (i = 0; i < 100; i++) {
		struct bess_civil c;

		bess_time_to_civil(tz, at("2023-03-25T00:00:00Z") + (bess_time_t)i * H, &c);
		y[i] = c.hour + 100.0 * c.wday;
	}
	f = (struct bess_fc){ BESS_FC_PERSISTENCE, y, NULL, 100, 24, 7 };
	memset(&x, 0, sizeof(x));
	x.lag_day = ld;
	x.lag_week = lw;
	near(bess_fc_at_ext(&f, &x, 24, 33), 610, 1e-9, "persistence in local time across the 23-hour day");
	near(bess_fc_at(&f, 24, 33), 609, 1e-9, "by steps it reads an hour off (609)");

	bess_fc_links(tz, at("2023-10-28T00:00:00Z"), H, 0, 100, ld, lw);
	is_int(ld[58], 34, "autumn: Monday 10:00 GMT <- Sunday 10:00 GMT, 24 steps");
	is_int(ld[34], 9, "autumn: Sunday 10:00 GMT <- Saturday 10:00 BST, 25 steps (the 25-hour day)");
	is_int(ld[49], 24, "autumn: Monday 01:00 <- Sunday 01:00 (twice): the earlier");
	bess_tz_free(tz);
}

/* A deterministic normal variate (Box-Muller over a 64-bit LCG). */
static double
gauss(unsigned long long *s)
{
	double u1, u2;

	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	u1 = ((double)(*s >> 11) + 0.5) / 9007199254740992.0;
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	u2 = ((double)(*s >> 11) + 0.5) / 9007199254740992.0;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/*
 * Quantile coverage: a weekly pattern plus independent normal noise of
 * sd 5, hourly, 60 weeks, issued daily at 00:00 for the next 24 h.
 * Seasonal naive's error is the difference of two noises, N(0, 50): its
 * P10 / P50 / P90 from the last 28 days of errors per hour of day (28
 * errors a bucket) cover on average 10 / 50 / 90 % of the actuals: the
 * k-th of 28 sorted errors has expected probability k / 29, so rank
 * 29 * 0.9 = 26.1 gives 0.9 (with numpy's default rank 24.3 + 1 it would
 * be 25.3 / 29 = 0.872). The coverage of one bucket's quantile has sd about
 * 0.055; averaged over ~9,600 targets and overlapping windows: within 0.03. The MAE of seasonal naive should be
 * sqrt(50) * sqrt(2/pi) = 5.642; of week-profile (4 weeks) the noise
 * plus the mean of 4 noises, N(0, 25 * 1.25): sqrt(31.25 * 2 / pi) = 4.460;
 * each within 2 % (about 9,600 errors).
 */
static void
test_quantiles(void)
{
	struct bess_fcr_opts o;
	struct bess_fcr *r;
	struct bess_err err;
	unsigned long long seed = 42;
	const struct bess_fc_score *s;
	size_t i, n = 60 * 168;
	bess_time_t t0 = at("2024-01-01T00:00:00Z");

	memset(&o, 0, sizeof(o));
	o.step_us = H;
	o.method[0] = BESS_FC_SEASONAL;
	o.method[1] = BESS_FC_WEEK_PROFILE;
	o.nmethod = 2;
	o.horizon = 24;
	o.issue_min = 0;
	if ((r = bess_fcr_new(&o, &err)) == NULL) {
		diag("%s", err.msg);
		return;
	}
	for (i = 0; i < n; i++)
		bess_fcr_push(r, t0 + (bess_time_t)i * H, weekly(i) + 5 * gauss(&seed), &err);
	is_int(bess_fcr_reference(r), 0, "seasonal is the reference");
	s = bess_fcr_score(r, 0, -1);
	diag("seasonal: n %zu, with quantiles %zu, under P10 %zu P50 %zu P90 %zu", s->n, s->nq,
	    s->under[0], s->under[1], s->under[2]);
	ok(s->nq > 9000, "seasonal: most targets have quantiles");
	near((double)s->under[0] / (double)s->nq, 0.1, 0.03, "seasonal: share under P10");
	near((double)s->under[1] / (double)s->nq, 0.5, 0.03, "seasonal: share under P50");
	near((double)s->under[2] / (double)s->nq, 0.9, 0.03, "seasonal: share under P90");
	near(s->sum_abs / (double)s->n, sqrt(50 * 2 / M_PI), 0.02 * 5.642, "seasonal: MAE = sqrt(50) sqrt(2/pi)");
	s = bess_fcr_score(r, 1, -1);
	near((double)s->under[2] / (double)s->nq, 0.9, 0.03, "week-profile: share under P90");
	near(s->sum_abs / (double)s->n, sqrt(31.25 * 2 / M_PI), 0.02 * 4.46,
	    "week-profile: MAE = sqrt(31.25) sqrt(2/pi)");
	/* the skill of week-profile: 1 - 4.460 / 5.642 = 0.2095 */
	near(bess_fc_skill(s->sum_abs / (double)s->n, bess_fcr_score(r, 0, -1)->sum_abs /
	    (double)bess_fcr_score(r, 0, -1)->n), 1 - sqrt(31.25 / 50), 0.02, "week-profile: skill 0.21");
	bess_fcr_free(r);

	/* rank (n + 1) p on [10, 20, 30, 40]: p 0.3 -> rank 1.5: 15; p 0.5 -> 2.5: 25; p 0.1 -> 0.5: 10 (clamped) */
	{
		double q[] = { 10, 20, 30, 40 };

		near(bess_fc_quantile_sorted(q, 4, 0.3), 15, 1e-12, "rank 1.5 of 4: 15");
		near(bess_fc_quantile_sorted(q, 4, 0.5), 25, 1e-12, "rank 2.5 of 4: 25");
		near(bess_fc_quantile_sorted(q, 4, 0.1), 10, 1e-12, "rank 0.5: the smallest");
		near(bess_fc_quantile_sorted(q, 4, 0.9), 40, 1e-12, "rank 4.5: the largest");
	}
	near(bess_fc_skill(3, 4), 0.25, 1e-12, "skill 1 - 3/4");
}

/* bess-forecast's option values: methods, the issue's minute of the day, the reach. */
static void
test_fcrun_values(void)
{
	struct bess_fcr_opts fo;
	struct bess_err err;
	struct bess_tz *tz;
	int min = 0;

	memset(&fo, 0, sizeof(fo));
	ok(bess_fcrun_methods_parse("ridge,persistence", &fo, &err) == 0 && fo.nmethod == 2 &&
	    fo.method[0] == BESS_FC_RIDGE && fo.method[1] == BESS_FC_PERSISTENCE, "methods: two, in order");
	ok(bess_fcrun_methods_parse("", &fo, &err) == -1 && strcmp(err.msg, "no method") == 0,
	    "methods: an empty list is no method");
	memset(&fo, 0, sizeof(fo));
	bess_fcrun_methods_default(&fo, 0);
	ok(fo.nmethod == 1 && fo.method[0] == BESS_FC_RIDGE, "methods: a forecast's default is ridge");
	ok(bess_fcrun_at_parse("16:30", &min, &err) == 0 && min == 990, "at: 16:30 is minute 990 (16 x 60 + 30)");
	ok(bess_fcrun_at_parse("step", &min, &err) == 0 && min == -1, "at: step is -1");
	ok(bess_fcrun_at_parse("24:00", &min, &err) == -1, "at: 24:00 is refused");
	/* 2026-01-05T15:30:00Z is 16:30 in Berlin (CET, UTC+1): minute 990; in UTC minute 930 */
	is_int(bess_fcrun_minute_of_day(NULL, 1767627000LL * 1000000), 930, "minute of day: 15:30 UTC is 930");
	if ((tz = bess_tz_load("Europe/Berlin", &err)) != NULL) {
		is_int(bess_fcrun_minute_of_day(tz, 1767627000LL * 1000000), 990, "minute of day: 16:30 in Berlin");
		bess_tz_free(tz);
	} else
		ok(1, "# SKIP no Europe/Berlin zone");
	/* 366 days reach: a 365-day horizon after a 1-day lead reaches exactly, a microsecond more does not */
	ok(bess_fcrun_reach_ok(365 * 86400000000LL, 86400000000LL), "reach: 1 day lead + 365 days is 366 days");
	ok(!bess_fcrun_reach_ok(365 * 86400000000LL + 1, 86400000000LL), "reach: a microsecond more is too far");
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
	test_methods();
	test_ridge();
	test_outlook_ridge();
	test_dst();
	test_quantiles();
	test_fcrun_values();
	return done();
}
