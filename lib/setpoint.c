/* setpoint.c: a plan's step carried out against the meter — the planned power, a grid-import cap, or a grid target, within the battery's power and SOC. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bess_civil.h"
#include "bess_setpoint.h"
#include "bess_tz.h"

const char *
bess_setpoint_name(enum bess_setpoint m)
{
	return m == BESS_SETPOINT_GUARD ? "guard" : m == BESS_SETPOINT_GRID ? "grid" : "battery";
}

int
bess_setpoint_apply(enum bess_setpoint m, const struct bess_battery *b, double dt_h,
    double start_kwh, const struct bess_setpoint_cmd *c, double net_kw, int export_ok,
    double *charge_kw, double *discharge_kw)
{
	/* what the SOC allows in this interval (none when already outside the limits) */
	double room = bess_battery_charge_kw(b, dt_h, fmax(0, b->soc_max_kwh - start_kwh));
	double avail = bess_battery_discharge_kw(b, dt_h, fmax(0, start_kwh - b->soc_min_kwh));
	double cmax = fmin(b->charge_kw, room), dmax = fmin(b->discharge_kw, avail);
	double ch = c->charge_kw, dis = c->discharge_kw, plan_kw = ch - dis;

	if (m == BESS_SETPOINT_GRID && isfinite(c->cap_kw)) {
		double target = fmin(c->grid_kw, c->cap_kw), want = target - net_kw;

		if (!export_ok && target < 0)
			target = 0, want = -net_kw;
		/*
		 * a load above the forecast: the plan's power as long as the import
		 * stays under the cap, the battery covering only what passes it (the
		 * energy the plan did not spend stays for the rest of the period); a
		 * load below it is stored only where the plan charges (discharging
		 * less, or charging in a step the plan does not, gave up more
		 * arbitrage than the stored energy was worth: tests/bench/README.md)
		 */
		if (want < plan_kw)
			want = fmax(want, fmin(plan_kw, c->cap_kw - net_kw));
		else if (plan_kw <= 0)
			want = plan_kw;
		if (want > c->charge_kw && want > c->peak_kw - net_kw)	/* no new peak by charging more */
			want = fmax(c->charge_kw, c->peak_kw - net_kw);
		ch = want > 0 ? fmin(want, cmax) : 0;
		dis = want < 0 ? fmin(-want, dmax) : 0;
		if (!export_ok && dis > fmax(net_kw, 0))
			dis = fmax(net_kw, 0);
	} else if (m == BESS_SETPOINT_GUARD && isfinite(c->cap_kw)) {
		double over = net_kw + ch - dis - c->cap_kw;

		if (over > 0) {
			double cut = fmin(ch, over);

			ch -= cut;
			over -= cut;
			if (over > 0 && dis < dmax)
				dis = fmin(dmax, dis + over);
		}
	}
	*charge_kw = ch;
	*discharge_kw = dis;
	return ch != c->charge_kw || dis != c->discharge_kw;
}

void
bess_setpoint_caps(const struct bess_rates *r, const double *import_kw, size_t len,
    const double *peak_kw, double *cap)
{
	size_t j, nb = 0, np = r->nperiod;
	double *top;

	for (j = 0; j < len; j++)
		if (r->bill[j] >= 0 && (size_t)r->bill[j] + 1 > nb)
			nb = (size_t)r->bill[j] + 1;
	if (np == 0 || nb == 0 || (top = calloc(nb * np, sizeof(double))) == NULL) {
		for (j = 0; j < len; j++)	/* no demand periods (or no memory: no cap) */
			cap[j] = INFINITY;
		return;
	}
	if (peak_kw)
		memcpy(top, peak_kw, np * sizeof(double));
	for (j = 0; j < len; j++) {
		int p = r->period[j];

		if (p >= 0 && r->bill[j] >= 0 && import_kw[j] > top[(size_t)r->bill[j] * np + (size_t)p])
			top[(size_t)r->bill[j] * np + (size_t)p] = import_kw[j];
	}
	for (j = 0; j < len; j++) {
		int p = r->period[j];

		cap[j] = p < 0 || r->bill[j] < 0 || !(r->demand_rate[p] > 0) ? INFINITY :
		    top[(size_t)r->bill[j] * np + (size_t)p];
	}
	free(top);
}

double
bess_setpoint_tilt(const struct bess_battery *b, double *price, double *export_price, size_t len)
{
	double m = 0;
	size_t j;

	if (b->eta_charge * b->eta_discharge > 0.999)
		return 0;	/* (nearly) lossless: a tilt would pay for cycling at equal prices */

	for (j = 0; j < len; j++)
		m += fabs(price[j]) / (double)len;
	for (j = 0; j < len; j++) {
		price[j] += 1e-6 * m * (double)j;
		if (export_price)
			export_price[j] += 1e-6 * m * (double)j;
	}
	return 1e-6 * m;
}

double
bess_setpoint_share(const struct bess_tariff *t, bess_time_t start, bess_time_t end)
{
	struct bess_civil c;
	bess_time_t bill_end[2];
	int64_t days;

	if (t == NULL || t->billing == BESS_BILL_NONE || end <= start)
		return 1;
	bess_time_to_civil(t->tz, start, &c);
	days = bess_days_from_civil(c.year, c.month, c.day) + 1;	/* the next local midnight */
	if (t->billing == BESS_BILL_MONTH)
		days = bess_days_from_civil(c.month == 12 ? c.year + 1 : c.year, c.month % 12 + 1, 1);
	bess_tz_local_to_utc(t->tz, days * 24 * BESS_US_PER_H, bill_end);
	return bill_end[0] <= end ? 1 : (double)(end - start) / (double)(bill_end[0] - start);
}

int
bess_setpoint_apply_n(enum bess_setpoint m, const struct bess_battery *b, size_t nb, double dt_h,
    const double *start_kwh, const struct bess_setpoint_cmd *c, double net_kw, int export_ok,
    double *charge_kw, double *discharge_kw)
{
	size_t i, j;
	int changed = 0;

	for (i = 0; i < nb; i++) {
		struct bess_setpoint_cmd one = *c;
		double others = 0;

		for (j = 0; j < nb; j++)
			if (j != i)
				others += bess_battery_kw(charge_kw[j], discharge_kw[j]);
		one.charge_kw = charge_kw[i];
		one.discharge_kw = discharge_kw[i];
		changed |= bess_setpoint_apply(m, &b[i], dt_h, start_kwh[i], &one, net_kw + others, export_ok,
		    &charge_kw[i], &discharge_kw[i]);
	}
	return changed;
}
