/* fixture_lp.h: one LP case for the model tests (header only): n hourly steps from 2025-01-06T00:00Z (a Monday), built, solved once and priced. */
#ifndef BESS_FIXTURE_LP_H
#define BESS_FIXTURE_LP_H

#include <string.h>

#include "bess_battery.h"
#include "bess_lp.h"
#include "bess_lpbill.h"
#include "bess_tariff.h"
#include "fixture.h"

/* One case and its answer. */
struct run {
	struct bess_rates rates;	/* the tariff on the steps */
	struct bess_lp_schedule sc;	/* the schedule (rc 0) */
	struct bess_lp_result res;	/* the solver's status and objective */
	struct bess_cost cost;		/* the schedule priced by the settlement (rc 0) */
	char unplanned[300];		/* the bill terms the LP does not plan (bess_lpbill_unplanned) */
	int rc;				/* 0 when solved to optimality, -1 otherwise (after a diagnostic) */
};

/*
 * Solve b at site s under tariff (NULL: the prices alone) over n <= 64 hourly
 * steps with prices price (xprice: export prices or NULL), load and solar (kW
 * or NULL) by method (s->milp passed on). Free with done_run.
 */
static inline void
solve(struct run *r, const struct bess_battery *b, const struct bess_site *s,
    const struct bess_tariff *tariff, size_t n, const double *price, const double *xprice,
    const double *load, const double *solar, enum bess_lp_method method)
{
	bess_time_t ts[64];
	struct bess_lp_input in;
	struct bess_lp_opts o;
	struct bess_lp *lp;
	struct bess_err err;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->rc = -1;
	for (i = 0; i < n; i++)
		ts[i] = 1736121600LL * 1000000 + (bess_time_t)i * H;
	if (bess_rates_build(&r->rates, tariff, ts, n, H, price, xprice, s, &err) != 0) {
		diag("rates: %s", err.msg);
		return;
	}
	bess_lpbill_unplanned(&r->rates, r->unplanned, sizeof(r->unplanned));
	memset(&in, 0, sizeof(in));
	in.rates = &r->rates;
	in.load_kw = load;
	in.solar_kw = solar;
	in.soc_init_kwh = b->soc_init_kwh;
	if ((lp = bess_lp_new(b, s, n, 1.0, bess_lp_flags_for(b, &in, n), &err)) == NULL ||
	    bess_lp_update(lp, &in, &err) != 0) {
		diag("lp: %s", err.msg);
		bess_lp_free(lp);
		return;
	}
	memset(&o, 0, sizeof(o));
	o.method = method;
	o.milp = s->milp;
	bess_lp_schedule_init(&r->sc, n);
	if (bess_lp_solve(lp, &o, &r->res, &err) == 0 && r->res.status == BESS_LP_OPTIMAL) {
		bess_lp_schedule(lp, &r->sc);
		bess_rates_cost(&r->rates, r->sc.import_kw, r->sc.export_kw, r->sc.discharge_kw,
		    b->cycle_cost_per_kwh, &r->cost, NULL, &err);
		r->rc = 0;
	} else {
		diag("solve: status %d %s", r->res.status, err.msg);
	}
	bess_lp_free(lp);
}

static inline void
done_run(struct run *r)
{
	bess_rates_free(&r->rates);
	bess_lp_schedule_free(&r->sc);
	bess_cost_free(&r->cost);
}

#endif
