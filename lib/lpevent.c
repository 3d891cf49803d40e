/* lpevent.c: the demand-response terms of the schedule LP — one shortfall column and row per reduction event, one per step of a cap event (bess_lpevent.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_lpevent.h"

struct bess_lpev {
	const struct bess_event_plan *plan;	/* the events on the grid */
	size_t nplan;
	size_t n;				/* model steps */
	int *col, *row;				/* per plan: its shortfall column and row (0 for a cap event) */
	int ccol, crow;				/* the first per-step cap column and row, 0 if no cap event */
};

void
bess_lpev_free(struct bess_lpev *e)
{
	if (e == NULL)
		return;
	free(e->col);
	free(e->row);
	free(e);
}

struct bess_lpev *
bess_lpev_new(glp_prob *P, size_t n, const struct bess_event_plan *plans, size_t nplan,
    struct bess_err *err)
{
	struct bess_lpev *e;
	size_t i;
	int anycap = 0, nred = 0, j, r;

	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->col = calloc(nplan + 1, sizeof(int))) == NULL ||
	    (e->row = calloc(nplan + 1, sizeof(int))) == NULL) {
		bess_lpev_free(e);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	e->plan = plans;
	e->nplan = nplan;
	e->n = n;
	for (i = 0; i < nplan; i++) {
		if (plans[i].ev->kind == BESS_EVENT_CAP)
			anycap = 1;
		else
			nred++;
	}
	if (nred > 0) {
		j = glp_add_cols(P, nred);
		r = glp_add_rows(P, nred);
		for (i = 0; i < nplan; i++)
			if (plans[i].ev->kind == BESS_EVENT_REDUCE) {
				e->col[i] = j++;
				e->row[i] = r++;
				glp_set_col_bnds(P, e->col[i], GLP_FX, 0, 0);
				glp_set_row_bnds(P, e->row[i], GLP_FR, 0, 0);
			}
	}
	if (anycap) {
		e->ccol = glp_add_cols(P, (int)n);
		e->crow = glp_add_rows(P, (int)n);
		for (i = 0; i < n; i++) {
			glp_set_col_bnds(P, e->ccol + (int)i, GLP_FX, 0, 0);
			glp_set_row_bnds(P, e->crow + (int)i, GLP_FR, 0, 0);
		}
	}
	return e;
}

/* The plan holding grid step i, or -1 (plans do not overlap). */
static long
plan_at(const struct bess_lpev *e, size_t i)
{
	size_t k;

	for (k = 0; k < e->nplan; k++)
		if (i >= e->plan[k].first && i < e->plan[k].first + e->plan[k].m)
			return (long)k;
	return -1;
}

