/* bess_civil.h: instants and civil (proleptic Gregorian, UTC) calendar arithmetic; depends on nothing else in bess. */
#ifndef BESS_CIVIL_H
#define BESS_CIVIL_H

#include <stdint.h>

/* An instant: microseconds since 1970-01-01T00:00:00Z (UTC, no leap seconds). */
typedef int64_t bess_time_t;

#define BESS_US_PER_S	1000000LL
#define BESS_US_PER_H	3600000000LL
#define BESS_US_PER_DAY	(86400LL * BESS_US_PER_S)
#define BESS_TIME_BUFSZ	40	/* enough for any formatted timestamp + NUL */

/* a / b rounded down (toward minus infinity), b != 0: the step or day an instant falls in. */
static inline int64_t
bess_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* A broken-down wall-clock time (proleptic Gregorian). */
struct bess_civil {
	int year;		/* e.g. 2025 */
	int month;		/* 1..12 */
	int day;		/* 1..31 */
	int hour;		/* 0..23 */
	int min;		/* 0..59 */
	int sec;		/* 0..59 */
	int usec;		/* 0..999999 */
	int wday;		/* 0 = Sunday .. 6 = Saturday */
	int yday;		/* 0..365 */
	int utcoff_s;		/* offset of this wall clock from UTC, seconds east */
	int isdst;		/* 1 when daylight saving time is in effect */
};

/* Days since 1970-01-01 for a civil date, and back (any year, no overflow for |year| < 1e6). */
int64_t bess_days_from_civil(int year, int month, int day);
void bess_civil_from_days(int64_t days, int *year, int *month, int *day);

/* The instant whose UTC wall clock is c (c->utcoff_s, wday, yday ignored); timegm() without libc. */
bess_time_t bess_time_from_civil_utc(const struct bess_civil *c);
/* The UTC wall clock of t (utcoff_s = 0, isdst = 0). */
void bess_time_to_civil_utc(bess_time_t t, struct bess_civil *c);

/* Days in month (1..12) of year: 28..31, leap years as Gregorian. */
int bess_month_days(int year, int month);

/* Weekday of a day counted from 1970-01-01 (a Thursday): 0 = Sunday .. 6 = Saturday. */
int bess_weekday(int64_t days);

#endif
