/* lpbill.c: energy blocks, the minimum charge and the export cap of each bill as LP columns and rows over the site's grid import and export (see bess_lpbill.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_lpbill.h"

/* What a sum over a bill's steps adds up (see bess_lpbill.h). */
enum sum_kind {
	SUM_KWH,	/* dt imp[t]: the import, kWh */
	SUM_COST,	/* dt (price imp[t] - export price x[t]): the energy charge less the export credit */
	SUM_EXPORT	/* dt x[t]: the export, kWh */
};

/* Columns and rows of one slot: I, z[ntier], P, w (columns); the same four kinds of rows. */
struct bess_lpbill {
	size_t ntier;		/* energy blocks the slots were made for */
	size_t nslot;		/* slots made */
	int *col0, *row0;	/* per slot: its first column and row (GLPK, 1-based) */
	int *pcol, *prow;	/* the running totals: a column and its row each (see chunk_sum) */
	size_t npool, pused;	/* running totals made, and used by this window */
	int *ind, *ind2;	/* scratch for a row and a running total's row, 1-based */
	double *val, *val2;
	size_t cap;		/* entries of each scratch */
	size_t *gs;		/* per window step t: its grid row's entries are gs[t]+1 .. gs[t+1] of gj, ga */
	int *gj;		/* the columns of the steps' grid rows */
	double *ga;		/* their coefficients */
	size_t gcap, scap;	/* entries of gj and ga; of gs */
};

void
bess_lpbill_free(struct bess_lpbill *B)
{
	if (B == NULL)
		return;
	free(B->col0);
	free(B->row0);
	free(B->pcol);
	free(B->prow);
	free(B->ind);
	free(B->val);
	free(B->ind2);
	free(B->val2);
	free(B->gs);
	free(B->gj);
	free(B->ga);
	free(B);
}

/* Are r's energy blocks convex (marginal adders never falling, the first >= 0)? 0 also without blocks. */
static int
tiers_convex(const struct bess_rates *r)
{
	size_t k;
	double prev = 0;
	int any = 0;

	for (k = 0; k < r->ntier; k++) {
		if (r->tier[k].adder < prev)
			return 0;
		prev = r->tier[k].adder;
		any |= prev != 0;
	}
	return any;
}

/* Does r have blocks with some adder not zero? */
static int
tiers_any(const struct bess_rates *r)
{
	size_t k;

	for (k = 0; k < r->ntier; k++)
		if (r->tier[k].adder != 0)
			return 1;
	return 0;
}

/* The one export price of steps lo .. hi-1 of r, or NAN if it varies (or the cap does not apply). */
static double
cap_price(const struct bess_rates *r, size_t lo, size_t hi)
{
	size_t i;
	double p;

	if (!r->export_ok || !isfinite(r->export_cap_kwh) || lo >= hi)
		return NAN;
	p = r->export_price[lo];
	for (i = lo + 1; i < hi; i++)
		if (r->export_price[i] != p)
			return NAN;
	return p >= 0 ? p : NAN;
}

int
bess_lpbill_needs_split(const struct bess_rates *r)
{
	return tiers_any(r) || !isnan(r->minimum) || (r->export_ok && isfinite(r->export_cap_kwh));
}

char *
bess_lpbill_unplanned(const struct bess_rates *r, char *buf, size_t len)
{
	size_t i = 0, j, nocap = 0;
	int blocks = tiers_any(r) && !tiers_convex(r), capped = r->export_ok && isfinite(r->export_cap_kwh);

	buf[0] = '\0';
	if (blocks)
		snprintf(buf, len, "declining energy blocks ('tier': not convex)");
	while (capped && i < r->n) {
		for (j = i; j < r->n && r->bill[j] == r->bill[i]; j++)
			;
		nocap += isnan(cap_price(r, i, j));
		i = j;
	}
	if (nocap)
		snprintf(buf + strlen(buf), len - strlen(buf), "%sthe export cap in %zu bill%s "
		    "(paid in time order at export prices that vary or fall below 0: not convex)",
		    buf[0] ? ", " : "", nocap, nocap == 1 ? "" : "s");
	if (!isnan(r->minimum) && (blocks || nocap))
		snprintf(buf + strlen(buf), len - strlen(buf), "%sthe minimum charge%s", buf[0] ? ", " : "",
		    blocks ? "" : " of those bills");
	return buf;
}

