/* test_lp_fail.c: GLPK failing (here: over a memory limit) is an error from the bess_lp_* call, not abort(), and GLPK works again after. */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_lp.h"
#include "bess_tariff.h"
#include "tap.h"

#define H 3600000000LL	/* one hour in microseconds */
#define N 20000		/* steps: GLPK needs several MB for these */

static bess_time_t ts[N];
static double price[N];

/* Build and solve N hourly steps of prices 1, 3, 1, 3, ...; 0 or -1 (err says why), *obj the objective. */
static int
run(const struct bess_battery *b, const struct bess_site *s, const struct bess_rates *r,
    struct bess_lp **keep, double *obj, struct bess_err *err)
{
	struct bess_lp_input in;
	struct bess_lp_opts o;
	struct bess_lp_result res;
	struct bess_lp *lp;
	int rc = -1;

	memset(&in, 0, sizeof(in));
	in.rates = r;
	in.soc_init_kwh = b->soc_init_kwh;
	if ((lp = bess_lp_new(b, s, N, 1.0, bess_lp_flags_for(b, &in, N), err)) == NULL)
		return -1;
	memset(&o, 0, sizeof(o));
	o.method = BESS_LP_SIMPLEX;
	if (bess_lp_update(lp, &in, err) == 0 && bess_lp_solve(lp, &o, &res, err) == 0 &&
	    res.status == BESS_LP_OPTIMAL) {
		*obj = res.objective;
		rc = 0;
	}
	if (keep)
		*keep = lp;
	else
		bess_lp_free(lp);
	return rc;
}

int
main(void)
{
	struct bess_battery b;
	struct bess_site s;
	struct bess_rates r;
	struct bess_err err;
	struct bess_lp *lost = NULL;
	double obj = 0;
	size_t i;
	int rc;

	bess_site_init(&s);
	bess_battery_init(&b);
	b.capacity_kwh = 10;
	b.charge_kw = b.discharge_kw = 5;
	b.have_charge_kw = b.have_discharge_kw = 1;
	b.eta_charge = b.eta_discharge = 1;
	b.soc_init_kwh = 0;
	b.have_soc_init = 1;
	b.soc_init_pct = NAN;
	b.soc_final = BESS_SOC_FINAL_FREE;
	if (bess_battery_check(&b, &err) != 0)
		diag("battery: %s", err.msg);
	for (i = 0; i < N; i++) {
		ts[i] = 1736121600LL * 1000000 + (bess_time_t)i * H;
		price[i] = i % 2 ? 3 : 1;
	}
	if (bess_rates_build(&r, NULL, ts, N, H, price, NULL, &s, &err) != 0)
		diag("rates: %s", err.msg);

	/* 1 MB is far too little for 20000 steps: GLPK fails in build, update or solve */
	glp_mem_limit(1);
	rc = run(&b, &s, &r, &lost, &obj, &err);
	ok(rc == -1 && strstr(err.msg, "the solver failed") != NULL,
	    "over GLPK's memory limit: an error, not abort() (%s)", err.msg);
	bess_lp_free(lost);	/* a lost model may still be freed */
	ok(1, "the lost model freed");

	/* a model built, then a limit just above what it holds: the solve fails, then update */
	{
		struct bess_lp_input in;
		struct bess_lp_opts o;
		struct bess_lp_result res;
		struct bess_lp *lp;
		size_t total;

		memset(&in, 0, sizeof(in));
		in.rates = &r;
		lp = bess_lp_new(&b, &s, N, 1.0, bess_lp_flags_for(&b, &in, N), &err);
		ok(lp != NULL && bess_lp_update(lp, &in, &err) == 0, "a model built without a limit");
		glp_mem_usage(NULL, NULL, &total, NULL);
		glp_mem_limit((int)(total >> 20) + 1);
		memset(&o, 0, sizeof(o));
		o.method = BESS_LP_SIMPLEX;
		rc = lp ? bess_lp_solve(lp, &o, &res, &err) : 0;
		ok(rc == -1 && strstr(err.msg, "the solver failed on 20000 steps") != NULL,
		    "solving over the limit: an error (%s)", err.msg);
		rc = lp ? bess_lp_update(lp, &in, &err) : 0;
		ok(rc == -1 && strcmp(err.msg, "the model was lost when the solver failed") == 0,
		    "the lost model is not used again (%s)", err.msg);
		bess_lp_free(lp);
	}

	/*
	 * GLPK was reset (its limit with it): the same model solves. By hand:
	 * 5 kW, 10 kWh, lossless, from empty, end free, prices 1 then 3 in
	 * each pair of hours: charge 5 kWh at 1 and sell it at 3 in every
	 * pair, -10 each, 10000 pairs: -100000.
	 */
	rc = run(&b, &s, &r, NULL, &obj, &err);
	ok(rc == 0, "after the failure a new model solves (%s)", rc ? err.msg : "ok");
	ok(fabs(obj - -100000) < 1e-6 * 100000, "objective %.9g (want -100000)", obj);
	bess_rates_free(&r);
	bess_site_free(&s);
	return done();
}
