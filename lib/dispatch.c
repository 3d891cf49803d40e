/* dispatch.c: bess-dispatch's runs over a history — inputs loaded, the simulator or the backtest run, and their records, breakdown, summary and warnings made. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_dispatch.h"
#include "bess_rows.h"
#include "bess_rule.h"

enum {
	O_EVERY = BESS_DISPATCH_OPT_BASE, O_FORECAST, O_PROFILE_DAYS, O_DA_PUBLISH, O_RULE, O_NO_OPTIMUM,
	O_SOLVE, O_METHOD, O_BY
};

const struct bess_optdef bess_dispatch_optdefs[] = {
	{ "every", 0, BESS_OPT_ARG, O_EVERY },
	{ "forecast", 0, BESS_OPT_ARG, O_FORECAST },
	{ "profile-days", 0, BESS_OPT_ARG, O_PROFILE_DAYS },
	{ "da-publish", 0, BESS_OPT_ARG, O_DA_PUBLISH },
	{ "rule", 0, BESS_OPT_ARG, O_RULE },
	{ "no-optimum", 0, BESS_OPT_FLAG, O_NO_OPTIMUM },
	{ "solve", 0, BESS_OPT_ARG, O_SOLVE },
	{ "method", 0, BESS_OPT_ARG, O_METHOD },
	{ "by", 0, BESS_OPT_ARG, O_BY },
	{ NULL, 0, 0, 0 }
};

void
bess_dispatch_opts_init(struct bess_dispatch_opts *o)
{
	int k;

	memset(o, 0, sizeof(*o));
	bess_fc_spec_init(&o->fc);
	/* a backtest's default is what a site can have: perfect foresight only when asked for */
	for (k = 0; k < BESS_FC_NQ; k++)
		o->fc.m[k] = BESS_FC_PERSISTENCE;
	o->bo.every = 1;
	o->bo.da_min = -1;
	o->bo.rule_lo = 0.25;
	o->bo.rule_hi = 0.75;
	o->by = BESS_BY_MONTH;
}

int
bess_dispatch_is_opt(int id)
{
	return id >= BESS_DISPATCH_OPT_BASE && id < BESS_DISPATCH_OPT_END;
}