/* Make slots up to need (columns and rows added at the end of P). */
static int
grow(struct bess_lpbill *B, glp_prob *P, size_t need)
{
	int *c0, *r0, nc = (int)B->ntier + 3;

	if (need <= B->nslot)
		return 0;
	if ((c0 = realloc(B->col0, need * sizeof(int))) == NULL)
		return -1;
	B->col0 = c0;
	if ((r0 = realloc(B->row0, need * sizeof(int))) == NULL)
		return -1;
	B->row0 = r0;
	for (; B->nslot < need; B->nslot++) {
		B->col0[B->nslot] = glp_add_cols(P, nc);
		B->row0[B->nslot] = glp_add_rows(P, nc);
	}
	return 0;
}

/* Room for rows of n entries in both scratches. */
static int
room(struct bess_lpbill *B, size_t n)
{
	int *ind;
	double *val;

	if (n + 1 <= B->cap)
		return 0;
	if ((ind = realloc(B->ind, (n + 1) * sizeof(int))) == NULL)
		return -1;
	B->ind = ind;
	if ((val = realloc(B->val, (n + 1) * sizeof(double))) == NULL)
		return -1;
	B->val = val;
	if ((ind = realloc(B->ind2, (n + 1) * sizeof(int))) == NULL)
		return -1;
	B->ind2 = ind;
	if ((val = realloc(B->val2, (n + 1) * sizeof(double))) == NULL)
		return -1;
	B->val2 = val;
	B->cap = n + 1;
	return 0;
}

/*
 * Read the grid rows of the window's na steps (their columns: every
 * battery's charge and discharge, curtailment, export, the devices'): the
 * one definition of the site's import, imp[t] = net[t] + that row. Returns
 * the longest row's length, or -1 when out of memory.
 */
static long
read_grid(struct bess_lpbill *B, glp_prob *P, size_t na, const struct bess_lpbill_step *st)
{
	size_t t, used = 0;
	long most = 0;

	if (na + 1 > B->scap) {
		size_t *gs = realloc(B->gs, (na + 1) * sizeof(size_t));

		if (gs == NULL)
			return -1;
		B->gs = gs;
		B->scap = na + 1;
	}
	for (t = 0; t < na; t++) {
		int len = glp_get_mat_row(P, st[t].grid_row, NULL, NULL);

		if (used + (size_t)len + 1 > B->gcap) {
			size_t want = 2 * (used + (size_t)len + 1) + 64;
			int *gj = realloc(B->gj, want * sizeof(int));
			double *ga;

			if (gj == NULL)
				return -1;
			B->gj = gj;
			if ((ga = realloc(B->ga, want * sizeof(double))) == NULL)
				return -1;
			B->ga = ga;
			B->gcap = want;
		}
		B->gs[t] = used;
		/* GLPK writes entries 1 .. len of the arrays it is given: gj[used + 1 ..] */
		len = glp_get_mat_row(P, st[t].grid_row, B->gj + used, B->ga + used);
		used += (size_t)len;
		if (len > most)
			most = len;
	}
	B->gs[na] = used;
	return most;
}

/*
 * Steps a bill term's row sums directly; longer sums go through running
 * totals (chunk_sum). A month of 15-minute steps with energy blocks, a
 * minimum and an export cap solved in 0.3-0.4 s with chunks of 4 to 32
 * steps, 22 s with one dense row per bill; a year in 4.8-6.3 s with 16,
 * 7-8.4 s with 8 or 32 (against 2.2 s without the terms; load 6).
 */
#define CHUNK_STEPS 16

/* Make running totals up to need (a column and a row each, at the end of P). */
static int
grow_pool(struct bess_lpbill *B, glp_prob *P, size_t need)
{
	int *pc, *pr, c, r;
	size_t k, add;

	if (need <= B->npool)
		return 0;
	add = need - B->npool;
	if ((pc = realloc(B->pcol, need * sizeof(int))) == NULL)
		return -1;
	B->pcol = pc;
	if ((pr = realloc(B->prow, need * sizeof(int))) == NULL)
		return -1;
	B->prow = pr;
	c = glp_add_cols(P, (int)add);
	r = glp_add_rows(P, (int)add);
	for (k = 0; k < add; k++) {
		B->pcol[B->npool + k] = c + (int)k;
		B->prow[B->npool + k] = r + (int)k;
		glp_set_col_bnds(P, c + (int)k, GLP_FX, 0, 0);
	}
	B->npool = need;
	return 0;
}

