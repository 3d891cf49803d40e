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
	int64_t *task;			/* scratch: a shiftable device's tasks in the window, nday */
	int *idx;			/* scratch for a row, n levels + 2 */
	double *val;			/* scratch for a row, n levels + 2 */
	int c0, ncol;			/* the devices' columns are c0+1 .. c0+ncol (GLPK) */
	int r0, nrow;			/* their own rows are r0+1 .. r0+nrow */
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
	free(m->task);
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
	if ((m->task = malloc((size_t)m->nday * sizeof(*m->task))) == NULL) {
		bess_lpdev_free(m);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
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
	m->c0 = c0;
	m->ncol = ncol;
	m->r0 = r0;
	m->nrow = nrow;
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
			int64_t *task = m->task;
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
					if (ntask == m->nday)
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

/* ---- each device alone, exactly (bess_lpdev_best) ---- */

/* Column j as a binary: the values it may take, lo..hi (0 or 1); -1 if its bounds are not a binary's. */
static int
bin_range(glp_prob *P, int j, int *lo, int *hi)
{
	int type = glp_get_col_type(P, j);
	double l = glp_get_col_lb(P, j), u = type == GLP_FX ? l : glp_get_col_ub(P, j);

	if ((type != GLP_DB && type != GLP_FX) || (l != 0 && l != 1) || (u != 0 && u != 1) || l > u)
		return -1;
	*lo = (int)l;
	*hi = (int)u;
	return 0;
}

/* A continuous column set to v, kept within its bounds. */
static double
within(glp_prob *P, int j, double v)
{
	int type = glp_get_col_type(P, j);

	if ((type == GLP_LO || type == GLP_DB || type == GLP_FX) && v < glp_get_col_lb(P, j))
		v = glp_get_col_lb(P, j);
	if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && v > glp_get_col_ub(P, j))
		v = glp_get_col_ub(P, j);
	return v;
}

/* The largest dynamic program best_shed takes (states times steps). */
#define SHED_DP_MAX 4000000

/*
 * Sheddable device i alone: off[t] in {0, 1} within its bounds, the
 * min_off and min_on rows (a switch at step s of the window, off[-1] the
 * state's, holds the new value through step s+L-1 of the active steps)
 * and the max_off rows (at most cap/dt steps off in a day's row), the
 * cheapest under cost. A dynamic program over (previous value, steps since
 * the last switch up to L, steps off so far in the day): exact.
 */
