/* event.c: demand-response events — reading the events file, the like-days baseline, and settling an event against a schedule. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_line.h"
#include "bess_event.h"
#include "bess_qty.h"
#include "bess_rec.h"
#include "bess_table.h"
#include "bess_time.h"
#include "bess_tz.h"

const char *
bess_event_kind_name(enum bess_event_kind k)
{
	return k == BESS_EVENT_CAP ? "cap" : "reduce";
}

void
bess_events_free(struct bess_events *e)
{
	free(e->ev);
	e->ev = NULL;
	e->n = 0;
}

/* Field name of rec as text, "" when missing. */
static const char *
field(const struct bess_schema *s, const struct bess_rec *rec, const char *name)
{
	int i = bess_schema_find(s, name);

	return i < 0 || (size_t)i >= rec->n ? "" : rec->v[i];
}

/* The largest amount (kW, kWh, currency per kWh) an events file may give, as for prices. */
#define EVENT_MAX BESS_QTY_MAX

/* Field name as a number within +-EVENT_MAX: 1 set, 0 missing, -1 error (err filled). */
static int
num(const struct bess_schema *s, const struct bess_rec *rec, const char *name, double *v,
    const char *file, struct bess_err *err)
{
	int i = bess_schema_find(s, name), rc;

	if (i < 0)
		return 0;
	rc = bess_rec_num(rec, i, v);
	if (rc == 1)
		return 0;
	if (rc < 0)
		return bess_err_set(err, file, rec->line, "column '%s': '%s' is not a number", name,
		    rec->v[i]);
	if (!(fabs(*v) <= EVENT_MAX))
		return bess_err_set(err, file, rec->line, "column '%s': '%s' is beyond %g", name,
		    rec->v[i], EVENT_MAX);
	return 1;
}

static int
by_start(const void *a, const void *b)
{
	const struct bess_event *x = a, *y = b;

	return x->start_us < y->start_us ? -1 : x->start_us > y->start_us ? 1 :
	    x->line < y->line ? -1 : x->line > y->line;
}

/* One record into ev; 0 or -1 with err. */
static int
read_event(const struct bess_schema *s, const struct bess_rec *rec, const char *file,
    struct bess_event *ev, struct bess_err *err)
{
	struct bess_tparse tp;
	struct bess_tz *tz = NULL;
	const char *id = field(s, rec, "id"), *zone = field(s, rec, "tz");
	static const char *const tcol[2] = { "start", "end" };
	char why[256];
	double cap, red, v;
	int hc, hr, k;