/*
 * Append scale times step t's part of a sum of kind k to the row ind/val
 * (*len entries so far); returns scale times its constant part (the net
 * load's). imp[t] = net[t] + the grid row; the export column x is in the
 * grid row, so its coefficient in a cost sum is dt (price - px), px the
 * export price (0 where the cap column earns the export instead).
 */
static double
terms(const struct bess_lpbill *B, int *ind, double *val, int *len, enum sum_kind k,
    const struct bess_rates *r, size_t f, const struct bess_lpbill_step *st, size_t t, int cap,
    double scale)
{
	double dt = r->dt_h, pi = k == SUM_COST ? r->price[f + t] : 1;
	double px = k == SUM_COST && !cap && r->export_ok ? r->export_price[f + t] : 0;
	size_t e;

	if (k == SUM_EXPORT) {
		if (st[t].x > 0)
			++*len, ind[*len] = st[t].x, val[*len] = scale * dt;
		return 0;
	}
	for (e = B->gs[t] + 1; e <= B->gs[t + 1]; e++) {
		double a = dt * pi * B->ga[e];

		if (B->gj[e] == st[t].x)
			a -= dt * px;
		if (a != 0)
			++*len, ind[*len] = B->gj[e], val[*len] = scale * a;
	}
	return scale * dt * pi * st[t].net_kw;
}

/*
 * The least step t can add to a cost sum: dt (price imp - px x) >= 0 -
 * dt px x_max where the price is >= 0 (imp >= 0); -INFINITY where it is
 * not, or x has no upper bound.
 */
static double
cost_least(glp_prob *P, const struct bess_rates *r, size_t f, const struct bess_lpbill_step *st,
    size_t t, int cap)
{
	double px = !cap && r->export_ok ? r->export_price[f + t] : 0, xmax = 0;

	if (r->price[f + t] < 0)
		return -INFINITY;
	if (st[t].x > 0 && px > 0) {
		int ty = glp_get_col_type(P, st[t].x);

		if (ty != GLP_DB && ty != GLP_FX)
			return -INFINITY;
		xmax = glp_get_col_ub(P, st[t].x);
	}
	return -r->dt_h * fmax(px, 0) * xmax;
}

/*
 * Append scale times the sum of kind k over steps lo .. hi-1 to the row in
 * B->ind/val (*len entries so far), adding scale times the constant part
 * the row holds to *konst. Steps before the last CHUNK_STEPS go through
 * running totals, q = the previous q + the sum over the next chunk (a
 * column and a row each, the constants in the row: q is the running total
 * itself, kWh or currency), and the row gets scale q: no row is longer
 * than a chunk, which keeps the interior-point method fast (one dense row
 * per bill took a month's solve from 0.09 s to 2-20 s).
 */
