/* bess_forecast.h: forecasts from past values only (persistence, seasonal, profiles, ridge regression, forecast columns) with quantiles and skill scores, day-ahead prices known up to their publication, and what a controller knows at each step of a history. */
#ifndef BESS_FORECAST_H
#define BESS_FORECAST_H

#include <stddef.h>
#include <stdio.h>

#include "bess_battery.h"
#include "bess_err.h"
#include "bess_sim.h"
#include "bess_tariff.h"
#include "bess_time.h"

/*
 * Forecast methods. A forecast of step i made at the start of step now
 * (i >= now) reads only values of steps before now:
 *   perfect      the actual value (the upper bound)
 *   persistence  the value 24 hours earlier; beyond a day ahead, the latest
 *                day that is known (i - m*day with the smallest m that
 *                reaches before now)
 *   seasonal     the same one week earlier (i - m*week likewise)
 *   profile      the mean of the values at the same time of day on the
 *                last profile_days known days
 *   columns      the forecast column (price_fc, export_price_fc, load_fc,
 *                solar_fc); an empty cell falls back to persistence
 *   week-profile the mean of the values at the same time of day and day of
 *                the week on the last `weeks` known weeks
 *   ew-profile   the same, weighted alpha * (1 - alpha)^k for the k-th
 *                latest known week (weeks while the weight is >= 1 % of
 *                the first, at most 52)
 *   ridge        a ridge regression of the value on the other methods'
 *                forecasts (seasonal, persistence, week-profile, profile)
 *                and the recent level (the mean departure of the last day
 *                from its week profile, and of the latest value, fading
 *                with the lead), fitted on the forecasts that would have
 *                been made at the same time of day on the last fit_days
 *                days, for targets already known
 * "Same time of day" is the same local wall clock when the forecaster has
 * lag links (bess_fc_links: 23- and 25-hour days handled), else `day`
 * steps back. Missing values are skipped, never read as 0.
 * Where a method has no value (the first day, missing data) the outlook
 * holds the latest known value; before anything is known, 0.
 */
enum bess_fc_method {
	BESS_FC_PERFECT = 0,
	BESS_FC_PERSISTENCE,
	BESS_FC_SEASONAL,
	BESS_FC_PROFILE,
	BESS_FC_COLUMNS,
	BESS_FC_WEEK_PROFILE,
	BESS_FC_EW_PROFILE,
	BESS_FC_RIDGE,
	BESS_FC_NMETHODS
};

/* The one table of method names (every tool accepts every name in it). */
struct bess_fc_method_info {
	const char *name;		/* "week-profile" */
	enum bess_fc_method m;
	int from_history;		/* 1: forecasts from past values alone (not perfect, columns) */
	const char *what;		/* one line for --help */
};
extern const struct bess_fc_method_info bess_fc_methods[BESS_FC_NMETHODS];
/* The method named by s (len bytes; "column" too): 0, or -1. */
int bess_fc_method_parse(const char *s, size_t len, enum bess_fc_method *m);
/* "perfect, persistence, ..., or ridge" (from_history_only: those forecasting from history). Returns buf. */
char *bess_fc_method_list(int from_history_only, char *buf, size_t len);

/* The forecast quantities; export prices follow the price's method. */
enum { BESS_FC_PRICE = 0, BESS_FC_LOAD, BESS_FC_SOLAR, BESS_FC_NQ };

/* Which method for which quantity. */
struct bess_fc_spec {
	enum bess_fc_method m[BESS_FC_NQ];	/* per quantity */
	int profile_days;			/* days the profile method averages (>= 1) */
};

/* Defaults: perfect for everything, 7 profile days. */
void bess_fc_spec_init(struct bess_fc_spec *s);
/*
 * Apply "METHOD" (every quantity) or a comma list of "QTY=METHOD" and
 * METHOD items (QTY: price, load, solar). 0 or -1 with err->msg.
 */
