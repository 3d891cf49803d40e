/* bess_devplan.h: what a solved schedule does with each controllable load, step by step, and what shedding and shifting saved. */
#ifndef BESS_DEVPLAN_H
#define BESS_DEVPLAN_H

#include <stddef.h>
#include <stdio.h>

#include "bess_devices.h"
#include "bess_lp.h"
#include "bess_rec.h"
#include "bess_summary.h"
#include "bess_tariff.h"

/* Device totals over the plan (currency as the prices; kWh). */
struct bess_devtotal {
	double shed_kwh;	/* energy not served while switched off */
	double shed_cost;	/* what shedding cost (cost per kWh not served, per hour off) */
	double shed_saving;	/* energy not bought (import price x shed kWh) less shed_cost */
	double shift_kwh;	/* energy moved away from the no-action baseline's steps */
	double shift_saving;	/* the shiftable energy at import prices: baseline less plan */
	double run_kwh;		/* energy the shiftable devices draw in the plan */
	double short_kwh;	/* task energy the data could not hold (a task begun before the data) */
	double later_kwh;	/* task energy due after the data (deadline past the last step) */
};

/* The plan of n steps for every device of dv. */
struct bess_devplan {
	const struct bess_devices *dv;
	size_t n;
	double *power_kw;		/* [i * n + t]: drawn from the site bus */
	unsigned char *on;		/* [i * n + t] */
	double *cost;			/* [i * n + t]: energy at the import price plus shedding cost */
	double *base_kw;		/* [i * n + t]: the no-action baseline (on; shiftable as soon as allowed) */
	struct bess_devtotal *dev;	/* per device */
	struct bess_devtotal all;	/* over all devices */
};

/*
 * Device i's no-action baseline over n steps of dt_h hours from ts[0]:
 * sheddable and essential devices on; a shiftable device runs at its
 * highest level from the first step of each task until the task's energy
 * is met (or the task ends). kw[t] is set.
 */
void bess_devices_baseline(const struct bess_devices *dv, size_t i, const bess_time_t *ts, size_t n,
    double dt_h, double *kw);

/*
 * The baseline's shiftable power added up per step (what load_kw lacks for
 * the no-action site), into kw[t] (n steps, added to what is there).
 */
void bess_devices_baseline_add(const struct bess_devices *dv, const bess_time_t *ts, size_t n, double dt_h,
    double *kw);

/*
 * The plan of the solved lp (a window of n steps from step first of r and
 * ts), or with lp NULL the baseline itself (nothing shed or shifted).
 * -1 when out of memory.
 */
int bess_devplan_build(struct bess_devplan *pl, const struct bess_lp *lp, const struct bess_devices *dv,
    const struct bess_rates *r, const bess_time_t *ts, size_t first, size_t n);
/*
 * The plan of what the devices did (a run: power_kw and on [i * n + t],
 * n steps from ts[0]), settled as bess_devplan_build does; a shiftable
 * task that got less than its energy counts as short_kwh, or as
 * later_kwh when its deadline is past the data. -1 when out of memory.
 */
int bess_devplan_from(struct bess_devplan *pl, const struct bess_devices *dv, const struct bess_rates *r,
    const bess_time_t *ts, size_t n, const double *power_kw, const unsigned char *on);
void bess_devplan_free(struct bess_devplan *pl);

/*
 * The totals of all devices over steps from..to-1 of a run's plan (one
 * built from step 0 of r, as bess_devplan_from): shed_ and shift_ figures
 * of those steps (short_kwh and later_kwh, which are of whole tasks, stay 0).
 */
void bess_devplan_span(const struct bess_devplan *pl, const struct bess_rates *r, size_t from, size_t to,
    struct bess_devtotal *tot);

/* Steps from..to-1 as per-device records (bess_devrec.h), device after device within a step. -1 on a write error. */
int bess_devplan_write(FILE *fp, enum bess_fmt fmt, const struct bess_devplan *pl, const bess_time_t *ts,
    size_t from, size_t to);

/*
 * Every step of pl as per-device records appended to the buffer *buf of
 * *len bytes (NULL and 0: a new one, the header first; free it). -1 when
 * out of memory (*buf is left as it was).
 */
int bess_devplan_records(const struct bess_devplan *pl, const bess_time_t *ts, enum bess_fmt fmt, char **buf,
    size_t *len);

/*
 * The summary keys (bess(7) SUMMARY KEYS): shed_kwh, shed_cost, shed_saving,
 * shift_kwh, shift_run_kwh, shift_saving, shift_short_kwh, shift_later_kwh,
 * and shed_shift_by_device: the same per device (shed_ keys for sheddable,
 * shift_ keys for shiftable devices).
 */
void bess_devplan_summary(struct bess_kv *k, const struct bess_devplan *pl);

/*
 * What the plan does not deliver, each message for people handed to warn:
 * a device whose deadline cannot be met at all (file:line of its header,
 * bess_device_unmet), task energy not delivered by its deadline
 * (shift_short_kwh), and with later set task energy due after the data
 * (shift_later_kwh).
 */
void bess_devplan_warnings(const struct bess_devplan *pl, int later, void (*warn)(void *ctx, const char *msg),
    void *ctx);

#endif
