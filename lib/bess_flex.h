/* bess_flex.h: the battery's flexibility — how many kW up (less import, more export) and down (more import) it can hold for a given time from a SOC. */
#ifndef BESS_FLEX_H
#define BESS_FLEX_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_civil.h"
#include "bess_devices.h"
#include "bess_lpdev.h"
#include "bess_rec.h"

/*
 * For a hold of h hours from SOC soc_kwh, against the battery idle, with
 * k = bess_battery_keep(b, h) (self-discharge over the hold) and the SOC
 * step of bess_battery_soc_step taken as one step of h hours:
 *   up_kw   = min(discharge power, (k soc - soc_min) eta_d / h)
 *   down_kw = min(charge power,    (soc_max - k soc) / (eta_c h))
 * each at least 0; down_kw is 0 with --no-grid-charge (charging from the
 * grid is not allowed). limit says which bound holds: "power", "energy",
 * or "no_grid_charge". Grid limits are not counted; sheddable loads by
 * bess_flex_devices.
 */
struct bess_flex {
	double hold_h;			/* the hold, hours */
	double up_kw, down_kw;		/* the powers that can be held that long, kW */
	const char *up_limit;		/* "power" or "energy" */
	const char *down_limit;		/* "power", "energy" or "no_grid_charge" */
};

/* Flexibility of battery b at site s from soc_kwh for a hold of hold_h hours (> 0). */
void bess_flex(const struct bess_battery *b, const struct bess_site *s, double soc_kwh,
    double hold_h, struct bess_flex *f);

/*
 * The sheddable devices' part of a hold of hold_h hours from instant ts:
 *   up (less import): the power of each device that is on, may be off
 *     over the whole hold (its "when" windows, minute by minute), has
 *     max_off - its hours off today >= hold_h, and holds no min_on now
 *     (it may be switched off now);
 *   down (more import): the power of each device that is off and holds
 *     no min_off now (it may be switched back on now).
 * st: per device of dv, the state a run carries (bess_devstate.h; NULL =
 * unknown: every device on, free to switch, nothing off today). Essential
 * and shiftable devices are not counted. *nup and *ndown receive how many
 * devices count.
 */
void bess_flex_devices(const struct bess_devices *dv, const struct bess_devstate *st,
    bess_time_t ts, double hold_h, double *up_kw, double *down_kw, int *nup, int *ndown);

/* The holds --flexibility reports, minutes. */
#define BESS_FLEX_HOLDS_MIN { 15, 30, 60 }
#define BESS_FLEX_NHOLD 3

/*
 * The records of --flexibility: one per hold of BESS_FLEX_HOLDS_MIN, with
 * ts, hold_min, soc_kwh, up_kw, down_kw, up_limit, down_limit (soc_kwh
 * NAN: the powers null and the limits "soc_unknown"), in format fmt into
 * a new buffer *buf of *len bytes. 0, or -1 when out of memory.
 * With the sheddable devices of dv (NULL = none; st as for
 * bess_flex_devices) added: up_kw and down_kw are the battery's and the
 * devices' together (null when the SOC is unknown), beside
 * battery_up_kw, battery_down_kw, shed_up_kw, shed_down_kw, shed_up_devices
 * and shed_down_devices (how many devices count).
 */
int bess_flex_records_dev(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_devices *dv, const struct bess_devstate *st, double soc_kwh,
    bess_time_t ts, enum bess_fmt fmt, char **buf, size_t *len);

#endif
