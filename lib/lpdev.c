/* lpdev.c: controllable loads in the scheduling model — shedding and shifting columns and rows added to bess_lp's GLPK problem (see bess_lpdev.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_lpdev.h"

/* One device's place in the problem (GLPK 1-based indices; -1 or 0 where absent). */
struct dmod {
	int joff;		/* sheddable: off[0..n-1] */
	int jy, jw;		/* sheddable: switch-off / switch-on indicators (min_off / min_on), -1 none */
	int loff, lon;		/* min_off / min_on in steps */
	int r1, r3;		/* first of the 2n min_off rows / 2n min_on rows, -1 none */
	int rday;		/* first of nday max_off rows, -1 none */
	int jz;			/* shiftable: z[t][j] at jz + t nl + j */
	int nl;			/* shiftable: levels */
	int rone;		/* shiftable: first of n "one level" rows, -1 none */
	int rtask;		/* shiftable: first of nday task rows */
	double short_kwh;	/* task energy the window could not hold */
	double later_kwh;	/* task energy due after the window */
};

struct bess_lpdev {
	const struct bess_devices *dv;
	size_t n;
	double dt;
	int nday;			/* day (and task) rows per device */
	struct dmod *d;
	int *intcols, nint;
	const bess_time_t *ts;
	size_t nts;
	const struct bess_devstate *st;
	size_t first, na;
	int *idx;			/* scratch for a row, n levels + 2 */
	double *val;			/* scratch for a row, n levels + 2 */
};

static int
steps_of(double h, double dt)
{
	return (int)ceil(h / dt - 1e-9);
}

void
bess_lpdev_free(struct bess_lpdev *m)
{
	if (m == NULL)
		return;
	free(m->d);
	free(m->intcols);
	free(m->idx);
	free(m->val);
	free(m);
}

