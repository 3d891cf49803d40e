/* ctlevent.c: demand-response events in the live controller — laid on its grid of intervals, settled in its summary, kept in its state. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_int.h"

int
bess_ctl_events(struct bess_ctl *c, const char *events_path, const char *baseline_path,
    struct bess_err *err)
{
	struct bess_load_history h;
	int64_t a, b;
	size_t i, j;
	int rc;

	memset(&h, 0, sizeof(h));
	if (bess_events_load(&c->ev, events_path, err) != 0)
		return -1;
	if (c->ev.n == 0)
		return 0;
	if (baseline_path && bess_load_history_read(&h, baseline_path, err) != 0)
		return -1;
	/* the grid: from a horizon before the first event (earlier windows see none) to the last's end */
	a = bess_floor_div(c->ev.ev[0].start_us, c->o.step_us) - (int64_t)c->o.horizon;
	b = a;
	for (i = 0; i < c->ev.n; i++)
		b = b > bess_floor_div(c->ev.ev[i].end_us - 1, c->o.step_us) + 1 ?
		    b : bess_floor_div(c->ev.ev[i].end_us - 1, c->o.step_us) + 1;
	if (a < 0)
		a = 0;
	c->ev_step0 = a;
	c->ev_n = (size_t)(b - a);
	rc = bess_event_plan(&c->ev, a * c->o.step_us, c->o.step_us, c->ev_n, h.n ? &h : NULL, &c->evp, err);
	bess_load_history_free(&h);
	if (rc != 0) {
		bess_events_free(&c->ev);	/* (no plans: nothing laid) */
		return -1;
	}
	if ((c->ev_past = calloc(c->ev_n + 1, sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (i = 0; i < c->ev.n; i++)	/* an interval with no reading counts at its baseline */
		for (j = 0; j < c->evp[i].m; j++)
			c->ev_past[c->evp[i].first + j] = c->evp[i].baseline_kw[j];
	c->dirty = 1;
	return 0;
}

/* The import metered in interval k, kW: what the events count there from now on (outside their grid: nothing). */
void
bess_ctl_event_metered(struct bess_ctl *c, int64_t k, double import_kw)
{
	if (c->ev_past && k >= c->ev_step0 && k - c->ev_step0 < (int64_t)c->ev_n)
		c->ev_past[k - c->ev_step0] = import_kw;
}

/* The events' rows in a new model (bess_lp_events; none: nothing). 0, or -1 (err). */
int
bess_ctl_events_model(struct bess_ctl *c, struct bess_err *err)
{
	return c->ev.n > 0 ? bess_lp_events(c->lp, c->evp, c->ev.n, err) : 0;
}

/* The events as the window from interval k sees them, with the import metered before it. */
void
bess_ctl_events_window(struct bess_ctl *c, int64_t k)
{
	if (c->ev.n > 0)	/* a window before the grid sees no event: laid at 0, the grid's first event is a horizon on */
		bess_lp_events_at(c->lp, k >= c->ev_step0 ? (size_t)(k - c->ev_step0) : 0, c->ev_past);
}

/*
 * The events the plan meets (a window overlapping the horizon from
 * interval j0 of the plan), settled against the import metered before it
 * (or the baseline), the plan's, and the baseline after it: "dr_payment",
 * "dr_penalty" and "events" (bess_summary_event).
 */
void
bess_ctl_summary_events(const struct bess_ctl *c, int have, size_t j0, struct bess_kv *k)
{
	int64_t a = c->plan_step + (int64_t)j0 - c->ev_step0, b = c->plan_step + (int64_t)c->plan_len - c->ev_step0;
	double *imp = malloc((c->ev_n + 1) * sizeof(double)), pay = 0, pen = 0;
	struct bess_kv_list l;
	size_t e;
	int64_t i;

	if (imp == NULL) {
		k->oom = 1;
		return;
	}
	memcpy(imp, c->ev_past, c->ev_n * sizeof(double));
	for (i = a > 0 ? a : 0; have && i < b && i < (int64_t)c->ev_n; i++)
		imp[i] = c->plan.import_kw[(size_t)(i + c->ev_step0 - c->plan_step)];
	bess_kv_list_open(&l);
	for (e = 0; have && e < c->ev.n; e++) {
		const struct bess_event_plan *p = &c->evp[e];
		struct bess_event_result r;
		struct bess_kv d;

		if ((int64_t)(p->first + p->m) <= a || (int64_t)p->first >= b)
			continue;	/* not in the plan's horizon */
		bess_event_settle(p, imp, &r);
		pay += r.payment;
		pen += r.penalty;
		bess_kv_init(&d);
		bess_summary_event(&d, p, &r);
		bess_kv_list_push(&l, &d);
	}
	free(imp);
	bess_kv_fig(k, "dr_payment", have ? pay : NAN);
	bess_kv_fig(k, "dr_penalty", have ? pen : NAN);
	bess_kv_list_add(&l, k, "events");
}

/* The event whose window holds grid interval i, or -1. */
static long
event_at(const struct bess_ctl *c, int64_t i)
{
	size_t e;

	for (e = 0; e < c->ev.n; e++)
		if (i >= (int64_t)c->evp[e].first && i < (int64_t)(c->evp[e].first + c->evp[e].m))
			return (long)e;
	return -1;
}

/* The event under way when the state was saved: its import so far, on its first interval (the LP sums them). */
void
bess_ctl_restore_event(struct bess_ctl *c, const struct bess_state *st)
{
	size_t e, j;

	if (c->ev.n == 0 || st->dr_event[0] == '\0' || c->settled == INT64_MIN)
		return;
	for (e = 0; e < c->ev.n && strcmp(c->ev.ev[e].id, st->dr_event) != 0; e++)
		;
	if (e == c->ev.n)
		return;	/* (an event no longer in the file) */
	for (j = 0; j < c->evp[e].m; j++) {
		size_t i = c->evp[e].first + j;

		if ((int64_t)i + c->ev_step0 > c->settled)
			break;
		c->ev_past[i] = j == 0 ? st->dr_import_kwh / c->dt_h : 0;
	}
}

void
bess_ctl_save_event(const struct bess_ctl *c, struct bess_state *st)
{
	int64_t i = c->settled == INT64_MIN ? -1 : c->settled - c->ev_step0;
	long e = c->ev.n > 0 && i >= 0 && i < (int64_t)c->ev_n ? event_at(c, i) : -1;
	size_t j;

	st->dr_event[0] = '\0';
	st->dr_import_kwh = 0;
	if (e < 0)
		return;
	snprintf(st->dr_event, sizeof(st->dr_event), "%s", c->ev.ev[e].id);
	for (j = c->evp[e].first; (int64_t)j <= i; j++)
		st->dr_import_kwh += c->dt_h * c->ev_past[j];
}
