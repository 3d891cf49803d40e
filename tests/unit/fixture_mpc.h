/* fixture_mpc.h: what the receding-horizon tests share (header only): an hourly history and the loop and the single-shot optimum run over it. */
#ifndef BESS_FIXTURE_MPC_H
#define BESS_FIXTURE_MPC_H

#include <math.h>
#include <string.h>

#include "bess_forecast.h"
#include "bess_lp.h"
#include "bess_mpc.h"
#include "bess_sim.h"
#include "fixture.h"

/* A history of n hourly steps from 2025-01-06T00:00Z (a Monday). */
struct hist {
	bess_time_t ts[200];
	double price[200], xprice[200], load[200], solar[200];
	struct bess_series ser;
};

/* n steps; the load, solar and export price columns given or not. */
static inline void
hist_init(struct hist *h, size_t n, int with_load, int with_solar, int with_xprice)
{
	size_t i;

	memset(&h->ser, 0, sizeof(h->ser));
	for (i = 0; i < n; i++)
		h->ts[i] = 1736121600LL * 1000000 + (bess_time_t)i * H;
	h->ser.n = n;
	h->ser.ts = h->ts;
	h->ser.step_us = H;
	h->ser.dt_h = 1;
	h->ser.price = h->price;
	h->ser.export_price = with_xprice ? h->xprice : NULL;
	h->ser.load_kw = with_load ? h->load : NULL;
	h->ser.solar_kw = with_solar ? h->solar : NULL;
}

/*
 * Run the loop with forecast (a --forecast spec), windows of horizon steps
 * every every steps (cold: no warm start); the realised cost (priced with the
 * shared tariff code), NAN on failure. *st_out (may be NULL) gets the stats.
 */
static inline double
mpc_run(const struct bess_battery *b, const struct bess_site *s, const struct bess_tariff *t,
    struct hist *h, const char *forecast, size_t horizon, size_t every, int cold,
    struct bess_mpc_stats *st_out)
{
	struct bess_fc_spec spec;
	struct bess_outlook o;
	struct bess_mpc_opts mo;
	struct bess_mpc_stats st;
	struct bess_traj tr;
	struct bess_sim sim;
	struct bess_cost cost;
	struct bess_err err;
	double total = NAN;

	bess_fc_spec_init(&spec);
	bess_fc_spec_parse(&spec, forecast, &err);
	if (bess_outlook_init(&o, &h->ser, t, s, &spec, NULL, 0, &err) != 0) {
		diag("outlook: %s", err.msg);
		return NAN;
	}
	memset(&mo, 0, sizeof(mo));
	mo.horizon = horizon;
	mo.every = every;
	mo.cold = cold;
	mo.method = BESS_LP_SIMPLEX;
	bess_traj_init(&tr, h->ser.n);
	if (bess_mpc_run(b, s, &o, &mo, &tr, &sim, &st, &err) == 0 &&
	    bess_rates_cost(&o.rates, tr.import_kw, tr.export_kw, tr.discharge_kw, b->cycle_cost_per_kwh,
	    &cost, NULL, &err) == 0) {
		total = cost.total;
		bess_cost_free(&cost);
		if (st.fallback_steps)
			diag("%zu fallback steps: %s", st.fallback_steps, st.first_fallback);
	} else {
		diag("mpc: %s", err.msg);
	}
	if (st_out)
		*st_out = st;
	bess_traj_free(&tr);
	bess_outlook_free(&o);
	return total;
}

/* The single-shot optimum's cost (the whole history in one LP), NAN on failure. */
static inline double
optimum(const struct bess_battery *b, const struct bess_site *s, const struct bess_tariff *t,
    struct hist *h)
{
	struct bess_fc_spec spec;
	struct bess_outlook o;
	struct bess_lp_schedule sc;
	struct bess_lp_result res;
	struct bess_err err;
	double z = NAN;

	bess_fc_spec_init(&spec);
	if (bess_outlook_init(&o, &h->ser, t, s, &spec, NULL, 0, &err) != 0)
		return NAN;
	bess_lp_schedule_init(&sc, h->ser.n);
	if (bess_mpc_optimum(b, s, &o, BESS_LP_SIMPLEX, s->milp, &sc, &res, &err) == 0 &&
	    res.status == BESS_LP_OPTIMAL)
		z = res.objective;
	bess_lp_schedule_free(&sc);
	bess_outlook_free(&o);
	return z;
}

#endif
