/* tz.c: time zones from TZif files (with the POSIX TZ footer) and fixed UTC offsets. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_tz.h"

#define TZ_MAXFILE	(1 << 20)	/* largest TZif file read, bytes */
#define TZ_MAXOFF	(26 * 3600)	/* largest |UTC offset| accepted, seconds (RFC 8536: -89999..93599) */
#define TZ_PERIOD	(146097LL * 86400)	/* the Gregorian cycle: 400 years, whole weeks, seconds */
#define TZ_FOOT_Y0	2000		/* first rule year of the precomputed footer period */
#define TZ_ABBRSZ	8		/* longest abbreviation kept + NUL (TZif ones are 3 to 6 bytes) */

/* One local time type: what the wall clock shows relative to UTC. */
struct tz_type {
	int32_t off;		/* offset from UTC, seconds east */
	uint8_t isdst;		/* 1 during daylight saving time */
	char abbr[TZ_ABBRSZ];	/* its abbreviation ("CET", "CEST", "+03"), "" if none or too long */
};

/* One rule of a POSIX TZ string: the day and local time a change happens each year. */
struct tz_rule {
	char kind;		/* 'J' (Jn, 1..365, no Feb 29), 'n' (0..365, zero-based), 'M' (Mm.w.d) */
	int n;			/* day for 'J' and 'n' */
	int m, w, d;		/* month 1..12, week 1..5 (5 = last), weekday 0 = Sunday, for 'M' */
	int32_t time;		/* local time of the change, seconds after midnight (-167h..167h) */
};

/* A parsed POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". */
struct tz_posix {
	int32_t std_off;	/* standard time offset, seconds east of UTC */
	int32_t dst_off;	/* daylight time offset, seconds east of UTC */
	int has_dst;		/* 1 when the string names a daylight time and rules */
	struct tz_rule start;	/* change from standard to daylight time, in standard local time */
	struct tz_rule end;	/* change from daylight to standard time, in daylight local time */
	char std_abbr[TZ_ABBRSZ];	/* standard time's abbreviation, "" if too long */
	char dst_abbr[TZ_ABBRSZ];	/* daylight time's */
};

/* A loaded zone; read-only after bess_tz_load, so safe to share between threads. */
struct bess_tz {
	char *name;		/* the name it was loaded by, e.g. "Europe/Berlin" */
	struct tz_type *types;	/* local time types (TZif types, then the footer's std [and dst]) */
	int ntypes;		/* entries in types */
	int64_t *trans;		/* TZif transition instants, seconds since the epoch, ascending */
	uint16_t *tidx;		/* tidx[i]: index in types in effect from trans[i] on */
	int ntrans;		/* entries in trans and tidx */
	int type0;		/* type before the first transition (or always, when none) */
	int foot;		/* FOOT_NONE, FOOT_FIXED or FOOT_RULE: what governs after the last transition */
	int foot_type;		/* with FOOT_FIXED: the type after the last transition */
	int64_t *ftrans;	/* FOOT_RULE: footer transitions of one 400-year period, seconds, ascending */
	uint16_t *ftidx;	/* type in effect from ftrans[i] on */
	int nftrans;		/* entries in ftrans; ftrans[0] < fstart <= ftrans[1] */
	int64_t fstart;		/* start of the period window [fstart, fstart + TZ_PERIOD), seconds */
	int always_utc;		/* 1 when every instant has offset 0 without DST (UTC, Etc/UTC, +00:00) */
};

enum { FOOT_NONE, FOOT_FIXED, FOOT_RULE };

/* The stretch of time [lo, hi) (seconds) during which one type is in effect. */
struct tz_span {
	int64_t lo;		/* first second of the span, INT64_MIN if unbounded */
	int64_t hi;		/* first second after it, INT64_MAX if unbounded */
	const struct tz_type *ty;	/* the type in effect */
};

