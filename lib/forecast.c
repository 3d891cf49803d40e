/* forecast.c: forecasts from past values only, day-ahead publication, and the prices a controller knows at each step. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_forecast.h"

const struct bess_fc_method_info bess_fc_methods[BESS_FC_NMETHODS] = {
	{ "perfect", BESS_FC_PERFECT, 0, "the actual values (an upper bound)" },
	{ "persistence", BESS_FC_PERSISTENCE, 1, "the same time on the latest known day" },
	{ "seasonal", BESS_FC_SEASONAL, 1, "the same time on the latest known week" },
	{ "profile", BESS_FC_PROFILE, 1, "mean of the same time on the last N days" },
	{ "columns", BESS_FC_COLUMNS, 0, "the input's forecast columns" },
	{ "week-profile", BESS_FC_WEEK_PROFILE, 1, "mean of the same weekday and time, last N weeks" },
	{ "ew-profile", BESS_FC_EW_PROFILE, 1, "the same, weeks weighted alpha*(1-alpha)^k" },
	{ "ridge", BESS_FC_RIDGE, 1, "ridge regression on those and the recent level" },
};
static const char *const qty_names[BESS_FC_NQ] = { "price", "load", "solar" };

const char *
bess_fc_method_name(enum bess_fc_method m)
{
	return (unsigned)m < BESS_FC_NMETHODS ? bess_fc_methods[m].name : "?";
}

int
bess_fc_method_parse(const char *s, size_t len, enum bess_fc_method *m)
{
	size_t k;

	for (k = 0; k < BESS_FC_NMETHODS; k++)
		if (strlen(bess_fc_methods[k].name) == len && strncmp(s, bess_fc_methods[k].name, len) == 0) {
			*m = bess_fc_methods[k].m;
			return 0;
		}
	if (len == 6 && strncmp(s, "column", 6) == 0) {
		*m = BESS_FC_COLUMNS;
		return 0;
	}
	return -1;
}

char *
bess_fc_method_list(int from_history_only, char *buf, size_t len)
{
	size_t k, n = 0, cnt = 0, i = 0;

	for (k = 0; k < BESS_FC_NMETHODS; k++)
		cnt += !from_history_only || bess_fc_methods[k].from_history;
	buf[0] = '\0';
	for (k = 0; k < BESS_FC_NMETHODS; k++) {
		if (from_history_only && !bess_fc_methods[k].from_history)
			continue;
		i++;
		n += (size_t)snprintf(buf + (n < len ? n : len - 1), n < len ? len - n : 1, "%s%s",
		    i == 1 ? "" : i == cnt ? " or " : ", ", bess_fc_methods[k].name);
	}
	return buf;
}

void
bess_fc_spec_init(struct bess_fc_spec *s)
{
	int q;

	for (q = 0; q < BESS_FC_NQ; q++)
		s->m[q] = BESS_FC_PERFECT;
	s->profile_days = 7;
}

int
bess_fc_spec_parse(struct bess_fc_spec *s, const char *arg, struct bess_err *err)
{
	const char *p = arg;
	char names[256];

	bess_fc_method_list(0, names, sizeof(names));
	if (*p == '\0')
		return bess_err_set(err, NULL, 0, "an empty forecast (%s)", names);
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
		if (bess_fc_method_parse(p, len, &m) != 0)
			return bess_err_set(err, NULL, 0, "'%.*s' is not %s", (int)len, p, names);
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

/* A forecaster with its settings resolved, as the methods read it. */
struct fcv {
	enum bess_fc_method method;
	const double *actual, *column;
	size_t n, day;
	int profile_days;
	const long *lag_day, *lag_week;
	int weeks;
	double ew_alpha;
	int fit_days;
	struct bess_fc_model *model;
};

/* The step one day (week) before i: by the lag links, or by whole days of steps; -1 before the data. */
static long
lag1(const struct fcv *f, long i, int week)
{
	const long *lk = week ? f->lag_week : f->lag_day;
	long period = (long)(week ? 7 * f->day : f->day);

	if (i < 0)
		return -1;
	if (lk != NULL)
		return lk[i];
	return i >= period ? i - period : -1;
}

/* The latest step a whole number (>= 1) of days (weeks) before i that lies before now; -1 if none. */
static long
chase(const struct fcv *f, long now, long i, int week)
{
	const long *lk = week ? f->lag_week : f->lag_day;
	long period = (long)(week ? 7 * f->day : f->day), m;

	if (lk == NULL) {
		m = (i - now) / period + 1;
		return m * period > i ? -1 : i - m * period;
	}
	do
		i = lk[i];
	while (i >= now);
	return i;
}

/* The value at the latest same time (day or week) before now; NAN if none. */
static double
back(const struct fcv *f, long now, long i, int week)
{
	long j = chase(f, now, i, week);

	return j < 0 ? NAN : f->actual[j];
}

/*
 * The mean of the values at the same time on the count latest days (weeks)
 * before now, the k-th latest weighted (1 - fade)^k; missing values are
 * skipped. NAN when none has a value.
 */
