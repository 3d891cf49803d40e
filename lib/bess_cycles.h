/* bess_cycles.h: capacity per charge/discharge cycle of cycler data, and its fade — the pack current integrated over time. */
#ifndef BESS_CYCLES_H
#define BESS_CYCLES_H

#include "bess_err.h"
#include "bess_rec.h"
#include "bess_time.h"

/* One cycle of one device. */
struct bess_cycle_row {
	const char *device;		/* "" without a device column */
	const char *cycle;		/* the cycle column's text */
	bess_time_t start, end;		/* first and last sample of the cycle */
	long long records;		/* samples in it */
	double charge_ah;		/* current integrated where it charges (positive) */
	double discharge_ah;		/* and where it discharges, as a positive number */
	double fade_pct;		/* 100 x (1 - discharge_ah / the first cycle's), NAN for the first */
};

typedef int (*bess_cycle_fn)(void *ctx, const struct bess_cycle_row *row, struct bess_err *err);

struct bess_cycles;

/* A current of at most this magnitude (A) is a rest, when cycles are found from the current. */
#define BESS_CYCLE_REST_A	0.01

/*
 * Cycles are told apart by the column cycle_col (e.g. "cycle"), or, when
 * cycle_col is NULL, found from the current: cycle 1 starts at the first
 * sample, and each later one where charging starts after a discharge
 * (currents within BESS_CYCLE_REST_A of 0 are rests, which do not count).
 * The current is current_a (positive when charging). The first cycle
 * that both charges and discharges is the reference for the fade. Each spacing between two
 * samples of a device adds the trapezoid (I1 + I2) / 2 x dt to the cycle of
 * its later sample: to charge_ah when positive, else to discharge_ah. A
 * cycle's row goes to fn when the next one starts, and at the end.
 */
struct bess_cycles *bess_cycles_new(const char *cycle_col, bess_cycle_fn fn, void *ctx);
int bess_cycles_columns(struct bess_cycles *c, const struct bess_schema *s, struct bess_err *err);
int bess_cycles_feed(struct bess_cycles *c, const struct bess_rec *r, const char *file,
    struct bess_err *err);
int bess_cycles_finish(struct bess_cycles *c, struct bess_err *err);
void bess_cycles_free(struct bess_cycles *c);

#endif
