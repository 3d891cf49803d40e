/* test_event.c: demand-response events — the like-days baseline (day kind, event days skipped, "X of Y", a local zone) and the settlement, against hand calculations on a hand-built history. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_event.h"
#include "fixture.h"
#include "tap.h"

#define D (24 * H)

/* 2025-01-01T00:00:00Z, a Wednesday */
static const bess_time_t JAN1 = 1735689600LL * 1000000LL;

static struct bess_event
ev(const char *id, int day, int hour_utc, enum bess_event_kind kind, double qty, double base_kw,
    int days, const char *tz)
{
	struct bess_event e;

	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "%s", id);
	e.kind = kind;
	e.start_us = JAN1 + (day - 1) * D + hour_utc * H;
	e.end_us = e.start_us + H;
	if (kind == BESS_EVENT_CAP)
		e.cap_kw = qty;
	else
		e.reduce_kwh = qty;
	e.payment = 0.5;
	e.penalty = 1;
	e.baseline_kw = base_kw;
	e.days = e.high = days;
	snprintf(e.tz, sizeof(e.tz), "%s", tz);
	return e;
}

int
main(void)
{
	/*
	 * History: hourly from 1 January 00:00Z to 16 January 23:00Z; the net load at hour h
	 * (UTC) of day d is d + h/100 kW.
	 */
	static bess_time_t ts[16 * 24];
	static double net[16 * 24];
	struct bess_load_history hist;
	struct bess_event list[4];
	struct bess_events set;
	struct bess_event_plan *p = NULL;
	struct bess_event_result r;
	struct bess_err err;
	double imp[120];
	size_t i;

	for (i = 0; i < 16 * 24; i++) {
		ts[i] = JAN1 + (bess_time_t)i * H;
		net[i] = (double)(i / 24 + 1) + (double)(i % 24) / 100;
	}
	memset(&hist, 0, sizeof(hist));
	hist.ts = ts;
	hist.net_kw = net;
	hist.n = 16 * 24;
	snprintf(hist.file, sizeof(hist.file), "hist");
	/*
	 * e1: Friday 17 January 10:00Z, a cap of 3 kW against a given 5 kW: requested 2 kWh.
	 * e2: Saturday 18 January 10:00Z, from the history: the weekend days before it are the
	 *     12th, 11th, 5th, 4th (all there are): (12.10 + 11.10 + 5.10 + 4.10) / 4 = 8.10.
	 * e3: Monday 20 January 10:00Z, 3 like days: the 17th holds e1 and is skipped, the 18th
	 *     and 19th are a weekend: the 16th, 15th, 14th: 15.10.
	 * e4: Tuesday 21 January 17:00 in Berlin (16:00Z), 1 like day: the 20th has no data, the
	 *     17th holds e1: the 16th at 17:00 Berlin = 16:00Z: 16.16 (16.17 if read as UTC).
	 */
	list[0] = ev("e1", 17, 10, BESS_EVENT_CAP, 3, 5, 10, "UTC");
	list[1] = ev("e2", 18, 10, BESS_EVENT_REDUCE, 1, NAN, 10, "UTC");
	list[2] = ev("e3", 20, 10, BESS_EVENT_REDUCE, 1, NAN, 3, "UTC");
	list[3] = ev("e4", 21, 16, BESS_EVENT_REDUCE, 1, NAN, 1, "Europe/Berlin");
	set.ev = list;
	set.n = 4;
	snprintf(set.file, sizeof(set.file), "events");
	/* the grid: hourly, 17 January 00:00Z to 22 January 00:00Z */
	if (bess_event_plan(&set, JAN1 + 16 * D, H, 120, &hist, &p, &err) != 0) {
		ok(0, "plan: %s", err.msg);
		return done();
	}
	is_int((long)p[0].first, 10, "e1 is step 10");
	near(p[0].requested_kwh, 2, 1e-9, "e1 requested");
	is_int(p[0].baseline_days, 0, "e1: a given baseline");
	near(p[1].baseline_kwh, 8.10, 1e-9, "e2 baseline (weekends)");
	is_int(p[1].baseline_days, 4, "e2: 4 like days");
	near(p[2].baseline_kwh, 15.10, 1e-9, "e3 baseline (event day skipped)");
	is_int(p[2].baseline_days, 3, "e3: 3 like days");
	near(p[3].baseline_kwh, 16.16, 1e-9, "e4 baseline (Berlin wall clock)");
	is_int((long)p[3].first, 4 * 24 + 16, "e4 is step 112");
	/*
	 * Settlement. e1 (cap 3, requested 2) at 4 kW: shortfall 1, delivered 1, payment 0.5,
	 * penalty 1. e2 (baseline 8.10, reduce 1, target 7.10) at 9 kW: shortfall 1.9,
	 * delivered 1 - 1.9 = -0.9 (paid back: -0.45), penalty 1.9.
	 */
	for (i = 0; i < 120; i++)
		imp[i] = 0;
	imp[10] = 4;
	imp[24 + 10] = 9;
	bess_event_settle(&p[0], imp, &r);
	near(r.shortfall_kwh, 1, 1e-9, "e1 shortfall");
	near(r.delivered_kwh, 1, 1e-9, "e1 delivered");
	near(r.payment, 0.5, 1e-9, "e1 payment");
	near(r.penalty, 1, 1e-9, "e1 penalty");
	bess_event_settle(&p[1], imp, &r);
	near(r.shortfall_kwh, 1.9, 1e-9, "e2 shortfall");
	near(r.delivered_kwh, -0.9, 1e-9, "e2 delivered (negative)");
	near(r.payment, -0.45, 1e-9, "e2 payment (paid back)");
	near(r.penalty, 1.9, 1e-9, "e2 penalty");
	bess_event_plans_free(p, set.n);
	/* no like day: a history that ends before any Monday */
	hist.n = 24;
	p = NULL;
	ok(bess_event_plan(&set, JAN1 + 16 * D, H, 120, &hist, &p, &err) != 0 && p == NULL &&
	    strstr(err.msg, "no like day") != NULL, "no like day is an error: %s", err.msg);
	return done();
}
