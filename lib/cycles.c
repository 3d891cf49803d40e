/* cycles.c: charge and discharge capacity per cycle (trapezoid of the current over time) and fade against the first cycle. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_cycles.h"

struct cdev {
	char *name;
	char cycle[64];			/* the cycle being summed */
	int have;			/* a sample was seen */
	bess_time_t pt;			/* its time */
	double pcur;			/* its current, NAN if missing */
	struct bess_cycle_row row;	/* the cycle being summed */
	double ref_ah;			/* the first full cycle's discharge, 0 until known */
	int rows;			/* cycles written */
	int phase;			/* from the current: last non-rest phase, 1 charge, -1 discharge, 0 none */
	long n;				/* cycles counted from the current */
};

struct bess_cycles {
	char *cycle_col;
	bess_cycle_fn fn;
	void *ctx;
	int ts, dev, cyc, cur;		/* input columns, -1 absent */
	struct cdev *d;
	size_t nd, capd;
};

struct bess_cycles *
bess_cycles_new(const char *cycle_col, bess_cycle_fn fn, void *ctx)
{
	struct bess_cycles *c = calloc(1, sizeof(*c));

	if (c == NULL || (cycle_col != NULL && (c->cycle_col = strdup(cycle_col)) == NULL)) {
		free(c);
		return NULL;
	}
	c->fn = fn;
	c->ctx = ctx;
	c->ts = c->dev = c->cyc = c->cur = -1;
	return c;
}

int
bess_cycles_columns(struct bess_cycles *c, const struct bess_schema *s, struct bess_err *err)
{
	c->ts = bess_schema_find(s, "ts");
	c->dev = bess_schema_find(s, "device");
	c->cyc = c->cycle_col ? bess_schema_find(s, c->cycle_col) : -1;
	c->cur = bess_schema_find(s, "current_a");
	if (c->ts < 0)
		return bess_err_set(err, NULL, 0, "no column 'ts' (bess-ingest makes one)");
	if (c->cycle_col && c->cyc < 0)
		return bess_err_set(err, NULL, 0, "no column '%s' (--cycle-col) to tell cycles apart",
		    c->cycle_col);
	if (c->cur < 0)
		return bess_err_set(err, NULL, 0, "no column 'current_a' to integrate");
	return 0;
}

/* Write d's cycle row. */
static int
close_cycle(struct bess_cycles *c, struct cdev *d, struct bess_err *err)
{
	if (d->row.records == 0)
		return 0;
	d->row.device = d->name;
	d->row.cycle = d->cycle;
	d->row.fade_pct = NAN;
	if (d->ref_ah > 0)
		d->row.fade_pct = 100 * (1 - d->row.discharge_ah / d->ref_ah);
	else if (d->row.charge_ah > 0 && d->row.discharge_ah > 0)
		d->ref_ah = d->row.discharge_ah;	/* the first full cycle: the reference */
	d->rows++;
	return c->fn ? c->fn(c->ctx, &d->row, err) : 0;
}

int
bess_cycles_feed(struct bess_cycles *c, const struct bess_rec *r, const char *file,
    struct bess_err *err)
{
	char why[200], num[32];		/* num: a cycle counted from the current, as text */
	const char *dn = "", *cy;
	size_t dl = 0, cl, i;
	struct cdev *d = NULL;
	bess_time_t t;
	double cur;

	if ((size_t)c->ts >= r->n || r->len[c->ts] == 0)
		return bess_err_set(err, file, r->line, "missing time in column 'ts'");
	if (bess_time_parse(r->v[c->ts], r->len[c->ts], NULL, &t, why, sizeof(why)) != BESS_TP_OK)
		return bess_err_set(err, file, r->line, "column 'ts': %s", why);
	if (c->dev >= 0 && (size_t)c->dev < r->n) {
		dn = r->v[c->dev];
		dl = r->len[c->dev];
	}
	if (c->cyc >= 0) {
		cy = (size_t)c->cyc < r->n ? r->v[c->cyc] : "";
		cl = (size_t)c->cyc < r->n ? r->len[c->cyc] : 0;
		if (cl == 0)
			return 0;	/* not in a cycle */
	} else {
		cy = "";	/* from the current: set below, once the device is known */
		cl = 0;
	}
	if (cl >= sizeof(d->cycle))
		return bess_err_set(err, file, r->line, "column '%s': a cycle name over 63 bytes",
		    c->cycle_col);
	for (i = 0; i < c->nd; i++)
		if (strlen(c->d[i].name) == dl && memcmp(c->d[i].name, dn, dl) == 0) {
			d = &c->d[i];
			break;
		}
	if (d == NULL) {
		struct cdev *p;

		if ((p = bess_grow(c->d, &c->capd, c->nd + 1, 4, sizeof(*p))) == NULL)
			return bess_err_set(err, file, r->line, "out of memory");
		c->d = p;
		d = &c->d[c->nd];
		memset(d, 0, sizeof(*d));
		if ((d->name = strndup(dn, dl)) == NULL)
			return bess_err_set(err, file, r->line, "out of memory");
		c->nd++;
	}
	if (bess_rec_num(r, c->cur, &cur) != 0)
		cur = NAN;
	if (c->cyc < 0) {
		/* a cycle starts where charging begins after a discharge (rests between ignored) */
		int ph = isnan(cur) || fabs(cur) <= BESS_CYCLE_REST_A ? 0 : cur > 0 ? 1 : -1;

		if (d->n == 0 || (ph == 1 && d->phase == -1))
			d->n++;
		if (ph != 0)
			d->phase = ph;
		snprintf(num, sizeof(num), "%ld", d->n);
		cy = num;
		cl = strlen(num);
		if (strlen(d->cycle) != cl || memcmp(d->cycle, cy, cl) != 0) {
			if (close_cycle(c, d, err) != 0)
				return -1;
			memset(&d->row, 0, sizeof(d->row));
			memcpy(d->cycle, cy, cl + 1);
			d->row.start = t;
		}
	}
	if (d->have && t < d->pt)
		return bess_err_set(err, file, r->line, "time is before the previous record's; "
		    "sort the input first (bess-ingest --sort)");
	if (strlen(d->cycle) != cl || memcmp(d->cycle, cy, cl) != 0) {
		if (close_cycle(c, d, err) != 0)
			return -1;
		memset(&d->row, 0, sizeof(d->row));
		memcpy(d->cycle, cy, cl);
		d->cycle[cl] = '\0';
		d->row.start = t;
	}
	if (d->have && !isnan(cur) && !isnan(d->pcur)) {
		double q = (d->pcur + cur) / 2 * ((double)(t - d->pt) / 3.6e9);	/* A x h = Ah */

		if (q > 0)
			d->row.charge_ah += q;
		else
			d->row.discharge_ah -= q;
	}
	d->row.records++;
	d->row.end = t;
	d->have = 1;
	d->pt = t;
	d->pcur = cur;
	return 0;
}

int
bess_cycles_finish(struct bess_cycles *c, struct bess_err *err)
{
	size_t i;

	for (i = 0; i < c->nd; i++)
		if (close_cycle(c, &c->d[i], err) != 0)
			return -1;
	return 0;
}

void
bess_cycles_free(struct bess_cycles *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nd; i++)
		free(c->d[i].name);
	free(c->d);
	free(c->cycle_col);
	free(c);
}