static int
chunk_sum(struct bess_lpbill *B, glp_prob *P, enum sum_kind k, const struct bess_rates *r, size_t f,
    const struct bess_lpbill_step *st, int cap, size_t lo, size_t hi, double scale, int *len,
    double *konst)
{
	size_t L = CHUNK_STEPS, a, t;
	int prev = 0;
	double least = 0;	/* the least a cost's running total can be (-INFINITY: no bound) */

	for (a = lo; hi - a > L; a += L) {
		int q, rq, l2 = 0;
		double c = 0;

		if (grow_pool(B, P, B->pused + 1) != 0)
			return -1;
		q = B->pcol[B->pused];
		rq = B->prow[B->pused++];
		B->ind2[++l2] = q, B->val2[l2] = 1;
		if (prev)
			B->ind2[++l2] = prev, B->val2[l2] = -1;
		for (t = a; t < a + L; t++) {
			c += terms(B, B->ind2, B->val2, &l2, k, r, f, st, t, cap, -1);
			if (k == SUM_COST)
				least += cost_least(P, r, f, st, t, cap);
		}
		glp_set_mat_row(P, rq, l2, B->ind2, B->val2);
		glp_set_row_bnds(P, rq, GLP_FX, -c, -c);
		/*
		 * imports and exports are >= 0, and so their running totals; a
		 * cost's is bounded where it can be (GLPK's interior point
		 * stalls on free columns)
		 */
		if (k != SUM_COST)
			glp_set_col_bnds(P, q, GLP_LO, 0, 0);
		else if (isfinite(least))
			glp_set_col_bnds(P, q, GLP_LO, least, 0);
		else
			glp_set_col_bnds(P, q, GLP_FR, 0, 0);
		glp_set_obj_coef(P, q, 0);
		prev = q;
	}
	if (prev)
		++*len, B->ind[*len] = prev, B->val[*len] = scale;
	for (t = a; t < hi; t++)
		*konst += terms(B, B->ind, B->val, len, k, r, f, st, t, cap, scale);
	return 0;
}

/* Add v * column j to the row being built (j = 0: nothing). */
#define PUT(j, v) do { if ((j) > 0 && (v) != 0) { len++; B->ind[len] = (j); B->val[len] = (v); } } while (0)

/* Fix every column of slot s at 0 (no cost) and free its rows. */
static void
idle_slot(const struct bess_lpbill *B, glp_prob *P, size_t s)
{
	int k, nc = (int)B->ntier + 3;

	for (k = 0; k < nc; k++) {
		glp_set_col_bnds(P, B->col0[s] + k, GLP_FX, 0, 0);
		glp_set_obj_coef(P, B->col0[s] + k, 0);
		glp_set_row_bnds(P, B->row0[s] + k, GLP_FR, 0, 0);
	}
}

/*
 * Fix the running totals from k on at 0 and free their rows. The rows keep
 * their entries: a column left with none, basic from the last solve, trips
 * an assertion in GLPK 5.0's factorisation (bflib/sgf.c) on a warm start.
 */
static void
idle_pool(const struct bess_lpbill *B, glp_prob *P, size_t k)
{
	for (; k < B->npool; k++) {
		glp_set_col_bnds(P, B->pcol[k], GLP_FX, 0, 0);
		glp_set_obj_coef(P, B->pcol[k], 0);
		glp_set_row_bnds(P, B->prow[k], GLP_FR, 0, 0);
	}
}

int
bess_lpbill_update(struct bess_lpbill **Bp, glp_prob *P, const struct bess_rates *r, size_t f,
    size_t na, const struct bess_lpbill_step *st, const struct bess_bill *so_far, int open_end,
    struct bess_err *err)
{
	struct bess_lpbill *B = *Bp;
	int tiers = tiers_convex(r), blocks = tiers_any(r);
	size_t nslot, s, t, k, T = r->ntier, lo;
	long most;