static double
mean_back(const struct fcv *f, long now, long i, int week, int count, double fade)
{
	long j = chase(f, now, i, week);
	double s = 0, sw = 0, w = 1, v;
	int k;

	for (k = 0; k < count && j >= 0; k++, j = lag1(f, j, week)) {
		v = f->actual[j];
		if (!isnan(v)) {
			s += w * v;
			sw += w;
		}
		w *= 1 - fade;
	}
	return sw > 0 ? s / sw : NAN;
}

static int
weeks_of(const struct fcv *f)
{
	return f->weeks > 0 ? f->weeks : 4;
}

static double
alpha_of(const struct fcv *f)
{
	return f->ew_alpha > 0 && f->ew_alpha < 1 ? f->ew_alpha : 0.3;
}

/* ew-profile's weeks: while (1 - alpha)^k >= 1 % of the first weight, at most 52. */
static int
ew_weeks(double alpha)
{
	int k = (int)floor(log(0.01) / log(1 - alpha)) + 1;

	return k < 1 ? 1 : k > 52 ? 52 : k;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ---- ridge regression ---- */

#define NFEAT		7	/* 1, seasonal, persistence, week-profile, profile, level, latest level */
#define FADE_H		3.0	/* hours over which the latest departure fades, e-fold */

struct bess_fc_model {
	size_t lead, len;	/* training targets: lead .. lead + len - 1 steps after a past issue */
	size_t refit;		/* steps between fits in bess_fc_at (0: at every issue) */
	double lambda;		/* penalty relative to each feature's mean square */
	long at;		/* the issue step the weights were fitted at, -1 = none */
	int ok;			/* the fit had enough rows and solved */
	double w[NFEAT];	/* weights */
	long lv_at;		/* the step the level below was taken at, -1 = none */
	double lv[2];		/* mean departure of the last day from its week profile, of the latest value */
};

struct bess_fc_model *
bess_fc_model_new(size_t lead, size_t len, size_t refit, double lambda)
{
	struct bess_fc_model *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->lead = lead;
	m->len = len > 0 ? len : 1;
	m->refit = refit;
	m->lambda = lambda == 0 ? 0.1 : lambda < 0 ? 0 : lambda;
	bess_fc_model_reset(m);
	return m;
}

void
bess_fc_model_free(struct bess_fc_model *m)
{
	free(m);
}

void
bess_fc_model_reset(struct bess_fc_model *m)
{
	if (m != NULL)
		m->at = m->lv_at = -1;
}

/* The departure from the week profile over the day before now (lv[0]) and of the latest known value (lv[1]). */
static void
level(const struct fcv *f, long now, double lv[2])
{
	long j, lo = now - (long)f->day;
	double s = 0, d;
	int n = 0, have_last = 0;

	lv[0] = lv[1] = 0;
	for (j = now - 1; j >= 0 && j >= lo; j--) {
		if (isnan(f->actual[j]))
			continue;
		d = f->actual[j] - mean_back(f, j, j, 1, weeks_of(f), 0);
		if (isnan(d))
			continue;
		if (!have_last) {
			lv[1] = d;
			have_last = 1;
		}
		s += d;
		n++;
	}
	if (n > 0)
		lv[0] = s / n;
}

/* The features of target i issued at now; -1 when there is no week profile to stand on. */
static int
features(const struct fcv *f, long now, long i, const double lv[2], double *x)
{
	double wp = mean_back(f, now, i, 1, weeks_of(f), 0), v;
	double lead_h = (double)(i - now) * 24.0 / (double)f->day;

	if (isnan(wp))
		return -1;
	x[0] = 1;
	x[1] = isnan(v = back(f, now, i, 1)) ? wp : v;
	x[2] = isnan(v = back(f, now, i, 0)) ? wp : v;
	x[3] = wp;
	x[4] = isnan(v = mean_back(f, now, i, 0, f->profile_days > 0 ? f->profile_days : 7, 0)) ? wp : v;
	x[5] = lv[0];
	x[6] = lv[1] * exp(-lead_h / FADE_H);
	return 0;
}

/* Solve a x = b (n x n, destroyed) by elimination with partial pivoting; -1 when singular. */
static int
solve(double a[NFEAT][NFEAT], double *b, int n)
{
	int i, j, k, p;
	double t;

	for (k = 0; k < n; k++) {
		for (p = k, i = k + 1; i < n; i++)
			if (fabs(a[i][k]) > fabs(a[p][k]))
				p = i;
		if (!(fabs(a[p][k]) > 1e-12))
			return -1;
		if (p != k) {
			for (j = 0; j < n; j++) {
				t = a[k][j];
				a[k][j] = a[p][j];
				a[p][j] = t;
			}
			t = b[k];
			b[k] = b[p];
			b[p] = t;
		}
		for (i = k + 1; i < n; i++) {
			t = a[i][k] / a[k][k];
			for (j = k; j < n; j++)
				a[i][j] -= t * a[k][j];
			b[i] -= t * b[k];
		}
	}
	for (k = n - 1; k >= 0; k--) {
		for (j = k + 1; j < n; j++)
			b[k] -= a[k][j] * b[j];
		b[k] /= a[k][k];
	}
	return 0;
}

/*
 * Fit the weights at issue step at: rows are the targets lead .. lead+len-1
 * steps after the same wall clock on each of the last fit_days days that
 * are known before at; minimise the squared error plus lambda times each
 * non-constant weight squared times its feature's sum of squares.
 */
static void
fit(const struct fcv *f, struct bess_fc_model *m, long at)
{
	double a[NFEAT][NFEAT], b[NFEAT], x[NFEAT], lv[2], y;
	long p = at, i;
	size_t j, rows = 0;
	int k, r, c, days = f->fit_days > 0 ? f->fit_days : 28;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	for (k = 0; k < days; k++) {
		if ((p = lag1(f, p, 0)) < 0)
			break;
		level(f, p, lv);
		for (j = m->lead; j < m->lead + m->len; j++) {
			i = p + (long)j;
			if (i >= at || i >= (long)f->n)
				break;
			if (isnan(y = f->actual[i]) || features(f, p, i, lv, x) != 0)
				continue;
			for (r = 0; r < NFEAT; r++) {
				for (c = r; c < NFEAT; c++)
					a[r][c] += x[r] * x[c];
				b[r] += x[r] * y;
			}
			rows++;
		}
	}
	m->at = at;
	m->ok = 0;
	if (rows < 4 * NFEAT)
		return;
	/* centre on the means (the constant is not penalised), then solve for the slopes */
	{
		double cm[NFEAT][NFEAT], d[NFEAT], mean[NFEAT], nr = (double)rows;

		memset(cm, 0, sizeof(cm));
		for (r = 1; r < NFEAT; r++)
			mean[r] = a[0][r] / nr;
		for (r = 1; r < NFEAT; r++) {
			for (k = r; k < NFEAT; k++)
				cm[r - 1][k - 1] = cm[k - 1][r - 1] = a[r][k] - nr * mean[r] * mean[k];
			d[r - 1] = b[r] - nr * mean[r] * (b[0] / nr);
		}
		for (r = 0; r < NFEAT - 1; r++)
			cm[r][r] += m->lambda * cm[r][r] + 1e-9;
		if (solve(cm, d, NFEAT - 1) != 0)
			return;
		m->w[0] = b[0] / nr;
		for (r = 1; r < NFEAT; r++) {
			m->w[r] = d[r - 1];
			m->w[0] -= d[r - 1] * mean[r];
		}
	}
	m->ok = 1;
}

static double
ridge_at(const struct fcv *f, long now, long i)
{
	struct bess_fc_model local, *m = f->model;
	double x[NFEAT], v = 0;
	long at = now;
	int k;

	if (m == NULL) {
		m = &local;
		memset(m, 0, sizeof(*m));
		m->len = f->day;
		m->lambda = 0.1;
		m->at = m->lv_at = -1;
	}
	if (m->refit > 0)
		at = now - now % (long)m->refit;
	if (m->at != at)
		fit(f, m, at);
	if (m->lv_at != now) {
		level(f, now, m->lv);
		m->lv_at = now;
	}
	if (features(f, now, i, m->lv, x) != 0)
		return NAN;
	if (!m->ok)
		return x[3];	/* too little history to fit: the week profile */
	for (k = 0; k < NFEAT; k++)
		v += m->w[k] * x[k];
	return v;
}

double
bess_fc_at(const struct bess_fc *f, size_t now, size_t i)
{
	return bess_fc_at_ext(f, NULL, now, i);
}

double
bess_fc_at_ext(const struct bess_fc *fc, const struct bess_fc_ext *x, size_t now, size_t i)
{
	static const struct bess_fc_ext none;
	long ln = (long)now, li = (long)i;
	struct fcv v, *f = &v;

	if (x == NULL)
		x = &none;
	v = (struct fcv){ fc->method, fc->actual, fc->column, fc->n, fc->day, fc->profile_days,
	    x->lag_day, x->lag_week, x->weeks, x->ew_alpha, x->fit_days, x->model };

	if (f->actual == NULL)
		return 0;
	switch (f->method) {
	case BESS_FC_PERFECT:
		return f->actual[i];
	case BESS_FC_SEASONAL:
		return back(f, ln, li, 1);
	case BESS_FC_PROFILE:
		return mean_back(f, ln, li, 0, f->profile_days, 0);
	case BESS_FC_WEEK_PROFILE:
		return mean_back(f, ln, li, 1, weeks_of(f), 0);
	case BESS_FC_EW_PROFILE:
		return mean_back(f, ln, li, 1, ew_weeks(alpha_of(f)), alpha_of(f));
	case BESS_FC_RIDGE:
		return ridge_at(f, ln, li);
	case BESS_FC_COLUMNS:
		if (f->column && !isnan(f->column[i]))
			return f->column[i];
		return back(f, ln, li, 0);
	default:
		return back(f, ln, li, 0);
	}
}

/* The step of grid (t0, step_us) holding instant t, -1 before the grid. */
static long
step_of(bess_time_t t0, long long step_us, bess_time_t t)
{
	return t < t0 ? -1 : (long)((t - t0) / step_us);
}

void
bess_fc_links(const struct bess_tz *tz, bess_time_t t0, long long step_us, size_t from,
    size_t n, long *lag_day, long *lag_week)
{
	struct bess_civil c, d;
	bess_time_t t, u[2];
	size_t i;
	int k;

	for (i = from; i < n; i++) {
		t = t0 + (bess_time_t)i * step_us;
		if (tz == NULL) {
			lag_day[i] = step_of(t0, step_us, t - 24 * BESS_US_PER_H);
			lag_week[i] = step_of(t0, step_us, t - 7 * 24 * BESS_US_PER_H);
			continue;
		}
		bess_time_to_civil(tz, t, &c);
		for (k = 0; k < 2; k++) {
			int64_t days = bess_days_from_civil(c.year, c.month, c.day) - (k ? 7 : 1);

			d = c;
			bess_civil_from_days(days, &d.year, &d.month, &d.day);
			bess_tz_local_to_utc(tz, bess_time_from_civil_utc(&d), u);
			(k ? lag_week : lag_day)[i] = step_of(t0, step_us, u[0]);
		}
	}
}

double
bess_fc_load_without_battery(double meter_kw, double battery_kw)
{
	return meter_kw - battery_kw;
}

void
bess_fc_nowcast(double *load, size_t len, double miss_kw, double dt_h, double hl_h)
{
	size_t j;

	for (j = 0; j < len; j++)
		load[j] = fmax(0, load[j] + miss_kw * pow(0.5, (double)(j + 1) * dt_h / hl_h));
}

double
bess_fc_skill(double mae, double mae_ref)
{
	return mae_ref > 0 ? 1 - mae / mae_ref : NAN;
}

double
bess_fc_quantile_sorted(const double *v, size_t n, double p)
{
	double h;
	size_t k;

	if (n == 0)
		return NAN;
	h = (double)(n + 1) * p;	/* 1-based rank */
	if (h <= 1)
		return v[0];
	if (h >= (double)n)
		return v[n - 1];
	k = (size_t)floor(h);
	return v[k - 1] + (h - (double)k) * (v[k] - v[k - 1]);
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
	bess_fc_model_free(o->xprice.model);
	bess_fc_model_free(o->xxprice.model);
	bess_fc_model_free(o->xload.model);
	bess_fc_model_free(o->xsolar.model);
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
	o->fprice = (struct bess_fc){ .method = spec->m[BESS_FC_PRICE], .actual = ser->price,
	    .column = ser->price_fc, .n = n, .day = day, .profile_days = spec->profile_days };
	o->fxprice = (struct bess_fc){ .method = spec->m[BESS_FC_PRICE], .actual = ser->export_price,
	    .column = ser->export_price_fc, .n = n, .day = day, .profile_days = spec->profile_days };
	o->fload = (struct bess_fc){ .method = spec->m[BESS_FC_LOAD], .actual = ser->load_kw,
	    .column = ser->load_fc, .n = n, .day = day, .profile_days = spec->profile_days };
	o->fsolar = (struct bess_fc){ .method = spec->m[BESS_FC_SOLAR], .actual = ser->solar_kw,
	    .column = ser->solar_fc, .n = n, .day = day, .profile_days = spec->profile_days };
	{
		/*
		 * ridge keeps its fit, refitted every hour (at the first step of each
		 * hour): a fit is made for issues at one time of day, and a controller
		 * issues at every step (once a day gave b25 68.6 % of the optimum's
		 * saving, hourly 72.2 %: tests/bench/README.md)
		 */
		struct bess_fc *all[] = { &o->fprice, &o->fxprice, &o->fload, &o->fsolar };
		struct bess_fc_ext *ext[] = { &o->xprice, &o->xxprice, &o->xload, &o->xsolar };
		size_t hour = (size_t)((double)BESS_US_PER_H / (double)ser->step_us + 0.5);

		for (q = 0; q < 4; q++)
			if (all[q]->method == BESS_FC_RIDGE &&
			    (ext[q]->model = bess_fc_model_new(0, day, hour > 1 ? hour : 1, 0)) == NULL)
				goto oom;
	}
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
guess(const struct bess_fc *f, const struct bess_fc_ext *x, const size_t *last, size_t now, size_t i)
{
	double v = bess_fc_at_ext(f, x, now, i);

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
					pp = guess(&o->fprice, &o->xprice, o->last_price, now, i);
				if (o->xc[i] != 0)
					xx = guess(&o->fxprice, &o->xxprice, o->last_xprice, now, i);
				p = o->pa[i] + o->pb[i] * pp;
				x = o->xa[i] + o->xb[i] * pp + o->xc[i] * xx;
			}
			if (price)
				price[j] = p;
			if (xprice)
				xprice[j] = x;
		}
		if (load)
			load[j] = guess(&o->fload, &o->xload, o->last_load, now, i);
		if (solar) {
			double s = guess(&o->fsolar, &o->xsolar, o->last_solar, now, i);

			solar[j] = s > 0 ? s : 0;
		}
	}
}

