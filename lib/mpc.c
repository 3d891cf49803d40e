/* mpc.c: the receding-horizon loop over a history with one LP model, shifted warm starts and the simulator. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_mpc.h"
#include "bess_sofar.h"

void
bess_mpc_actual(const struct bess_outlook *o, struct bess_lp_input *in)
{
	memset(in, 0, sizeof(*in));
	in->rates = &o->rates;
	in->load_kw = o->ser->load_kw;
	in->solar_kw = o->ser->solar_kw;
	in->import_limit_kw = o->ser->import_limit_kw;
	in->export_limit_kw = o->ser->export_limit_kw;
}

void
bess_mpc_battery(const struct bess_battery *b, struct bess_battery *w)
{
	*w = *b;
	if (b->soc_final == BESS_SOC_FINAL_INIT) {
		w->soc_final = BESS_SOC_FINAL_MIN;
		w->soc_final_kwh = fmin(fmax(b->soc_init_kwh, b->soc_min_kwh), b->soc_max_kwh);
	}
}

/* The window's own rates (first step = index 0) and data, refilled at every re-optimisation. */
struct window {
	struct bess_rates r;		/* arrays owned here; names and rates point into the outlook's */
	double *load, *solar, *il, *el;
	double *peak;			/* per demand period: the peak step import so far in the current bill
					   (the setpoint's cap) */
	double *billed;			/* per demand period: the billed demand so far in the current bill
					   (window means with demand_window), the model's peak so far */
	double *floor;			/* per window bill and demand period: the ratchet's floor from the
					   bills before the window, kW */
	double *rate;			/* per demand period: the rate the window weighs (amortize) */
};

static void
window_free(struct window *w)
{
	free(w->r.price);
	free(w->r.export_price);
	free(w->r.period);
	free(w->r.bill);
	free(w->r.day);
	free(w->r.day_frac);
	free(w->load);
	free(w->solar);
	free(w->il);
	free(w->el);
	free(w->peak);
	free(w->billed);
	free(w->floor);
	free(w->r.win_first);
	free(w->r.win_n);
	free(w->r.bill_month);
	free(w->rate);
}

static int
window_init(struct window *w, const struct bess_rates *all, size_t h)
{
	memset(w, 0, sizeof(*w));
	w->r.dt_h = all->dt_h;
	w->r.export_ok = all->export_ok;
	w->r.feed_in_limit_kw = all->feed_in_limit_kw;
	w->r.nperiod = all->nperiod;
	w->r.period_name = all->period_name;
	w->r.demand_rate = all->demand_rate;
	w->r.peak_so_far_kw = all->peak_so_far_kw;
	w->r.bill_label = all->bill_label;
	/* ratchets, energy blocks, the minimum and the export cap, planned against the bills so far */
	w->r.ratchet_frac = all->ratchet_frac;
	w->r.lookback_bills = all->lookback_bills;
	w->r.lookback_months = all->lookback_months;
	w->r.fixed = all->fixed;
	w->r.minimum = all->minimum;
	w->r.export_cap_kwh = all->export_cap_kwh;
	w->r.tier = all->tier;
	w->r.ntier = all->ntier;
	if ((all->win_n && ((w->r.win_first = calloc(h + 1, sizeof(int))) == NULL ||
	    (w->r.win_n = calloc(h + 1, sizeof(int))) == NULL)) ||
	    (w->r.bill_month = calloc(h + 1, sizeof(int))) == NULL ||
	    (w->billed = calloc(all->nperiod + 1, sizeof(double))) == NULL ||
	    (w->floor = calloc((h + 1) * all->nperiod + 1, sizeof(double))) == NULL) {
		window_free(w);
		return -1;
	}
	if ((w->r.price = calloc(h + 1, sizeof(double))) == NULL ||
	    (w->r.export_price = calloc(h + 1, sizeof(double))) == NULL ||
	    (w->r.period = calloc(h + 1, sizeof(int))) == NULL ||
	    (w->r.bill = calloc(h + 1, sizeof(int))) == NULL ||
	    (w->r.day = calloc(h + 1, sizeof(int))) == NULL ||
	    (w->r.day_frac = calloc(h + 2, sizeof(double))) == NULL ||
	    (w->load = calloc(h + 1, sizeof(double))) == NULL ||
	    (w->solar = calloc(h + 1, sizeof(double))) == NULL ||
	    (w->il = calloc(h + 1, sizeof(double))) == NULL ||
	    (w->el = calloc(h + 1, sizeof(double))) == NULL ||
	    (w->peak = calloc(all->nperiod + 1, sizeof(double))) == NULL ||
	    (w->rate = calloc(all->nperiod + 1, sizeof(double))) == NULL) {
		window_free(w);
		return -1;
	}
	memcpy(w->peak, all->peak_so_far_kw, all->nperiod * sizeof(double));
	return 0;
}

