/* ctlbill.c: the live controller's bills so far — the meter's readings settled per interval, the peaks reached, and their state. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_int.h"

/*
 * The rates of the one interval starting at t at no price (r: its bill
 * label and demand period; the caller frees it): the calendar that
 * period_of, bess_ctl_bill_at and a settle without a price read. 0, or -1.
 */
static int
calendar_at(const struct bess_ctl *c, bess_time_t t, struct bess_rates *r)
{
	struct bess_err err;
	double zero = 0;

	return bess_rates_build(r, c->tariff, &t, 1, c->o.step_us, &zero, NULL, c->s, &err) != 0 ? -1 : 0;
}

/* The demand period name and bill label of the interval starting at t; 0, or -1 if none (or no tariff). */
static int
period_of(const struct bess_ctl *c, bess_time_t t, char *name, size_t nlen, char *bill, size_t blen)
{
	struct bess_rates r;
	int rc = -1;

	if (c->tariff == NULL || calendar_at(c, t, &r) != 0)
		return -1;
	if (r.period[0] >= 0) {
		snprintf(name, nlen, "%s", r.period_name[r.period[0]]);
		snprintf(bill, blen, "%s", r.bill_label[0]);
		rc = 0;
	}
	bess_rates_free(&r);
	return rc;
}

/* A grid reading into its interval's meter entry (an interval settled already: ignored). 0 or -1. */
int
bess_ctl_meter_reading(struct bess_ctl *c, const struct bess_ctl_event *ev)
{
	int64_t k = bess_floor_div(ev->ts, c->o.step_us);
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

/* The bill label of the interval starting at t into bill[16]; 0, or -1. */
int
bess_ctl_bill_at(const struct bess_ctl *c, bess_time_t t, char *bill)
{
	struct bess_rates r;

	if (calendar_at(c, t, &r) != 0)
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
int
bess_ctl_settle(struct bess_ctl *c, int64_t k)
{
	size_t i;

	for (i = 0; i < c->nm && c->m[i].step < k; i++) {
		const struct meter *m = &c->m[i];
		bess_time_t t = m->step * c->o.step_us;
		struct bess_rates r;
		struct bess_sofar_step st;
		struct bess_err err;
		double p = NAN, xp = NAN;
		long long win_us;

		if (bess_ctl_window(c, m->step) > 0) {
			p = c->p[0];
			xp = c->xp[0];
		}
		if (bess_rates_build(&r, c->tariff, &t, 1, c->o.step_us, &p,
		    c->seen[BESS_CTL_EXPORT_PRICE] ? &xp : NULL, c->s, &err) != 0 &&
		    calendar_at(c, t, &r) != 0)
			continue;	/* (no price: the interval is not billed here) */
		bess_sofar_step_of(&r, 0, &st);
		win_us = c->tariff ? (long long)c->tariff->demand_window_s * BESS_US_PER_S : 0;
		if (win_us > c->o.step_us && r.nperiod == c->bill.nperiod) {	/* the window of the whole demand window */
			int64_t pos = bess_floor_div(t, c->o.step_us) - bess_floor_div(t, win_us) * (win_us / c->o.step_us);

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
		bess_ctl_event_metered(c, m->step, m->nimp ? m->imp_kw / m->nimp : 0);
		c->settled = m->step;
		c->dirty = 1;	/* a plan from now on knows this interval's bill */
	}
	if (i > 0) {	/* c->m is NULL before the first reading: memmove(NULL, ...) is undefined */
		memmove(c->m, c->m + i, (c->nm - i) * sizeof(*c->m));
		c->nm -= i;
	}
	return 0;
}

/* An import reading into the peak reached so far in its demand period and bill. */
void
bess_ctl_peak_reading(struct bess_ctl *c, const struct bess_ctl_event *ev)
{
	char name[64], bill[16];
	size_t i;

	if (period_of(c, bess_floor_div(ev->ts, c->o.step_us) * c->o.step_us, name, sizeof(name),
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

/* The peak reached so far in the demand period and bill of the interval starting at t (INFINITY: none). */
double
bess_ctl_peak_now(const struct bess_ctl *c, bess_time_t t)
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

/* The local month of a bill labelled "YYYY-MM..." (1 for "all"). */
static int
label_month(const char *label)
{
	int y, m;

	return sscanf(label, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12 ? m : 1;
}

/* The bills so far from a state file's (periods matched by name; a period the tariff no longer has is dropped). */
void
bess_ctl_restore_bills(struct bess_ctl *c, const struct bess_state_bills *b)
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
	c->settled = b->ts != 0 ? bess_floor_div(b->ts, c->o.step_us) : INT64_MIN;
}

void
bess_ctl_save_bills(const struct bess_ctl *c, struct bess_state_bills *b)
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
