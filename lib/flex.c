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

int
bess_flex_records(const struct bess_battery *b, const struct bess_site *s, double soc_kwh,
    bess_time_t ts, enum bess_fmt fmt, char **buf, size_t *len)
{
	static const int hold[BESS_FLEX_NHOLD] = BESS_FLEX_HOLDS_MIN;
	struct bess_writer *w;
	struct bess_err err;
	struct bess_kv k;
	char tb[BESS_TIME_BUFSZ];
	FILE *mf;
	int i, rc = 0;

	if ((w = bess_writer_mem(fmt, &mf, buf, len)) == NULL)
		return -1;
	bess_kv_init(&k);
	for (i = 0; rc == 0 && i < BESS_FLEX_NHOLD; i++) {
		struct bess_flex f;
		int known = isfinite(soc_kwh);

		if (known)
			bess_flex(b, s, soc_kwh, hold[i] / 60.0, &f);
		bess_kv_free(&k);
		bess_kv_init(&k);
		bess_kv_str(&k, "ts", bess_time_format(ts, tb));
		bess_kv_int(&k, "hold_min", hold[i]);
		bess_kv_fig(&k, "soc_kwh", known ? soc_kwh : NAN);
		bess_kv_fig(&k, "up_kw", known ? f.up_kw : NAN);
		bess_kv_fig(&k, "down_kw", known ? f.down_kw : NAN);
		bess_kv_str(&k, "up_limit", known ? f.up_limit : "soc_unknown");
		bess_kv_str(&k, "down_limit", known ? f.down_limit : "soc_unknown");
		if (k.oom || bess_writer_write(w, &k.s, &k.r, &err) != 0)
			rc = -1;
	}
	if (rc == 0 && bess_writer_finish(w, &k.s, &err) != 0)
		rc = -1;
	bess_kv_free(&k);
	return bess_writer_mem_done(w, mf, rc, buf, len);
}