/* Load the window of len steps from k as known at k; budget_kwh: discharge allowed today (cycle cap). */
static void
window_fill(struct window *w, const struct bess_outlook *o, const struct bess_battery *b, size_t k,
    size_t len, double discharged_today_kwh)
{
	const struct bess_rates *a = &o->rates;
	const struct bess_series *ser = o->ser;
	size_t j;

	bess_outlook_window(o, k, len, w->r.price, w->r.export_price, w->load, w->solar);
	w->r.n = len;
	for (j = 0; j < len; j++) {
		size_t i = k + j;

		w->r.period[j] = a->period[i];
		w->r.bill[j] = a->bill[i] - a->bill[k];
		w->r.day[j] = a->day[i] - a->day[k];
		w->r.day_frac[w->r.day[j]] = a->day_frac[a->day[i]];
		w->il[j] = ser->import_limit_kw ? ser->import_limit_kw[i] : NAN;
		w->el[j] = ser->export_limit_kw ? ser->export_limit_kw[i] : NAN;
		w->r.bill_month[w->r.bill[j]] = a->bill_month[a->bill[i]];
		if (w->r.win_n) {	/* a demand window begun before k starts at a negative index */
			w->r.win_first[j] = a->win_first[i] - (int)k;
			w->r.win_n[j] = a->win_n[i];
		}
	}
	w->r.nbill = (size_t)w->r.bill[len - 1] + 1;
	w->r.nday = (size_t)w->r.day[len - 1] + 1;
	if (b->max_cycles_per_day > 0) {
		double full = b->max_cycles_per_day * b->capacity_kwh;
		double left = full * w->r.day_frac[0] - discharged_today_kwh;

		w->r.day_frac[0] = left > 0 ? left / full : 0;
	}
}

/*
 * The load forecast of the window at k (load[0 .. len)) corrected by the
 * forecaster's miss in step k-1, fading with half-life hl_h hours.
 */
static void
nowcast(const struct bess_outlook *o, size_t k, size_t len, double hl_h, double *load)
{
	double fc = bess_fc_at(&o->fload, k - 1, k - 1);

	if (!isfinite(fc) || !isfinite(o->fload.actual[k - 1]))
		return;
	bess_fc_nowcast(load, len, o->fload.actual[k - 1] - fc, o->ser->dt_h, hl_h);
}

int
bess_mpc_solve(struct bess_lp *lp, const struct bess_battery *wb, const struct bess_site *s,
    const struct bess_lp_input *in, size_t len, double *il, const struct bess_lp_opts *lo,
    struct bess_lp_result *res, size_t *relaxed, struct bess_err *err)
{
	return bess_mpc_solve_n(lp, wb, 1, s, in, len, il, lo, res, relaxed, err);
}

int
bess_mpc_solve_n(struct bess_lp *lp, const struct bess_battery *wb, size_t nb, const struct bess_site *s,
    const struct bess_lp_input *in, size_t len, double *il, const struct bess_lp_opts *lo,
    struct bess_lp_result *res, size_t *relaxed, struct bess_err *err)
{
	struct bess_lp_opts o = *lo;

