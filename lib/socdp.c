/* socdp.c: the exact optimum of one battery that either charges or discharges in each step, by dynamic programming over its SOC (bess_socdp.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_socdp.h"

/*
 * A continuous piecewise-linear function on [x[0], x[n-1]] through the
 * points (x[i], y[i]), x increasing; n == 1 is a function on one point.
 */
struct pwl {
	double *x, *y;	/* breakpoints and values */
	size_t n, cap;	/* points, room */
};

/* Two abscissae closer than this (relative) are one point. */
#define X_EPS 1e-11

static double
xeps(double x)
{
	return X_EPS * (1 + fabs(x));
}

static int
grow(struct pwl *f, size_t need)
{
	double *x, *y;
	size_t cap = bess_grow_cap(f->cap, need, 16, sizeof(double));

	if (cap == 0)
		return -1;
	if (cap == f->cap)
		return 0;
	if ((x = realloc(f->x, cap * sizeof(double))) == NULL)
		return -1;
	f->x = x;
	if ((y = realloc(f->y, cap * sizeof(double))) == NULL)
		return -1;
	f->y = y;
	f->cap = cap;
	return 0;
}

/* Append (x, y); a point on the last one's abscissa keeps the lower value. */
static int
push(struct pwl *f, double x, double y)
{
	if (f->n > 0 && x <= f->x[f->n - 1] + xeps(x)) {
		if (y < f->y[f->n - 1])
			f->y[f->n - 1] = y;
		return 0;
	}
	if (grow(f, f->n + 1) != 0)
		return -1;
	f->x[f->n] = x;
	f->y[f->n] = y;
	f->n++;
	return 0;
}