static int
best_shed(struct bess_lpdev *m, glp_prob *P, size_t i, const double *cost, double *x, double *value)
{
	const struct dmod *q = &m->d[i];
	const struct bess_devstate *st = m->st ? &m->st[i] : NULL;
	size_t n = m->n, na = m->na, t;
	int L = 1, C = 1, NS, s, k, init = st && st->off ? 1 : 0, curg = -1, lastg = -1, rc = -1;
	int loff = q->r1 >= 0 ? q->loff : 0, lon = q->r3 >= 0 ? q->lon : 0;
	int *grp = NULL, *capn = NULL, *from = NULL, *val01 = NULL;
	double *f = NULL, *g = NULL, best;

	if (loff > L)
		L = loff;
	if (lon > L)
		L = lon;
	if ((grp = malloc(n * sizeof(int))) == NULL || (capn = malloc(((size_t)m->nday + 1) * sizeof(int))) == NULL ||
	    (val01 = malloc(n * sizeof(int))) == NULL)
		goto out;
	for (t = 0; t < n; t++) {
		grp[t] = -1;
		if ((q->jy >= 0 && cost[q->jy + (int)t] != 0) || (q->jw >= 0 && cost[q->jw + (int)t] != 0))
			goto out;	/* the switch indicators cost nothing in bess_lpdev_update's model */
	}
	for (k = 0; q->rday >= 0 && k < m->nday; k++) {
		int type = glp_get_row_type(P, q->rday + k), len = glp_get_mat_row(P, q->rday + k, m->idx, m->val), e;

		capn[k] = (int)n;
		if (type == GLP_FR || len == 0)
			continue;
		if (type != GLP_UP)
			goto out;
		for (e = 1; e <= len; e++) {
			int c = m->idx[e] - q->joff;

			if (c < 0 || (size_t)c >= n || m->val[e] != m->val[1] || !(m->val[1] > 0))
				goto out;
			grp[c] = k;
		}
		capn[k] = (int)floor(glp_get_row_ub(P, q->rday + k) / m->val[1] + 1e-9);
		if (capn[k] < 0)
			capn[k] = -1;	/* nothing off that day */
		if (capn[k] > (int)n)
			capn[k] = (int)n;
		if (capn[k] + 1 > C)
			C = capn[k] + 1;
	}
	/* a day's steps are consecutive: the count of the day runs on until the next day's step */
	for (t = 0; t < n; t++)
		if (grp[t] >= 0) {
			if (grp[t] < lastg)
				goto out;
			lastg = grp[t];
		}
	NS = 2 * (L + 1) * C;
	if ((double)NS * (double)n > SHED_DP_MAX || (f = malloc((size_t)NS * sizeof(double))) == NULL ||
	    (g = malloc((size_t)NS * sizeof(double))) == NULL ||
	    (from = malloc((size_t)NS * n * sizeof(int))) == NULL)
		goto out;
#define SIDX(v, a, c) ((((v) * (L + 1)) + (a)) * C + (c))
	for (s = 0; s < NS; s++)
		f[s] = INFINITY;
	f[SIDX(init, L, 0)] = 0;	/* a run begun before the window: its rows are the bounds' (hold) */
	for (t = 0; t < n; t++) {
		int lo, hi, v, a, c, vn, gt = grp[t], reset = gt >= 0 && gt != curg;
		double ct = cost[q->joff + (int)t];

		if (bin_range(P, q->joff + (int)t, &lo, &hi) != 0)
			goto out;
		for (s = 0; s < NS; s++)
			g[s] = INFINITY;
		for (v = 0; v < 2; v++)
			for (a = 0; a <= L; a++)
				for (c = 0; c < C; c++) {
					double fv = f[SIDX(v, a, c)];

					if (isinf(fv))
						continue;
					for (vn = lo; vn <= hi; vn++) {
						int an, cn = reset ? 0 : c, sn;
						double gv = fv + (vn ? ct : 0);

						if (vn != v) {
							/* a switch at t ends a run of a steps: min_off, min_on (active rows) */
							if (t < na && v == 1 && loff > 1 && a < loff)
								continue;
							if (t < na && v == 0 && lon > 1 && a < lon)
								continue;
							an = 1;
						} else {
							an = a + 1 > L ? L : a + 1;
						}
						if (vn && gt >= 0 && ++cn > capn[gt])
							continue;
						sn = SIDX(vn, an, cn);
						if (gv < g[sn]) {
							g[sn] = gv;
							from[t * (size_t)NS + (size_t)sn] = SIDX(v, a, c);
						}
					}
				}
		if (gt >= 0)
			curg = gt;
		memcpy(f, g, (size_t)NS * sizeof(double));
	}
	best = INFINITY;
	k = -1;
	for (s = 0; s < NS; s++)
		if (f[s] < best) {
			best = f[s];
			k = s;
		}
	if (k < 0)
		goto out;	/* no plan meets the rows: branch and bound says so */
	for (t = n; t-- > 0;) {
		val01[t] = k / (C * (L + 1));
		k = from[t * (size_t)NS + (size_t)k];
	}
#undef SIDX
	*value += best;
	for (t = 0; t < n; t++) {
		int prev = t > 0 ? val01[t - 1] : init;

		x[q->joff + (int)t] = val01[t];
		if (q->jy >= 0)
			x[q->jy + (int)t] = within(P, q->jy + (int)t, val01[t] > prev ? 1 : 0);
		if (q->jw >= 0)
			x[q->jw + (int)t] = within(P, q->jw + (int)t, val01[t] < prev ? 1 : 0);
	}
	rc = 0;
out:
	free(grp);
	free(capn);
	free(val01);
	free(f);
	free(g);
	free(from);
	return rc;
}