/* Index of the last element of v[0..n) that is <= x, or -1. */
static int
last_le(const int64_t *v, int n, int64_t x)
{
	int lo = 0, hi = n;	/* answer + 1 is in [lo, hi] */

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

static void
tz_span(const struct bess_tz *tz, int64_t ts, struct tz_span *sp)
{
	int n = tz->ntrans, i;

	if (n == 0 || ts < tz->trans[n - 1] || tz->foot == FOOT_NONE) {
		if (n == 0) {
			sp->lo = INT64_MIN;
			sp->hi = INT64_MAX;
			sp->ty = &tz->types[tz->type0];
			if (tz->foot == FOOT_NONE)
				return;
		} else {
			i = last_le(tz->trans, n, ts);
			if (i < 0) {
				sp->lo = INT64_MIN;
				sp->hi = tz->trans[0];
				sp->ty = &tz->types[tz->type0];
			} else {
				sp->lo = tz->trans[i];
				sp->hi = i + 1 < n ? tz->trans[i + 1] : INT64_MAX;
				sp->ty = &tz->types[tz->tidx[i]];
			}
			return;
		}
	}
	/* At or after the last transition: the footer decides. */
	if (tz->foot == FOOT_FIXED) {
		sp->lo = n > 0 ? tz->trans[n - 1] : INT64_MIN;
		sp->hi = INT64_MAX;
		sp->ty = &tz->types[tz->foot_type];
		return;
	}
	{
		int64_t k = 0, r = ts;

		if (ts < tz->fstart || ts - tz->fstart >= TZ_PERIOD) {
			k = bess_floor_div(ts - tz->fstart, TZ_PERIOD);
			r = ts - k * TZ_PERIOD;
		}
		i = last_le(tz->ftrans, tz->nftrans, r);	/* >= 0: ftrans[0] < fstart */
		sp->lo = tz->ftrans[i] + k * TZ_PERIOD;
		if (i + 1 < tz->nftrans)
			sp->hi = tz->ftrans[i + 1] + k * TZ_PERIOD;
		else
			sp->hi = tz->ftrans[1] + (k + 1) * TZ_PERIOD;
		sp->ty = &tz->types[tz->ftidx[i]];
		if (n > 0 && sp->lo < tz->trans[n - 1])
			sp->lo = tz->trans[n - 1];
	}
}

int
bess_tz_offset(const struct bess_tz *tz, bess_time_t t, int *isdst)
{
	struct tz_span sp;

	tz_span(tz, bess_floor_div(t, BESS_US_PER_S), &sp);
	if (isdst != NULL)
		*isdst = sp.ty->isdst;
	return sp.ty->off;
}

void
bess_time_to_civil(const struct bess_tz *tz, bess_time_t t, struct bess_civil *c)
{
	int isdst;
	int off = bess_tz_offset(tz, t, &isdst);
	int64_t ous = (int64_t)off * BESS_US_PER_S;

	/* Saturate rather than overflow ~292000 years out. */
	if (ous > 0 && t > INT64_MAX - ous)
		t = INT64_MAX - ous;
	else if (ous < 0 && t < INT64_MIN - ous)
		t = INT64_MIN - ous;
	bess_time_to_civil_utc(t + ous, c);
	c->utcoff_s = off;
	c->isdst = isdst;
}

int
bess_tz_local_to_utc(const struct bess_tz *tz, int64_t local_us, bess_time_t t[2])
{
	int64_t ls = bess_floor_div(local_us, BESS_US_PER_S);
	int64_t sub = local_us - ls * BESS_US_PER_S;
	int64_t end = ls + TZ_MAXOFF, cand;
	int64_t found[2] = { 0, 0 };
	int nfound = 0, have_after = 0, guard;
	int32_t off_after = 0, off_before = 0;
	struct tz_span sp;

	/*
	 * Every instant showing this wall clock lies in [ls - MAXOFF, ls + MAXOFF];
	 * walk the spans covering that window and keep the candidates that fall
	 * inside the span whose offset produced them.
	 */
	tz_span(tz, ls - TZ_MAXOFF, &sp);
	if (sp.hi > end) {	/* the usual case: no change nearby */
		t[0] = (ls - sp.ty->off) * BESS_US_PER_S + sub;
		return 1;
	}
	for (guard = 0; guard < 64; guard++) {
		cand = ls - sp.ty->off;
		if (cand >= sp.lo && cand < sp.hi) {
			if (nfound < 2)
				found[nfound++] = cand;
			else
				found[1] = cand;	/* keep the earliest and the latest */
		} else if (cand >= sp.hi) {
			/* This wall clock is past the end of the span: a later one may hold it. */
			off_before = sp.ty->off;
			have_after = 0;
		} else if (!have_after) {
			/* Before the start of the span: it fell into the gap before it. */
			off_after = sp.ty->off;
			have_after = 1;
		}
		if (sp.hi == INT64_MAX || sp.hi > end)
			break;
		tz_span(tz, sp.hi, &sp);
	}
	if (nfound > 0) {
		t[0] = found[0] * BESS_US_PER_S + sub;
		t[1] = found[1] * BESS_US_PER_S + sub;
		return nfound;
	}
	/* A gap. */
	if (!have_after)
		off_after = off_before;
	t[0] = (ls - off_before) * BESS_US_PER_S + sub;
	t[1] = (ls - off_after) * BESS_US_PER_S + sub;
	return 0;
}

const char *
bess_tz_name(const struct bess_tz *tz)
{
	return tz->name;
}

void
bess_tz_free(struct bess_tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->name);
	free(tz->types);
	free(tz->trans);
	free(tz->tidx);
	free(tz->ftrans);
	free(tz->ftidx);
	free(tz);
}