struct bess_lpdev *
bess_lpdev_new(const struct bess_devices *dv, glp_prob *P, size_t n, double dt_h,
    const int *grid_row, const int *cap_row, struct bess_err *err)
{
	struct bess_lpdev *m;
	size_t i, t;
	int ncol = 0, nrow = 0, c0, r0, nint = 0, ind[3];
	double val[3];

	if ((m = calloc(1, sizeof(*m))) == NULL || (m->d = calloc(dv->ndev + 1, sizeof(*m->d))) == NULL ||
	    (m->idx = malloc((n * BESS_DEV_MAX_LEVELS + 2) * sizeof(int))) == NULL ||
	    (m->val = malloc((n * BESS_DEV_MAX_LEVELS + 2) * sizeof(double))) == NULL) {
		bess_lpdev_free(m);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	m->dv = dv;
	m->n = n;
	m->dt = dt_h;
	m->nday = (int)ceil((double)n * dt_h / 24) + 2;
	/* count, then lay out */
	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		struct dmod *q = &m->d[i];

		q->joff = q->jy = q->jw = q->r1 = q->r3 = q->rday = q->jz = q->rone = q->rtask = -1;
		if (d->kind == BESS_DEV_SHEDDABLE) {
			q->loff = steps_of(d->min_off_h, dt_h);
			q->lon = steps_of(d->min_on_h, dt_h);
			q->joff = ncol, ncol += (int)n, nint += (int)n;
			if (q->loff > 1)
				q->jy = ncol, ncol += (int)n, q->r1 = nrow, nrow += 2 * (int)n;
			if (q->lon > 1)
				q->jw = ncol, ncol += (int)n, q->r3 = nrow, nrow += 2 * (int)n;
			if (!isinf(d->max_off_h))
				q->rday = nrow, nrow += m->nday;
		} else if (d->kind == BESS_DEV_SHIFTABLE) {
			q->nl = d->nlevel;
			q->jz = ncol, ncol += (int)n * q->nl, nint += (int)n * q->nl;
			if (q->nl > 1)
				q->rone = nrow, nrow += (int)n;
			q->rtask = nrow, nrow += m->nday;
		}
	}
	if ((m->intcols = malloc(((size_t)nint + 1) * sizeof(int))) == NULL) {
		bess_lpdev_free(m);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	if (ncol == 0)
		return m;
	c0 = glp_add_cols(P, ncol) - 1;
	r0 = nrow > 0 ? glp_add_rows(P, nrow) - 1 : 0;
	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		struct dmod *q = &m->d[i];
		int j;

		/* to GLPK indices */
		if (q->joff >= 0)
			q->joff += c0 + 1;
		if (q->jy >= 0)
			q->jy += c0 + 1;
		if (q->jw >= 0)
			q->jw += c0 + 1;
		if (q->jz >= 0)
			q->jz += c0 + 1;
		if (q->r1 >= 0)
			q->r1 += r0 + 1;
		if (q->r3 >= 0)
			q->r3 += r0 + 1;
		if (q->rday >= 0)
			q->rday += r0 + 1;
		if (q->rone >= 0)
			q->rone += r0 + 1;
		if (q->rtask >= 0)
			q->rtask += r0 + 1;
		for (t = 0; t < n; t++) {
			int len = 0;

			if (d->kind == BESS_DEV_SHEDDABLE) {
				ind[++len] = grid_row[t], val[len] = -d->power_kw;
				if (cap_row && cap_row[t] >= 0)
					ind[++len] = cap_row[t], val[len] = d->power_kw;
				glp_set_mat_col(P, q->joff + (int)t, len, ind, val);
				glp_set_col_bnds(P, q->joff + (int)t, GLP_FX, 0, 0);
				m->intcols[m->nint++] = q->joff + (int)t;
				if (q->jy >= 0)
					glp_set_col_bnds(P, q->jy + (int)t, GLP_FX, 0, 0);
				if (q->jw >= 0)
					glp_set_col_bnds(P, q->jw + (int)t, GLP_FX, 0, 0);
			} else if (d->kind == BESS_DEV_SHIFTABLE) {
				for (j = 0; j < q->nl; j++) {
					int c = q->jz + (int)t * q->nl + j;

					len = 0;
					ind[++len] = grid_row[t], val[len] = d->level_kw[j];
					if (cap_row && cap_row[t] >= 0)
						ind[++len] = cap_row[t], val[len] = -d->level_kw[j];
					glp_set_mat_col(P, c, len, ind, val);
					glp_set_col_bnds(P, c, GLP_FX, 0, 0);
					m->intcols[m->nint++] = c;
				}
			}
		}
		/* the rows whose shape never changes (min_off, min_on, one level) */
		for (t = 0; t < n; t++) {
			int len, s, lo;

			if (q->r1 >= 0) {
				len = 0;
				m->idx[++len] = q->jy + (int)t, m->val[len] = 1;
				m->idx[++len] = q->joff + (int)t, m->val[len] = -1;
				if (t > 0)
					m->idx[++len] = q->joff + (int)t - 1, m->val[len] = 1;
				glp_set_mat_row(P, q->r1 + 2 * (int)t, len, m->idx, m->val);
				len = 0;
				lo = (int)t - q->loff + 1 > 0 ? (int)t - q->loff + 1 : 0;
				for (s = lo; s <= (int)t; s++)
					m->idx[++len] = q->jy + s, m->val[len] = 1;
				m->idx[++len] = q->joff + (int)t, m->val[len] = -1;
				glp_set_mat_row(P, q->r1 + 2 * (int)t + 1, len, m->idx, m->val);
			}
			if (q->r3 >= 0) {
				len = 0;
				m->idx[++len] = q->jw + (int)t, m->val[len] = 1;
				m->idx[++len] = q->joff + (int)t, m->val[len] = 1;
				if (t > 0)
					m->idx[++len] = q->joff + (int)t - 1, m->val[len] = -1;
				glp_set_mat_row(P, q->r3 + 2 * (int)t, len, m->idx, m->val);
				len = 0;
				lo = (int)t - q->lon + 1 > 0 ? (int)t - q->lon + 1 : 0;
				for (s = lo; s <= (int)t; s++)
					m->idx[++len] = q->jw + s, m->val[len] = 1;
				m->idx[++len] = q->joff + (int)t, m->val[len] = 1;
				glp_set_mat_row(P, q->r3 + 2 * (int)t + 1, len, m->idx, m->val);
			}
			if (q->rone >= 0) {
				for (j = 0; j < q->nl; j++)
					m->idx[j + 1] = q->jz + (int)t * q->nl + j, m->val[j + 1] = 1;
				glp_set_mat_row(P, q->rone + (int)t, q->nl, m->idx, m->val);
			}
		}
		for (j = 0; q->rday >= 0 && j < m->nday; j++)
			glp_set_row_bnds(P, q->rday + j, GLP_FR, 0, 0);
		for (j = 0; q->rtask >= 0 && j < m->nday; j++)
			glp_set_row_bnds(P, q->rtask + j, GLP_FR, 0, 0);
	}
	return m;
}