int bess_fc_spec_parse(struct bess_fc_spec *s, const char *arg, struct bess_err *err);
/* "persistence", or "price=perfect,load=profile,solar=profile" when they differ. Returns buf. */
char *bess_fc_spec_format(const struct bess_fc_spec *s, char *buf, size_t len);
const char *bess_fc_method_name(enum bess_fc_method m);

struct bess_fc_model;

/* One quantity's forecaster over a series of n steps. */
struct bess_fc {
	enum bess_fc_method method;	/* how */
	const double *actual;		/* actual values (NAN = missing), NULL = all 0 */
	const double *column;		/* the forecast column for BESS_FC_COLUMNS (NULL = none) */
	size_t n;			/* steps */
	size_t day;			/* steps in 24 hours (>= 1) */
	int profile_days;		/* for BESS_FC_PROFILE */
};

/* What the newer methods may also be told (zero-initialised: the defaults). */
struct bess_fc_ext {
	const long *lag_day;		/* per step: the step at the same local wall clock one local
					   day earlier, -1 = none; NULL = `day` steps earlier */
	const long *lag_week;		/* likewise 7 local days earlier; NULL = 7 * day steps */
	int weeks;			/* weeks week-profile averages (0 = 4) */
	double ew_alpha;		/* ew-profile's weight of the latest week, (0, 1) (0 = 0.3) */
	int fit_days;			/* ridge: past issues it is fitted on (0 = 28) */
	struct bess_fc_model *model;	/* ridge: its fit, kept between calls (NULL: fit at every call) */
};

/* The forecast of step i made at the start of step now (now <= i < n); NAN if the method has no value. */
double bess_fc_at(const struct bess_fc *f, size_t now, size_t i);
/* The same with the newer methods' settings (x NULL: the defaults). */
double bess_fc_at_ext(const struct bess_fc *f, const struct bess_fc_ext *x, size_t now, size_t i);

/*
 * Lag links of a grid whose step i starts at t0 + i * step_us, in zone tz
 * (NULL = UTC), for steps from .. n-1: lag_day[i], lag_week[i] the step at
 * the same local wall clock 1 and 7 local days earlier, -1 before the grid
 * (or between steps). A wall clock that did not exist that day (clocks went
 * forward) reads the instant after the jump; one that existed twice (clocks
 * went back), the earlier.
 */
void bess_fc_links(const struct bess_tz *tz, bess_time_t t0, long long step_us, size_t from,
    size_t n, long *lag_day, long *lag_week);

/*
 * The ridge model a forecaster keeps: fitted at step `at` for targets
 * lead .. lead + len - 1 steps after an issue. refit: steps between fits
 * when bess_fc_at is called (0: at every issue time; bess-dispatch: an hour).
 */
struct bess_fc_model *bess_fc_model_new(size_t lead, size_t len, size_t refit, double lambda);
void bess_fc_model_free(struct bess_fc_model *m);
/* Forget the fit (the series it was made on moved). */
void bess_fc_model_reset(struct bess_fc_model *m);

/*
 * The site's load from a meter that includes the battery (bess(7) sign
 * conventions): meter_kw - battery_kw, where battery_kw is positive when
 * charging. A missing battery value (NAN) leaves the load missing.
 */
double bess_fc_load_without_battery(double meter_kw, double battery_kw);

/*
 * The nowcast: a load forecast load[0 .. len) of steps of dt_h hours,
 * corrected by the forecaster's latest miss (actual - forecast in the step
 * just before load[0]), fading with half-life hl_h: load[j] += miss *
 * 2^(-(j + 1) dt_h / hl_h), never below 0. The backtest and the live
 * controller both call it.
 */
void bess_fc_nowcast(double *load, size_t len, double miss_kw, double dt_h, double hl_h);

/* The skill score 1 - mae / mae_ref (NAN when mae_ref is not > 0). */
double bess_fc_skill(double mae, double mae_ref);
/*
 * The p-quantile (0..1) of v[0..n) sorted ascending: rank (n + 1) p,
 * interpolated linearly, clamped to the extremes (numpy's "weibull"
 * method). A new draw from the same distribution falls below it with
 * probability p on average (the k-th of n sorted draws has expected
 * probability k / (n + 1)), which numpy's default, rank (n - 1) p + 1,
 * misses with few samples (0.872 for P90 of 28). NAN for n = 0.
 */
