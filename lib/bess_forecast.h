/* bess_forecast.h: what a controller knows at each step of a history — forecasts from past values only (persistence, seasonal, daily profile, forecast columns) and day-ahead prices known up to their publication. */
#ifndef BESS_FORECAST_H
#define BESS_FORECAST_H

#include <stddef.h>

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
 * Where a method has no value (the first day, missing data) the latest
 * known value is held; before anything is known, 0.
 */
enum bess_fc_method {
	BESS_FC_PERFECT = 0,
	BESS_FC_PERSISTENCE,
	BESS_FC_SEASONAL,
	BESS_FC_PROFILE,
	BESS_FC_COLUMNS
};

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

/* One quantity's forecaster over a series of n steps. */
struct bess_fc {
	enum bess_fc_method method;	/* how */
	const double *actual;		/* actual values (NAN = missing), NULL = all 0 */
	const double *column;		/* the forecast column for BESS_FC_COLUMNS (NULL = none) */
	size_t n;			/* steps */
	size_t day;			/* steps in 24 hours (>= 1) */
	int profile_days;		/* for BESS_FC_PROFILE */
};

/* The forecast of step i made at the start of step now (now <= i < n); NAN if the method has no value. */
double bess_fc_at(const struct bess_fc *f, size_t now, size_t i);

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
