/* bess_offer.h: is a demand-response invitation worth accepting? The plan solved with and without each offered event. */
#ifndef BESS_OFFER_H
#define BESS_OFFER_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_devices.h"
#include "bess_err.h"
#include "bess_event.h"
#include "bess_lp.h"

/* One offered event, weighed. */
struct bess_offer {
	const struct bess_event_plan *plan;	/* the offered event on the grid */
	enum bess_lp_status status;	/* of the solve with it (a schedule unless INFEASIBLE/FAILED) */
	double objective;		/* the plan's objective with it (the accepted events and this one) */
	double change;			/* objective with it - objective without it: < 0 earns */
	int accept;			/* 1 when it earns more than 1e-9 (change < -1e-9) and was solved */
	struct bess_event_result res;	/* the event settled against the plan with it */
};

/*
 * Weigh offer against the plan with the accepted events only (whose
 * objective is base_objective): solve the model of the nbat batteries
 * b[0..nbat-1] at site s over the input in (n steps from its first, which
 * must be 0; flags as bess_lp_flags_for_n) with
 * accepted[0..nacc) and the offer (and the controllable loads dv, may be
 * NULL, on the steps ts as bess_lp_devices), settle the offer against that plan.
 * 0 with r filled (r->status says whether it was solved), -1 with err.
 */
int bess_offer_weigh(const struct bess_battery *b, size_t nbat, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, unsigned flags, const struct bess_lp_opts *lo,
    const struct bess_event_plan *accepted, size_t nacc, const struct bess_event_plan *offer,
    const struct bess_devices *dv, const bess_time_t *ts, double base_objective,
    struct bess_offer *r, struct bess_err *err);

#endif