double bess_fc_quantile_sorted(const double *v, size_t n, double p);

/* ---- the rolling forecaster: a stream of values in, forecasts, quantiles and scores out ---- */

#define BESS_FCR_MAXM	BESS_FC_NMETHODS	/* methods one runner compares */
#define BESS_FCR_NQ	3			/* quantiles: P10, P50, P90 */
/*
 * How far a runner looks: lead + horizon at most 366 days and 100,000 steps (a year of
 * 1-minute steps took 34 s and 550 MB); a gap between records, or from the last record to an
 * issue time, at most 1,000,000 steps (about 1 s of filling). Beyond, an error: --horizon
 * 100000d and a far --issue ran for ever.
 */
#define BESS_FCR_MAX_DAYS	366
#define BESS_FCR_MAX_STEPS	100000
#define BESS_FCR_MAX_GAP	1000000

struct bess_fcr_opts {
	long long step_us;		/* grid step, microseconds (> 0, divides a day) */
	const struct bess_tz *tz;	/* local time of profiles and issue times (NULL = UTC) */
	enum bess_fc_method method[BESS_FCR_MAXM];	/* methods, from history only */
	size_t nmethod;
	int profile_days;		/* profile: days (0 = 7) */
	int weeks;			/* week-profile: weeks (0 = 4) */
	double ew_alpha;		/* ew-profile (0 = 0.3) */
	int fit_days;			/* ridge (0 = 28) */
	double lambda;			/* ridge penalty relative to each feature's scale (0 = 0.1; < 0: none) */
	size_t lead;			/* the first forecast step is lead steps after the issue */
	size_t horizon;			/* steps forecast (>= 1) */
	int issue_min;			/* backtest issues every local day at this minute after
					   midnight; -1 = at every step */
	int quantile_days;		/* days of recent errors the quantiles use (0 = 28) */
	int nonneg;			/* the quantity is >= 0 (load_kw, solar_kw): forecasts and
					   quantiles below 0 are raised to 0 */
	/* each scored target (all methods forecast it, its actual known), in order; NULL = none */
	void (*scored)(void *ctx, bess_time_t issued, bess_time_t ts, double actual, const double *fc,
	    size_t nm);
	void *scored_ctx;
};

/* Errors of one method: sums over the scored targets. */
struct bess_fc_score {
	size_t n;			/* targets scored */
	double sum_abs, sum_sq;		/* of actual - forecast */
	size_t nq;			/* of them with quantiles */
	size_t under[BESS_FCR_NQ];	/* actual <= P10, P50, P90 */
};

/* One issued forecast: steps ts[0..n), per method m the forecast and quantiles (NAN = empty). */
struct bess_fc_issue {
	bess_time_t issued;		/* issue time */
	size_t n;			/* steps */
	bess_time_t *ts;		/* their starts */
	double *fc[BESS_FCR_MAXM];	/* forecasts */
	double *q[BESS_FCR_MAXM][BESS_FCR_NQ];	/* P10, P50, P90 */
	size_t empty[BESS_FCR_MAXM];	/* forecasts left empty (inputs missing) */
};

struct bess_fcr;

struct bess_fcr *bess_fcr_new(const struct bess_fcr_opts *o, struct bess_err *err);
void bess_fcr_free(struct bess_fcr *r);
/*
 * The value of the step starting at t (NAN = missing). Steps must increase
 * on the grid; skipped steps are missing. An issue time (issue_min) first
 * issues every method from the values before it (a backtest), and each
 * value scores the forecasts made for it and joins the errors the
 * quantiles are read from. 0, or -1 with err (a time off the grid or not
 * increasing).
 */
int bess_fcr_push(struct bess_fcr *r, bess_time_t t, double v, struct bess_err *err);
/* Forecast from the values pushed before t (t on the grid, after them); the result stays valid until the next call. */
const struct bess_fc_issue *bess_fcr_issue(struct bess_fcr *r, bess_time_t t, struct bess_err *err);
/*
 * The scores of method index m over lead hour h (0 .. bess_fcr_lead_hours - 1)
 * or over all leads (h = -1). Only targets every method forecast count, so
 * methods are compared on the same steps.
 */
