/* bess_time.h: instants, civil dates, IANA time zones and timestamp parsing/formatting. */
#ifndef BESS_TIME_H
#define BESS_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "bess_err.h"

/* An instant: microseconds since 1970-01-01T00:00:00Z (UTC, no leap seconds). */
typedef int64_t bess_time_t;

#define BESS_US_PER_S	1000000LL
#define BESS_US_PER_H	3600000000LL
#define BESS_TIME_BUFSZ	40	/* enough for any formatted timestamp + NUL */

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

/*
 * Time zones, read from TZif files ($TZDIR, default /usr/share/zoneinfo),
 * including the POSIX TZ footer for instants past the last transition.
 * Names: "UTC", "Z", IANA names like "Europe/Berlin", and fixed offsets
 * "+02:00", "-0530", "+02", "UTC+10:00", "UTC-05" (ISO 8601 sign: + is east
 * of UTC, unlike POSIX TZ strings; up to 23:59). Relative names must not
 * contain ".."; an absolute path names a TZif file directly. Zone files that
 * count leap seconds ("right/...") are refused. Never touches the TZ
 * variable or libc's zone state.
 */
struct bess_tz;
struct bess_tz *bess_tz_load(const char *name, struct bess_err *err);
void bess_tz_free(struct bess_tz *tz);
const char *bess_tz_name(const struct bess_tz *tz);
/* 1 when tz shows UTC at every instant (offset 0, never DST: "UTC", "Etc/UTC", "+00:00"). */
int bess_tz_is_utc(const struct bess_tz *tz);
/* The abbreviation in effect at t ("CET", "CEST", "UTC"); "" when the zone has none (fixed offsets). */
const char *bess_tz_abbr(const struct bess_tz *tz, bess_time_t t);
#define BESS_ABBR_MAX	8	/* abbreviations are shorter than this */
/* 1 when tz shows the abbreviation abbr (len bytes) at some time in its history or rules. */
int bess_tz_knows_abbr(const struct bess_tz *tz, const char *abbr, size_t len);

/* Offset from UTC (seconds east) in effect at instant t; *isdst set if not NULL. */
int bess_tz_offset(const struct bess_tz *tz, bess_time_t t, int *isdst);

/* The local wall clock of t in tz (all fields filled; saturates within ~1 day of the int64 limits). */
void bess_time_to_civil(const struct bess_tz *tz, bess_time_t t, struct bess_civil *c);

/*
 * Local wall clock -> instants. local_us is the wall clock read as if it
 * were UTC (bess_time_from_civil_utc of the civil fields).
 * Returns the number of instants showing that wall clock:
 *   1: t[0] is the one;
 *   2: a fold (clocks went back): t[0] the earlier, t[1] the later instant;
 *   0: a gap (clocks went forward, the time does not exist): t[0] is the
 *      instant read with the offset before the change (later than the gap
 *      start, i.e. "shifted forward"), t[1] read with the offset after it.
 * local_us must lie within +-2^62 (any year a bess_time_t can show).
 */
int bess_tz_local_to_utc(const struct bess_tz *tz, int64_t local_us, bess_time_t t[2]);

/* What to do with a local time that does not exist (gap) or exists twice (fold). */
enum bess_gap_policy {
	BESS_GAP_ERROR = 0,	/* report an error (default) */
	BESS_GAP_FORWARD,	/* use the offset before the change (02:30 -> 03:30 in spring) */
	BESS_GAP_BACKWARD,	/* use the offset after the change (02:30 -> 01:30) */
	BESS_GAP_SKIP		/* drop the record (caller acts on BESS_TP_SKIP) */
};
enum bess_fold_policy {
	BESS_FOLD_ERROR = 0,	/* report an error (default) */
	BESS_FOLD_EARLIER,	/* the first of the two instants */
	BESS_FOLD_LATER,	/* the second */
	BESS_FOLD_INFER,	/* from order: the earlier unless the previous record is at or after it */
	BESS_FOLD_SKIP		/* drop the record */
};

/* How the text of a time field is to be read. Zero-initialised = RFC 3339 with offset only. */
struct bess_tparse {
	const struct bess_tz *tz;	/* zone for naive (offset-less) times, or NULL */
	int naive_utc;			/* 1: naive times are UTC (when tz is NULL) */
	const char *pattern;		/* strptime-like pattern (see below) or NULL for ISO 8601 / RFC 3339 */
	int epoch_unit;			/* 0: not epoch; else the field is a number of these: 1 = s, 1000 = ms, 1000000 = us, 1000000000 = ns;
					   "[+-]digits[.digits]", digits finer than 1 us dropped toward the past (floor); pattern ignored */
	enum bess_gap_policy gap;	/* nonexistent local times */
	enum bess_fold_policy fold;	/* ambiguous local times */
	bess_time_t prev;		/* for BESS_FOLD_INFER: the previous record's instant, or INT64_MIN (0 is an instant) */
};