	memset(ev, 0, sizeof(*ev));
	ev->line = rec->line;
	if (*id == '\0')
		return bess_err_set(err, file, rec->line, "column 'id' is empty");
	if (strlen(id) >= sizeof(ev->id))
		return bess_err_set(err, file, rec->line, "column 'id': longer than %zu bytes",
		    sizeof(ev->id) - 1);
	strcpy(ev->id, id);
	snprintf(ev->tz, sizeof(ev->tz), "%s", *zone ? zone : "UTC");
	if (strlen(zone) >= sizeof(ev->tz))
		return bess_err_set(err, file, rec->line, "column 'tz': '%s' is too long", zone);
	if ((tz = bess_tz_load(ev->tz, err)) == NULL) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return bess_err_set(err, file, rec->line, "column 'tz': %s", msg);
	}
	memset(&tp, 0, sizeof(tp));
	tp.tz = *zone ? tz : NULL;
	for (k = 0; k < 2; k++) {
		const char *txt = field(s, rec, tcol[k]);
		bess_time_t t;

		if (*txt == '\0') {
			bess_tz_free(tz);
			return bess_err_set(err, file, rec->line, "column '%s' is empty", tcol[k]);
		}
		if (bess_time_parse(txt, strlen(txt), &tp, &t, why, sizeof(why)) != BESS_TP_OK) {
			bess_tz_free(tz);
			if (tp.tz == NULL && strstr(why, "no UTC offset") != NULL)
				return bess_err_set(err, file, rec->line, "column '%s': '%s' has no UTC "
				    "offset: add one, or the site's zone in a 'tz' column", tcol[k], txt);
			return bess_err_set(err, file, rec->line, "column '%s': %s", tcol[k], why);
		}
		if (k == 0)
			ev->start_us = t;
		else
			ev->end_us = t;
	}
	bess_tz_free(tz);
	if (ev->end_us <= ev->start_us)
		return bess_err_set(err, file, rec->line, "event '%s': end is not after start", ev->id);
	if ((hc = num(s, rec, "cap_kw", &cap, file, err)) < 0 ||
	    (hr = num(s, rec, "reduce_kwh", &red, file, err)) < 0)
		return -1;
	if (hc == hr)
		return bess_err_set(err, file, rec->line, "event '%s': give one of cap_kw and reduce_kwh",
		    ev->id);
	if (hc) {
		if (cap < 0)
			return bess_err_set(err, file, rec->line, "column 'cap_kw': %g is below 0", cap);
		ev->kind = BESS_EVENT_CAP;
		ev->cap_kw = cap;
	} else {
		if (red < 0)
			return bess_err_set(err, file, rec->line, "column 'reduce_kwh': %g is below 0", red);
		ev->kind = BESS_EVENT_REDUCE;
		ev->reduce_kwh = red;
	}
	ev->payment = ev->penalty = 0;
	if (num(s, rec, "payment", &ev->payment, file, err) < 0 ||
	    num(s, rec, "penalty", &ev->penalty, file, err) < 0)
		return -1;
	if (ev->payment < 0 || ev->penalty < 0)
		return bess_err_set(err, file, rec->line, "event '%s': payment and penalty must not be "
		    "below 0", ev->id);
	ev->baseline_kw = NAN;
	if ((k = num(s, rec, "baseline_kw", &v, file, err)) < 0)
		return -1;
	if (k)
		ev->baseline_kw = v;
	ev->days = BESS_EVENT_DAYS;
	if ((k = num(s, rec, "baseline_days", &v, file, err)) < 0)
		return -1;
	if (k) {
		if (v != floor(v) || v < 1 || v > BESS_EVENT_LOOKBACK_DAYS)
			return bess_err_set(err, file, rec->line, "column 'baseline_days': %g is not a "
			    "whole number of days from 1 to %d", v, BESS_EVENT_LOOKBACK_DAYS);
		ev->days = (int)v;
	}
	ev->high = ev->days;
	if ((k = num(s, rec, "baseline_high", &v, file, err)) < 0)
		return -1;
	if (k) {
		if (v != floor(v) || v < 1 || v > ev->days)
			return bess_err_set(err, file, rec->line, "column 'baseline_high': %g is not a "
			    "whole number from 1 to baseline_days (%d)", v, ev->days);
		ev->high = (int)v;
	}
	return 0;
}

int
bess_events_load(struct bess_events *e, const char *path, struct bess_err *err)
{
	FILE *fp;
	struct bess_reader *r;
	struct bess_rec rec;
	size_t cap = 0, i;
	int rc;

	memset(e, 0, sizeof(*e));
	snprintf(e->file, sizeof(e->file), "%s", path);
	if ((fp = bess_line_open(path, 0, err)) == NULL)
		return -1;
	if ((r = bess_reader_open(fp, path, NULL, err)) == NULL) {
		fclose(fp);
		return -1;
	}
	bess_rec_init(&rec);
	while ((rc = bess_reader_next(r, &rec, err)) == 1) {
		{
			struct bess_event *ne;

			if ((ne = bess_grow(e->ev, &cap, e->n + 1, 8, sizeof(*ne))) == NULL) {
				rc = bess_err_set(err, NULL, 0, "out of memory");
				break;
			}
			e->ev = ne;
		}
		if (read_event(bess_reader_schema(r), &rec, path, &e->ev[e->n], err) != 0) {
			rc = -1;
			break;
		}
		e->n++;
	}
	bess_reader_close(r);
	fclose(fp);
	if (rc < 0) {
		bess_events_free(e);
		return -1;
	}
	if (e->n > 1)
		qsort(e->ev, e->n, sizeof(*e->ev), by_start);
	for (i = 1; i < e->n; i++) {
		size_t j;

		if (e->ev[i].start_us < e->ev[i - 1].end_us) {
			const struct bess_event *a = &e->ev[i - 1], *b = &e->ev[i];

			if (a->line > b->line) {
				const struct bess_event *x = a;

				a = b;
				b = x;
			}
			bess_err_set(err, path, b->line, "event '%s' overlaps event '%s' (line %ld)",
			    b->id, a->id, a->line);
			bess_events_free(e);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(e->ev[i].id, e->ev[j].id) == 0) {
				long l = e->ev[i].line > e->ev[j].line ? e->ev[i].line : e->ev[j].line;

				bess_err_set(err, path, l, "event '%s' is named twice", e->ev[i].id);
				bess_events_free(e);
				return -1;
			}
	}
	return 0;
}

