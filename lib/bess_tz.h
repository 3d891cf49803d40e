/* bess_tz.h: IANA time zones and fixed offsets: UTC offsets at an instant, and local wall clock to instants (uses bess_civil.h only). */
#ifndef BESS_TZ_H
#define BESS_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "bess_civil.h"
#include "bess_err.h"

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

#endif