	*relaxed = 0;
	for (;;) {
		char why[300];
		long d;
		double need;

		if (bess_lp_solve(lp, &o, res, err) != 0)
			return -1;
		if (res->status != BESS_LP_INFEASIBLE || *relaxed >= len)
			return 0;
		d = bess_lp_diagnose_n(wb, nb, s, in, len, why, sizeof(why));
		if (d < 0 || (size_t)d >= len)
			return 0;
		need = fmax(0, (in->load_kw ? in->load_kw[d] : 0) - (in->solar_kw ? fmax(0, in->solar_kw[d]) : 0));
		if (!isnan(il[d]) && il[d] >= need)
			return 0;	/* lifting it would not help */
		il[d] = need;
		(*relaxed)++;
		if (bess_lp_update(lp, in, err) != 0)
			return -1;
	}
}

/* May the export price of some step differ from its import price in some forecast? */
static int
export_apart(const struct bess_outlook *o)
{
	size_t i;

	if (!o->rates.export_ok)
		return 0;
	for (i = 0; i < o->ser->n; i++)
		if (o->xa[i] != o->pa[i] || o->xb[i] != o->pb[i] || o->xc[i] != 0 ||
		    o->rates.export_price[i] != o->rates.price[i])
			return 1;
	return 0;
}

/*
 * Step k of a fleet: the plan's step j (or none: j == (size_t)-1, every
 * battery idle) carried out per battery (bess_setpoint_apply_n), settled
 * (bess_fleet_sim_step) and recorded: t the site's sums, per (may be NULL)
 * each battery's flows and SOC; *out the site's settled step. dev_kw: the
 * devices' change to the step's load.
 */
static int
fleet_step(struct bess_fleet_sim *fs, const struct bess_battery *b, const struct bess_mpc_opts *opts,
    const struct bess_rates *a, const struct bess_series *ser, const struct bess_site *s,
    const struct bess_lp_schedule *plan, size_t j, size_t k, const double *cap, const double *peak,
    struct bess_traj *t, struct bess_lp_schedule *per, struct bess_sim_out *out, struct bess_mpc_stats *st,
    double dev_kw)
{
	struct bess_sim_cmd cmd[BESS_FLEET_MAX], sumcmd;
	struct bess_sim_out o[BESS_FLEET_MAX];
	struct bess_sim_site site;
	size_t i, nb = fs->nb;
	double curtail = 0;

	memset(cmd, 0, sizeof(cmd));
	memset(&sumcmd, 0, sizeof(sumcmd));
	if (j != (size_t)-1) {
		for (i = 0; i < nb; i++) {
			cmd[i].charge_kw = plan->bat_charge_kw[i][j];
			cmd[i].discharge_kw = plan->bat_discharge_kw[i][j];
		}
		curtail = plan->curtail_kw[j];
	} else {
		st->fallback_steps++;
	}
	bess_sim_site_at(ser, a, s, k, &site);
	site.load_kw += dev_kw;		/* what the devices do to the load (bess_devrun_begin) */
	if (opts->setpoint != BESS_SETPOINT_BATTERY && j != (size_t)-1) {
		struct bess_setpoint_cmd sc;
		double start[BESS_FLEET_MAX], c[BESS_FLEET_MAX], d[BESS_FLEET_MAX];

		sc.grid_kw = plan->import_kw[j] - plan->export_kw[j];
		sc.cap_kw = a->period[k] >= 0 ? fmax(cap[j], peak[a->period[k]]) : cap[j];
		sc.peak_kw = a->period[k] >= 0 ? peak[a->period[k]] : INFINITY;
		for (i = 0; i < nb; i++) {
			start[i] = fs->bat[i].soc_kwh * fs->bat[i].keep;
			c[i] = cmd[i].charge_kw;
			d[i] = cmd[i].discharge_kw;
		}
		st->setpoint_steps += (size_t)bess_setpoint_apply_n(opts->setpoint, b, nb, ser->dt_h, start,
		    &sc, site.load_kw - site.solar_kw, site.export_limit_kw > 0, c, d);
		for (i = 0; i < nb; i++) {
			cmd[i].charge_kw = c[i];
			cmd[i].discharge_kw = d[i];
		}
	}
	for (i = 0; i < nb; i++) {
		sumcmd.charge_kw += cmd[i].charge_kw;
		sumcmd.discharge_kw += cmd[i].discharge_kw;
	}
	bess_fleet_sim_step(fs, cmd, curtail, &site, o, out);
	bess_traj_set(t, k, &sumcmd, out);
	for (i = 0; per && i < nb; i++) {
		per->bat_charge_kw[i][k] = o[i].charge_kw;
		per->bat_discharge_kw[i][k] = o[i].discharge_kw;
		per->bat_soc_kwh[i][k] = o[i].soc_kwh;
	}
	if (per) {
		per->charge_kw[k] = out->charge_kw;
		per->discharge_kw[k] = out->discharge_kw;
		per->soc_kwh[k] = out->soc_kwh;
		per->import_kw[k] = out->import_kw;
		per->export_kw[k] = out->export_kw;
		per->curtail_kw[k] = out->curtail_kw;
	}
	return 0;
}

