/* bess_time.h: timestamp parsing and formatting, over civil arithmetic (bess_civil.h) and zones (bess_tz.h). */
#ifndef BESS_TIME_H
#define BESS_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "bess_civil.h"
#include "bess_err.h"
#include "bess_tz.h"

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
 * A cache for a run of timestamps that mostly share their minute and offset
 * ("2024-01-01T10:15:" ... "Z"), as records seconds apart do: then only the
 * seconds (and fraction) are read, relative to the instant the full parser
 * gave for that minute. Zero it before the first use; one per stream.
 */
struct bess_tcache {
	int ok;			/* the rest is valid */
	char pre[17];		/* "YYYY-MM-DDTHH:MM:" */
	char suf[8];		/* offset text after seconds and fraction: "Z", "+01:00" */
	size_t nsuf;
	bess_time_t base;	/* instant of pre + "00" + suf */
};

/*
 * bess_time_parse through the cache tc: the same instant, found without the
 * full parser when s shares the cached minute and offset. o may be NULL; a
 * pattern or an epoch unit in o bypasses the cache.
 */
int bess_time_parse_cached(struct bess_tcache *tc, const char *s, size_t len,
    const struct bess_tparse *o, bess_time_t *out, char *why, size_t whylen);

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

/* A time of day "HH:MM" or "H:MM" of len bytes (00:00..24:00) into minutes after midnight; -1 if not that. */
int bess_clock_min(const char *s, size_t len);

/* The instants a record can carry, and every tool reads back: the years 0000..9999 UTC. */
#define BESS_TIME_MIN	(-719528LL * 86400000000LL)		/* 0000-01-01T00:00:00Z */
#define BESS_TIME_MAX	(2932897LL * 86400000000LL - 1)		/* 9999-12-31T23:59:59.999999Z */

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
