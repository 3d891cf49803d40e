/* backtest.c: a history bound to a series; --simulate and --backtest runs priced against the baseline, the whole-period optimum and the rule; their summaries and per-period breakdowns. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_backtest.h"
#include "bess_devsim.h"
#include "bess_rule.h"

static const char *const col_names[BESS_H_NCOL] = {
	"price", "export_price", "load_kw", "solar_kw", "import_limit_kw", "export_limit_kw",
	"price_fc", "export_price_fc", "load_fc", "solar_fc", "battery_kw", "charge_kw",
	"discharge_kw", "curtail_kw"
};

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the history ---- */

void
bess_history_free(struct bess_history *h)
{
	int k;

	for (k = 0; k < BESS_H_NCOL; k++) {
		free(h->col[k]);
		h->col[k] = NULL;
	}
}

int
bess_history_bind(struct bess_history *h, const struct bess_table *t, struct bess_err *err)
{
	size_t i;
	int k;

	memset(h, 0, sizeof(*h));
	h->t = t;
	if (t->n < 2)
		return bess_err_set(err, NULL, 0, "%s: %s", t->nfile ? t->file[0] : "<stdin>", t->n == 0 ?
		    "no records" : "one record is not enough to know the step (need two or more)");
	if (bess_table_grid(t, &h->step_us, err) != 0)
		return -1;
	for (k = 0; k < BESS_H_NCOL; k++) {
		int c = bess_table_col(t, col_names[k]);

		if (c < 0)
			continue;
		if ((h->col[k] = malloc((t->n + 1) * sizeof(double))) == NULL) {
			bess_history_free(h);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
		if (bess_table_num(t, c, h->col[k], err) != 0) {
			bess_history_free(h);
			return -1;
		}
	}
	for (k = BESS_H_LOAD; k <= BESS_H_SOLAR; k++)
		for (i = 0; h->col[k] && i < t->n; i++)
			if (isnan(h->col[k][i])) {
				bess_err_set(err, t->file[t->src[i]], t->line[i], "column '%s' is empty "
				    "(the simulator needs what really happened in every step)", col_names[k]);
				bess_history_free(h);
				return -1;
			}
	h->ser.n = t->n;
	h->ser.ts = t->ts;
	h->ser.step_us = h->step_us;
	h->ser.dt_h = (double)h->step_us / 3.6e9;
	h->ser.price = h->col[BESS_H_PRICE];
	h->ser.export_price = h->col[BESS_H_XPRICE];
	h->ser.load_kw = h->col[BESS_H_LOAD];
	h->ser.solar_kw = h->col[BESS_H_SOLAR];
	h->ser.import_limit_kw = h->col[BESS_H_IL];
	h->ser.export_limit_kw = h->col[BESS_H_EL];
	h->ser.price_fc = h->col[BESS_H_PRICE_FC];
	h->ser.export_price_fc = h->col[BESS_H_XPRICE_FC];
	h->ser.load_fc = h->col[BESS_H_LOAD_FC];
	h->ser.solar_fc = h->col[BESS_H_SOLAR_FC];
	return 0;
}

/* ---- --simulate ---- */

void
bess_simulate_free(struct bess_simulate *sm)
{
	bess_cost_free(&sm->cost);
	bess_cost_free(&sm->base);
	bess_lp_schedule_free(&sm->idle);
	bess_traj_free(&sm->tr);
	bess_lp_schedule_free(&sm->per);
	bess_rates_free(&sm->rates);
	free(sm->step_cost);
	free(sm->base_cost);
	memset(sm, 0, sizeof(*sm));
}

/* The no-battery baseline of a simulation: the site's flows with battery b idle. */
static void
sim_idle(struct bess_simulate *sm, const struct bess_history *h, const struct bess_battery *b,
    const struct bess_site *s, size_t n)
{
	struct bess_lp_input in;

	memset(&in, 0, sizeof(in));
	in.rates = &sm->rates;
	in.load_kw = h->ser.load_kw;
	in.solar_kw = h->ser.solar_kw;
	in.import_limit_kw = h->ser.import_limit_kw;
	in.export_limit_kw = h->ser.export_limit_kw;
	in.soc_init_kwh = b->soc_init_kwh;
	bess_lp_idle(b, s, &in, n, &sm->idle);
}

int
bess_simulate_run(struct bess_simulate *sm, const struct bess_battery *b, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_history *h, struct bess_err *err)
{
	const struct bess_table *t = h->t;
	double *charge = NULL, *discharge = NULL;
	size_t i, n = t->n;
	int rc = -1;

	memset(sm, 0, sizeof(*sm));
	if (h->col[BESS_H_BATTERY] == NULL &&
	    (h->col[BESS_H_CHARGE] == NULL || h->col[BESS_H_DISCHARGE] == NULL))
		return bess_err_set(err, NULL, 0, "%s: no command column ('battery_kw', or 'charge_kw' "
		    "and 'discharge_kw')", t->file[0]);
	if (bess_rates_build(&sm->rates, tariff, t->ts, n, h->step_us, h->ser.price,
	    h->ser.export_price, s, err) != 0)
		return -1;
	if ((charge = malloc(n * sizeof(double))) == NULL ||
	    (discharge = malloc(n * sizeof(double))) == NULL ||
	    (sm->step_cost = calloc(n, sizeof(double))) == NULL ||
	    (sm->base_cost = calloc(n, sizeof(double))) == NULL || bess_traj_init(&sm->tr, n) != 0 ||
	    bess_lp_schedule_init(&sm->idle, n) != 0) {
		bess_err_set(err, NULL, 0, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (h->col[BESS_H_BATTERY]) {
			double x = h->col[BESS_H_BATTERY][i];

			charge[i] = isnan(x) ? NAN : x > 0 ? x : 0;
			discharge[i] = isnan(x) ? NAN : x < 0 ? -x : 0;
		} else {
			charge[i] = h->col[BESS_H_CHARGE][i];
			discharge[i] = h->col[BESS_H_DISCHARGE][i];
			if (charge[i] < 0 || discharge[i] < 0) {
				bess_err_set(err, t->file[t->src[i]], t->line[i], "column '%s': %g is "
				    "negative (battery_kw carries the sign)", charge[i] < 0 ? "charge_kw" :
				    "discharge_kw", charge[i] < 0 ? charge[i] : discharge[i]);
				goto done;
			}
		}
	}
	bess_sim_run(b, s, &h->ser, &sm->rates, b->soc_init_kwh, charge, discharge,
	    h->col[BESS_H_CURTAIL], &sm->tr, &sm->sim);
	sim_idle(sm, h, b, s, n);
	if (bess_rates_cost(&sm->rates, sm->tr.import_kw, sm->tr.export_kw, sm->tr.discharge_kw,
	    b->cycle_cost_per_kwh, &sm->cost, sm->step_cost, err) != 0 ||
	    bess_rates_cost(&sm->rates, sm->idle.import_kw, sm->idle.export_kw, NULL, 0, &sm->base,
	    sm->base_cost, err) != 0)
		goto done;
	rc = 0;
done:
	free(charge);
	free(discharge);
	return rc;
}

/* One battery's settled run as a fleet schedule of one (per-device records, the summary's list). */
static int
per_of_traj(struct bess_lp_schedule *per, const struct bess_traj *tr)
{
	size_t n = tr->n;

	if (bess_lp_schedule_init_n(per, n, 1) != 0)
		return -1;
	memcpy(per->charge_kw, tr->charge_kw, n * sizeof(double));
	memcpy(per->discharge_kw, tr->discharge_kw, n * sizeof(double));
	memcpy(per->soc_kwh, tr->soc_kwh, n * sizeof(double));
	memcpy(per->import_kw, tr->import_kw, n * sizeof(double));
	memcpy(per->export_kw, tr->export_kw, n * sizeof(double));
	memcpy(per->curtail_kw, tr->curtail_kw, n * sizeof(double));
	return 0;
}

/* Settle each battery's commands c[i], d[i] (NAN = none) together, step by step, into sm. */
static void
simulate_fleet(struct bess_simulate *sm, const struct bess_fleet *f, const struct bess_site *s,
    const struct bess_history *h, double **c, double **d, struct bess_fleet_sim *fs)
{
	const double *curtail = h->col[BESS_H_CURTAIL];
	size_t i, k, nb = f->n;

	bess_fleet_sim_init(fs, f->bat, nb, h->ser.dt_h);
	for (k = 0; k < h->ser.n; k++) {
		struct bess_sim_cmd cmd[BESS_FLEET_MAX], sum;
		struct bess_sim_out o[BESS_FLEET_MAX], out;
		struct bess_sim_site site;

		memset(&sum, 0, sizeof(sum));
		sum.missing = 1;
		for (i = 0; i < nb; i++) {
			memset(&cmd[i], 0, sizeof(cmd[i]));
			if (isnan(c[i][k]) || isnan(d[i][k])) {
				cmd[i].missing = 1;
				continue;
			}
			cmd[i].charge_kw = c[i][k];
			cmd[i].discharge_kw = d[i][k];
			sum.charge_kw += c[i][k];
			sum.discharge_kw += d[i][k];
			sum.missing = 0;
		}
		bess_sim_site_at(&h->ser, &sm->rates, s, k, &site);
		bess_fleet_sim_step(fs, cmd, curtail && !isnan(curtail[k]) ? curtail[k] : 0, &site, o, &out);
		bess_traj_set(&sm->tr, k, &sum, &out);
		for (i = 0; i < nb; i++) {
			sm->per.bat_charge_kw[i][k] = o[i].charge_kw;
			sm->per.bat_discharge_kw[i][k] = o[i].discharge_kw;
			sm->per.bat_soc_kwh[i][k] = o[i].soc_kwh;
		}
		sm->per.charge_kw[k] = out.charge_kw;
		sm->per.discharge_kw[k] = out.discharge_kw;
		sm->per.soc_kwh[k] = out.soc_kwh;
	}
	sm->sim = fs->site;
}

int
bess_simulate_run_fleet(struct bess_simulate *sm, const struct bess_fleet *f, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_history *h, const struct bess_table *cmd,
    struct bess_err *err)
{
	const struct bess_table *t = h->t;
	struct bess_fleet_sim *fs = NULL;
	double *c[BESS_FLEET_MAX], *d[BESS_FLEET_MAX];
	size_t i, n = t->n, nb = f->n;
	int rc = -1;

	if (cmd == NULL && nb == 1) {
		if (bess_simulate_run(sm, &f->bat[0], s, tariff, h, err) != 0)
			return -1;
		sm->fleet = f;
		if (per_of_traj(&sm->per, &sm->tr) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		return 0;
	}
	memset(sm, 0, sizeof(*sm));
	memset(c, 0, sizeof(c));
	memset(d, 0, sizeof(d));
	sm->fleet = f;
	if (cmd == NULL)
		return bess_err_set(err, NULL, 0, "several batteries: their commands are per-device records "
		    "(--commands FILE)");
	if (bess_rates_build(&sm->rates, tariff, t->ts, n, h->step_us, h->ser.price,
	    h->ser.export_price, s, err) != 0)
		return -1;
	for (i = 0; i < nb; i++)
		if ((c[i] = malloc((n + 1) * sizeof(double))) == NULL ||
		    (d[i] = malloc((n + 1) * sizeof(double))) == NULL)
			goto oom;
	if ((sm->step_cost = calloc(n, sizeof(double))) == NULL ||
	    (sm->base_cost = calloc(n, sizeof(double))) == NULL || bess_traj_init(&sm->tr, n) != 0 ||
	    bess_lp_schedule_init(&sm->idle, n) != 0 || bess_lp_schedule_init_n(&sm->per, n, nb) != 0 ||
	    (fs = malloc(sizeof(*fs))) == NULL)
		goto oom;
	if (bess_fleet_commands(f, cmd, t->ts, n, h->step_us, c, d, err) != 0)
		goto done;
	if (nb == 1)	/* one battery: the one battery's simulator, exactly */
		bess_sim_run(&f->bat[0], s, &h->ser, &sm->rates, f->bat[0].soc_init_kwh, c[0], d[0],
		    h->col[BESS_H_CURTAIL], &sm->tr, &sm->sim);
	else
		simulate_fleet(sm, f, s, h, c, d, fs);
	if (nb == 1) {
		bess_lp_schedule_free(&sm->per);
		if (per_of_traj(&sm->per, &sm->tr) != 0)
			goto oom;
	}
	memcpy(sm->per.import_kw, sm->tr.import_kw, n * sizeof(double));
	memcpy(sm->per.export_kw, sm->tr.export_kw, n * sizeof(double));
	sim_idle(sm, h, &f->bat[0], s, n);
	if (bess_fleet_cost(&sm->rates, f, sm->tr.import_kw, sm->tr.export_kw, &sm->per, &sm->cost,
	    sm->step_cost, err) != 0 ||
	    bess_rates_cost(&sm->rates, sm->idle.import_kw, sm->idle.export_kw, NULL, 0, &sm->base,
	    sm->base_cost, err) != 0)
		goto done;
	rc = 0;
	goto done;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
done:
	for (i = 0; i < nb; i++) {
		free(c[i]);
		free(d[i]);
	}
	free(fs);
	return rc;
}

int
bess_simulate_run_devices(struct bess_simulate *sm, struct bess_devplan *dp, const struct bess_fleet *f,
    const struct bess_site *s, const struct bess_tariff *tariff, const struct bess_history *h,
    const struct bess_table *cmd, const struct bess_devices *dv, struct bess_err *err)
{
	size_t n = h->t->n, nbat = 0, t;
	double *pw = calloc(dv->ndev * n + 1, sizeof(double)), *load = calloc(n + 1, sizeof(double));
	unsigned char *on = calloc(dv->ndev * n + 1, 1);
	struct bess_history hr = *h;
	int rc = -1;

	memset(sm, 0, sizeof(*sm));
	memset(dp, 0, sizeof(*dp));
	if (pw == NULL || load == NULL || on == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		goto done;
	}
	if (bess_devsim_read(dv, cmd, h->t->ts, n, h->step_us, h->ser.dt_h, pw, on, &nbat,
	    err) != 0)
		goto done;
	bess_devsim_load(dv, n, pw, h->ser.load_kw, load);
	hr.ser.load_kw = load;
	if (bess_simulate_run_fleet(sm, f, s, tariff, &hr, nbat > 0 || f->n > 1 ? cmd : NULL, err) != 0)
		goto done;
	/* no battery, no control: the sheddable devices on, the shiftable ones as soon as they may */
	for (t = 0; t < n; t++)
		load[t] = h->ser.load_kw ? h->ser.load_kw[t] : 0;
	bess_devices_baseline_add(dv, h->t->ts, n, h->ser.dt_h, load);
	sim_idle(sm, &hr, &f->bat[0], s, n);
	bess_cost_free(&sm->base);
	if (bess_rates_cost(&sm->rates, sm->idle.import_kw, sm->idle.export_kw, NULL, 0, &sm->base,
	    sm->base_cost, err) != 0)
		goto done;
	if (bess_devplan_from(dp, dv, &sm->rates, h->t->ts, n, pw, on) != 0) {
		bess_err_set(err, NULL, 0, "out of memory");
		goto done;
	}
	rc = 0;
done:
	free(pw);
	free(load);
	free(on);
	return rc;
}

/* ---- --backtest ---- */

void
bess_backtest_free(struct bess_backtest *bt)
{
	bess_cost_free(&bt->cost);
	bess_cost_free(&bt->base);
	bess_cost_free(&bt->ocost);
	bess_cost_free(&bt->rcost);
	bess_lp_schedule_free(&bt->idle);
	bess_lp_schedule_free(&bt->opt);
	bess_lp_schedule_free(&bt->per);
	bess_traj_free(&bt->tr);
	bess_traj_free(&bt->rtr);
	bess_outlook_free(&bt->o);
	free(bt->step_cost);
	free(bt->base_cost);
	free(bt->opt_cost);
	free(bt->rule_cost);
	free(bt->ev);
	free(bt->oev);
	if (bt->dr.dv)
		bess_devrun_free(&bt->dr);
	if (bt->dp.dv)
		bess_devplan_free(&bt->dp);
	if (bt->odp.dv)
		bess_devplan_free(&bt->odp);
	memset(bt, 0, sizeof(*bt));
}

int
bess_backtest_init(struct bess_backtest *bt, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_history *h,
    const struct bess_backtest_opts *opts, struct bess_err *err)
{
	memset(bt, 0, sizeof(*bt));
	bt->n = h->t->n;
	bt->tariff = tariff;
	if (h->ser.price == NULL && tariff == NULL)
		return bess_err_set(err, NULL, 0, "%s: no 'price' column (and no --tariff with energy "
		    "rates)", h->t->file[0]);
	if (opts->da_min >= 0 && opts->tz == NULL)
		return bess_err_set(err, NULL, 0, "--da-publish needs a zone (--tz, or a --tariff with "
		    "a timezone)");
	if (bess_outlook_init(&bt->o, &h->ser, tariff, s, opts->fc, opts->da_min >= 0 ? opts->tz : NULL,
	    opts->da_min, err) != 0)
		return -1;
	bt->horizon = (size_t)((opts->horizon_us + h->step_us - 1) / h->step_us);
	if (bt->horizon < 1)
		bt->horizon = 1;
	return 0;
}

/* Price the site's import and export of sc (per battery: each one's cycle cost) as bt's run does. */
static int
price(const struct bess_backtest *bt, const struct bess_battery *b, const double *import_kw,
    const double *export_kw, const struct bess_lp_schedule *sc, const double *discharge_kw,
    struct bess_cost *c, double *step_cost, struct bess_err *err)
{
	if (bt->fleet)
		return bess_fleet_cost(&bt->o.rates, bt->fleet, import_kw, export_kw, sc, c, step_cost, err);
	return bess_rates_cost(&bt->o.rates, import_kw, export_kw, discharge_kw, b->cycle_cost_per_kwh, c,
	    step_cost, err);
}

/* The backtest of batteries b[0..nb) (bt->fleet set for a fleet run). */
static int
backtest_run(struct bess_backtest *bt, const struct bess_battery *b, size_t nb, const struct bess_site *s,
    const struct bess_backtest_opts *opts, struct bess_err *err)
{
	struct bess_mpc_opts mo;
	struct bess_lp_input in;
	size_t n = bt->n;
	double t0 = wall_s();

	if ((bt->step_cost = calloc(n, sizeof(double))) == NULL ||
	    (bt->base_cost = calloc(n, sizeof(double))) == NULL || bess_traj_init(&bt->tr, n) != 0 ||
	    bess_lp_schedule_init(&bt->idle, n) != 0 ||
	    (nb > 1 && bess_lp_schedule_init_n(&bt->per, n, nb) != 0))
		return bess_err_set(err, NULL, 0, "out of memory");
	memset(&mo, 0, sizeof(mo));
	mo.horizon = bt->horizon;
	mo.every = opts->every;
	mo.cold = opts->cold;
	mo.method = opts->method;
	mo.milp = s->milp;
	mo.setpoint = opts->setpoint;
	mo.nowcast_h = opts->nowcast_h;
	mo.events = opts->events;
	mo.nevents = opts->nevents;
	mo.amortize = opts->amortize;
	mo.tariff = bt->tariff;
	mo.progress = opts->progress;
	mo.progress_ctx = opts->progress_ctx;
	if (opts->devices) {
		if (bess_devrun_init(&bt->dr, opts->devices, n, bt->o.ser->dt_h) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		mo.devices = &bt->dr;
	}
	if (bess_mpc_run_n(b, nb, s, &bt->o, &mo, &bt->tr, &bt->sim, nb > 1 ? &bt->per : NULL, &bt->st,
	    err) != 0)
		return -1;
	if (bt->fleet && nb == 1 && per_of_traj(&bt->per, &bt->tr) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	if (opts->devices) {
		if (bess_devplan_from(&bt->dp, opts->devices, &bt->o.rates, bt->o.ser->ts, n, bt->dr.power_kw,
		    bt->dr.on) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		bt->have_dev = 1;
	}
	if ((bt->ev = calloc(opts->nevents + 1, sizeof(*bt->ev))) == NULL ||
	    (bt->oev = calloc(opts->nevents + 1, sizeof(*bt->oev))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	bt->nev = opts->nevents;
	for (size_t e = 0; e < bt->nev; e++)
		bess_event_settle(&opts->events[e], bt->tr.import_kw, &bt->ev[e]);
	bt->run_s = wall_s() - t0;
	bess_mpc_actual(&bt->o, &in);
	in.soc_init_kwh = b->soc_init_kwh;
	if (opts->devices) {
		/* no action: the shiftable devices run as soon as they may (bess-devices(5)) */
		double *base_load = calloc(n + 1, sizeof(double));

		if (base_load == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		for (size_t i = 0; i < n; i++)
			base_load[i] = in.load_kw ? in.load_kw[i] : 0;
		bess_devices_baseline_add(opts->devices, bt->o.ser->ts, n, bt->o.ser->dt_h, base_load);
		in.load_kw = base_load;
		bess_lp_idle(b, s, &in, n, &bt->idle);
		free(base_load);
		in.load_kw = bt->o.ser->load_kw;
	} else {
		bess_lp_idle(b, s, &in, n, &bt->idle);
	}
	if (price(bt, b, bt->tr.import_kw, bt->tr.export_kw, &bt->per, bt->tr.discharge_kw, &bt->cost,
	    bt->step_cost, err) != 0 ||
	    bess_rates_cost(&bt->o.rates, bt->idle.import_kw, bt->idle.export_kw, NULL, 0, &bt->base,
	    bt->base_cost, err) != 0)
		return -1;
	if (!opts->no_optimum) {
		double t1 = wall_s();

		if (bess_lp_schedule_init_n(&bt->opt, n, nb) != 0 ||
		    (bt->opt_cost = calloc(n, sizeof(double))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		if (bess_mpc_optimum_dv(b, nb, s, &bt->o, opts->method, s->milp, opts->events, opts->nevents,
		    opts->devices, &bt->opt, &bt->ores, &bt->odp, err) != 0)
			return -1;
		if (BESS_LP_HAS_SCHEDULE(bt->ores.status)) {
			for (size_t e = 0; e < bt->nev; e++)
				bess_event_settle(&opts->events[e], bt->opt.import_kw, &bt->oev[e]);
			if (price(bt, b, bt->opt.import_kw, bt->opt.export_kw, &bt->opt, bt->opt.discharge_kw,
			    &bt->ocost, bt->opt_cost, err) != 0)
				return -1;
			bt->have_opt = 1;
		}
		bt->opt_s = wall_s() - t1;
	}
	if (opts->rule_lo >= 0 && nb == 1) {	/* the rule is one battery's */
		struct bess_rule_opts ro;

		ro.q_lo = opts->rule_lo;
		ro.q_hi = opts->rule_hi;
		ro.horizon = bt->horizon;
		if ((bt->rule_cost = calloc(n, sizeof(double))) == NULL || bess_traj_init(&bt->rtr, n) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		if (bess_rule_run(b, s, &bt->o, &ro, &bt->rtr, &bt->rsim, err) != 0 ||
		    bess_rates_cost(&bt->o.rates, bt->rtr.import_kw, bt->rtr.export_kw, bt->rtr.discharge_kw,
		    b->cycle_cost_per_kwh, &bt->rcost, bt->rule_cost, err) != 0)
			return -1;
		bt->have_rule = 1;
	}
	return 0;
}

int
bess_backtest_run(struct bess_backtest *bt, const struct bess_battery *b, const struct bess_site *s,
    const struct bess_backtest_opts *opts, struct bess_err *err)
{
	return backtest_run(bt, b, 1, s, opts, err);
}

int
bess_backtest_run_fleet(struct bess_backtest *bt, const struct bess_fleet *f, const struct bess_site *s,
    const struct bess_backtest_opts *opts, struct bess_err *err)
{
	bt->fleet = f;
	return backtest_run(bt, f->bat, f->n, s, opts, err);
}

/* ---- summaries ---- */

/* The input names, comma-joined. */
static void
kv_inputs(struct bess_kv *k, const struct bess_table *t)
{
	size_t i, len = 1;
	char *str;

	for (i = 0; i < t->nfile; i++)
		len += strlen(t->file[i]) + 1;
	if ((str = calloc(len, 1)) == NULL) {
		k->oom = 1;
		return;
	}
	for (i = 0; i < t->nfile; i++) {
		if (i)
			strcat(str, ",");
		strcat(str, t->file[i]);
	}
	bess_kv_str(k, "input", str);
	free(str);
}

static void
kv_battery(struct bess_kv *k, const struct bess_battery *b, const struct bess_site *s)
{
	bess_kv_num(k, "capacity_kwh", b->capacity_kwh);
	bess_kv_num(k, "charge_power_kw", b->charge_kw);
	bess_kv_num(k, "discharge_power_kw", b->discharge_kw);
	bess_kv_num(k, "charge_efficiency", b->eta_charge);
	bess_kv_num(k, "discharge_efficiency", b->eta_discharge);
	bess_kv_num(k, "soc_min_kwh", b->soc_min_kwh);
	bess_kv_num(k, "soc_max_kwh", b->soc_max_kwh);
	bess_kv_num(k, "soc_init_kwh", b->soc_init_kwh);
	bess_kv_num(k, "cycle_cost", b->cycle_cost_per_kwh);
	bess_kv_str(k, "tariff", s->tariff_path);
}

/* The highest of import_kw[0..n) (0 when it never imports). */
static double
maxof(const double *x, size_t first, size_t n)
{
	double m = 0;
	size_t i;

	for (i = 0; x && i < n; i++)
		if (x[first + i] > m)
			m = x[first + i];
	return m;
}

static void
kv_clips(struct bess_kv *k, const char *prefix, const struct bess_sim *sim)
{
	struct bess_kv cc;
	char name[64];
	int i;

	snprintf(name, sizeof(name), "%sclips", prefix);
	bess_kv_int(k, name, (long long)sim->clipped_steps);
	if (*prefix)
		return;
	bess_kv_init(&cc);
	for (i = 0; i < BESS_CLIP_KINDS; i++)
		bess_kv_int(&cc, bess_clip_name(i), (long long)sim->clips[i]);
	bess_kv_nest(k, "clip_counts", &cc);
	bess_kv_free(&cc);
	bess_kv_int(k, "over_import_steps", (long long)sim->over_import_steps);
}

/* The run: mode, inputs, period, battery. */
static void
kv_run(struct bess_kv *k, const char *mode, const struct bess_battery *b, const struct bess_site *s,
    const struct bess_history *h)
{
	char tb[BESS_TIME_BUFSZ];

	bess_kv_str(k, "mode", mode);
	kv_inputs(k, h->t);
	bess_kv_str(k, "start", bess_time_format(h->t->ts[0], tb));
	bess_kv_str(k, "end", bess_time_format(h->t->ts[h->t->n - 1] + h->step_us, tb));
	bess_kv_int(k, "steps", (long long)h->t->n);
	bess_kv_num(k, "step_s", (double)h->step_us / 1e6);
	kv_battery(k, b, s);
}

/* What the battery did: throughput, cycles, final SOC, peaks, demand lines, clips. */
static void
kv_result(struct bess_kv *k, const struct bess_battery *b, const struct bess_rates *r,
    const struct bess_cost *cost, const struct bess_cost *base, const struct bess_traj *tr,
    const double *base_import, const struct bess_sim *sim)
{
	bess_kv_fig(k, "throughput_kwh", cost->throughput_kwh);
	bess_kv_fig(k, "cycles", cost->throughput_kwh / b->capacity_kwh);
	bess_kv_fig(k, "soc_final_kwh", sim->soc_kwh);
	bess_summary_peaks(k, tr->import_kw, base_import, tr->n, cost);
	bess_summary_demand(k, r, cost, base);
	kv_clips(k, "", sim);
}

void
bess_summary_simulate(struct bess_kv *k, const struct bess_simulate *sm, const struct bess_battery *b,
    const struct bess_site *s, const struct bess_history *h)
{
	struct bess_battery site;

	if (sm->fleet) {
		bess_fleet_site_battery(sm->fleet, &site);
		b = &site;
	}
	kv_run(k, "simulate", b, s, h);
	bess_summary_cost(k, "", &sm->cost, &sm->base);
	bess_summary_energy(k, sm->tr.import_kw, sm->tr.export_kw, sm->tr.n, h->ser.dt_h);
	bess_kv_fig(k, "baseline_cost", sm->base.total);
	kv_result(k, b, &sm->rates, &sm->cost, &sm->base, &sm->tr, sm->idle.import_kw, &sm->sim);
	if (sm->fleet && sm->fleet->given)
		bess_fleet_summary(k, sm->fleet, &sm->per, &sm->rates, sm->tr.n);
}

void
bess_summary_backtest(struct bess_kv *k, const struct bess_backtest *bt, const struct bess_battery *b,
    const struct bess_site *s, const struct bess_history *h, const struct bess_backtest_opts *opts)
{
	const struct bess_mpc_stats *st = &bt->st;
	struct bess_battery site;
	char fcbuf[128];
	/* with devices, what shedding cost is beside the bill (the objective is both: bess(7)) */
	double shed = bt->have_dev ? bt->dp.all.shed_cost : 0;
	double oshed = bt->have_dev && bt->have_opt ? bt->odp.all.shed_cost : 0;

	if (bt->fleet) {
		bess_fleet_site_battery(bt->fleet, &site);
		b = &site;
	}
	kv_run(k, "backtest", b, s, h);
	bess_kv_num(k, "horizon_h", (double)bt->horizon * h->ser.dt_h);
	bess_kv_int(k, "every", (long long)opts->every);
	bess_kv_str(k, "forecast", bess_fc_spec_format(opts->fc, fcbuf, sizeof(fcbuf)));
	bess_kv_bool(k, "perfect_foresight", opts->fc->m[BESS_FC_PRICE] == BESS_FC_PERFECT ||
	    opts->fc->m[BESS_FC_LOAD] == BESS_FC_PERFECT || opts->fc->m[BESS_FC_SOLAR] == BESS_FC_PERFECT);
	if (opts->da_min >= 0) {
		char da[16];

		snprintf(da, sizeof(da), "%02d:%02d", opts->da_min / 60, opts->da_min % 60);
		bess_kv_str(k, "da_publish", da);
	} else {
		bess_kv_str(k, "da_publish", NULL);
	}
	bess_kv_str(k, "tz", opts->tz ? bess_tz_name(opts->tz) : NULL);
	bess_kv_str(k, "solve", opts->cold ? "cold" : "warm");
	bess_kv_str(k, "setpoint", bess_setpoint_name(opts->setpoint));
	bess_kv_num(k, "nowcast_h", opts->nowcast_h > 0 ? opts->nowcast_h : NAN);
	bess_kv_bool(k, "amortize", opts->amortize);
	bess_summary_cost(k, "", &bt->cost, &bt->base);
	bess_summary_energy(k, bt->tr.import_kw, bt->tr.export_kw, bt->tr.n, h->ser.dt_h);
	bess_summary_events(k, opts->events, bt->ev, bt->nev, &bt->cost, &bt->base, shed);
	if (bt->have_dev && bt->nev == 0)
		bess_summary_net(k, &bt->cost, &bt->base, shed);
	if (bt->nev > 0) {
		double pay = 0, pen = 0;

		for (size_t e = 0; e < bt->nev; e++) {
			pay += bt->oev[e].payment;
			pen += bt->oev[e].penalty;
		}
		bess_kv_fig(k, "optimum_dr_payment", bt->have_opt ? pay : NAN);
		bess_kv_fig(k, "optimum_dr_penalty", bt->have_opt ? pen : NAN);
		bess_kv_fig(k, "optimum_net_cost", bt->have_opt ? bt->ocost.total + oshed - pay + pen : NAN);
	}
	bess_kv_fig(k, "baseline_cost", bt->base.total);
	bess_kv_fig(k, "optimum_cost", bt->have_opt ? bt->ocost.total : NAN);
	bess_kv_fig(k, "optimum_saving", bt->have_opt ? bess_cost_saving(&bt->ocost, &bt->base) : NAN);
	bess_kv_fig(k, "capture_pct", bt->have_opt && bt->base.total - bt->ocost.total - oshed > 1e-9 ?
	    100 * (bt->base.total - bt->cost.total - shed) / (bt->base.total - bt->ocost.total - oshed) :
	    NAN);
	if (bt->have_dev) {
		bess_devplan_summary(k, &bt->dp);
		bess_kv_fig(k, "optimum_shed_cost", bt->have_opt ? oshed : NAN);
		bess_kv_fig(k, "optimum_shed_saving", bt->have_opt ? bt->odp.all.shed_saving : NAN);
		bess_kv_fig(k, "optimum_shift_saving", bt->have_opt ? bt->odp.all.shift_saving : NAN);
	}
	bess_kv_str(k, "optimum_method", bt->have_opt ? bt->ores.method : NULL);
	bess_kv_str(k, "optimum_status", !bt->have_opt ? NULL :
	    bt->ores.status == BESS_LP_OPTIMAL ? "optimal" : "feasible");
	bess_kv_num(k, "optimum_milp_gap", bt->have_opt ? bt->ores.milp_gap : NAN);
	bess_kv_fig(k, "optimum_s", bt->have_opt ? bt->opt_s : NAN);
	bess_kv_fig(k, "rule_cost", bt->have_rule ? bt->rcost.total : NAN);
	bess_kv_fig(k, "rule_saving", bt->have_rule ? bess_cost_saving(&bt->rcost, &bt->base) : NAN);
	if (bt->have_rule)
		kv_clips(k, "rule_", &bt->rsim);
	kv_result(k, b, &bt->o.rates, &bt->cost, &bt->base, &bt->tr, bt->idle.import_kw, &bt->sim);
	if (bt->fleet && bt->fleet->given)
		bess_fleet_summary(k, bt->fleet, &bt->per, &bt->o.rates, bt->n);
	bess_kv_int(k, "solves", (long long)st->solves);
	bess_kv_int(k, "failed_solves", (long long)st->failed_solves);
	bess_kv_int(k, "fallback_steps", (long long)st->fallback_steps);
	bess_kv_str(k, "first_fallback", st->first_fallback_step >= 0 ? st->first_fallback : NULL);
	bess_kv_int(k, "setpoint_steps", (long long)st->setpoint_steps);
	bess_kv_int(k, "relaxed_steps", (long long)st->relaxed_steps);
	bess_kv_int(k, "milp_solves", (long long)st->milp_solves);
	bess_kv_int(k, "milp_not_proved", (long long)st->milp_not_proved);
	bess_kv_int(k, "cold_starts", (long long)st->cold_starts);
	bess_kv_int(k, "pivots", st->iterations);
	bess_kv_fig(k, "pivots_per_solve", st->solves ? (double)st->iterations / (double)st->solves : NAN);
	bess_kv_fig(k, "solve_ms", st->solve_ms);
	bess_kv_fig(k, "ms_per_solve", st->solves ? st->solve_ms / (double)st->solves : NAN);
	bess_kv_fig(k, "run_s", bt->run_s);
	bess_kv_str(k, "solver", bess_lp_solver());
}

/* Sum x[first .. first+n) (NULL = 0). */
static double
sum(const double *x, size_t first, size_t n)
{
	double v = 0;
	size_t i;

	for (i = 0; x && i < n; i++)
		v += x[first + i];
	return v;
}

/* Each demand line's cost at the last step of its bill, into d[n] (new). */
static int
demand_at_bill_end(const struct bess_rates *r, const struct bess_cost *c, size_t n, double **d)
{
	size_t *last, t, l;

	if ((*d = calloc(n + 1, sizeof(double))) == NULL || (last = calloc(c->nbill + 1, sizeof(size_t))) == NULL) {
		free(*d);
		*d = NULL;
		return -1;
	}
	for (t = 0; t < n; t++)
		if (r->bill[t] >= 0 && (size_t)r->bill[t] < c->nbill)
			last[r->bill[t]] = t;
	for (l = 0; l < c->nline; l++)
		if (c->line[l].bill >= 0 && (size_t)c->line[l].bill < c->nbill)
			(*d)[last[c->line[l].bill]] += c->line[l].cost;
	free(last);
	return 0;
}

/*
 * The breakdown's money per step: net[t] the step's energy cost less its
 * export revenue, settled by bess_rates_cost (the one home of the bill;
 * without wear, so a step's wear is its cost less net[t]); dem[t] and
 * bdem[t] the demand lines of the run and the baseline at their bill's
 * last step.
 */
static int
breakdown_money(const struct bess_rates *r, const struct bess_traj *tr, const struct bess_breakdown_more *more,
    size_t n, double **net, double **dem, double **bdem, struct bess_err *err)
{
	struct bess_cost c;

	memset(&c, 0, sizeof(c));
	*dem = *bdem = NULL;
	if ((*net = calloc(n + 1, sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	if (bess_rates_cost(r, tr->import_kw, tr->export_kw, NULL, 0, &c, *net, err) != 0 ||
	    (more->cost && demand_at_bill_end(r, more->cost, n, dem) != 0) ||
	    (more->base && demand_at_bill_end(r, more->base, n, bdem) != 0)) {
		bess_cost_free(&c);
		free(*net);
		free(*dem);
		*net = *dem = NULL;
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	bess_cost_free(&c);
	return 0;
}

/* What the breakdown's records are built from (breakdown_fill's ctx): bess_breakdown's arguments. */
struct breakdown_ctx {
	const struct bess_bucket *bk;	/* the local days or months */
	double dt_h;			/* step length, h */
	double capacity_kwh;
	const struct bess_traj *tr;
	const double *cost, *base, *base_import, *opt, *rule;	/* per step (opt, rule may be NULL) */
	const struct bess_event_plan *evp;
	const struct bess_event_result *evr;
	size_t nev;
	const struct bess_breakdown_more *more;	/* NULL: no money figures nor devices */
	const double *net, *dem, *bdem;	/* breakdown_money's, with more->rates */
};

/* Record i: bucket bk[i]'s figures (bess_kv_records). */
static int
breakdown_fill(const void *ctx, size_t i, struct bess_kv *k)
{
	const struct breakdown_ctx *c = ctx;
	const struct bess_bucket *b = &c->bk[i];
	const struct bess_traj *tr = c->tr;
	const struct bess_rates *r = c->more ? c->more->rates : NULL;
	size_t j, clips = 0;

	for (j = 0; j < b->n; j++)
		clips += tr->clip[b->first + j] != 0;
	bess_kv_str(k, "period", b->label);
	bess_kv_int(k, "steps", (long long)b->n);
	bess_kv_fig(k, "cost", sum(c->cost, b->first, b->n));
	bess_kv_fig(k, "baseline_cost", sum(c->base, b->first, b->n));
	bess_kv_fig(k, "optimum_cost", c->opt ? sum(c->opt, b->first, b->n) : NAN);
	bess_kv_fig(k, "rule_cost", c->rule ? sum(c->rule, b->first, b->n) : NAN);
	bess_kv_fig(k, "throughput_kwh", sum(tr->discharge_kw, b->first, b->n) * c->dt_h);
	bess_kv_fig(k, "cycles", sum(tr->discharge_kw, b->first, b->n) * c->dt_h / c->capacity_kwh);
	bess_kv_fig(k, "peak_kw", maxof(tr->import_kw, b->first, b->n));
	bess_kv_fig(k, "baseline_peak_kw", maxof(c->base_import, b->first, b->n));
	bess_kv_fig(k, "soc_end_kwh", tr->soc_kwh[b->first + b->n - 1]);
	bess_kv_int(k, "clips", (long long)clips);
	bess_kv_fig(k, "import_kwh", sum(tr->import_kw, b->first, b->n) * c->dt_h);
	bess_kv_fig(k, "export_kwh", sum(tr->export_kw, b->first, b->n) * c->dt_h);
	bess_kv_fig(k, "baseline_import_kwh", sum(c->base_import, b->first, b->n) * c->dt_h);
	if (r) {
		double e = 0, cs = sum(c->cost, b->first, b->n), x = sum(c->net, b->first, b->n);

		for (j = b->first; j < b->first + b->n; j++)
			e += r->price[j] * tr->import_kw[j] * r->dt_h;
		bess_kv_fig(k, "energy_cost", e);
		bess_kv_fig(k, "export_revenue", e - x);
		bess_kv_fig(k, "degradation_cost", cs - x);
		bess_kv_fig(k, "demand_cost", sum(c->dem, b->first, b->n));
		bess_kv_fig(k, "baseline_demand_cost", c->bdem ? sum(c->bdem, b->first, b->n) : NAN);
	}
	if (c->more && c->more->dp) {
		struct bess_devtotal dt;

		bess_devplan_span(c->more->dp, r, b->first, b->first + b->n, &dt);
		bess_kv_fig(k, "shed_kwh", dt.shed_kwh);
		bess_kv_fig(k, "shed_cost", dt.shed_cost);
		bess_kv_fig(k, "shed_saving", dt.shed_saving);
		bess_kv_fig(k, "shift_kwh", dt.shift_kwh);
		bess_kv_fig(k, "shift_saving", dt.shift_saving);
	}
	if (c->nev > 0) {
		double pay = 0, pen = 0;

		for (j = 0; j < c->nev; j++)
			if (c->evp[j].first >= b->first && c->evp[j].first < b->first + b->n) {
				pay += c->evr[j].payment;
				pen += c->evr[j].penalty;
			}
		bess_kv_fig(k, "dr_payment", pay);
		bess_kv_fig(k, "dr_penalty", pen);
	}
	return 1;
}

int
bess_breakdown(const struct bess_history *h, const struct bess_tz *tz, enum bess_by by,
    enum bess_fmt fmt, double capacity_kwh, const struct bess_traj *tr, const double *cost,
    const double *base, const double *base_import, const double *opt, const double *rule,
    const struct bess_event_plan *evp, const struct bess_event_result *evr, size_t nev,
    const struct bess_breakdown_more *more, char **out, size_t *outlen, struct bess_err *err)
{
	struct bess_bucket *bk = NULL;
	size_t nb = 0;
	int rc = 0;
	double *net = NULL, *dem = NULL, *bdem = NULL;	/* per step: energy - export; demand lines by the bill's last step */
	struct breakdown_ctx c;

	*out = NULL;
	*outlen = 0;
	if (more && more->rates && breakdown_money(more->rates, tr, more, h->t->n, &net, &dem, &bdem, err) != 0)
		return -1;
	if (bess_buckets(h->t->ts, h->t->n, tz, by, &bk, &nb) != 0)
		rc = -1;
	else {
		c = (struct breakdown_ctx){ bk, h->ser.dt_h, capacity_kwh, tr, cost, base, base_import, opt, rule,
		    evp, evr, nev, more, net, dem, bdem };
		rc = bess_kv_records(fmt, nb, breakdown_fill, &c, out, outlen);
	}
	free(bk);
	free(net);
	free(dem);
	free(bdem);
	return rc != 0 ? bess_err_set(err, NULL, 0, "out of memory") : 0;
}

int
bess_backtest_events(const struct bess_history *h, const char *events_path,
    const char *baseline_path, struct bess_events *ev, struct bess_load_history *lh,
    struct bess_event_plan **plans, struct bess_err *err)
{
	*plans = NULL;
	memset(lh, 0, sizeof(*lh));
	if (bess_events_load(ev, events_path, err) != 0)
		return -1;
	if (baseline_path) {
		if (bess_load_history_read(lh, baseline_path, err) != 0)
			return -1;
	} else if (h->ser.load_kw && bess_load_history_set(lh, h->t->ts, h->ser.load_kw, h->ser.solar_kw,
	    h->t->n, h->t->file[0], err) != 0) {
		return -1;
	}
	return bess_event_plan(ev, h->t->ts[0], h->step_us, h->t->n, lh->n ? lh : NULL, plans, err);
}

void
bess_backtest_line(const struct bess_backtest *bt, char *buf, size_t len)
{
	int w = snprintf(buf, len, "backtest: cost %.2f, without the battery %.2f (saving %.2f)",
	    bt->cost.total, bt->base.total, bess_cost_saving(&bt->cost, &bt->base));

	if (bt->have_dev && w > 0 && (size_t)w < len)
		w += snprintf(buf + w, len - (size_t)w, ", shedding cost %.2f", bt->dp.all.shed_cost);
	if (bt->have_opt && w > 0 && (size_t)w < len)
		w += snprintf(buf + w, len - (size_t)w, ", optimum %.2f", bt->ocost.total);
	if (bt->have_rule && w > 0 && (size_t)w < len)
		w += snprintf(buf + w, len - (size_t)w, ", rule %.2f", bt->rcost.total);
	if (w > 0 && (size_t)w < len)
		snprintf(buf + w, len - (size_t)w, "; %zu solves in %.1f s", bt->st.solves, bt->run_s);
}

void
bess_simulate_line(const struct bess_simulate *sm, char *buf, size_t len)
{
	snprintf(buf, len, "simulate: cost %.2f (%.2f without the battery), %zu steps, %zu clipped",
	    sm->cost.total, sm->base.total, sm->tr.n, sm->sim.clipped_steps);
}

void
bess_progress_init(struct bess_progress *p)
{
	memset(p, 0, sizeof(*p));
	p->t0 = wall_s();
}

int
bess_progress_line(struct bess_progress *p, size_t done, size_t total, char *buf, size_t len)
{
	double t = wall_s(), rate;

	if (done < total && t - p->last < 0.25)
		return 0;
	p->last = t;
	rate = (double)done / fmax(t - p->t0, 1e-6);
	snprintf(buf, len, "%zu/%zu steps, %.0f/s, ETA %.0f s   %s", done, total, rate,
	    (double)(total - done) / fmax(rate, 1e-9), done == total ? "\n" : "");
	p->shown = done < total;
	return 1;
}