/* The most level combinations best_shift tries in one task before it gives up. */
#define SHIFT_ENUM_MAX 1000000

/* A task's search: steps sorted by the price of a kWh, prefix sums Q, the energy of each level. */
struct shift_search {
	const double *Q;	/* Q[r]: the sum of the r cheapest steps' cost per kWh */
	const double *e;	/* kWh of a step at each level */
	int N;			/* steps */
	double lo, hi;		/* the task's energy bounds, kWh */
	double best;		/* the cheapest so far */
	int a[BESS_DEV_MAX_LEVELS], besta[BESS_DEV_MAX_LEVELS];
	long tries;
};

/*
 * Levels j..0 still to count, `used` steps taken by the higher ones (the
 * cheapest: with the levels' counts fixed, the highest level in the
 * cheapest steps is the cheapest way, by the rearrangement inequality).
 */
static void
shift_levels(struct shift_search *s, int j, int used, double E, double c)
{
	double tol_hi = 1e-11 * (1 + fabs(s->hi)), tol_lo = 1e-11 * (1 + fabs(s->lo));
	int a;

	for (a = 0; used + a <= s->N && E + a * s->e[j] <= s->hi + tol_hi; a++) {
		double En = E + a * s->e[j], cn = c + s->e[j] * (s->Q[used + a] - s->Q[used]);

		if (++s->tries > SHIFT_ENUM_MAX)
			return;
		s->a[j] = a;
		if (j > 0) {
			shift_levels(s, j - 1, used + a, En, cn);
		} else if (En >= s->lo - tol_lo && cn < s->best) {
			s->best = cn;
			memcpy(s->besta, s->a, sizeof(s->a));
		}
	}
}

/* Steps of a task sorted by cost per kWh, then by step. */
struct shift_step {
	double q;
	int t;
};

static int
step_cmp(const void *a, const void *b)
{
	const struct shift_step *x = a, *y = b;

	return x->q < y->q ? -1 : x->q > y->q ? 1 : x->t - y->t;
}

/*
 * Shiftable device i alone: per step one level or none, each task's energy
 * within its row's bounds; a step in no task row with bounds runs at the
 * level that pays most, if any does. Exact when a step's cost is its cost
 * per kWh times the level's kWh (the grid price's form): then for every
 * count of steps per level the cheapest steps take the highest levels, and
 * every count that meets the task is tried.
 */