/* Return values of bess_time_parse. */
#define BESS_TP_OK	0	/* *out set */
#define BESS_TP_ERR	(-1)	/* why filled */
#define BESS_TP_SKIP	1	/* a gap/fold with policy SKIP: drop the record */

/*
 * Parse a timestamp of len bytes (not necessarily NUL-terminated).
 * Without a pattern accepts: "YYYY-MM-DDTHH:MM[:SS[.frac]]" with 'T' or a
 * space, optional "Z"/"z"/"+HH:MM"/"+HHMM"/"+HH" offset, and a bare date
 * "YYYY-MM-DD" (midnight). Fractions up to 9 digits (kept to the microsecond,
 * truncated, not rounded). The date may also be day first with dots,
 * "D.M.YYYY" or "DD.MM.YYYY"; with slashes ("01/02/2024") it is an error
 * whose why suggests a --time-format, as day or month first is not known.
 * Zone markers: a naive time followed by " (ABBR)" or " ABBR" (after one or
 * more spaces, as read by the pattern or the default rules) takes the offset
 * o->tz shows under that abbreviation at that wall clock, which resolves a
 * fold; a marker o->tz never shows, or does not show then, is an error, and
 * so is a marker without o->tz. "UTC", "GMT" and "Z" markers mean UTC.
 * Pattern directives: %Y %m %d %H %M %S (%S may carry ".frac"), %y (2000-2068/1969-1999 as POSIX),
 * %b (Jan..Dec, case-insensitive), %p (AM/PM with %I), %I, %j, %z (+HH:MM, +HHMM, Z),
 * %f (fraction digits), %s (epoch seconds), %T = %H:%M:%S, %F = %Y-%m-%d, %% ; other
 * characters match themselves; a space matches one or more spaces.
 * %Y takes exactly 4 digits, %j 1-3, the other numbers 1-2 (greedy), so
 * "%Y%m%d%H%M" reads "201907111402"; %I without %p reads 1..12 as is.
 * A pattern must read a full date (%Y or %y, and %m %d or %j) unless it has %s.
 * A time with an offset is exact whatever tz says; a naive time needs
 * o->tz or o->naive_utc, else BESS_TP_ERR with a why that names --tz / --utc.
 * The instant must lie in the years 0000..9999 UTC. o may be NULL (defaults).
 * why (may be NULL) receives a lower-case message without file/line that
 * quotes the input (control bytes shown as '?', long input cut with "...").
 */
int bess_time_parse(const char *s, size_t len, const struct bess_tparse *o,
    bess_time_t *out, char *why, size_t whylen);

/*
 * A time field that may be an interval "A - B" (two timestamps, each read
 * as by bess_time_parse, separated by " - "): *start = A, *end = B, and B
 * must be after A. Not a range (no " - ", or the pattern has one): as
 * bess_time_parse, with *end = INT64_MIN. The DST policies apply to A; an
 * unmarked B in a fold is its first occurrence after A, in a gap it takes
 * the offset before the change (the moment clocks jumped); an unmarked A
 * in a fold that only one reading keeps before B takes that reading.
 */
int bess_time_parse_range(const char *s, size_t len, const struct bess_tparse *o,
    bess_time_t *start, bess_time_t *end, char *why, size_t whylen);

/* Format t as RFC 3339 UTC: "2025-01-16T10:00:00Z"; fraction ".123" or ".123456" only if nonzero. Returns buf. */
char *bess_time_format(bess_time_t t, char buf[BESS_TIME_BUFSZ]);
/*
 * Format t as local time in tz with its offset: "2025-01-16T11:00:00+01:00".
 * Zones for which bess_tz_is_utc() holds give "Z"; others "+00:00" at offset 0.
 * Historical offsets with seconds (local mean time) print as "+00:53:28".
 * Years outside 0000..9999 print ISO 8601 expanded: "+12345-...", "-0001-...".
 */
char *bess_time_format_local(const struct bess_tz *tz, bess_time_t t, char buf[BESS_TIME_BUFSZ]);

#endif
