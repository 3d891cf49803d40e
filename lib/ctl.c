/* ctl.c: the live controller's core — one command per control interval, from a plan re-solved warm (one LP model) as time moves on, or a safe one when its inputs are stale or missing; the meter followed within the interval. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_int.h"

size_t
bess_ctl_batteries(const struct bess_ctl *c)
{
	return c->f.n;
}

void
bess_ctl_free(struct bess_ctl *c)
{
	if (c == NULL)
		return;
	bess_lp_free(c->lp);
	bess_lp_schedule_free(&c->plan);
	free(c->e);
	free(c->ts);
	free(c->p);
	free(c->xp);
	free(c->load);
	free(c->solar);
	free(c->il);
	free(c->el);
	free(c->icap);
	free(c->fc0);
	bess_sofar_free(&c->bill);
	free(c->bill_period);
	free(c->m);
	bess_event_plans_free(c->evp, c->ev.n);
	bess_events_free(&c->ev);
	free(c->ev_past);
	if (c->dev)
		bess_ctldev_free(c->dev);
	free(c->dev);
	free(c);
}

int
bess_ctl_devices(struct bess_ctl *c, const struct bess_devices *dv, struct bess_err *err)
{
	size_t i, n = 0;
	int d;

	for (i = 0; i < c->f.n; i++)
		if ((d = bess_devices_find(dv, c->f.id[i])) >= 0)
			return bess_err_set(err, dv->name, dv->dev[d].line, "'%s' is a battery's id too%s: device "
			    "records could not tell them apart", c->f.id[i],
			    c->f.given ? "" : " (the one battery given the old way)");
	for (i = 0; i < dv->ndev; i++)
		n += dv->dev[i].kind != BESS_DEV_ESSENTIAL;
	if (n > BESS_STATE_MAX_DEVICES)
		return bess_err_set(err, dv->name, 0, "%zu sheddable and shiftable devices: the controller keeps "
		    "at most %d", n, BESS_STATE_MAX_DEVICES);
	if (c->dev || c->lp)
		return bess_err_set(err, NULL, 0, "the controller has planned already");
	if ((c->dev = malloc(sizeof(*c->dev))) == NULL || bess_ctldev_init(c->dev, dv, c->o.step_us) != 0) {
		free(c->dev);
		c->dev = NULL;
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	return 0;
}

const struct bess_ctldev *
bess_ctl_ctldev(const struct bess_ctl *c)
{
	return c->dev;
}

struct bess_ctl *
bess_ctl_new_fleet(const struct bess_fleet *f, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_ctl_opts *o, struct bess_err *err)
{
	struct bess_ctl *c;
	size_t h = o->horizon;

	if (h == 0 || o->step_us <= 0) {
		bess_err_set(err, NULL, 0, "the horizon must hold at least one interval");
		return NULL;
	}
	if (f->n < 1 || f->n > BESS_FLEET_MAX || f->n > BESS_STATE_MAX_BATTERIES) {
		bess_err_set(err, NULL, 0, "%zu batteries: 1 to %d", f->n, BESS_FLEET_MAX);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto oom;
	/* "init": at least the SOC reported when a plan is made (the LP's window start) */
	c->f = *f;
	c->f.given = f->given && f->n > 1;	/* one --battery: the single-battery options' battery */
	c->s = s;
	c->tariff = tariff;
	c->o = *o;
	c->dt_h = (double)o->step_us / 3.6e9;
	if (bess_lp_schedule_init_n(&c->plan, h, f->n) != 0 ||
	    (c->ts = calloc(h, sizeof(bess_time_t))) == NULL ||
	    (c->p = calloc(h, sizeof(double))) == NULL || (c->xp = calloc(h, sizeof(double))) == NULL ||
	    (c->load = calloc(h, sizeof(double))) == NULL ||
	    (c->solar = calloc(h, sizeof(double))) == NULL ||
	    (c->il = calloc(h, sizeof(double))) == NULL || (c->el = calloc(h, sizeof(double))) == NULL ||
	    (c->icap = calloc(h, sizeof(double))) == NULL ||
	    (c->fc0 = calloc(h, sizeof(double))) == NULL)
		goto oom;
	c->fc_step[0] = c->fc_step[1] = INT64_MIN;
	c->cmd_step = INT64_MIN;
	c->settled = INT64_MIN;
	{	/* the tariff's demand periods, for the bills so far */
		struct bess_rates r;
		struct bess_err e2;
		bess_time_t t0 = 0;
		double zero = 0;
		size_t np = 0;

		if (tariff && bess_rates_build(&r, tariff, &t0, 1, o->step_us, &zero, NULL, s, &e2) == 0) {
			np = r.nperiod;
			if ((c->bill_period = calloc(np + 1, sizeof(*c->bill_period))) != NULL)
				memcpy(c->bill_period, r.period_name, np * sizeof(*c->bill_period));
			bess_rates_free(&r);
			if (c->bill_period == NULL)
				goto oom;
		}
		if (bess_sofar_init(&c->bill, np, NULL, BESS_STATE_MAX_BILLS) != 0)
			goto oom;
	}
	return c;