void
bess_event_plans_free(struct bess_event_plan *p, size_t n)
{
	size_t i;

	for (i = 0; p && i < n; i++)
		free(p[i].baseline_kw);
	free(p);
}

/* Index of instant t in hist (exact match), or -1. */
static long
hist_find(const struct bess_load_history *h, bess_time_t t)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->ts[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < h->n && h->ts[lo] == t ? (long)lo : -1;
}

/* The instant showing the wall clock of c on local day `day` (days since the epoch) in tz; the earlier in a fold. */
static bess_time_t
on_day(const struct bess_tz *tz, const struct bess_civil *c, int64_t day)
{
	bess_time_t t[2];
	int64_t local = day * BESS_US_PER_DAY + ((int64_t)c->hour * 3600 + c->min * 60 + c->sec) *
	    BESS_US_PER_S + c->usec;

	bess_tz_local_to_utc(tz, local, t);
	return t[0];
}

/* Is local day `day` (days since the epoch) touched by an event of e? */
static int
event_day(const struct bess_events *e, const struct bess_tz *tz, int64_t day)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		struct bess_civil a, b;
		int64_t da, db;

		bess_time_to_civil(tz, e->ev[i].start_us, &a);
		bess_time_to_civil(tz, e->ev[i].end_us - 1, &b);
		da = bess_days_from_civil(a.year, a.month, a.day);
		db = bess_days_from_civil(b.year, b.month, b.day);
		if (day >= da && day <= db)
			return 1;
	}
	return 0;
}

static int
weekend(int64_t day)
{
	int w = bess_weekday(day);

	return w == 0 || w == 6;
}

/* The like-days baseline of plan p (see bess_event.h). */
static int
like_days(const struct bess_events *e, const struct bess_load_history *h, bess_time_t ts0,
    long long step_us, struct bess_event_plan *p, struct bess_err *err)
{
	const struct bess_event *ev = p->ev;
	struct bess_tz *tz;
	struct bess_civil c0;
	int64_t day0, d;
	int nday = 0, i, j;
	int64_t dayv[BESS_EVENT_LOOKBACK_DAYS];
	double meanv[BESS_EVENT_LOOKBACK_DAYS];
	int pick[BESS_EVENT_LOOKBACK_DAYS];
	size_t k;

	if ((tz = bess_tz_load(ev->tz, err)) == NULL)
		return -1;
	bess_time_to_civil(tz, ts0 + (long long)p->first * step_us, &c0);
	day0 = bess_days_from_civil(c0.year, c0.month, c0.day);
	for (d = day0 - 1; d >= day0 - BESS_EVENT_LOOKBACK_DAYS && nday < ev->days; d--) {
		double sum = 0;

		if (weekend(d) != weekend(day0) || event_day(e, tz, d))
			continue;
		for (k = 0; k < p->m; k++) {
			struct bess_civil c;
			bess_time_t t = ts0 + (long long)(p->first + k) * step_us;
			int64_t dd;
			long x;

			bess_time_to_civil(tz, t, &c);
			dd = bess_days_from_civil(c.year, c.month, c.day) - day0;	/* a window past midnight */
			x = hist_find(h, on_day(tz, &c, d + dd));
			if (x < 0 || isnan(h->net_kw[x]))
				break;
			sum += h->net_kw[x];
		}
		if (k < p->m)
			continue;
		dayv[nday] = d;
		meanv[nday] = sum / (double)p->m;
		pick[nday] = 1;
		nday++;
	}
	if (nday == 0) {
		char tb[BESS_TIME_BUFSZ];

		bess_tz_free(tz);
		return bess_err_set(err, h->file, 0, "event '%s' (%s): no like day in the %d days "
		    "before it has a value at every step of the window", ev->id,
		    bess_time_format(ev->start_us, tb), BESS_EVENT_LOOKBACK_DAYS);
	}
	/* the `high` days of the highest mean (the earlier, i.e. nearer, day first on a tie) */
	for (i = 0; i < nday - ev->high; i++) {
		int lo = -1;

		for (j = 0; j < nday; j++)
			if (pick[j] && (lo < 0 || meanv[j] <= meanv[lo]))
				lo = j;
		pick[lo] = 0;
	}
	p->baseline_days = nday < ev->high ? nday : ev->high;
	for (k = 0; k < p->m; k++) {
		struct bess_civil c;
		bess_time_t t = ts0 + (long long)(p->first + k) * step_us;
		int64_t dd;
		double sum = 0;

		bess_time_to_civil(tz, t, &c);
		dd = bess_days_from_civil(c.year, c.month, c.day) - day0;
		for (j = 0; j < nday; j++)
			if (pick[j])
				sum += h->net_kw[hist_find(h, on_day(tz, &c, dayv[j] + dd))];
		p->baseline_kw[k] = sum / p->baseline_days;
	}
	bess_tz_free(tz);
	return 0;
}