/* f at x, x clamped to f's domain (f not empty). */
static double
eval(const struct pwl *f, double x)
{
	size_t lo = 0, hi = f->n - 1, mid;

	if (x <= f->x[0])
		return f->y[0];
	if (x >= f->x[hi])
		return f->y[hi];
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (f->x[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return f->y[lo] + (f->y[hi] - f->y[lo]) * (x - f->x[lo]) / (f->x[hi] - f->x[lo]);
}

/*
 * On [u0, u1], append to out the lower envelope of the lines given by
 * their values v0[j] at u0 and v1[j] at u1 (j < nl), less beta u.
 */
static int
envelope(struct pwl *out, double u0, double u1, const double *v0, const double *v1, int nl, double beta)
{
	double pt[8];
	int np = 0, i, j, k;

	pt[np++] = u0;
	for (j = 0; j < nl; j++)
		for (k = j + 1; k < nl; k++) {
			double d0 = v0[j] - v0[k], d1 = v1[j] - v1[k];

			if ((d0 < 0 && d1 > 0) || (d0 > 0 && d1 < 0))
				pt[np++] = u0 + (u1 - u0) * d0 / (d0 - d1);
		}
	pt[np++] = u1;
	for (i = 1; i < np; i++)	/* insertion sort: at most 5 points */
		for (j = i; j > 0 && pt[j] < pt[j - 1]; j--) {
			double s = pt[j];

			pt[j] = pt[j - 1];
			pt[j - 1] = s;
		}
	for (i = 0; i < np; i++) {
		double u = pt[i], w = u1 > u0 ? (u - u0) / (u1 - u0) : 0, m = INFINITY;

		for (j = 0; j < nl; j++)
			m = fmin(m, v0[j] + (v1[j] - v0[j]) * w);
		if (push(out, u, m - beta * u) != 0)
			return -1;
	}
	return 0;
}

/*
 * G(u) = min over d in [a, b] of beta d + F(u + d), u + d in F's domain:
 * the sliding minimum of g(y) = beta y + F(y) over the window [u + a, u + b],
 * less beta u. On each interval between the points x[i] - b and x[i] - a
 * the window's minimum is the least of g at its two ends (linear in u)
 * and of g at the breakpoints strictly inside (a constant, kept in a
 * monotone queue), so G is exact with the envelope's crossings added.
 */
static int
branch(const struct pwl *F, double a, double b, double beta, struct pwl *G, size_t *q)
{
	size_t m = F->n, ia = 0, ib = 0, qh = 0, qt = 0, lo = 0, hi = 0;
	double prev = -INFINITY, ulo = F->x[0] - b, uhi = F->x[m - 1] - a;

	G->n = 0;
	if (m == 1) {
		/* F on one point x: u in [x - b, x - a], d = x - u */
		if (push(G, F->x[0] - b, F->y[0] + beta * b) != 0)
			return -1;
		return push(G, F->x[0] - a, F->y[0] + beta * a);
	}
	if (b - a <= xeps(b)) {
		/* a window of one point: G is F shifted */
		size_t i;

		for (i = 0; i < m; i++)
			if (push(G, F->x[i] - a, F->y[i] - beta * (F->x[i] - a) + beta * F->x[i]) != 0)
				return -1;
		return 0;
	}
	/* the candidates x[i] - b and x[i] - a, merged in increasing order */
	while (ia < m || ib < m) {
		double u, um, v0[3], v1[3];
		int nl = 0;

		if (ib < m && (ia >= m || F->x[ib] - b <= F->x[ia] - a))
			u = F->x[ib++] - b;
		else
			u = F->x[ia++] - a;
		if (u < ulo)
			u = ulo;
		if (u > uhi)
			u = uhi;
		if (prev == -INFINITY) {
			prev = u;
			continue;
		}
		if (u <= prev + xeps(u))
			continue;
		um = (prev + u) / 2;
		/* the breakpoints strictly inside the window at um: x in (um + a, um + b) */
		while (hi < m && F->x[hi] < um + b) {
			while (qt > qh && F->y[q[qt - 1]] + beta * F->x[q[qt - 1]] >=
			    F->y[hi] + beta * F->x[hi])
				qt--;
			q[qt++] = hi++;
		}
		while (lo < m && F->x[lo] <= um + a)
			lo++;
		while (qt > qh && q[qh] < lo)
			qh++;
		if (qt > qh) {
			v0[nl] = v1[nl] = F->y[q[qh]] + beta * F->x[q[qh]];
			nl++;
		}
		if (um + a >= F->x[0] && um + a <= F->x[m - 1]) {
			v0[nl] = eval(F, prev + a) + beta * (prev + a);
			v1[nl] = eval(F, u + a) + beta * (u + a);
			nl++;
		}
		if (um + b >= F->x[0] && um + b <= F->x[m - 1]) {
			v0[nl] = eval(F, prev + b) + beta * (prev + b);
			v1[nl] = eval(F, u + b) + beta * (u + b);
			nl++;
		}
		if (nl > 0 && envelope(G, prev, u, v0, v1, nl, beta) != 0)
			return -1;
		prev = u;
	}
	return 0;
}

/* H = the lower envelope of A and B (either may be empty); 1 if their domains leave a gap. */
static int
lower(const struct pwl *A, const struct pwl *B, struct pwl *H)
{
	size_t i = 0, j = 0;
	double prev = -INFINITY;

	H->n = 0;
	if (A->n == 0 || B->n == 0) {
		const struct pwl *S = A->n ? A : B;

		if (grow(H, S->n) != 0)
			return -1;
		memcpy(H->x, S->x, S->n * sizeof(double));
		memcpy(H->y, S->y, S->n * sizeof(double));
		H->n = S->n;
		return 0;
	}
	if (B->x[0] > A->x[A->n - 1] + xeps(B->x[0]) || A->x[0] > B->x[B->n - 1] + xeps(A->x[0]))
		return 1;
	if (A->n == 1 || B->n == 1) {
		/* a function on one point: the other with that point's value put in */
		const struct pwl *P = A->n == 1 ? A : B, *S = A->n == 1 ? B : A;
		double x = P->x[0], y = P->y[0];
		size_t k;

		if (S->n == 1)
			return push(H, x, fmin(y, S->y[0]));
		for (k = 0; k < S->n && S->x[k] < x - xeps(x); k++)
			if (push(H, S->x[k], S->y[k]) != 0)
				return -1;
		if (push(H, x, fmin(y, eval(S, x))) != 0)
			return -1;
		for (; k < S->n; k++)
			if (S->x[k] > x + xeps(x) && push(H, S->x[k], S->y[k]) != 0)
				return -1;
		return 0;
	}
	while (i < A->n || j < B->n) {
		double u, v0[2], v1[2], um;
		int nl = 0;

		if (j >= B->n || (i < A->n && A->x[i] <= B->x[j]))
			u = A->x[i++];
		else
			u = B->x[j++];
		if (prev == -INFINITY) {
			prev = u;
			continue;
		}
		if (u <= prev + xeps(u))
			continue;
		um = (prev + u) / 2;
		if (um >= A->x[0] && um <= A->x[A->n - 1]) {
			v0[nl] = eval(A, prev);
			v1[nl] = eval(A, u);
			nl++;
		}
		if (um >= B->x[0] && um <= B->x[B->n - 1]) {
			v0[nl] = eval(B, prev);
			v1[nl] = eval(B, u);
			nl++;
		}
		if (nl > 0 && envelope(H, prev, u, v0, v1, nl, 0) != 0)
			return -1;
		prev = u;
	}
	return 0;
}

/* F(S) = H(keep S) + cost S on [lo, hi] ∩ H's domain / keep, collinear points dropped; 1 if empty. */
static int
compose(const struct pwl *H, double keep, double lo, double hi, double cost, struct pwl *F)
{
	double a = H->x[0] / keep, b = H->x[H->n - 1] / keep;
	size_t i;

	F->n = 0;
	if (a < lo)
		a = lo;
	if (b > hi)
		b = hi;
	if (a > b + xeps(b))
		return 1;
	if (b < a)
		b = a;
	if (push(F, a, eval(H, a * keep) + cost * a) != 0)
		return -1;
	for (i = 0; i < H->n; i++) {
		double s = H->x[i] / keep;

		if (s > a && s < b) {
			/* drop the last point if it lies on the line from its neighbour to this one */
			if (F->n >= 2) {
				size_t k = F->n - 1;
				double y = H->y[i] + cost * s, w = (F->x[k] - F->x[k - 1]) / (s - F->x[k - 1]);
				double l = F->y[k - 1] + (y - F->y[k - 1]) * w;

				if (fabs(l - F->y[k]) <= 1e-13 * (1 + fabs(F->y[k])))
					F->n--;
			}
			if (push(F, s, H->y[i] + cost * s) != 0)
				return -1;
		}
	}
	if (b > a && push(F, b, eval(H, b * keep) + cost * b) != 0)
		return -1;
	return 0;
}

/* The best SOC at a step's end from u = keep S[t-1] in one direction: min of beta (y - u) + F(y). */
static double
best_in(const struct pwl *F, double u, double a, double b, double beta, double *ybest)
{
	double wl = fmax(F->x[0], u + a), wr = fmin(F->x[F->n - 1], u + b), best = INFINITY, c;
	size_t i;

	if (a > b)
		return INFINITY;
	if (wl > wr + xeps(wr))
		return INFINITY;
	if (wr < wl)
		wr = wl;
	*ybest = wl;
	best = beta * (wl - u) + eval(F, wl);
	for (i = 0; i < F->n; i++)
		if (F->x[i] > wl && F->x[i] < wr && (c = beta * (F->x[i] - u) + F->y[i]) < best) {
			best = c;
			*ybest = F->x[i];
		}
	if ((c = beta * (wr - u) + eval(F, wr)) < best) {
		best = c;
		*ybest = wr;
	}
	return best;
}

/* Add c to every value of G. */
static void
lift(struct pwl *G, double c)
{
	size_t i;

	for (i = 0; i < G->n; i++)
		G->y[i] += c;
}

int
bess_socdp_solve(const struct bess_socdp_step *st, size_t n, double keep, double soc_init,
    size_t max_points, double *delta, unsigned char *dir, double *value)
{
	struct pwl *F = NULL, Gc = { 0 }, Gd = { 0 }, Ge = { 0 }, H = { 0 }, H2 = { 0 };
	size_t t, *q = NULL, qcap = 0;
	int rc = BESS_SOCDP_TOO_BIG, r;
	double s = soc_init, total = 0;

	if (n == 0) {
		*value = 0;
		return BESS_SOCDP_OK;
	}
	if ((F = calloc(n, sizeof(*F))) == NULL)
		return BESS_SOCDP_TOO_BIG;
	/* the last step: its SOC's own cost on its bounds */
	t = n - 1;
	if (st[t].soc_lo > st[t].soc_hi + xeps(st[t].soc_hi)) {
		rc = BESS_SOCDP_INFEASIBLE;
		goto out;
	}
	if (push(&F[t], st[t].soc_lo, st[t].soc_cost * st[t].soc_lo) != 0 ||
	    push(&F[t], st[t].soc_hi, st[t].soc_cost * st[t].soc_hi) != 0)
		goto out;
	for (t = n - 1; t > 0; t--) {
		const struct bess_socdp_step *p = &st[t];

		if (F[t].n > qcap) {
			free(q);
			qcap = 2 * F[t].n;
			if ((q = malloc(qcap * sizeof(size_t))) == NULL)
				goto out;
		}
		Gc.n = Gd.n = 0;
		if (p->charge_lo <= p->charge_hi &&
		    branch(&F[t], p->charge_lo, p->charge_hi, p->charge_cost, &Gc, q) != 0)
			goto out;
		if (p->discharge_lo <= p->discharge_hi &&
		    branch(&F[t], p->discharge_lo, p->discharge_hi, p->discharge_cost, &Gd, q) != 0)
			goto out;
		Ge.n = 0;
		if (p->extra_lo <= p->extra_hi) {
			if (branch(&F[t], p->extra_lo, p->extra_hi, p->extra_cost, &Ge, q) != 0)
				goto out;
			lift(&Ge, p->extra_fixed);
		}
		if (Gc.n == 0 && Gd.n == 0 && Ge.n == 0) {
			rc = BESS_SOCDP_INFEASIBLE;
			goto out;
		}
		if ((r = lower(&Gc, &Gd, &H2)) != 0 || (r = lower(&H2, &Ge, &H)) != 0)
			goto out;	/* a gap between the directions' reach: not this problem */
		if ((r = compose(&H, keep, st[t - 1].soc_lo, st[t - 1].soc_hi, st[t - 1].soc_cost,
		    &F[t - 1])) != 0) {
			if (r == 1)
				rc = BESS_SOCDP_INFEASIBLE;
			goto out;
		}
		if (max_points > 0 && F[t - 1].n > max_points)
			goto out;
	}
	/* forward: each step's best end SOC given where the last one left it */
	for (t = 0; t < n; t++) {
		const struct bess_socdp_step *p = &st[t];
		double u = keep * s, yc = 0, yd = 0, ye = 0, cc, cd, ce;

		cc = best_in(&F[t], u, p->charge_lo, p->charge_hi, p->charge_cost, &yc);
		cd = best_in(&F[t], u, p->discharge_lo, p->discharge_hi, p->discharge_cost, &yd);
		ce = best_in(&F[t], u, p->extra_lo, p->extra_hi, p->extra_cost, &ye) + p->extra_fixed;
		if (cc == INFINITY && cd == INFINITY && ce == INFINITY) {
			rc = BESS_SOCDP_INFEASIBLE;
			goto out;
		}
		if (cc <= cd && cc <= ce) {
			/* charging, or idle: the SOC change clamped into the charge range */
			delta[t] = fmin(fmax(yc - u, p->charge_lo), p->charge_hi);
			total += p->charge_cost * delta[t];
			if (dir)
				dir[t] = BESS_SOCDP_CHARGE;
		} else if (cd <= ce) {
			delta[t] = fmin(fmax(yd - u, p->discharge_lo), p->discharge_hi);
			total += p->discharge_cost * delta[t];
			if (dir)
				dir[t] = BESS_SOCDP_DISCHARGE;
		} else {
			delta[t] = fmin(fmax(ye - u, p->extra_lo), p->extra_hi);
			total += p->extra_cost * delta[t] + p->extra_fixed;
			if (dir)
				dir[t] = BESS_SOCDP_EXTRA;
		}
		s = u + delta[t];
		total += p->soc_cost * s;
	}
	*value = total;
	rc = BESS_SOCDP_OK;
out:
	for (t = 0; F != NULL && t < n; t++) {
		free(F[t].x);
		free(F[t].y);
	}
	free(F);
	free(Gc.x);
	free(Gc.y);
	free(Gd.x);
	free(Gd.y);
	free(Ge.x);
	free(Ge.y);
	free(H2.x);
	free(H2.y);
	free(H.x);
	free(H.y);
	free(q);
	return rc;
}
