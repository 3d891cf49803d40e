/* bess_grid.h: regular time grids — fixed steps counted from the epoch, or steps within the local days of a time zone. */
#ifndef BESS_GRID_H
#define BESS_GRID_H

#include <stddef.h>

#include "bess_time.h"

/*
 * A grid cuts time into half-open intervals [start, next) labelled by their
 * start. Without a zone the starts are the multiples of the step counted
 * from 1970-01-01T00:00:00Z. With a zone the grid restarts at every local
 * midnight: a step that divides 24 hours gives intervals at midnight +
 * k * step of elapsed time, and the last interval of a day ends at the next
 * midnight (a 23-hour day has 92 quarter hours, a 25-hour day 100); a step
 * of N whole days gives blocks of N local days (each 23, 24 or 25 hours
 * long), counted from 1970-01-01. A day whose midnight does not exist
 * (clocks jump forward at 00:00) starts at the first instant of that date.
 */
struct bess_grid {
	long long step_us;		/* interval length, microseconds (> 0) */
	const struct bess_tz *tz;	/* zone for local-midnight alignment, NULL = epoch */
	int days;			/* with tz: the step in whole days, 0 if it divides a day */
	bess_time_t blk_lo, blk_hi;	/* cache: the local day (or block of days) last used, [lo, hi) */
};

/*
 * Set up g. With tz, the step must divide 24 hours or be a whole number of
 * days; otherwise -1 and why is filled. tz must outlive g.
 */
int bess_grid_init(struct bess_grid *g, long long step_us, const struct bess_tz *tz,
    char *why, size_t whylen);

/* The start of the interval holding t. */
bess_time_t bess_grid_floor(struct bess_grid *g, bess_time_t t);

/* The end of the interval that starts at start (the next interval's start). */
bess_time_t bess_grid_next(struct bess_grid *g, bess_time_t start);

#endif
