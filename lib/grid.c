/* grid.c: regular time grids, aligned to the epoch or restarting at every local midnight of a zone. */
#include <stdio.h>

#include "bess_grid.h"

#define DAY_US (86400LL * BESS_US_PER_S)

/* The local date of t in tz, as days since 1970-01-01. */
static int64_t
local_day(const struct bess_tz *tz, bess_time_t t)
{
	struct bess_civil c;

	bess_time_to_civil(tz, t, &c);
	return bess_days_from_civil(c.year, c.month, c.day);
}

/* The first instant whose local date is day or later. */
static bess_time_t
day_start(const struct bess_tz *tz, int64_t day)
{
	bess_time_t t[2], lo, hi, mid;

	if (bess_tz_local_to_utc(tz, day * DAY_US, t) >= 1)
		return t[0];	/* midnight exists (the earlier one if it exists twice) */
	/*
	 * Midnight falls in a gap: the day begins at the change, which lies
	 * between midnight read with the later offset (t[1], still the day
	 * before) and with the earlier one (t[0], already this day).
	 */
	lo = t[1];
	hi = t[0];
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (local_day(tz, mid) >= day)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int
bess_grid_init(struct bess_grid *g, long long step_us, const struct bess_tz *tz,
    char *why, size_t whylen)
{
	g->step_us = step_us;
	g->tz = tz;
	g->days = 0;
	g->blk_lo = g->blk_hi = 0;
	if (step_us <= 0) {
		snprintf(why, whylen, "the step must be positive");
		return -1;
	}
	if (tz == NULL)
		return 0;
	if (step_us % DAY_US == 0 && step_us / DAY_US <= 100000) {
		g->days = (int)(step_us / DAY_US);
		return 0;
	}
	if (DAY_US % step_us == 0)
		return 0;
	snprintf(why, whylen, "with a time zone the step must divide 24 hours "
	    "(e.g. 15m, 1h, 8h) or be a whole number of days");
	return -1;
}

/* Make the cached block of g->days local days hold t. */
static void
block(struct bess_grid *g, bess_time_t t)
{
	int64_t d, d0;

	if (g->blk_lo < g->blk_hi && t >= g->blk_lo && t < g->blk_hi)
		return;
	d = local_day(g->tz, t);
	d0 = d - (d - bess_floor_div(d, g->days) * g->days);
	g->blk_lo = day_start(g->tz, d0);
	g->blk_hi = day_start(g->tz, d0 + g->days);
}

/* Offset of tz at t, in microseconds. */
static int64_t
off_us(const struct bess_tz *tz, bess_time_t t)
{
	return (int64_t)bess_tz_offset(tz, t, NULL) * BESS_US_PER_S;
}

/* Microseconds past the last wall-clock multiple of the step at t. */
static int64_t
wall_rem(const struct bess_grid *g, bess_time_t t)
{
	int64_t w = t + off_us(g->tz, t);

	return w - bess_floor_div(w, g->step_us) * g->step_us;
}

/* The first instant in (lo, hi] with the offset that holds at hi (a change lies in (lo, hi]). */
static bess_time_t
change_in(const struct bess_tz *tz, bess_time_t lo, bess_time_t hi)
{
	int64_t want = off_us(tz, hi);

	while (hi - lo > 1) {
		bess_time_t mid = lo + (hi - lo) / 2;

		if (off_us(tz, mid) == want)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/*
 * With a zone and a step dividing a day, the interval starts are the
 * instants whose local wall clock is a multiple of the step past midnight.
 * A wall-clock time that does not exist starts no interval (a 2-hour grid
 * on a spring-forward day runs 00:00, 04:00: 3 hours), one that exists
 * twice starts two (the repeated hour of an autumn day is its own interval
 * on an hourly grid); and the instant of a change starts one when the new
 * wall clock shows a multiple.
 */
bess_time_t
bess_grid_floor(struct bess_grid *g, bess_time_t t)
{
	bess_time_t c, T;

	if (g->tz == NULL)
		return bess_floor_div(t, g->step_us) * g->step_us;
	if (g->days > 0) {
		block(g, t);
		return g->blk_lo;
	}
	c = t - wall_rem(g, t);
	if (off_us(g->tz, c) == off_us(g->tz, t))
		return c;	/* no change in (c, t] */
	/* a change at T in (c, t]: no multiple in [T, t], so the start is before T */
	T = change_in(g->tz, c, t);
	c = (T - 1) - wall_rem(g, T - 1);
	return c;
}

bess_time_t
bess_grid_next(struct bess_grid *g, bess_time_t start)
{
	bess_time_t c, T;
	int64_t r;

	if (g->tz == NULL)
		return start + g->step_us;
	if (g->days > 0) {
		block(g, start);
		return g->blk_hi;
	}
	c = start + (g->step_us - wall_rem(g, start));
	if (off_us(g->tz, c) == off_us(g->tz, start))
		return c;	/* no change in (start, c] */
	T = change_in(g->tz, start, c);
	r = wall_rem(g, T);
	return r == 0 ? T : T + (g->step_us - r);
}