int
bess_dispatch_set(struct bess_dispatch_opts *o, int id, const char *arg, struct bess_err *err)
{
	long long v;
	char *end;
	int k;

	switch (id) {
	case O_EVERY:
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (errno || *end || v < 1 || v > 1000000000)
			return bess_err_set(err, NULL, 0, "'%s' is not a whole number of steps (1 or more)", arg);
		o->bo.every = (size_t)v;
		return 0;
	case O_FORECAST:
		return bess_fc_spec_parse(&o->fc, arg, err);
	case O_PROFILE_DAYS:
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (errno || *end || v < 1 || v > 3660)
			return bess_err_set(err, NULL, 0, "'%s' is not a number of days (1 to 3660)", arg);
		o->fc.profile_days = (int)v;
		return 0;
	case O_DA_PUBLISH:
		if (strcmp(arg, "none") == 0) {
			o->bo.da_min = -1;
			return 0;
		}
		if ((o->bo.da_min = bess_clock_min(arg, strlen(arg))) < 0 || o->bo.da_min >= 24 * 60)
			return bess_err_set(err, NULL, 0, "'%s' is not a local time of day (12:00)", arg);
		return 0;
	case O_RULE:
		return bess_rule_parse(arg, &o->bo.rule_lo, &o->bo.rule_hi, err);
	case O_NO_OPTIMUM:
		o->bo.no_optimum = 1;
		return 0;
	case O_SOLVE:
		return bess_opt_pick(arg, (const char *const[]){ "warm", "cold", NULL }, &o->bo.cold, err);
	case O_METHOD:
		if (bess_opt_pick(arg, (const char *const[]){ "auto", "simplex", "interior", NULL }, &k, err) != 0)
			return -1;
		o->bo.method = k == 0 ? BESS_LP_AUTO : k == 1 ? BESS_LP_SIMPLEX : BESS_LP_INTERIOR;
		return 0;
	case O_BY:
		if (bess_opt_pick(arg, (const char *const[]){ "day", "month", NULL }, &k, err) != 0)
			return -1;
		o->by = k == 0 ? BESS_BY_DAY : BESS_BY_MONTH;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

int
bess_dispatch_open(struct bess_dispatch *d, const struct bess_dispatch_opts *o, const struct bess_history *h,
    struct bess_err *err)
{
	memset(d, 0, sizeof(*d));
	d->o = o;
	d->h = h;
	d->bo = o->bo;
	d->bo.fc = &o->fc;
	d->bo.tz = o->tz;
	d->bo.horizon_us = o->cf->horizon_us;
	d->bo.setpoint = (enum bess_setpoint)o->cf->setpoint;
	d->bo.nowcast_h = bess_ctlconf_nowcast_h(o->cf);
	d->bo.amortize = o->cf->amortize;
	if (o->cf->events && bess_backtest_events(h, o->cf->events, o->cf->baseline_from, &d->events, &d->lh,
	    &d->plans, err) != 0)
		return -1;
	d->nplans = d->plans ? d->events.n : 0;
	if (o->devices && (d->dv = bess_devices_load(o->devices, err)) == NULL)
		return -1;
	if (!o->backtest)
		return 0;
	d->bo.devices = d->dv;
	if (d->dv)
		d->bo.rule_lo = -1;	/* the rule does not control devices */
	d->bo.events = d->plans;
	d->bo.nevents = d->nplans;
	if (bess_backtest_init(&d->bt, o->site, o->tariff, h, &d->bo, err) != 0)
		return -1;
	if (d->bo.every > d->bt.horizon) {
		bess_err_set(err, NULL, 0, "--every %zu steps is longer than the horizon (%zu steps of %g s)",
		    d->bo.every, d->bt.horizon, (double)h->step_us / 1e6);
		return BESS_DISPATCH_USAGE;
	}
	return 0;
}

int
bess_dispatch_run(struct bess_dispatch *d, struct bess_err *err)
{
	const struct bess_dispatch_opts *o = d->o;
	size_t e;

	if (o->backtest)
		return bess_backtest_run_fleet(&d->bt, o->fleet, o->site, &d->bo, err);
	if (d->dv ? bess_simulate_run_devices(&d->sm, &d->sdp, o->fleet, o->site, o->tariff, d->h, o->commands,
	    d->dv, err) != 0 : bess_simulate_run_fleet(&d->sm, o->fleet, o->site, o->tariff, d->h, o->commands,
	    err) != 0)
		return -1;
	if ((d->evr = calloc(d->events.n + 1, sizeof(*d->evr))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (e = 0; e < d->nplans; e++)
		bess_event_settle(&d->plans[e], d->sm.tr.import_kw, &d->evr[e]);
	return 0;
}

/* The run's trajectory and its per-step cost, whichever mode. */
static const struct bess_traj *
traj(const struct bess_dispatch *d, const double **step_cost)
{
	*step_cost = d->o->backtest ? d->bt.step_cost : d->sm.step_cost;
	return d->o->backtest ? &d->bt.tr : &d->sm.tr;
}

static const char *const traj_cols[] = {
	"command_kw", "charge_kw", "discharge_kw", "battery_kw", "soc_kwh", "soc_pct",
	"grid_import_kw", "grid_export_kw", "curtail_kw", "cost", "clip", NULL
};

int
bess_dispatch_traj(const struct bess_dispatch *d, FILE *fp, struct bess_err *err)
{
	const struct bess_history *h = d->h;
	const double *step_cost;
	const struct bess_traj *tr = traj(d, &step_cost);
	struct bess_rows rw;
	size_t i;
	int solar = h->col[BESS_H_SOLAR] != NULL || h->col[BESS_H_SOLAR_FC] != NULL;

	bess_err_clear(err);
	if (bess_rows_open(&rw, fp, d->o->fmt, h->t, traj_cols, solar ? NULL : "curtail_kw", err) != 0)
		return -1;
	for (i = 0; i < tr->n; i++) {
		char clip[64];

		bess_rows_start(&rw, i);
		if (isnan(tr->command_kw[i]))
			bess_rows_text(&rw, "", BESS_K_NULL);
		else
			bess_rows_num(&rw, tr->command_kw[i]);
		bess_rows_num(&rw, tr->charge_kw[i]);
		bess_rows_num(&rw, tr->discharge_kw[i]);
		bess_rows_num(&rw, bess_battery_kw(tr->charge_kw[i], tr->discharge_kw[i]));
		bess_rows_num(&rw, tr->soc_kwh[i]);
		bess_rows_num(&rw, bess_soc_pct(d->o->fleet->capacity_kwh, tr->soc_kwh[i]));
		bess_rows_num(&rw, tr->import_kw[i]);
		bess_rows_num(&rw, tr->export_kw[i]);
		if (solar)
			bess_rows_num(&rw, tr->curtail_kw[i]);
		bess_rows_num(&rw, step_cost[i]);
		bess_clip_format(tr->clip[i], clip, sizeof(clip));
		bess_rows_text(&rw, clip, clip[0] ? BESS_K_STR : BESS_K_NULL);
		if (bess_rows_write(&rw, err) != 0)
			return bess_rows_close(&rw, 0, err);
	}
	return bess_rows_close(&rw, 1, err);
}

int
bess_dispatch_per_device(const struct bess_dispatch *d, char **buf, size_t *len)
{
	const struct bess_history *h = d->h;
	const struct bess_lp_schedule *per = d->o->backtest ? &d->bt.per : &d->sm.per;

	*buf = NULL;
	*len = 0;
	if (bess_fleet_devrec_buf(d->o->fleet, per, h->t->ts, h->ser.dt_h, h->t->n, d->o->fmt, buf, len) != 0 ||
	    (d->dv && bess_devplan_records(d->o->backtest ? &d->bt.dp : &d->sdp, h->t->ts, d->o->fmt, buf,
	    len) != 0)) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

int
bess_dispatch_breakdown(const struct bess_dispatch *d, char **buf, size_t *len, struct bess_err *err)
{
	const struct bess_dispatch_opts *o = d->o;
	struct bess_breakdown_more m;

	memset(&m, 0, sizeof(m));
	if (o->backtest) {
		m.rates = &d->bt.o.rates;
		m.cost = &d->bt.cost;
		m.base = &d->bt.base;
		m.dp = d->dv ? &d->bt.dp : NULL;
		return bess_breakdown(d->h, o->tz, o->by, o->fmt, o->fleet->capacity_kwh, &d->bt.tr,
		    d->bt.step_cost, d->bt.base_cost, d->bt.idle.import_kw, d->bt.have_opt ? d->bt.opt_cost : NULL,
		    d->bt.have_rule ? d->bt.rule_cost : NULL, d->plans, d->bt.ev, d->plans ? d->bt.nev : 0, &m,
		    buf, len, err);
	}
	m.rates = &d->sm.rates;
	m.cost = &d->sm.cost;
	m.base = &d->sm.base;
	m.dp = d->dv ? &d->sdp : NULL;
	return bess_breakdown(d->h, o->tz, o->by, o->fmt, o->fleet->capacity_kwh, &d->sm.tr, d->sm.step_cost,
	    d->sm.base_cost, d->sm.idle.import_kw, NULL, NULL, d->plans, d->evr, d->nplans, &m, buf, len, err);
}

void
bess_dispatch_warnings(const struct bess_dispatch *d, void (*warn)(void *ctx, const char *msg), void *ctx)
{
	if (d->dv)
		bess_devplan_warnings(d->o->backtest ? &d->bt.dp : &d->sdp, 0, warn, ctx);
}

void
bess_dispatch_summary(const struct bess_dispatch *d, struct bess_kv *k, char *human, size_t len)
{
	const struct bess_dispatch_opts *o = d->o;

	if (o->backtest) {
		bess_summary_backtest(k, &d->bt, &o->fleet->bat[0], o->site, d->h, &d->bo);
		bess_backtest_line(&d->bt, human, len);
		return;
	}
	bess_summary_simulate(k, &d->sm, &o->fleet->bat[0], o->site, d->h);
	bess_summary_events(k, d->plans, d->evr, d->nplans, &d->sm.cost, &d->sm.base,
	    d->dv ? d->sdp.all.shed_cost : 0);
	if (d->dv) {
		if (d->nplans == 0)
			bess_summary_net(k, &d->sm.cost, &d->sm.base, d->sdp.all.shed_cost);
		bess_devplan_summary(k, &d->sdp);
	}
	bess_simulate_line(&d->sm, human, len);
}

void
bess_dispatch_free(struct bess_dispatch *d)
{
	bess_simulate_free(&d->sm);
	bess_devplan_free(&d->sdp);
	bess_backtest_free(&d->bt);
	free(d->evr);
	bess_event_plans_free(d->plans, d->events.n);
	bess_events_free(&d->events);
	bess_load_history_free(&d->lh);
	bess_devices_free(d->dv);
	memset(d, 0, sizeof(*d));
}