int
bess_lpev_update(struct bess_lpev *e, glp_prob *P, const struct bess_lpev_window *w,
    double *obj_const, struct bess_err *err)
{
	int ncol = glp_get_num_cols(P), *ind = NULL, *gi = NULL;
	double *val = NULL, *gv = NULL, c0 = 0;
	size_t k, t;

	*obj_const = 0;
	if ((gi = malloc(((size_t)ncol + 1) * sizeof(int))) == NULL ||
	    (gv = malloc(((size_t)ncol + 1) * sizeof(double))) == NULL) {
		free(gi);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	/* cap events: a row per step */
	if (e->ccol > 0)
		for (t = 0; t < e->n; t++) {
			int jc = e->ccol + (int)t, rc = e->crow + (int)t, len, q;
			long p = t < w->n_act ? plan_at(e, w->first + t) : -1;
			const struct bess_event *ev = p >= 0 ? e->plan[p].ev : NULL;

			if (ev == NULL || ev->kind != BESS_EVENT_CAP) {
				glp_set_col_bnds(P, jc, GLP_FX, 0, 0);
				glp_set_obj_coef(P, jc, 0);
				glp_set_row_bnds(P, rc, GLP_FR, 0, 0);
				continue;
			}
			len = glp_get_mat_row(P, w->grid_row(w->ctx, t), gi, gv);
			for (q = 1; q <= len && gi[q] != jc; q++)
				;
			if (q > len) {
				gi[++len] = jc;
				gv[len] = -1;
			} else {
				gv[q] = -1;
			}
			glp_set_mat_row(P, rc, len, gi, gv);
			glp_set_row_bnds(P, rc, GLP_UP, 0, ev->cap_kw - w->net_kw[t]);
			glp_set_col_bnds(P, jc, GLP_LO, 0, 0);
			glp_set_obj_coef(P, jc, (ev->payment + ev->penalty) * w->dt_h);
		}
	for (k = 0; k < e->nplan; k++) {
		const struct bess_event_plan *p = &e->plan[k];
		const struct bess_event *ev = p->ev;
		size_t a = p->first, b = p->first + p->m, i, nvis = 0, len = 0;
		double rhs = p->baseline_kwh - p->requested_kwh;

		for (i = a; i < b; i++)
			if (i >= w->first && i < w->first + w->n_act)
				nvis++;
		if (nvis > 0)
			c0 -= ev->payment * p->requested_kwh;
		if (ev->kind != BESS_EVENT_REDUCE)
			continue;
		if (nvis == 0) {
			glp_set_col_bnds(P, e->col[k], GLP_FX, 0, 0);
			glp_set_obj_coef(P, e->col[k], 0);
			glp_set_mat_row(P, e->row[k], 0, NULL, NULL);
			glp_set_row_bnds(P, e->row[k], GLP_FR, 0, 0);
			continue;
		}
		free(ind);
		free(val);
		if ((ind = malloc(((size_t)ncol + 2) * sizeof(int))) == NULL ||
		    (val = calloc((size_t)ncol + 2, sizeof(double))) == NULL) {
			free(gi);
			free(gv);
			free(ind);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
		/* accumulate dt * grid row of every visible step, by column */
		for (i = a; i < b; i++) {
			int l, q;

			if (!(i >= w->first && i < w->first + w->n_act)) {
				rhs -= p->dt_h * (i < w->first && w->past_import_kw ? w->past_import_kw[i] :
				    p->baseline_kw[i - a]);
				continue;
			}
			t = i - w->first;
			rhs -= w->dt_h * w->net_kw[t];
			l = glp_get_mat_row(P, w->grid_row(w->ctx, t), gi, gv);
			for (q = 1; q <= l; q++)
				val[gi[q]] += w->dt_h * gv[q];
		}
		val[e->col[k]] = -1;
		for (i = 1; i <= (size_t)ncol; i++)
			if (val[i] != 0) {
				ind[++len] = (int)i;
				val[len] = val[i];
			}
		glp_set_mat_row(P, e->row[k], (int)len, ind, val);
		glp_set_row_bnds(P, e->row[k], GLP_UP, 0, rhs);
		glp_set_col_bnds(P, e->col[k], GLP_LO, 0, 0);
		glp_set_obj_coef(P, e->col[k], ev->payment + ev->penalty);
	}
	free(ind);
	free(val);
	free(gi);
	free(gv);
	*obj_const = c0;
	return 0;
}

void
bess_lpev_names(const struct bess_lpev *e, glp_prob *P)
{
	char name[96];
	size_t k, t;

	for (k = 0; k < e->nplan; k++)
		if (e->col[k] > 0) {
			snprintf(name, sizeof(name), "dr_short_%zu", k);
			glp_set_col_name(P, e->col[k], name);
			snprintf(name, sizeof(name), "dr_%zu", k);
			glp_set_row_name(P, e->row[k], name);
		}
	if (e->ccol > 0)
		for (t = 0; t < e->n; t++) {
			snprintf(name, sizeof(name), "dr_over_%zu", t);
			glp_set_col_name(P, e->ccol + (int)t, name);
			snprintf(name, sizeof(name), "dr_cap_%zu", t);
			glp_set_row_name(P, e->crow + (int)t, name);
		}
}
