/* devstate.c: the controllable loads' state carried across receding-horizon windows and controller runs (see bess_devstate.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_devstate.h"

int
bess_devrun_init(struct bess_devrun *r, const struct bess_devices *dv, size_t n, double dt_h)
{
	size_t i, m = dv->ndev * n + 1;

	memset(r, 0, sizeof(*r));
	r->dv = dv;
	r->n = n;
	r->dt_h = dt_h;
	if ((r->st = calloc(dv->ndev + 1, sizeof(*r->st))) == NULL ||
	    (r->power_kw = calloc(m, sizeof(double))) == NULL || (r->on = calloc(m, 1)) == NULL ||
	    (r->cur_kw = calloc(dv->ndev + 1, sizeof(double))) == NULL ||
	    (r->cur_on = calloc(dv->ndev + 1, 1)) == NULL) {
		bess_devrun_free(r);
		return -1;
	}
	for (i = 0; i < dv->ndev; i++) {
		r->st[i].off_day = INT64_MIN;
		r->st[i].done_task = INT64_MIN;
	}
	return 0;
}

void
bess_devrun_free(struct bess_devrun *r)
{
	free(r->st);
	free(r->power_kw);
	free(r->on);
	free(r->plan_kw);
	free(r->plan_on);
	free(r->cur_kw);
	free(r->cur_on);
	memset(r, 0, sizeof(*r));
}

void
bess_devstate_step(const struct bess_devices *dv, size_t i, struct bess_devstate *st, bess_time_t ts,
    double dt_h, int on, double power_kw)
{
	const struct bess_device *d = &dv->dev[i];

	if (d->kind == BESS_DEV_SHEDDABLE) {
		int64_t day = bess_devices_day(dv, ts);
		int off = !on;

		bess_devstate_report(d, st, on);	/* switched at the step's start: its minimum time begins */
		st->hold_h = st->hold_h > dt_h + 1e-9 ? st->hold_h - dt_h : 0;
		if (day != st->off_day) {
			st->off_day = day;
			st->off_h = 0;
		}
		if (off)
			st->off_h += dt_h;
	} else if (d->kind == BESS_DEV_SHIFTABLE) {
		int64_t task = bess_device_task(dv, d, ts, dt_h);

		if (task == INT64_MIN)
			return;
		if (task != st->done_task) {
			st->done_task = task;
			st->done_kwh = 0;
		}
		st->done_kwh += power_kw * dt_h;
	}
}

void
bess_devstate_default(const struct bess_devices *dv, size_t i, const struct bess_devstate *st,
    bess_time_t ts, double dt_h, int *on, double *power_kw)
{
	const struct bess_device *d = &dv->dev[i];

	*on = 1;
	*power_kw = d->power_kw;
	if (d->kind == BESS_DEV_SHEDDABLE && st->off && st->hold_h > 1e-9 &&
	    bess_device_may_shed(dv, d, ts)) {
		*on = 0;
		*power_kw = 0;
	} else if (d->kind == BESS_DEV_SHIFTABLE) {
		int64_t task = bess_device_task(dv, d, ts, dt_h);
		double done = task != INT64_MIN && task == st->done_task ? st->done_kwh : 0;

		if (task == INT64_MIN || done >= d->energy_kwh - 1e-9) {
			*on = 0;
			*power_kw = 0;
		}
	}
}

double
bess_devstate_load_kw(const struct bess_device *d, int on, double power_kw)
{
	if (d->kind == BESS_DEV_SHEDDABLE)
		return on ? 0 : -d->power_kw;
	if (d->kind == BESS_DEV_SHIFTABLE)
		return power_kw;
	return 0;
}

int
bess_devrun_plan(struct bess_devrun *r, const struct bess_lp *lp, size_t len)
{
	size_t i, j, nd = r->dv->ndev;

	if (len > r->plan_cap) {
		double *kw = realloc(r->plan_kw, (nd * len + 1) * sizeof(double));
		unsigned char *on;

		if (kw == NULL)
			return -1;
		r->plan_kw = kw;
		if ((on = realloc(r->plan_on, nd * len + 1)) == NULL)
			return -1;
		r->plan_on = on;
		r->plan_cap = len;
	}
	for (i = 0; i < nd; i++)
		for (j = 0; j < len; j++) {
			int on;
			double kwh;

			bess_lp_device(lp, i, j, &r->plan_kw[i * r->plan_cap + j], &on, &kwh);
			r->plan_on[i * r->plan_cap + j] = (unsigned char)on;
		}
	r->plan_len = len;
	return 0;
}

double
bess_devrun_begin(struct bess_devrun *r, size_t j, bess_time_t ts)
{
	size_t i;
	double add = 0;

	for (i = 0; i < r->dv->ndev; i++) {
		if (j < r->plan_len) {
			r->cur_kw[i] = r->plan_kw[i * r->plan_cap + j];
			r->cur_on[i] = r->plan_on[i * r->plan_cap + j];
		} else {
			int on;

			bess_devstate_default(r->dv, i, &r->st[i], ts, r->dt_h, &on, &r->cur_kw[i]);
			r->cur_on[i] = (unsigned char)on;
		}
		add += bess_devstate_load_kw(&r->dv->dev[i], r->cur_on[i], r->cur_kw[i]);
	}
	return add;
}

void
bess_devrun_step(struct bess_devrun *r, size_t k, bess_time_t ts)
{
	size_t i;

	for (i = 0; i < r->dv->ndev; i++) {
		if (k < r->n) {
			r->on[i * r->n + k] = r->cur_on[i];
			r->power_kw[i * r->n + k] = r->cur_kw[i];
		}
		bess_devstate_step(r->dv, i, &r->st[i], ts, r->dt_h, r->cur_on[i], r->cur_kw[i]);
	}
}

int
bess_devstate_report(const struct bess_device *d, struct bess_devstate *st, int on)
{
	if (d->kind != BESS_DEV_SHEDDABLE || (!on) == st->off)
		return 0;
	st->off = !on;
	st->hold_h = on ? d->min_on_h : d->min_off_h;
	return 1;
}