void
bess_lpdev_times(struct bess_lpdev *m, const bess_time_t *ts, size_t nts)
{
	m->ts = ts;
	m->nts = nts;
}

void
bess_lpdev_state(struct bess_lpdev *m, const struct bess_devstate *st)
{
	m->st = st;
}

static void
bnds(glp_prob *P, int j, double lo, double hi)
{
	glp_set_col_bnds(P, j, hi - lo <= 0 ? GLP_FX : GLP_DB, lo, hi);
}

/* The instant step t of the window starts at (past the data: extrapolated). */
static bess_time_t
step_ts(const struct bess_lpdev *m, size_t i)
{
	if (i < m->nts)
		return m->ts[i];
	return m->ts[m->nts - 1] + (bess_time_t)llround((double)(i - (m->nts - 1)) * m->dt * 3600e6);
}

int
bess_lpdev_update(struct bess_lpdev *m, glp_prob *P, const struct bess_rates *r, size_t first,
    size_t na, struct bess_err *err)
{
	const struct bess_devices *dv = m->dv;
	size_t i, t, n = m->n;
	double dt = m->dt;
	int64_t day0;

	if (m->ts == NULL || m->nts == 0 || first + na > m->nts)
		return bess_err_set(err, NULL, 0, "devices: no times for the window");
	m->first = first;
	m->na = na;
	day0 = bess_devices_day(dv, m->ts[first]);
	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		const struct bess_devstate *st = m->st ? &m->st[i] : NULL;
		struct dmod *q = &m->d[i];
		int j, k, len;

		q->short_kwh = q->later_kwh = 0;
		if (d->kind == BESS_DEV_SHEDDABLE) {
			double P0 = d->power_kw, init = st && st->off ? 1 : 0;
			size_t hold = st && st->hold_h > 0 ? (size_t)steps_of(st->hold_h, dt) : 0;

			if (hold > 0 && init > 0 && !isinf(d->max_off_h)) {
				/* an off held over from before: within what is left of today's max_off */
				double left = d->max_off_h - (st->off_day == day0 ? st->off_h : 0);
				size_t most = left > 0 ? (size_t)floor(left / dt + 1e-9) : 0;

				if (hold > most)
					hold = most;
			}
			for (t = 0; t < n; t++) {
				int c = q->joff + (int)t, act = t < na;
				double price = act ? r->price[first + t] : 0;
				double hi = act && bess_device_may_shed(dv, d, m->ts[first + t]) ? 1 : 0;

				/* a min_off or min_on begun before the window holds its state */
				if (act && t < hold)
					bnds(P, c, init > 0 ? hi : 0, init > 0 ? hi : 0);
				else
					bnds(P, c, 0, hi);
				glp_set_obj_coef(P, c, act ? dt * (d->cost_kwh * P0 + d->cost_h - price * P0) : 0);
				if (q->jy >= 0)
					bnds(P, q->jy + (int)t, 0, act ? 1 : 0);
				if (q->jw >= 0)
					bnds(P, q->jw + (int)t, 0, act ? 1 : 0);
				if (q->r1 >= 0) {
					if (act) {
						glp_set_row_bnds(P, q->r1 + 2 * (int)t, GLP_LO, t == 0 ? -init : 0, 0);
						glp_set_row_bnds(P, q->r1 + 2 * (int)t + 1, GLP_UP, 0, 0);
					} else {
						glp_set_row_bnds(P, q->r1 + 2 * (int)t, GLP_FR, 0, 0);
						glp_set_row_bnds(P, q->r1 + 2 * (int)t + 1, GLP_FR, 0, 0);
					}
				}
				if (q->r3 >= 0) {
					if (act) {
						glp_set_row_bnds(P, q->r3 + 2 * (int)t, GLP_LO, t == 0 ? init : 0, 0);
						glp_set_row_bnds(P, q->r3 + 2 * (int)t + 1, GLP_UP, 0, 1);
					} else {
						glp_set_row_bnds(P, q->r3 + 2 * (int)t, GLP_FR, 0, 0);
						glp_set_row_bnds(P, q->r3 + 2 * (int)t + 1, GLP_FR, 0, 0);
					}
				}
			}
			for (k = 0; q->rday >= 0 && k < m->nday; k++) {
				double cap = d->max_off_h;

				len = 0;
				for (t = 0; t < na; t++) {
					int64_t dd = bess_devices_day(dv, m->ts[first + t]) - day0;

					if (dd >= m->nday)
						dd = m->nday - 1;
					if (dd == k)
						m->idx[++len] = q->joff + (int)t, m->val[len] = dt;
				}
				glp_set_mat_row(P, q->rday + k, len, m->idx, m->val);
				if (st && st->off_day == day0 + k)
					cap -= st->off_h;
				if (len == 0)
					glp_set_row_bnds(P, q->rday + k, GLP_FR, 0, 0);
				else
					glp_set_row_bnds(P, q->rday + k, GLP_UP, 0, cap > 0 ? cap : 0);
			}
		} else if (d->kind == BESS_DEV_SHIFTABLE) {
			int64_t task[64];
			int ntask = 0;

			for (t = 0; t < n; t++) {
				int act = t < na;
				int64_t tk = act ? bess_device_task(dv, d, m->ts[first + t], dt) : INT64_MIN;

				for (j = 0; j < q->nl; j++) {
					int c = q->jz + (int)t * q->nl + j;

					bnds(P, c, 0, tk != INT64_MIN ? 1 : 0);
					glp_set_obj_coef(P, c, act ? dt * r->price[first + t] * d->level_kw[j] : 0);
				}
				if (q->rone >= 0)
					glp_set_row_bnds(P, q->rone + (int)t, act ? GLP_UP : GLP_FR, 0, act ? 1 : 0);
				if (tk != INT64_MIN && (ntask == 0 || task[ntask - 1] != tk)) {
					if (ntask == m->nday || ntask == 64)
						return bess_err_set(err, NULL, 0, "device '%s': more tasks in a window "
						    "than it has days", d->id);
					task[ntask++] = tk;
				}
			}
			for (k = 0; k < m->nday; k++) {
				double req, most = 0;
				int cut_start, cut_end;
				size_t last = 0;

				if (k >= ntask) {
					glp_set_mat_row(P, q->rtask + k, 0, NULL, NULL);
					glp_set_row_bnds(P, q->rtask + k, GLP_FR, 0, 0);
					continue;
				}
				len = 0;
				for (t = 0; t < na; t++)
					if (bess_device_task(dv, d, m->ts[first + t], dt) == task[k]) {
						for (j = 0; j < q->nl; j++) {
							m->idx[++len] = q->jz + (int)t * q->nl + j;
							m->val[len] = dt * d->level_kw[j];
						}
						most += dt * d->power_kw;
						last = t;
					}
				glp_set_mat_row(P, q->rtask + k, len, m->idx, m->val);
				cut_start = k == 0 && bess_device_task(dv, d, step_ts(m, first) -
				    (bess_time_t)llround(dt * 3600e6), dt) == task[k];
				cut_end = bess_device_task(dv, d, step_ts(m, first + last + 1), dt) == task[k];
				req = d->energy_kwh;
				if (st && st->done_task == task[k])
					req -= st->done_kwh;
				if (req < 0)
					req = 0;
				if (cut_end) {
					q->later_kwh += req;
					glp_set_row_bnds(P, q->rtask + k, GLP_FR, 0, 0);
					continue;
				}
				if (req > most * (1 - 1e-12)) {
					if (cut_start || req > most)
						q->short_kwh += req - most > 0 ? req - most : 0;
					req = most;
				}
				/*
				 * at least req, and less than one step at the highest level more
				 * (the device stops when done: with prices below zero it would
				 * otherwise draw all it can)
				 */
				if (req <= 0)
					glp_set_row_bnds(P, q->rtask + k, GLP_FX, 0, 0);
				else
					glp_set_row_bnds(P, q->rtask + k, GLP_DB, req,
					    req + dt * d->power_kw - 1e-9 * (1 + req));
			}
		}
	}
	return 0;
}

