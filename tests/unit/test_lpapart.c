/* test_lpapart.c: the devices planned apart from the battery (bess_lpdev_best, lp.c's run_apart) against GLPK's branch and bound on the same model: hand cases, and random windows rolled on with warm starts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_devices.h"
#include "bess_lp.h"
#include "bess_lpdev.h"
#include "bess_tariff.h"
#include "fixture.h"

/* One window's answer. */
struct ans {
	int rc;			/* bess_lp_solve's */
	struct bess_lp_result res;
	double kw[64];		/* device 0's power per step, kW (hand cases) */
};

/*
 * Steps first..first+n of a history (ts, price, xprice, load) as one model
 * with devices dv in state st: a fresh model (lp NULL, apart or not as
 * no_apart says) or lp itself, shifted by shift steps first (warm).
 */
static void
window(struct bess_lp **lpp, int fresh, int no_apart, const struct bess_battery *b, const struct bess_site *s,
    const struct bess_tariff *tariff, unsigned flags, const bess_time_t *ts, size_t nts, long long step_us,
    const double *price, const double *xprice, const double *load, size_t first, size_t n, size_t shift,
    const struct bess_devices *dv, const struct bess_devstate *st, double soc0, struct ans *a)
{
	struct bess_rates r;
	struct bess_lp_input in;
	struct bess_lp_opts o;
	struct bess_err err;
	struct bess_lp *lp = fresh ? NULL : *lpp;
	size_t t;

	memset(a, 0, sizeof(*a));
	a->rc = -1;
	if (bess_rates_build(&r, tariff, ts + first, n, step_us, price + first, xprice ? xprice + first : NULL, s,
	    &err) != 0) {
		diag("rates: %s", err.msg);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.rates = &r;
	in.load_kw = load + first;
	in.soc_init_kwh = soc0;
	if (lp == NULL) {
		if ((lp = bess_lp_new(b, s, n, (double)step_us / 3.6e9, flags, &err)) == NULL ||
		    bess_lp_devices(lp, dv, ts + first, nts - first, st, &err) != 0) {
			diag("lp: %s", err.msg);
			bess_lp_free(lp);
			bess_rates_free(&r);
			return;
		}
	} else {
		bess_lp_shift(lp, shift);
	}
	bess_lp_devices_times(lp, ts + first, nts - first);
	memset(&o, 0, sizeof(o));
	o.milp = s->milp;
	o.no_apart = no_apart;
	if (bess_lp_update(lp, &in, &err) != 0)
		diag("update: %s", err.msg);
	else
		a->rc = bess_lp_solve(lp, &o, &a->res, &err);
	for (t = 0; BESS_LP_HAS_SCHEDULE(a->res.status) && t < n && t < 64; t++) {
		double p, kwh;
		int on;

		bess_lp_device(lp, 0, t, &p, &on, &kwh);
		a->kw[t] = p;
	}
	if (fresh)
		bess_lp_free(lp);
	else
		*lpp = lp;
	bess_rates_free(&r);
}

/* A hand case: 4 hourly steps from 12:00Z, the battery idle (0 kW), a 10 kW load (a sheddable device's part of it). */
static void
hand(const char *what, const char *devices, const double *price, double want, const double *want_kw)
{
	struct bess_devices *dv = devices_from(devices);
	struct bess_battery b;
	struct bess_site s;
	bess_time_t ts[4];
	double load[4] = { 10, 10, 10, 10 };
	struct ans a, c;
	char name[160];
	size_t t;
	int same = 1;

	battery_free_end(&b, 10, 0, 1, 5);
	bess_site_init(&s);
	for (t = 0; t < 4; t++)
		ts[t] = at("2026-03-02T12:00:00Z") + (bess_time_t)t * H;
	if (dv == NULL) {
		ok(0, "%s: devices parsed", what);
		return;
	}
	window(NULL, 1, 0, &b, &s, NULL, 0, ts, 4, H, price, NULL, load, 0, 4, 0, dv, NULL, 5, &a);
	window(NULL, 1, 1, &b, &s, NULL, 0, ts, 4, H, price, NULL, load, 0, 4, 0, dv, NULL, 5, &c);
	ok(a.rc == 0 && a.res.status == BESS_LP_OPTIMAL && strcmp(a.res.method, "simplex+apart") == 0,
	    "%s: solved apart, proved (%s)", what, a.rc == 0 ? a.res.method : "failed");
	snprintf(name, sizeof(name), "%s: objective", what);
	near(a.res.objective, want, 1e-9, name);
	snprintf(name, sizeof(name), "%s: branch and bound's objective", what);
	near(c.res.objective, want, 1e-9, name);
	for (t = 0; t < 4; t++)
		same &= fabs(a.kw[t] - want_kw[t]) < 1e-9;
	ok(same, "%s: device kW %g %g %g %g (want %g %g %g %g)", what, a.kw[0], a.kw[1], a.kw[2], a.kw[3],
	    want_kw[0], want_kw[1], want_kw[2], want_kw[3]);
	bess_site_free(&s);
	bess_devices_free(dv);
}

/*
 * a (the method's) against c (branch and bound's): both proved and equal;
 * or, where c was stopped by its time limit unproved, a no worse (a proved
 * a's own way, or as unproved as c); both infeasible alike.
 */
static int
agree(const struct bess_lp_result *a, const struct bess_lp_result *c)
{
	int ha = BESS_LP_HAS_SCHEDULE(a->status), hc = BESS_LP_HAS_SCHEDULE(c->status);

	if (!ha || !hc)
		return a->status == c->status;
	if (a->status == BESS_LP_OPTIMAL && c->status == BESS_LP_OPTIMAL)
		return rel_eq(a->objective, c->objective, 1e-6);
	if (c->status == BESS_LP_FEASIBLE)
		return a->objective <= c->objective + 1e-6 * fmax(1, fabs(c->objective));
	return a->objective >= c->objective - 1e-6 * fmax(1, fabs(c->objective));
}

/* A random devices file of 1 to 3 devices (some sheddable, some shiftable) into buf. */
static void
random_devices(char *buf, size_t len)
{
	size_t w = 0;
	int k, nd = 1 + (int)(uniform() * 3);

	w += (size_t)snprintf(buf + w, len - w, "timezone = UTC\n");
	for (k = 0; k < nd; k++) {
		if (uniform() < 0.55) {
			static const char *mins[] = { "", "30m", "1h", "90m", "2h" };
			static const char *maxs[] = { "", "1h", "2h", "210m", "6h" };
			const char *mo = mins[(int)(uniform() * 5)], *mn = mins[(int)(uniform() * 5)];
			const char *mx = maxs[(int)(uniform() * 5)];

			w += (size_t)snprintf(buf + w, len - w, "[s%d]\nkind = sheddable\npower = %gkW\n"
			    "cost = %.3f/kWh\n", k, (double)(1 + (int)(uniform() * 8)), uniform() * 0.3);
			if (uniform() < 0.3)
				w += (size_t)snprintf(buf + w, len - w, "cost_per_hour = 0.2\n");
			if (*mo)
				w += (size_t)snprintf(buf + w, len - w, "min_off = %s\n", mo);
			if (*mn)
				w += (size_t)snprintf(buf + w, len - w, "min_on = %s\n", mn);
			if (*mx)
				w += (size_t)snprintf(buf + w, len - w, "max_off = %s\n", mx);
			if (uniform() < 0.5) {
				int f = (int)(uniform() * 20);

				w += (size_t)snprintf(buf + w, len - w, "when = %02d:00-%02d:00\n", f,
				    f + 2 + (int)(uniform() * 4));
			}
		} else {
			static const char *lv[] = { "7kW", "0 2kW 4kW", "0 3.7kW 7.4kW 11kW" };
			int f = (int)(uniform() * 24), d = 3 + (int)(uniform() * 8);

			w += (size_t)snprintf(buf + w, len - w, "[h%d]\nkind = shiftable\npower = %s\n"
			    "energy = %gkWh\nwindow = %02d:00-%02d:00\n", k, lv[(int)(uniform() * 3)],
			    round(uniform() * 3 * d * 10) / 10 + 0.5, f, (f + d) % 24);
		}
	}
}

int
main(void)
{
	/*
	 * Hand cases. Load 10 kW in each of 4 hours at prices 0.3, 0.05, 0.3,
	 * 0.25: 9.0 without shedding. The device (10 kW, 0.1 per kWh not
	 * served) saves 10 (price - 0.1) per hour off: 2, -0.5, 2, 1.5.
	 * - max_off 2h: the two best hours, 0 and 2 (4 saved): 5.0.
	 * - max_off 2h and min_off 2h: an off-run lasts two hours unless the
	 *   window ends: (2, 3) saves 3.5; (0, 1), (1, 2) or 3 alone 1.5: 5.5.
	 * - min_on 2h (on before the window; a switch-on holds two hours): all
	 *   four off saves 5; off 0 then 3 needs on at 1 and 2 (3.5); off 0, 2,
	 *   3 would switch on at 1 for one hour (refused); 0..2 or 2..3 save
	 *   3.5: all off, 4.0.
	 * - A charger (levels 2 and 4 kW, 5 kWh due by 16:00; its energy is not
	 *   in the load) at prices 0.3, 0.1, 0.2, 0.4: at least 5 kWh and less
	 *   than one step at 4 kW more (9). Counts of 4 and 2 kW steps: (1, 1)
	 *   6 kWh, 4 at 0.1 + 2 at 0.2 = 0.8; (2, 0) 8 kWh, 1.2; (0, 3) 6 kWh,
	 *   1.2; (1, 2) or (0, 4) 8 kWh, more. 10 + 0.8 = 10.8, running 0, 4,
	 *   2, 0 kW.
	 */
	static const double price[4] = { 0.3, 0.05, 0.3, 0.25 };
	static const double price2[4] = { 0.3, 0.1, 0.2, 0.4 };
	static const double kw_a[4] = { 0, 10, 0, 10 }, kw_b[4] = { 10, 10, 0, 0 }, kw_c[4] = { 0, 0, 0, 0 };
	static const double kw_d[4] = { 0, 4, 2, 0 };
	int hist, napart = 0, nwin = 0, bad = 0, warm = 0;

	hand("max_off 2h", "[pump]\nkind = sheddable\npower = 10kW\ncost = 0.1/kWh\nmax_off = 2h\n", price, 5.0,
	    kw_a);
	hand("max_off 2h, min_off 2h", "[pump]\nkind = sheddable\npower = 10kW\ncost = 0.1/kWh\nmax_off = 2h\n"
	    "min_off = 2h\n", price, 5.5, kw_b);
	hand("min_on 2h", "[pump]\nkind = sheddable\npower = 10kW\ncost = 0.1/kWh\nmin_on = 2h\n", price, 4.0, kw_c);
	hand("charger", "[van]\nkind = shiftable\npower = 0 2kW 4kW\nenergy = 5kWh\nwindow = 12:00-16:00\n",
	    price2, 10.8, kw_d);

	/*
	 * Random sites: a battery, 1 to 3 devices, sometimes an import limit,
	 * no export or export paid less than import (rows the devices share with
	 * the battery, whose duals the method exchanges), prices that may go
	 * below zero; four windows rolled on (one model, warm: the method's path)
	 * against a fresh model per window solved by branch and bound only.
	 * Equal objectives (1e-6 relative), both proved.
	 */
	fixture_rng = 0x5DEECE66DULL;
	for (hist = 0; hist < 60; hist++) {
		char text[2048];
		struct bess_devices *dv;
		struct bess_devstate st[4];
		struct bess_battery b;
		struct bess_site s;
		struct bess_rates whole;
		struct bess_lp_input in;
		struct bess_err err;
		struct bess_lp *lp = NULL;
		bess_time_t ts[200];
		double price_r[200], xprice[200], load[200];
		int dtm = uniform() < 0.5 ? 15 : uniform() < 0.5 ? 30 : 60, every = 1 + (int)(uniform() * 3), w;
		long long step = (long long)dtm * 60000000LL;
		size_t n = (size_t)(8 + (int)(uniform() * 40)), N = n + 3 * (size_t)every, i;
		double cap = 5 + uniform() * 60, soc0;
		int xmode = (int)(uniform() * 3), bad_here = 0;
		unsigned flags;

		random_devices(text, sizeof(text));
		if ((dv = devices_from(text)) == NULL) {
			ok(0, "random site %d: devices parsed", hist);
			continue;
		}
		battery_free_end(&b, cap, uniform() < 0.2 ? 0 : cap * (0.2 + uniform() * 0.6), uniform() < 0.5 ? 1 : 0.9,
		    cap / 2);
		soc0 = cap / 2;
		bess_site_init(&s);
		s.time_limit_s = 2;	/* branch and bound's: a window it cannot prove in 2 s is compared as unproved */
		if (uniform() < 0.3)
			s.import_limit_kw = 15 + uniform() * 20;
		if (xmode == 1)
			s.export_mode = BESS_EXPORT_NONE;
		else if (xmode == 2)
			s.export_mode = BESS_EXPORT_COLUMN;
		for (i = 0; i < N; i++) {
			ts[i] = at("2026-03-02T00:00:00Z") + (bess_time_t)i * step;
			price_r[i] = round((0.02 + uniform() * 0.4) * 1000) / 1000;
			if (uniform() < 0.05)
				price_r[i] = -0.05;
			xprice[i] = round(price_r[i] * 0.6 * 1000) / 1000;
			load[i] = round((12 + uniform() * 15) * 1000) / 1000;
		}
		memset(st, 0, sizeof(st));
		for (i = 0; i < dv->ndev; i++)
			if (dv->dev[i].kind == BESS_DEV_SHEDDABLE && uniform() < 0.3) {
				st[i].off = 1;
				st[i].off_day = bess_devices_day(dv, ts[0]);
				st[i].off_h = 0.25;
				st[i].hold_h = uniform() < 0.5 ? 0.5 : 0;
			}
		if (bess_rates_build(&whole, NULL, ts, N, step, price_r, xmode == 2 ? xprice : NULL, &s, &err) != 0) {
			ok(0, "random site %d: rates: %s", hist, err.msg);
			bess_devices_free(dv);
			continue;
		}
		memset(&in, 0, sizeof(in));
		in.rates = &whole;
		in.load_kw = load;
		in.soc_init_kwh = soc0;
		flags = bess_lp_flags_for(&b, &in, N);
		bess_rates_free(&whole);
		for (w = 0; w < 4; w++) {
			size_t first = (size_t)w * (size_t)every;
			struct ans a, c;

			window(&lp, 0, 0, &b, &s, NULL, flags, ts, N, step, price_r, xmode == 2 ? xprice : NULL, load,
			    first, n, w ? (size_t)every : 0, dv, st, soc0, &a);
			window(NULL, 1, 1, &b, &s, NULL, flags, ts, N, step, price_r, xmode == 2 ? xprice : NULL, load,
			    first, n, 0, dv, st, soc0, &c);
			nwin++;
			if (a.rc != 0 || c.rc != 0 || !agree(&a.res, &c.res)) {
				diag("site %d window %d: %s %d %.9g against branch and bound %d %.9g\n%s", hist, w,
				    a.rc == 0 ? a.res.method : "-", a.res.status, a.res.objective, c.res.status,
				    c.res.objective, text);
				bad_here = 1;
			}
			if (a.rc == 0 && a.res.method && strcmp(a.res.method, "simplex+apart") == 0) {
				napart++;
				warm += w > 0 && a.res.warm_used;
			}
		}
		bad += bad_here;
		bess_lp_free(lp);
		bess_site_free(&s);
		bess_devices_free(dv);
	}
	ok(bad == 0, "random sites: every window equals branch and bound's (%d of 60 differ)", bad);
	ok(napart * 2 > nwin, "random sites: most windows solved apart (%d of %d)", napart, nwin);
	ok(warm > 0, "random sites: rolled windows solved apart start warm (%d)", warm);
	return done();
}
