/*
 * test_socdp.c: the dynamic program of bess_socdp.h against a case derived
 * by hand and against GLPK's branch and bound on the same problem written
 * here independently with a binary per negative-price step (c <= C z,
 * d <= D (1 - z); elsewhere charging and discharging at once is allowed, as
 * in bess_lp.h), on random small cases, including self-discharge, a cost on
 * the SOC, forced charging, an exact final SOC and grid limits (where a step
 * without a binary may discharge beyond the export limit by charging at once).
 */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bess_socdp.h"
#include "tap.h"

static unsigned long long rng = 0x2545f4914f6cdd1dULL;

static double
uniform(double lo, double hi)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

#define NMAX 10

/* A case in the LP's terms: per step price, power bounds; one battery. */
struct kase {
	int n;
	double dt, eta_c, eta_d, keep, cyc, init, lo, hi, target, exact_end;
	double price[NMAX], cmin[NMAX], cmax[NMAX], dmax[NMAX], scost[NMAX];
	double gl[NMAX], gu[NMAX];	/* bounds on c - d (the grid row less the load): -export, import limits */
};

/* A binary where the price is negative (bess_lp.h); elsewhere both flows at once are allowed. */
#define ELIG(k, t) ((k)->price[t] < 0)

/* The steps of bess_socdp.h from the case: delta = eta_c dt c or -dt/eta_d d. */
static void
steps_of(const struct kase *k, struct bess_socdp_step *st)
{
	int t;

	for (t = 0; t < k->n; t++) {
		double ec = k->eta_c * k->dt, ed = k->dt / k->eta_d;

		double oc = k->dt * k->price[t], od = k->dt * (k->cyc - k->price[t]);
		double clo = fmax(k->cmin[t], k->gl[t]), chi = fmin(k->cmax[t], k->gu[t]);
		double dlo = fmax(0, -k->gu[t]), dhi = fmin(k->dmax[t], -k->gl[t]);

		/* charging c alone: c - d = c within [gl, gu] */
		st[t].charge_lo = clo <= chi ? ec * clo : 1;
		st[t].charge_hi = clo <= chi ? ec * chi : 0;
		st[t].charge_cost = oc / ec;
		/* a discharge of d costs od d, and delta = -ed d; not when forced to charge */
		st[t].discharge_lo = k->cmin[t] == 0 && dlo <= dhi ? -ed * dhi : 1;
		st[t].discharge_hi = k->cmin[t] == 0 && dlo <= dhi ? -ed * dlo : 0;
		st[t].discharge_cost = -od / ed;
		/*
		 * Without a binary, beyond the export limit: c - d = gl, so d = c
		 * - gl, delta = ec c - ed (c - gl), cost oc c + od (c - gl), for
		 * c from 0 to min(cmax, dmax + gl). Derived here from the model.
		 */
		st[t].extra_lo = 1;
		st[t].extra_hi = 0;
		if (!ELIG(k, t) && k->gl[t] > -k->dmax[t] && k->cmin[t] == 0) {
			double cb = fmin(k->cmax[t], k->dmax[t] + k->gl[t]);

			st[t].extra_lo = ed * k->gl[t] + (ec - ed) * cb;
			st[t].extra_hi = ed * k->gl[t];
			st[t].extra_cost = (oc + od) / (ec - ed);
			st[t].extra_fixed = -od * k->gl[t] - st[t].extra_cost * ed * k->gl[t];
		}
		st[t].soc_lo = t == k->n - 1 ? k->target : k->lo;
		st[t].soc_hi = t == k->n - 1 && k->exact_end ? k->target : k->hi;
		st[t].soc_cost = k->scost[t];
	}
}