int
bess_event_plan(const struct bess_events *e, bess_time_t ts0, long long step_us, size_t n,
    const struct bess_load_history *hist, struct bess_event_plan **plans, struct bess_err *err)
{
	struct bess_event_plan *p;
	size_t i, k;
	bess_time_t tend = ts0 + (long long)n * step_us;

	*plans = NULL;
	if ((p = calloc(e->n ? e->n : 1, sizeof(*p))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (i = 0; i < e->n; i++) {
		const struct bess_event *ev = &e->ev[i];
		struct bess_event_plan *q = &p[i];
		char ta[BESS_TIME_BUFSZ], tb[BESS_TIME_BUFSZ];

		q->ev = ev;
		q->dt_h = (double)step_us / 3.6e9;
		if (ev->start_us < ts0 || ev->end_us > tend || step_us <= 0) {
			bess_err_set(err, e->file, ev->line, "event '%s': its window is not inside the "
			    "data (%s to %s)", ev->id, bess_time_format(ts0, ta), bess_time_format(tend, tb));
			goto fail;
		}
		q->first = (size_t)((ev->start_us - ts0 + step_us - 1) / step_us);
		q->m = (size_t)((ev->end_us - ts0 + step_us - 1) / step_us) - q->first;
		if (q->m == 0) {
			bess_err_set(err, e->file, ev->line, "event '%s': no step starts inside its window",
			    ev->id);
			goto fail;
		}
		if ((q->baseline_kw = malloc(q->m * sizeof(double))) == NULL) {
			bess_err_set(err, NULL, 0, "out of memory");
			goto fail;
		}
		if (!isnan(ev->baseline_kw)) {
			for (k = 0; k < q->m; k++)
				q->baseline_kw[k] = ev->baseline_kw;
		} else if (hist == NULL || hist->n == 0) {
			bess_err_set(err, e->file, ev->line, "event '%s': no baseline (give baseline_kw, "
			    "or a load history for the like-days baseline)", ev->id);
			goto fail;
		} else if (like_days(e, hist, ts0, step_us, q, err) != 0) {
			goto fail;
		}
		q->baseline_kwh = 0;
		q->requested_kwh = ev->kind == BESS_EVENT_REDUCE ? ev->reduce_kwh : 0;
		for (k = 0; k < q->m; k++) {
			q->baseline_kwh += q->dt_h * q->baseline_kw[k];
			if (ev->kind == BESS_EVENT_CAP)
				q->requested_kwh += q->dt_h * fmax(0, q->baseline_kw[k] - ev->cap_kw);
		}
	}
	*plans = p;
	return 0;
fail:
	bess_event_plans_free(p, e->n);
	return -1;
}

void
bess_event_settle(const struct bess_event_plan *p, const double *import_kw,
    struct bess_event_result *r)
{
	const struct bess_event *ev = p->ev;
	size_t k;
	double over = 0;

	memset(r, 0, sizeof(*r));
	r->baseline_kwh = p->baseline_kwh;
	r->requested_kwh = p->requested_kwh;
	for (k = 0; k < p->m; k++) {
		double imp = import_kw[p->first + k];

		r->import_kwh += p->dt_h * imp;
		r->peak_kw = fmax(r->peak_kw, imp);
		if (ev->kind == BESS_EVENT_CAP)
			over += p->dt_h * fmax(0, imp - ev->cap_kw);
	}
	if (ev->kind == BESS_EVENT_REDUCE)
		over = fmax(0, r->import_kwh - (p->baseline_kwh - p->requested_kwh));
	r->shortfall_kwh = over;
	r->delivered_kwh = r->requested_kwh - over;
	r->payment = ev->payment * r->delivered_kwh;
	r->penalty = ev->penalty * r->shortfall_kwh;
}

void
bess_load_history_free(struct bess_load_history *h)
{
	free(h->ts);
	free(h->net_kw);
	h->ts = NULL;
	h->net_kw = NULL;
	h->n = 0;
}

int
bess_load_history_read(struct bess_load_history *h, const char *path, struct bess_err *err)
{
	struct bess_table t;
	struct bess_reader *r;
	FILE *fp;
	double *load = NULL, *solar = NULL;
	int cl, cs, rc = -1;
	size_t i;

	memset(h, 0, sizeof(*h));
	snprintf(h->file, sizeof(h->file), "%s", path);
	if ((fp = bess_line_open(path, 0, err)) == NULL)
		return -1;
	bess_table_init(&t);
	if ((r = bess_reader_open(fp, path, NULL, err)) == NULL) {
		fclose(fp);
		return -1;
	}
	if (bess_table_read(&t, r, err) != 0)
		goto done;
	if ((cl = bess_table_col(&t, "load_kw")) < 0) {
		bess_err_set(err, path, 0, "no 'load_kw' column (the baseline is of the site's load)");
		goto done;
	}
	cs = bess_table_col(&t, "solar_kw");
	if ((load = malloc((t.n + 1) * sizeof(double))) == NULL ||
	    (solar = malloc((t.n + 1) * sizeof(double))) == NULL ||
	    (h->ts = malloc((t.n + 1) * sizeof(bess_time_t))) == NULL ||
	    (h->net_kw = malloc((t.n + 1) * sizeof(double))) == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		goto done;
	}
	if (bess_table_num(&t, cl, load, err) != 0 || (cs >= 0 && bess_table_num(&t, cs, solar, err) != 0))
		goto done;
	for (i = 0; i < t.n; i++) {
		if (i > 0 && t.ts[i] <= t.ts[i - 1]) {
			bess_err_set(err, t.file[t.src[i]], t.line[i], "times must increase");
			goto done;
		}
		h->ts[i] = t.ts[i];
		h->net_kw[i] = load[i] - (cs >= 0 && !isnan(solar[i]) ? solar[i] : 0);
	}
	h->n = t.n;
	rc = 0;
done:
	if (rc != 0)
		bess_load_history_free(h);
	free(load);
	free(solar);
	bess_table_free(&t);
	bess_reader_close(r);
	fclose(fp);
	return rc;
}

int
bess_load_history_set(struct bess_load_history *h, const bess_time_t *ts, const double *load_kw,
    const double *solar_kw, size_t n, const char *file, struct bess_err *err)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	snprintf(h->file, sizeof(h->file), "%s", file);
	if ((h->ts = malloc((n + 1) * sizeof(bess_time_t))) == NULL ||
	    (h->net_kw = malloc((n + 1) * sizeof(double))) == NULL) {
		bess_load_history_free(h);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	for (i = 0; i < n; i++) {
		h->ts[i] = ts[i];
		h->net_kw[i] = (load_kw ? load_kw[i] : NAN) -
		    (solar_kw && !isnan(solar_kw[i]) ? solar_kw[i] : 0);
	}
	h->n = n;
	return 0;
}
