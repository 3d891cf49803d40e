/* forecast.c: forecasts from past values only, day-ahead publication, and the prices a controller knows at each step. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_forecast.h"

static const char *const method_names[] = {
	"perfect", "persistence", "seasonal", "profile", "columns"
};
static const char *const qty_names[BESS_FC_NQ] = { "price", "load", "solar" };

const char *
bess_fc_method_name(enum bess_fc_method m)
{
	return (unsigned)m < sizeof(method_names) / sizeof(method_names[0]) ? method_names[m] : "?";
}

void
bess_fc_spec_init(struct bess_fc_spec *s)
{
	int q;

	for (q = 0; q < BESS_FC_NQ; q++)
		s->m[q] = BESS_FC_PERFECT;
	s->profile_days = 7;
}

static int
method_parse(const char *s, size_t len, enum bess_fc_method *m)
{
	size_t k;

	for (k = 0; k < sizeof(method_names) / sizeof(method_names[0]); k++)
		if (strlen(method_names[k]) == len && strncmp(s, method_names[k], len) == 0) {
			*m = (enum bess_fc_method)k;
			return 0;
		}
	if (len == 6 && strncmp(s, "column", 6) == 0) {
		*m = BESS_FC_COLUMNS;
		return 0;
	}
	return -1;
}

int
bess_fc_spec_parse(struct bess_fc_spec *s, const char *arg, struct bess_err *err)
{
	const char *p = arg;

	if (*p == '\0')
		return bess_err_set(err, NULL, 0, "an empty forecast (perfect, persistence, seasonal, "
		    "profile or columns)");
	while (*p) {
		const char *end = strchr(p, ','), *eq;
		size_t len;
		enum bess_fc_method m;
		int q, which = -1;

		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		eq = memchr(p, '=', len);
		if (eq != NULL) {
			for (q = 0; q < BESS_FC_NQ; q++)
				if (strlen(qty_names[q]) == (size_t)(eq - p) &&
				    strncmp(p, qty_names[q], (size_t)(eq - p)) == 0)
					which = q;
			if (which < 0)
				return bess_err_set(err, NULL, 0, "'%.*s' is not price, load or solar",
				    (int)(eq - p), p);
			p = eq + 1;
			len = (size_t)(end - p);
		}
		if (method_parse(p, len, &m) != 0)
			return bess_err_set(err, NULL, 0, "'%.*s' is not perfect, persistence, seasonal, "
			    "profile or columns", (int)len, p);
		for (q = 0; q < BESS_FC_NQ; q++)
			if (which < 0 || which == q)
				s->m[q] = m;
		p = *end ? end + 1 : end;
		if (*end && *p == '\0')
			return bess_err_set(err, NULL, 0, "'%s' ends with a comma", arg);
	}
	return 0;
}

char *
bess_fc_spec_format(const struct bess_fc_spec *s, char *buf, size_t len)
{
	if (s->m[0] == s->m[1] && s->m[1] == s->m[2])
		snprintf(buf, len, "%s", bess_fc_method_name(s->m[0]));
	else
		snprintf(buf, len, "price=%s,load=%s,solar=%s", bess_fc_method_name(s->m[0]),
		    bess_fc_method_name(s->m[1]), bess_fc_method_name(s->m[2]));
	return buf;
}

/* The value at i - m*period for the smallest m >= 1 that reaches before now; NAN if before the data. */
static double
back(const struct bess_fc *f, size_t now, size_t i, size_t period)
{
	size_t m = (i - now) / period + 1;

	if (m * period > i)
		return NAN;
	return f->actual[i - m * period];
}

double
bess_fc_at(const struct bess_fc *f, size_t now, size_t i)
{
	double sum = 0, v;
	size_t m, m0, cnt = 0;

	if (f->actual == NULL)
		return 0;
	switch (f->method) {
	case BESS_FC_PERFECT:
		return f->actual[i];
	case BESS_FC_SEASONAL:
		return back(f, now, i, 7 * f->day);
	case BESS_FC_PROFILE:
		m0 = (i - now) / f->day + 1;
		for (m = m0; m < m0 + (size_t)f->profile_days && m * f->day <= i; m++) {
			v = f->actual[i - m * f->day];
			if (!isnan(v)) {
				sum += v;
				cnt++;
			}
		}
		return cnt ? sum / (double)cnt : NAN;
	case BESS_FC_COLUMNS:
		if (f->column && !isnan(f->column[i]))
			return f->column[i];
		return back(f, now, i, f->day);
	default:
		return back(f, now, i, f->day);
	}
}