const struct bess_fc_score *bess_fcr_score(const struct bess_fcr *r, size_t m, long h);
size_t bess_fcr_lead_hours(const struct bess_fcr *r);
/* Issues made in the backtest, and the index of seasonal (the skill's reference) among the methods. */
size_t bess_fcr_issues(const struct bess_fcr *r);

/*
 * A backtest's scores of runner r (its column col) onto fp: one NDJSON line per method over
 * all leads (lead_h null) and per lead hour with samples (issues, n, mae, rmse, skill against
 * the reference, n_quantiles, cover_p10/p50/p90), or a table people read (fcreport.c).
 */
void bess_fcr_report_json(FILE *fp, const struct bess_fcr *r, const char *col);
void bess_fcr_report_table(FILE *fp, const struct bess_fcr *r, const char *col);
size_t bess_fcr_reference(const struct bess_fcr *r);
/* The methods in order (the options' and seasonal if it was added): their number. */
size_t bess_fcr_methods(const struct bess_fcr *r, enum bess_fc_method *m);

/*
 * Day-ahead publication: at local time publish_min (minutes after
 * midnight) in tz, the next local day's prices become known; the current
 * day's are known from the start. Returns the instant before which prices
 * are known at instant now (the end of today, or of tomorrow after
 * publication).
 */
bess_time_t bess_da_known_until(const struct bess_tz *tz, int publish_min, bess_time_t now);

/*
 * Everything a controller walking a history knows: the actual prices of
 * every step (the rates, built once with the tariff), and at each step the
 * forecasts of prices, load and solar for the steps ahead.
 * Prices are affine in the stream's columns (a tariff may replace the
 * 'price' column or add to it, export may follow it or its own column), so
 * the forecasts of the columns are turned into prices by the same tariff
 * rules: price = pa + pb * price column, export = xa + xb * price column +
 * xc * export_price column, the coefficients found by building the rates
 * with unit columns.
 */
struct bess_outlook {
	const struct bess_series *ser;	/* the history */
	struct bess_rates rates;	/* actual prices, periods, bills, days (owned) */
	struct bess_fc_spec spec;	/* methods */
	double *pa, *pb;		/* price coefficients per step */
	double *xa, *xb, *xc;		/* export price coefficients per step */
	struct bess_fc fprice, fxprice, fload, fsolar;	/* the columns' forecasters */
	struct bess_fc_ext xprice, xxprice, xload, xsolar;	/* their settings (ridge: its fit) */
	size_t *last_price, *last_xprice, *last_load, *last_solar;	/* per step: 1 + the latest index
								   at or before it with a value, 0 = none */
	const struct bess_tz *da_tz;	/* day-ahead rule's zone, NULL = no day-ahead rule */
	int da_publish_min;		/* its publication time, minutes after local midnight */
};

/*
 * Build the outlook of ser (which must stay valid) with tariff (may be NULL)
 * and site; da_tz NULL for no day-ahead rule. A forecast method "columns"
 * needs the column of that quantity (load_fc, solar_fc, price_fc) where the
 * series has that quantity. Errors (no price for a step, a missing forecast
 * column) fill err.
 */
int bess_outlook_init(struct bess_outlook *o, const struct bess_series *ser,
    const struct bess_tariff *tariff, const struct bess_site *site,
    const struct bess_fc_spec *spec, const struct bess_tz *da_tz, int da_publish_min,
    struct bess_err *err);
void bess_outlook_free(struct bess_outlook *o);

/*
 * The forecasts made at the start of step now for steps now .. now+len-1
 * (now + len <= n): prices, export prices, load, solar (any output may be
 * NULL). Prices known by then (perfect, or published day-ahead) are the
 * actual ones.
 */
void bess_outlook_window(const struct bess_outlook *o, size_t now, size_t len,
    double *price, double *xprice, double *load, double *solar);

#endif