/* The same problem for GLPK's branch and bound; returns its status, *obj its optimum. */
static int
glpk_milp(const struct kase *k, double *obj)
{
	glp_prob *P = glp_create_prob();
	glp_iocp parm;
	int t, n = k->n, ind[5], rc;
	double val[5];

	glp_set_obj_dir(P, GLP_MIN);
	glp_add_cols(P, 4 * n);	/* c, d, s, z per step */
	glp_add_rows(P, 4 * n);
	for (t = 0; t < n; t++) {
		int c = 4 * t + 1, d = c + 1, s = c + 2, z = c + 3, r = 3 * t + 1;
		double lo = t == n - 1 ? k->target : k->lo;
		double hi = t == n - 1 && k->exact_end ? k->target : k->hi;

		glp_set_col_bnds(P, c, k->cmax[t] > k->cmin[t] ? GLP_DB : GLP_FX, k->cmin[t], k->cmax[t]);
		glp_set_col_bnds(P, d, k->dmax[t] > 0 ? GLP_DB : GLP_FX, 0, k->dmax[t]);
		glp_set_col_bnds(P, s, hi > lo ? GLP_DB : GLP_FX, lo, hi);
		if (ELIG(k, t))
			glp_set_col_kind(P, z, GLP_BV);
		else
			glp_set_col_bnds(P, z, GLP_FR, 0, 0);	/* unused: no binary here */
		glp_set_obj_coef(P, c, k->dt * k->price[t]);
		glp_set_obj_coef(P, d, k->dt * (k->cyc - k->price[t]));
		glp_set_obj_coef(P, s, k->scost[t]);
		/* s - keep s[t-1] - eta_c dt c + dt/eta_d d = 0 (keep init at t = 0) */
		ind[1] = s, val[1] = 1;
		ind[2] = c, val[2] = -k->eta_c * k->dt;
		ind[3] = d, val[3] = k->dt / k->eta_d;
		if (t > 0) {
			ind[4] = s - 4, val[4] = -k->keep;
			glp_set_mat_row(P, r, 4, ind, val);
			glp_set_row_bnds(P, r, GLP_FX, 0, 0);
		} else {
			glp_set_mat_row(P, r, 3, ind, val);
			glp_set_row_bnds(P, r, GLP_FX, k->keep * k->init, k->keep * k->init);
		}
		if (ELIG(k, t)) {
			ind[1] = c, val[1] = 1;
			ind[2] = z, val[2] = -(k->cmax[t] + 1);
			glp_set_mat_row(P, r + 1, 2, ind, val);
			glp_set_row_bnds(P, r + 1, GLP_UP, 0, 0);
			ind[1] = d, val[1] = 1;
			ind[2] = z, val[2] = k->dmax[t] + 1;
			glp_set_mat_row(P, r + 2, 2, ind, val);
			glp_set_row_bnds(P, r + 2, GLP_UP, 0, k->dmax[t] + 1);
		} else {
			glp_set_row_bnds(P, r + 1, GLP_FR, 0, 0);
			glp_set_row_bnds(P, r + 2, GLP_FR, 0, 0);
		}
		/* the grid: gl <= c - d <= gu */
		ind[1] = c, val[1] = 1;
		ind[2] = d, val[2] = -1;
		glp_set_mat_row(P, 3 * n + t + 1, 2, ind, val);
		glp_set_row_bnds(P, 3 * n + t + 1, GLP_DB, k->gl[t], k->gu[t]);
	}
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	parm.mip_gap = 0;
	rc = glp_intopt(P, &parm);
	rc = rc == 0 ? glp_mip_status(P) : -1;
	*obj = glp_mip_obj_val(P);
	glp_delete_prob(P);
	return rc;
}

/* The schedule's own cost, and whether it keeps every bound (within tol). */
static int
check_schedule(const struct bess_socdp_step *st, int n, double keep, double init, const double *delta,
    const unsigned char *dir, double *cost)
{
	double s = init, tol = 1e-9;
	int t, okk = 1;

	*cost = 0;
	for (t = 0; t < n; t++) {
		double d = delta[t];

		if (dir[t] == BESS_SOCDP_CHARGE) {
			okk &= d >= st[t].charge_lo - tol && d <= st[t].charge_hi + tol;
			*cost += st[t].charge_cost * d;
		} else if (dir[t] == BESS_SOCDP_EXTRA) {
			okk &= d >= st[t].extra_lo - tol && d <= st[t].extra_hi + tol;
			*cost += st[t].extra_cost * d + st[t].extra_fixed;
		} else {
			okk &= d >= st[t].discharge_lo - tol && d <= st[t].discharge_hi + tol;
			*cost += st[t].discharge_cost * d;
		}
		s = keep * s + d;
		okk &= s >= st[t].soc_lo - tol && s <= st[t].soc_hi + tol;
		*cost += st[t].soc_cost * s;
	}
	return okk;
}

