/* lp.c: the battery scheduling LP with GLPK — model building, window updates, warm/cold solves, MILP only where it matters. */
#include <float.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_lp.h"
#include "bess_socdp.h"
#include "bess_lpbill.h"
#include "bess_lpevent.h"
#include "bess_lpdev.h"

/*
 * The columns of a step: one battery block (charge, discharge, SOC) per
 * battery, then the site's optional columns (export, curtailment, peak),
 * then the soft-SOC pair (below, above) per battery, then the ratchet
 * column; with one battery this is the layout of a one-battery model. The
 * rows of a step: the grid row, one SOC row per battery, then the site's
 * optional rows. Offsets within a battery block:
 */
enum { JC = 0, JD, JS, JBAT };

struct bess_lp {
	glp_prob *P;
	unsigned gen;			/* glpk_gen when P was made */
	struct bess_battery *bat;	/* the batteries (copies), nb of them */
	int nb;				/* batteries */
	struct bess_site s;		/* copy (owned pointers cleared) */
	size_t n;			/* steps */
	double dt;			/* hours per step */
	unsigned flags;			/* BESS_LP_* */
	int K, R;			/* columns and rows per step */
	int jge, ju, jm;		/* optional column offsets, -1 if absent */
	int jb;				/* battery 0's soft-SOC pair (below, above; battery i's at jb + 2i), -1 if absent */
	int rcap, rchain;		/* optional row offsets, -1 if absent */
	int jr, rrat;			/* ratchet column and row offsets, -1 if absent */
	int nday;			/* day rows (after the step rows) */
	size_t n_act;			/* active steps of the current window */
	double *soc_init;		/* per battery: SOC at the start of the current window, kWh */
	double penalty;			/* P per kWh outside the SOC limits per step */
	double obj0;			/* objective constant: sum dt price (load - solar) */
	int *chain_prev;		/* per step: the chain row's link (-1 first of a group, -2 no period, -3 unset) */
	unsigned char *cap_win;		/* per step: its cap row holds a demand window's mean (NULL: none yet) */
	int *day_of;			/* per step: its day row (-1 none / unset) */
	unsigned char *elig_b;		/* per step: simultaneous charge/discharge could pay */
	unsigned char *elig_g;		/* per step: simultaneous import/export could pay */
	double *load, *solar;		/* per step of the window */
	double *el;			/* per step: the export limit in force (0 = none allowed) */
	double *x;			/* the last solution, per column (1-based) */
	int have_x;
	double tol;			/* relative accuracy of x: 1e-9 from a vertex, 1e-7 from interior point */
	int basis_ok;			/* a simplex basis from a solve exists */
	int *cand;			/* after a shift: rows whose own variable may have to turn basic */
	int ncand;			/* how many */
	int deficit;			/* basic variables missing after a shift (0 = square) */
	int keep_both;			/* the last solve allowed simultaneous flows (--milp off) */
	double warm_fail;		/* moving average of shifted bases that were singular (0..1) */
	struct bess_lpbill *bill;	/* energy blocks, minimum charge, export cap (bess_lpbill.h; NULL = none yet) */
	int cold_count;			/* cold solves of a rolling caller while warm starts fail */
	int ncol;			/* columns of the model (x's length - 1): the steps', then the events'
					   and the bill terms' */
	struct bess_lpev *ev;		/* demand-response terms (lib/lpevent.c), NULL = none */
	struct bess_lpdev *dev;		/* controllable loads (bess_lp_devices), NULL = none */
	int *xrat;			/* ratchet rows beyond the step rows (a bill with fewer steps than
					   bills looked back on), added on need, free when unused */
	size_t nxrat;
	size_t ev_first;		/* the events' grid step of the window's first step (input's first added) */
	const double *ev_past;		/* the events' grid: import realised before the window (NULL = none) */
};

const char *
bess_lp_solver(void)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "GLPK %s", glp_version());
	return buf;
}

static int
col(const struct bess_lp *lp, size_t t, int j)
{
	return 1 + (int)t * lp->K + j;
}

/* Column j (JC, JD, JS) of battery i in step t. */
static int
bcol(const struct bess_lp *lp, size_t t, int i, int j)
{
	return col(lp, t, i * JBAT + j);
}

/* Battery i's soft-SOC columns in step t: below soc_min (b), above soc_max (e). */
static int
bcol_b(const struct bess_lp *lp, size_t t, int i)
{
	return col(lp, t, lp->jb + 2 * i);
}

static int
bcol_e(const struct bess_lp *lp, size_t t, int i)
{
	return col(lp, t, lp->jb + 2 * i + 1);
}

static int
row(const struct bess_lp *lp, size_t t, int j)
{
	return 1 + (int)t * lp->R + j;
}

/* Battery i's SOC row in step t. */
static int
soc_row(const struct bess_lp *lp, size_t t, int i)
{
	return row(lp, t, 1 + i);
}

/* Battery i's day row d (BESS_LP_CYCLES; after every step's rows). */
static int
day_row(const struct bess_lp *lp, int i, int d)
{
	return 1 + (int)lp->n * lp->R + i * lp->nday + d;
}

/*
 * GLPK calls the error hook and then abort()s when it fails, e.g. out of
 * memory: the hook jumps back to the guarded entry point (bess_lp_new,
 * bess_lp_update, bess_lp_solve) instead, which resets GLPK and returns an
 * error; every model made before is lost (bess_lp_free only). The state
 * below assumes one thread builds and solves models, as the tools do.
 */
static jmp_buf *glpk_jb;
static unsigned glpk_gen;	/* GLPK environments freed after a failure: older models' P are gone */
static struct {			/* what bess_lp_new has allocated so far, freed if GLPK fails */
	struct bess_lp *lp;
	int *ia, *ja;
	double *ar;
} building;

/* After the jump back: reset GLPK (its documented recovery), which frees every problem. */
static void
glpk_reset(void)
{
	glp_error_hook(NULL, NULL);
	glp_free_env();
	glpk_gen++;
}

static void
glpk_fail(void *info)
{
	(void)info;
	longjmp(*glpk_jb, 1);
}

