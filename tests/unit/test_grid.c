/* test_grid.c: epoch and local-midnight grids, checked against instants worked out by hand from the zones' published rules. */
#include <stdlib.h>

#include "bess_grid.h"
#include "tap.h"

#define S	1000000LL
#define MIN	(60 * S)
#define H	(3600 * S)
#define DAY	(24 * H)

/*
 * UTC instant of a civil time, by the days-from-civil formula written out
 * here (not the library's), so the expectations do not lean on the code
 * under test.
 */
static long long
utc(int y, int m, int d, int hh, int mm)
{
	long long yy = m <= 2 ? y - 1 : y;
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = era * 146097 + doe - 719468;

	return days * DAY + hh * H + mm * MIN;
}

/* Count intervals from a to b (b must be reached exactly); -1 if the grid jumps over b. */
static int
count(struct bess_grid *g, long long a, long long b, long long *shortest, long long *longest)
{
	int n = 0;

	*shortest = *longest = -1;
	while (a < b) {
		long long nx = bess_grid_next(g, a);

		if (*shortest < 0 || nx - a < *shortest)
			*shortest = nx - a;
		if (nx - a > *longest)
			*longest = nx - a;
		if (bess_grid_floor(g, nx - 1) != a)
			return -100;	/* floor must agree with next */
		a = nx;
		n++;
	}
	return a == b ? n : -1;
}

