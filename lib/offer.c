/* offer.c: a demand-response invitation weighed — the plan solved with the offered event beside the accepted ones, against the plan without it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_offer.h"

int
bess_offer_weigh(const struct bess_battery *b, size_t nbat, const struct bess_site *s,
    const struct bess_lp_input *in, size_t n, unsigned flags, const struct bess_lp_opts *lo,
    const struct bess_event_plan *accepted, size_t nacc, const struct bess_event_plan *offer,
    const struct bess_devices *dv, const bess_time_t *ts, double base_objective,
    struct bess_offer *r, struct bess_err *err)
{
	struct bess_event_plan *all;
	struct bess_lp *lp = NULL;
	struct bess_lp_result res;
	struct bess_lp_schedule sc;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	memset(&sc, 0, sizeof(sc));
	r->plan = offer;
	r->objective = r->change = NAN;
	if (in->first != 0)
		return bess_err_set(err, NULL, 0, "an offer is weighed over the whole input (first step 0)");
	if ((all = malloc((nacc + 1) * sizeof(*all))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	if (nacc)
		memcpy(all, accepted, nacc * sizeof(*all));	/* shallow: the baselines stay the callers' */
	all[nacc] = *offer;
	if ((lp = bess_lp_new_n(b, nbat, s, n, in->rates->dt_h, flags | BESS_LP_SPLIT, err)) == NULL ||
	    bess_lp_events(lp, all, nacc + 1, err) != 0 ||
	    (dv && bess_lp_devices(lp, dv, ts, n, NULL, err) != 0) || bess_lp_update(lp, in, err) != 0 ||
	    bess_lp_solve(lp, lo, &res, err) != 0)
		goto done;
	r->status = res.status;
	if (BESS_LP_HAS_SCHEDULE(res.status)) {
		if (bess_lp_schedule_init_n(&sc, n, nbat) != 0) {
			bess_err_set(err, NULL, 0, "out of memory");
			goto done;
		}
		bess_lp_schedule(lp, &sc);
		bess_event_settle(offer, sc.import_kw, &r->res);
		r->objective = res.objective;
		r->change = res.objective - base_objective;
		r->accept = r->change < -1e-9;
	}
	rc = 0;
done:
	bess_lp_schedule_free(&sc);
	bess_lp_free(lp);
	free(all);
	return rc;
}