/* ---- the rolling forecaster ---- */

#define HODS	24	/* error buckets: local hour of day */

/* A forecast waiting for its actuals. */
struct pend {
	long issue;		/* absolute step of the issue */
	double *fc;		/* [m * horizon + j] */
	double *q;		/* [(m * NQ + k) * horizon + j] */
};

struct bess_fcr {
	struct bess_fcr_opts o;
	size_t nm, ref;		/* methods, index of seasonal */
	size_t day, h;		/* steps a day, steps forecast */
	long window;		/* steps of history the methods look back */
	/* the sliding buffer: step b holds absolute step base + b */
	size_t cap, len;
	long base;
	double *y;
	long *lday, *lweek;
	int *hod;		/* local hour of day per buffered step */
	int *at_issue;		/* 1 when the step is an issue time */
	bess_time_t origin;	/* absolute step 0 */
	int started;
	long next;		/* absolute step of the next value */
	struct bess_fc fc[BESS_FCR_MAXM];
	struct bess_fc_ext fx[BESS_FCR_MAXM];
	struct bess_fc_model *model[BESS_FCR_MAXM];
	/* recent errors per method and hour of day: rings */
	double *err;		/* [(m * HODS + h) * ecap + k] */
	size_t ecap, *ehead, *ecount;
	double qtab[BESS_FCR_MAXM][HODS][BESS_FCR_NQ];
	long q_at;		/* absolute step the table was read at, LONG_MIN = never */
	double *tmp;		/* ecap */
	/* pending forecasts, oldest first */
	struct pend *pend;
	size_t npend, pcap;
	/* scores: [m * (nlead + 1) + 1 + h], h = -1 over all leads */
	struct bess_fc_score *score;
	size_t nlead, issues;
	struct bess_fc_issue out;
};