int
bess_mpc_fleet_check(const struct bess_battery *b, size_t nb, struct bess_err *err)
{
	size_t i;

	for (i = 0; nb > 1 && i < nb; i++)
		if (b[i].max_cycles_per_day > 0)
			return bess_err_set(err, NULL, 0, "the backtest does not plan several batteries "
			    "with --max-cycles");
	return 0;
}

int
bess_mpc_run(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, const struct bess_mpc_opts *opts, struct bess_traj *t,
    struct bess_sim *sim, struct bess_mpc_stats *st, struct bess_err *err)
{
	return bess_mpc_run_n(b, 1, s, o, opts, t, sim, NULL, st, err);
}

/* The battery of b[0..nb) with the highest round trip (the price tilt must not pay for its cycles). */
static const struct bess_battery *
best_round_trip(const struct bess_battery *b, size_t nb)
{
	size_t i, best = 0;

	for (i = 1; i < nb; i++)
		if (b[i].eta_charge * b[i].eta_discharge > b[best].eta_charge * b[best].eta_discharge)
			best = i;
	return &b[best];
}

int
bess_mpc_run_n(const struct bess_battery *b, size_t nb, const struct bess_site *s,
    const struct bess_outlook *o, const struct bess_mpc_opts *opts, struct bess_traj *t,
    struct bess_sim *sim, struct bess_lp_schedule *per, struct bess_mpc_stats *st, struct bess_err *err)
{
	const struct bess_series *ser = o->ser;
	const struct bess_rates *a = &o->rates;
	size_t n = ser->n, h = opts->horizon < n ? opts->horizon : n, every = opts->every ? opts->every : 1;
	size_t k, plan_k = 0, plan_len = 0, next = 0, last_solve = 0, tick;
	struct bess_battery wb[BESS_FLEET_MAX];
	struct bess_fleet_sim *fs = NULL;
	double soc0[BESS_FLEET_MAX];
	struct bess_lp *lp = NULL;
	struct bess_lp_schedule plan;
	struct bess_lp_input in;
	struct window w;
	struct bess_sofar g;
	struct bess_sofar_step gs;
	unsigned flags;
	double today_kwh = 0, *cap = NULL;
	int rc = -1, have_plan = 0;
	struct bess_devrun *dr = opts->devices;