/* ---- POSIX TZ strings ---- */

static int
posix_num(const char **pp, int maxdig, int *v)
{
	const char *p = *pp;
	int n = 0, k = 0;

	while (k < maxdig && *p >= '0' && *p <= '9') {
		n = n * 10 + (*p++ - '0');
		k++;
	}
	if (k == 0)
		return -1;
	*v = n;
	*pp = p;
	return 0;
}

/* [+-]hh[:mm[:ss]] with hh <= maxh; returns seconds in *v. */
static int
posix_hms(const char **pp, int maxh, int32_t *v)
{
	const char *p = *pp;
	int sign = 1, h, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (posix_num(&p, 3, &h) < 0 || h > maxh)
		return -1;
	if (*p == ':') {
		p++;
		if (posix_num(&p, 2, &m) < 0 || m > 59)
			return -1;
		if (*p == ':') {
			p++;
			if (posix_num(&p, 2, &s) < 0 || s > 59)
				return -1;
		}
	}
	*v = sign * (h * 3600 + m * 60 + s);
	*pp = p;
	return 0;
}

/* A zone name ("CET" or "<+03>"), copied into abbr when it fits ("" otherwise). */
static int
posix_name(const char **pp, char abbr[TZ_ABBRSZ])
{
	const char *p = *pp, *s;
	int k = 0;

	if (*p == '<') {
		for (s = ++p; *p != '>'; p++, k++)
			if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-')
				return -1;
		p++;
	} else {
		for (s = p; isalpha((unsigned char)*p); p++)
			k++;
	}
	if (k < 3)
		return -1;
	abbr[0] = '\0';
	if (k < TZ_ABBRSZ) {
		memcpy(abbr, s, (size_t)k);
		abbr[k] = '\0';
	}
	*pp = p;
	return 0;
}

static int
posix_rule(const char **pp, struct tz_rule *r)
{
	const char *p = *pp;

	if (*p == 'J') {
		p++;
		r->kind = 'J';
		if (posix_num(&p, 3, &r->n) < 0 || r->n < 1 || r->n > 365)
			return -1;
	} else if (*p == 'M') {
		p++;
		r->kind = 'M';
		if (posix_num(&p, 2, &r->m) < 0 || r->m < 1 || r->m > 12 ||
		    *p++ != '.' ||
		    posix_num(&p, 1, &r->w) < 0 || r->w < 1 || r->w > 5 ||
		    *p++ != '.' ||
		    posix_num(&p, 1, &r->d) < 0 || r->d > 6)
			return -1;
	} else {
		r->kind = 'n';
		if (posix_num(&p, 3, &r->n) < 0 || r->n > 365)
			return -1;
	}
	r->time = 2 * 3600;
	if (*p == '/') {
		p++;
		if (posix_hms(&p, 167, &r->time) < 0)
			return -1;
	}
	*pp = p;
	return 0;
}

