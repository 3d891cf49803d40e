/* devplan.c: per-device power, on/off and cost of a solved schedule, and the savings of shedding and shifting against the no-action baseline. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_devplan.h"
#include "bess_devrec.h"

void
bess_devices_baseline(const struct bess_devices *dv, size_t i, const bess_time_t *ts, size_t n, double dt_h,
    double *kw)
{
	const struct bess_device *d = &dv->dev[i];
	int64_t task = INT64_MIN;
	double left = 0;
	size_t t;

	for (t = 0; t < n; t++) {
		int64_t tk;

		if (d->kind != BESS_DEV_SHIFTABLE) {
			kw[t] = d->power_kw;
			continue;
		}
		kw[t] = 0;
		tk = bess_device_task(dv, d, ts[t], dt_h);
		if (tk == INT64_MIN)
			continue;
		if (tk != task) {
			task = tk;
			left = d->energy_kwh;
		}
		if (left > 1e-9) {
			kw[t] = d->power_kw;
			left -= d->power_kw * dt_h;
		}
	}
}

void
bess_devices_baseline_add(const struct bess_devices *dv, const bess_time_t *ts, size_t n, double dt_h,
    double *kw)
{
	double *b = malloc((n + 1) * sizeof(double));
	size_t i, t;

	if (b == NULL)
		return;
	for (i = 0; i < dv->ndev; i++) {
		if (dv->dev[i].kind != BESS_DEV_SHIFTABLE)
			continue;
		bess_devices_baseline(dv, i, ts, n, dt_h, b);
		for (t = 0; t < n; t++)
			kw[t] += b[t];
	}
	free(b);
}

void
bess_devplan_free(struct bess_devplan *pl)
{
	free(pl->power_kw);
	free(pl->on);
	free(pl->cost);
	free(pl->base_kw);
	free(pl->dev);
	memset(pl, 0, sizeof(*pl));
}

static void
add(struct bess_devtotal *a, const struct bess_devtotal *b)
{
	a->shed_kwh += b->shed_kwh;
	a->shed_cost += b->shed_cost;
	a->shed_saving += b->shed_saving;
	a->shift_kwh += b->shift_kwh;
	a->shift_saving += b->shift_saving;
	a->run_kwh += b->run_kwh;
	a->short_kwh += b->short_kwh;
	a->later_kwh += b->later_kwh;
}

static int
plan_alloc(struct bess_devplan *pl, const struct bess_devices *dv, size_t n)
{
	size_t m = dv->ndev * n + 1;

	memset(pl, 0, sizeof(*pl));
	pl->dv = dv;
	pl->n = n;
	if ((pl->power_kw = calloc(m, sizeof(double))) == NULL || (pl->on = calloc(m, 1)) == NULL ||
	    (pl->cost = calloc(m, sizeof(double))) == NULL || (pl->base_kw = calloc(m, sizeof(double))) == NULL ||
	    (pl->dev = calloc(dv->ndev + 1, sizeof(*pl->dev))) == NULL) {
		bess_devplan_free(pl);
		return -1;
	}
	return 0;
}

/*
 * Device i in step t of the plan (step first + t of r) added to tot
 * against the baseline's base_kw: its cost returned (energy at the import
 * price, plus the shedding cost when off).
 */
static double
step_settle(const struct bess_devplan *pl, const struct bess_rates *r, size_t first, size_t i, size_t t,
    struct bess_devtotal *tot)
{
	const struct bess_device *d = &pl->dv->dev[i];
	size_t k = i * pl->n + t;
	double p = pl->power_kw[k], price = r->price[first + t], dt = r->dt_h, c = price * p * dt;

	if (d->kind == BESS_DEV_SHEDDABLE && !pl->on[k]) {
		double sc = dt * (d->cost_kwh * d->power_kw + d->cost_h);

		c += sc;
		tot->shed_kwh += d->power_kw * dt;
		tot->shed_cost += sc;
		tot->shed_saving += price * d->power_kw * dt - sc;
	} else if (d->kind == BESS_DEV_SHIFTABLE) {
		double base = pl->base_kw[k];

		tot->run_kwh += p * dt;
		tot->shift_saving += price * (base - p) * dt;
		if (base > p)
			tot->shift_kwh += (base - p) * dt;
	}
	return c;
}