int
bess_lpdev_intcols(const struct bess_lpdev *m, const int **cols)
{
	*cols = m->intcols;
	return m->nint;
}

int
bess_lpdev_fractional(const struct bess_lpdev *m, const double *x)
{
	int k;

	for (k = 0; k < m->nint; k++) {
		double v = x[m->intcols[k]];

		if (fabs(v - round(v)) > 1e-6)
			return 1;
	}
	return 0;
}

/* A binary's value: rounded when within 1e-6 of 0 or 1. */
static double
bin(double v)
{
	return fabs(v - round(v)) <= 1e-6 ? round(v) : v;
}

double
bess_lpdev_step_kw(const struct bess_lpdev *m, const double *x, size_t t)
{
	const struct bess_devices *dv = m->dv;
	double s = 0;
	size_t i;
	int j;

	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		const struct dmod *q = &m->d[i];

		if (d->kind == BESS_DEV_SHEDDABLE)
			s -= d->power_kw * bin(x[q->joff + (int)t]);
		else if (d->kind == BESS_DEV_SHIFTABLE)
			for (j = 0; j < q->nl; j++)
				s += d->level_kw[j] * bin(x[q->jz + (int)t * q->nl + j]);
	}
	return s;
}

void
bess_lpdev_range_kw(const struct bess_lpdev *m, double *up, double *down)
{
	size_t i;

	*up = *down = 0;
	for (i = 0; i < m->dv->ndev; i++) {
		const struct bess_device *d = &m->dv->dev[i];

		if (d->kind == BESS_DEV_SHEDDABLE)
			*down += d->power_kw;
		else if (d->kind == BESS_DEV_SHIFTABLE)
			*up += d->power_kw;
	}
}