	memset(st, 0, sizeof(*st));
	st->first_fallback_step = -1;
	if (n == 0 || h == 0)
		return bess_err_set(err, NULL, 0, "nothing to run: no steps");
	if (nb < 1 || nb > BESS_FLEET_MAX)
		return bess_err_set(err, NULL, 0, "%zu batteries: 1 to %d", nb, BESS_FLEET_MAX);
	if (bess_mpc_fleet_check(b, nb, err) != 0)
		return -1;
	for (size_t i = 0; i < nb; i++) {
		bess_mpc_battery(&b[i], &wb[i]);
		soc0[i] = b[i].soc_init_kwh;
	}
	bess_sim_init(sim, b, ser->dt_h, b->soc_init_kwh);
	memset(&plan, 0, sizeof(plan));
	memset(&g, 0, sizeof(g));
	if ((nb > 1 && (fs = malloc(sizeof(*fs))) == NULL) || window_init(&w, a, h) != 0 ||
	    bess_lp_schedule_init_n(&plan, h, nb) != 0 ||
	    (cap = calloc(h, sizeof(double))) == NULL || bess_sofar_init(&g, a->nperiod, a->peak_so_far_kw, 0) != 0) {
		window_free(&w);
		bess_sofar_free(&g);
		bess_lp_schedule_free(&plan);
		free(fs);
		free(cap);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	if (fs)
		bess_fleet_sim_init(fs, b, nb, ser->dt_h);
	/* the structure every window may need, decided once for the whole run */
	bess_mpc_actual(o, &in);
	in.soc_init_kwh = b->soc_init_kwh;
	if (nb > 1)
		in.bat_soc_init_kwh = soc0;
	flags = bess_lp_flags_for_n(wb, nb, &in, n);
	if (ser->solar_kw || ser->solar_fc)
		flags |= BESS_LP_SOLAR;
	if (export_apart(o) || opts->nevents > 0)
		flags |= BESS_LP_SPLIT;
	tick = n / 200 + 1;
	for (k = 0; k < n; k++) {
		struct bess_sim_cmd cmd;
		struct bess_sim_site site;
		struct bess_sim_out out;
		double dev_kw;

		if (k == next) {
			size_t len = n - k < h ? n - k : h;
			struct bess_lp_opts lo;
			struct bess_lp_result res;

			window_fill(&w, o, b, k, len, today_kwh);
			if (opts->nowcast_h > 0 && k > 0 && o->fload.actual)
				nowcast(o, k, len, opts->nowcast_h, w.load);
			if (opts->amortize) {
				double share = bess_setpoint_share(opts->tariff, ser->ts[k],
				    ser->ts[k] + (bess_time_t)len * ser->step_us);
				size_t p;

				for (p = 0; p < a->nperiod; p++)
					w.rate[p] = a->demand_rate[p] * share;
				w.r.demand_rate = w.rate;
			}
			if (opts->setpoint != BESS_SETPOINT_BATTERY)
				bess_setpoint_tilt(best_round_trip(b, nb), w.r.price, w.r.export_price, len);
			memset(&in, 0, sizeof(in));
			in.rates = &w.r;
			in.n_active = len;
			in.load_kw = w.load;
			in.solar_kw = w.solar;
			in.import_limit_kw = w.il;
			in.export_limit_kw = w.el;
			in.soc_init_kwh = sim->soc_kwh;
			if (fs) {
				for (size_t i = 0; i < nb; i++)
					soc0[i] = fs->bat[i].soc_kwh;
				in.soc_init_kwh = soc0[0];
				in.bat_soc_init_kwh = soc0;
			}
			in.bill_so_far = bess_sofar_window(&g, a->bill_label[a->bill[k]], &w.r, w.billed, w.floor);
			in.peak_so_far_kw = w.billed;
			in.ratchet_floor_kw = w.floor;
			in.win_before_kw = a->win_n && (size_t)a->win_first[k] < k ? g.wsum_kw : 0;
			in.bill_open = k + len < n && a->bill[k + len] == a->bill[k + len - 1];
			memset(&lo, 0, sizeof(lo));
			lo.milp = opts->milp;
			lo.no_apart = opts->cold;	/* --solve cold: the general method, to compare */
			if (opts->cold || lp == NULL) {
				bess_lp_free(lp);
				if ((lp = bess_lp_new_n(wb, nb, s, h, ser->dt_h, flags, err)) == NULL ||
				    (opts->nevents > 0 && bess_lp_events(lp, opts->events, opts->nevents,
				    err) != 0) ||
				    (dr && bess_lp_devices(lp, dr->dv, ser->ts + k, n - k, dr->st, err) != 0))
					goto done;
				st->builds++;
				lo.method = opts->cold ? opts->method : BESS_LP_SIMPLEX;
			} else {
				bess_lp_shift(lp, k - last_solve);
				lo.method = BESS_LP_SIMPLEX;
				lo.warm = 1;
			}
			bess_lp_devices_times(lp, ser->ts + k, n - k);	/* the window's step 0 is k */
			bess_lp_events_at(lp, k, t->import_kw);
			if (bess_lp_update(lp, &in, err) != 0)
				goto done;
			{
				size_t relaxed;

				if (bess_mpc_solve_n(lp, wb, nb, s, &in, len, w.il, &lo, &res, &relaxed, err) != 0)
					goto done;
				st->relaxed_steps += relaxed;
			}
			st->solves++;
			st->solve_ms += res.solve_ms;
			st->iterations += res.iterations;
			st->milp_solves += res.milp != 0;
			st->milp_not_proved += res.status == BESS_LP_FEASIBLE;
			st->cold_starts += lo.warm && !res.warm_used;
			last_solve = k;
			next = k + every;
			if (BESS_LP_HAS_SCHEDULE(res.status)) {
				bess_lp_schedule(lp, &plan);
				if (dr && bess_devrun_plan(dr, lp, len) != 0) {
					bess_err_set(err, NULL, 0, "out of memory");
					goto done;
				}
				bess_setpoint_caps(&w.r, plan.import_kw, len, w.peak, cap);
				have_plan = 1;
				plan_k = k;
				plan_len = len;
			} else {
				have_plan = 0;
				st->failed_solves++;
				if (st->first_fallback_step < 0) {
					char why[300];

					st->first_fallback_step = (long)k;
					if (res.status == BESS_LP_INFEASIBLE) {
						bess_lp_diagnose_n(wb, nb, s, &in, len, why, sizeof(why));
						snprintf(st->first_fallback, sizeof(st->first_fallback),
						    "infeasible: %s", why);
					} else {
						snprintf(st->first_fallback, sizeof(st->first_fallback),
						    "the solver failed");
					}
				}
			}
		}
		/* the devices as planned, or as without a plan: their change to the load */
		dev_kw = dr ? bess_devrun_begin(dr, have_plan && k - plan_k < plan_len ? k - plan_k :
		    (size_t)-1, ser->ts[k]) : 0;
		if (fs) {
			if (fleet_step(fs, b, opts, a, ser, s, &plan, have_plan && k - plan_k < plan_len ?
			    k - plan_k : (size_t)-1, k, cap, w.peak, t, per, &out, st, dev_kw) != 0)
				goto done;
		} else {
			memset(&cmd, 0, sizeof(cmd));
			if (have_plan && k - plan_k < plan_len) {
				cmd.charge_kw = plan.charge_kw[k - plan_k];
				cmd.discharge_kw = plan.discharge_kw[k - plan_k];
				cmd.curtail_kw = plan.curtail_kw[k - plan_k];
			} else {
				st->fallback_steps++;
			}
			bess_sim_site_at(ser, a, s, k, &site);
			site.load_kw += dev_kw;
			if (opts->setpoint != BESS_SETPOINT_BATTERY && have_plan && k - plan_k < plan_len) {
				struct bess_setpoint_cmd sc;
				size_t j = k - plan_k;

				sc.charge_kw = cmd.charge_kw;
				sc.discharge_kw = cmd.discharge_kw;
				sc.grid_kw = plan.import_kw[j] - plan.export_kw[j];
				sc.cap_kw = a->period[k] >= 0 ? fmax(cap[j], w.peak[a->period[k]]) : cap[j];
				sc.peak_kw = a->period[k] >= 0 ? w.peak[a->period[k]] : INFINITY;
				st->setpoint_steps += (size_t)bess_setpoint_apply(opts->setpoint, b, ser->dt_h,
				    sim->soc_kwh * sim->keep, &sc, site.load_kw - site.solar_kw,
				    site.export_limit_kw > 0, &cmd.charge_kw, &cmd.discharge_kw);
			}
			bess_sim_step(sim, &cmd, &site, &out);
			bess_traj_set(t, k, &cmd, &out);
		}
		bess_sofar_step_of(a, k, &gs);
		if (bess_sofar_step(&g, &gs, out.import_kw, out.export_kw) != 0) {
			bess_err_set(err, NULL, 0, "out of memory");
			goto done;
		}
		if (dr)
			bess_devrun_step(dr, k, ser->ts[k]);
		/* what the next windows must know: the bill's peaks, today's discharge */
		if (a->period[k] >= 0 && out.import_kw > w.peak[a->period[k]])
			w.peak[a->period[k]] = out.import_kw;
		if (k + 1 < n && a->bill[k + 1] != a->bill[k])
			memset(w.peak, 0, a->nperiod * sizeof(double));
		today_kwh += out.discharge_kw * ser->dt_h;
		if (k + 1 < n && a->day[k + 1] != a->day[k])
			today_kwh = 0;
		if (opts->progress && (k % tick == 0 || k + 1 == n))
			opts->progress(opts->progress_ctx, k + 1, n);
	}
	if (fs)
		*sim = fs->site;
	rc = 0;
done:
	bess_lp_free(lp);
	bess_lp_schedule_free(&plan);
	window_free(&w);
	bess_sofar_free(&g);
	free(cap);
	free(fs);
	return rc;
}

int
bess_mpc_optimum(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    struct bess_lp_schedule *sc, struct bess_lp_result *res, struct bess_err *err)
{
	return bess_mpc_optimum_ev(b, s, o, method, milp, NULL, 0, sc, res, err);
}

int
bess_mpc_optimum_ev(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    const struct bess_event_plan *ev, size_t nev, struct bess_lp_schedule *sc,
    struct bess_lp_result *res, struct bess_err *err)
{
	return bess_mpc_optimum_n(b, 1, s, o, method, milp, ev, nev, sc, res, err);
}

int
bess_mpc_optimum_n(const struct bess_battery *b, size_t nb, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    const struct bess_event_plan *ev, size_t nev, struct bess_lp_schedule *sc,
    struct bess_lp_result *res, struct bess_err *err)
{
	return bess_mpc_optimum_dv(b, nb, s, o, method, milp, ev, nev, NULL, sc, res, NULL, err);
}

int
bess_mpc_optimum_dv(const struct bess_battery *b, size_t nb, const struct bess_site *s,
    const struct bess_outlook *o, enum bess_lp_method method, enum bess_milp milp,
    const struct bess_event_plan *ev, size_t nev, const struct bess_devices *dv,
    struct bess_lp_schedule *sc, struct bess_lp_result *res, struct bess_devplan *dp,
    struct bess_err *err)
{
	struct bess_lp_input in;
	struct bess_lp_opts lo;
	struct bess_lp *lp;
	size_t n = o->ser->n, i;
	double soc0[BESS_FLEET_MAX];