/* Costs and totals of the plan's power_kw and on, against its base_kw (all filled). */
static void
plan_settle(struct bess_devplan *pl, const struct bess_rates *r, const bess_time_t *ts, size_t first)
{
	const struct bess_devices *dv = pl->dv;
	size_t i, t, n = pl->n;

	(void)ts;
	for (i = 0; i < dv->ndev; i++)
		for (t = 0; t < n; t++)
			pl->cost[i * n + t] = step_settle(pl, r, first, i, t, &pl->dev[i]);
}

void
bess_devplan_span(const struct bess_devplan *pl, const struct bess_rates *r, size_t from, size_t to,
    struct bess_devtotal *tot)
{
	size_t i, t;

	memset(tot, 0, sizeof(*tot));
	for (i = 0; i < pl->dv->ndev; i++)
		for (t = from; t < to && t < pl->n; t++)
			step_settle(pl, r, 0, i, t, tot);
}

int
bess_devplan_build(struct bess_devplan *pl, const struct bess_lp *lp, const struct bess_devices *dv,
    const struct bess_rates *r, const bess_time_t *ts, size_t first, size_t n)
{
	size_t i, t;

	if (plan_alloc(pl, dv, n) != 0)
		return -1;
	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		double *base = pl->base_kw + i * n;

		bess_devices_baseline(dv, i, ts + first, n, r->dt_h, base);
		for (t = 0; t < n; t++) {
			double p = base[t], kwh = 0;
			int on = p > 0 || d->kind != BESS_DEV_SHIFTABLE;

			if (lp != NULL && d->kind != BESS_DEV_ESSENTIAL)
				bess_lp_device(lp, i, t, &p, &on, &kwh);
			pl->power_kw[i * n + t] = p;
			pl->on[i * n + t] = (unsigned char)on;
		}
	}
	plan_settle(pl, r, ts, first);
	for (i = 0; i < dv->ndev; i++) {
		if (lp != NULL && dv->dev[i].kind == BESS_DEV_SHIFTABLE)
			bess_lp_device_shortfall(lp, i, &pl->dev[i].short_kwh, &pl->dev[i].later_kwh);
		add(&pl->all, &pl->dev[i]);
	}
	return 0;
}

int
bess_devplan_from(struct bess_devplan *pl, const struct bess_devices *dv, const struct bess_rates *r,
    const bess_time_t *ts, size_t n, const double *power_kw, const unsigned char *on)
{
	size_t i, t;

	if (plan_alloc(pl, dv, n) != 0)
		return -1;
	memcpy(pl->power_kw, power_kw, dv->ndev * n * sizeof(double));
	memcpy(pl->on, on, dv->ndev * n);
	for (i = 0; i < dv->ndev; i++)
		bess_devices_baseline(dv, i, ts, n, r->dt_h, pl->base_kw + i * n);
	plan_settle(pl, r, ts, 0);
	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		struct bess_devtotal *tot = &pl->dev[i];
		int64_t task = INT64_MIN;
		double got = 0;

		for (t = 0; d->kind == BESS_DEV_SHIFTABLE && t <= n; t++) {
			int64_t tk = t < n ? bess_device_task(dv, d, ts[t], r->dt_h) : INT64_MIN;

			if (tk != task && task != INT64_MIN && got < d->energy_kwh - 1e-9) {
				/* a task ended short: at the data's end its deadline is past the data */
				if (t == n && bess_device_task(dv, d, ts[n - 1] +
				    (bess_time_t)llround(r->dt_h * 3600e6), r->dt_h) == task)
					tot->later_kwh += d->energy_kwh - got;
				else
					tot->short_kwh += d->energy_kwh - got;
			}
			if (tk != task)
				got = 0;
			task = tk;
			if (t < n && tk != INT64_MIN)
				got += power_kw[i * n + t] * r->dt_h;
		}
		add(&pl->all, tot);
	}
	return 0;
}