static const double qp[BESS_FCR_NQ] = { 0.1, 0.5, 0.9 };

void
bess_fcr_free(struct bess_fcr *r)
{
	size_t m, k;

	if (r == NULL)
		return;
	free(r->y);
	free(r->lday);
	free(r->lweek);
	free(r->hod);
	free(r->at_issue);
	for (m = 0; m < BESS_FCR_MAXM; m++) {
		bess_fc_model_free(r->model[m]);
		free(r->out.fc[m]);
		for (k = 0; k < BESS_FCR_NQ; k++)
			free(r->out.q[m][k]);
	}
	free(r->out.ts);
	free(r->err);
	free(r->ehead);
	free(r->ecount);
	free(r->tmp);
	for (k = 0; k < r->pcap; k++) {
		free(r->pend[k].fc);
		free(r->pend[k].q);
	}
	free(r->pend);
	free(r->score);
	free(r);
}

struct bess_fcr *
bess_fcr_new(const struct bess_fcr_opts *o, struct bess_err *err)
{
	struct bess_fcr *r;
	size_t m, k, per, sph;
	int weeks, haveref = 0;
	double step_h;

	if (o->step_us <= 0 || (24 * BESS_US_PER_H) % o->step_us != 0) {
		bess_err_set(err, NULL, 0, "the step must divide a day");
		return NULL;
	}
	if (o->horizon < 1 || o->nmethod < 1 || o->nmethod > BESS_FCR_MAXM) {
		bess_err_set(err, NULL, 0, "nothing to forecast");
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto oom;
	r->o = *o;
	if (r->o.profile_days <= 0)
		r->o.profile_days = 7;
	if (r->o.weeks <= 0)
		r->o.weeks = 4;
	if (!(r->o.ew_alpha > 0 && r->o.ew_alpha < 1))
		r->o.ew_alpha = 0.3;
	if (r->o.fit_days <= 0)
		r->o.fit_days = 28;
	if (r->o.quantile_days <= 0)
		r->o.quantile_days = 28;
	for (m = 0; m < o->nmethod; m++) {
		if (!bess_fc_methods[o->method[m]].from_history) {
			bess_err_set(err, NULL, 0, "method '%s' does not forecast from history",
			    bess_fc_method_name(o->method[m]));
			bess_fcr_free(r);
			return NULL;
		}
		if (o->method[m] == BESS_FC_SEASONAL && !haveref) {
			r->ref = m;
			haveref = 1;
		}
	}
	r->nm = o->nmethod;
	if (!haveref) {	/* the skill's reference is always scored */
		if (r->nm == BESS_FCR_MAXM) {
			bess_err_set(err, NULL, 0, "too many methods");
			bess_fcr_free(r);
			return NULL;
		}
		r->o.method[r->nm] = BESS_FC_SEASONAL;
		r->ref = r->nm++;
	}
	r->day = (size_t)(24 * BESS_US_PER_H / o->step_us);
	if (o->lead + o->horizon > BESS_FCR_MAX_DAYS * r->day || o->lead + o->horizon > BESS_FCR_MAX_STEPS) {
		bess_err_set(err, NULL, 0, "--lead and --horizon reach more than %s after the issue",
		    o->lead + o->horizon > BESS_FCR_MAX_STEPS ? "100000 steps" : "366 days");
		bess_fcr_free(r);
		return NULL;
	}
	r->h = o->horizon;
	weeks = r->o.weeks;
	if (ew_weeks(r->o.ew_alpha) > weeks)
		weeks = ew_weeks(r->o.ew_alpha);
	if (r->o.profile_days / 7 + 1 > weeks)
		weeks = r->o.profile_days / 7 + 1;
	r->window = (long)(r->day * (size_t)(r->o.fit_days + 2 + 7 * weeks) + o->lead + r->h);
	r->cap = 2 * ((size_t)r->window + o->lead + r->h + r->day);
	if ((r->y = malloc(r->cap * sizeof(double))) == NULL ||
	    (r->lday = malloc(r->cap * sizeof(long))) == NULL ||
	    (r->lweek = malloc(r->cap * sizeof(long))) == NULL ||
	    (r->hod = malloc(r->cap * sizeof(int))) == NULL ||
	    (r->at_issue = malloc(r->cap * sizeof(int))) == NULL)
		goto oom;
	for (m = 0; m < r->nm; m++) {
		r->fc[m] = (struct bess_fc){ r->o.method[m], r->y, NULL, 0, r->day, r->o.profile_days };
		r->fx[m] = (struct bess_fc_ext){ r->lday, r->lweek, r->o.weeks, r->o.ew_alpha, r->o.fit_days,
		    NULL };
		if (r->o.method[m] == BESS_FC_RIDGE) {
			if ((r->model[m] = bess_fc_model_new(o->lead, r->h, 0, o->lambda)) == NULL)
				goto oom;
			r->fx[m].model = r->model[m];
		}
		if ((r->out.fc[m] = malloc(r->h * sizeof(double))) == NULL)
			goto oom;
		for (k = 0; k < BESS_FCR_NQ; k++)
			if ((r->out.q[m][k] = malloc(r->h * sizeof(double))) == NULL)
				goto oom;
	}
	if ((r->out.ts = malloc(r->h * sizeof(bess_time_t))) == NULL)
		goto oom;
	/* each target is forecast by this many issues; keep quantile_days of them per hour */
	step_h = (double)o->step_us / (double)BESS_US_PER_H;
	sph = step_h < 1 ? (size_t)(1 / step_h + 0.5) : 1;
	per = o->issue_min < 0 ? (o->lead + r->h < 24 * sph ? o->lead + r->h : 24 * sph)
	    : (r->h + r->day - 1) / r->day;
	r->ecap = (size_t)r->o.quantile_days * sph * (per > 0 ? per : 1);
	if ((r->err = malloc(r->nm * HODS * r->ecap * sizeof(double))) == NULL ||
	    (r->ehead = calloc(r->nm * HODS, sizeof(size_t))) == NULL ||
	    (r->ecount = calloc(r->nm * HODS, sizeof(size_t))) == NULL ||
	    (r->tmp = malloc(r->ecap * sizeof(double))) == NULL)
		goto oom;
	r->nlead = (size_t)ceil((double)(o->lead + r->h) * step_h - 1e-9);
	if ((r->score = calloc(r->nm * (r->nlead + 1), sizeof(*r->score))) == NULL)
		goto oom;
	r->q_at = LONG_MIN;
	return r;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
	bess_fcr_free(r);
	return NULL;
}

/* Make the buffer hold absolute steps up to end (exclusive), sliding off what the methods no longer reach. */
static int
cover(struct bess_fcr *r, long end)
{
	long b, lo;
	size_t need = (size_t)(end - r->base), m, k, s;
	struct bess_civil c;

	if (end <= r->base + (long)r->len)
		return 0;
	if (need > r->cap) {
		lo = r->next - r->window;
		if (lo <= r->base || (size_t)(end - lo) > r->cap)
			return -1;
		s = (size_t)(lo - r->base);
		memmove(r->y, r->y + s, (r->len - s) * sizeof(double));
		memmove(r->lday, r->lday + s, (r->len - s) * sizeof(long));
		memmove(r->lweek, r->lweek + s, (r->len - s) * sizeof(long));
		memmove(r->hod, r->hod + s, (r->len - s) * sizeof(int));
		memmove(r->at_issue, r->at_issue + s, (r->len - s) * sizeof(int));
		r->len -= s;
		r->base = lo;
		for (k = 0; k < r->len; k++) {
			r->lday[k] = r->lday[k] >= (long)s ? r->lday[k] - (long)s : -1;
			r->lweek[k] = r->lweek[k] >= (long)s ? r->lweek[k] - (long)s : -1;
		}
		for (m = 0; m < r->nm; m++)
			bess_fc_model_reset(r->model[m]);
		need = (size_t)(end - r->base);
	}
	b = (long)r->len;
	bess_fc_links(r->o.tz, r->origin + (bess_time_t)r->base * r->o.step_us, r->o.step_us,
	    (size_t)b, need, r->lday, r->lweek);
	for (k = (size_t)b; k < need; k++) {
		bess_time_t t = r->origin + (bess_time_t)(r->base + (long)k) * r->o.step_us;

		r->y[k] = NAN;
		if (r->o.tz)
			bess_time_to_civil(r->o.tz, t, &c);
		else
			bess_time_to_civil_utc(t, &c);
		r->hod[k] = c.hour;
		r->at_issue[k] = r->o.issue_min < 0 ||
		    (c.hour * 60 + c.min == r->o.issue_min && c.sec == 0 && c.usec == 0);
	}
	r->len = need;
	for (m = 0; m < r->nm; m++)
		r->fc[m].n = r->len;
	return 0;
}

/* Read the quantile table from the recent errors. */
static void
quantiles(struct bess_fcr *r)
{
	size_t m, h, k, n;

	for (m = 0; m < r->nm; m++)
		for (h = 0; h < HODS; h++) {
			size_t b = m * HODS + h;

			n = r->ecount[b];
			memcpy(r->tmp, r->err + b * r->ecap, n * sizeof(double));
			qsort(r->tmp, n, sizeof(double), cmp_double);
			for (k = 0; k < BESS_FCR_NQ; k++)
				r->qtab[m][h][k] = n >= 5 ? bess_fc_quantile_sorted(r->tmp, n, qp[k]) : NAN;
		}
}

/* Forecast every method at absolute step a into fc[m * h + j] and q[(m * NQ + k) * h + j]. */
static void
forecast(struct bess_fcr *r, long a, double *fc, double *q, size_t *empty)
{
	long now = a - r->base, i;
	size_t m, j, k;

	if (r->q_at == LONG_MIN || a - r->q_at >= (long)r->day) {
		quantiles(r);
		r->q_at = a;
	}
	for (m = 0; m < r->nm; m++) {
		if (empty)
			empty[m] = 0;
		for (j = 0; j < r->h; j++) {
			double v;

			i = now + (long)(r->o.lead + j);
			v = bess_fc_at_ext(&r->fc[m], &r->fx[m], (size_t)now, (size_t)i);
			if (r->o.nonneg && v < 0)
				v = 0;
			fc[m * r->h + j] = v;
			if (isnan(v) && empty)
				empty[m]++;
			for (k = 0; k < BESS_FCR_NQ; k++) {
				double qv = v + r->qtab[m][r->hod[i]][k];

				q[(m * BESS_FCR_NQ + k) * r->h + j] = r->o.nonneg && qv < 0 ? 0 : qv;
			}
		}
	}
}

/* A backtest issue at absolute step a (its targets already buffered). */
static int
issue_pending(struct bess_fcr *r, long a)
{
	struct pend *p;

	if (r->npend == r->pcap) {
		size_t nc = bess_grow_cap(r->pcap, r->npend + 1, 4, sizeof(*p)), k;

		if (nc == 0 || (p = realloc(r->pend, nc * sizeof(*p))) == NULL)
			return -1;
		r->pend = p;
		for (k = r->pcap; k < nc; k++) {
			p[k].fc = malloc(r->nm * r->h * sizeof(double));
			p[k].q = malloc(r->nm * BESS_FCR_NQ * r->h * sizeof(double));
			if (p[k].fc == NULL || p[k].q == NULL) {
				r->pcap = k + 1;
				return -1;
			}
		}
		r->pcap = nc;
	}
	p = &r->pend[r->npend++];
	p->issue = a;
	forecast(r, a, p->fc, p->q, NULL);
	r->issues++;
	return 0;
}

/* The actual v of absolute step t scores the pending forecasts for it and joins the errors. */
static void
score(struct bess_fcr *r, long t, double v)
{
	size_t k, m, j, all;
	int hod = r->hod[t - r->base];
	double step_h = (double)r->o.step_us / (double)BESS_US_PER_H;

	for (k = 0; k < r->npend; k++) {
		struct pend *p = &r->pend[k];
		long off = t - p->issue - (long)r->o.lead;
		size_t lh;

		if (off < 0 || off >= (long)r->h || isnan(v))
			continue;
		j = (size_t)off;
		lh = (size_t)floor((double)(t - p->issue) * step_h + 1e-9);
		if (lh >= r->nlead)
			lh = r->nlead - 1;
		all = 1;
		for (m = 0; m < r->nm; m++) {
			double f = p->fc[m * r->h + j];

			if (isnan(f)) {
				all = 0;
				continue;
			}
			/* this method's own recent errors, by hour of day */
			{
				size_t b = m * HODS + (size_t)hod;

				r->err[b * r->ecap + r->ehead[b]] = v - f;
				r->ehead[b] = (r->ehead[b] + 1) % r->ecap;
				if (r->ecount[b] < r->ecap)
					r->ecount[b]++;
			}
		}
		if (!all)
			continue;	/* methods are compared on the same targets */
		if (r->o.scored) {
			double f[BESS_FCR_MAXM];

			for (m = 0; m < r->nm; m++)
				f[m] = p->fc[m * r->h + j];
			r->o.scored(r->o.scored_ctx, r->origin + (bess_time_t)p->issue * r->o.step_us,
			    r->origin + (bess_time_t)t * r->o.step_us, v, f, r->nm);
		}
		for (m = 0; m < r->nm; m++) {
			double e = v - p->fc[m * r->h + j];
			struct bess_fc_score *s[2];
			size_t z, qk;
			int haveq = 1;

			s[0] = &r->score[m * (r->nlead + 1)];
			s[1] = &r->score[m * (r->nlead + 1) + 1 + lh];
			for (qk = 0; qk < BESS_FCR_NQ; qk++)
				haveq &= !isnan(p->q[(m * BESS_FCR_NQ + qk) * r->h + j]);
			for (z = 0; z < 2; z++) {
				s[z]->n++;
				s[z]->sum_abs += fabs(e);
				s[z]->sum_sq += e * e;
				if (!haveq)
					continue;
				s[z]->nq++;
				for (qk = 0; qk < BESS_FCR_NQ; qk++)
					s[z]->under[qk] += v <= p->q[(m * BESS_FCR_NQ + qk) * r->h + j];
			}
		}
	}
	/* forecasts whose last target has passed leave */
	for (k = 0; k < r->npend && r->pend[k].issue + (long)(r->o.lead + r->h) <= t + 1; k++)
		;
	if (k > 0) {
		struct pend *tmp = malloc(k * sizeof(*tmp));

		if (tmp != NULL) {
			memcpy(tmp, r->pend, k * sizeof(*tmp));
			memmove(r->pend, r->pend + k, (r->npend - k) * sizeof(*tmp));
			memcpy(r->pend + (r->npend - k), tmp, k * sizeof(*tmp));
			r->npend -= k;
			free(tmp);
		}
	}
}

/* The absolute step of instant t: 0, or -1 with err. */
static int
abs_step(struct bess_fcr *r, bess_time_t t, long *a, struct bess_err *err)
{
	char buf[BESS_TIME_BUFSZ];

	if (!r->started) {
		r->origin = t;
		r->started = 1;
	}
	if ((t - r->origin) % r->o.step_us != 0)
		return bess_err_set(err, NULL, 0, "%s is not on the grid of %s (step %lld s)",
		    bess_time_format(t, buf), "the first record", r->o.step_us / BESS_US_PER_S);
	*a = (long)((t - r->origin) / r->o.step_us);
	if (*a < r->next)
		return bess_err_set(err, NULL, 0, "%s: times must increase", bess_time_format(t, buf));
	if (r->next > 0 && *a - r->next > BESS_FCR_MAX_GAP)
		return bess_err_set(err, NULL, 0, "%s is more than %d steps after the last record",
		    bess_time_format(t, buf), BESS_FCR_MAX_GAP);
	return 0;
}

int
bess_fcr_push(struct bess_fcr *r, bess_time_t t, double v, struct bess_err *err)
{
	long a, k;

	if (abs_step(r, t, &a, err) != 0)
		return -1;
	for (k = r->next; k <= a; k++) {
		if (cover(r, k + (long)(r->o.lead + r->h)) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		if (r->at_issue[k - r->base] && issue_pending(r, k) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		r->y[k - r->base] = k == a ? v : NAN;
		r->next = k + 1;
		score(r, k, k == a ? v : NAN);
	}
	return 0;
}

const struct bess_fc_issue *
bess_fcr_issue(struct bess_fcr *r, bess_time_t t, struct bess_err *err)
{
	long a, k;
	size_t m, j, q;
	double *fc = NULL, *qq = NULL;

	if (abs_step(r, t, &a, err) != 0)
		return NULL;
	for (k = r->next; k < a; k++)
		if (bess_fcr_push(r, r->origin + (bess_time_t)k * r->o.step_us, NAN, err) != 0)
			return NULL;
	if (cover(r, a + (long)(r->o.lead + r->h)) != 0 ||
	    (fc = malloc(r->nm * r->h * sizeof(double))) == NULL ||
	    (qq = malloc(r->nm * BESS_FCR_NQ * r->h * sizeof(double))) == NULL) {
		free(fc);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	r->q_at = LONG_MIN;	/* the latest errors */
	forecast(r, a, fc, qq, r->out.empty);
	r->out.issued = t;
	r->out.n = r->h;
	for (j = 0; j < r->h; j++)
		r->out.ts[j] = t + (bess_time_t)(r->o.lead + j) * r->o.step_us;
	for (m = 0; m < r->nm; m++) {
		memcpy(r->out.fc[m], fc + m * r->h, r->h * sizeof(double));
		for (q = 0; q < BESS_FCR_NQ; q++)
			memcpy(r->out.q[m][q], qq + (m * BESS_FCR_NQ + q) * r->h, r->h * sizeof(double));
	}
	free(fc);
	free(qq);
	return &r->out;
}

const struct bess_fc_score *
bess_fcr_score(const struct bess_fcr *r, size_t m, long h)
{
	return &r->score[m * (r->nlead + 1) + (size_t)(h + 1)];
}

size_t
bess_fcr_lead_hours(const struct bess_fcr *r)
{
	return r->nlead;
}

size_t
bess_fcr_issues(const struct bess_fcr *r)
{
	return r->issues;
}

size_t
bess_fcr_reference(const struct bess_fcr *r)
{
	return r->ref;
}

size_t
bess_fcr_methods(const struct bess_fcr *r, enum bess_fc_method *m)
{
	memcpy(m, r->o.method, r->nm * sizeof(*m));
	return r->nm;
}