	if (na == 0 || (!blocks && isnan(r->minimum) && !(r->export_ok && isfinite(r->export_cap_kwh)))) {
		for (s = 0; B != NULL && s < B->nslot; s++)
			idle_slot(B, P, s);
		if (B != NULL)
			idle_pool(B, P, 0);
		return 0;
	}
	if (B == NULL) {
		if ((B = calloc(1, sizeof(*B))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		B->ntier = T;
		*Bp = B;
	}
	if (B->ntier != T)
		return bess_err_set(err, NULL, 0, "the model's bill terms were made for %zu energy blocks, "
		    "not %zu", B->ntier, T);
	nslot = (size_t)(r->bill[f + na - 1] - r->bill[f]) + 1;
	if ((most = read_grid(B, P, na, st)) < 0 || grow(B, P, nslot) != 0 ||
	    room(B, (size_t)(most + 2) * (CHUNK_STEPS + 1) + na + T + 8) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (s = nslot; s < B->nslot; s++)
		idle_slot(B, P, s);
	B->pused = 0;
	for (s = 0, lo = 0; s < nslot; s++) {
		int cI = B->col0[s], cz = cI + 1, cP = cz + (int)T, cw = cP + 1;
		int rI = B->row0[s], rz = rI + 1, rP = rz + (int)T, rw = rP + 1, len;
		size_t hi, b = (size_t)r->bill[f + lo];
		double p, left, rhs, prev, konst;
		int ends, cap;

		for (hi = lo; hi < na && (size_t)r->bill[f + hi] == b; hi++)
			;
		idle_slot(B, P, s);
		/* the cap: one export price, a revenue of p min(export, what is left of the cap) */
		p = cap_price(r, f + lo, f + hi);
		cap = !isnan(p) && st[lo].x > 0;
		if (cap) {
			left = r->export_cap_kwh - (s == 0 && so_far ? so_far->paid_export_kwh : 0);
			glp_set_col_bnds(P, cP, left > 0 ? GLP_DB : GLP_FX, 0, fmax(left, 0));
			glp_set_obj_coef(P, cP, -p);
			len = 0;
			konst = 0;
			PUT(cP, 1);
			if (chunk_sum(B, P, SUM_EXPORT, r, f, st, cap, lo, hi, -1, &len, &konst) != 0)
				return bess_err_set(err, NULL, 0, "out of memory");
			/* the steps' own export revenue is the cap column's now */
			for (t = lo; t < hi; t++)
				glp_set_obj_coef(P, st[t].x, glp_get_obj_coef(P, st[t].x) +
				    r->dt_h * r->export_price[f + t]);
			glp_set_mat_row(P, rP, len, B->ind, B->val);
			glp_set_row_bnds(P, rP, GLP_UP, 0, 0);
		}
		/* the bill's kWh and its blocks */
		if (tiers) {
			len = 0;
			konst = 0;
			PUT(cI, 1);
			if (chunk_sum(B, P, SUM_KWH, r, f, st, cap, lo, hi, -1, &len, &konst) != 0)
				return bess_err_set(err, NULL, 0, "out of memory");
			rhs = (s == 0 && so_far ? so_far->import_kwh : 0) - konst;
			glp_set_mat_row(P, rI, len, B->ind, B->val);
			glp_set_row_bnds(P, rI, GLP_FX, rhs, rhs);
			glp_set_col_bnds(P, cI, GLP_LO, 0, 0);
			for (k = 0, prev = 0; k < T; k++) {
				int ind[3] = { 0, cz + (int)k, cI };
				double val[3] = { 0, 1, -1 };

				glp_set_col_bnds(P, cz + (int)k, GLP_LO, 0, 0);
				glp_set_obj_coef(P, cz + (int)k, r->tier[k].adder - prev);
				prev = r->tier[k].adder;
				glp_set_mat_row(P, rz + (int)k, 2, ind, val);
				glp_set_row_bnds(P, rz + (int)k, GLP_LO, -r->tier[k].above_kwh, 0);
			}
		}
		/* the minimum: only on a bill the window ends, with every other part planned exactly */
		ends = f + hi >= r->n ? !open_end : (size_t)r->bill[f + hi] != b;
		if (!isnan(r->minimum) && ends && (tiers || !blocks) &&
		    (cap || !r->export_ok || !isfinite(r->export_cap_kwh))) {
			len = 0;
			konst = 0;
			PUT(cw, 1);
			if (chunk_sum(B, P, SUM_COST, r, f, st, cap, lo, hi, 1, &len, &konst) != 0)
				return bess_err_set(err, NULL, 0, "out of memory");
			rhs = r->minimum - r->fixed - konst;
			if (s == 0 && so_far)
				rhs -= so_far->energy_cost - so_far->export_revenue;
			for (t = lo; t < hi; t++)
				PUT(st[t].dem, st[t].dem_rate);
			if (cap)
				PUT(cP, -p);
			for (k = 0, prev = 0; tiers && k < T; k++) {
				PUT(cz + (int)k, r->tier[k].adder - prev);
				prev = r->tier[k].adder;
			}
			glp_set_mat_row(P, rw, len, B->ind, B->val);
			glp_set_row_bnds(P, rw, GLP_LO, rhs, 0);
			glp_set_col_bnds(P, cw, GLP_LO, 0, 0);
			glp_set_obj_coef(P, cw, 1);
		}
		lo = hi;
	}
	idle_pool(B, P, B->pused);
	return 0;
}
