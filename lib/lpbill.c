/* lpbill.c: energy blocks, the minimum charge and the export cap of each bill as LP columns and rows (see bess_lpbill.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_lpbill.h"

/* Columns and rows of one slot: I, z[ntier], P, w (columns); the same four kinds of rows. */
struct bess_lpbill {
	size_t ntier;		/* energy blocks the slots were made for */
	size_t nslot;		/* slots made */
	int *col0, *row0;	/* per slot: its first column and row (GLPK, 1-based) */
	int *ind;		/* scratch for a row, 1-based */
	double *val;
	size_t cap;		/* entries of ind and val */
};

void
bess_lpbill_free(struct bess_lpbill *B)
{
	if (B == NULL)
		return;
	free(B->col0);
	free(B->row0);
	free(B->ind);
	free(B->val);
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

/* Room for a row of n entries. */
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
	B->cap = n + 1;
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

int
bess_lpbill_update(struct bess_lpbill **Bp, glp_prob *P, const struct bess_rates *r, size_t f,
    size_t na, const struct bess_lpbill_step *st, const struct bess_bill *so_far, int open_end,
    struct bess_err *err)
{
	struct bess_lpbill *B = *Bp;
	int tiers = tiers_convex(r), blocks = tiers_any(r);
	size_t nslot, s, t, k, T = r->ntier, lo;
	double dt = r->dt_h;

	if (na == 0 || (!blocks && isnan(r->minimum) && !(r->export_ok && isfinite(r->export_cap_kwh)))) {
		for (s = 0; B != NULL && s < B->nslot; s++)
			idle_slot(B, P, s);
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
	if (grow(B, P, nslot) != 0 || room(B, 5 * na + T + 4) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (s = nslot; s < B->nslot; s++)
		idle_slot(B, P, s);
	for (s = 0, lo = 0; s < nslot; s++) {
		int cI = B->col0[s], cz = cI + 1, cP = cz + (int)T, cw = cP + 1;
		int rI = B->row0[s], rz = rI + 1, rP = rz + (int)T, rw = rP + 1, len;
		size_t hi, b = (size_t)r->bill[f + lo];
		double p, left, rhs, prev;
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
			PUT(cP, 1);
			for (t = lo; t < hi; t++) {
				PUT(st[t].x, -dt);
				/* the step's own export revenue is the cap column's now */
				glp_set_obj_coef(P, st[t].x, glp_get_obj_coef(P, st[t].x) + dt * r->export_price[f + t]);
			}
			glp_set_mat_row(P, rP, len, B->ind, B->val);
			glp_set_row_bnds(P, rP, GLP_UP, 0, 0);
		}
		/* the bill's kWh and its blocks */
		if (tiers) {
			rhs = s == 0 && so_far ? so_far->import_kwh : 0;
			len = 0;
			PUT(cI, 1);
			for (t = lo; t < hi; t++) {
				rhs += dt * st[t].net_kw;
				PUT(st[t].c, -dt);
				PUT(st[t].d, dt);
				PUT(st[t].u, -dt);
				PUT(st[t].x, -dt);
			}
			glp_set_mat_row(P, rI, len, B->ind, B->val);
			glp_set_row_bnds(P, rI, GLP_FX, rhs, rhs);
			glp_set_col_bnds(P, cI, GLP_FR, 0, 0);
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
			rhs = r->minimum - r->fixed;
			if (s == 0 && so_far)
				rhs -= so_far->energy_cost - so_far->export_revenue;
			len = 0;
			PUT(cw, 1);
			for (t = lo; t < hi; t++) {
				double pi = r->price[f + t], px = cap ? 0 : r->export_ok ? r->export_price[f + t] : 0;

				rhs -= dt * pi * st[t].net_kw;
				PUT(st[t].c, dt * pi);
				PUT(st[t].d, -dt * pi);
				PUT(st[t].u, dt * pi);
				PUT(st[t].x, dt * (pi - px));
				PUT(st[t].dem, st[t].dem_rate);
			}
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
	return 0;
}