int
bess_devplan_write(FILE *fp, enum bess_fmt fmt, const struct bess_devplan *pl, const bess_time_t *ts,
    size_t from, size_t to)
{
	size_t i, t;

	for (t = from; t < to && t < pl->n; t++)
		for (i = 0; i < pl->dv->ndev; i++) {
			const struct bess_device *d = &pl->dv->dev[i];
			struct bess_devrec rec;
			size_t k = i * pl->n + t;

			rec.ts = ts[t];
			rec.device = d->id;
			rec.kind = bess_dev_kind_name(d->kind);
			rec.command = pl->on[k] ? "ON" : "OFF";
			rec.power_kw = pl->power_kw[k];
			rec.soc_kwh = rec.soc_pct = NAN;
			rec.cost = pl->cost[k];
			if (bess_devrec_write(fp, fmt, &rec) != 0)
				return -1;
		}
	return 0;
}

int
bess_devplan_records(const struct bess_devplan *pl, const bess_time_t *ts, enum bess_fmt fmt, char **buf,
    size_t *len)
{
	FILE *mf;
	char *mine = NULL, *all;
	size_t n = 0;
	int rc;

	if ((mf = open_memstream(&mine, &n)) == NULL)
		return -1;
	rc = *len == 0 ? bess_devrec_header(mf, fmt) : 0;
	rc |= bess_devplan_write(mf, fmt, pl, ts, 0, pl->n);
	if (fclose(mf) != 0 || rc != 0 || (all = realloc(*buf, *len + n + 1)) == NULL) {
		free(mine);
		return -1;
	}
	memcpy(all + *len, mine, n + 1);
	*buf = all;
	*len += n;
	free(mine);
	return 0;
}

/* One device's or all devices' totals as keys. */
static void
totals(struct bess_kv *k, const struct bess_devtotal *t, int shed, int shift)
{
	if (shed) {
		bess_kv_fig(k, "shed_kwh", t->shed_kwh);
		bess_kv_fig(k, "shed_cost", t->shed_cost);
		bess_kv_fig(k, "shed_saving", t->shed_saving);
	}
	if (shift) {
		bess_kv_fig(k, "shift_kwh", t->shift_kwh);
		bess_kv_fig(k, "shift_run_kwh", t->run_kwh);
		bess_kv_fig(k, "shift_saving", t->shift_saving);
		bess_kv_fig(k, "shift_short_kwh", t->short_kwh);
		bess_kv_fig(k, "shift_later_kwh", t->later_kwh);
	}
}

void
bess_devplan_summary(struct bess_kv *k, const struct bess_devplan *pl)
{
	struct bess_kv by;
	size_t i;

	totals(k, &pl->all, 1, 1);
	bess_kv_init(&by);
	for (i = 0; i < pl->dv->ndev; i++) {
		const struct bess_device *d = &pl->dv->dev[i];
		struct bess_kv one;

		if (d->kind == BESS_DEV_ESSENTIAL)
			continue;
		bess_kv_init(&one);
		totals(&one, &pl->dev[i], d->kind == BESS_DEV_SHEDDABLE, d->kind == BESS_DEV_SHIFTABLE);
		bess_kv_nest(&by, d->id, &one);
		bess_kv_free(&one);
	}
	bess_kv_nest(k, "shed_shift_by_device", &by);
	bess_kv_free(&by);
}

void
bess_devplan_warnings(const struct bess_devplan *pl, int later, void (*warn)(void *ctx, const char *msg),
    void *ctx)
{
	const struct bess_devices *dv = pl->dv;
	size_t i;
	char why[400], msg[700];

	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];

		if (bess_device_unmet(d, why, sizeof(why)) > 0) {
			snprintf(msg, sizeof(msg), "%s:%ld: %s", dv->name, d->line, why);
			warn(ctx, msg);
		}
		if (pl->dev[i].short_kwh > 1e-9) {
			snprintf(msg, sizeof(msg), "%s: device '%s': %g kWh of its tasks were not delivered by "
			    "their deadlines (shift_short_kwh)", dv->name, d->id, pl->dev[i].short_kwh);
			warn(ctx, msg);
		}
		if (later && pl->dev[i].later_kwh > 1e-9) {
			snprintf(msg, sizeof(msg), "%s: device '%s': a task due after the data (%g kWh) is not "
			    "required in this plan", dv->name, d->id, pl->dev[i].later_kwh);
			warn(ctx, msg);
		}
	}
}