/* Parse a POSIX TZ string (TZif v3 extensions included); 0 or -1. */
static int
posix_parse(const char *p, struct tz_posix *pz)
{
	int32_t v;

	memset(pz, 0, sizeof(*pz));
	if (posix_name(&p, pz->std_abbr) < 0 || posix_hms(&p, 24, &v) < 0)
		return -1;
	pz->std_off = -v;	/* POSIX counts hours west */
	pz->dst_off = pz->std_off;
	if (*p == '\0')
		return 0;
	if (posix_name(&p, pz->dst_abbr) < 0)
		return -1;
	pz->has_dst = 1;
	pz->dst_off = pz->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if (posix_hms(&p, 24, &v) < 0)
			return -1;
		pz->dst_off = -v;
	}
	if (*p == '\0') {
		/* No rules: POSIX leaves them to the implementation; use today's US rules. */
		p = ",M3.2.0,M11.1.0";
	}
	if (*p++ != ',' || posix_rule(&p, &pz->start) < 0 ||
	    *p++ != ',' || posix_rule(&p, &pz->end) < 0 || *p != '\0')
		return -1;
	return 0;
}

/* The local midnight (seconds, read as UTC) of the day a rule names in year y. */
static int64_t
rule_day(const struct tz_rule *r, int y)
{
	int64_t days;

	switch (r->kind) {
	case 'J':
		days = bess_days_from_civil(y, 1, 1) + r->n - 1 +
		    (bess_month_days(y, 2) == 29 && r->n >= 60);
		break;
	case 'n':
		days = bess_days_from_civil(y, 1, 1) + r->n;
		break;
	default: {
		int64_t first = bess_days_from_civil(y, r->m, 1);
		int wd1 = bess_weekday(first);
		int md = bess_month_days(y, r->m);
		int day = 1 + (r->d - wd1 + 7) % 7 + (r->w - 1) * 7;

		while (day > md)
			day -= 7;
		days = first + day - 1;
		break;
	}
	}
	return days * 86400;
}

/* One footer transition while building the period table. */
struct ftr {
	int64_t t;		/* instant, seconds since the epoch */
	int seq;		/* generation order: breaks ties so the later rule wins */
	int type;		/* type index in effect from t on */
};

/* Precompute one 400-year period of the footer's transitions. */
static int
foot_build(struct bess_tz *tz, const struct tz_posix *pz, int stdt, int dstt)
{
	enum { NY = 402 };
	struct ftr *v, x;
	int i, j, n = 0, y, k;
	int64_t w0 = bess_days_from_civil(TZ_FOOT_Y0, 1, 1) * 86400;

	if ((v = calloc(2 * NY, sizeof(*v))) == NULL)
		return -1;
	for (y = TZ_FOOT_Y0 - 1; y <= TZ_FOOT_Y0 + 400; y++) {
		v[n].t = rule_day(&pz->start, y) + pz->start.time - pz->std_off;
		v[n].seq = n;
		v[n].type = dstt;
		n++;
		v[n].t = rule_day(&pz->end, y) + pz->end.time - pz->dst_off;
		v[n].seq = n;
		v[n].type = stdt;
		n++;
	}
	/* Insertion sort: the list is nearly sorted already. */
	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && (v[j - 1].t > x.t ||
		    (v[j - 1].t == x.t && v[j - 1].seq > x.seq)); j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	/* At equal instants the later rule wins: drop the earlier ones. */
	for (i = 0, k = 0; i < n; i++) {
		if (i + 1 < n && v[i + 1].t == v[i].t)
			continue;
		v[k++] = v[i];
	}
	n = k;
	/* Keep the last transition before the window and those inside it. */
	for (i = 0; i < n && v[i].t < w0; i++)
		;
	if (i == 0 || i == n) {
		free(v);
		return -1;
	}
	i--;
	for (k = i; k < n && v[k].t < w0 + TZ_PERIOD; k++)
		;
	tz->nftrans = k - i;
	if (tz->nftrans < 2) {
		free(v);
		return -1;
	}
	tz->ftrans = calloc(tz->nftrans, sizeof(*tz->ftrans));
	tz->ftidx = calloc(tz->nftrans, sizeof(*tz->ftidx));
	if (tz->ftrans == NULL || tz->ftidx == NULL) {
		free(v);
		return -1;
	}
	for (j = 0; j < tz->nftrans; j++) {
		tz->ftrans[j] = v[i + j].t;
		tz->ftidx[j] = (uint16_t)v[i + j].type;
	}
	tz->fstart = w0;
	free(v);
	return 0;
}

