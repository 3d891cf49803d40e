/* civil.c: civil-date arithmetic (days from a calendar date and back, the UTC wall clock of an instant); no zones, no text. */
#include <stdint.h>

#include "bess_civil.h"

/* Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html). */
int64_t
bess_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;				/* [0, 399] */
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;	/* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */

	return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days. */
void
bess_civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;				/* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;	/* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;			/* [0, 11], March = 0 */
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

bess_time_t
bess_time_from_civil_utc(const struct bess_civil *c)
{
	int64_t y = c->year, m = c->month - 1;
	int64_t days;

	/* Carry an out-of-range month into the year; the other fields add linearly. */
	y += m >= 0 ? m / 12 : -((11 - m) / 12);
	m -= (m >= 0 ? m / 12 : -((11 - m) / 12)) * 12;
	days = bess_days_from_civil((int)y, (int)m + 1, c->day);
	return days * BESS_US_PER_DAY + (int64_t)c->hour * BESS_US_PER_H +
	    (int64_t)c->min * 60 * BESS_US_PER_S + (int64_t)c->sec * BESS_US_PER_S + c->usec;
}

void
bess_time_to_civil_utc(bess_time_t t, struct bess_civil *c)
{
	int64_t days = t / BESS_US_PER_DAY, rem = t % BESS_US_PER_DAY;

	if (rem < 0) {		/* floor, without overflowing near INT64_MIN */
		days--;
		rem += BESS_US_PER_DAY;
	}
	bess_civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(rem / BESS_US_PER_H);
	c->min = (int)(rem / (60 * BESS_US_PER_S) % 60);
	c->sec = (int)(rem / BESS_US_PER_S % 60);
	c->usec = (int)(rem % BESS_US_PER_S);
	c->wday = bess_weekday(days);
	c->yday = (int)(days - bess_days_from_civil(c->year, 1, 1));
	c->utcoff_s = 0;
	c->isdst = 0;
}

int
bess_month_days(int y, int m)
{
	static const unsigned char md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2)
		return 28 + ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
	return md[m - 1];
}

int
bess_weekday(int64_t days)
{
	return (int)((days % 7 + 11) % 7);	/* 1970-01-01 was a Thursday */
}