static int
best_shift(struct bess_lpdev *m, glp_prob *P, size_t i, const double *cost, double *x, double *value)
{
	const struct dmod *q = &m->d[i];
	size_t n = m->n, t;
	int nl = q->nl, k, j, e, rc = -1;
	unsigned char *cov = NULL, *seen = NULL;
	struct shift_step *sv = NULL;
	double *Q = NULL, en[BESS_DEV_MAX_LEVELS];

	if ((cov = calloc(n, 1)) == NULL || (seen = calloc(n, 1)) == NULL || (sv = malloc(n * sizeof(*sv))) == NULL ||
	    (Q = malloc((n + 1) * sizeof(double))) == NULL)
		goto out;
	for (t = 0; t < n * (size_t)nl; t++)
		x[q->jz + (int)t] = 0;
	for (k = 0; k < m->nday; k++) {
		int r = q->rtask + k, type = glp_get_row_type(P, r), len = glp_get_mat_row(P, r, m->idx, m->val), N = 0;
		double lo, hi;
		struct shift_search ss;

		if (type == GLP_FR || len == 0)
			continue;
		if (type != GLP_DB && type != GLP_FX)
			goto out;
		lo = glp_get_row_lb(P, r);
		hi = type == GLP_FX ? lo : glp_get_row_ub(P, r);
		if (len % nl != 0)
			goto out;
		for (j = 0; j < nl; j++)
			en[j] = 0;
		for (e = 1; e <= len; e++) {
			int c = m->idx[e] - q->jz, lo01, hi01;

			if (c < 0 || (size_t)c >= n * (size_t)nl || bin_range(P, m->idx[e], &lo01, &hi01) != 0 ||
			    lo01 != 0 || hi01 != 1)
				goto out;
			t = (size_t)(c / nl);
			j = c % nl;
			if (en[j] == 0)
				en[j] = m->val[e];
			if (m->val[e] != en[j] || !(en[j] > 0) || cov[t] > nl - 1 || (cov[t] == 0 && seen[t]))
				goto out;	/* a step in two tasks, or a level twice */
			if (cov[t]++ == 0)
				sv[N++].t = (int)t;
		}
		for (e = 0; e < N; e++) {
			if (cov[sv[e].t] != nl)
				goto out;	/* a step with some of its levels only */
			seen[sv[e].t] = 1;
		}
		for (j = 1; j < nl; j++)
			if (!(en[j] > en[j - 1]))
				goto out;
		/* a step's cost must be one price per kWh times each level's kWh */
		for (e = 0; e < N; e++) {
			int z = q->jz + sv[e].t * nl;

			sv[e].q = cost[z] / en[0];
			for (j = 1; j < nl; j++)
				if (fabs(cost[z + j] - sv[e].q * en[j]) > 1e-9 * (1 + fabs(cost[z + j])))
					goto out;
		}
		qsort(sv, (size_t)N, sizeof(*sv), step_cmp);
		Q[0] = 0;
		for (e = 0; e < N; e++)
			Q[e + 1] = Q[e] + sv[e].q;
		memset(&ss, 0, sizeof(ss));
		ss.Q = Q;
		ss.e = en;
		ss.N = N;
		ss.lo = lo;
		ss.hi = hi;
		ss.best = INFINITY;
		shift_levels(&ss, nl - 1, 0, 0, 0);
		if (ss.tries > SHIFT_ENUM_MAX || isinf(ss.best))
			goto out;	/* too many ways, or none: branch and bound */
		e = 0;
		for (j = nl - 1; j >= 0; j--) {
			int a;

			for (a = 0; a < ss.besta[j]; a++, e++) {
				x[q->jz + sv[e].t * nl + j] = 1;
				*value += cost[q->jz + sv[e].t * nl + j];
			}
		}
	}
	/* steps in no task with bounds: free, one level at most */
	for (t = 0; t < n; t++) {
		int bj = -1, one = q->rone >= 0 && glp_get_row_type(P, q->rone + (int)t) != GLP_FR;

		if (seen[t])
			continue;
		for (j = 0; j < nl; j++) {
			int z = q->jz + (int)t * nl + j, lo01, hi01;

			if (bin_range(P, z, &lo01, &hi01) != 0 || lo01 != 0)
				goto out;
			if (hi01 == 0 || !(cost[z] < 0))
				continue;
			if (!one) {
				x[z] = 1;
				*value += cost[z];
			} else if (bj < 0 || cost[z] < cost[q->jz + (int)t * nl + bj]) {
				bj = j;
			}
		}
		if (bj >= 0) {
			x[q->jz + (int)t * nl + bj] = 1;
			*value += cost[q->jz + (int)t * nl + bj];
		}
	}
	rc = 0;
out:
	free(cov);
	free(seen);
	free(sv);
	free(Q);
	return rc;
}

int
bess_lpdev_best(struct bess_lpdev *m, glp_prob *P, const double *cost, double *x, double *value)
{
	size_t i;

	*value = 0;
	if (m->ts == NULL)
		return -1;
	for (i = 0; i < m->dv->ndev; i++) {
		int kind = m->dv->dev[i].kind;

		if (kind == BESS_DEV_SHEDDABLE && best_shed(m, P, i, cost, x, value) != 0)
			return -1;
		if (kind == BESS_DEV_SHIFTABLE && best_shift(m, P, i, cost, x, value) != 0)
			return -1;
	}
	return 0;
}

void
bess_lpdev_span(const struct bess_lpdev *m, int *col0, int *ncol, int *row0, int *nrow)
{
	*col0 = m->c0 + 1;
	*ncol = m->ncol;
	*row0 = m->r0 + 1;
	*nrow = m->nrow;
}