int
main(void)
{
	struct bess_socdp_step st[NMAX];
	double delta[NMAX], v, cost;
	unsigned char dir[NMAX];
	int i, agree = 0, feasible = 0, cases = 300, inf_agree = 0, ninf = 0, burned = 0;

	glp_term_out(GLP_OFF);

	/*
	 * By hand: 10 kWh, from empty, 10 kW both ways, 1 h steps, charging
	 * lossless and discharging at 50 % (1 kW out takes 2 kWh), price -1 in
	 * three steps, end free. Charging 10 kWh earns 10; emptying 10 kWh
	 * exports 5 kWh and pays 5. Best: charge, discharge, charge: -10 + 5
	 * - 10 = -15 (charge, charge, charge earns only 10; the LP with
	 * simultaneous flows would earn 20: charge 10 and discharge 5 kW in
	 * every step keeps the SOC, 5 a step, and the last 10 kWh stays).
	 */
	for (i = 0; i < 3; i++) {
		st[i].charge_lo = 0;
		st[i].charge_hi = 10;
		st[i].charge_cost = -1;		/* price dt / (eta_c dt) */
		st[i].discharge_lo = -20;	/* 10 kW for 1 h at 50 % */
		st[i].discharge_hi = 0;
		st[i].discharge_cost = -0.5;	/* (price - cyc) dt / (dt / eta_d) */
		st[i].soc_lo = 0;
		st[i].soc_hi = 10;
		st[i].soc_cost = 0;
		st[i].extra_lo = 1;
		st[i].extra_hi = 0;
	}
	is_int(bess_socdp_solve(st, 3, 1, 0, 0, delta, NULL, &v), BESS_SOCDP_OK, "hand case solved");
	ok(fabs(v + 15) < 1e-12, "hand case: -15 (got %.15g)", v);
	ok(fabs(delta[0] - 10) < 1e-12 && fabs(delta[1] + 10) < 1e-12 && fabs(delta[2] - 10) < 1e-12,
	    "hand case: charge 10, discharge 10, charge 10 (%g %g %g)", delta[0], delta[1], delta[2]);
	/* the same with the end SOC held at 0: charge, discharge, idle or c/d/c/d is impossible: -5 */
	st[2].soc_hi = 0;
	is_int(bess_socdp_solve(st, 3, 1, 0, 0, delta, NULL, &v), BESS_SOCDP_OK, "hand case, end 0, solved");
	ok(fabs(v + 5) < 1e-12, "hand case, end 0: -10 + 5 = -5 (got %.15g)", v);
	/* an end above what the steps can reach is infeasible */
	st[2].soc_lo = st[2].soc_hi = 10;
	st[0].charge_hi = st[1].charge_hi = st[2].charge_hi = 3;
	is_int(bess_socdp_solve(st, 3, 1, 0, 0, delta, NULL, &v), BESS_SOCDP_INFEASIBLE,
	    "3 steps of at most 3 kWh cannot reach 10");

	for (i = 0; i < cases; i++) {
		struct kase k;
		double g;
		int t, r, gs;

		k.n = 2 + i % (NMAX - 1);
		k.dt = i % 3 == 0 ? 1 : 0.25;
		k.eta_c = uniform(0.8, 1);
		k.eta_d = uniform(0.8, 1);
		k.keep = i % 4 == 1 ? uniform(0.97, 1) : 1;
		k.cyc = i % 5 == 2 ? uniform(0, 0.05) : 0;
		k.lo = i % 6 == 3 ? uniform(0, 3) : 0;
		k.hi = uniform(5, 20);
		k.init = uniform(k.lo, k.hi);
		k.target = i % 3 == 1 ? uniform(k.lo, k.hi) : k.lo;
		k.exact_end = i % 7 == 4;
		for (t = 0; t < k.n; t++) {
			/* mostly negative prices, where the binaries matter */
			k.price[t] = uniform(-1, 0.6);
			if (i % 8 == 5 && t % 3 == 1)
				k.price[t] = k.price[t - 1];	/* equal prices: ties */
			k.cmax[t] = uniform(1, 12);
			k.dmax[t] = uniform(1, 12);
			k.cmin[t] = i % 9 == 6 && t == 1 ? uniform(0, 1) : 0;
			if (k.cmin[t] > 0)
				k.dmax[t] = 0;	/* forced charging: it cannot discharge */
			k.scost[t] = i % 10 == 7 ? uniform(-0.02, 0.02) : 0;
			/* grid limits on a third of the cases: export 0..6 kW, import 3..15 kW */
			k.gl[t] = i % 3 == 2 ? -uniform(0, 6) : -1e3;
			k.gu[t] = i % 3 == 2 ? uniform(3, 15) : 1e3;
		}
		steps_of(&k, st);
		r = bess_socdp_solve(st, (size_t)k.n, k.keep, k.init, 0, delta, dir, &v);
		gs = glpk_milp(&k, &g);
		if (gs == GLP_NOFEAS || gs == -1) {
			ninf++;
			inf_agree += r == BESS_SOCDP_INFEASIBLE;
			if (r != BESS_SOCDP_INFEASIBLE)
				diag("case %d: GLPK infeasible, DP %d", i, r);
			continue;
		}
		for (t = 0; r == BESS_SOCDP_OK && t < k.n; t++)
			if (dir[t] == BESS_SOCDP_EXTRA) {
				burned++;
				break;
			}
		if (r == BESS_SOCDP_OK && fabs(v - g) <= 1e-8 * (1 + fabs(g)))
			agree++;
		else
			diag("case %d (n %d): DP %d %.12g, GLPK %.12g", i, k.n, r, v, g);
		if (r == BESS_SOCDP_OK && check_schedule(st, k.n, k.keep, k.init, delta, dir, &cost) &&
		    fabs(cost - v) <= 1e-9 * (1 + fabs(v)))
			feasible++;
		else if (r == BESS_SOCDP_OK)
			diag("case %d: the schedule breaks a bound or costs %.12g, not %.12g", i, cost, v);
	}
	ok(agree == cases - ninf, "%d of %d random cases equal GLPK's branch and bound to 1e-8", agree,
	    cases - ninf);
	ok(feasible == cases - ninf, "%d of %d schedules keep every bound and cost the value", feasible,
	    cases - ninf);
	ok(burned > 0, "%d cases discharge beyond the export limit by charging at once", burned);
	ok(inf_agree == ninf, "%d of %d infeasible cases found infeasible", inf_agree, ninf);
	return done();
}
