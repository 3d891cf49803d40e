/* ctlconf.c: the controller's settings as a tool states them made into bess_ctl_opts, and the controller built with its events. */
#include <math.h>
#include <string.h>

#include "bess_ctlconf.h"

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
	co.safe_soc_kwh = isnan(cf->safe_pct) ? cf->safe_kwh : f->bat[0].capacity_kwh * cf->safe_pct / 100;
	co.safe_in_pct = !isnan(cf->safe_pct);
	co.safe_soc_pct = cf->safe_pct;
	co.milp = s->milp;
	co.setpoint = (enum bess_setpoint)cf->setpoint;
	co.amortize = cf->amortize;
	co.nowcast_h = (double)cf->nowcast_us / 3.6e9;
	co.follow = (enum bess_ctl_meter)cf->follow_meter;
	if ((ctl = bess_ctl_new_fleet(f, s, tariff, &co, err)) == NULL)
		return NULL;
	if (cf->events && bess_ctl_events(ctl, cf->events, cf->baseline_from, err) != 0) {
		bess_ctl_free(ctl);
		return NULL;
	}
	return ctl;
}