/* Append the footer's types to tz and set up what governs after the last transition. */
static int
foot_setup(struct bess_tz *tz, const struct tz_posix *pz)
{
	struct tz_type *nt;
	int stdt, dstt, k = pz->has_dst ? 2 : 1;

	if ((nt = realloc(tz->types, (tz->ntypes + k) * sizeof(*nt))) == NULL)
		return -1;
	tz->types = nt;
	stdt = tz->ntypes;
	dstt = tz->ntypes + 1;
	nt[stdt].off = pz->std_off;
	nt[stdt].isdst = 0;
	memcpy(nt[stdt].abbr, pz->std_abbr, TZ_ABBRSZ);
	if (pz->has_dst) {
		nt[dstt].off = pz->dst_off;
		nt[dstt].isdst = 1;
		memcpy(nt[dstt].abbr, pz->dst_abbr, TZ_ABBRSZ);
	}
	tz->ntypes += k;
	if (!pz->has_dst) {
		tz->foot = FOOT_FIXED;
		tz->foot_type = stdt;
		return 0;
	}
	tz->foot = FOOT_RULE;
	return foot_build(tz, pz, stdt, dstt);
}

/* ---- TZif files ---- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Counts from a TZif header. */
struct tzif_hdr {
	int version;		/* 1, 2, 3, 4 */
	uint32_t isutcnt;	/* UT/local indicators */
	uint32_t isstdcnt;	/* standard/wall indicators */
	uint32_t leapcnt;	/* leap second records */
	uint32_t timecnt;	/* transitions */
	uint32_t typecnt;	/* local time types */
	uint32_t charcnt;	/* bytes of abbreviations */
};

