/* ctl.c: the live controller — an interval-keyed store of what is known, staleness checks, one LP model re-solved warm as time moves on. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_ctl.h"
#include "bess_event.h"
#include "bess_fleet.h"
#include "bess_forecast.h"
#include "bess_mpc.h"
#include "bess_sofar.h"

static const char *const ev_names[BESS_CTL_NQ] = {
	"price", "export_price", "load_kw", "solar_kw", "import_limit_kw", "export_limit_kw"
};

/* What is known for one control interval. */
struct entry {
	int64_t step;			/* interval index: start / step_us */
	double v[BESS_CTL_NQ];		/* NAN = nothing known */
};

/* What the controller knows of one battery. */
struct cbat {
	int have_soc;			/* a SOC was reported */
	double soc;			/* last SOC reported, kWh */
	bess_time_t soc_ts;		/* when it was measured */
};

struct bess_ctl {
	struct bess_fleet f;		/* the batteries (named by their ids when f.given); the terminal
					   rule "init" means at least the SOC a plan starts from */
	struct cbat bat[BESS_FLEET_MAX];	/* what is known of each */
	struct bess_fleet sub;		/* the batteries the model and the plan hold: those whose SOC
					   is fresh (all of them, normally) */
	size_t sub_idx[BESS_FLEET_MAX];	/* sub's battery j is f's battery sub_idx[j] */
	unsigned long long lp_mask;	/* the set of f's batteries the model was built for (bit i) */
	unsigned long long plan_mask;	/* ... and the standing plan */
	const struct bess_site *s;
	const struct bess_tariff *tariff;
	struct bess_ctl_opts o;
	double dt_h;
	struct entry *e;		/* sorted by step */
	size_t ne, cap;
	int seen[BESS_CTL_NQ];		/* a value of this kind arrived */
	bess_time_t upd[BESS_CTL_NQ];	/* when the last one arrived */
	char peak_bill[16];		/* bill the peaks belong to */
	size_t npeak;
	char peak_name[BESS_STATE_MAX_PEAKS][64];
	double peak_kw[BESS_STATE_MAX_PEAKS];
	struct bess_lp *lp;		/* the model, built at the first solve */
	unsigned flags;			/* its structure */
	int64_t lp_step;		/* window start of its last load */
	struct bess_lp_schedule plan;	/* the standing plan */
	int have_plan;
	int64_t plan_step;		/* its first interval */
	size_t plan_len;
	int dirty;			/* something arrived since the plan was made */
	double *icap;			/* the plan's import cap per interval (INFINITY = none) */
	double plan_energy, plan_export, plan_demand, plan_total;	/* the plan's bill over its horizon */
	size_t plan_relaxed;		/* import limits the plan lifted */
	bess_time_t *ts;		/* window buffers, horizon long */
	double *p, *xp, *load, *solar, *il, *el;
	double *fc0;			/* the standing plan's load forecast before the nowcast */
	int64_t fc_step[2];		/* the nowcast's kept forecasts: the intervals of the last two
					   plans' first steps, the later first (INT64_MIN = none) */
	double fc_kw[2];		/* their load forecasts before the nowcast, kW */
	int plan_export_ok;		/* the plan's tariff lets the site export */
	double plan_feed_in_kw;		/* and its feed-in limit, kW */
	int64_t cmd_step;		/* the interval of the last command (INT64_MIN = none) */
	int cmd_safe;			/* it was a safe command (several batteries: every one's was) */
	struct bess_ctl_cmd last[BESS_FLEET_MAX];	/* the interval's commands, one per battery */
	int cmd_export_ok;		/* the site may export in that interval */
	double cmd_power_kw;		/* the battery power last commanded (+ charging), kW */
	double cmd_peak_kw;		/* the peak reached before that interval in its demand period and
					   bill, kW (INFINITY: no demand period) */
	struct bess_sofar bill;		/* the bills so far, settled from the meter's readings */
	char (*bill_period)[64];	/* its demand periods' names (bill.nperiod) */
	int64_t settled;		/* the last interval settled into it (INT64_MIN = none) */
	struct meter *m;		/* readings of the intervals not settled yet, by interval */
	size_t nm, mcap;
	struct bess_events ev;		/* demand-response events (ev.n = 0: none) */
	struct bess_event_plan *evp;	/* laid on the grid of intervals from ev_step0 */
	int64_t ev_step0;		/* the grid's first interval */
	size_t ev_n;			/* its intervals */
	double *ev_past;		/* per grid interval: the import settled there, else the baseline, kW */
};

/* The grid readings of one control interval, summed (its import and export are their means). */
struct meter {
	int64_t step;			/* the interval */
	double imp_kw, exp_kw;		/* readings summed, kW */
	int nimp, nexp;			/* how many */
};

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int
bess_ctl_reads(const char *name)
{
	int q;

	for (q = 0; q < BESS_CTL_NQ; q++)
		if (strcmp(name, ev_names[q]) == 0)
			return 1;
	return strcmp(name, "ts") == 0 || strcmp(name, "soc_kwh") == 0 ||
	    strcmp(name, "soc_pct") == 0 || strcmp(name, "grid_import_kw") == 0 ||
	    strcmp(name, "grid_export_kw") == 0 || strcmp(name, "device") == 0;
}

/*
 * An event from a record; f NULL: one battery of capacity_kwh, the device
 * column ignored; otherwise the device column names one of f's batteries.
 */
static int
parse(const struct bess_schema *s, const struct bess_rec *r, const char *file, const struct bess_fleet *f,
    double capacity_kwh, struct bess_ctl_event *ev, struct bess_err *err)
{
	size_t i;
	int q, have_ts = 0, values = 0;
	double pct = NAN;

	memset(ev, 0, sizeof(*ev));
	ev->device = -1;
	ev->soc_kwh = ev->grid_import_kw = ev->grid_export_kw = NAN;
	for (q = 0; q < BESS_CTL_NQ; q++)
		ev->v[q] = NAN;
	for (i = 0; i < s->n && i < r->n; i++) {
		const char *name = s->name[i];
		double x;
		int rc;

		if (r->kind[i] == BESS_K_NULL || r->len[i] == 0)
			continue;
		if (strcmp(name, "ts") == 0) {
			char why[200];

			if (bess_time_parse(r->v[i], r->len[i], NULL, &ev->ts, why, sizeof(why)) != BESS_TP_OK)
				return bess_err_set(err, file, r->line, "column 'ts': %s", why);
			have_ts = 1;
			continue;
		}
		if (strcmp(name, "device") == 0) {
			size_t d;

			if (f == NULL)
				continue;	/* one battery given the old way: a tag like any other */
			for (d = 0; d < f->n && (strlen(f->id[d]) != r->len[i] ||
			    memcmp(f->id[d], r->v[i], r->len[i]) != 0); d++)
				;
			if (d == f->n)
				return bess_err_set(err, file, r->line, "column 'device': '%.*s' is not a "
				    "battery (--battery)", (int)(r->len[i] > 64 ? 64 : r->len[i]), r->v[i]);
			ev->device = (int)d;
			continue;
		}
		if (!bess_ctl_reads(name))
			continue;	/* not ours: topic, a BMS's cell voltages, ... */
		for (q = 0; q < BESS_CTL_NQ && strcmp(name, ev_names[q]) != 0; q++)
			;
		if ((rc = bess_rec_num(r, (int)i, &x)) < 0)
			return bess_err_set(err, file, r->line, "column '%s': '%s' is not a number", name, r->v[i]);
		if (rc > 0)
			continue;
		values++;
		if (q < BESS_CTL_NQ)
			ev->v[q] = x;
		else if (strcmp(name, "soc_kwh") == 0)
			ev->soc_kwh = x;
		else if (strcmp(name, "soc_pct") == 0)
			pct = x;
		else if (strcmp(name, "grid_export_kw") == 0)
			ev->grid_export_kw = x;
		else
			ev->grid_import_kw = x;
	}
	if (!have_ts)
		return bess_err_set(err, file, r->line, "a record without 'ts'");
	if (f && f->n > 1 && ev->device < 0 && (!isnan(ev->soc_kwh) || !isnan(pct)))
		return bess_err_set(err, file, r->line, "a soc reading without 'device' (%zu batteries: "
		    "say which)", f->n);
	if (f && ev->device >= 0)
		capacity_kwh = f->bat[ev->device].capacity_kwh;
	if (isnan(ev->soc_kwh) && !isnan(pct))
		ev->soc_kwh = capacity_kwh * pct / 100;
	ev->clock = !isnan(ev->soc_kwh) || values == 0;
	return 0;
}

