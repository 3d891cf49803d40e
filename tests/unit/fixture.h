/* fixture.h: what the model tests share (header only): a tolerance check, times, a tariff from text, a battery, a deterministic generator. */
#ifndef BESS_FIXTURE_H
#define BESS_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_devices.h"
#include "bess_tariff.h"
#include "bess_time.h"
#include "tap.h"

#define H 3600000000LL	/* one hour in microseconds */

/*
 * got within tol of want (NAN matches NAN, an infinity the same infinity):
 * "ok N - what: got (want want)", with the difference on a failure.
 */
static inline int
near(double got, double want, double tol, const char *what)
{
	int good = fabs(got - want) <= tol || (isnan(got) && isnan(want)) ||
	    (isinf(got) && got == want);

	ok(good, "%s: %.9g (want %.9g)", what, got, want);
	if (!good)
		diag("difference %.3g > %.3g", got - want, tol);
	return good;
}

/* got within rel of want, relative to want (absolute below 1): near with that tolerance. */
static inline int
near_rel(double got, double want, double rel, const char *what)
{
	return near(got, want, rel * fmax(1, fabs(want)), what);
}

/* An RFC 3339 time, in microseconds since the epoch (0 when it does not parse). */
static inline bess_time_t
at(const char *s)
{
	bess_time_t t = 0;

	bess_time_parse(s, strlen(s), NULL, &t, NULL, 0);
	return t;
}

/* A tariff read from text (named name in messages); NULL after a diagnostic. */
static inline struct bess_tariff *
tariff_named(const char *name, const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct bess_err err;
	struct bess_tariff *t = bess_tariff_read(fp, name, &err);

	fclose(fp);
	if (t == NULL)
		diag("tariff: %s", err.msg);
	return t;
}

/* A devices file read from text, named "d"; NULL after a diagnostic. */
static inline struct bess_devices *
devices_from(const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct bess_err err;
	struct bess_devices *dv = bess_devices_read(fp, "d", &err);

	fclose(fp);
	if (dv == NULL)
		diag("devices: %s", err.msg);
	return dv;
}

/* A tariff read from text, named "t". */
static inline struct bess_tariff *
tariff(const char *text)
{
	return tariff_named("t", text);
}

/*
 * A battery of cap kWh and p kW both ways with efficiencies eta_c and eta_d,
 * the rest the defaults: set more fields, then battery_checked.
 */
static inline void
battery_base(struct bess_battery *b, double cap, double p, double eta_c, double eta_d)
{
	bess_battery_init(b);
	b->capacity_kwh = cap;
	b->charge_kw = b->discharge_kw = p;
	b->have_charge_kw = b->have_discharge_kw = 1;
	b->eta_charge = eta_c;
	b->eta_discharge = eta_d;
}

/* ... starting at init kWh (not a share of the capacity). */
static inline void
battery_start(struct bess_battery *b, double init)
{
	b->soc_init_kwh = init;
	b->have_soc_init = 1;
	b->soc_init_pct = NAN;
}

/* ... with SOC limits lo and hi in kWh (not shares of the capacity). */
static inline void
battery_limits(struct bess_battery *b, double lo, double hi)
{
	b->soc_min_pct = b->soc_max_pct = NAN;
	b->soc_min_kwh = lo;
	b->soc_max_kwh = hi;
}

/* bess_battery_check, a diagnostic when it refuses. */
static inline void
battery_checked(struct bess_battery *b)
{
	struct bess_err err;

	if (bess_battery_check(b, &err) != 0)
		diag("battery: %s", err.msg);
}

/* A battery of cap kWh and p kW with efficiency eta each way, starting at init kWh, its end free (checked). */
static inline void
battery_free_end(struct bess_battery *b, double cap, double p, double eta, double init)
{
	battery_base(b, cap, p, eta, eta);
	battery_start(b, init);
	b->soc_final = BESS_SOC_FINAL_FREE;
	battery_checked(b);
}

/* A deterministic generator (xorshift64; the cases must not change from run to run): seed it first. */
static unsigned long long fixture_rng = 0x9E3779B97F4A7C15ULL;

/* Uniform in [0, 1). */
static inline double
uniform(void)
{
	fixture_rng ^= fixture_rng << 13;
	fixture_rng ^= fixture_rng >> 7;
	fixture_rng ^= fixture_rng << 17;
	return (double)(fixture_rng >> 11) / 9007199254740992.0;
}

/* a and b agree to rel, relative to b (absolute below 1). */
static inline int
rel_eq(double a, double b, double rel)
{
	return fabs(a - b) <= rel * fmax(1, fabs(b));
}

#endif
