/* sofar.c: the bills so far, settled step by step as bess_rates_cost settles them, for plans made part way through a bill. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_sofar.h"

int
bess_sofar_init(struct bess_sofar *g, size_t nperiod, const double *peak0_kw, size_t keep)
{
	memset(g, 0, sizeof(*g));
	g->nperiod = nperiod;
	g->keep = keep;
	if ((g->peak0_kw = calloc(nperiod + 1, sizeof(double))) == NULL)
		return -1;
	if (peak0_kw)
		memcpy(g->peak0_kw, peak0_kw, nperiod * sizeof(double));
	return 0;
}

void
bess_sofar_free(struct bess_sofar *g)
{
	free(g->peak0_kw);
	free(g->label);
	free(g->month);
	free(g->billed_kw);
	free(g->seen);
	free(g->w);
	memset(g, 0, sizeof(*g));
}

void
bess_sofar_step_of(const struct bess_rates *r, size_t k, struct bess_sofar_step *s)
{
	int b = r->bill[k];

	s->bill_label = r->bill_label[b];
	s->bill_month = r->bill_month ? r->bill_month[b] : 1;
	s->period = r->period[k];
	s->price = r->price[k];
	s->export_price = r->export_price[k];
	s->export_ok = r->export_ok;
	s->export_cap_kwh = r->export_cap_kwh;
	s->dt_h = r->dt_h;
	s->win_n = r->win_n ? r->win_n[k] : 1;
	s->win_last = s->win_n <= 1 || !(k + 1 < r->n && k + 1 < (size_t)r->win_first[k] + (size_t)s->win_n);
}

int
bess_sofar_open(struct bess_sofar *g, const char *label, int month)
{
	size_t np = g->nperiod, i;

	if (g->keep > 0 && g->nbill == g->keep) {	/* drop the oldest */
		memmove(g->label, g->label + 1, (g->nbill - 1) * sizeof(*g->label));
		memmove(g->month, g->month + 1, (g->nbill - 1) * sizeof(*g->month));
		memmove(g->billed_kw, g->billed_kw + np, (g->nbill - 1) * np * sizeof(double));
		memmove(g->seen, g->seen + np, (g->nbill - 1) * np);
		g->nbill--;
		g->base++;
	}
	if (g->nbill == g->cap) {
		size_t nc = bess_grow_cap(g->cap, g->nbill + 1, 4, 16 * (np + 1));
		char (*l)[16] = nc ? realloc(g->label, nc * sizeof(*l)) : NULL;
		int *m;
		double *b;
		unsigned char *s;

		if (l == NULL)
			return -1;
		g->label = l;
		if ((m = realloc(g->month, nc * sizeof(int))) == NULL)
			return -1;
		g->month = m;
		if ((b = realloc(g->billed_kw, (nc * np + 1) * sizeof(double))) == NULL)
			return -1;
		g->billed_kw = b;
		if ((s = realloc(g->seen, nc * np + 1)) == NULL)
			return -1;
		g->seen = s;
		g->cap = nc;
	}
	i = g->nbill++;
	snprintf(g->label[i], sizeof(g->label[i]), "%s", label);
	g->month[i] = month;
	memset(g->seen + i * np, 0, np);
	if (g->base + i == 0)	/* the first bill: the peaks before the data */
		memcpy(g->billed_kw + i * np, g->peak0_kw, np * sizeof(double));
	else
		memset(g->billed_kw + i * np, 0, np * sizeof(double));
	memset(&g->now, 0, sizeof(g->now));
	return 0;
}

/* Raise the billed demand of absolute bill b, period p, to v kW (a bill no longer kept: nothing). */
static void
raise_to(struct bess_sofar *g, size_t b, int p, double v)
{
	double *x;

	if (p < 0 || b < g->base || b - g->base >= g->nbill)
		return;
	x = &g->billed_kw[(b - g->base) * g->nperiod + (size_t)p];
	if (v > *x)
		*x = v;
}

int
bess_sofar_step(struct bess_sofar *g, const struct bess_sofar_step *s, double imp_kw, double exp_kw)
{
	double dt = s->dt_h, cost, revenue;
	size_t cur, j;
	struct bess_sofar_wstep *w;

	if ((g->nbill == 0 || strcmp(g->label[g->nbill - 1], s->bill_label) != 0) &&
	    bess_sofar_open(g, s->bill_label, s->bill_month) != 0)
		return -1;
	cur = g->base + g->nbill - 1;
	bess_bill_energy(&g->now, s->price, s->export_price, s->export_cap_kwh, imp_kw * dt,
	    s->export_ok ? exp_kw * dt : 0, &cost, &revenue);
	if (s->period >= 0)
		g->seen[(g->nbill - 1) * g->nperiod + (size_t)s->period] = 1;
	if (s->win_n <= 1) {
		raise_to(g, cur, s->period, imp_kw);
		return 0;
	}
	/* a demand window's mean counts, for each of its steps' periods, once it is complete */
	if ((w = bess_grow(g->w, &g->wcap, g->nw + 1, 8, sizeof(*w))) == NULL)
		return -1;
	g->w = w;
	g->w[g->nw].bill = cur;
	g->w[g->nw++].period = s->period;
	g->wsum_kw += imp_kw;
	if (!s->win_last)
		return 0;
	for (j = 0; j < g->nw; j++)
		raise_to(g, g->w[j].bill, g->w[j].period, g->wsum_kw / s->win_n);
	g->wsum_kw = 0;
	g->nw = 0;
	return 0;
}

const struct bess_bill *
bess_sofar_window(const struct bess_sofar *g, const char *label, const struct bess_rates *w,
    double *billed_kw, double *floor_kw)
{
	size_t np = g->nperiod, jb, p, kb, cur;
	int same = g->nbill > 0 && strcmp(g->label[g->nbill - 1], label) == 0;

	cur = g->base + g->nbill - (same ? 1 : 0);	/* absolute index of the plan's first bill */
	for (p = 0; p < np; p++)
		billed_kw[p] = same ? g->billed_kw[(g->nbill - 1) * np + p] : g->nbill == 0 && g->base == 0 ?
		    g->peak0_kw[p] : 0;
	for (jb = 0; jb < w->nbill; jb++)
		for (p = 0; p < np; p++) {
			size_t B = cur + jb, from;
			double best = 0;

			floor_kw[jb * np + p] = 0;
			if (w->ratchet_frac == NULL || !(w->ratchet_frac[p] > 0))
				continue;
			from = w->lookback_bills[p] > 0 && B > (size_t)w->lookback_bills[p] ?
			    B - (size_t)w->lookback_bills[p] : 0;
			if (from < g->base)
				from = g->base;
			for (kb = from; kb < cur; kb++) {	/* the bills before the plan's (its own: the model) */
				size_t i = kb - g->base;

				if (g->seen[i * np + p] && (w->lookback_months[p] & (1u << (g->month[i] - 1))) &&
				    g->billed_kw[i * np + p] > best)
					best = g->billed_kw[i * np + p];
			}
			floor_kw[jb * np + p] = w->ratchet_frac[p] * best;
		}
	return same ? &g->now : NULL;
}