bess_time_t
bess_da_known_until(const struct bess_tz *tz, int publish_min, bess_time_t now)
{
	struct bess_civil c, mid;
	bess_time_t t[2];
	int64_t d;

	bess_time_to_civil(tz, now, &c);
	d = bess_days_from_civil(c.year, c.month, c.day) + (c.hour * 60 + c.min >= publish_min ? 2 : 1);
	memset(&mid, 0, sizeof(mid));
	bess_civil_from_days(d, &mid.year, &mid.month, &mid.day);
	bess_tz_local_to_utc(tz, bess_time_from_civil_utc(&mid), t);
	return t[0];	/* a fold: the earlier; a gap: the instant the clocks jumped */
}

void
bess_outlook_free(struct bess_outlook *o)
{
	bess_rates_free(&o->rates);
	free(o->pa);
	free(o->pb);
	free(o->xa);
	free(o->xb);
	free(o->xc);
	free(o->last_price);
	free(o->last_xprice);
	free(o->last_load);
	free(o->last_solar);
	memset(o, 0, sizeof(*o));
}

/* 1 + the latest index at or before each step with a value (0 = none yet); NULL input gives all 0. */
static size_t *
last_known(const double *v, size_t n)
{
	size_t *l = calloc(n + 1, sizeof(size_t)), i, cur = 0;

	if (l == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (v && !isnan(v[i]))
			cur = i + 1;
		l[i] = cur;
	}
	return l;
}

/* 0 or 1 when x is within rounding of them. */
static double
unit(double x)
{
	if (fabs(x) < 1e-9)
		return 0;
	if (fabs(x - 1) < 1e-9)
		return 1;
	return x;
}

int
bess_outlook_init(struct bess_outlook *o, const struct bess_series *ser,
    const struct bess_tariff *tariff, const struct bess_site *site,
    const struct bess_fc_spec *spec, const struct bess_tz *da_tz, int da_publish_min,
    struct bess_err *err)
{
	size_t n = ser->n, i, day;
	double *zero = NULL, *one = NULL;
	struct bess_rates r0, r1;
	int q;

