/* ctlwin.c: what the live controller knows per control interval, and the forecast window a plan is made over. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "ctl_int.h"

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
struct entry *
bess_ctl_entry_at(struct bess_ctl *c, int64_t k)
{
	size_t i = lower(c, k);
	int q;

	if (i < c->ne && c->e[i].step == k)
		return &c->e[i];
	if (c->ne == c->cap) {
		struct entry *ne = bess_grow(c->e, &c->cap, c->ne + 1, 256, sizeof(*ne));

		if (ne == NULL)
			return NULL;
		c->e = ne;
	}
	memmove(&c->e[i + 1], &c->e[i], (c->ne - i) * sizeof(*c->e));
	c->ne++;
	c->e[i].step = k;
	for (q = 0; q < BESS_CTL_NQ; q++)
		c->e[i].v[q] = NAN;
	return &c->e[i];
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
size_t
bess_ctl_window(struct bess_ctl *c, int64_t k)
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
void
bess_ctl_nowcast(struct bess_ctl *c, int64_t k, size_t len)
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
void
bess_ctl_purge(struct bess_ctl *c, int64_t k)
{
	int64_t keep = bess_floor_div(c->o.stale_us, c->o.step_us) + 1, day = bess_floor_div(24 * BESS_US_PER_H, c->o.step_us);
	size_t i;

	if (keep < day)
		keep = day;
	i = lower(c, k - keep);
	if (i > 0) {
		memmove(c->e, c->e + i, (c->ne - i) * sizeof(*c->e));
		c->ne -= i;
	}
}
