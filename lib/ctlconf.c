/* ctlconf.c: the controller's settings as a tool states them — its options stored, then made into bess_ctl_opts, and the controller built with its events. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_ctlconf.h"
#include "bess_qty.h"

enum {
	O_HORIZON = BESS_CTLCONF_OPT_BASE, O_STEP, O_STALE, O_SAFE, O_SETPOINT, O_NOWCAST, O_AMORTIZE,
	O_FOLLOW_METER, O_CLOCK, O_EVENTS, O_BASELINE_FROM
};

const struct bess_optdef bess_ctlconf_optdefs[] = {
	{ "horizon", 0, BESS_OPT_ARG, O_HORIZON },
	{ "step", 0, BESS_OPT_ARG, O_STEP },
	{ "stale", 0, BESS_OPT_ARG, O_STALE },
	{ "safe", 0, BESS_OPT_ARG, O_SAFE },
	{ "setpoint", 0, BESS_OPT_ARG, O_SETPOINT },
	{ "nowcast", 0, BESS_OPT_ARG, O_NOWCAST },
	{ "amortize", 0, BESS_OPT_ARG, O_AMORTIZE },
	{ "follow-meter", 0, BESS_OPT_ARG, O_FOLLOW_METER },
	{ "clock", 0, BESS_OPT_ARG, O_CLOCK },
	{ "events", 0, BESS_OPT_ARG, O_EVENTS },
	{ "baseline-from", 0, BESS_OPT_ARG, O_BASELINE_FROM },
	{ NULL, 0, 0, 0 }
};

void
bess_ctlconf_init(struct bess_ctlconf *cf)
{
	memset(cf, 0, sizeof(*cf));
	cf->step_us = 15 * 60 * BESS_US_PER_S;
	cf->horizon_us = 48 * BESS_US_PER_H;
	cf->stale_us = BESS_US_PER_H;
	cf->safe_kwh = cf->safe_pct = NAN;
	cf->setpoint = BESS_SETPOINT_GRID;
	cf->nowcast_us = 4 * BESS_US_PER_H;
	cf->amortize = 1;
}

void
bess_ctlconf_free(struct bess_ctlconf *cf)
{
	free(cf->events);
	free(cf->baseline_from);
	cf->events = cf->baseline_from = NULL;
}

int
bess_ctlconf_is_opt(int id)
{
	return id >= BESS_CTLCONF_OPT_BASE && id < BESS_CTLCONF_OPT_END;
}

/* --safe: idle, or a SOC to hold in kWh or % of capacity. */
static int
safe(struct bess_ctlconf *cf, const char *arg, struct bess_err *err)
{
	struct bess_qty q;
	char why[200];

	if (strcmp(arg, "idle") == 0) {
		cf->safe_hold = 0;
		return 0;
	}
	if (bess_qty_parse(arg, BESS_DIM_ENERGY | BESS_DIM_PERCENT, &q, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s (or idle)", why);
	if (q.value < 0 || (q.dim == BESS_DIM_PERCENT && q.value > 100))
		return bess_err_set(err, NULL, 0, "'%s' is outside the battery", arg);
	cf->safe_hold = 1;
	cf->safe_kwh = q.dim == BESS_DIM_ENERGY ? q.value : NAN;
	cf->safe_pct = q.dim == BESS_DIM_PERCENT ? q.value : NAN;
	return 0;
}

int
bess_ctlconf_set(struct bess_ctlconf *cf, int id, const char *arg, struct bess_err *err)
{
	long long us;

	switch (id) {
	case O_HORIZON:
		return bess_opt_dur(arg, &cf->horizon_us, err);
	case O_STEP:
		return bess_opt_dur(arg, &cf->step_us, err);
	case O_STALE:
		return bess_opt_dur(arg, &cf->stale_us, err);
	case O_SAFE:
		return safe(cf, arg, err);
	case O_SETPOINT:
		return bess_opt_pick(arg, (const char *const[]){ "battery", "guard", "grid", NULL }, &cf->setpoint, err);
	case O_NOWCAST:
		if (strcmp(arg, "off") == 0) {
			cf->nowcast_us = 0;
			return 0;
		}
		if (bess_opt_dur(arg, &us, err) != 0)
			return -1;
		if (us <= 0)
			return bess_err_set(err, NULL, 0, "'%s' is not a half-life above zero (or off)", arg);
		cf->nowcast_us = us;
		return 0;
	case O_AMORTIZE:
		return bess_opt_pick(arg, (const char *const[]){ "off", "on", NULL }, &cf->amortize, err);
	case O_FOLLOW_METER:
		return bess_opt_pick(arg, (const char *const[]){ "off", "load", "grid", NULL }, &cf->follow_meter, err);
	case O_CLOCK:
		return bess_opt_pick(arg, (const char *const[]){ "wall", "events", NULL }, &cf->clock_events, err);
	case O_EVENTS:
		return bess_opt_str(&cf->events, arg, err);
	case O_BASELINE_FROM:
		return bess_opt_str(&cf->baseline_from, arg, err);
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

double
bess_ctlconf_nowcast_h(const struct bess_ctlconf *cf)
{
	return (double)cf->nowcast_us / 3.6e9;
}

int
bess_ctlconf_check(const struct bess_ctlconf *cf, const struct bess_fleet *f, struct bess_err *err)
{
	size_t k;

	for (k = 0; k < f->n; k++)
		if (cf->safe_hold && !isnan(cf->safe_kwh) && cf->safe_kwh > f->bat[k].capacity_kwh)
			return bess_err_set(err, NULL, 0, "--safe: %g kWh is above the capacity", cf->safe_kwh);
	return 0;
}

struct bess_ctl *
bess_ctlconf_new(const struct bess_ctlconf *cf, const struct bess_fleet *f, const struct bess_site *s,
    const struct bess_tariff *tariff, struct bess_err *err)
{
	struct bess_ctl_opts co;
	struct bess_ctl *ctl;

	memset(&co, 0, sizeof(co));
	co.step_us = cf->step_us;
	co.horizon = (size_t)((cf->horizon_us + cf->step_us - 1) / cf->step_us);
	if (co.horizon < 1)
		co.horizon = 1;
	co.stale_us = cf->stale_us;
	co.safe_hold = cf->safe_hold;
	co.safe_soc_kwh = isnan(cf->safe_pct) ? cf->safe_kwh : bess_soc_kwh(f->bat[0].capacity_kwh, cf->safe_pct);
	co.safe_in_pct = !isnan(cf->safe_pct);
	co.safe_soc_pct = cf->safe_pct;
	co.milp = s->milp;
	co.setpoint = (enum bess_setpoint)cf->setpoint;
	co.amortize = cf->amortize;
	co.nowcast_h = bess_ctlconf_nowcast_h(cf);
	co.follow = (enum bess_ctl_meter)cf->follow_meter;
	if ((ctl = bess_ctl_new_fleet(f, s, tariff, &co, err)) == NULL)
		return NULL;
	if (cf->events && bess_ctl_events(ctl, cf->events, cf->baseline_from, err) != 0) {
		bess_ctl_free(ctl);
		return NULL;
	}
	return ctl;
}