int
bess_ctl_parse(const struct bess_schema *s, const struct bess_rec *r, const char *file,
    double capacity_kwh, struct bess_ctl_event *ev, struct bess_err *err)
{
	return parse(s, r, file, NULL, capacity_kwh, ev, err);
}

int
bess_ctl_parse_for(const struct bess_ctl *c, const struct bess_schema *s, const struct bess_rec *r,
    const char *file, struct bess_ctl_event *ev, struct bess_err *err)
{
	return parse(s, r, file, c->f.given ? &c->f : NULL, c->f.bat[0].capacity_kwh, ev, err);
}

size_t
bess_ctl_batteries(const struct bess_ctl *c)
{
	return c->f.n;
}

int
bess_ctl_read_all(const struct bess_ctl *c, struct bess_reader *r, const char *name,
    struct bess_ctl_events *e, struct bess_err *err)
{
	struct bess_rec rec;	/* points into the reader: nothing to free */
	int got;

	bess_rec_init(&rec);
	while ((got = bess_reader_next(r, &rec, err)) > 0) {
		struct bess_ctl_event ev, *ne;

		if (bess_ctl_parse_for(c, bess_reader_schema(r), &rec, name, &ev, err) != 0)
			return -1;
		if ((ne = realloc(e->ev, (e->n + 1) * sizeof(*ne))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		e->ev = ne;
		e->ev[e->n++] = ev;
		if (ev.clock && (!e->have_latest || ev.ts > e->latest)) {
			e->latest = ev.ts;
			e->have_latest = 1;
		}
	}
	return got < 0 ? -1 : 0;
}

void
bess_ctl_free(struct bess_ctl *c)
{
	if (c == NULL)
		return;
	bess_lp_free(c->lp);
	bess_lp_schedule_free(&c->plan);
	free(c->e);
	free(c->ts);
	free(c->p);
	free(c->xp);
	free(c->load);
	free(c->solar);
	free(c->il);
	free(c->el);
	free(c->icap);
	free(c->fc0);
	bess_sofar_free(&c->bill);
	free(c->bill_period);
	free(c->m);
	bess_event_plans_free(c->evp, c->ev.n);
	bess_events_free(&c->ev);
	free(c->ev_past);
	free(c);
}

struct bess_ctl *
bess_ctl_new_fleet(const struct bess_fleet *f, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_ctl_opts *o, struct bess_err *err)
{
	struct bess_ctl *c;
	size_t h = o->horizon;

	if (h == 0 || o->step_us <= 0) {
		bess_err_set(err, NULL, 0, "the horizon must hold at least one interval");
		return NULL;
	}
	if (f->n < 1 || f->n > BESS_FLEET_MAX || f->n > BESS_STATE_MAX_BATTERIES) {
		bess_err_set(err, NULL, 0, "%zu batteries: 1 to %d", f->n, BESS_FLEET_MAX);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto oom;
	/* "init": at least the SOC reported when a plan is made (the LP's window start) */
	c->f = *f;
	c->f.given = f->given && f->n > 1;	/* one --battery: the single-battery options' battery */
	c->s = s;
	c->tariff = tariff;
	c->o = *o;
	c->dt_h = (double)o->step_us / 3.6e9;
	if (bess_lp_schedule_init_n(&c->plan, h, f->n) != 0 ||
	    (c->ts = calloc(h, sizeof(bess_time_t))) == NULL ||
	    (c->p = calloc(h, sizeof(double))) == NULL || (c->xp = calloc(h, sizeof(double))) == NULL ||
	    (c->load = calloc(h, sizeof(double))) == NULL ||
	    (c->solar = calloc(h, sizeof(double))) == NULL ||
	    (c->il = calloc(h, sizeof(double))) == NULL || (c->el = calloc(h, sizeof(double))) == NULL ||
	    (c->icap = calloc(h, sizeof(double))) == NULL ||
	    (c->fc0 = calloc(h, sizeof(double))) == NULL)
		goto oom;
	c->fc_step[0] = c->fc_step[1] = INT64_MIN;
	c->cmd_step = INT64_MIN;
	c->settled = INT64_MIN;
	{	/* the tariff's demand periods, for the bills so far */
		struct bess_rates r;
		struct bess_err e2;
		bess_time_t t0 = 0;
		double zero = 0;
		size_t np = 0;

		if (tariff && bess_rates_build(&r, tariff, &t0, 1, o->step_us, &zero, NULL, s, &e2) == 0) {
			np = r.nperiod;
			if ((c->bill_period = calloc(np + 1, sizeof(*c->bill_period))) != NULL)
				memcpy(c->bill_period, r.period_name, np * sizeof(*c->bill_period));
			bess_rates_free(&r);
			if (c->bill_period == NULL)
				goto oom;
		}
		if (bess_sofar_init(&c->bill, np, NULL, BESS_STATE_MAX_BILLS) != 0)
			goto oom;
	}
	return c;
oom:
	bess_ctl_free(c);
	bess_err_set(err, NULL, 0, "out of memory");
	return NULL;
}

struct bess_ctl *
bess_ctl_new(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_ctl_opts *o, struct bess_err *err)
{
	struct bess_fleet *f = calloc(1, sizeof(*f));
	struct bess_ctl *c;

	if (f == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	f->n = 1;
	f->bat[0] = *b;
	f->capacity_kwh = b->capacity_kwh;
	c = bess_ctl_new_fleet(f, s, tariff, o, err);
	free(f);
	return c;
}

/* Index of the first entry with step >= k. */
static size_t
lower(const struct bess_ctl *c, int64_t k)
{
	size_t lo = 0, hi = c->ne;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->e[mid].step < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry of interval k, created (all unknown) if needed; NULL when out of memory. */
static struct entry *
entry_at(struct bess_ctl *c, int64_t k)
{
	size_t i = lower(c, k);
	int q;

	if (i < c->ne && c->e[i].step == k)
		return &c->e[i];
	if (c->ne == c->cap) {
		size_t nc = c->cap ? 2 * c->cap : 256;
		struct entry *ne = realloc(c->e, nc * sizeof(*ne));

		if (ne == NULL)
			return NULL;
		c->e = ne;
		c->cap = nc;
	}
	memmove(&c->e[i + 1], &c->e[i], (c->ne - i) * sizeof(*c->e));
	c->ne++;
	c->e[i].step = k;
	for (q = 0; q < BESS_CTL_NQ; q++)
		c->e[i].v[q] = NAN;
	return &c->e[i];
}

/* The demand period name and bill label of the interval starting at t; 0, or -1 if none. */
static int
period_of(const struct bess_ctl *c, bess_time_t t, char *name, size_t nlen, char *bill, size_t blen)
{
	struct bess_rates r;
	struct bess_err err;
	double zero = 0;
	int rc = -1;

	if (c->tariff == NULL)
		return -1;
	if (bess_rates_build(&r, c->tariff, &t, 1, c->o.step_us, &zero, NULL, c->s, &err) != 0)
		return -1;
	if (r.period[0] >= 0) {
		snprintf(name, nlen, "%s", r.period_name[r.period[0]]);
		snprintf(bill, blen, "%s", r.bill_label[0]);
		rc = 0;
	}
	bess_rates_free(&r);
	return rc;
}

int
bess_ctl_events(struct bess_ctl *c, const char *events_path, const char *baseline_path,
    struct bess_err *err)
{
	struct bess_load_history h;
	int64_t a, b;
	size_t i, j;
	int rc;

	memset(&h, 0, sizeof(h));
	if (bess_events_load(&c->ev, events_path, err) != 0)
		return -1;
	if (c->ev.n == 0)
		return 0;
	if (baseline_path && bess_load_history_read(&h, baseline_path, err) != 0)
		return -1;
	/* the grid: from a horizon before the first event (earlier windows see none) to the last's end */
	a = floor_div(c->ev.ev[0].start_us, c->o.step_us) - (int64_t)c->o.horizon;
	b = a;
	for (i = 0; i < c->ev.n; i++)
		b = b > floor_div(c->ev.ev[i].end_us - 1, c->o.step_us) + 1 ?
		    b : floor_div(c->ev.ev[i].end_us - 1, c->o.step_us) + 1;
	if (a < 0)
		a = 0;
	c->ev_step0 = a;
	c->ev_n = (size_t)(b - a);
	rc = bess_event_plan(&c->ev, a * c->o.step_us, c->o.step_us, c->ev_n, h.n ? &h : NULL, &c->evp, err);
	bess_load_history_free(&h);
	if (rc != 0) {
		bess_events_free(&c->ev);	/* (no plans: nothing laid) */
		return -1;
	}
	if ((c->ev_past = calloc(c->ev_n + 1, sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (i = 0; i < c->ev.n; i++)	/* an interval with no reading counts at its baseline */
		for (j = 0; j < c->evp[i].m; j++)
			c->ev_past[c->evp[i].first + j] = c->evp[i].baseline_kw[j];
	c->dirty = 1;
	return 0;
}

/* A grid reading into its interval's meter entry (an interval settled already: ignored). 0 or -1. */
static int
meter_reading(struct bess_ctl *c, const struct bess_ctl_event *ev)
{
	int64_t k = floor_div(ev->ts, c->o.step_us);
	size_t i;

	if (c->settled != INT64_MIN && k <= c->settled)
		return 0;
	for (i = c->nm; i > 0 && c->m[i - 1].step > k; i--)
		;
	if (i == 0 || c->m[i - 1].step != k) {
		if (c->nm == c->mcap) {
			size_t nc = c->mcap ? 2 * c->mcap : 16;
			struct meter *nm = realloc(c->m, nc * sizeof(*nm));

			if (nm == NULL)
				return -1;
			c->m = nm;
			c->mcap = nc;
		}
		memmove(&c->m[i + 1], &c->m[i], (c->nm - i) * sizeof(*c->m));
		c->nm++;
		memset(&c->m[i], 0, sizeof(c->m[i]));
		c->m[i].step = k;
		i++;
	}
	if (!isnan(ev->grid_import_kw)) {
		c->m[i - 1].imp_kw += ev->grid_import_kw;
		c->m[i - 1].nimp++;
	}
	if (!isnan(ev->grid_export_kw)) {
		c->m[i - 1].exp_kw += ev->grid_export_kw;
		c->m[i - 1].nexp++;
	}
	return 0;
}

int
bess_ctl_apply(struct bess_ctl *c, const struct bess_ctl_event *ev, bess_time_t now,
    struct bess_err *err)
{
	int q, any = 0, refused = 0;
	struct cbat *cb = &c->bat[ev->device >= 0 && (size_t)ev->device < c->f.n ? ev->device : 0];

	if (!isnan(ev->soc_kwh) && ev->device < 0 && c->f.n > 1) {
		/* (bess_ctl_parse_for refuses it at its line; an event made otherwise) */
		bess_err_set(err, NULL, 0, "a soc reading without a device (%zu batteries): ignored", c->f.n);
		refused = 1;
	} else if (!isnan(ev->soc_kwh) && ev->ts > now + BESS_CTL_AHEAD_US) {
		/*
		 * A reading dated ahead of the clock (a device whose clock runs
		 * fast) would never go stale, and would shut out every true
		 * reading after it: refused; the event's other fields still count.
		 */
		char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];

		bess_err_set(err, NULL, 0, "a soc reading dated %s, ahead of the clock (%s): ignored",
		    bess_time_format(ev->ts, a), bess_time_format(now, b));
		refused = 1;
	} else if (!isnan(ev->soc_kwh) && (!cb->have_soc || ev->ts >= cb->soc_ts ||
	    cb->soc_ts > now + BESS_CTL_AHEAD_US)) {
		/* (a kept reading dated ahead of the clock, from a state file, gives way) */
		cb->soc = ev->soc_kwh;
		cb->soc_ts = ev->ts;
		cb->have_soc = 1;
		c->dirty = 1;
	}
	if (!isnan(ev->grid_import_kw)) {
		char name[64], bill[16];
		size_t i;

		if (period_of(c, floor_div(ev->ts, c->o.step_us) * c->o.step_us, name, sizeof(name),
		    bill, sizeof(bill)) == 0) {
			if (strcmp(bill, c->peak_bill) != 0) {
				snprintf(c->peak_bill, sizeof(c->peak_bill), "%s", bill);
				c->npeak = 0;
			}
			for (i = 0; i < c->npeak && strcmp(c->peak_name[i], name) != 0; i++)
				;
			if (i == c->npeak && i < BESS_STATE_MAX_PEAKS) {
				snprintf(c->peak_name[i], sizeof(c->peak_name[i]), "%s", name);
				c->peak_kw[i] = 0;
				c->npeak++;
			}
			if (i < c->npeak && ev->grid_import_kw > c->peak_kw[i]) {
				c->peak_kw[i] = ev->grid_import_kw;
				c->dirty = 1;
			}
		}
	}
	if ((!isnan(ev->grid_import_kw) || !isnan(ev->grid_export_kw)) && meter_reading(c, ev) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (q = 0; q < BESS_CTL_NQ; q++)
		any |= !isnan(ev->v[q]);
	if (any) {
		struct entry *e = entry_at(c, floor_div(ev->ts, c->o.step_us));

		if (e == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		for (q = 0; q < BESS_CTL_NQ; q++)
			if (!isnan(ev->v[q])) {
				e->v[q] = ev->v[q];
				c->seen[q] = 1;
				c->upd[q] = now;
			}
		c->dirty = 1;
	}
	return refused;
}

/* Does interval t have an import price: its own, or a tariff energy rate that replaces the column? */
static int
priced(const struct bess_ctl *c, bess_time_t t, double p)
{
	struct bess_civil cv;
	int tp;

	if (!isnan(p))
		return 1;
	if (c->tariff == NULL || c->tariff->energy_add)
		return 0;
	bess_time_to_civil(c->tariff->tz, t, &cv);
	tp = bess_tariff_match(c->tariff, &cv);
	return tp >= 0 && !isnan(c->tariff->period[tp].energy);
}

/*
 * Fill the window buffers from interval k; returns the number of intervals
 * priced in a row. A value applies from its interval until the next record
 * of that quantity; the last one for as long as the one before it did (one
 * interval if it is alone); load and solar are held until newer ones.
 */
static size_t
window(struct bess_ctl *c, int64_t k)
{
	double cur[BESS_CTL_NQ];
	int64_t cur_step[BESS_CTL_NQ], last[BESS_CTL_NQ], span[BESS_CTL_NQ];
	size_t i, j, len = 0;
	int q;

	for (q = 0; q < BESS_CTL_NQ; q++) {
		cur[q] = NAN;
		cur_step[q] = last[q] = INT64_MIN;
		span[q] = 1;
	}
	for (i = 0; i < c->ne; i++)	/* the last record of each quantity, and its span */
		for (q = 0; q < BESS_CTL_NQ; q++)
			if (!isnan(c->e[i].v[q])) {
				span[q] = last[q] == INT64_MIN ? 1 : c->e[i].step - last[q];
				last[q] = c->e[i].step;
			}
	i = 0;
	for (j = 0; j < c->o.horizon; j++) {
		int64_t s = k + (int64_t)j;
		bess_time_t t = s * c->o.step_us;
		double v[BESS_CTL_NQ];

		for (; i < c->ne && c->e[i].step <= s; i++)
			for (q = 0; q < BESS_CTL_NQ; q++)
				if (!isnan(c->e[i].v[q])) {
					cur[q] = c->e[i].v[q];
					cur_step[q] = c->e[i].step;
				}
		for (q = 0; q < BESS_CTL_NQ; q++)
			v[q] = q == BESS_CTL_LOAD || q == BESS_CTL_SOLAR || cur_step[q] < last[q] ||
			    s < cur_step[q] + span[q] ? cur[q] : NAN;
		c->ts[j] = t;
		c->p[j] = v[BESS_CTL_PRICE];
		if (!priced(c, t, c->p[j]))
			break;
		c->xp[j] = v[BESS_CTL_EXPORT_PRICE];
		c->load[j] = isnan(v[BESS_CTL_LOAD]) ? 0 : v[BESS_CTL_LOAD];
		c->solar[j] = isnan(v[BESS_CTL_SOLAR]) || v[BESS_CTL_SOLAR] < 0 ? 0 : v[BESS_CTL_SOLAR];
		c->il[j] = v[BESS_CTL_IMPORT_LIMIT];
		c->el[j] = v[BESS_CTL_EXPORT_LIMIT];
		len++;
	}
	return len;
}

/* The load known now for interval k: its latest record, or the one held from before it (NAN = none). */
static double
load_known(const struct bess_ctl *c, int64_t k)
{
	size_t i = lower(c, k + 1);

	while (i-- > 0)
		if (!isnan(c->e[i].v[BESS_CTL_LOAD]))
			return c->e[i].v[BESS_CTL_LOAD];
	return NAN;
}

/*
 * The nowcast of a plan at interval k over the window's len steps: keep
 * the forecast of interval k (before any correction) and correct the
 * window by the miss of interval k-1's kept forecast, if any.
 */
static void
nowcast(struct bess_ctl *c, int64_t k, size_t len)
{
	double known, fc = NAN;

	if (c->fc_step[0] != k) {	/* the first plan in this interval: the one before becomes "previous" */
		if (c->fc_step[0] == k - 1) {
			c->fc_step[1] = c->fc_step[0];
			c->fc_kw[1] = c->fc_kw[0];
		} else if (c->have_plan && c->plan_step <= k - 1 && k - 1 < c->plan_step + (int64_t)c->plan_len) {
			c->fc_step[1] = k - 1;	/* a standing plan made earlier covered it */
			c->fc_kw[1] = c->fc0[k - 1 - c->plan_step];
		} else {
			c->fc_step[1] = INT64_MIN;
		}
	}
	c->fc_step[0] = k;
	c->fc_kw[0] = c->load[0];
	memcpy(c->fc0, c->load, len * sizeof(double));
	if (c->fc_step[1] == k - 1 && !isnan(known = load_known(c, k - 1)))
		fc = c->fc_kw[1];
	if (!isnan(fc))
		bess_fc_nowcast(c->load, len, known - fc, c->dt_h, c->o.nowcast_h);
}

/* Drop intervals too old to matter (older than the stale limit, and a day). */
static void
purge(struct bess_ctl *c, int64_t k)
{
	int64_t keep = floor_div(c->o.stale_us, c->o.step_us) + 1, day = floor_div(24 * BESS_US_PER_H, c->o.step_us);
	size_t i;

	if (keep < day)
		keep = day;
	i = lower(c, k - keep);
	if (i > 0) {
		memmove(c->e, c->e + i, (c->ne - i) * sizeof(*c->e));
		c->ne -= i;
	}
}

/* Battery i's safe command: idle, or steer its SOC to the safe target when the SOC is known. */
static void
safe(const struct bess_ctl *c, size_t i, struct bess_ctl_cmd *cmd, int soc_ok, const char *why)
{
	const struct bess_battery *b = &c->f.bat[i];

	snprintf(cmd->reason, sizeof(cmd->reason), "%s", why);
	cmd->safe = 1;
	cmd->charge_kw = cmd->discharge_kw = 0;
	cmd->plan_soc_kwh = NAN;
	cmd->grid_target_kw = cmd->import_cap_kw = NAN;
	if (c->o.safe_hold && soc_ok) {
		double target = c->o.safe_in_pct ? b->capacity_kwh * c->o.safe_soc_pct / 100 : c->o.safe_soc_kwh;
		double start = c->bat[i].soc * bess_battery_keep(b, c->dt_h), diff = target - start;

		if (diff > 0)
			cmd->charge_kw = fmin(b->charge_kw, bess_battery_charge_kw(b, c->dt_h, diff));
		else if (diff < 0)
			cmd->discharge_kw = fmin(b->discharge_kw, bess_battery_discharge_kw(b, c->dt_h, -diff));
	}
}

/* Every battery of mask: its safe command, for a reason of the site's (the SOC is known). */
static void
site_safe(const struct bess_ctl *c, struct bess_ctl_cmd *cmds, unsigned long long mask, const char *why)
{
	size_t i;

	for (i = 0; i < c->f.n; i++)
		if (mask >> i & 1)
			safe(c, i, &cmds[i], 1, why);
}

/* Step j of the standing plan for its battery b (of sub). */
static void
from_plan(const struct bess_ctl *c, size_t j, size_t b, struct bess_ctl_cmd *cmd)
{
	cmd->charge_kw = c->plan.bat_charge_kw[b][j];
	cmd->discharge_kw = c->plan.bat_discharge_kw[b][j];
	cmd->plan_soc_kwh = c->plan.bat_soc_kwh[b][j];
	cmd->horizon_steps = c->plan_len - j;
	cmd->grid_target_kw = c->plan.import_kw[j] - c->plan.export_kw[j];
	cmd->import_cap_kw = c->icap[j];
	cmd->relaxed_steps = c->plan_relaxed;
}

/* The bill label of the interval starting at t into bill[16]; 0, or -1. */
static int
bill_at(const struct bess_ctl *c, bess_time_t t, char *bill)
{
	struct bess_rates r;
	struct bess_err err;
	double zero = 0;

	if (bess_rates_build(&r, c->tariff, &t, 1, c->o.step_us, &zero, NULL, c->s, &err) != 0)
		return -1;
	memcpy(bill, r.bill_label[0], 16);
	bess_rates_free(&r);
	return 0;
}

/*
 * Settle the metered intervals before k into the bills so far, as a
 * backtest settles its steps: each at the prices known for it, its
 * import and export the means of its readings. 0, or -1 (out of memory).
 */
static int
settle(struct bess_ctl *c, int64_t k)
{
	size_t i;

	for (i = 0; i < c->nm && c->m[i].step < k; i++) {
		const struct meter *m = &c->m[i];
		bess_time_t t = m->step * c->o.step_us;
		struct bess_rates r;
		struct bess_sofar_step st;
		struct bess_err err;
		double p = NAN, xp = NAN, zero = 0;
		long long win_us;

		if (window(c, m->step) > 0) {
			p = c->p[0];
			xp = c->xp[0];
		}
		if (bess_rates_build(&r, c->tariff, &t, 1, c->o.step_us, &p,
		    c->seen[BESS_CTL_EXPORT_PRICE] ? &xp : NULL, c->s, &err) != 0 &&
		    bess_rates_build(&r, c->tariff, &t, 1, c->o.step_us, &zero, NULL, c->s, &err) != 0)
			continue;	/* (no price: the interval is not billed here) */
		bess_sofar_step_of(&r, 0, &st);
		win_us = c->tariff ? (long long)c->tariff->demand_window_s * BESS_US_PER_S : 0;
		if (win_us > c->o.step_us && r.nperiod == c->bill.nperiod) {	/* the window of the whole demand window */
			int64_t pos = floor_div(t, c->o.step_us) - floor_div(t, win_us) * (win_us / c->o.step_us);

			st.win_n = (int)(win_us / c->o.step_us);
			st.win_last = pos == st.win_n - 1;
		}
		if (r.nperiod != c->bill.nperiod)
			st.period = -1;
		if (bess_sofar_step(&c->bill, &st, m->nimp ? m->imp_kw / m->nimp : 0,
		    m->nexp ? m->exp_kw / m->nexp : 0) != 0) {
			bess_rates_free(&r);
			return -1;
		}
		bess_rates_free(&r);
		if (c->ev_past && m->step >= c->ev_step0 && m->step - c->ev_step0 < (int64_t)c->ev_n) {
			c->ev_past[m->step - c->ev_step0] = m->nimp ? m->imp_kw / m->nimp : 0;
		}
		c->settled = m->step;
		c->dirty = 1;	/* a plan from now on knows this interval's bill */
	}
	if (i > 0) {	/* c->m is NULL before the first reading: memmove(NULL, ...) is undefined */
		memmove(c->m, c->m + i, (c->nm - i) * sizeof(*c->m));
		c->nm -= i;
	}
	return 0;
}

/* Step j of the standing plan for each battery it holds. */
static void
plan_cmds(const struct bess_ctl *c, size_t j, struct bess_ctl_cmd *cmds)
{
	size_t b;

	for (b = 0; b < c->sub.n; b++)
		from_plan(c, j, b, &cmds[c->sub_idx[b]]);
}

/* Why battery i cannot follow a plan at instant t (its SOC), or NULL. */
static const char *
soc_trouble(const struct bess_ctl *c, size_t i, bess_time_t t, char *why, size_t wlen)
{
	const struct cbat *cb = &c->bat[i];
	char tb[BESS_TIME_BUFSZ];

	if (!cb->have_soc)
		return "no soc reported yet";
	if (t - cb->soc_ts > c->o.stale_us) {
		snprintf(why, wlen, "the soc is stale (last reported at %s)", bess_time_format(cb->soc_ts, tb));
		return why;
	}
	if (cb->soc_ts - t > c->o.step_us + BESS_CTL_AHEAD_US) {
		/* measured after the interval ends (a --state file's soc_ts of 2099): no reading at all */
		snprintf(why, wlen, "the soc is dated in the future (%s)", bess_time_format(cb->soc_ts, tb));
		return why;
	}
	return NULL;
}

/* The batteries of mask as sub, the set a model and its plan hold. */
static void
set_sub(struct bess_ctl *c, unsigned long long mask)
{
	size_t i;

	c->sub.n = 0;
	c->sub.given = c->f.given;
	c->sub.capacity_kwh = 0;
	for (i = 0; i < c->f.n; i++)
		if (mask >> i & 1) {
			c->sub.bat[c->sub.n] = c->f.bat[i];
			memcpy(c->sub.id[c->sub.n], c->f.id[i], sizeof(c->sub.id[0]));
			c->sub.capacity_kwh += c->f.bat[i].capacity_kwh;
			c->sub_idx[c->sub.n++] = i;
		}
}

/* Why a window has no schedule (bess_lp_diagnose for the batteries of sub). */
static void
diagnose(const struct bess_ctl *c, const struct bess_lp_input *in, size_t len, char *why, size_t wlen)
{
	if (c->sub.n == 1)
		bess_lp_diagnose(&c->sub.bat[0], c->s, in, len, why, wlen);
	else
		bess_lp_diagnose_n(c->sub.bat, c->sub.n, c->s, in, len, why, wlen);
}

static int
command(struct bess_ctl *c, bess_time_t t, struct bess_ctl_cmd *cmds, struct bess_err *err)
{
	int64_t k = floor_div(t, c->o.step_us);
	bess_time_t start = k * c->o.step_us;
	char tb[BESS_TIME_BUFSZ], why[360];
	struct bess_rates r;
	struct bess_lp_input in;
	struct bess_lp_opts lo;
	struct bess_lp_result res;
	double peak[BESS_STATE_MAX_PEAKS + 1], soc0[BESS_FLEET_MAX];
	size_t len, p, i, nb = c->f.n, lossy = 0;
	unsigned long long mask = 0;
	unsigned need;
	int q, warm = 0;
	double tilt = 0, *full_rate = NULL, *floor_kw = NULL, *billed = NULL;
	const struct bess_bill *so_far = NULL;

	if (settle(c, k) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	purge(c, k);
	len = window(c, k);
	for (i = 0; i < nb; i++) {
		struct bess_ctl_cmd *cmd = &cmds[i];
		const char *trouble;

		memset(cmd, 0, sizeof(*cmd));
		cmd->ts = start;
		cmd->soc_kwh = c->bat[i].have_soc ? c->bat[i].soc : NAN;
		cmd->plan_soc_kwh = NAN;
		cmd->price = len > 0 ? c->p[0] : NAN;
		cmd->grid_target_kw = cmd->import_cap_kw = NAN;
		if (c->f.given)
			snprintf(cmd->device, sizeof(cmd->device), "%s", c->f.id[i]);
		/* a battery without a fresh SOC gets its safe command; the others go on without it */
		if ((trouble = soc_trouble(c, i, t, why, sizeof(why))) != NULL)
			safe(c, i, cmd, 0, trouble);
		else
			mask |= 1ULL << i;
	}
	if (mask == 0)
		return 0;
	if (len == 0) {
		snprintf(why, sizeof(why), "no price for the interval starting at %s",
		    bess_time_format(start, tb));
		site_safe(c, cmds, mask, why);
		return 0;
	}
	for (q = BESS_CTL_LOAD; q <= BESS_CTL_SOLAR; q++)
		if (c->seen[q] && t - c->upd[q] > c->o.stale_us) {
			snprintf(why, sizeof(why), "the %s forecast is stale (last update at %s)",
			    q == BESS_CTL_LOAD ? "load" : "solar", bess_time_format(c->upd[q], tb));
			site_safe(c, cmds, mask, why);
			return 0;
		}
	if (!c->dirty && c->have_plan && mask == c->plan_mask && k >= c->plan_step &&
	    (size_t)(k - c->plan_step) < c->plan_len) {
		plan_cmds(c, (size_t)(k - c->plan_step), cmds);
		return 0;
	}

	/* re-optimise over the intervals whose prices are known, with the batteries of mask */
	set_sub(c, mask);
	if (c->plan.nbat != c->sub.n) {
		bess_lp_schedule_free(&c->plan);
		c->have_plan = 0;
		if (bess_lp_schedule_init_n(&c->plan, c->o.horizon, c->sub.n) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
	}
	if (c->o.nowcast_h > 0 && c->seen[BESS_CTL_LOAD])
		nowcast(c, k, len);
	if (bess_rates_build(&r, c->tariff, c->ts, len, c->o.step_us, c->p,
	    c->seen[BESS_CTL_EXPORT_PRICE] ? c->xp : NULL, c->s, err) != 0) {
		site_safe(c, cmds, mask, err->msg);
		return 0;
	}
	if (c->o.amortize && r.nperiod > 0) {
		double share = bess_setpoint_share(c->tariff, start, start + (bess_time_t)len * c->o.step_us);

		if ((full_rate = malloc(r.nperiod * sizeof(double))) == NULL) {
			bess_rates_free(&r);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
		for (p = 0; p < r.nperiod; p++) {
			full_rate[p] = r.demand_rate[p];
			r.demand_rate[p] *= share;
		}
	}
	/* the tie-break must stay below the loss of a cycle of every battery: the least lossy decides */
	for (i = 1; i < c->sub.n; i++)
		if (c->sub.bat[i].eta_charge * c->sub.bat[i].eta_discharge >
		    c->sub.bat[lossy].eta_charge * c->sub.bat[lossy].eta_discharge)
			lossy = i;
	if (c->o.setpoint != BESS_SETPOINT_BATTERY)
		tilt = bess_setpoint_tilt(&c->sub.bat[lossy], r.price, r.export_price, len);
	/* the bills so far: blocks, minimum and export cap of the current bill, ratchet floors */
	if ((floor_kw = calloc(r.nbill * r.nperiod + 1, sizeof(double))) == NULL ||
	    (billed = calloc(r.nperiod + 1, sizeof(double))) == NULL) {
		free(floor_kw);
		free(full_rate);
		bess_rates_free(&r);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	if (r.nperiod == c->bill.nperiod)
		so_far = bess_sofar_window(&c->bill, r.bill_label[0], &r, billed, floor_kw);
	for (p = 0; p < r.nperiod && p < BESS_STATE_MAX_PEAKS; p++) {
		peak[p] = fmax(r.peak_so_far_kw[p], billed[p]);
		if (strcmp(r.bill_label[0], c->peak_bill) == 0)
			for (i = 0; i < c->npeak; i++)
				if (strcmp(c->peak_name[i], r.period_name[p]) == 0 && c->peak_kw[i] > peak[p])
					peak[p] = c->peak_kw[i];
	}
	for (i = 0; i < c->sub.n; i++)
		soc0[i] = c->bat[c->sub_idx[i]].soc;
	memset(&in, 0, sizeof(in));
	in.rates = &r;
	in.n_active = len;
	in.load_kw = c->load;
	in.solar_kw = c->solar;
	in.import_limit_kw = c->il;
	in.export_limit_kw = c->el;
	in.soc_init_kwh = soc0[0];
	in.bat_soc_init_kwh = c->sub.n > 1 ? soc0 : NULL;
	in.peak_so_far_kw = r.nperiod <= BESS_STATE_MAX_PEAKS ? peak : NULL;
	in.bill_so_far = so_far;
	in.ratchet_floor_kw = floor_kw;
	in.win_before_kw = c->bill.wsum_kw;
	{	/* the last bill runs on past the window unless the window holds its end */
		char after[16];

		in.bill_open = bill_at(c, c->ts[len - 1] + c->o.step_us, after) != 0 ||
		    strcmp(after, r.bill_label[r.bill[len - 1]]) == 0;
	}
	need = bess_lp_flags_for_n(c->sub.bat, c->sub.n, &in, len);
	if (c->seen[BESS_CTL_SOLAR])
		need |= BESS_LP_SOLAR;
	if (c->lp == NULL || (need & ~c->flags) || k < c->lp_step || mask != c->lp_mask) {
		bess_lp_free(c->lp);
		c->flags |= need;
		c->lp_mask = mask;
		if (c->ev.n > 0)
			c->flags |= BESS_LP_SPLIT;	/* the events' rows need import apart from export */
		if ((c->lp = bess_lp_new_n(c->sub.bat, c->sub.n, c->s, c->o.horizon, c->dt_h, c->flags,
		    err)) == NULL || (c->ev.n > 0 && bess_lp_events(c->lp, c->evp, c->ev.n, err) != 0)) {
			bess_lp_free(c->lp);
			c->lp = NULL;
			free(full_rate);
			free(floor_kw);
			free(billed);
			bess_rates_free(&r);
			return -1;
		}
	} else {
		bess_lp_shift(c->lp, (size_t)(k - c->lp_step));
		warm = 1;
	}
	c->lp_step = k;
	if (c->ev.n > 0)	/* a window before the grid sees no event: laid at 0, the grid's first event is a horizon on */
		bess_lp_events_at(c->lp, k >= c->ev_step0 ? (size_t)(k - c->ev_step0) : 0, c->ev_past);
	memset(&lo, 0, sizeof(lo));
	lo.method = BESS_LP_SIMPLEX;
	lo.warm = warm;
	lo.milp = c->o.milp;
	if (bess_lp_update(c->lp, &in, err) != 0 ||
	    bess_mpc_solve_n(c->lp, c->sub.bat, c->sub.n, c->s, &in, len, c->il, &lo, &res,
	    &c->plan_relaxed, err) != 0) {
		site_safe(c, cmds, mask, err->msg);
		bess_lp_free(c->lp);	/* the next plan builds a new model */
		c->lp = NULL;
		free(full_rate);
		free(floor_kw);
		free(billed);
		bess_rates_free(&r);
		c->have_plan = 0;
		return 0;
	}
	for (i = 0; i < nb; i++)
		if (mask >> i & 1) {
			cmds[i].solved = 1;
			cmds[i].solve_ms = res.solve_ms;
			cmds[i].iterations = res.iterations;
		}
	if (!BESS_LP_HAS_SCHEDULE(res.status)) {
		char diag[300];

		if (res.status == BESS_LP_INFEASIBLE) {
			diagnose(c, &in, len, diag, sizeof(diag));
			snprintf(why, sizeof(why), "infeasible: %s", diag);
			site_safe(c, cmds, mask, why);
		} else {
			site_safe(c, cmds, mask, "the solver failed");
		}
		c->have_plan = 0;
		free(full_rate);
		free(floor_kw);
		free(billed);
		bess_rates_free(&r);
		return 0;
	}
	bess_lp_schedule(c->lp, &c->plan);
	bess_setpoint_caps(&r, c->plan.import_kw, len, in.peak_so_far_kw, c->icap);
	{
		struct bess_cost cost;

		for (i = 0; i < len; i++) {	/* the plan priced at the prices, without the tie-break */
			r.price[i] -= tilt * (double)i;
			r.export_price[i] -= tilt * (double)i;
		}
		for (p = 0; full_rate && p < r.nperiod; p++)	/* and the full demand rates */
			r.demand_rate[p] = full_rate[p];
		c->plan_energy = c->plan_export = c->plan_demand = c->plan_total = NAN;
		if (bess_rates_cost(&r, c->plan.import_kw, c->plan.export_kw, c->plan.discharge_kw,
		    c->sub.n == 1 ? c->sub.bat[0].cycle_cost_per_kwh : 0, &cost, NULL, err) == 0) {
			c->plan_energy = cost.energy_cost;
			c->plan_export = cost.export_revenue;
			c->plan_demand = cost.demand_cost;
			c->plan_total = cost.total;
			if (c->sub.n > 1)	/* each battery's own cycle cost */
				c->plan_total += bess_fleet_degradation(&c->sub, &c->plan, c->dt_h, len, NULL);
			bess_cost_free(&cost);
		}
	}
	c->have_plan = 1;
	c->plan_mask = mask;
	c->plan_export_ok = r.export_ok;
	c->plan_feed_in_kw = r.feed_in_limit_kw;
	c->plan_step = k;
	c->plan_len = len;
	c->dirty = 0;
	plan_cmds(c, 0, cmds);
	free(full_rate);
	free(floor_kw);
	free(billed);
	bess_rates_free(&r);
	return 0;
}

/* The peak reached so far in the demand period and bill of the interval starting at t (INFINITY: none). */
static double
peak_now(const struct bess_ctl *c, bess_time_t t)
{
	char name[64], bill[16];
	size_t i;

	if (period_of(c, t, name, sizeof(name), bill, sizeof(bill)) != 0)
		return INFINITY;
	for (i = 0; i < c->npeak && strcmp(bill, c->peak_bill) == 0; i++)
		if (strcmp(c->peak_name[i], name) == 0)
			return c->peak_kw[i];
	return 0;
}

int
bess_ctl_command(struct bess_ctl *c, bess_time_t t, struct bess_ctl_cmd *cmd, struct bess_err *err)
{
	int rc = command(c, t, cmd, err);
	size_t i;

	for (i = 0; i < c->f.n; i++) {
		cmd[i].net_load_kw = NAN;
		cmd[i].meter = c->o.follow != BESS_CTL_METER_OFF;
	}
	if (rc == 0) {	/* what bess_ctl_follow needs of the interval (the window starts there) */
		double lim = !isnan(c->el[0]) ? c->el[0] : c->s->export_limit_kw;

		c->cmd_step = floor_div(t, c->o.step_us);
		c->cmd_safe = 1;
		for (i = 0; i < c->f.n; i++) {
			c->last[i] = cmd[i];
			c->cmd_safe &= cmd[i].safe;
			c->cmd_power_kw = (i ? c->cmd_power_kw : 0) + cmd[i].charge_kw - cmd[i].discharge_kw;
		}
		c->cmd_peak_kw = peak_now(c, c->cmd_step * c->o.step_us);
		c->cmd_export_ok = c->plan_export_ok && c->s->export_mode != BESS_EXPORT_NONE &&
		    fmin(lim, c->plan_feed_in_kw) > 0;
	}
	return rc;
}

int
bess_ctl_follow(struct bess_ctl *c, bess_time_t t, double net_kw, struct bess_ctl_cmd *cmd)
{
	int64_t k = floor_div(t, c->o.step_us);
	double ch[BESS_FLEET_MAX], dis[BESS_FLEET_MAX], start[BESS_FLEET_MAX];	/* per battery of the plan */
	struct bess_setpoint_cmd sc;
	size_t j, b, i;

	if (c->o.setpoint == BESS_SETPOINT_BATTERY || k != c->cmd_step || c->cmd_safe || !c->have_plan ||
	    k < c->plan_step || (size_t)(k - c->plan_step) >= c->plan_len || !isfinite(net_kw))
		return 1;
	j = (size_t)(k - c->plan_step);
	for (i = 0; i < c->f.n; i++) {	/* a battery left out of the plan keeps its (safe) command */
		cmd[i] = c->last[i];
		cmd[i].solved = 0;
	}
	for (b = 0; b < c->sub.n; b++) {
		struct bess_ctl_cmd *cb = &cmd[c->sub_idx[b]];

		memset(cb, 0, sizeof(*cb));
		cb->ts = k * c->o.step_us;
		cb->soc_kwh = c->bat[c->sub_idx[b]].soc;
		cb->price = NAN;
		if (c->f.given)
			snprintf(cb->device, sizeof(cb->device), "%s", c->f.id[c->sub_idx[b]]);
		from_plan(c, j, b, cb);
		ch[b] = cb->charge_kw;
		dis[b] = cb->discharge_kw;
		start[b] = cb->soc_kwh * bess_battery_keep(&c->sub.bat[b], c->dt_h);
	}
	sc.charge_kw = sc.discharge_kw = 0;	/* (each battery's plan is in ch and dis) */
	sc.grid_kw = cmd[c->sub_idx[0]].grid_target_kw;
	sc.cap_kw = cmd[c->sub_idx[0]].import_cap_kw;
	sc.peak_kw = c->cmd_peak_kw;	/* as a backtest's step: the readings of the interval itself are not the peak */
	if (isfinite(sc.peak_kw) && isfinite(sc.cap_kw))
		sc.cap_kw = fmax(sc.cap_kw, sc.peak_kw);
	/* the batteries of the plan hold the meter in the order given, as a backtest's step does */
	bess_setpoint_apply_n(c->o.setpoint, c->sub.bat, c->sub.n, c->dt_h, start, &sc, net_kw, c->cmd_export_ok,
	    ch, dis);
	for (b = 0; b < c->sub.n; b++) {
		cmd[c->sub_idx[b]].charge_kw = ch[b];
		cmd[c->sub_idx[b]].discharge_kw = dis[b];
	}
	for (i = 0; i < c->f.n; i++) {
		cmd[i].follow = 1;
		cmd[i].meter = 1;
		cmd[i].net_load_kw = net_kw;
		c->cmd_power_kw = (i ? c->cmd_power_kw : 0) + cmd[i].charge_kw - cmd[i].discharge_kw;
	}
	return 0;
}

int
bess_ctl_follow_event(struct bess_ctl *c, const struct bess_ctl_event *ev, struct bess_ctl_cmd *cmd)
{
	double net;

	if (c->o.follow == BESS_CTL_METER_LOAD && !isnan(ev->v[BESS_CTL_LOAD]))
		net = ev->v[BESS_CTL_LOAD] - (isnan(ev->v[BESS_CTL_SOLAR]) ? 0 : fmax(0, ev->v[BESS_CTL_SOLAR]));
	else if (c->o.follow == BESS_CTL_METER_GRID && !isnan(ev->grid_import_kw))
		net = ev->grid_import_kw - c->cmd_power_kw;
	else
		return 1;
	return bess_ctl_follow(c, ev->ts, net, cmd);
}

void
bess_ctl_cmd_record(const struct bess_ctl_cmd *cmd, struct bess_kv *k)
{
	char tb[BESS_TIME_BUFSZ];

	bess_kv_str(k, "ts", bess_time_format(cmd->ts, tb));
	if (cmd->device[0])
		bess_kv_str(k, "device", cmd->device);
	bess_kv_fig(k, "battery_kw", cmd->charge_kw - cmd->discharge_kw);
	bess_kv_fig(k, "target_charge_kw", cmd->charge_kw);
	bess_kv_fig(k, "target_discharge_kw", cmd->discharge_kw);
	bess_kv_fig(k, "soc_kwh", cmd->soc_kwh);
	bess_kv_fig(k, "plan_soc_kwh", cmd->plan_soc_kwh);
	bess_kv_num(k, "price", cmd->price);
	bess_kv_str(k, "status", cmd->safe ? "safe" : "optimal");
	bess_kv_str(k, "reason", cmd->safe ? cmd->reason : NULL);
	bess_kv_int(k, "horizon_steps", (long long)cmd->horizon_steps);
	bess_kv_bool(k, "replanned", cmd->solved);
	bess_kv_fig(k, "grid_target_kw", cmd->grid_target_kw);
	bess_kv_fig(k, "import_cap_kw", isinf(cmd->import_cap_kw) ? NAN : cmd->import_cap_kw);
	bess_kv_int(k, "relaxed_steps", (long long)cmd->relaxed_steps);
	if (cmd->meter)
		bess_kv_fig(k, "net_load_kw", cmd->net_load_kw);
}

/*
 * The events the plan meets (a window overlapping the horizon from
 * interval j0 of the plan), settled against the import metered before it
 * (or the baseline), the plan's, and the baseline after it: "dr_payment",
 * "dr_penalty" and "events" (bess_summary_event).
 */
static void
summary_events(const struct bess_ctl *c, int have, size_t j0, struct bess_kv *k)
{
	int64_t a = c->plan_step + (int64_t)j0 - c->ev_step0, b = c->plan_step + (int64_t)c->plan_len - c->ev_step0;
	double *imp = malloc((c->ev_n + 1) * sizeof(double)), pay = 0, pen = 0;
	struct bess_kv_list l;
	size_t e;
	int64_t i;

	if (imp == NULL) {
		k->oom = 1;
		return;
	}
	memcpy(imp, c->ev_past, c->ev_n * sizeof(double));
	for (i = a > 0 ? a : 0; have && i < b && i < (int64_t)c->ev_n; i++)
		imp[i] = c->plan.import_kw[(size_t)(i + c->ev_step0 - c->plan_step)];
	bess_kv_list_open(&l);
	for (e = 0; have && e < c->ev.n; e++) {
		const struct bess_event_plan *p = &c->evp[e];
		struct bess_event_result r;
		struct bess_kv d;

		if ((int64_t)(p->first + p->m) <= a || (int64_t)p->first >= b)
			continue;	/* not in the plan's horizon */
		bess_event_settle(p, imp, &r);
		pay += r.payment;
		pen += r.penalty;
		bess_kv_init(&d);
		bess_summary_event(&d, p, &r);
		bess_kv_list_push(&l, &d);
	}
	free(imp);
	bess_kv_fig(k, "dr_payment", have ? pay : NAN);
	bess_kv_fig(k, "dr_penalty", have ? pen : NAN);
	bess_kv_list_add(&l, k, "events");
}

int
bess_ctl_cmd_records(const struct bess_ctl_cmd *cmd, size_t n, enum bess_fmt fmt, char **buf, size_t *len)
{
	FILE *mf;
	struct bess_writer *w = bess_writer_mem(fmt, &mf, buf, len);
	struct bess_err err;
	size_t i;
	int rc = 0;

	if (w == NULL)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		struct bess_kv k;

		bess_kv_init(&k);
		bess_ctl_cmd_record(&cmd[i], &k);
		rc = k.oom || bess_writer_write(w, &k.s, &k.r, &err) != 0 ? -1 : 0;
		bess_kv_free(&k);
	}
	if (rc == 0 && bess_writer_finish(w, NULL, &err) != 0)
		rc = -1;
	return bess_writer_mem_done(w, mf, rc, buf, len);
}

void
bess_ctl_summary(const struct bess_ctl *c, const struct bess_ctl_cmd *cmd, struct bess_kv *k)
{
	char tb[BESS_TIME_BUFSZ];
	int have = 0, solved = 0, any_safe = 0;
	size_t j0, j, i;
	double peak = 0, solve_ms = NAN, power_kw = 0;
	struct bess_kv_list a;

	for (i = 0; i < c->f.n; i++) {
		have |= !cmd[i].safe;
		any_safe |= cmd[i].safe;
		power_kw += cmd[i].charge_kw - cmd[i].discharge_kw;
		if (cmd[i].solved && !solved) {
			solved = 1;
			solve_ms = cmd[i].solve_ms;
		}
	}
	have = have && c->have_plan;
	j0 = have ? (size_t)(floor_div(cmd->ts, c->o.step_us) - c->plan_step) : 0;
	bess_kv_str(k, "mode", "once");
	if (!c->f.given) {
		bess_ctl_cmd_record(cmd, k);
	} else {	/* the site's sum, and each battery's command */
		bess_kv_str(k, "ts", bess_time_format(cmd->ts, tb));
		bess_kv_fig(k, "battery_kw", power_kw);
		bess_kv_str(k, "status", any_safe ? "safe" : "optimal");
		bess_kv_list_open(&a);
		for (i = 0; i < c->f.n; i++) {
			struct bess_kv d;

			bess_kv_init(&d);
			bess_ctl_cmd_record(&cmd[i], &d);
			bess_kv_list_push(&a, &d);
		}
		bess_kv_list_add(&a, k, "commands");
	}
	bess_kv_fig(k, "cost", have ? c->plan_total : NAN);
	bess_kv_fig(k, "energy_cost", have ? c->plan_energy : NAN);
	bess_kv_fig(k, "export_revenue", have ? c->plan_export : NAN);
	bess_kv_fig(k, "demand_cost", have ? c->plan_demand : NAN);
	for (j = j0; have && j < c->plan_len; j++)
		if (c->plan.import_kw[j] > peak)
			peak = c->plan.import_kw[j];
	bess_kv_fig(k, "peak_kw", have ? peak : NAN);
	bess_kv_fig(k, "solve_ms", solve_ms);
	bess_kv_str(k, "solver", bess_lp_solver());
	bess_kv_list_open(&a);
	for (j = j0; have && j < c->plan_len; j++) {
		struct bess_kv d;

		bess_kv_init(&d);
		bess_kv_str(&d, "ts", bess_time_format((c->plan_step + (int64_t)j) * c->o.step_us, tb));
		bess_kv_fig(&d, "battery_kw", c->plan.charge_kw[j] - c->plan.discharge_kw[j]);
		bess_kv_fig(&d, "soc_kwh", c->plan.soc_kwh[j]);
		bess_kv_fig(&d, "grid_import_kw", c->plan.import_kw[j]);
		bess_kv_fig(&d, "grid_export_kw", c->plan.export_kw[j]);
		bess_kv_fig(&d, "import_cap_kw", isinf(c->icap[j]) ? NAN : c->icap[j]);
		bess_kv_list_push(&a, &d);
	}
	bess_kv_list_add(&a, k, "schedule");
	if (c->ev.n > 0)
		summary_events(c, have, j0, k);
}

/* The local month of a bill labelled "YYYY-MM..." (1 for "all"). */
static int
label_month(const char *label)
{
	int y, m;

	return sscanf(label, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12 ? m : 1;
}

/* The bills so far from a state file's (periods matched by name; a period the tariff no longer has is dropped). */
static void
restore_bills(struct bess_ctl *c, const struct bess_state_bills *b)
{
	struct bess_sofar *g = &c->bill;
	size_t i, j, p, np = g->nperiod;

	if (b->nbill == 0)
		return;
	g->base = (size_t)b->base;
	for (i = 0; i < b->nbill && i < BESS_STATE_MAX_BILLS; i++) {
		if (bess_sofar_open(g, b->label[i], label_month(b->label[i])) != 0)
			return;
		for (j = 0; j < b->nperiod; j++) {
			for (p = 0; p < np && strcmp(c->bill_period[p], b->period[j]) != 0; p++)
				;
			if (p < np && !isnan(b->billed_kw[i][j])) {
				g->billed_kw[(g->nbill - 1) * np + p] = b->billed_kw[i][j];
				g->seen[(g->nbill - 1) * np + p] = 1;
			}
		}
	}
	g->now.import_kwh = b->import_kwh;
	g->now.energy_cost = b->energy_cost;
	g->now.paid_export_kwh = b->paid_export_kwh;
	g->now.export_revenue = b->export_revenue;
	g->wsum_kw = b->window_kw;
	if ((g->w = calloc(b->nwin + 1, sizeof(*g->w))) != NULL) {
		g->wcap = b->nwin + 1;
		for (i = 0; i < b->nwin; i++) {
			g->w[i].bill = (size_t)b->win_bill[i];
			g->w[i].period = b->win_period[i] < (int)np ? b->win_period[i] : -1;
		}
		g->nw = b->nwin;
	}
	c->settled = b->ts != 0 ? floor_div(b->ts, c->o.step_us) : INT64_MIN;
}

static void
save_bills(const struct bess_ctl *c, struct bess_state_bills *b)
{
	const struct bess_sofar *g = &c->bill;
	size_t i, p, np = g->nperiod < BESS_STATE_MAX_PEAKS ? g->nperiod : BESS_STATE_MAX_PEAKS;

	memset(b, 0, sizeof(*b));
	b->nbill = g->nbill < BESS_STATE_MAX_BILLS ? g->nbill : BESS_STATE_MAX_BILLS;
	b->base = (long)(g->base + g->nbill - b->nbill);
	b->nperiod = np;
	for (p = 0; p < np; p++)
		memcpy(b->period[p], c->bill_period[p], sizeof(b->period[p]));
	for (i = 0; i < b->nbill; i++) {
		size_t gi = g->nbill - b->nbill + i;

		memcpy(b->label[i], g->label[gi], sizeof(b->label[i]));
		for (p = 0; p < np; p++)
			b->billed_kw[i][p] = g->seen[gi * g->nperiod + p] ? g->billed_kw[gi * g->nperiod + p] : NAN;
	}
	b->import_kwh = g->now.import_kwh;
	b->energy_cost = g->now.energy_cost;
	b->paid_export_kwh = g->now.paid_export_kwh;
	b->export_revenue = g->now.export_revenue;
	b->window_kw = g->wsum_kw;
	b->nwin = g->nw < BESS_STATE_MAX_WIN ? g->nw : BESS_STATE_MAX_WIN;
	for (i = 0; i < b->nwin; i++) {
		b->win_bill[i] = (long)g->w[i].bill;
		b->win_period[i] = g->w[i].period;
	}
	b->ts = c->settled != INT64_MIN ? c->settled * c->o.step_us : 0;
}

/* The event whose window holds grid interval i, or -1. */
static long
event_at(const struct bess_ctl *c, int64_t i)
{
	size_t e;

	for (e = 0; e < c->ev.n; e++)
		if (i >= (int64_t)c->evp[e].first && i < (int64_t)(c->evp[e].first + c->evp[e].m))
			return (long)e;
	return -1;
}

/* The event under way when the state was saved: its import so far, on its first interval (the LP sums them). */
static void
restore_event(struct bess_ctl *c, const struct bess_state *st)
{
	size_t e, j;

	if (c->ev.n == 0 || st->dr_event[0] == '\0' || c->settled == INT64_MIN)
		return;
	for (e = 0; e < c->ev.n && strcmp(c->ev.ev[e].id, st->dr_event) != 0; e++)
		;
	if (e == c->ev.n)
		return;	/* (an event no longer in the file) */
	for (j = 0; j < c->evp[e].m; j++) {
		size_t i = c->evp[e].first + j;

		if ((int64_t)i + c->ev_step0 > c->settled)
			break;
		c->ev_past[i] = j == 0 ? st->dr_import_kwh / c->dt_h : 0;
	}
}

static void
save_event(const struct bess_ctl *c, struct bess_state *st)
{
	int64_t i = c->settled == INT64_MIN ? -1 : c->settled - c->ev_step0;
	long e = c->ev.n > 0 && i >= 0 && i < (int64_t)c->ev_n ? event_at(c, i) : -1;
	size_t j;

	st->dr_event[0] = '\0';
	st->dr_import_kwh = 0;
	if (e < 0)
		return;
	snprintf(st->dr_event, sizeof(st->dr_event), "%s", c->ev.ev[e].id);
	for (j = c->evp[e].first; (int64_t)j <= i; j++)
		st->dr_import_kwh += c->dt_h * c->ev_past[j];
}

void
bess_ctl_restore(struct bess_ctl *c, const struct bess_state *st)
{
	size_t i, j;

	for (i = 0; i < c->f.n; i++) {	/* one battery given the old way: the version 1 keys */
		struct cbat *cb = &c->bat[i];
		double soc = st->soc_kwh;
		bess_time_t ts = st->soc_ts;

		if (c->f.given) {
			for (j = 0; j < st->nbat && strcmp(st->bat[j].id, c->f.id[i]) != 0; j++)
				;
			soc = j < st->nbat ? st->bat[j].soc_kwh : NAN;
			ts = j < st->nbat ? st->bat[j].soc_ts : 0;
		}
		if (!isnan(soc) && (!cb->have_soc || ts > cb->soc_ts)) {
			cb->soc = soc;
			cb->soc_ts = ts;
			cb->have_soc = 1;
		}
	}
	for (i = 0; i < 2; i++) {
		c->fc_step[i] = st->fc_ts[i] != 0 ? floor_div(st->fc_ts[i], c->o.step_us) : INT64_MIN;
		c->fc_kw[i] = st->fc_kw[i];
	}
	restore_bills(c, &st->bills);
	restore_event(c, st);
	snprintf(c->peak_bill, sizeof(c->peak_bill), "%s", st->peak_bill);
	c->npeak = st->npeak < BESS_STATE_MAX_PEAKS ? st->npeak : BESS_STATE_MAX_PEAKS;
	for (i = 0; i < c->npeak; i++) {
		memcpy(c->peak_name[i], st->peak_name[i], sizeof(c->peak_name[i]));
		c->peak_kw[i] = st->peak_kw[i];
	}
}

void
bess_ctl_save(const struct bess_ctl *c, const struct bess_ctl_cmd *cmd, struct bess_state *st)
{
	size_t i;
	int any_safe = 0;

	st->ts = cmd->ts;
	st->nbat = 0;
	st->version = c->f.given ? 2 : 1;
	for (i = 0; i < c->f.n; i++) {
		const struct cbat *cb = &c->bat[i];

		st->command_kw = (i ? st->command_kw : 0) + cmd[i].charge_kw - cmd[i].discharge_kw;
		any_safe |= cmd[i].safe;
		if (c->f.given) {
			struct bess_state_battery *b = bess_state_battery(st, c->f.id[i]);

			if (b == NULL)
				continue;	/* (bess_ctl_new_fleet keeps to BESS_STATE_MAX_BATTERIES) */
			b->soc_kwh = cb->have_soc ? cb->soc : NAN;
			b->soc_ts = cb->have_soc ? cb->soc_ts : 0;
			b->command_kw = cmd[i].charge_kw - cmd[i].discharge_kw;
			snprintf(b->status, sizeof(b->status), "%s", cmd[i].safe ? "safe" : "optimal");
		}
	}
	snprintf(st->status, sizeof(st->status), "%s", any_safe ? "safe" : "optimal");
	st->soc_kwh = !c->f.given && c->bat[0].have_soc ? c->bat[0].soc : NAN;
	st->soc_ts = !c->f.given && c->bat[0].have_soc ? c->bat[0].soc_ts : 0;
	for (i = 0; i < 2; i++) {
		st->fc_ts[i] = c->fc_step[i] != INT64_MIN ? c->fc_step[i] * c->o.step_us : 0;
		st->fc_kw[i] = c->fc_kw[i];
	}
	save_bills(c, &st->bills);
	save_event(c, st);
	snprintf(st->peak_bill, sizeof(st->peak_bill), "%s", c->peak_bill);
	st->npeak = c->npeak;
	for (i = 0; i < c->npeak; i++) {
		memcpy(st->peak_name[i], c->peak_name[i], sizeof(st->peak_name[i]));
		st->peak_kw[i] = c->peak_kw[i];
	}
}