void
bess_lpdev_device(const struct bess_lpdev *m, const double *x, size_t i, size_t t, double *power_kw,
    int *on, double *kwh)
{
	const struct bess_device *d = &m->dv->dev[i];
	const struct dmod *q = &m->d[i];
	int j;

	*power_kw = d->power_kw;
	*on = 1;
	*kwh = 0;
	if (d->kind == BESS_DEV_SHEDDABLE) {
		double off = bin(x[q->joff + (int)t]);

		*power_kw = d->power_kw * (1 - off);
		*on = off < 0.5;
		*kwh = d->power_kw * off * m->dt;
	} else if (d->kind == BESS_DEV_SHIFTABLE) {
		*power_kw = 0;
		for (j = 0; j < q->nl; j++)
			*power_kw += d->level_kw[j] * bin(x[q->jz + (int)t * q->nl + j]);
		*on = *power_kw > 0;
		*kwh = *power_kw * m->dt;
	}
}

void
bess_lpdev_shortfall(const struct bess_lpdev *m, size_t i, double *short_kwh, double *later_kwh)
{
	*short_kwh = m->d[i].short_kwh;
	*later_kwh = m->d[i].later_kwh;
}

int
bess_lpdev_step_entries(const struct bess_lpdev *m, size_t t, int *ind, double *val)
{
	const struct bess_devices *dv = m->dv;
	size_t i;
	int j, len = 0;

	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		const struct dmod *q = &m->d[i];

		if (d->kind == BESS_DEV_SHEDDABLE) {
			ind[len] = q->joff + (int)t, val[len++] = -d->power_kw;
		} else if (d->kind == BESS_DEV_SHIFTABLE) {
			for (j = 0; j < q->nl; j++)
				ind[len] = q->jz + (int)t * q->nl + j, val[len++] = d->level_kw[j];
		}
	}
	return len;
}

int
bess_lpdev_max_entries(const struct bess_lpdev *m)
{
	return (int)m->dv->ndev * BESS_DEV_MAX_LEVELS;
}