	if (nb < 1 || nb > BESS_FLEET_MAX)
		return bess_err_set(err, NULL, 0, "%zu batteries: 1 to %d", nb, BESS_FLEET_MAX);
	bess_mpc_actual(o, &in);
	in.soc_init_kwh = b->soc_init_kwh;
	for (i = 0; i < nb; i++)
		soc0[i] = b[i].soc_init_kwh;
	if (nb > 1)
		in.bat_soc_init_kwh = soc0;
	if ((lp = bess_lp_new_n(b, nb, s, n, o->ser->dt_h, bess_lp_flags_for_n(b, nb, &in, n) |
	    (nev > 0 ? BESS_LP_SPLIT : 0), err)) == NULL)
		return -1;
	if ((nev > 0 && bess_lp_events(lp, ev, nev, err) != 0) ||
	    (dv && bess_lp_devices(lp, dv, o->ser->ts, n, NULL, err) != 0) ||
	    bess_lp_update(lp, &in, err) != 0) {
		bess_lp_free(lp);
		return -1;
	}
	memset(&lo, 0, sizeof(lo));
	lo.method = method;
	lo.milp = milp;
	if (bess_lp_solve(lp, &lo, res, err) != 0) {
		bess_lp_free(lp);
		return -1;
	}
	if (BESS_LP_HAS_SCHEDULE(res->status)) {
		bess_lp_schedule(lp, sc);
		if (dv && bess_devplan_build(dp, lp, dv, &o->rates, o->ser->ts, 0, n) != 0) {
			bess_lp_free(lp);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
	}
	bess_lp_free(lp);
	return 0;
}