static int
quiet_hook(void *info, const char *s)
{
	(void)info;
	(void)s;
	return 1;	/* swallow: library code never prints */
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

unsigned
bess_lp_flags_for(const struct bess_battery *b, const struct bess_lp_input *in, size_t n)
{
	unsigned f = 0;
	size_t t, na = in->n_active ? in->n_active : n;

	for (t = 0; t < na; t++)
		if (in->rates->period[in->first + t] >= 0) {
			f |= BESS_LP_DEMAND;
			break;
		}
	for (t = 0; in->rates->ratchet_frac && t < na; t++)
		if (in->rates->period[in->first + t] >= 0 &&
		    in->rates->ratchet_frac[in->rates->period[in->first + t]] > 0) {
			f |= BESS_LP_RATCHET;
			break;
		}
	if (in->soc_init_kwh < b->soc_min_kwh - 1e-9 || in->soc_init_kwh > b->soc_max_kwh + 1e-9)
		f |= BESS_LP_SOFT;
	if (b->max_cycles_per_day > 0)
		f |= BESS_LP_CYCLES;
	for (t = 0; in->solar_kw && t < na; t++)
		if (in->solar_kw[in->first + t] > 0) {
			f |= BESS_LP_SOLAR;
			break;
		}
	for (t = 0; in->rates->export_ok && t < na; t++)
		if (in->rates->export_price[in->first + t] != in->rates->price[in->first + t] ||
		    (in->rates->win_n && in->rates->win_n[in->first + t] > 1)) {
			f |= BESS_LP_SPLIT;	/* a window's mean is of imports: export must not offset them */
			break;
		}
	if (bess_lpbill_needs_split(in->rates))
		f |= BESS_LP_SPLIT;	/* energy blocks, the minimum and the export cap read import and export */
	return f;
}

unsigned
bess_lp_flags_for_n(const struct bess_battery *b, size_t nbat, const struct bess_lp_input *in, size_t n)
{
	struct bess_lp_input one = *in;
	unsigned f = 0;
	size_t i;

	for (i = 0; i < nbat; i++) {
		if (in->bat_soc_init_kwh)
			one.soc_init_kwh = in->bat_soc_init_kwh[i];
		f |= bess_lp_flags_for(&b[i], &one, n);
	}
	return f;
}

void
bess_lp_free(struct bess_lp *lp)
{
	if (lp == NULL)
		return;
	if (lp->P && lp->gen == glpk_gen)
		glp_delete_prob(lp->P);
	free(lp->chain_prev);
	free(lp->cap_win);
	free(lp->day_of);
	free(lp->elig_b);
	free(lp->elig_g);
	free(lp->load);
	free(lp->solar);
	free(lp->el);
	free(lp->x);
	free(lp->cand);
	bess_lpev_free(lp->ev);
	bess_lpbill_free(lp->bill);
	bess_lpdev_free(lp->dev);
	free(lp->xrat);
	free(lp->soc_init);
	free(lp->bat);
	free(lp);
}

static struct bess_lp *
lp_new(const struct bess_battery *b, int nb, const struct bess_site *s, size_t n, double dt_h,
    unsigned flags, struct bess_err *err)
{
	struct bess_lp *lp;
	int *ia = NULL, *ja = NULL, nz = 0, ncol, nrow, i, cyc = 0;
	double *ar = NULL;
	size_t t, cap;

	if (n == 0 || !(dt_h > 0)) {
		bess_err_set(err, NULL, 0, "a model needs at least one step of positive length");
		return NULL;
	}
	if (n > BESS_LP_MAX_STEPS) {
		bess_err_set(err, NULL, 0, "%zu steps are more than one model takes (%d); "
		    "optimise shorter periods", n, BESS_LP_MAX_STEPS);
		return NULL;
	}
	if (nb < 1 || (size_t)nb > BESS_LP_MAX_BATTERIES) {
		bess_err_set(err, NULL, 0, "a model takes 1 to %d batteries", BESS_LP_MAX_BATTERIES);
		return NULL;
	}
	/* a battery's block is 3 of a step's columns and 1 of its rows: a fleet takes twice the steps */
	if (nb > 1 && (size_t)nb * n > 2 * (size_t)BESS_LP_MAX_STEPS) {
		bess_err_set(err, NULL, 0, "%zu steps of %d batteries are more than one model takes "
		    "(%d battery steps); optimise shorter periods", n, nb, 2 * BESS_LP_MAX_STEPS);
		return NULL;
	}
	glp_term_hook(quiet_hook, NULL);
	glp_term_out(GLP_OFF);
	if ((lp = calloc(1, sizeof(*lp))) == NULL)
		goto oom;
	building.lp = lp;
	if ((lp->bat = malloc((size_t)nb * sizeof(*lp->bat))) == NULL)
		goto oom;
	memcpy(lp->bat, b, (size_t)nb * sizeof(*lp->bat));
	lp->nb = nb;
	lp->s = *s;
	lp->s.tariff_path = NULL;
	lp->s.peak = NULL;
	lp->s.npeak = 0;
	lp->n = n;
	lp->dt = dt_h;
	lp->flags = flags;
	lp->K = nb * JBAT;
	lp->jge = lp->ju = lp->jm = lp->jb = -1;
	if (flags & BESS_LP_SPLIT)
		lp->jge = lp->K++;
	if (flags & BESS_LP_SOLAR)
		lp->ju = lp->K++;
	lp->rcap = lp->rchain = -1;
	if (flags & BESS_LP_DEMAND)
		lp->jm = lp->K++;
	if (flags & BESS_LP_SOFT) {
		lp->jb = lp->K;
		lp->K += 2 * nb;
	}
	lp->R = 1 + nb;
	if (flags & BESS_LP_DEMAND) {
		lp->rcap = lp->R++;
		lp->rchain = lp->R++;
	}
	lp->jr = lp->rrat = -1;
	if ((flags & BESS_LP_RATCHET) && (flags & BESS_LP_DEMAND)) {
		lp->jr = lp->K++;
		lp->rrat = lp->R++;
	}
	for (i = 0; i < nb; i++)
		cyc |= b[i].max_cycles_per_day > 0;
	if ((flags & BESS_LP_CYCLES) && cyc)
		lp->nday = (int)ceil((double)n * dt_h / 24) + 2;
	ncol = (int)n * lp->K;
	nrow = (int)n * lp->R + nb * lp->nday;
	if ((lp->chain_prev = malloc(n * sizeof(int))) == NULL ||
	    (lp->day_of = malloc(n * sizeof(int))) == NULL ||
	    (lp->elig_b = calloc(n, 1)) == NULL || (lp->elig_g = calloc(n, 1)) == NULL ||
	    (lp->load = calloc(n, sizeof(double))) == NULL ||
	    (lp->solar = calloc(n, sizeof(double))) == NULL ||
	    (lp->el = calloc(n, sizeof(double))) == NULL ||
	    (lp->soc_init = calloc((size_t)nb, sizeof(double))) == NULL ||
	    (lp->x = calloc((size_t)ncol + 1, sizeof(double))) == NULL ||
	    (lp->cand = calloc(n + (size_t)(nb * lp->nday) + 1 + (size_t)nb, sizeof(int))) == NULL)
		goto oom;
	for (t = 0; t < n; t++) {
		lp->chain_prev[t] = -3;
		lp->day_of[t] = -1;
	}
	lp->gen = glpk_gen;
	if ((lp->P = glp_create_prob()) == NULL)
		goto oom;
	glp_set_obj_dir(lp->P, GLP_MIN);
	glp_add_cols(lp->P, ncol);
	glp_add_rows(lp->P, nrow);
	lp->ncol = ncol;

	/* the fixed part of the matrix */
	cap = n * (size_t)(6 + 12 * nb) + 1;
	if ((ia = malloc(cap * sizeof(int))) == NULL || (ja = malloc(cap * sizeof(int))) == NULL ||
	    (ar = malloc(cap * sizeof(double))) == NULL)
		goto oom;
#define NZ(i, j, v) do { nz++; ia[nz] = (i); ja[nz] = (j); ar[nz] = (v); } while (0)
	for (t = 0; t < n; t++) {
		int rb = row(lp, t, 0);

		/* grid row: its value + (load - solar) is the grid import (SPLIT) or net grid power */
		for (i = 0; i < nb; i++) {
			NZ(rb, bcol(lp, t, i, JC), 1);
			NZ(rb, bcol(lp, t, i, JD), -1);
		}
		if (lp->ju >= 0)
			NZ(rb, col(lp, t, lp->ju), 1);
		if (lp->jge >= 0)
			NZ(rb, col(lp, t, lp->jge), 1);
		for (i = 0; i < nb; i++) {
			int rs = soc_row(lp, t, i);
			double k = bess_battery_keep(&b[i], dt_h);

			/* SOC row: the equation of bess_battery_soc_step (bess_battery.h), moved to one side */
			NZ(rs, bcol(lp, t, i, JS), 1);
			NZ(rs, bcol(lp, t, i, JC), -b[i].eta_charge * dt_h);
			NZ(rs, bcol(lp, t, i, JD), dt_h / b[i].eta_discharge);
			if (lp->jb >= 0) {
				NZ(rs, bcol_b(lp, t, i), -1);
				NZ(rs, bcol_e(lp, t, i), 1);
			}
			if (t > 0) {
				NZ(rs, bcol(lp, t - 1, i, JS), -k);
				if (lp->jb >= 0) {
					NZ(rs, bcol_b(lp, t - 1, i), k);
					NZ(rs, bcol_e(lp, t - 1, i), -k);
				}
			}
		}
		if (lp->jm >= 0) {
			int rc = row(lp, t, lp->rcap);

			/* m - import >= 0, written as m - c + d - u - ge >= load - solar */
			NZ(rc, col(lp, t, lp->jm), 1);
			for (i = 0; i < nb; i++) {
				NZ(rc, bcol(lp, t, i, JC), -1);
				NZ(rc, bcol(lp, t, i, JD), 1);
			}
			if (lp->ju >= 0)
				NZ(rc, col(lp, t, lp->ju), -1);
			if (lp->jge >= 0)
				NZ(rc, col(lp, t, lp->jge), -1);
		}
	}
#undef NZ
	building.ia = ia;
	building.ja = ja;
	building.ar = ar;
	glp_load_matrix(lp->P, nz, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	return lp;
oom:
	free(ia);
	free(ja);
	free(ar);
	bess_lp_free(lp);
	bess_err_set(err, NULL, 0, "out of memory");
	return NULL;
}

/* Set column bounds [lo, hi] (hi may be INFINITY). */
static void
set_col(glp_prob *P, int j, double lo, double hi)
{
	if (isinf(hi))
		glp_set_col_bnds(P, j, GLP_LO, lo, 0);
	else if (hi - lo <= 1e-12)
		glp_set_col_bnds(P, j, GLP_FX, lo, lo);
	else
		glp_set_col_bnds(P, j, GLP_DB, lo, hi);
}

/* Set row bounds [lo, hi] (either may be infinite). */
static void
set_row(glp_prob *P, int i, double lo, double hi)
{
	if (isinf(lo) && isinf(hi))
		glp_set_row_bnds(P, i, GLP_FR, 0, 0);
	else if (isinf(hi))
		glp_set_row_bnds(P, i, GLP_LO, lo, 0);
	else if (isinf(lo))
		glp_set_row_bnds(P, i, GLP_UP, 0, hi);
	else if (hi - lo <= 1e-12)
		glp_set_row_bnds(P, i, GLP_FX, lo, lo);
	else
		glp_set_row_bnds(P, i, GLP_DB, lo, hi);
}

/* Link the chain row of step t to prev (-1: none, -2: no period). */
static void
set_chain(struct bess_lp *lp, size_t t, int prev)
{
	int ind[3];
	double val[3];
	int len = 1;

	if (lp->chain_prev[t] == prev)
		return;
	ind[1] = col(lp, t, lp->jm);
	val[1] = 1;
	if (prev >= 0) {
		ind[2] = col(lp, (size_t)prev, lp->jm);
		val[2] = -1;
		len = 2;
	}
	glp_set_mat_row(lp->P, row(lp, t, lp->rchain), len, ind, val);
	lp->chain_prev[t] = prev;
}

/*
 * The cap row of step t (it has a demand period): m[t] >= the step's import,
 * or with a tariff demand_window m[t] >= the mean import of the step's
 * window, (1/w) sum over the window's steps j of (load - solar + c - d + u
 * + ge + the devices' kW)[j], w the window's steps in the data (bess_rates win_first/win_n,
 * the one definition bess_rates_cost bills). Steps of the window before
 * this model's first import in->win_before_kw between them; steps after
 * its last count as importing nothing.
 */
static int
set_cap(struct bess_lp *lp, const struct bess_lp_input *in, size_t t)
{
	const struct bess_rates *r = in->rates;
	size_t i = in->first + t, na = in->n_active ? in->n_active : lp->n, j, lo, hi, per;
	int rc = row(lp, t, lp->rcap), len = 0, wn = r->win_n ? r->win_n[i] : 1, *ind, b;
	long wf = r->win_first ? r->win_first[i] : (long)i;	/* < 0 in a window's own rates */
	double rhs = 0, *val;

	if (wn <= 1 && !(lp->cap_win && lp->cap_win[t])) {
		glp_set_row_bnds(lp->P, rc, GLP_LO, lp->load[t] - lp->solar[t], 0);
		return 0;
	}
	if (lp->cap_win == NULL && (lp->cap_win = calloc(lp->n, 1)) == NULL)
		return -1;
	lo = wf > (long)in->first ? (size_t)(wf - (long)in->first) : 0;
	hi = (size_t)(wf + wn - (long)in->first);
	if (wn <= 1)
		lo = t, hi = t + 1;	/* back to the step's own import */
	else if (wf < (long)in->first)
		rhs += in->win_before_kw / wn;	/* the steps of the window before the model's */
	if (hi > na)
		hi = na;
	per = 2 + 2 * (size_t)lp->nb + (lp->dev ? (size_t)bess_lpdev_max_entries(lp->dev) : 0);
	if ((ind = malloc((per * (hi - lo) + 2) * sizeof(int))) == NULL ||
	    (val = malloc((per * (hi - lo) + 2) * sizeof(double))) == NULL) {
		free(ind);
		return -1;
	}
	ind[++len] = col(lp, t, lp->jm);
	val[len] = 1;
	for (j = lo; j < hi; j++) {
		double load = in->load_kw ? in->load_kw[in->first + j] : 0;
		double solar = in->solar_kw ? in->solar_kw[in->first + j] : 0;

		rhs += (load - solar) / wn;
		for (b = 0; b < lp->nb; b++) {
			ind[++len] = bcol(lp, j, b, JC), val[len] = -1.0 / wn;
			ind[++len] = bcol(lp, j, b, JD), val[len] = 1.0 / wn;
		}
		if (lp->ju >= 0)
			ind[++len] = col(lp, j, lp->ju), val[len] = -1.0 / wn;
		if (lp->jge >= 0)
			ind[++len] = col(lp, j, lp->jge), val[len] = -1.0 / wn;
		if (lp->dev) {
			/* the devices' kW in the step's import (bess_lpdev.h: shed -P, shifted +l) */
			int k, nd = bess_lpdev_step_entries(lp->dev, j, ind + len + 1, val + len + 1);

			for (k = 1; k <= nd; k++)
				val[len + k] = -val[len + k] / wn;
			len += nd;
		}
	}
	glp_set_mat_row(lp->P, rc, len, ind, val);
	glp_set_row_bnds(lp->P, rc, GLP_LO, rhs, 0);
	lp->cap_win[t] = wn > 1;
	free(ind);
	free(val);
	return 0;
}

/*
 * Ratchets (see bess_lp.h): last[key] is 1 + the last step of each (bill,
 * period) group in the window (0 = none), key = bill * nperiod + period.
 * A group with a ratchet bills its column r[last] instead of m[last].
 */
static void
set_ratchets(struct bess_lp *lp, const struct bess_lp_input *in, const int *last)
{
	const struct bess_rates *r = in->rates;
	size_t n = lp->n, na = in->n_active ? in->n_active : n, f = in->first, np = r->nperiod, t;
	int *used = calloc(n + 1, sizeof(int));	/* ratchet rows taken per step */
	size_t ux;				/* rows of the pool taken */

	for (t = 0; t < n; t++) {
		glp_set_col_bnds(lp->P, col(lp, t, lp->jr), GLP_FX, 0, 0);
		glp_set_obj_coef(lp->P, col(lp, t, lp->jr), 0);
		glp_set_row_bnds(lp->P, row(lp, t, lp->rrat), GLP_FR, 0, 0);
	}
	for (ux = 0; ux < lp->nxrat; ux++)
		glp_set_row_bnds(lp->P, lp->xrat[ux], GLP_FR, 0, 0);
	ux = 0;
	if (used == NULL)
		return;
	for (t = 0; t < na; t++) {
		int pp = r->period[f + t], L, ind[3], rr;
		size_t b = (size_t)r->bill[f + t], key, k, from, s;
		double val[3];

		if (pp < 0 || !(r->ratchet_frac[pp] > 0))
			continue;
		key = b * np + (size_t)pp;
		L = last[key] - 1;
		if (used[L] != 0)
			continue;	/* the group is done */
		used[L] = -1;
		/* the floor the bills before the model's set (bess_mpc passes it) */
		glp_set_col_bnds(lp->P, col(lp, (size_t)L, lp->jr), GLP_LO,
		    in->ratchet_floor_kw ? in->ratchet_floor_kw[(b - (size_t)r->bill[f]) * np + (size_t)pp] : 0, 0);
		glp_set_obj_coef(lp->P, col(lp, (size_t)L, lp->jr), r->demand_rate[pp]);
		glp_set_obj_coef(lp->P, col(lp, (size_t)L, lp->jm), 0);
		/* the rows go on the group's steps from t on: B >= m[L], then B >= share * m[earlier last] */
		s = t;
		ind[1] = col(lp, (size_t)L, lp->jr), val[1] = 1;
		ind[2] = col(lp, (size_t)L, lp->jm), val[2] = -1;
		glp_set_mat_row(lp->P, row(lp, s, lp->rrat), 2, ind, val);
		glp_set_row_bnds(lp->P, row(lp, s, lp->rrat), GLP_LO, 0, 0);
		from = r->lookback_bills[pp] > 0 && b > (size_t)r->lookback_bills[pp] ?
		    b - (size_t)r->lookback_bills[pp] : 0;
		for (k = from; k < b; k++) {
			int E = last[k * np + (size_t)pp] - 1;

			if (E < 0 || !(r->lookback_months[pp] & (1u << (r->bill_month[k] - 1))))
				continue;
			do	/* the group's next step */
				s++;
			while (s < na && !(r->period[f + s] == pp && (size_t)r->bill[f + s] == b));
			if (s < na) {
				rr = row(lp, s, lp->rrat);
			} else {	/* more bills looked back on than the group has steps: a row of the pool */
				if (ux == lp->nxrat) {
					int *g = realloc(lp->xrat, (ux + 1) * sizeof(int));

					if (g == NULL)
						break;
					lp->xrat = g;
					lp->xrat[lp->nxrat++] = glp_add_rows(lp->P, 1);
				}
				rr = lp->xrat[ux++];
			}
			ind[2] = col(lp, (size_t)E, lp->jm), val[2] = -r->ratchet_frac[pp];
			glp_set_mat_row(lp->P, rr, 2, ind, val);
			glp_set_row_bnds(lp->P, rr, GLP_LO, 0, 0);
		}
	}
	free(used);
}

/*
 * The bill terms of the window (energy blocks, minimum charge, export cap:
 * bess_lpbill.h), on the split model's columns; lp->x grows with them.
 */
static int
bill_terms(struct bess_lp *lp, const struct bess_lp_input *in, struct bess_err *err)
{
	size_t na = lp->n_act, t;
	struct bess_lpbill_step *st;
	double *x;
	int ncol;

	if (lp->jge < 0 && lp->bill == NULL)
		return 0;	/* no export column: the terms are billed only (bess_lpbill_unplanned) */
	if ((st = calloc(na + 1, sizeof(*st))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (t = 0; t < na; t++) {
		st[t].grid_row = row(lp, t, 0);
		st[t].x = lp->jge >= 0 ? col(lp, t, lp->jge) : 0;
		st[t].net_kw = lp->load[t] - lp->solar[t];
		st[t].el_kw = lp->el[t];
		if (lp->jr >= 0 && glp_get_obj_coef(lp->P, col(lp, t, lp->jr)) != 0)
			st[t].dem = col(lp, t, lp->jr);
		else if (lp->jm >= 0 && glp_get_obj_coef(lp->P, col(lp, t, lp->jm)) != 0)
			st[t].dem = col(lp, t, lp->jm);
		if (st[t].dem)
			st[t].dem_rate = glp_get_obj_coef(lp->P, st[t].dem);
	}
	if (bess_lpbill_update(&lp->bill, lp->P, in->rates, in->first, na, st, in->bill_so_far,
	    in->bill_open, err) != 0) {
		free(st);
		return -1;
	}
	free(st);
	if ((ncol = glp_get_num_cols(lp->P)) > lp->ncol) {
		if ((x = realloc(lp->x, ((size_t)ncol + 1) * sizeof(double))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		memset(x + lp->ncol + 1, 0, (size_t)(ncol - lp->ncol) * sizeof(double));
		lp->x = x;
		lp->ncol = ncol;
	}
	return 0;
}

static double
soc_target(const struct bess_battery *b, double init)
{
	double lo = b->soc_min_kwh, hi = b->soc_max_kwh;

	switch (b->soc_final) {
	case BESS_SOC_FINAL_INIT:
		return init < lo ? lo : init > hi ? hi : init;
	case BESS_SOC_FINAL_MIN:
	case BESS_SOC_FINAL_EXACT:
		return b->soc_final_kwh;
	default:
		return lo;
	}
}

static int lp_update(struct bess_lp *lp, const struct bess_lp_input *in, struct bess_err *err);

/* Step t's grid row, for lpevent.c. */
static int
grid_row_of(const void *ctx, size_t t)
{
	return row(ctx, t, 0);
}

/* The demand-response terms of the window (bess_lpevent.h): rows over the grid rows, a constant. */
static int
ev_update(struct bess_lp *lp, const struct bess_lp_input *in, struct bess_err *err)
{
	struct bess_lpev_window w;
	double *net, c0;
	size_t t;
	int rc;

	if (lp->ev == NULL)
		return 0;
	if ((net = malloc(lp->n * sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (t = 0; t < lp->n; t++)
		net[t] = lp->load[t] - lp->solar[t];
	w.first = lp->ev_first + in->first;
	w.past_import_kw = lp->ev_past;
	w.n_act = lp->n_act;
	w.dt_h = lp->dt;
	w.net_kw = net;
	w.grid_row = grid_row_of;
	w.ctx = lp;
	rc = bess_lpev_update(lp->ev, lp->P, &w, &c0, err);
	free(net);
	if (rc != 0)
		return rc;
	lp->obj0 += c0;
	glp_set_obj_coef(lp->P, 0, lp->obj0);
	return 0;
}
static int lp_solve(struct bess_lp *lp, const struct bess_lp_opts *opts,
    struct bess_lp_result *res, struct bess_err *err);

/* The arguments of a guarded bess_lp_update or bess_lp_solve. */
struct glpk_call {
	struct bess_lp *lp;
	const struct bess_lp_input *in;		/* update */
	const struct bess_lp_opts *opts;	/* solve */
	struct bess_lp_result *res;		/* solve */
	struct bess_err *err;
};

static int
call_update(const struct glpk_call *c)
{
	return lp_update(c->lp, c->in, c->err);
}

static int
call_solve(const struct glpk_call *c)
{
	return lp_solve(c->lp, c->opts, c->res, c->err);
}

/* fn(c) with GLPK's failures caught: a model lost before is refused, a failure loses it. */
static int
guarded(int (*fn)(const struct glpk_call *), const struct glpk_call *c)
{
	struct bess_lp *lp = c->lp;
	jmp_buf jb;
	int rc;

	if (lp->P == NULL || lp->gen != glpk_gen)
		return bess_err_set(c->err, NULL, 0, "the model was lost when the solver failed");
	if (setjmp(jb) != 0) {
		glpk_reset();
		lp->P = NULL;
		return bess_err_set(c->err, NULL, 0, "the solver failed on %zu steps (out of memory?)",
		    lp->n);
	}
	glpk_jb = &jb;
	glp_error_hook(glpk_fail, NULL);
	rc = fn(c);
	glp_error_hook(NULL, NULL);
	return rc;
}

int
bess_lp_update(struct bess_lp *lp, const struct bess_lp_input *in, struct bess_err *err)
{
	struct glpk_call c = { lp, in, NULL, NULL, err };

	return guarded(call_update, &c);
}

static int
lp_update(struct bess_lp *lp, const struct bess_lp_input *in, struct bess_err *err)
{
	const struct bess_rates *r = in->rates;
	const struct bess_battery *b;
	glp_prob *P = lp->P;
	size_t n = lp->n, na = in->n_active ? in->n_active : n, t, f = in->first;
	double dt = lp->dt, maxp = 0, maxrate = 0, dmax = 0;
	int *last_step = NULL, *last_bill = NULL, day_changed = 0, bi;
	double obj0 = 0;
	size_t np = r->nperiod, p;

	if (na > n || f + na > r->n)
		return bess_err_set(err, NULL, 0, "the window runs past the data");
	if (lp->nb > 1 && in->bat_soc_init_kwh == NULL)
		return bess_err_set(err, NULL, 0, "a model of %d batteries needs an initial SOC for each",
		    lp->nb);
	if ((last_step = malloc((np + 1) * sizeof(int))) == NULL ||
	    (last_bill = malloc((np + 1) * sizeof(int))) == NULL) {
		free(last_step);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	for (p = 0; p < np; p++) {
		last_step[p] = -1;
		last_bill[p] = -1;
		if (r->demand_rate[p] > maxrate)
			maxrate = r->demand_rate[p];
	}
	lp->n_act = na;
	for (bi = 0; bi < lp->nb; bi++) {
		lp->soc_init[bi] = in->bat_soc_init_kwh ? in->bat_soc_init_kwh[bi] : in->soc_init_kwh;
		dmax += lp->bat[bi].discharge_kw;
	}
	lp->have_x = 0;
	for (t = 0; t < na; t++) {
		double a = fabs(r->price[f + t]), x = r->export_ok ? fabs(r->export_price[f + t]) : 0;

		if (a > maxp)
			maxp = a;
		if (x > maxp)
			maxp = x;
	}
	lp->penalty = 0;
	for (bi = 0; bi < lp->nb; bi++) {
		double pen;

		b = &lp->bat[bi];
		pen = 10 * (2 * maxp / (b->eta_charge * b->eta_discharge) +
		    2 * maxrate / (b->eta_charge * dt) + b->cycle_cost_per_kwh) + 1;
		if (pen > lp->penalty)
			lp->penalty = pen;
	}

	for (t = 0; t < n; t++) {
		size_t i = f + t;
		int active = t < na;
		double load = 0, solar = 0, il = lp->s.import_limit_kw, el = lp->s.export_limit_kw;
		int pp = active ? r->period[i] : -1;

		if (active) {
			if (in->load_kw) {
				load = in->load_kw[i];
				if (isnan(load)) {
					free(last_step);
					free(last_bill);
					return bess_err_set(err, NULL, 0, "step %zu: no load value", i);
				}
			}
			if (in->solar_kw) {
				solar = in->solar_kw[i];
				if (isnan(solar)) {
					free(last_step);
					free(last_bill);
					return bess_err_set(err, NULL, 0, "step %zu: no solar value", i);
				}
			}
			if (in->import_limit_kw && !isnan(in->import_limit_kw[i]))
				il = in->import_limit_kw[i];
			if (in->export_limit_kw && !isnan(in->export_limit_kw[i]))
				el = in->export_limit_kw[i];
			if (il < 0)
				il = 0;
			if (el > r->feed_in_limit_kw)
				el = r->feed_in_limit_kw;	/* the tariff's feed-in limit */
			if (el < 0)
				el = 0;
			if (!r->export_ok)
				el = 0;
		}
		lp->load[t] = load;
		lp->solar[t] = solar;
		lp->el[t] = active ? el : 0;
		if (!active) {
			int j;

			for (j = 0; j < lp->K; j++) {
				glp_set_col_bnds(P, col(lp, t, j), GLP_FX, 0, 0);
				glp_set_obj_coef(P, col(lp, t, j), 0);
			}
			glp_set_row_bnds(P, row(lp, t, 0), GLP_FR, 0, 0);
			for (bi = 0; bi < lp->nb; bi++)
				glp_set_row_bnds(P, soc_row(lp, t, bi), GLP_FR, 0, 0);
			if (lp->jm >= 0) {
				glp_set_row_bnds(P, row(lp, t, lp->rcap), GLP_FR, 0, 0);
				glp_set_row_bnds(P, row(lp, t, lp->rchain), GLP_FR, 0, 0);
				set_chain(lp, t, -2);
			}
			if (lp->nday > 0 && lp->day_of[t] != -1) {
				lp->day_of[t] = -1;
				day_changed = 1;
			}
			lp->elig_b[t] = lp->elig_g[t] = 0;
			continue;
		}
		for (bi = 0; bi < lp->nb; bi++) {
			double lo, hi;

			b = &lp->bat[bi];
			lo = b->soc_min_kwh;
			hi = b->soc_max_kwh;
			/* no grid charging: charge only from the solar the load leaves over */
			set_col(P, bcol(lp, t, bi, JC), 0, lp->s.no_grid_charge ?
			    fmin(b->charge_kw, fmax(0, solar - load)) : b->charge_kw);
			set_col(P, bcol(lp, t, bi, JD), 0, b->discharge_kw);
			if (t == na - 1) {
				double tg = soc_target(b, lp->soc_init[bi]);

				if (b->soc_final == BESS_SOC_FINAL_EXACT)
					lo = hi = tg;
				else
					lo = tg;
			}
			set_col(P, bcol(lp, t, bi, JS), lo, hi);
		}
		if (lp->jge >= 0) {
			/*
			 * Export never exceeds solar plus discharge power without
			 * importing at the same time: the bound keeps the LP bounded
			 * where export pays more than import and there is no limit.
			 */
			set_col(P, col(lp, t, lp->jge), 0, fmin(el, fmax(0, solar) + dmax));
			set_row(P, row(lp, t, 0), -(load - solar), il - (load - solar));
		} else {
			set_row(P, row(lp, t, 0), -el - (load - solar), il - (load - solar));
		}
		if (lp->ju >= 0)
			set_col(P, col(lp, t, lp->ju), 0, solar > 0 ? solar : 0);
		else if (solar > 0) {
			free(last_step);
			free(last_bill);
			return bess_err_set(err, NULL, 0, "the model was built without solar");
		}
		if (lp->jge < 0 && r->export_ok && el > 0 && r->export_price[i] != r->price[i]) {
			free(last_step);
			free(last_bill);
			return bess_err_set(err, NULL, 0, "the model was built with export paid at the "
			    "import price");
		}
		for (bi = 0; lp->jb >= 0 && bi < lp->nb; bi++) {
			b = &lp->bat[bi];
			set_col(P, bcol_b(lp, t, bi), 0, b->soc_min_kwh);
			set_col(P, bcol_e(lp, t, bi), 0, b->capacity_kwh - b->soc_max_kwh);
			glp_set_obj_coef(P, bcol_b(lp, t, bi), lp->penalty);
			glp_set_obj_coef(P, bcol_e(lp, t, bi), lp->penalty);
		}
		/* price * import - export_price * export with import = load - solar + c - d + u + ge */
		for (bi = 0; bi < lp->nb; bi++) {
			b = &lp->bat[bi];
			glp_set_obj_coef(P, bcol(lp, t, bi, JC), dt * r->price[i]);
			glp_set_obj_coef(P, bcol(lp, t, bi, JD), dt * (b->cycle_cost_per_kwh - r->price[i]));
			glp_set_obj_coef(P, bcol(lp, t, bi, JS), 0);
		}
		if (lp->ju >= 0)
			glp_set_obj_coef(P, col(lp, t, lp->ju), dt * r->price[i]);
		if (lp->jge >= 0)
			glp_set_obj_coef(P, col(lp, t, lp->jge), dt * (r->price[i] - r->export_price[i]));
		obj0 += dt * r->price[i] * (load - solar);
		for (bi = 0; bi < lp->nb; bi++) {
			double k = bess_battery_keep(&lp->bat[bi], dt);

			if (t == 0)
				glp_set_row_bnds(P, soc_row(lp, t, bi), GLP_FX, k * lp->soc_init[bi],
				    k * lp->soc_init[bi]);
			else
				glp_set_row_bnds(P, soc_row(lp, t, bi), GLP_FX, 0, 0);
		}
		lp->elig_b[t] = r->price[i] < 0 || (r->export_ok && r->export_price[i] < 0);
		lp->elig_g[t] = lp->jge >= 0 && el > 0 && r->export_price[i] > r->price[i];

		if (pp >= 0 && lp->jm < 0) {
			free(last_step);
			free(last_bill);
			return bess_err_set(err, NULL, 0, "the model was built without demand charges");
		}
		if (lp->jm >= 0) {
			glp_set_obj_coef(P, col(lp, t, lp->jm), 0);
			if (pp < 0) {
				glp_set_col_bnds(P, col(lp, t, lp->jm), GLP_FX, 0, 0);
				glp_set_row_bnds(P, row(lp, t, lp->rcap), GLP_FR, 0, 0);
				glp_set_row_bnds(P, row(lp, t, lp->rchain), GLP_FR, 0, 0);
				set_chain(lp, t, -2);
			} else {
				int prev = last_bill[pp] == r->bill[i] ? last_step[pp] : -1;

				glp_set_col_bnds(P, col(lp, t, lp->jm), GLP_LO, 0, 0);
				if (set_cap(lp, in, t) != 0) {
					free(last_step);
					free(last_bill);
					return bess_err_set(err, NULL, 0, "out of memory");
				}
				set_chain(lp, t, prev);
				if (prev >= 0) {
					glp_set_row_bnds(P, row(lp, t, lp->rchain), GLP_LO, 0, 0);
				} else {
					double so_far = 0;

					if (r->bill[i] == r->bill[f])
						so_far = in->peak_so_far_kw ? in->peak_so_far_kw[pp] :
						    r->bill[f] == 0 ? r->peak_so_far_kw[pp] : 0;
					glp_set_row_bnds(P, row(lp, t, lp->rchain), GLP_LO, so_far, 0);
				}
				last_step[pp] = (int)t;
				last_bill[pp] = r->bill[i];
			}
		}
		if (lp->nday > 0) {
			int d = r->day[i] - r->day[f];

			if (d >= lp->nday)
				d = lp->nday - 1;
			if (lp->day_of[t] != d) {
				lp->day_of[t] = d;
				day_changed = 1;
			}
		}
	}
	lp->obj0 = obj0;
	glp_set_obj_coef(P, 0, obj0);
	/* a value for the energy left at the end (evcc's terminal value; Predbat's lowest rate ahead) */
	for (bi = 0; bi < lp->nb; bi++) {
		double v;

		b = &lp->bat[bi];
		if (!(na > 0 && (b->terminal_min || !isnan(b->terminal_value))))
			continue;
		v = b->terminal_value;
		if (b->terminal_min) {
			v = INFINITY;
			for (t = 0; t < na; t++)
				v = fmin(v, r->price[f + t]);
			v *= b->eta_discharge;	/* a stored kWh replaces eta_d kWh bought */
		}
		glp_set_obj_coef(P, bcol(lp, na - 1, bi, JS), -v);
	}
	/* demand cost sits on the last step of each group in the window */
	if (lp->jm >= 0) {
		int *seen = calloc((size_t)r->nbill * np + 1, sizeof(int));

		if (seen == NULL) {
			free(last_step);
			free(last_bill);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
		for (t = na; t-- > 0;) {
			int pp = r->period[f + t];
			size_t key;

			if (pp < 0)
				continue;
			key = (size_t)r->bill[f + t] * np + (size_t)pp;
			if (!seen[key]) {
				seen[key] = (int)t + 1;	/* the group's last step + 1 */
				glp_set_obj_coef(P, col(lp, t, lp->jm), r->demand_rate[pp]);
			}
		}
		if (lp->jr >= 0)
			set_ratchets(lp, in, seen);
		free(seen);
	}
	free(last_step);
	free(last_bill);
	if (bill_terms(lp, in, err) != 0)
		return -1;
	if (lp->nday > 0) {
		int d, *ind = malloc((n + 1) * sizeof(int));
		double *val = malloc((n + 1) * sizeof(double));

		if (ind == NULL || val == NULL) {
			free(ind);
			free(val);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
		for (bi = 0; bi < lp->nb; bi++)
			for (d = 0; d < lp->nday; d++) {
				int rr = day_row(lp, bi, d), len = 0;
				double share = 0;

				b = &lp->bat[bi];
				for (t = 0; t < na && b->max_cycles_per_day > 0; t++)
					if (lp->day_of[t] == d) {
						ind[++len] = bcol(lp, t, bi, JD);
						val[len] = dt;
						share = r->day_frac[r->day[f + t]];
					}
				if (day_changed)
					glp_set_mat_row(P, rr, len, ind, val);
				if (len == 0)
					glp_set_row_bnds(P, rr, GLP_FR, 0, 0);
				else
					glp_set_row_bnds(P, rr, GLP_UP, 0,
					    b->max_cycles_per_day * b->capacity_kwh * share);
			}
		free(ind);
		free(val);
	}
	if (lp->dev && bess_lpdev_update(lp->dev, P, r, f, na, err) != 0)
		return -1;
	return ev_update(lp, in, err);
}

/*
 * The basis of a window moved k steps on. Steps t < n-k take the statuses
 * of step t+k. The new last steps get a neutral pattern that keeps the
 * basis square and their block non-singular: each row's own variable basic
 * except the SOC row's (the SOC column is basic instead) and the demand
 * chain's (the peak column is basic instead, so the demand rate's dual
 * flows down the chain as before); the other columns sit at the bound
 * their cost favours, which keeps the last step dual feasible. Columns of
 * the removed steps may have covered rows of the kept ones (the SOC link
 * into the new first step, a demand-chain link, a day row): if the basis
 * is short, those rows' own variables are candidates to take their place,
 * and the first choice that factorises is made at solve time (repair()).
 */
static int apart_basis(const struct bess_lp *lp);

void
bess_lp_shift(struct bess_lp *lp, size_t k)
{
	glp_prob *P = lp->P;
	size_t t, n = lp->n;
	int i, j, nb = 0, nrow = glp_get_num_rows(P), ncol = glp_get_num_cols(P);

	if (lp->dev && !apart_basis(lp))	/* devices not split off (run_apart): the next solve is cold */
		lp->basis_ok = 0;
	if (k == 0 || !lp->basis_ok)
		return;
	if (k > n)
		k = n;
	for (t = 0; t + k < n; t++) {
		for (j = 0; j < lp->K; j++)
			glp_set_col_stat(P, col(lp, t, j), glp_get_col_stat(P, col(lp, t + k, j)));
		for (j = 0; j < lp->R; j++)
			glp_set_row_stat(P, row(lp, t, j), glp_get_row_stat(P, row(lp, t + k, j)));
	}
	for (; t < n; t++) {
		for (j = 0; j < lp->K; j++) {
			int c = col(lp, t, j), type = glp_get_col_type(P, c);

			if ((j < lp->nb * JBAT && j % JBAT == JS) || j == lp->jm)
				glp_set_col_stat(P, c, GLP_BS);
			else if (glp_get_obj_coef(P, c) < 0 && (type == GLP_DB || type == GLP_UP))
				glp_set_col_stat(P, c, GLP_NU);
			else
				glp_set_col_stat(P, c, GLP_NL);	/* GLPK picks NS/NF to suit the type */
		}
		for (j = 0; j < lp->R; j++)
			glp_set_row_stat(P, row(lp, t, j), (j >= 1 && j <= lp->nb) || j == lp->rchain ?
			    GLP_NL : GLP_BS);
	}
	for (i = 1; i <= nrow; i++)
		nb += glp_get_row_stat(P, i) == GLP_BS;
	for (i = 1; i <= ncol; i++)
		nb += glp_get_col_stat(P, i) == GLP_BS;
	lp->ncand = 0;
	lp->deficit = nrow - nb;
	if (lp->deficit <= 0)
		return;
	for (i = 0; k < n && i < lp->nb; i++)
		if (glp_get_row_stat(P, soc_row(lp, 0, i)) != GLP_BS)
			lp->cand[lp->ncand++] = soc_row(lp, 0, i);
	if (lp->jm >= 0)
		for (t = 0; t + k < n; t++)
			if (lp->chain_prev[t + k] >= 0 && (size_t)lp->chain_prev[t + k] < k &&
			    glp_get_row_stat(P, row(lp, t, lp->rchain)) != GLP_BS)
				lp->cand[lp->ncand++] = row(lp, t, lp->rchain);
	for (i = 0; i < lp->nb * lp->nday; i++)
		if (glp_get_row_stat(P, 1 + (int)n * lp->R + i) != GLP_BS)
			lp->cand[lp->ncand++] = 1 + (int)n * lp->R + i;
}

/* Copy the current solution (kind: 's' simplex, 'i' interior, 'm' MIP) into lp->x. */
static void
take(struct bess_lp *lp, int kind)
{
	int j, ncol = lp->ncol;

	for (j = 1; j <= ncol; j++)
		lp->x[j] = kind == 'i' ? glp_ipt_col_prim(lp->P, j) :
		    kind == 'm' ? glp_mip_col_val(lp->P, j) : glp_get_col_prim(lp->P, j);
	lp->have_x = 1;
	lp->tol = kind == 'i' ? 1e-7 : 1e-9;
}

/* Next combination of k out of n in c[0..k) (ascending); 0 when there is none. */
static int
next_comb(int *c, int k, int n)
{
	int i = k - 1;

	while (i >= 0 && c[i] == n - k + i)
		i--;
	if (i < 0)
		return 0;
	c[i]++;
	for (i++; i < k; i++)
		c[i] = c[i - 1] + 1;
	return 1;
}

/*
 * Factorise the basis bess_lp_shift left, turning lp->deficit of its
 * candidate rows' own variables basic: the first choice that factorises
 * (a few tries at most). 0 on success, -1 if none does.
 */
static int
repair(struct bess_lp *lp)
{
	int c[8], i, d = lp->deficit, tries = 0;

	lp->deficit = 0;
	if (d <= 0)
		return glp_factorize(lp->P) == 0 ? 0 : -1;
	if (d > lp->ncand || d > 8)
		return -1;
	for (i = 0; i < d; i++)
		c[i] = i;
	do {
		for (i = 0; i < d; i++)
			glp_set_row_stat(lp->P, lp->cand[c[i]], GLP_BS);
		if (glp_factorize(lp->P) == 0)
			return 0;
		for (i = 0; i < d; i++)
			glp_set_row_stat(lp->P, lp->cand[c[i]], GLP_NL);
	} while (++tries < 64 && next_comb(c, d, lp->ncand));
	return -1;
}

/* run_simplex's answer when the warm basis cannot be factorised. */
#define WARM_SINGULAR (-1)

/* One simplex solve, warm from the current basis or cold with presolve; a bess_lp_status. */
static int
run_simplex(struct bess_lp *lp, int warm, int *iters)
{
	glp_smcp parm;
	int rc, st, it0 = glp_get_it_cnt(lp->P);

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.meth = GLP_DUALP;
	if (warm && lp->basis_ok) {
		parm.presolve = GLP_OFF;
		if (!glp_bf_exists(lp->P) && repair(lp) != 0) {
			/* the shifted basis is singular: the caller solves cold instead */
			lp->basis_ok = 0;
			return WARM_SINGULAR;
		}
	} else {
		parm.presolve = GLP_ON;
	}
	rc = glp_simplex(lp->P, &parm);
	if (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND) {
		glp_adv_basis(lp->P, 0);
		rc = glp_simplex(lp->P, &parm);
	}
	if (iters)
		*iters += glp_get_it_cnt(lp->P) - it0;
	if (rc == GLP_ENOPFS || rc == GLP_ENODFS)
		return BESS_LP_INFEASIBLE;
	if (rc != 0)
		return BESS_LP_FAILED;
	st = glp_get_status(lp->P);
	if (st == GLP_NOFEAS)
		return BESS_LP_INFEASIBLE;
	if (st != GLP_OPT)
		return BESS_LP_FAILED;
	lp->basis_ok = 1;
	take(lp, 's');
	return BESS_LP_OPTIMAL;
}

/* Accumulate the primal violation and complementarity of one variable (value v, dual y). */
static void
kkt_var(int type, double lb, double ub, double v, double y, double *pviol, double *comp)
{
	int has_lb = type == GLP_LO || type == GLP_DB || type == GLP_FX;
	int has_ub = type == GLP_UP || type == GLP_DB || type == GLP_FX;

	if (has_lb && v < lb)
		*pviol = fmax(*pviol, (lb - v) / (1 + fabs(lb)));
	if (has_ub && v > ub)
		*pviol = fmax(*pviol, (v - ub) / (1 + fabs(ub)));
	if (y > 0)
		*comp += has_lb ? y * fabs(v - lb) : y * (1 + fabs(v));
	else if (y < 0)
		*comp += has_ub ? -y * fabs(ub - v) : -y * (1 + fabs(v));
}

/*
 * Is the interior point GLPK left behind an optimum after all? GLPK can stop
 * on "numeric instability" a hair from the end (gap ~1e-8); its best point
 * is kept. Check it: primal bounds within 1e-6 (relative) and the
 * complementarity gap, which bounds the distance to the optimum, within
 * 1e-7 of the objective.
 */
static int
interior_point_ok(glp_prob *P)
{
	int i, m = glp_get_num_rows(P), n = glp_get_num_cols(P);
	double pviol = 0, comp = 0;

	for (i = 1; i <= m; i++)
		kkt_var(glp_get_row_type(P, i), glp_get_row_lb(P, i), glp_get_row_ub(P, i),
		    glp_ipt_row_prim(P, i), glp_ipt_row_dual(P, i), &pviol, &comp);
	for (i = 1; i <= n; i++)
		kkt_var(glp_get_col_type(P, i), glp_get_col_lb(P, i), glp_get_col_ub(P, i),
		    glp_ipt_col_prim(P, i), glp_ipt_col_dual(P, i), &pviol, &comp);
	return pviol < 1e-6 && comp < 1e-7 * (1 + fabs(glp_ipt_obj_val(P)));
}

static int
run_interior(struct bess_lp *lp)
{
	glp_iptcp parm;
	int rc, st, certified = 0;

	glp_init_iptcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	/* prices per kWh against powers of hundreds of kW: scale, as glpsol does */
	glp_scale_prob(lp->P, GLP_SF_AUTO);
	rc = glp_interior(lp->P, &parm);
	if (rc == GLP_EINSTAB && interior_point_ok(lp->P))
		rc = 0, certified = 1;
	else if (rc == GLP_EINSTAB || rc == GLP_ENOCVG || rc == GLP_EITLIM || rc == GLP_EFAIL) {
		/*
		 * Near the end of degenerate battery LPs GLPK's interior point can
		 * stop on "numeric instability"; another ordering may converge.
		 */
		parm.ord_alg = GLP_ORD_SYMAMD;
		rc = glp_interior(lp->P, &parm);
		if (rc == GLP_EINSTAB && interior_point_ok(lp->P))
			rc = 0, certified = 1;
	}
	if (certified) {
		/*
		 * a certified best point: GLPK leaves its status undefined (a
		 * normal return can still say GLP_NOFEAS, handled below)
		 */
		take(lp, 'i');
		return BESS_LP_OPTIMAL;
	}
	if (rc == GLP_ENOFEAS)
		return BESS_LP_INFEASIBLE;
	if (rc != 0)
		return BESS_LP_FAILED;
	st = glp_ipt_status(lp->P);
	if (st == GLP_NOFEAS)
		return BESS_LP_INFEASIBLE;
	if (st != GLP_OPT)
		return BESS_LP_FAILED;
	take(lp, 'i');
	return BESS_LP_OPTIMAL;
}

/*
 * Cold solves of this many steps or more go to the interior-point method:
 * with GLPK 5.0 it is as fast as the dual simplex on 192-step arbitrage,
 * twice as fast with demand charges, and the only choice for a year
 * (simplex 150-230 s against 2 s). Smaller models get the simplex's vertex.
 */
#define INTERIOR_MIN_STEPS 100

static int
run_lp(struct bess_lp *lp, enum bess_lp_method m, int warm, const char **used, int *iters,
    int *warm_used)
{
	int st;

	if (warm && lp->basis_ok && m != BESS_LP_INTERIOR) {
		*used = "simplex";
		if ((st = run_simplex(lp, 1, iters)) != WARM_SINGULAR) {
			lp->warm_fail *= 0.9;
			if (warm_used)
				*warm_used = 1;
			return st;
		}
		/* the shifted basis is singular: solve cold */
		lp->warm_fail = 0.9 * lp->warm_fail + 0.1;
	}
	if (m == BESS_LP_AUTO) {
		/*
		 * Small: simplex. Large: interior point, except for a rolling
		 * caller whose warm starts mostly work: a cold simplex gives it
		 * the basis for the next window (every 16th cold solve probes
		 * again when they mostly fail).
		 */
		m = BESS_LP_INTERIOR;
		if (lp->n_act < INTERIOR_MIN_STEPS)
			m = BESS_LP_SIMPLEX;
		else if (warm && (lp->warm_fail < 0.5 || ++lp->cold_count % 16 == 0))
			m = BESS_LP_SIMPLEX;
	}
	if (m == BESS_LP_INTERIOR) {
		*used = "interior";
		st = run_interior(lp);
		if (st != BESS_LP_FAILED)
			return st;
		/* numerical trouble: the simplex is slower but sure */
	}
	*used = "simplex";
	return run_simplex(lp, 0, iters);
}

/* Objective of the solution in lp->x. */
static double
objective(const struct bess_lp *lp, double *penalty)
{
	int i, j, ncol = lp->ncol;
	double z = lp->obj0, pen = 0;
	size_t t;

	for (j = 1; j <= ncol; j++)
		z += glp_get_obj_coef(lp->P, j) * lp->x[j];
	for (i = 0; lp->jb >= 0 && i < lp->nb; i++)
		for (t = 0; t < lp->n_act; t++)
			pen += lp->penalty * (lp->x[bcol_b(lp, t, i)] + lp->x[bcol_e(lp, t, i)]);
	if (penalty)
		*penalty = pen;
	return z;
}

/* Grid import and export of step t in the solution lp->x. */
static void
grid(const struct bess_lp *lp, size_t t, double *imp, double *exp_)
{
	double g = lp->load[t] - lp->solar[t];
	int i;

	for (i = 0; i < lp->nb; i++) {
		g += lp->x[bcol(lp, t, i, JC)];
		g -= lp->x[bcol(lp, t, i, JD)];
	}
	if (lp->dev)
		g += bess_lpdev_step_kw(lp->dev, lp->x, t);

	if (lp->ju >= 0)
		g += lp->x[col(lp, t, lp->ju)];
	if (lp->jge >= 0) {
		*exp_ = lp->x[col(lp, t, lp->jge)];
		*imp = g + *exp_;
	} else {
		*imp = g > 0 ? g : 0;
		*exp_ = g < 0 ? -g : 0;
	}
}

/* Tolerance for "this flow is not zero", kW. */
static double
flow_eps(const struct bess_lp *lp)
{
	double s = 0;
	int i;

	for (i = 0; i < lp->nb; i++)
		s = fmax(s, fmax(lp->bat[i].charge_kw, lp->bat[i].discharge_kw));
	return 1e-7 * (s > 1 ? s : 1);
}

/* Does the solution use simultaneous flows in an eligible step? */
static int
simultaneous(const struct bess_lp *lp)
{
	size_t t;
	double eps = flow_eps(lp);
	int i;

	for (t = 0; t < lp->n_act; t++) {
		double gi, ge;

		for (i = 0; lp->elig_b[t] && i < lp->nb; i++)
			if (lp->x[bcol(lp, t, i, JC)] > eps && lp->x[bcol(lp, t, i, JD)] > eps)
				return 1;
		if (lp->elig_g[t]) {
			grid(lp, t, &gi, &ge);
			if (gi > eps && ge > eps)
				return 1;
		}
	}
	return 0;
}

static double
col_ub(glp_prob *P, int j)
{
	int type = glp_get_col_type(P, j);

	return type == GLP_LO || type == GLP_FR ? INFINITY : glp_get_col_ub(P, j);
}

/* What branch and bound tracks through its callback. */
struct bb_cb {
	double bound;		/* the best bound among the open nodes at the last call (-INFINITY: none yet) */
	int open;		/* open nodes at the last call */
	const double *start;	/* a schedule to offer as the first incumbent (1-based, every column), or NULL */
	int offered;		/* 1 once offered */
	int node_limit;		/* stop the search once it has made more nodes than this (0: no limit) */
	int nodes;		/* nodes made so far */
};

static void
bb_callback(glp_tree *T, void *info)
{
	struct bb_cb *cb = info;
	int best, a;

	if (glp_ios_reason(T) == GLP_IHEUR && cb->start && !cb->offered) {
		cb->offered = 1;
		glp_ios_heur_sol(T, cb->start);
	}
	glp_ios_tree_size(T, &a, NULL, &cb->nodes);
	cb->open = a;
	if ((best = glp_ios_best_node(T)) != 0)
		cb->bound = glp_ios_node_bound(T, best);
	if (cb->node_limit > 0 && cb->nodes > cb->node_limit)
		glp_ios_terminate(T);
}

static unsigned char *basis_save(glp_prob *P);
static void basis_restore(glp_prob *P, const unsigned char *st);

/* Branch and bound's first pass, without cuts, makes at most this many nodes. */
#define BB_PLAIN_NODES 500

/* Add row i: sum val[1..len] x[ind] <= hi. */
static void
le_row(glp_prob *P, int i, int len, const int *ind, const double *val, double hi)
{
	glp_set_mat_row(P, i, len, ind, val);
	glp_set_row_bnds(P, i, GLP_UP, 0, hi);
}

/*
 * GLPK's branch and bound leaves the SOC rows met to its feasibility
 * tolerance only (1e-5 kWh seen on hundreds of kWh): fix each binary and
 * the flow it forbids, and solve that LP again with the simplex from the
 * last node's basis for a vertex as exact as any LP's; then lift the fixes.
 * lp->x keeps the branch-and-bound solution if that fails.
 */
static void
polish(struct bess_lp *lp, int ncol0, int *iters)
{
	glp_prob *P = lp->P;
	int ncol = glp_get_num_cols(P), i, j, k = 0, nsave = 0, *sj;
	double *slo, *shi;
	int *sty;
	size_t t;
	glp_smcp parm;

	const int *di = NULL;
	int ndi = lp->dev ? bess_lpdev_intcols(lp->dev, &di) : 0;
	size_t room = (size_t)(2 * (ncol - ncol0) + ndi + 1);

	if ((sj = malloc(room * sizeof(int))) == NULL || (sty = malloc(room * sizeof(int))) == NULL) {
		free(sj);
		return;
	}
	slo = malloc(room * sizeof(double));
	shi = malloc(room * sizeof(double));
	if (slo == NULL || shi == NULL)
		goto out;
#define FIX(jj, v) do { sj[nsave] = (jj); sty[nsave] = glp_get_col_type(P, jj); \
	slo[nsave] = glp_get_col_lb(P, jj); shi[nsave] = glp_get_col_ub(P, jj); nsave++; \
	glp_set_col_bnds(P, jj, GLP_FX, v, v); } while (0)
	for (t = 0; t < lp->n_act; t++) {
		for (i = 0; lp->elig_b[t] && i < lp->nb; i++) {
			j = ncol0 + 1 + k++;
			if (glp_mip_col_val(P, j) > 0.5) {
				FIX(j, 1);
				FIX(bcol(lp, t, i, JD), 0);
			} else {
				FIX(j, 0);
				FIX(bcol(lp, t, i, JC), 0);
			}
		}
		if (lp->elig_g[t]) {
			j = ncol0 + 1 + k++;
			/* the binary fixed, its big-M row forbids import or export */
			FIX(j, glp_mip_col_val(P, j) > 0.5 ? 1 : 0);
		}
	}
	for (k = 0; k < ndi; k++)	/* the devices' binaries */
		FIX(di[k], glp_mip_col_val(P, di[k]) > 0.5 ? 1 : 0);
#undef FIX
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.meth = GLP_DUALP;
	j = glp_get_it_cnt(P);
	if (glp_simplex(P, &parm) == 0 && glp_get_status(P) == GLP_OPT)
		take(lp, 's');
	if (iters)
		*iters += glp_get_it_cnt(P) - j;
	while (nsave-- > 0)
		glp_set_col_bnds(P, sj[nsave], sty[nsave], slo[nsave], shi[nsave]);
out:
	free(sj);
	free(sty);
	free(slo);
	free(shi);
}

/*
 * The MILP: binaries at the eligible steps (big-M rows, and the SOC room
 * rows of bess_lp.h for charge/discharge), then GLPK's branch and bound from
 * the LP basis within the gap and time limit, offered the schedule start (the
 * fixing heuristic's, or NULL) as a first incumbent; then the binaries are
 * removed again. *bound: the best bound known when it stopped (the
 * objective itself when the tree was searched through); *limited: 1 if the
 * time limit stopped it. The model must hold a simplex-optimal LP basis.
 */
static int
run_bb(struct bess_lp *lp, double gap, double time_s, const double *start, double *bound,
    int *limited, int *iters)
{
	glp_prob *P = lp->P;
	const struct bess_battery *b;
	int ncol0 = glp_get_num_cols(P), nrow0 = glp_get_num_rows(P), nb = 0, nr = 0, st, rc;
	int ind0[2 * BESS_LP_MAX_BATTERIES + 8], k, len, *del = NULL, cuts = lp->jb < 0, *ind = ind0;
	int ndi = 0, i;
	double val0[2 * BESS_LP_MAX_BATTERIES + 8], dt = lp->dt, *x0 = NULL, *val = val0;
	double dev_up = 0, dev_down = 0, cmax = 0, dmax = 0;
	const int *di = NULL;
	size_t t;
	glp_iocp parm;
	struct bb_cb cb = { -INFINITY, -1, NULL, 0, 0, 0 };
	int it0 = glp_get_it_cnt(P), r, pass, mst = GLP_UNDEF, have_inc = 0;
	unsigned char *root = NULL;
	double *inc = NULL, t_start = now_ms();

	*limited = 0;
	*bound = -INFINITY;
	for (t = 0; t < lp->n_act; t++) {
		nb += lp->nb * lp->elig_b[t] + lp->elig_g[t];
		nr += (2 + (!lp->dev && lp->load[t] - lp->solar[t] != 0)) * lp->elig_g[t] +
		    (2 + 4 * cuts) * lp->nb * lp->elig_b[t];
	}
	if (lp->dev)
		ndi = bess_lpdev_intcols(lp->dev, &di);
	if (nb == 0 && ndi == 0)
		return BESS_LP_OPTIMAL;
	for (i = 0; i < lp->nb; i++) {
		cmax += lp->bat[i].charge_kw;
		dmax += lp->bat[i].discharge_kw;
	}
	if (lp->dev) {
		/* the devices' on/off and level columns are binaries too (bess_lpdev.h) */
		bess_lpdev_range_kw(lp->dev, &dev_up, &dev_down);
		if ((ind = malloc(((size_t)bess_lpdev_max_entries(lp->dev) + 2 * (size_t)lp->nb + 8) * sizeof(int))) == NULL ||
		    (val = malloc(((size_t)bess_lpdev_max_entries(lp->dev) + 2 * (size_t)lp->nb + 8) * sizeof(double))) == NULL) {
			free(ind);
			return BESS_LP_FAILED;
		}
	}
	for (k = 0; k < ndi; k++)
		glp_set_col_kind(P, di[k], GLP_IV);	/* GLP_BV would reset the bounds to 0..1 */
	if (nb > 0)
		glp_add_cols(P, nb);
	if (nr > 0)
		glp_add_rows(P, nr);
	k = 0;
	r = nrow0;
	for (t = 0; t < lp->n_act; t++) {
		int z;
		double ma, mb, net = lp->load[t] - lp->solar[t];

		for (i = 0; lp->elig_b[t] && i < lp->nb; i++) {
			/*
			 * c <= C z, d <= D (1 - z), with C and D as tight as the grid
			 * allows: charging alone, c <= the grid row's upper bound
			 * (import limit less load plus solar); discharging alone,
			 * d <= minus its lower bound plus solar (curtailed) plus the
			 * export column's bound. With several batteries one may
			 * charge from another, so only the column bounds hold.
			 */
			int gr = row(lp, t, 0), gt = glp_get_row_type(P, gr);
			int jc = bcol(lp, t, i, JC), jd = bcol(lp, t, i, JD), js = bcol(lp, t, i, JS);
			double ec, ed, lo, hi, kp;

			b = &lp->bat[i];
			ec = b->eta_charge * dt;
			ed = dt / b->eta_discharge;
			lo = b->soc_min_kwh;
			hi = b->soc_max_kwh;
			kp = bess_battery_keep(b, dt);
			z = ncol0 + 1 + k++;
			glp_set_col_kind(P, z, GLP_BV);
			ma = col_ub(P, jc);
			mb = col_ub(P, jd);
			if (lp->nb == 1 && (gt == GLP_UP || gt == GLP_DB || gt == GLP_FX))
				ma = fmin(ma, fmax(0, glp_get_row_ub(P, gr) + dev_down));
			if (lp->nb == 1 && (gt == GLP_LO || gt == GLP_DB || gt == GLP_FX))
				mb = fmin(mb, fmax(0, -glp_get_row_lb(P, gr) + fmax(0, lp->solar[t]) +
				    (lp->jge >= 0 ? col_ub(P, col(lp, t, lp->jge)) : 0) + dev_up));
			ind[1] = jc, val[1] = 1;
			ind[2] = z, val[2] = -ma;
			le_row(P, ++r, 2, ind, val, 0);
			ind[1] = jd, val[1] = 1;
			ind[2] = z, val[2] = mb;
			le_row(P, ++r, 2, ind, val, mb);
			if (cuts) {
				/* the SOC room rows (bess_lp.h); S[-1] is the constant soc_init */
				double s0 = t == 0 ? kp * lp->soc_init[i] : 0;

				len = 0;
				ind[++len] = jc, val[len] = ec;
				if (t > 0)
					ind[++len] = bcol(lp, t - 1, i, JS), val[len] = kp;
				le_row(P, ++r, len, ind, val, hi - s0);
				len = 0;
				ind[++len] = jd, val[len] = ed;
				if (t > 0)
					ind[++len] = bcol(lp, t - 1, i, JS), val[len] = -kp;
				le_row(P, ++r, len, ind, val, s0 - kp * lo);
				ind[1] = jc, val[1] = ec;
				ind[2] = js, val[2] = -1;
				le_row(P, ++r, 2, ind, val, -kp * lo);
				ind[1] = jd, val[1] = ed;
				ind[2] = js, val[2] = 1;
				le_row(P, ++r, 2, ind, val, hi);
			}
		}
		if (lp->elig_g[t]) {
			/*
			 * import <= Mi z, export <= Me (1 - z), with import = net + c
			 * - d + u + ge and the big-Ms the step allows alone: importing,
			 * import <= load + the charge bound (u <= solar) and the import
			 * limit; exporting, export = d - c - u - net <= the discharge
			 * bound - net and the export bound (with these two the rows are
			 * the hull of "import or export" in (grid, export)). And,
			 * with net > 0, export <= d - net (1 - z): exporting, the
			 * battery covers the load first; importing, export is 0. The
			 * relaxation otherwise exports at a fractional z with the
			 * load still served from the grid, for free (a month with
			 * export paid above import: LP -36.0, MILP -18.4). Likewise,
			 * with net < 0, c + u >= -net z: importing, the battery or
			 * curtailment takes the solar surplus first. (Not with
			 * devices, whose power also enters the import.)
			 */
			int gr = row(lp, t, 0), gt = glp_get_row_type(P, gr);

			z = ncol0 + 1 + k++;
			glp_set_col_kind(P, z, GLP_BV);
			ma = fmax(0, lp->load[t]) + cmax + dev_up;
			if (gt == GLP_UP || gt == GLP_DB || gt == GLP_FX)
				ma = fmin(ma, fmax(0, glp_get_row_ub(P, gr) + net));
			mb = fmin(col_ub(P, col(lp, t, lp->jge)), fmax(0, dmax - net + dev_down));
			len = 0;
			for (i = 0; i < lp->nb; i++) {
				ind[++len] = bcol(lp, t, i, JC), val[len] = 1;
				ind[++len] = bcol(lp, t, i, JD), val[len] = -1;
			}
			if (lp->ju >= 0)
				ind[++len] = col(lp, t, lp->ju), val[len] = 1;
			ind[++len] = col(lp, t, lp->jge), val[len] = 1;
			ind[++len] = z, val[len] = -ma;
			if (lp->dev)	/* the import includes the devices' power */
				len += bess_lpdev_step_entries(lp->dev, t, ind + len + 1, val + len + 1);
			le_row(P, ++r, len, ind, val, -net);
			ind[1] = col(lp, t, lp->jge), val[1] = 1;
			ind[2] = z, val[2] = mb;
			le_row(P, ++r, 2, ind, val, mb);
			if (net > 0 && !lp->dev) {
				len = 0;
				ind[++len] = col(lp, t, lp->jge), val[len] = 1;
				for (i = 0; i < lp->nb; i++)
					ind[++len] = bcol(lp, t, i, JD), val[len] = -1;
				ind[++len] = z, val[len] = -net;
				le_row(P, ++r, len, ind, val, -net);
			} else if (net < 0 && !lp->dev) {
				len = 0;
				ind[++len] = z, val[len] = -net;
				for (i = 0; i < lp->nb; i++)
					ind[++len] = bcol(lp, t, i, JC), val[len] = -1;
				if (lp->ju >= 0)
					ind[++len] = col(lp, t, lp->ju), val[len] = -1;
				le_row(P, ++r, len, ind, val, 0);
			}
		}
	}
	/* the incumbent offered: start's columns, its directions as the binaries */
	if (start != NULL && (x0 = malloc(((size_t)ncol0 + nb + 1) * sizeof(double))) != NULL) {
		double eps = flow_eps(lp);

		memcpy(x0, start, ((size_t)ncol0 + 1) * sizeof(double));
		k = 0;
		for (t = 0; t < lp->n_act; t++) {
			double gi, ge, *sx = lp->x;

			for (i = 0; lp->elig_b[t] && i < lp->nb; i++)
				x0[ncol0 + 1 + k++] = start[bcol(lp, t, i, JD)] <= eps;
			if (lp->elig_g[t]) {
				lp->x = x0;
				grid(lp, t, &gi, &ge);
				lp->x = sx;
				x0[ncol0 + 1 + k++] = ge <= eps;
			}
		}
		cb.start = x0;
	}
	/* the root relaxation, warm from the LP's basis (the new rows' own variables basic) */
	st = run_simplex(lp, 1, iters);
	if (st == BESS_LP_OPTIMAL && (root = basis_save(P)) == NULL)
		st = BESS_LP_FAILED;
	for (pass = 0; st == BESS_LP_OPTIMAL && pass < 2; pass++) {
		/*
		 * First without cuts, for at most BB_PLAIN_NODES nodes (a 48 h
		 * window takes a few, and GLPK's cut generators would multiply
		 * its time); then, if the tree was not searched through, again
		 * from the root with GLPK's Gomory and MIR cuts, offered the
		 * first pass's schedule: they close what the plain search
		 * could not (tests/bench/README.md: months with self-discharge
		 * or with export paid above import). A node count, not a
		 * time, so that the same input gives the same schedule.
		 */
		double left = time_s - (now_ms() - t_start) / 1e3, tm = left;

		if (pass == 1) {
			if (left <= 0.01)
				break;
			basis_restore(P, root);
			if (have_inc && (inc = malloc(((size_t)ncol0 + nb + 1) * sizeof(double))) != NULL) {
				for (k = 1; k <= ncol0 + nb; k++)
					inc[k] = glp_mip_col_val(P, k);
				cb.start = inc;
				cb.offered = 0;
			}
		}
		glp_init_iocp(&parm);
		parm.msg_lev = GLP_MSG_OFF;
		parm.presolve = GLP_OFF;
		parm.mip_gap = gap;
		parm.tm_lim = isinf(tm) || tm * 1e3 > 2e9 ? INT_MAX : (int)fmax(1, tm * 1e3);
		parm.cb_func = bb_callback;
		parm.cb_info = &cb;
		if (ndi > 0) {
			/* device levels are knapsacks: cuts and the feasibility pump find schedules fast */
			parm.fp_heur = GLP_ON;
			parm.mir_cuts = GLP_ON;
			parm.cov_cuts = GLP_ON;
			parm.gmi_cuts = GLP_ON;
		}
		if (pass == 1)
			parm.mir_cuts = parm.gmi_cuts = GLP_ON;
		cb.bound = -INFINITY;
		cb.open = -1;
		cb.node_limit = pass == 0 && ndi == 0 ? BB_PLAIN_NODES : 0;
		it0 = glp_get_it_cnt(P);
		rc = glp_intopt(P, &parm);
		mst = glp_mip_status(P);
		if (iters)
			*iters += glp_get_it_cnt(P) - it0;
		if (rc == GLP_EMIPGAP)	/* stopped with the gap proved within mip_gap */
			rc = 0;
		*limited = rc == GLP_ETMLIM;
		if (rc != GLP_ESTOP)
			break;
		have_inc = mst == GLP_OPT || mst == GLP_FEAS;
		rc = GLP_ETMLIM;	/* if no time is left for the second pass */
		*limited = 1;
	}
	if (st == BESS_LP_OPTIMAL) {
		if ((rc == 0 || rc == GLP_ETMLIM) && (mst == GLP_OPT || mst == GLP_FEAS)) {
			double z = glp_mip_obj_val(P);

			take(lp, 'm');
			polish(lp, ncol0, iters);
			*bound = cb.bound;
			if (rc == 0) {
				/* proved: searched through, or GLPK's gap within mip_gap */
				*bound = fmax(cb.bound, z - gap * fmax(1, fabs(z)));
				if (cb.open == 0)
					*bound = z;
			}
			st = rc == 0 ? BESS_LP_OPTIMAL : BESS_LP_FEASIBLE;
		} else if (rc == 0 || rc == GLP_ETMLIM) {
			st = mst == GLP_NOFEAS ? BESS_LP_INFEASIBLE : BESS_LP_FAILED;
		} else {
			st = rc == GLP_ENOPFS ? BESS_LP_INFEASIBLE : BESS_LP_FAILED;
		}
	}
	free(root);
	free(inc);
	free(x0);
	if (ind != ind0) {
		free(ind);
		free(val);
	}
	/* restore the model's structure */
	for (k = 0; k < ndi; k++)
		glp_set_col_kind(P, di[k], GLP_CV);
	if ((del = malloc(((size_t)(nr > nb ? nr : nb) + 1) * sizeof(int))) != NULL) {
		for (k = 1; k <= nr; k++)
			del[k] = nrow0 + k;
		if (nr > 0)
			glp_del_rows(P, nr, del);
		for (k = 1; k <= nb; k++)
			del[k] = ncol0 + k;
		if (nb > 0)
			glp_del_cols(P, nb, del);
		free(del);
	} else {
		st = BESS_LP_FAILED;
	}
	lp->basis_ok = 0;
	return st;
}

/* Large MILP: fix each offending step's direction to its larger flow and re-solve, until none is left. */
static int
run_fix(struct bess_lp *lp, enum bess_lp_method m, int warm, const char **used, int *iters)
{
	int round, st = BESS_LP_OPTIMAL;
	double eps = flow_eps(lp);
	size_t t;

	for (round = 0; round < 20 && simultaneous(lp); round++) {
		for (t = 0; t < lp->n_act; t++) {
			double gi, ge;
			int i;

			for (i = 0; lp->elig_b[t] && i < lp->nb; i++) {
				int a = bcol(lp, t, i, JC), d = bcol(lp, t, i, JD);

				if (lp->x[a] > eps && lp->x[d] > eps)
					glp_set_col_bnds(lp->P, lp->x[a] >= lp->x[d] ? d : a, GLP_FX, 0, 0);
			}
			if (lp->elig_g[t]) {
				grid(lp, t, &gi, &ge);
				if (gi > eps && ge > eps) {
					double net = lp->load[t] - lp->solar[t];

					if (gi >= ge)	/* no export */
						glp_set_col_bnds(lp->P, col(lp, t, lp->jge), GLP_FX, 0, 0);
					else		/* no import: the grid row's value + net <= 0 */
						glp_set_row_bnds(lp->P, row(lp, t, 0), GLP_UP, 0, -net);
				}
			}
		}
		if ((st = run_lp(lp, m, warm, used, iters, NULL)) != BESS_LP_OPTIMAL)
			return st;
	}
	return simultaneous(lp) ? BESS_LP_FAILED : st;
}

/* Breakpoints one value function of the SOC dynamic program may have before it gives up. */
#define DP_MAX_POINTS 100000

/*
 * The MILP of one battery by dynamic programming over its SOC
 * (bess_socdp.h), where the model is that problem: one battery, no
 * export column, curtailment, demand charges, soft SOC, cycle caps,
 * events, devices or bill terms, so a step's cost is its price times its
 * charge or discharge; in the steps without binaries simultaneous flows
 * must not pay (then one direction per step loses nothing there, except
 * to discharge beyond the export limit: the third way of bess_socdp.h).
 * Eligible steps take one direction within the grid row's bounds. Fills lp->x with the schedule
 * and *value with its cost (objective constant included); 0 when solved,
 * BESS_LP_INFEASIBLE, or -1 when the model is not that problem or the
 * value functions grow too large (the caller branches instead).
 */
static int
run_dp(struct bess_lp *lp, double *value)
{
	glp_prob *P = lp->P;
	const struct bess_battery *b = &lp->bat[0];
	struct bess_socdp_step *st = NULL;
	double *delta = NULL, *gl_of = NULL, dt = lp->dt, ec = b->eta_charge * dt, ed = dt / b->eta_discharge;
	unsigned char *dir = NULL;
	double keep = bess_battery_keep(b, dt), v, s;
	size_t t, n = lp->n_act;
	int rc = -1, r, j;

	if (lp->nb != 1 || lp->jge >= 0 || lp->ju >= 0 || lp->jm >= 0 || lp->jb >= 0 || lp->jr >= 0 ||
	    lp->nday > 0 || lp->ev || lp->dev || lp->nxrat > 0 || n == 0 || !(ec > 0) || !(ed > 0) ||
	    glp_get_num_cols(P) != (int)lp->n * lp->K || glp_get_num_rows(P) != (int)lp->n * lp->R)
		return -1;
	if ((st = calloc(n, sizeof(*st))) == NULL || (delta = malloc(n * sizeof(double))) == NULL ||
	    (gl_of = malloc(n * sizeof(double))) == NULL || (dir = malloc(n)) == NULL)
		goto out;
	for (t = 0; t < n; t++) {
		int jc = bcol(lp, t, 0, JC), jd = bcol(lp, t, 0, JD), js = bcol(lp, t, 0, JS);
		int gr = row(lp, t, 0), gt = glp_get_row_type(P, gr);
		double gl = gt == GLP_LO || gt == GLP_DB || gt == GLP_FX ? glp_get_row_lb(P, gr) : -INFINITY;
		double gu = gt == GLP_UP || gt == GLP_DB || gt == GLP_FX ? glp_get_row_ub(P, gr) : INFINITY;
		double cu = col_ub(P, jc), du = col_ub(P, jd), oc = glp_get_obj_coef(P, jc);
		double od = glp_get_obj_coef(P, jd), clo, chi, dlo, dhi;

		if (glp_get_col_lb(P, jc) != 0 || glp_get_col_lb(P, jd) != 0 || isinf(cu) || isinf(du))
			goto out;
		if (!lp->elig_b[t] && oc + ec / ed * od < 0)
			goto out;	/* simultaneous flows might pay here */
		clo = fmax(0, gl);
		chi = fmin(cu, gu);
		dlo = fmax(0, -gu);
		dhi = fmin(du, -gl);
		st[t].charge_lo = ec * clo;
		st[t].charge_hi = ec * chi;
		st[t].charge_cost = oc / ec;
		/* d = -delta / ed: cost od d */
		st[t].discharge_lo = dlo <= dhi ? -ed * dhi : 1;
		st[t].discharge_hi = dlo <= dhi ? -ed * dlo : 0;
		st[t].discharge_cost = -od / ed;
		st[t].soc_lo = glp_get_col_type(P, js) == GLP_FR || glp_get_col_type(P, js) == GLP_UP ?
		    -INFINITY : glp_get_col_lb(P, js);
		st[t].soc_hi = col_ub(P, js);
		st[t].soc_cost = glp_get_obj_coef(P, js);
		if (isinf(st[t].soc_lo) || isinf(st[t].soc_hi))
			goto out;
		/*
		 * Without binaries the LP may discharge beyond the export limit
		 * by charging at once (the losses burn the rest): at the limit,
		 * c - d = gl, d = c - gl, delta = ec c - ed d, for c up to what
		 * keeps d within its bound; beyond it costs (oc + od) per kW of c.
		 * Elsewhere one direction is as cheap (oc + ec/ed od >= 0).
		 */
		st[t].extra_lo = 1;
		st[t].extra_hi = 0;
		gl_of[t] = gl;
		if (!lp->elig_b[t] && gl > -du && gl <= 0 && ec < ed && fmin(cu, du + gl) > 0) {
			double cb = fmin(cu, du + gl), slope = (oc + od) / (ec - ed);

			st[t].extra_lo = ed * gl + (ec - ed) * cb;
			st[t].extra_hi = ed * gl;
			st[t].extra_cost = slope;
			st[t].extra_fixed = -od * gl - slope * ed * gl;
		}
	}
	r = bess_socdp_solve(st, n, keep, lp->soc_init[0], DP_MAX_POINTS, delta, dir, &v);
	if (r == BESS_SOCDP_INFEASIBLE)
		rc = BESS_LP_INFEASIBLE;
	if (r != BESS_SOCDP_OK)
		goto out;
	for (j = 1; j <= lp->ncol; j++)
		lp->x[j] = 0;
	s = lp->soc_init[0];
	for (t = 0; t < n; t++) {
		int jc = bcol(lp, t, 0, JC), jd = bcol(lp, t, 0, JD);

		if (dir[t] == BESS_SOCDP_EXTRA) {
			lp->x[jc] = fmax(0, fmin((delta[t] - ed * gl_of[t]) / (ec - ed), col_ub(P, jc)));
			lp->x[jd] = fmin(lp->x[jc] - gl_of[t], col_ub(P, jd));
		} else if (dir[t] == BESS_SOCDP_CHARGE) {
			lp->x[jc] = fmin(delta[t] / ec, col_ub(P, jc));
		} else {
			lp->x[jd] = fmin(-delta[t] / ed, col_ub(P, jd));
		}
		s = keep * s + ec * lp->x[jc] - ed * lp->x[jd];
		lp->x[bcol(lp, t, 0, JS)] = s;
	}
	lp->have_x = 1;
	lp->tol = 1e-9;
	*value = v + lp->obj0;
	rc = 0;
out:
	free(st);
	free(delta);
	free(gl_of);
	free(dir);
	return rc;
}

/* Rounds of run_apart's exchange of duals and device plans before it leaves the window to branch and bound. */
#define APART_ROUNDS 4

/* Is the basis split as run_apart keeps it: every device column non-basic, every device row's own variable basic? */
static int
apart_basis(const struct bess_lp *lp)
{
	int c0, nc, r0, nr, j;

	bess_lpdev_span(lp->dev, &c0, &nc, &r0, &nr);
	for (j = 0; j < nc; j++)
		if (glp_get_col_stat(lp->P, c0 + j) == GLP_BS)
			return 0;
	for (j = 0; j < nr; j++)
		if (glp_get_row_stat(lp->P, r0 + j) != GLP_BS)
			return 0;
	return 1;
}

/* The devices' column costs less the duals of the rows they share with the rest (grid, demand), into ch. */
static void
apart_costs(const struct bess_lp *lp, const double *c, double *ch, int *ind, double *val)
{
	int c0, nc, r0, nr, j, e, len;

	bess_lpdev_span(lp->dev, &c0, &nc, &r0, &nr);
	for (j = c0; j < c0 + nc; j++) {
		ch[j] = c[j];
		len = glp_get_mat_col(lp->P, j, ind, val);
		for (e = 1; e <= len; e++)
			if (ind[e] < r0 || ind[e] >= r0 + nr)
				ch[j] -= glp_get_row_dual(lp->P, ind[e]) * val[e];
	}
}

/*
 * The devices apart from the battery, with a proof. Fix every device at
 * its own best plan (bess_lpdev_best) under costs c - pi A (pi: duals of the
 * rows the devices share with the rest, A: their entries there; pi = 0
 * first) and solve the LP of the rest, warm: objective Z, a MILP-feasible
 * schedule when no step needs the battery's binaries. Its duals pi' give
 * a lower bound. Relax the shared rows with pi' (a Lagrangian): for every
 * schedule of the MILP, cost >= L(pi') = min over the rest's LP of
 * (c - pi'A) x + pi' b + sum over devices of min over the device's own plans
 * of (c - pi'A) x_i. The rest's part equals Z less the devices' fixed
 * terms by LP duality (pi' is optimal for that LP), so
 * L(pi') = Z - sum_i [(c - pi'A) xbar_i - min (c - pi'A) x_i], xbar the fixed
 * plans: when each fixed plan is also the best under pi' (always so when
 * the shared rows have no duals, e.g. free grid rows priced per kWh),
 * Z is the optimum. Else the plans under pi' are fixed next, a few rounds,
 * keeping the best schedule and the best bound. *bound: that bound;
 * OPTIMAL when it is within gap of the schedule in lp->x; -1 when not
 * (the device bounds are restored either way and nothing is claimed).
 */
static int
run_apart(struct bess_lp *lp, double gap, int *iters, int *warm_used, double *bound)
{
	glp_prob *P = lp->P;
	int c0, nc, r0, nr, j, round, st, rc = -1, *type = NULL, *ind = NULL, nrow = glp_get_num_rows(P);
	double *c = NULL, *ch = NULL, *xd = NULL, *xn = NULL, *lb = NULL, *ub = NULL, *val = NULL, *bx = NULL;
	double m, z, best_z = INFINITY, best_lb = -INFINITY;

	bess_lpdev_span(lp->dev, &c0, &nc, &r0, &nr);
	if (nc == 0)
		return -1;
	if ((type = malloc((size_t)nc * sizeof(int))) == NULL || (lb = malloc((size_t)nc * sizeof(double))) == NULL ||
	    (ub = malloc((size_t)nc * sizeof(double))) == NULL ||
	    (c = malloc(((size_t)lp->ncol + 1) * sizeof(double))) == NULL ||
	    (ch = malloc(((size_t)lp->ncol + 1) * sizeof(double))) == NULL ||
	    (xd = calloc((size_t)lp->ncol + 1, sizeof(double))) == NULL ||
	    (xn = calloc((size_t)lp->ncol + 1, sizeof(double))) == NULL ||
	    (bx = malloc(((size_t)lp->ncol + 1) * sizeof(double))) == NULL ||
	    (ind = malloc(((size_t)nrow + 1) * sizeof(int))) == NULL ||
	    (val = malloc(((size_t)nrow + 1) * sizeof(double))) == NULL)
		goto out;
	for (j = 0; j < nc; j++) {
		type[j] = glp_get_col_type(P, c0 + j);
		lb[j] = glp_get_col_lb(P, c0 + j);
		ub[j] = glp_get_col_ub(P, c0 + j);
		c[c0 + j] = ch[c0 + j] = glp_get_obj_coef(P, c0 + j);
	}
	if (bess_lpdev_best(lp->dev, P, ch, xd, &m) != 0)
		goto out;
	for (round = 0; round < APART_ROUNDS; round++) {
		double lower, moved = 0;

		for (j = c0; j < c0 + nc; j++)
			glp_set_col_bnds(P, j, GLP_FX, xd[j], xd[j]);
		if (lp->basis_ok && !apart_basis(lp))
			lp->basis_ok = 0;	/* not split: the simplex starts afresh */
		st = run_simplex(lp, lp->basis_ok, iters);
		if (st == WARM_SINGULAR)
			st = run_simplex(lp, 0, iters);
		else if (round == 0 && warm_used)
			*warm_used = lp->basis_ok;
		if (st != BESS_LP_OPTIMAL || (!lp->keep_both && simultaneous(lp)))
			break;	/* these plans do not fit the battery, or it needs its binaries */
		z = objective(lp, NULL);
		if (z < best_z) {
			best_z = z;
			memcpy(bx, lp->x, ((size_t)lp->ncol + 1) * sizeof(double));
		}
		apart_costs(lp, c, xn, ind, val);
		for (j = 0; j < nc; j++)	/* the devices' own bounds again, for their plans */
			glp_set_col_bnds(P, c0 + j, type[j], lb[j], ub[j]);
		for (j = c0; j < c0 + nc; j++)
			moved += fabs(xn[j] - ch[j]);
		if (z - 2 * moved >= z - gap * fmax(1, fabs(z))) {
			/*
			 * (about) the same costs: each fixed plan is the best under
			 * them to within 2 sum |c' - c| (every device column lies in
			 * 0..1), so L >= Z less that
			 */
			best_lb = fmax(best_lb, z - 2 * moved);
		} else {
			memcpy(ch + c0, xn + c0, (size_t)nc * sizeof(double));
			if (bess_lpdev_best(lp->dev, P, ch, xn, &m) != 0)
				break;
			lower = 0;
			for (j = c0; j < c0 + nc; j++)
				lower += ch[j] * xd[j];
			best_lb = fmax(best_lb, z - fmax(0, lower - m));
			memcpy(xd + c0, xn + c0, (size_t)nc * sizeof(double));
		}
		if (best_z - best_lb <= gap * fmax(1, fabs(best_z))) {
			rc = BESS_LP_OPTIMAL;
			break;
		}
	}
	for (j = 0; j < nc; j++)
		glp_set_col_bnds(P, c0 + j, type[j], lb[j], ub[j]);
	if (rc == BESS_LP_OPTIMAL) {
		memcpy(lp->x, bx, ((size_t)lp->ncol + 1) * sizeof(double));
		*bound = fmin(best_lb, best_z);
	}
out:
	free(type);
	free(lb);
	free(ub);
	free(c);
	free(ch);
	free(xd);
	free(xn);
	free(bx);
	free(ind);
	free(val);
	return rc;
}

/* The statuses of every row and column (rows first, 1-based), or NULL when out of memory. */
static unsigned char *
basis_save(glp_prob *P)
{
	int i, m = glp_get_num_rows(P), n = glp_get_num_cols(P);
	unsigned char *st = malloc((size_t)m + (size_t)n + 2);

	if (st == NULL)
		return NULL;
	for (i = 1; i <= m; i++)
		st[i] = (unsigned char)glp_get_row_stat(P, i);
	for (i = 1; i <= n; i++)
		st[m + 1 + i] = (unsigned char)glp_get_col_stat(P, i);
	return st;
}

/* Put back what basis_save saved (the model has the same rows and columns again). */
static void
basis_restore(glp_prob *P, const unsigned char *st)
{
	int i, m = glp_get_num_rows(P), n = glp_get_num_cols(P);

	for (i = 1; i <= m; i++)
		glp_set_row_stat(P, i, st[i]);
	for (i = 1; i <= n; i++)
		glp_set_col_stat(P, i, st[m + 1 + i]);
}

/* The gap and time limit in force: the options', else the site's, else the defaults. */
static void
milp_limits(const struct bess_lp *lp, const struct bess_lp_opts *opts, double *gap, double *time_s)
{
	*gap = opts->mip_gap > 0 ? opts->mip_gap : lp->s.mip_gap >= 0 ? lp->s.mip_gap : BESS_LP_MIP_GAP;
	*time_s = opts->time_limit_s > 0 ? opts->time_limit_s :
	    lp->s.time_limit_s > 0 ? lp->s.time_limit_s : BESS_LP_TIME_LIMIT_S;
}

/*
 * The MILP after an LP optimum that needs binaries: branch and bound up to
 * BESS_LP_BB_MAX_STEPS steps (the fixing heuristic if it finds no schedule
 * in time), fixing above; the LP's objective is a bound either way. Fills
 * res's milp fields; OPTIMAL only when the gap is proved within mip_gap.
 */
static int
solve_milp(struct bess_lp *lp, const struct bess_lp_opts *opts, double t0,
    struct bess_lp_result *res, const char **used, int *iters)
{
	double gap, time_s, lp_obj = objective(lp, NULL), bound = -INFINITY, z, dp_value = 0;
	int st = BESS_LP_OPTIMAL, limited = 0, proved = 0;
	unsigned char *saved = NULL;

	milp_limits(lp, opts, &gap, &time_s);
	res->milp = 1;
	res->mip_gap = gap;
	if ((st = run_dp(lp, &dp_value)) >= 0) {
		/* one battery's MILP exactly: the value is the bound */
		res->method = strcmp(*used, "simplex") ? "interior+dp" : "simplex+dp";
		if (st != BESS_LP_OPTIMAL)
			return st;
		z = objective(lp, NULL);
		res->milp_bound = fmin(dp_value, z);
		res->milp_gap = (z - res->milp_bound) / fmax(1, fabs(z));
		return res->milp_gap <= gap ? BESS_LP_OPTIMAL : BESS_LP_FEASIBLE;
	}
	st = BESS_LP_OPTIMAL;
	if (lp->n_act <= BESS_LP_BB_MAX_STEPS || lp->dev) {
		if (strcmp(*used, "simplex") != 0 || !lp->basis_ok)
			st = run_simplex(lp, 0, iters);
		if (st == BESS_LP_OPTIMAL) {
			/*
			 * No first incumbent: GLPK's own rounding and diving find one
			 * soon; offering the fixing heuristic's (run_bb's start) cost
			 * more than it saved (month of windows 5.3 s against 4.8 s,
			 * a year of hours 50 s against 34 s, load average 10).
			 */
			saved = basis_save(lp->P);
			st = run_bb(lp, gap, fmax(0.1, time_s - (now_ms() - t0) / 1e3), NULL, &bound,
			    &limited, iters);
			proved = st == BESS_LP_OPTIMAL;
		}
		res->method = "simplex+bb";
		if (st == BESS_LP_FAILED && limited) {
			/* no schedule in time: the fixing heuristic's */
			st = run_lp(lp, opts->method, 0, used, iters, NULL);
			if (st == BESS_LP_OPTIMAL)
				st = run_fix(lp, opts->method, 0, used, iters);
			res->method = "simplex+bb+fix";
		}
	} else {
		st = run_fix(lp, opts->method, 0, used, iters);
		res->method = strcmp(*used, "simplex") ? "interior+fix" : "simplex+fix";
	}
	res->time_limited = limited;
	if (saved != NULL) {
		/* the LP's optimal basis again: the next window starts warm from it */
		basis_restore(lp->P, saved);
		lp->basis_ok = 1;
		free(saved);
	}
	if (!BESS_LP_HAS_SCHEDULE(st))
		return st;
	if (lp->dev && bess_lpdev_fractional(lp->dev, lp->x))
		return BESS_LP_FAILED;	/* the fixing heuristic leaves devices half on */
	z = objective(lp, NULL);
	if (!(bound > lp_obj))
		bound = lp_obj;
	if (bound > z)
		bound = z;
	res->milp_bound = bound;
	res->milp_gap = (z - bound) / fmax(1, fabs(z));
	if (proved && res->milp_gap > gap)	/* GLPK's own measure: rounding */
		res->milp_gap = gap;
	return proved || res->milp_gap <= gap ? BESS_LP_OPTIMAL : BESS_LP_FEASIBLE;
}

struct bess_lp *
bess_lp_new(const struct bess_battery *b, const struct bess_site *s, size_t n, double dt_h,
    unsigned flags, struct bess_err *err)
{
	return bess_lp_new_n(b, 1, s, n, dt_h, flags, err);
}

struct bess_lp *
bess_lp_new_n(const struct bess_battery *b, size_t nbat, const struct bess_site *s, size_t n,
    double dt_h, unsigned flags, struct bess_err *err)
{
	jmp_buf jb;
	struct bess_lp *lp;

	if (setjmp(jb) != 0) {
		glpk_reset();
		free(building.ia);
		free(building.ja);
		free(building.ar);
		if (building.lp)
			building.lp->P = NULL;
		bess_lp_free(building.lp);
		memset(&building, 0, sizeof(building));
		bess_err_set(err, NULL, 0, "the solver failed building %zu steps (out of memory?)", n);
		return NULL;
	}
	glpk_jb = &jb;
	glp_error_hook(glpk_fail, NULL);
	lp = lp_new(b, nbat > BESS_LP_MAX_BATTERIES ? 0 : (int)nbat, s, n, dt_h, flags, err);
	glp_error_hook(NULL, NULL);
	memset(&building, 0, sizeof(building));
	return lp;
}

int
bess_lp_events(struct bess_lp *lp, const struct bess_event_plan *plans, size_t nplan,
    struct bess_err *err)
{
	double *x;

	if (lp->ev != NULL || lp->jge < 0)
		return bess_err_set(err, NULL, 0, lp->ev ? "the model has its events already" :
		    "a model with events needs the export column (BESS_LP_SPLIT)");
	if (nplan == 0)
		return 0;
	if ((lp->ev = bess_lpev_new(lp->P, lp->n, plans, nplan, err)) == NULL)
		return -1;
	if ((x = realloc(lp->x, ((size_t)glp_get_num_cols(lp->P) + 1) * sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	lp->x = x;
	lp->ncol = glp_get_num_cols(lp->P);
	lp->basis_ok = 0;
	return 0;
}

void
bess_lp_events_at(struct bess_lp *lp, size_t grid_first, const double *past_import_kw)
{
	lp->ev_first = grid_first;
	lp->ev_past = past_import_kw;
}

int
bess_lp_solve(struct bess_lp *lp, const struct bess_lp_opts *opts,
    struct bess_lp_result *res, struct bess_err *err)
{
	struct glpk_call c = { lp, NULL, opts, res, err };

	return guarded(call_solve, &c);
}

static int
lp_solve(struct bess_lp *lp, const struct bess_lp_opts *opts,
    struct bess_lp_result *res, struct bess_err *err)
{
	double t0 = now_ms();
	const char *used = "simplex";
	int st, iters = 0, any = 0;
	size_t t;

	(void)err;
	memset(res, 0, sizeof(*res));
	lp->keep_both = opts->milp == BESS_MILP_OFF;
	if (lp->dev && !opts->no_apart) {
		/* the devices apart from the battery, exactly when it can be proved (run_apart) */
		double gap, time_s, bound;

		milp_limits(lp, opts, &gap, &time_s);
		if (run_apart(lp, gap, &iters, &res->warm_used, &bound) == BESS_LP_OPTIMAL) {
			double z = objective(lp, &res->penalty);

			res->status = BESS_LP_OPTIMAL;
			res->method = "simplex+apart";
			res->milp = 1;
			res->mip_gap = gap;
			res->milp_bound = bound;
			res->milp_gap = (z - bound) / fmax(1, fabs(z));
			res->objective = z;
			res->iterations = iters;
			res->solve_ms = now_ms() - t0;
			return 0;
		}
		res->warm_used = 0;
	}
	st = run_lp(lp, opts->method, opts->warm, &used, &iters, &res->warm_used);
	res->method = used;
	res->iterations = iters;
	if (st == BESS_LP_OPTIMAL && opts->milp != BESS_MILP_OFF) {
		for (t = 0; t < lp->n_act && !any; t++)
			any = lp->elig_b[t] || lp->elig_g[t];
		if (any && (opts->milp == BESS_MILP_ON || simultaneous(lp)))
			st = solve_milp(lp, opts, t0, res, &used, &iters);
	}
	/* devices on/off: an integral LP answer is the MILP's; else branch and bound (bess_lpdev.h) */
	if (st == BESS_LP_OPTIMAL && !res->milp && lp->dev && bess_lpdev_fractional(lp->dev, lp->x))
		st = solve_milp(lp, opts, t0, res, &used, &iters);
	if (st == BESS_LP_OPTIMAL && !res->milp) {
		res->milp_bound = objective(lp, NULL);
		res->milp_gap = 0;
	}
	res->status = st;
	res->iterations = iters;
	if (BESS_LP_HAS_SCHEDULE(st))
		res->objective = objective(lp, &res->penalty);
	res->solve_ms = now_ms() - t0;
	return 0;
}

int
bess_lp_schedule_init(struct bess_lp_schedule *sc, size_t n)
{
	return bess_lp_schedule_init_n(sc, n, 1);
}

int
bess_lp_schedule_init_n(struct bess_lp_schedule *sc, size_t n, size_t nbat)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->n = n;
	sc->nbat = nbat;
	if (nbat < 1 ||
	    (sc->charge_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (sc->discharge_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (sc->soc_kwh = calloc(n + 1, sizeof(double))) == NULL ||
	    (sc->import_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (sc->export_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (sc->curtail_kw = calloc(n + 1, sizeof(double))) == NULL ||
	    (sc->bat_charge_kw = calloc(nbat, sizeof(double *))) == NULL ||
	    (sc->bat_discharge_kw = calloc(nbat, sizeof(double *))) == NULL ||
	    (sc->bat_soc_kwh = calloc(nbat, sizeof(double *))) == NULL) {
		bess_lp_schedule_free(sc);
		return -1;
	}
	if (nbat == 1) {
		sc->bat_charge_kw[0] = sc->charge_kw;
		sc->bat_discharge_kw[0] = sc->discharge_kw;
		sc->bat_soc_kwh[0] = sc->soc_kwh;
		return 0;
	}
	for (i = 0; i < nbat; i++)
		if ((sc->bat_charge_kw[i] = calloc(n + 1, sizeof(double))) == NULL ||
		    (sc->bat_discharge_kw[i] = calloc(n + 1, sizeof(double))) == NULL ||
		    (sc->bat_soc_kwh[i] = calloc(n + 1, sizeof(double))) == NULL) {
			bess_lp_schedule_free(sc);
			return -1;
		}
	return 0;
}

void
bess_lp_schedule_free(struct bess_lp_schedule *sc)
{
	size_t i;

	for (i = 0; sc->nbat > 1 && i < sc->nbat; i++) {
		if (sc->bat_charge_kw)
			free(sc->bat_charge_kw[i]);
		if (sc->bat_discharge_kw)
			free(sc->bat_discharge_kw[i]);
		if (sc->bat_soc_kwh)
			free(sc->bat_soc_kwh[i]);
	}
	free(sc->bat_charge_kw);
	free(sc->bat_discharge_kw);
	free(sc->bat_soc_kwh);
	free(sc->charge_kw);
	free(sc->discharge_kw);
	free(sc->soc_kwh);
	free(sc->import_kw);
	free(sc->export_kw);
	free(sc->curtail_kw);
	memset(sc, 0, sizeof(*sc));
}

/* Snap solver noise: v within tol (relative to hi, or absolute) of 0 or hi becomes it. */
static double
snap(double v, double hi, double tol)
{
	double eps = tol * (hi > 1 && !isinf(hi) ? hi : 1);

	if (fabs(v) < eps)
		return 0;
	if (!isinf(hi) && fabs(v - hi) < eps)
		return hi;
	return v;
}

/* Count a battery's SOC soc (kWh) outside its limits. */
static void
count_violation(const struct bess_battery *b, struct bess_lp_schedule *sc, double soc)
{
	double v = 0;

	if (soc < b->soc_min_kwh - 1e-6)
		v = b->soc_min_kwh - soc;
	else if (soc > b->soc_max_kwh + 1e-6)
		v = soc - b->soc_max_kwh;
	if (v > 0) {
		sc->soc_violation_steps++;
		if (v > sc->soc_violation_kwh)
			sc->soc_violation_kwh = v;
	}
}

/* The site sums of a fleet schedule's step t from its batteries' (one battery: the same arrays). */
static void
sum_batteries(struct bess_lp_schedule *sc, size_t t)
{
	size_t i;

	if (sc->nbat <= 1)
		return;
	sc->charge_kw[t] = sc->discharge_kw[t] = sc->soc_kwh[t] = 0;
	for (i = 0; i < sc->nbat; i++) {
		sc->charge_kw[t] += sc->bat_charge_kw[i][t];
		sc->discharge_kw[t] += sc->bat_discharge_kw[i][t];
		sc->soc_kwh[t] += sc->bat_soc_kwh[i][t];
	}
}

void
bess_lp_schedule(const struct bess_lp *lp, struct bess_lp_schedule *sc)
{
	size_t t, n = sc->n < lp->n_act ? sc->n : lp->n_act;
	double dt = lp->dt, tol = 1e-9;
	double c[BESS_LP_MAX_BATTERIES], d[BESS_LP_MAX_BATTERIES], s[BESS_LP_MAX_BATTERIES];
	double c1[BESS_LP_MAX_BATTERIES], d1[BESS_LP_MAX_BATTERIES], prev[BESS_LP_MAX_BATTERIES];
	int i, nb = lp->nb < (int)sc->nbat ? lp->nb : (int)sc->nbat;

	sc->soc_violation_kwh = 0;
	sc->soc_violation_steps = 0;
	for (i = 0; i < nb; i++)
		prev[i] = lp->soc_init[i];
	for (t = 0; t < n; t++) {
		double gi, ge, u, g;
		double net = lp->load[t] - lp->solar[t] + (lp->dev ? bess_lpdev_step_kw(lp->dev, lp->x, t) : 0);

		for (i = 0; i < nb; i++) {
			const struct bess_battery *b = &lp->bat[i];

			s[i] = lp->x[bcol(lp, t, i, JS)];
			if (lp->jb >= 0)
				s[i] += -lp->x[bcol_b(lp, t, i)] + lp->x[bcol_e(lp, t, i)];
			s[i] = snap(snap(s[i], b->soc_max_kwh, tol), b->soc_min_kwh, tol);
			if (fabs(s[i] - b->capacity_kwh) < tol * b->capacity_kwh)
				s[i] = b->capacity_kwh;
			c[i] = snap(lp->x[bcol(lp, t, i, JC)], b->charge_kw, tol);
			d[i] = snap(lp->x[bcol(lp, t, i, JD)], b->discharge_kw, tol);
		}
		u = lp->ju >= 0 ? snap(lp->x[col(lp, t, lp->ju)], lp->solar[t], tol) : 0;
		if (!lp->elig_b[t] || !lp->keep_both) {
			/*
			 * Where charging and discharging at once cannot pay (or is
			 * forbidden), the
			 * flows follow from the SOC change alone: this removes
			 * simultaneous flows left by solver ties or interior-point
			 * residue (the grid then imports less or exports more, which
			 * costs nothing more at prices >= 0; curtail more if the
			 * export limit needs it) and makes the SOC equation exact.
			 */
			double u1 = u, g1;

			g1 = net;
			for (i = 0; i < nb; i++) {
				const struct bess_battery *b = &lp->bat[i];
				double ds = s[i] - bess_battery_keep(b, dt) * prev[i];

				c1[i] = d1[i] = 0;
				if (ds > 0)
					c1[i] = snap(fmin(bess_battery_charge_kw(b, dt, ds), b->charge_kw),
					    b->charge_kw, lp->tol);
				else
					d1[i] = snap(fmin(bess_battery_discharge_kw(b, dt, -ds), b->discharge_kw),
					    b->discharge_kw, lp->tol);
				g1 += c1[i];
				g1 -= d1[i];
			}
			g1 += u;
			if (g1 < -lp->el[t]) {
				u1 = u + (-lp->el[t] - g1);
				g1 = -lp->el[t];
			}
			if (u1 <= fmax(0, lp->solar[t]) * (1 + 1e-12) + 1e-12) {
				u = u1;
				g1 = net;
				for (i = 0; i < nb; i++) {
					const struct bess_battery *b = &lp->bat[i];
					double k = bess_battery_keep(b, dt);
					double lo = lp->jb >= 0 ? 0 : b->soc_min_kwh;
					double hi = lp->jb >= 0 ? b->capacity_kwh : b->soc_max_kwh;

					c[i] = c1[i];
					d[i] = d1[i];
					/*
					 * The SOC that these flows give (the LP's, up to solver
					 * accuracy); a hair past a limit is taken off the flow.
					 */
					s[i] = bess_battery_soc_step(b, dt, k * prev[i], c[i], d[i]);
					if (s[i] > hi) {
						if (c[i] > 0)
							c[i] = fmax(0, c[i] - bess_battery_charge_kw(b, dt, s[i] - hi));
						else
							d[i] += bess_battery_discharge_kw(b, dt, s[i] - hi);
						s[i] = hi;
					} else if (s[i] < lo) {
						if (d[i] > 0)
							d[i] = fmax(0, d[i] - bess_battery_discharge_kw(b, dt, lo - s[i]));
						else
							c[i] += bess_battery_charge_kw(b, dt, lo - s[i]);
						s[i] = lo;
					}
					g1 += c[i];
					g1 -= d[i];
				}
				g1 += u;
				if (g1 < -lp->el[t])
					u = fmin(fmax(0, lp->solar[t]), u + (-lp->el[t] - g1));
			}
		}
		g = net;
		for (i = 0; i < nb; i++) {
			sc->bat_charge_kw[i][t] = c[i];
			sc->bat_discharge_kw[i][t] = d[i];
			sc->bat_soc_kwh[i][t] = s[i];
			prev[i] = s[i];
			count_violation(&lp->bat[i], sc, s[i]);
			/* the grid follows the battery flows, so the balance holds exactly */
			g += c[i];
			g -= d[i];
		}
		sum_batteries(sc, t);
		sc->curtail_kw[t] = u;
		g += u;
		if (lp->jge >= 0 && lp->elig_g[t] && lp->keep_both) {
			ge = snap(lp->x[col(lp, t, lp->jge)], INFINITY, tol);
			gi = g + ge;
			if (gi < 0) {	/* noise */
				ge -= gi;
				gi = 0;
			}
		} else {	/* importing and exporting at once cannot pay here (or is forbidden): net */
			gi = g > 0 ? g : 0;
			ge = g < 0 ? -g : 0;
		}
		sc->import_kw[t] = snap(gi, INFINITY, tol);
		sc->export_kw[t] = snap(ge, INFINITY, tol);
	}
}

/* Load, solar and limits of window step t. */
static void
step_data(const struct bess_site *s, const struct bess_lp_input *in, size_t t, double *load,
    double *solar, double *il, double *el)
{
	size_t i = in->first + t;

	*load = in->load_kw && !isnan(in->load_kw[i]) ? in->load_kw[i] : 0;
	*solar = in->solar_kw && !isnan(in->solar_kw[i]) ? in->solar_kw[i] : 0;
	*il = in->import_limit_kw && !isnan(in->import_limit_kw[i]) ? in->import_limit_kw[i] :
	    s->import_limit_kw;
	*el = in->export_limit_kw && !isnan(in->export_limit_kw[i]) ? in->export_limit_kw[i] :
	    s->export_limit_kw;
	if (*el > in->rates->feed_in_limit_kw)
		*el = in->rates->feed_in_limit_kw;	/* the tariff's feed-in limit */
	if (!in->rates->export_ok)
		*el = 0;
}

void
bess_lp_idle(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, struct bess_lp_schedule *sc)
{
	bess_lp_idle_n(b, 1, s, in, n, sc);
}

void
bess_lp_idle_n(const struct bess_battery *b, size_t nbat, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, struct bess_lp_schedule *sc)
{
	size_t t, i, na = in->n_active ? in->n_active : n;

	if (na > sc->n)
		na = sc->n;
	if (nbat > sc->nbat)
		nbat = sc->nbat;
	sc->soc_violation_kwh = 0;
	sc->soc_violation_steps = 0;
	for (i = 0; i < nbat; i++) {
		double soc = in->bat_soc_init_kwh ? in->bat_soc_init_kwh[i] : in->soc_init_kwh;
		double k = bess_battery_keep(&b[i], in->rates->dt_h);

		for (t = 0; t < na; t++) {
			soc *= k;
			sc->bat_charge_kw[i][t] = sc->bat_discharge_kw[i][t] = 0;
			sc->bat_soc_kwh[i][t] = soc;
			count_violation(&b[i], sc, soc);
		}
	}
	for (t = 0; t < na; t++) {
		double load, solar, il, el, net;
		double xp = in->rates->export_price[in->first + t];

		step_data(s, in, t, &load, &solar, &il, &el);
		sum_batteries(sc, t);
		net = load - solar;
		sc->import_kw[t] = sc->export_kw[t] = sc->curtail_kw[t] = 0;
		if (net >= 0) {
			sc->import_kw[t] = net;
		} else if (el <= 0 || xp < 0) {
			sc->curtail_kw[t] = -net;
		} else {
			sc->export_kw[t] = -net < el ? -net : el;
			sc->curtail_kw[t] = -net - sc->export_kw[t];
		}
	}
}

long
bess_lp_diagnose(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, char *why, size_t whylen)
{
	size_t t, na = in->n_active ? in->n_active : n;
	double dt = in->rates->dt_h, k = bess_battery_keep(b, dt);
	double lo = b->soc_min_kwh, hi = b->soc_max_kwh, L, H, tg;
	double eps = 1e-7 * (1 + b->capacity_kwh);

	if (in->soc_init_kwh < lo - 1e-9 || in->soc_init_kwh > hi + 1e-9) {
		lo = 0;		/* soft limits: the physical range */
		hi = b->capacity_kwh;
	}
	L = H = in->soc_init_kwh;
	for (t = 0; t < na; t++) {
		double load, solar, il, el, pmax, pmin, hmax, lmin;

		step_data(s, in, t, &load, &solar, &il, &el);
		pmax = fmin(b->charge_kw, il - (load - solar));
		pmin = fmax(-b->discharge_kw, -el - load);
		if (pmin > pmax + eps) {
			if (il - (load - solar) < -b->discharge_kw)
				snprintf(why, whylen, "load %g kW less solar %g kW is above the import limit "
				    "%g kW plus the battery's discharge power %g kW", load, solar, il,
				    b->discharge_kw);
			else
				snprintf(why, whylen, "export of %g kW is forced above the export limit %g kW "
				    "plus the battery's charge power %g kW", -(load - solar), el, b->charge_kw);
			return (long)t;
		}
		hmax = bess_battery_soc_step(b, dt, k * H, fmax(pmax, 0), fmax(-pmax, 0));
		lmin = bess_battery_soc_step(b, dt, k * L, fmax(pmin, 0), fmax(-pmin, 0));
		if (hmax < lo - eps) {
			snprintf(why, whylen, "load %g kW less solar %g kW is above the import limit %g kW "
			    "and the battery holds too little energy to cover the rest (%g kWh short)",
			    load, solar, il, lo - hmax);
			return (long)t;
		}
		if (lmin > hi + eps) {
			snprintf(why, whylen, "the battery must absorb more than it can hold "
			    "(%g kWh too much)", lmin - hi);
			return (long)t;
		}
		H = fmin(hi, hmax);
		L = fmax(lo, lmin);
	}
	tg = soc_target(b, in->soc_init_kwh);
	if (b->soc_final != BESS_SOC_FINAL_FREE && H < tg - eps) {
		snprintf(why, whylen, "the final SOC target %g kWh cannot be reached (at most %g kWh)", tg, H);
		return (long)na;
	}
	if (b->soc_final == BESS_SOC_FINAL_EXACT && L > tg + eps) {
		snprintf(why, whylen, "the final SOC target %g kWh cannot be reached (at least %g kWh)", tg, L);
		return (long)na;
	}
	snprintf(why, whylen, "no single step is at fault (the daily cycle cap may be too tight)");
	return -1;
}

long
bess_lp_diagnose_n(const struct bess_battery *b, size_t nbat, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, char *why, size_t whylen)
{
	size_t t, i, na = in->n_active ? in->n_active : n;
	double cmax = 0, dmax = 0, eps = 1e-7;

	if (nbat == 1)
		return bess_lp_diagnose(b, s, in, n, why, whylen);
	for (i = 0; i < nbat; i++) {
		cmax += b[i].charge_kw;
		dmax += b[i].discharge_kw;
		eps += 1e-7 * b[i].capacity_kwh;
	}
	for (t = 0; t < na; t++) {
		double load, solar, il, el;

		step_data(s, in, t, &load, &solar, &il, &el);
		if (fmax(-dmax, -el - load) > fmin(cmax, il - (load - solar)) + eps) {
			if (il - (load - solar) < -dmax)
				snprintf(why, whylen, "load %g kW less solar %g kW is above the import limit "
				    "%g kW plus the batteries' discharge power %g kW", load, solar, il, dmax);
			else
				snprintf(why, whylen, "export of %g kW is forced above the export limit %g kW "
				    "plus the batteries' charge power %g kW", -(load - solar), el, cmax);
			return (long)t;
		}
	}
	snprintf(why, whylen, "no single step's power is at fault (with several batteries the energy "
	    "each holds is not diagnosed)");
	return -1;
}

int
bess_lp_write(struct bess_lp *lp, const char *path, struct bess_err *err)
{
	static const char *const cname[] = { "c", "d", "soc" };
	char name[64];
	size_t t;
	int i, j, d;

	glp_set_prob_name(lp->P, "bess");
	glp_set_obj_name(lp->P, "cost");
	for (t = 0; t < lp->n; t++) {
		/* battery 0's names are the one-battery model's; battery i's carry its number */
		for (i = 0; i < lp->nb; i++)
			for (j = 0; j < JBAT; j++) {
				if (i == 0)
					snprintf(name, sizeof(name), "%s_%zu", cname[j], t);
				else
					snprintf(name, sizeof(name), "%s%d_%zu", cname[j], i, t);
				glp_set_col_name(lp->P, bcol(lp, t, i, j), name);
			}
		if (lp->jge >= 0) {
			snprintf(name, sizeof(name), "export_%zu", t);
			glp_set_col_name(lp->P, col(lp, t, lp->jge), name);
		}
		if (lp->ju >= 0) {
			snprintf(name, sizeof(name), "curtail_%zu", t);
			glp_set_col_name(lp->P, col(lp, t, lp->ju), name);
		}
		if (lp->jm >= 0) {
			snprintf(name, sizeof(name), "peak_%zu", t);
			glp_set_col_name(lp->P, col(lp, t, lp->jm), name);
			snprintf(name, sizeof(name), "cap_%zu", t);
			glp_set_row_name(lp->P, row(lp, t, lp->rcap), name);
			snprintf(name, sizeof(name), "chain_%zu", t);
			glp_set_row_name(lp->P, row(lp, t, lp->rchain), name);
		}
		for (i = 0; lp->jb >= 0 && i < lp->nb; i++) {
			if (i == 0)
				snprintf(name, sizeof(name), "below_%zu", t);
			else
				snprintf(name, sizeof(name), "below%d_%zu", i, t);
			glp_set_col_name(lp->P, bcol_b(lp, t, i), name);
			if (i == 0)
				snprintf(name, sizeof(name), "above_%zu", t);
			else
				snprintf(name, sizeof(name), "above%d_%zu", i, t);
			glp_set_col_name(lp->P, bcol_e(lp, t, i), name);
		}
		snprintf(name, sizeof(name), "grid_%zu", t);
		glp_set_row_name(lp->P, row(lp, t, 0), name);
		for (i = 0; i < lp->nb; i++) {
			if (i == 0)
				snprintf(name, sizeof(name), "socrow_%zu", t);
			else
				snprintf(name, sizeof(name), "socrow%d_%zu", i, t);
			glp_set_row_name(lp->P, soc_row(lp, t, i), name);
		}
	}
	for (i = 0; i < lp->nb; i++)
		for (d = 0; d < lp->nday; d++) {
			if (i == 0)
				snprintf(name, sizeof(name), "day_%d", d);
			else
				snprintf(name, sizeof(name), "day%d_%d", i, d);
			glp_set_row_name(lp->P, day_row(lp, i, d), name);
		}
	if (lp->ev)
		bess_lpev_names(lp->ev, lp->P);
	/*
	 * The LP format has no objective constant: carry it on a column fixed
	 * at 1 named "constant", so that a re-solve elsewhere reports the same cost.
	 */
	{
		int jc = glp_add_cols(lp->P, 1), rc, del[2];

		glp_set_col_name(lp->P, jc, "constant");
		glp_set_col_bnds(lp->P, jc, GLP_FX, 1, 1);
		glp_set_obj_coef(lp->P, jc, lp->obj0);
		glp_set_obj_coef(lp->P, 0, 0);
		rc = glp_write_lp(lp->P, NULL, path);
		del[1] = jc;
		glp_del_cols(lp->P, 1, del);
		glp_set_obj_coef(lp->P, 0, lp->obj0);
		if (rc != 0)
			return bess_err_set(err, path, 0, "cannot write the LP file");
	}
	return 0;
}

int
bess_lp_devices(struct bess_lp *lp, const struct bess_devices *dv, const bess_time_t *ts, size_t nts,
    const struct bess_devstate *st, struct bess_err *err)
{
	int *gr, *cr = NULL;
	double *nx;
	size_t t;

	if (lp->dev != NULL)
		return bess_err_set(err, NULL, 0, "the model has devices already");
	if ((gr = malloc(lp->n * sizeof(int))) == NULL ||
	    (lp->jm >= 0 && (cr = malloc(lp->n * sizeof(int))) == NULL)) {
		free(gr);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	for (t = 0; t < lp->n; t++) {
		gr[t] = row(lp, t, 0);
		if (cr)
			cr[t] = row(lp, t, lp->rcap);
	}
	lp->dev = bess_lpdev_new(dv, lp->P, lp->n, lp->dt, gr, cr, err);
	free(gr);
	free(cr);
	if (lp->dev == NULL)
		return -1;
	bess_lpdev_times(lp->dev, ts, nts);
	bess_lpdev_state(lp->dev, st);
	lp->ncol = glp_get_num_cols(lp->P);
	if ((nx = realloc(lp->x, ((size_t)lp->ncol + 1) * sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	memset(nx, 0, ((size_t)lp->ncol + 1) * sizeof(double));
	lp->x = nx;
	lp->basis_ok = 0;
	lp->have_x = 0;
	return 0;
}

void
bess_lp_devices_times(struct bess_lp *lp, const bess_time_t *ts, size_t nts)
{
	if (lp->dev)
		bess_lpdev_times(lp->dev, ts, nts);
}

void
bess_lp_device(const struct bess_lp *lp, size_t i, size_t t, double *power_kw, int *on, double *kwh)
{
	bess_lpdev_device(lp->dev, lp->x, i, t, power_kw, on, kwh);
}

void
bess_lp_device_shortfall(const struct bess_lp *lp, size_t i, double *short_kwh, double *later_kwh)
{
	bess_lpdev_shortfall(lp->dev, i, short_kwh, later_kwh);
}