	memset(o, 0, sizeof(*o));
	memset(&r0, 0, sizeof(r0));
	memset(&r1, 0, sizeof(r1));
	o->ser = ser;
	o->spec = *spec;
	o->da_tz = da_tz;
	o->da_publish_min = da_publish_min;
	if (bess_rates_build(&o->rates, tariff, ser->ts, n, ser->step_us, ser->price, ser->export_price,
	    site, err) != 0)
		return -1;
	if ((o->pa = calloc(n + 1, sizeof(double))) == NULL ||
	    (o->pb = calloc(n + 1, sizeof(double))) == NULL ||
	    (o->xa = calloc(n + 1, sizeof(double))) == NULL ||
	    (o->xb = calloc(n + 1, sizeof(double))) == NULL ||
	    (o->xc = calloc(n + 1, sizeof(double))) == NULL ||
	    (zero = calloc(n + 1, sizeof(double))) == NULL ||
	    (one = malloc((n + 1) * sizeof(double))) == NULL ||
	    (o->last_price = last_known(ser->price, n)) == NULL ||
	    (o->last_xprice = last_known(ser->export_price, n)) == NULL ||
	    (o->last_load = last_known(ser->load_kw, n)) == NULL ||
	    (o->last_solar = last_known(ser->solar_kw, n)) == NULL)
		goto oom;
	for (i = 0; i <= n; i++)
		one[i] = 1;
	if (ser->price == NULL && ser->export_price == NULL) {
		memcpy(o->pa, o->rates.price, n * sizeof(double));
		memcpy(o->xa, o->rates.export_price, n * sizeof(double));
	} else {
		/* the rates with both columns 0, then each column alone at 1 */
		const double *zp = ser->price ? zero : NULL, *zx = ser->export_price ? zero : NULL;

		if (bess_rates_build(&r0, tariff, ser->ts, n, ser->step_us, zp, zx, site, err) != 0)
			goto fail;
		memcpy(o->pa, r0.price, n * sizeof(double));
		memcpy(o->xa, r0.export_price, n * sizeof(double));
		if (ser->price) {
			if (bess_rates_build(&r1, tariff, ser->ts, n, ser->step_us, one, zx, site, err) != 0)
				goto fail;
			for (i = 0; i < n; i++) {
				o->pb[i] = unit(r1.price[i] - o->pa[i]);
				o->xb[i] = unit(r1.export_price[i] - o->xa[i]);
			}
			bess_rates_free(&r1);
		}
		if (ser->export_price) {
			if (bess_rates_build(&r1, tariff, ser->ts, n, ser->step_us, zp, one, site, err) != 0)
				goto fail;
			for (i = 0; i < n; i++)
				o->xc[i] = unit(r1.export_price[i] - o->xa[i]);
			bess_rates_free(&r1);
		}
		bess_rates_free(&r0);
	}
	day = (size_t)((double)BESS_US_PER_H * 24 / (double)ser->step_us + 0.5);
	if (day < 1)
		day = 1;
	o->fprice = (struct bess_fc){ spec->m[BESS_FC_PRICE], ser->price, ser->price_fc, n, day,
	    spec->profile_days };
	o->fxprice = (struct bess_fc){ spec->m[BESS_FC_PRICE], ser->export_price, ser->export_price_fc,
	    n, day, spec->profile_days };
	o->fload = (struct bess_fc){ spec->m[BESS_FC_LOAD], ser->load_kw, ser->load_fc, n, day,
	    spec->profile_days };
	o->fsolar = (struct bess_fc){ spec->m[BESS_FC_SOLAR], ser->solar_kw, ser->solar_fc, n, day,
	    spec->profile_days };
	for (q = 0; q < BESS_FC_NQ; q++) {
		static const char *const col[] = { "price_fc", "load_fc", "solar_fc" };
		const double *have[] = { ser->price, ser->load_kw, ser->solar_kw };
		const double *fc[] = { ser->price_fc, ser->load_fc, ser->solar_fc };
		int needed = have[q] != NULL;

		if (q == BESS_FC_PRICE) {
			needed = 0;
			for (i = 0; i < n && !needed; i++)
				needed = o->pb[i] != 0 || o->xb[i] != 0;
		}
		if (spec->m[q] == BESS_FC_COLUMNS && needed && fc[q] == NULL) {
			bess_err_set(err, NULL, 0, "--forecast %s=columns needs a '%s' column", qty_names[q], col[q]);
			goto fail;
		}
	}
	if (spec->m[BESS_FC_PRICE] == BESS_FC_COLUMNS && ser->export_price_fc == NULL) {
		for (i = 0; i < n; i++)
			if (o->xc[i] != 0) {
				bess_err_set(err, NULL, 0, "--forecast price=columns needs an 'export_price_fc' "
				    "column (the input has 'export_price')");
				goto fail;
			}
	}
	free(zero);
	free(one);
	return 0;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
fail:
	bess_rates_free(&r0);
	bess_rates_free(&r1);
	free(zero);
	free(one);
	bess_outlook_free(o);
	return -1;
}

/* A forecast, or the latest value known before now, or 0. */
static double
guess(const struct bess_fc *f, const size_t *last, size_t now, size_t i)
{
	double v = bess_fc_at(f, now, i);

	if (!isnan(v))
		return v;
	if (now > 0 && last[now - 1] > 0)
		return f->actual[last[now - 1] - 1];
	return 0;
}

void
bess_outlook_window(const struct bess_outlook *o, size_t now, size_t len,
    double *price, double *xprice, double *load, double *solar)
{
	const struct bess_series *ser = o->ser;
	bess_time_t known = 0;
	int all_known = o->spec.m[BESS_FC_PRICE] == BESS_FC_PERFECT;
	size_t j;

	if (!all_known && o->da_tz != NULL)
		known = bess_da_known_until(o->da_tz, o->da_publish_min, ser->ts[now]);
	for (j = 0; j < len; j++) {
		size_t i = now + j;

		if (price || xprice) {
			double p, x, pp = 0, xx = 0;

			if (all_known || (o->da_tz != NULL && ser->ts[i] < known)) {
				p = o->rates.price[i];
				x = o->rates.export_price[i];
			} else {
				if (o->pb[i] != 0 || o->xb[i] != 0)
					pp = guess(&o->fprice, o->last_price, now, i);
				if (o->xc[i] != 0)
					xx = guess(&o->fxprice, o->last_xprice, now, i);
				p = o->pa[i] + o->pb[i] * pp;
				x = o->xa[i] + o->xb[i] * pp + o->xc[i] * xx;
			}
			if (price)
				price[j] = p;
			if (xprice)
				xprice[j] = x;
		}
		if (load)
			load[j] = guess(&o->fload, o->last_load, now, i);
		if (solar) {
			double s = guess(&o->fsolar, o->last_solar, now, i);

			solar[j] = s > 0 ? s : 0;
		}
	}
}