oom:
	bess_ctl_free(c);
	bess_err_set(err, NULL, 0, "out of memory");
	return NULL;
}

struct bess_ctl *
bess_ctl_new(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_ctl_opts *o, struct bess_err *err)
{
	struct bess_fleet *f = calloc(1, sizeof(*f));
	struct bess_ctl *c;

	if (f == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	f->n = 1;
	f->bat[0] = *b;
	f->capacity_kwh = b->capacity_kwh;
	c = bess_ctl_new_fleet(f, s, tariff, o, err);
	free(f);
	return c;
}

int
bess_ctl_apply(struct bess_ctl *c, const struct bess_ctl_event *ev, bess_time_t now,
    struct bess_err *err)
{
	int q, any = 0, refused = 0;
	struct cbat *cb = &c->bat[ev->device >= 0 && (size_t)ev->device < c->f.n ? ev->device : 0];

	if (!isnan(ev->soc_kwh) && ev->device < 0 && c->f.n > 1) {
		/* (bess_ctl_parse_for refuses it at its line; an event made otherwise) */
		bess_err_set(err, NULL, 0, "a soc reading without a device (%zu batteries): ignored", c->f.n);
		refused = 1;
	} else if (!isnan(ev->soc_kwh) && ev->ts > now + BESS_CTL_AHEAD_US) {
		/*
		 * A reading dated ahead of the clock (a device whose clock runs
		 * fast) would never go stale, and would shut out every true
		 * reading after it: refused; the event's other fields still count.
		 */
		char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];

		bess_err_set(err, NULL, 0, "a soc reading dated %s, ahead of the clock (%s): ignored",
		    bess_time_format(ev->ts, a), bess_time_format(now, b));
		refused = 1;
	} else if (!isnan(ev->soc_kwh) && (!cb->have_soc || ev->ts >= cb->soc_ts ||
	    cb->soc_ts > now + BESS_CTL_AHEAD_US)) {
		/* (a kept reading dated ahead of the clock, from a state file, gives way) */
		cb->soc = ev->soc_kwh;
		cb->soc_ts = ev->ts;
		cb->have_soc = 1;
		c->dirty = 1;
	}
	if (ev->dev >= 0 && c->dev && (size_t)ev->dev < c->dev->dv->ndev) {
		if (ev->ts > now + BESS_CTL_AHEAD_US) {	/* as a soc reading's: refused */
			char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];

			bess_err_set(err, NULL, 0, "device '%s': a state dated %s, ahead of the clock (%s): ignored",
			    c->dev->dv->dev[ev->dev].id, bess_time_format(ev->ts, a), bess_time_format(now, b));
			refused = 1;
		} else if (bess_ctldev_report(c->dev, (size_t)ev->dev, ev->ts, ev->dev_on, ev->dev_kw)) {
			c->dirty = 1;	/* not as planned: plan again from what it does */
		}
	}
	if (!isnan(ev->grid_import_kw))
		bess_ctl_peak_reading(c, ev);
	if ((!isnan(ev->grid_import_kw) || !isnan(ev->grid_export_kw)) && bess_ctl_meter_reading(c, ev) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (q = 0; q < BESS_CTL_NQ; q++)
		any |= !isnan(ev->v[q]);
	if (any) {
		struct entry *e = bess_ctl_entry_at(c, bess_floor_div(ev->ts, c->o.step_us));

		if (e == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		for (q = 0; q < BESS_CTL_NQ; q++)
			if (!isnan(ev->v[q])) {
				e->v[q] = ev->v[q];
				c->seen[q] = 1;
				c->upd[q] = now;
			}
		c->dirty = 1;
	}
	return refused;
}

/* Step j of the standing plan for its battery b (of sub). */
static void
from_plan(const struct bess_ctl *c, size_t j, size_t b, struct bess_ctl_cmd *cmd)
{
	cmd->charge_kw = c->plan.bat_charge_kw[b][j];
	cmd->discharge_kw = c->plan.bat_discharge_kw[b][j];
	cmd->plan_soc_kwh = c->plan.bat_soc_kwh[b][j];
	cmd->horizon_steps = c->plan_len - j;
	cmd->grid_target_kw = c->plan.import_kw[j] - c->plan.export_kw[j];
	cmd->import_cap_kw = c->icap[j];
	cmd->relaxed_steps = c->plan_relaxed;
}

/* Step j of the standing plan for each battery it holds. */
static void
plan_cmds(const struct bess_ctl *c, size_t j, struct bess_ctl_cmd *cmds)
{
	size_t b;

	for (b = 0; b < c->sub.n; b++)
		from_plan(c, j, b, &cmds[c->sub_idx[b]]);
}

/* Diagnose: why a window has no schedule (bess_lp_diagnose for the batteries of sub). */
static void
diagnose(const struct bess_ctl *c, const struct bess_lp_input *in, size_t len, char *why, size_t wlen)
{
	if (c->sub.n == 1)
		bess_lp_diagnose(&c->sub.bat[0], c->s, in, len, why, wlen);
	else
		bess_lp_diagnose_n(c->sub.bat, c->sub.n, c->s, in, len, why, wlen);
}

/*
 * Safety per battery: each battery's command for the interval starting at
 * start opened, the safe one for a battery without a fresh SOC at t; the
 * set of the others (bit i: battery i may follow a plan).
 */
static unsigned long long
battery_cmds(const struct bess_ctl *c, bess_time_t t, bess_time_t start, size_t len, struct bess_ctl_cmd *cmds)
{
	char why[360];
	unsigned long long mask = 0;
	size_t i;

	for (i = 0; i < c->f.n; i++) {
		struct bess_ctl_cmd *cmd = &cmds[i];
		const char *trouble;

		memset(cmd, 0, sizeof(*cmd));
		cmd->ts = start;
		cmd->soc_kwh = c->bat[i].have_soc ? c->bat[i].soc : NAN;
		cmd->plan_soc_kwh = NAN;
		cmd->price = len > 0 ? c->p[0] : NAN;
		cmd->grid_target_kw = cmd->import_cap_kw = NAN;
		if (c->f.given || c->dev)
			snprintf(cmd->device, sizeof(cmd->device), "%s", c->f.id[i]);
		/* a battery without a fresh SOC gets its safe command; the others go on without it */
		if ((trouble = bess_ctl_soc_trouble(c, i, t, why, sizeof(why))) != NULL)
			bess_ctl_safe(c, i, cmd, 0, trouble);
		else
			mask |= 1ULL << i;
	}
	return mask;
}

/*
 * Site safety: why no battery may follow a plan at t in the interval
 * starting at start, whose window holds len intervals (no price, a stale
 * forecast), into why; 0 if nothing stops them.
 */
static int
site_trouble(const struct bess_ctl *c, bess_time_t t, bess_time_t start, size_t len, char *why, size_t wlen)
{
	char tb[BESS_TIME_BUFSZ];
	int q;

	if (len == 0) {
		snprintf(why, wlen, "no price for the interval starting at %s", bess_time_format(start, tb));
		return 1;
	}
	for (q = BESS_CTL_LOAD; q <= BESS_CTL_SOLAR; q++)
		if (c->seen[q] && t - c->upd[q] > c->o.stale_us) {
			snprintf(why, wlen, "the %s forecast is stale (last update at %s)",
			    q == BESS_CTL_LOAD ? "load" : "solar", bess_time_format(c->upd[q], tb));
			return 1;
		}
	return 0;
}

/* Does the standing plan still hold for interval k and the batteries of mask (nothing new arrived)? */
static int
plan_holds(const struct bess_ctl *c, int64_t k, unsigned long long mask)
{
	return !c->dirty && c->have_plan && mask == c->plan_mask && k >= c->plan_step &&
	    (size_t)(k - c->plan_step) < c->plan_len;
}

/* What one plan puts to the model: the window's rates, the bills so far, the batteries' SOC (plan_in_free). */
struct plan_in {
	struct bess_rates r;		/* the window's prices (tilted) and demand periods (amortized) */
	struct bess_lp_input in;	/* the model's input over the window; points into this struct */
	double tilt;			/* the tie-break added to the prices per interval, per kWh */
	double *full_rate;		/* the demand rates before amortization (NULL: not amortized) */
	double *floor_kw;		/* the ratchet floors, per bill and demand period, kW */
	double *billed;			/* the peak billed so far per demand period, kW */
	double peak[BESS_STATE_MAX_PEAKS + 1];	/* the peak so far per demand period, kW */
	double soc0[BESS_FLEET_MAX];	/* the SOC each battery of sub starts from, kWh */
};

static void
plan_in_free(struct plan_in *pi)
{
	free(pi->full_rate);
	free(pi->floor_kw);
	free(pi->billed);
	bess_rates_free(&pi->r);
}

/*
 * Assemble the window: the model's input over the len intervals from k
 * (the window's buffers, the load nowcast, the rates with the demand rates
 * amortized over the window and the tie-break tilt, the bills so far and
 * the peaks reached, the SOC of each battery of sub). 0; 1 when the window
 * cannot be priced (err says why); -1 out of memory.
 */
static int
assemble(struct bess_ctl *c, int64_t k, size_t len, struct plan_in *pi, struct bess_err *err)
{
	bess_time_t start = k * c->o.step_us;
	struct bess_rates *r = &pi->r;
	struct bess_lp_input *in = &pi->in;
	const struct bess_bill *so_far = NULL;
	size_t p, i, lossy = 0;

	memset(pi, 0, sizeof(*pi));
	if (c->o.nowcast_h > 0 && c->seen[BESS_CTL_LOAD])
		bess_ctl_nowcast(c, k, len);
	if (bess_rates_build(r, c->tariff, c->ts, len, c->o.step_us, c->p,
	    c->seen[BESS_CTL_EXPORT_PRICE] ? c->xp : NULL, c->s, err) != 0)
		return 1;
	if (c->o.amortize && r->nperiod > 0) {
		double share = bess_setpoint_share(c->tariff, start, start + (bess_time_t)len * c->o.step_us);

		if ((pi->full_rate = malloc(r->nperiod * sizeof(double))) == NULL)
			goto oom;
		for (p = 0; p < r->nperiod; p++) {
			pi->full_rate[p] = r->demand_rate[p];
			r->demand_rate[p] *= share;
		}
	}
	/* the tie-break must stay below the loss of a cycle of every battery: the least lossy decides */
	for (i = 1; i < c->sub.n; i++)
		if (c->sub.bat[i].eta_charge * c->sub.bat[i].eta_discharge >
		    c->sub.bat[lossy].eta_charge * c->sub.bat[lossy].eta_discharge)
			lossy = i;
	if (c->o.setpoint != BESS_SETPOINT_BATTERY)
		pi->tilt = bess_setpoint_tilt(&c->sub.bat[lossy], r->price, r->export_price, len);
	/* the bills so far: blocks, minimum and export cap of the current bill, ratchet floors */
	if ((pi->floor_kw = calloc(r->nbill * r->nperiod + 1, sizeof(double))) == NULL ||
	    (pi->billed = calloc(r->nperiod + 1, sizeof(double))) == NULL)
		goto oom;
	if (r->nperiod == c->bill.nperiod)
		so_far = bess_sofar_window(&c->bill, r->bill_label[0], r, pi->billed, pi->floor_kw);
	for (p = 0; p < r->nperiod && p < BESS_STATE_MAX_PEAKS; p++) {
		pi->peak[p] = fmax(r->peak_so_far_kw[p], pi->billed[p]);
		if (strcmp(r->bill_label[0], c->peak_bill) == 0)
			for (i = 0; i < c->npeak; i++)
				if (strcmp(c->peak_name[i], r->period_name[p]) == 0 && c->peak_kw[i] > pi->peak[p])
					pi->peak[p] = c->peak_kw[i];
	}
	for (i = 0; i < c->sub.n; i++)
		pi->soc0[i] = c->bat[c->sub_idx[i]].soc;
	in->rates = r;
	in->n_active = len;
	in->load_kw = c->load;
	in->solar_kw = c->solar;
	in->import_limit_kw = c->il;
	in->export_limit_kw = c->el;
	in->soc_init_kwh = pi->soc0[0];
	in->bat_soc_init_kwh = c->sub.n > 1 ? pi->soc0 : NULL;
	in->peak_so_far_kw = r->nperiod <= BESS_STATE_MAX_PEAKS ? pi->peak : NULL;
	in->bill_so_far = so_far;
	in->ratchet_floor_kw = pi->floor_kw;
	in->win_before_kw = c->bill.wsum_kw;
	{	/* the last bill runs on past the window unless the window holds its end */
		char after[16];

		in->bill_open = bess_ctl_bill_at(c, c->ts[len - 1] + c->o.step_us, after) != 0 ||
		    strcmp(after, r->bill_label[r->bill[len - 1]]) == 0;
	}
	return 0;
oom:
	plan_in_free(pi);
	return bess_err_set(err, NULL, 0, "out of memory");
}

/*
 * Solve: the model for the batteries of mask (c->sub) built, or its window
 * shifted on to interval k and solved warm; the events laid; the window's
 * input loaded and solved. 0 (res holds the outcome); 1 when the solve
 * failed (err says why; the model is dropped, the next plan builds a new
 * one); -1 when no model could be built (err says why).
 */
static int
solve(struct bess_ctl *c, int64_t k, unsigned long long mask, size_t len, const struct plan_in *pi,
    struct bess_lp_result *res, struct bess_err *err)
{
	struct bess_lp_opts lo;
	unsigned need = bess_lp_flags_for_n(c->sub.bat, c->sub.n, &pi->in, len);
	int warm = 0;

	if (c->seen[BESS_CTL_SOLAR])
		need |= BESS_LP_SOLAR;
	if (c->lp == NULL || (need & ~c->flags) || k < c->lp_step || mask != c->lp_mask) {
		bess_lp_free(c->lp);
		c->flags |= need;
		c->lp_mask = mask;
		if (c->ev.n > 0)
			c->flags |= BESS_LP_SPLIT;	/* the events' rows need import apart from export */
		if ((c->lp = bess_lp_new_n(c->sub.bat, c->sub.n, c->s, c->o.horizon, c->dt_h, c->flags,
		    err)) == NULL || bess_ctl_events_model(c, err) != 0 ||
		    (c->dev && bess_lp_devices(c->lp, c->dev->dv, c->ts, len, c->dev->run.st, err) != 0)) {
			bess_lp_free(c->lp);
			c->lp = NULL;
			return -1;
		}
	} else {
		bess_lp_shift(c->lp, (size_t)(k - c->lp_step));
		warm = 1;
	}
	c->lp_step = k;
	bess_ctl_events_window(c, k);
	if (c->dev)	/* the window's step 0 is interval k */
		bess_lp_devices_times(c->lp, c->ts, len);
	memset(&lo, 0, sizeof(lo));
	lo.method = BESS_LP_SIMPLEX;
	lo.warm = warm;
	lo.milp = c->o.milp;
	if (bess_lp_update(c->lp, &pi->in, err) != 0 ||
	    bess_mpc_solve_n(c->lp, c->sub.bat, c->sub.n, c->s, &pi->in, len, c->il, &lo, res,
	    &c->plan_relaxed, err) != 0) {
		bess_lp_free(c->lp);
		c->lp = NULL;
		c->have_plan = 0;
		return 1;
	}
	return 0;
}

/* A solve without a schedule: the safe commands of the batteries of mask, and why (infeasible: what makes it so). */
static void
no_schedule(struct bess_ctl *c, const struct plan_in *pi, size_t len, enum bess_lp_status status,
    struct bess_ctl_cmd *cmds, unsigned long long mask)
{
	char diag[300], why[360];

	if (status == BESS_LP_INFEASIBLE) {
		diagnose(c, &pi->in, len, diag, sizeof(diag));
		snprintf(why, sizeof(why), "infeasible: %s", diag);
		bess_ctl_site_safe(c, cmds, mask, why);
	} else {
		bess_ctl_site_safe(c, cmds, mask, "the solver failed");
	}
	c->have_plan = 0;
}

/*
 * Read the plan back: the schedule of the len intervals from k for the
 * batteries of mask, its import caps and its bill over the horizon (at the
 * prices without the tie-break, the full demand rates), kept as the
 * standing plan.
 */
static void
take_plan(struct bess_ctl *c, int64_t k, unsigned long long mask, size_t len, struct plan_in *pi,
    struct bess_err *err)
{
	struct bess_rates *r = &pi->r;
	struct bess_cost cost;
	size_t i, p;

	bess_lp_schedule(c->lp, &c->plan);
	bess_setpoint_caps(r, c->plan.import_kw, len, pi->in.peak_so_far_kw, c->icap);
	for (i = 0; i < len; i++) {	/* the plan priced at the prices, without the tie-break */
		r->price[i] -= pi->tilt * (double)i;
		r->export_price[i] -= pi->tilt * (double)i;
	}
	for (p = 0; pi->full_rate && p < r->nperiod; p++)	/* and the full demand rates */
		r->demand_rate[p] = pi->full_rate[p];
	c->plan_energy = c->plan_export = c->plan_demand = c->plan_total = NAN;
	if (bess_rates_cost(r, c->plan.import_kw, c->plan.export_kw, c->plan.discharge_kw,
	    c->sub.n == 1 ? c->sub.bat[0].cycle_cost_per_kwh : 0, &cost, NULL, err) == 0) {
		c->plan_energy = cost.energy_cost;
		c->plan_export = cost.export_revenue;
		c->plan_demand = cost.demand_cost;
		c->plan_total = cost.total;
		if (c->sub.n > 1)	/* each battery's own cycle cost */
			c->plan_total += bess_fleet_degradation(&c->sub, &c->plan, c->dt_h, len, NULL);
		bess_cost_free(&cost);
	}
	c->have_plan = 1;
	c->plan_mask = mask;
	c->plan_export_ok = r->export_ok;
	c->plan_feed_in_kw = r->feed_in_limit_kw;
	c->plan_step = k;
	c->plan_len = len;
	c->dirty = 0;
}

/*
 * The commands of the interval that holds t: the standing plan's while it
 * holds, else a new plan over the window (assemble, solve, read back), else
 * the safe commands and why; a battery without a fresh SOC is left out.
 */
static int
command(struct bess_ctl *c, bess_time_t t, struct bess_ctl_cmd *cmds, struct bess_err *err)
{
	int64_t k = bess_floor_div(t, c->o.step_us);
	bess_time_t start = k * c->o.step_us;
	char why[360];
	struct plan_in pi;
	struct bess_lp_result res;
	size_t len, i;
	unsigned long long mask;
	int rc;

	if (bess_ctl_settle(c, k) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	bess_ctl_purge(c, k);
	len = bess_ctl_window(c, k);
	if (c->dev)	/* the devices' state now: the plan starts from it */
		bess_ctldev_advance(c->dev, start);
	if ((mask = battery_cmds(c, t, start, len, cmds)) == 0)
		return 0;
	if (site_trouble(c, t, start, len, why, sizeof(why))) {
		bess_ctl_site_safe(c, cmds, mask, why);
		return 0;
	}
	if (plan_holds(c, k, mask)) {
		plan_cmds(c, (size_t)(k - c->plan_step), cmds);
		return 0;
	}

	/* re-optimise over the intervals whose prices are known, with the batteries of mask */
	bess_ctl_set_sub(c, mask);
	if (c->plan.nbat != c->sub.n) {
		bess_lp_schedule_free(&c->plan);
		c->have_plan = 0;
		if (bess_lp_schedule_init_n(&c->plan, c->o.horizon, c->sub.n) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
	}
	if ((rc = assemble(c, k, len, &pi, err)) != 0) {
		if (rc > 0)
			bess_ctl_site_safe(c, cmds, mask, err->msg);
		return rc > 0 ? 0 : -1;
	}
	if ((rc = solve(c, k, mask, len, &pi, &res, err)) != 0) {
		if (rc > 0)
			bess_ctl_site_safe(c, cmds, mask, err->msg);
		plan_in_free(&pi);
		return rc > 0 ? 0 : -1;
	}
	for (i = 0; i < c->f.n; i++)
		if (mask >> i & 1) {
			cmds[i].solved = 1;
			cmds[i].solve_ms = res.solve_ms;
			cmds[i].iterations = res.iterations;
		}
	if (!BESS_LP_HAS_SCHEDULE(res.status)) {
		no_schedule(c, &pi, len, res.status, cmds, mask);
	} else {
		take_plan(c, k, mask, len, &pi, err);
		plan_cmds(c, 0, cmds);
		if (c->dev && bess_ctldev_plan(c->dev, c->lp, len) != 0) {	/* and the devices' part */
			c->have_plan = 0;
			plan_in_free(&pi);
			return bess_err_set(err, NULL, 0, "out of memory");
		}
	}
	plan_in_free(&pi);
	return 0;
}

int
bess_ctl_command(struct bess_ctl *c, bess_time_t t, struct bess_ctl_cmd *cmd, struct bess_err *err)
{
	int rc = command(c, t, cmd, err);
	size_t i;

	if (rc == 0 && c->dev) {	/* the devices' instructions: the plan's step when a battery follows it */
		int64_t k = bess_floor_div(t, c->o.step_us);
		size_t j = (size_t)-1;

		for (i = 0; i < c->f.n; i++)
			if (!cmd[i].safe && c->have_plan && k >= c->plan_step && k - c->plan_step < (int64_t)c->plan_len)
				j = (size_t)(k - c->plan_step);
		bess_ctldev_instruct(c->dev, k * c->o.step_us, j);
	}
	for (i = 0; i < c->f.n; i++) {
		cmd[i].net_load_kw = NAN;
		cmd[i].meter = c->o.follow != BESS_CTL_METER_OFF;
	}
	if (rc == 0) {	/* what bess_ctl_follow needs of the interval (the window starts there) */
		double lim = !isnan(c->el[0]) ? c->el[0] : c->s->export_limit_kw;

		c->cmd_step = bess_floor_div(t, c->o.step_us);
		c->cmd_safe = 1;
		for (i = 0; i < c->f.n; i++) {
			c->last[i] = cmd[i];
			c->cmd_safe &= cmd[i].safe;
			c->cmd_power_kw = (i ? c->cmd_power_kw : 0) + cmd[i].charge_kw - cmd[i].discharge_kw;
		}
		c->cmd_peak_kw = bess_ctl_peak_now(c, c->cmd_step * c->o.step_us);
		c->cmd_export_ok = c->plan_export_ok && c->s->export_mode != BESS_EXPORT_NONE &&
		    fmin(lim, c->plan_feed_in_kw) > 0;
	}
	return rc;
}

int
bess_ctl_follow(struct bess_ctl *c, bess_time_t t, double net_kw, struct bess_ctl_cmd *cmd)
{
	int64_t k = bess_floor_div(t, c->o.step_us);
	double ch[BESS_FLEET_MAX], dis[BESS_FLEET_MAX], start[BESS_FLEET_MAX];	/* per battery of the plan */
	struct bess_setpoint_cmd sc;
	size_t j, b, i;

	if (c->o.setpoint == BESS_SETPOINT_BATTERY || k != c->cmd_step || c->cmd_safe || !c->have_plan ||
	    k < c->plan_step || (size_t)(k - c->plan_step) >= c->plan_len || !isfinite(net_kw))
		return 1;
	j = (size_t)(k - c->plan_step);
	for (i = 0; i < c->f.n; i++) {	/* a battery left out of the plan keeps its (safe) command */
		cmd[i] = c->last[i];
		cmd[i].solved = 0;
	}
	for (b = 0; b < c->sub.n; b++) {
		struct bess_ctl_cmd *cb = &cmd[c->sub_idx[b]];

		memset(cb, 0, sizeof(*cb));
		cb->ts = k * c->o.step_us;
		cb->soc_kwh = c->bat[c->sub_idx[b]].soc;
		cb->price = NAN;
		if (c->f.given || c->dev)
			snprintf(cb->device, sizeof(cb->device), "%s", c->f.id[c->sub_idx[b]]);
		from_plan(c, j, b, cb);
		ch[b] = cb->charge_kw;
		dis[b] = cb->discharge_kw;
		start[b] = cb->soc_kwh * bess_battery_keep(&c->sub.bat[b], c->dt_h);
	}
	sc.charge_kw = sc.discharge_kw = 0;	/* (each battery's plan is in ch and dis) */
	sc.grid_kw = cmd[c->sub_idx[0]].grid_target_kw;
	sc.cap_kw = cmd[c->sub_idx[0]].import_cap_kw;
	sc.peak_kw = c->cmd_peak_kw;	/* as a backtest's step: the readings of the interval itself are not the peak */
	if (isfinite(sc.peak_kw) && isfinite(sc.cap_kw))
		sc.cap_kw = fmax(sc.cap_kw, sc.peak_kw);
	/* the batteries of the plan hold the meter in the order given, as a backtest's step does */
	bess_setpoint_apply_n(c->o.setpoint, c->sub.bat, c->sub.n, c->dt_h, start, &sc, net_kw, c->cmd_export_ok,
	    ch, dis);
	for (b = 0; b < c->sub.n; b++) {
		cmd[c->sub_idx[b]].charge_kw = ch[b];
		cmd[c->sub_idx[b]].discharge_kw = dis[b];
	}
	for (i = 0; i < c->f.n; i++) {
		cmd[i].follow = 1;
		cmd[i].meter = 1;
		cmd[i].net_load_kw = net_kw;
		c->cmd_power_kw = (i ? c->cmd_power_kw : 0) + cmd[i].charge_kw - cmd[i].discharge_kw;
	}
	return 0;
}

int
bess_ctl_follow_event(struct bess_ctl *c, const struct bess_ctl_event *ev, struct bess_ctl_cmd *cmd)
{
	double net;

	if (c->o.follow == BESS_CTL_METER_LOAD && !isnan(ev->v[BESS_CTL_LOAD]))
		net = ev->v[BESS_CTL_LOAD] - (isnan(ev->v[BESS_CTL_SOLAR]) ? 0 : fmax(0, ev->v[BESS_CTL_SOLAR]));
	else if (c->o.follow == BESS_CTL_METER_GRID && !isnan(ev->grid_import_kw))
		net = ev->grid_import_kw - c->cmd_power_kw;
	else
		return 1;
	return bess_ctl_follow(c, ev->ts, net, cmd);
}
