/* flex.c: the battery's flexibility — the power up and down it can hold for a while from a SOC (bess_flex.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_flex.h"
#include "bess_summary.h"
#include "bess_time.h"

void
bess_flex(const struct bess_battery *b, const struct bess_site *s, double soc_kwh,
    double hold_h, struct bess_flex *f)
{
	double start = soc_kwh * bess_battery_keep(b, hold_h);
	double e_up = bess_battery_discharge_kw(b, hold_h, fmax(0, start - b->soc_min_kwh));
	double e_dn = bess_battery_charge_kw(b, hold_h, fmax(0, b->soc_max_kwh - start));

	f->hold_h = hold_h;
	f->up_kw = fmin(b->discharge_kw, e_up);
	f->up_limit = b->discharge_kw <= e_up ? "power" : "energy";
	f->down_kw = fmin(b->charge_kw, e_dn);
	f->down_limit = b->charge_kw <= e_dn ? "power" : "energy";
	if (s->no_grid_charge) {
		f->down_kw = 0;
		f->down_limit = "no_grid_charge";
	}
}

void
bess_flex_devices(const struct bess_devices *dv, const struct bess_devstate *st,
    bess_time_t ts, double hold_h, double *up_kw, double *down_kw, int *nup, int *ndown)
{
	size_t i;

	*up_kw = *down_kw = 0;
	*nup = *ndown = 0;
	for (i = 0; dv && i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];
		int on = st ? !st[i].off : 1, held = st ? st[i].hold_h > 0 : 0;
		double off_h = st && st[i].off_day == bess_devices_day(dv, ts) ? st[i].off_h : 0;
		bess_time_t t, end = ts + (bess_time_t)llround(hold_h * 3.6e9);
		int may = 1;

		if (d->kind != BESS_DEV_SHEDDABLE || !(d->power_kw > 0) || held)
			continue;	/* (a min_on or min_off still held: it may not switch now) */
		if (!on) {	/* shed: may be switched back on */
			*down_kw += d->power_kw;
			(*ndown)++;
			continue;
		}
		if (d->max_off_h - off_h < hold_h)
			continue;
		for (t = ts; may && t < end; t += 60 * BESS_US_PER_S)	/* "when" windows are minutes */
			may = bess_device_may_shed(dv, d, t);
		if (may) {
			*up_kw += d->power_kw;
			(*nup)++;
		}
	}
}

/* What bess_flex_records_dev's records are built from (flex_fill's ctx). */
struct flex_ctx {
	const struct bess_battery *b;
	const struct bess_site *s;
	const struct bess_devices *dv;	/* NULL: the battery alone */
	const struct bess_devstate *st;
	double soc_kwh;			/* NaN when not known */
	bess_time_t ts;
};

static const int flex_hold_min[BESS_FLEX_NHOLD] = BESS_FLEX_HOLDS_MIN;

/* Record i: the flexibility held for flex_hold_min[i] minutes (bess_kv_records). */
static int
flex_fill(const void *ctx, size_t i, struct bess_kv *k)
{
	const struct flex_ctx *c = ctx;
	char tb[BESS_TIME_BUFSZ];
	struct bess_flex f;
	int known = isfinite(c->soc_kwh);
	double hold_h = flex_hold_min[i] / 60.0;

	if (known)
		bess_flex(c->b, c->s, c->soc_kwh, hold_h, &f);
	bess_kv_str(k, "ts", bess_time_format(c->ts, tb));
	bess_kv_int(k, "hold_min", flex_hold_min[i]);
	bess_kv_fig(k, "soc_kwh", known ? c->soc_kwh : NAN);
	if (c->dv == NULL) {
		bess_kv_fig(k, "up_kw", known ? f.up_kw : NAN);
		bess_kv_fig(k, "down_kw", known ? f.down_kw : NAN);
	} else {
		double su, sd;
		int nu, nd;

		bess_flex_devices(c->dv, c->st, c->ts, hold_h, &su, &sd, &nu, &nd);
		bess_kv_fig(k, "up_kw", known ? f.up_kw + su : NAN);
		bess_kv_fig(k, "down_kw", known ? f.down_kw + sd : NAN);
		bess_kv_fig(k, "battery_up_kw", known ? f.up_kw : NAN);
		bess_kv_fig(k, "battery_down_kw", known ? f.down_kw : NAN);
		bess_kv_fig(k, "shed_up_kw", su);
		bess_kv_fig(k, "shed_down_kw", sd);
		bess_kv_int(k, "shed_up_devices", nu);
		bess_kv_int(k, "shed_down_devices", nd);
	}
	bess_kv_str(k, "up_limit", known ? f.up_limit : "soc_unknown");
	bess_kv_str(k, "down_limit", known ? f.down_limit : "soc_unknown");
	return 1;
}

int
bess_flex_records_dev(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_devices *dv, const struct bess_devstate *st, double soc_kwh,
    bess_time_t ts, enum bess_fmt fmt, char **buf, size_t *len)
{
	struct flex_ctx c = { b, s, dv, st, soc_kwh, ts };

	return bess_kv_records(fmt, BESS_FLEX_NHOLD, flex_fill, &c, buf, len);
}