static int
tzif_hdr(const unsigned char *p, size_t len, struct tzif_hdr *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	if (p[4] == 0)
		h->version = 1;
	else if (p[4] >= '2' && p[4] <= '9')
		h->version = p[4] - '0';
	else
		return -1;
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->typecnt == 0 || h->typecnt > 256 || h->timecnt > 1000000 ||
	    h->leapcnt > 100000 || h->charcnt > 100000 ||
	    (h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
		return -1;
	return 0;
}

static size_t
tzif_datalen(const struct tzif_hdr *h, int tsz)
{
	return (size_t)h->timecnt * tsz + h->timecnt + (size_t)h->typecnt * 6 +
	    h->charcnt + (size_t)h->leapcnt * (tsz + 4) + h->isstdcnt + h->isutcnt;
}

/* Parse TZif bytes into tz; returns 0, or -1 with *why set to a reason. */
static int
tzif_parse(struct bess_tz *tz, const unsigned char *buf, size_t len, const char **why)
{
	struct tzif_hdr h;
	const unsigned char *p, *chars;
	size_t dl;
	uint32_t i;
	int tsz = 4;

	*why = "not a TZif file";
	if (tzif_hdr(buf, len, &h) < 0)
		return -1;
	dl = tzif_datalen(&h, 4);
	if (len - 44 < dl)
		return -1;
	p = buf + 44;
	if (h.version >= 2) {
		/* Skip the 32-bit block; use the 64-bit one after the second header. */
		p += dl;
		if (tzif_hdr(p, len - (size_t)(p - buf), &h) < 0)
			return -1;
		p += 44;
		tsz = 8;
		dl = tzif_datalen(&h, 8);
		if (len - (size_t)(p - buf) < dl)
			return -1;
	}
	if (h.leapcnt != 0) {
		*why = "it counts leap seconds, which bess does not support";
		return -1;
	}
	*why = "corrupt TZif file";
	tz->ntrans = (int)h.timecnt;
	tz->ntypes = (int)h.typecnt;
	tz->trans = calloc(h.timecnt + 1, sizeof(*tz->trans));
	tz->tidx = calloc(h.timecnt + 1, sizeof(*tz->tidx));
	tz->types = calloc(h.typecnt, sizeof(*tz->types));
	if (tz->trans == NULL || tz->tidx == NULL || tz->types == NULL) {
		*why = "out of memory";
		return -1;
	}
	for (i = 0; i < h.timecnt; i++) {
		tz->trans[i] = tsz == 8 ? be64(p) : (int32_t)be32(p);
		p += tsz;
		if (i > 0 && tz->trans[i] <= tz->trans[i - 1])
			return -1;
		/* Beyond any instant a bess_time_t can hold: irrelevant, and keeps arithmetic safe. */
		if (tz->trans[i] > INT64_MAX / 4 || tz->trans[i] < INT64_MIN / 4)
			return -1;
	}
	for (i = 0; i < h.timecnt; i++) {
		if (*p >= h.typecnt)
			return -1;
		tz->tidx[i] = *p++;
	}
	chars = p + (size_t)h.typecnt * 6;
	for (i = 0; i < h.typecnt; i++) {
		int32_t off = (int32_t)be32(p);
		const unsigned char *a;
		size_t k;

		if (off <= -TZ_MAXOFF || off >= TZ_MAXOFF || p[4] > 1 || p[5] >= h.charcnt)
			return -1;
		tz->types[i].off = off;
		tz->types[i].isdst = p[4];
		/* the NUL-terminated abbreviation at chars[p[5]], kept when short and printable */
		a = chars + p[5];
		for (k = 0; p[5] + k < h.charcnt && a[k] != '\0' && k < TZ_ABBRSZ; k++)
			if (!isalnum(a[k]) && a[k] != '+' && a[k] != '-')
				break;
		if (k > 0 && k < TZ_ABBRSZ && p[5] + k < h.charcnt && a[k] == '\0')
			memcpy(tz->types[i].abbr, a, k);
		p += 6;
	}
	tz->type0 = 0;
	p += h.charcnt + h.isstdcnt + h.isutcnt;
	tz->foot = FOOT_NONE;
	if (h.version >= 2) {
		const unsigned char *e;
		char foot[256];
		struct tz_posix pz;

		/* "\nTZSTRING\n"; an empty string means no footer. */
		if ((size_t)(p - buf) >= len || *p != '\n')
			return -1;
		p++;
		e = memchr(p, '\n', len - (size_t)(p - buf));
		if (e == NULL || (size_t)(e - p) >= sizeof(foot))
			return -1;
		memcpy(foot, p, (size_t)(e - p));
		foot[e - p] = '\0';
		if (foot[0] != '\0') {
			*why = "bad POSIX TZ string in TZif file";
			if (posix_parse(foot, &pz) < 0)
				return -1;
			if (foot_setup(tz, &pz) < 0)
				return -1;
		}
	}
	return 0;
}

static void
tz_set_utc_flag(struct bess_tz *tz)
{
	int i;

	tz->always_utc = 1;
	for (i = 0; i < tz->ntypes; i++)
		if (tz->types[i].off != 0 || tz->types[i].isdst)
			tz->always_utc = 0;
}

/* "+HH:MM", "-HHMM", "+HH"; 0 with seconds east in *off, or -1. */
static int
parse_fixed(const char *s, int32_t *off)
{
	int sign, h, m = 0;

	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (*s == ':')
		s++;
	if (*s != '\0') {
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != '\0')
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	} else if (s[-1] == ':')
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

static struct bess_tz *
tz_new(const char *name)
{
	struct bess_tz *tz;

	if ((tz = calloc(1, sizeof(*tz))) == NULL)
		return NULL;
	if ((tz->name = strdup(name)) == NULL) {
		free(tz);
		return NULL;
	}
	return tz;
}

static struct bess_tz *
tz_fixed(const char *name, int32_t off, struct bess_err *err)
{
	struct bess_tz *tz;

	if ((tz = tz_new(name)) == NULL ||
	    (tz->types = calloc(1, sizeof(*tz->types))) == NULL) {
		bess_tz_free(tz);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	tz->ntypes = 1;
	tz->types[0].off = off;
	tz->foot = FOOT_NONE;
	tz_set_utc_flag(tz);
	return tz;
}

static int
valid_zone_name(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '/' || strstr(s, "..") != NULL || strlen(s) > 255)
		return 0;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_-+.", *p) == NULL)
			return 0;
	return 1;
}

/* Read a whole file of at most TZ_MAXFILE bytes; -1 with errno set. */
static int
read_file(const char *path, unsigned char **bufp, size_t *lenp)
{
	unsigned char *buf;
	size_t len = 0;
	ssize_t r;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((buf = malloc(TZ_MAXFILE + 1)) == NULL) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	for (;;) {
		r = read(fd, buf + len, TZ_MAXFILE + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			free(buf);
			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > TZ_MAXFILE) {
			free(buf);
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
}

struct bess_tz *
bess_tz_load(const char *name, struct bess_err *err)
{
	struct bess_tz *tz;
	const char *dir, *why;
	char path[PATH_MAX];
	unsigned char *buf;
	size_t len;
	int32_t off;

	if (strcmp(name, "UTC") == 0 || strcmp(name, "utc") == 0 ||
	    strcmp(name, "Z") == 0 || strcmp(name, "z") == 0) {
		if ((tz = tz_fixed(name, 0, err)) != NULL)
			memcpy(tz->types[0].abbr, "UTC", 4);
		return tz;
	}
	if (name[0] == '+' || name[0] == '-' ||
	    ((strncmp(name, "UTC", 3) == 0 || strncmp(name, "utc", 3) == 0) &&
	    (name[3] == '+' || name[3] == '-'))) {
		if (parse_fixed(name[0] == '+' || name[0] == '-' ? name : name + 3, &off) < 0) {
			bess_err_set(err, NULL, 0, "invalid UTC offset '%.64s' (expected +HH:MM, "
			    "-HHMM or UTC+HH:MM, up to 23:59)", name);
			return NULL;
		}
		return tz_fixed(name, off, err);
	}
	if (name[0] == '/') {
		if (strlen(name) >= sizeof(path)) {
			bess_err_set(err, NULL, 0, "unknown time zone '%.64s...'", name);
			return NULL;
		}
		snprintf(path, sizeof(path), "%s", name);
	} else {
		if (!valid_zone_name(name)) {
			bess_err_set(err, NULL, 0, "invalid time zone name '%.64s'", name);
			return NULL;
		}
		dir = getenv("TZDIR");
		if (dir == NULL || *dir == '\0')
			dir = "/usr/share/zoneinfo";
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
			bess_err_set(err, NULL, 0, "unknown time zone '%.64s'", name);
			return NULL;
		}
	}
	if (read_file(path, &buf, &len) < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR || errno == EFBIG)
			bess_err_set(err, NULL, 0, "unknown time zone '%.200s'", name);
		else
			bess_err_set(err, NULL, 0, "cannot read time zone '%.200s': %s",
			    name, strerror(errno));
		return NULL;
	}
	if ((tz = tz_new(name)) == NULL) {
		free(buf);
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	if (tzif_parse(tz, buf, len, &why) < 0) {
		free(buf);
		bess_tz_free(tz);
		if (strcmp(why, "not a TZif file") == 0)
			bess_err_set(err, NULL, 0, "unknown time zone '%.200s' (%s is %s)",
			    name, path, why);
		else
			bess_err_set(err, NULL, 0, "cannot use time zone '%.200s': %s", name, why);
		return NULL;
	}
	free(buf);
	tz_set_utc_flag(tz);
	return tz;
}

int
bess_tz_is_utc(const struct bess_tz *tz)
{
	return tz->always_utc;
}

const char *
bess_tz_abbr(const struct bess_tz *tz, bess_time_t t)
{
	struct tz_span sp;

	tz_span(tz, bess_floor_div(t, BESS_US_PER_S), &sp);
	return sp.ty->abbr;
}

int
bess_tz_knows_abbr(const struct bess_tz *tz, const char *abbr, size_t len)
{
	int i;

	if (len == 0 || len >= TZ_ABBRSZ)
		return 0;
	for (i = 0; i < tz->ntypes; i++)
		if (strlen(tz->types[i].abbr) == len && memcmp(tz->types[i].abbr, abbr, len) == 0)
			return 1;
	return 0;
}
