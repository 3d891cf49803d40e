/* bess_devsim.h: --simulate with devices — each device's instructions (per-device records) read and the site's load they make. */
#ifndef BESS_DEVSIM_H
#define BESS_DEVSIM_H

#include <stddef.h>

#include "bess_devices.h"
#include "bess_err.h"
#include "bess_table.h"
#include "bess_time.h"

/*
 * The devices' instructions of a settled run: the records of cmd (the
 * per-device records bess-optimize and bess-dispatch write with
 * --per-device: ts, device, kind, command, power_kw, ...) whose kind is not
 * "battery", on the grid of n steps of step_us from ts[0], into
 * power_kw[i * n + t] (drawn from the site bus) and on[i * n + t] for
 * device i of dv:
 *   sheddable: command ON (its power) or OFF (0);
 *   shiftable: power_kw, 0 or one of its levels;
 *   essential: ON (an OFF is an error).
 * A device without any record follows the no-action rule (on; shiftable at
 * its highest level from its earliest start until its task is met); a step
 * a device with records lacks is on (sheddable, essential) or 0
 * (shiftable); cmd NULL: no records. *nbat counts the battery records. Errors, with the record's
 * file and line: a device not in dv, a kind that is not the device's, a
 * time off the grid, a second record for a step, a bad command or power.
 */
int bess_devsim_read(const struct bess_devices *dv, const struct bess_table *cmd, const bess_time_t *ts,
    size_t n, long long step_us, double dt_h, double *power_kw, unsigned char *on, size_t *nbat,
    struct bess_err *err);

/*
 * The site's load with the devices as instructed: load_kw[t] (metered, the
 * sheddable devices on, the shiftable ones not in it; NULL = 0) plus each
 * shiftable device's power, less each sheddable device's power while off,
 * into out[t].
 */
void bess_devsim_load(const struct bess_devices *dv, size_t n, const double *power_kw, const double *load_kw,
    double *out);

#endif