int
main(void)
{
	struct bess_grid g;
	struct bess_err err;
	struct bess_tz *berlin = bess_tz_load("Europe/Berlin", &err);
	struct bess_tz *santiago = bess_tz_load("America/Santiago", &err);
	struct bess_tz *kolkata = bess_tz_load("+05:30", &err);
	long long lo, hi, a;
	char why[200];

	ok(berlin && santiago && kolkata, "zones load");
	if (!berlin || !santiago || !kolkata)
		return done();

	/* --- epoch grid: multiples of the step since 1970-01-01T00:00Z */
	ok(bess_grid_init(&g, 15 * MIN, NULL, why, sizeof(why)) == 0, "15m epoch grid");
	is_int(bess_grid_floor(&g, utc(2024, 1, 1, 10, 7) + 30 * S), utc(2024, 1, 1, 10, 0),
	    "10:07:30 lies in [10:00, 10:15)");
	is_int(bess_grid_floor(&g, utc(2024, 1, 1, 10, 15)), utc(2024, 1, 1, 10, 15),
	    "a boundary is its own interval's start (half-open)");
	is_int(bess_grid_next(&g, utc(2024, 1, 1, 10, 0)), utc(2024, 1, 1, 10, 15), "next start");
	is_int(bess_grid_floor(&g, -1), -15 * MIN, "before 1970: 1969-12-31T23:45Z");
	ok(bess_grid_init(&g, 7 * MIN, NULL, why, sizeof(why)) == 0, "7m from the epoch is fine");
	/* 2024-01-01T00:00Z is 28401120 minutes after the epoch; 28401120 = 7 * 4057302 + 6 */
	is_int(bess_grid_floor(&g, utc(2024, 1, 1, 0, 0)), utc(2024, 1, 1, 0, 0) - 6 * MIN,
	    "7m grid: 6 minutes before 2024-01-01T00:00Z");

	/* --- zone grids need steps that fit a day */
	ok(bess_grid_init(&g, 7 * MIN, berlin, why, sizeof(why)) != 0, "7m with a zone is refused");
	ok(bess_grid_init(&g, 5 * H, berlin, why, sizeof(why)) != 0, "5h with a zone is refused");
	ok(bess_grid_init(&g, 36 * H, berlin, why, sizeof(why)) != 0, "36h with a zone is refused");

	/*
	 * Europe/Berlin 2023: CET (+1) until 2023-03-26T01:00Z, then CEST (+2)
	 * until 2023-10-29T01:00Z. Local midnights: 03-26 at 03-25T23:00Z,
	 * 03-27 at 03-26T22:00Z (a 23-hour day); 10-29 at 10-28T22:00Z, 10-30
	 * at 10-29T23:00Z (25 hours).
	 */
	ok(bess_grid_init(&g, DAY, berlin, why, sizeof(why)) == 0, "1d Berlin grid");
	is_int(bess_grid_floor(&g, utc(2023, 3, 26, 12, 0)), utc(2023, 3, 25, 23, 0),
	    "2023-03-26 starts at 23:00Z the day before");
	is_int(bess_grid_next(&g, utc(2023, 3, 25, 23, 0)), utc(2023, 3, 26, 22, 0),
	    "2023-03-26 ends at 22:00Z: 23 hours");
	is_int(bess_grid_floor(&g, utc(2023, 10, 29, 22, 30)), utc(2023, 10, 28, 22, 0),
	    "2023-10-29 22:30Z is still the 29th (23:30 CET)");
	is_int(bess_grid_next(&g, utc(2023, 10, 28, 22, 0)), utc(2023, 10, 29, 23, 0),
	    "2023-10-29 ends at 23:00Z: 25 hours");
	is_int(count(&g, utc(2022, 12, 31, 23, 0), utc(2023, 12, 31, 23, 0), &lo, &hi), 365,
	    "2023 has 365 local days");
	is_int(lo, 23 * H, "the shortest is 23 hours");
	is_int(hi, 25 * H, "the longest is 25 hours");

	ok(bess_grid_init(&g, 15 * MIN, berlin, why, sizeof(why)) == 0, "15m Berlin grid");
	is_int(count(&g, utc(2023, 3, 25, 23, 0), utc(2023, 3, 26, 22, 0), &lo, &hi), 92,
	    "spring day: 23 h = 92 quarter hours");
	ok(lo == 15 * MIN && hi == 15 * MIN, "all of them 15 minutes");
	is_int(count(&g, utc(2023, 10, 28, 22, 0), utc(2023, 10, 29, 23, 0), &lo, &hi), 100,
	    "autumn day: 25 h = 100 quarter hours");
	ok(lo == 15 * MIN && hi == 15 * MIN, "all of them 15 minutes");

	ok(bess_grid_init(&g, H, berlin, why, sizeof(why)) == 0, "1h Berlin grid");
	/* the repeated hour: 02:00 CEST = 00:00Z and 02:00 CET = 01:00Z both start an hour */
	is_int(bess_grid_next(&g, utc(2023, 10, 29, 0, 0)), utc(2023, 10, 29, 1, 0),
	    "02:00 CEST -> 02:00 CET");
	is_int(bess_grid_floor(&g, utc(2023, 10, 29, 1, 30)), utc(2023, 10, 29, 1, 0),
	    "02:30 CET lies in the second 02:00 hour");

	/*
	 * 2 hours, spring: starts at wall-clock 00:00 (23:00Z), 02:00 does not
	 * exist, the change at 01:00Z shows 03:00 (odd), so the next start is
	 * 04:00 CEST = 02:00Z: a 3-hour interval; then 04, 06, ..., 22 (10 more).
	 */
	ok(bess_grid_init(&g, 2 * H, berlin, why, sizeof(why)) == 0, "2h Berlin grid");
	is_int(bess_grid_next(&g, utc(2023, 3, 25, 23, 0)), utc(2023, 3, 26, 2, 0),
	    "spring: 00:00 -> 04:00 local, 3 hours");
	is_int(count(&g, utc(2023, 3, 25, 23, 0), utc(2023, 3, 26, 22, 0), &lo, &hi), 11,
	    "spring day in 2h steps: 11 intervals");
	ok(lo == 2 * H && hi == 3 * H, "2 to 3 hours long");
	/*
	 * 2 hours, autumn: 00:00 CEST (22:00Z), 02:00 CEST (00:00Z), 02:00 CET
	 * again (01:00Z: a 1-hour interval), 04:00 CET (03:00Z), ... 22:00 CET
	 * (21:00Z), midnight 23:00Z: 3 + 10 = 13 intervals.
	 */
	is_int(count(&g, utc(2023, 10, 28, 22, 0), utc(2023, 10, 29, 23, 0), &lo, &hi), 13,
	    "autumn day in 2h steps: 13 intervals");
	ok(lo == H && hi == 2 * H, "1 to 2 hours long");
	is_int(bess_grid_floor(&g, utc(2023, 10, 29, 0, 30)), utc(2023, 10, 29, 0, 0),
	    "02:30 CEST lies in [02:00 CEST, 02:00 CET)");

	ok(bess_grid_init(&g, 12 * H, berlin, why, sizeof(why)) == 0, "12h Berlin grid");
	is_int(bess_grid_next(&g, utc(2023, 10, 28, 22, 0)), utc(2023, 10, 29, 11, 0),
	    "autumn morning: 00:00 to 12:00 CET is 13 hours");

	/*
	 * 2 local days, counted from 1970-01-01 (day 0): 2023-03-26 is day
	 * 19442 (even), so a block runs 03-26 00:00 to 03-28 00:00 local,
	 * 23 + 24 = 47 hours.
	 */
	ok(bess_grid_init(&g, 2 * DAY, berlin, why, sizeof(why)) == 0, "2d Berlin grid");
	is_int(bess_grid_floor(&g, utc(2023, 3, 27, 12, 0)), utc(2023, 3, 25, 23, 0),
	    "the block of 03-27 starts 03-26 local");
	is_int(bess_grid_next(&g, utc(2023, 3, 25, 23, 0)), utc(2023, 3, 27, 22, 0),
	    "and lasts 47 hours");

	/*
	 * America/Santiago 2023-09-03: clocks jump from 00:00 -04 to 01:00 -03
	 * at 04:00Z, so that date has no midnight; its day starts at the change
	 * (04:00Z) and ends at 03:00Z on 09-04: 23 hours. The day before starts
	 * at 00:00 -04 = 04:00Z too.
	 */
	ok(bess_grid_init(&g, DAY, santiago, why, sizeof(why)) == 0, "1d Santiago grid");
	is_int(bess_grid_floor(&g, utc(2023, 9, 3, 12, 0)), utc(2023, 9, 3, 4, 0),
	    "a day without a midnight starts at the change");
	is_int(bess_grid_next(&g, utc(2023, 9, 3, 4, 0)), utc(2023, 9, 4, 3, 0), "23 hours");
	is_int(bess_grid_next(&g, utc(2023, 9, 2, 4, 0)), utc(2023, 9, 3, 4, 0),
	    "the day before ends at the change");
	ok(bess_grid_init(&g, H, santiago, why, sizeof(why)) == 0, "1h Santiago grid");
	is_int(bess_grid_next(&g, utc(2023, 9, 3, 3, 0)), utc(2023, 9, 3, 4, 0),
	    "23:00 -04 -> 01:00 -03 (the change)");

	/* a fixed offset: +05:30 midnight is 18:30Z the day before */
	ok(bess_grid_init(&g, DAY, kolkata, why, sizeof(why)) == 0, "1d +05:30 grid");
	a = bess_grid_floor(&g, utc(2024, 1, 1, 0, 0));
	is_int(a, utc(2023, 12, 31, 18, 30), "+05:30 day starts 18:30Z");
	is_int(bess_grid_next(&g, a) - a, DAY, "24 hours");

	bess_tz_free(berlin);
	bess_tz_free(santiago);
	bess_tz_free(kolkata);
	return done();
}
