/* btime.c: timestamp parsing (ISO 8601 / RFC 3339, patterns, epochs, zone markers) and RFC 3339 formatting. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bess_time.h"

/* Parsed instants must lie in years 0000..9999 UTC, so they format back as four-digit years. */
#define T_MIN		BESS_TIME_MIN	/* 0000-01-01T00:00:00Z */
#define T_MAX		BESS_TIME_MAX	/* 9999-12-31T23:59:59.999999Z */

/* ---- parsing ---- */

/* What went wrong while reading a timestamp. */
enum perr {
	P_OK,
	P_SYNTAX,	/* does not have the expected shape */
	P_DATE,		/* no such calendar date */
	P_TIME,		/* no such time of day */
	P_OFFSET,	/* bad UTC offset */
	P_FRAC,		/* more than 9 fraction digits */
	P_TRAIL,	/* text left over */
	P_RANGE,	/* outside years 0000..9999 */
	P_PATTERN,	/* the pattern itself is bad */
	P_NODATE,	/* the pattern reads no full date */
	P_EPOCH,	/* not a number of the epoch unit */
	P_UNIT,		/* bad epoch_unit */
	P_SLASH		/* "01/02/2024": day or month first is not said */
};

/* The fields of a timestamp as read, before they become an instant. */
struct tfields {
	int year;		/* proleptic Gregorian year */
	int mon;		/* 1..12 */
	int day;		/* 1..31 */
	int yday;		/* 1..366 from %j, 0 if not read */
	int hour;		/* 0..23 (1..12 when read by %I) */
	int min;		/* 0..59 */
	int sec;		/* 0..59 */
	int usec;		/* 0..999999, fraction truncated */
	int has_off;		/* 1 when an offset (or Z) was read */
	int off_s;		/* that offset, seconds east of UTC */
	int pm;			/* %p: 0 none, 1 AM, 2 PM */
	int have;		/* F_* bits: what a pattern read */
	int64_t epoch_s;	/* %s: seconds since the epoch */
	char baddir;		/* P_PATTERN: the offending directive character */
};

#define F_YEAR	0x01
#define F_MON	0x02
#define F_DAY	0x04
#define F_YDAY	0x08
#define F_EPOCH	0x10
#define F_HOUR12 0x20

#define ISDIG(c)	((unsigned)((c) - '0') < 10)

/* Up to 9 fraction digits at *pp into microseconds (truncated); -1 if none, -2 if too many. */
static int
read_frac(const unsigned char **pp, const unsigned char *e, int *usec)
{
	const unsigned char *p = *pp;
	int v = 0, k = 0;

	while (p < e && ISDIG(*p)) {
		if (k < 6)
			v = v * 10 + (*p - '0');
		k++;
		p++;
	}
	if (k == 0)
		return -1;
	if (k > 9)
		return -2;
	for (; k < 6; k++)
		v *= 10;
	*usec = v;
	*pp = p;
	return 0;
}

/* "Z", "z", "+HH:MM", "+HHMM", "+HH" (or "-"); P_OK, P_SYNTAX or P_OFFSET. */
static int
read_offset(const unsigned char **pp, const unsigned char *e, int *off)
{
	const unsigned char *p = *pp;
	int sign, h, m = 0;

	if (p < e && (*p == 'Z' || *p == 'z')) {
		*off = 0;
		*pp = p + 1;
		return P_OK;
	}
	if (p == e || (*p != '+' && *p != '-'))
		return P_SYNTAX;
	sign = *p++ == '-' ? -1 : 1;
	if (e - p < 2 || !ISDIG(p[0]) || !ISDIG(p[1]))
		return P_OFFSET;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	p += 2;
	if (p < e && *p == ':') {
		if (e - p < 3 || !ISDIG(p[1]) || !ISDIG(p[2]))
			return P_OFFSET;
		m = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
	} else if (e - p >= 2 && ISDIG(p[0]) && ISDIG(p[1])) {
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	}
	if (h > 23 || m > 59)
		return P_OFFSET;
	*off = sign * (h * 3600 + m * 60);
	*pp = p;
	return P_OK;
}

static int
check_fields(const struct tfields *f)
{
	if (f->mon < 1 || f->mon > 12 || f->day < 1 || f->day > bess_month_days(f->year, f->mon))
		return P_DATE;
	if (f->hour > 23 || f->min > 59 || f->sec > 59)
		return P_TIME;
	return P_OK;
}

/* After a date: "[(T|t| )HH:MM[:SS[.frac]][Z|+HH:MM|+HHMM|+HH]]" to the end. */
static int
parse_clock(const unsigned char *p, const unsigned char *e, struct tfields *f)
{
	int r;

	if (p == e)
		return check_fields(f);
	if (*p != 'T' && *p != 't' && *p != ' ')
		return P_TRAIL;
	p++;
	if (e - p < 5 || !ISDIG(p[0]) || !ISDIG(p[1]) || p[2] != ':' ||
	    !ISDIG(p[3]) || !ISDIG(p[4]))
		return P_SYNTAX;
	f->hour = (p[0] - '0') * 10 + (p[1] - '0');
	f->min = (p[3] - '0') * 10 + (p[4] - '0');
	p += 5;
	if (p < e && *p == ':') {
		if (e - p < 3 || !ISDIG(p[1]) || !ISDIG(p[2]))
			return P_SYNTAX;
		f->sec = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (p < e && *p == '.') {
			p++;
			if ((r = read_frac(&p, e, &f->usec)) < 0)
				return r == -2 ? P_FRAC : P_SYNTAX;
		}
	}
	if (p < e) {
		if ((r = read_offset(&p, e, &f->off_s)) != P_OK)
			return r == P_SYNTAX ? P_TRAIL : r;
		f->has_off = 1;
		if (p != e)
			return P_TRAIL;
	}
	return check_fields(f);
}

/* The fast path: "YYYY-MM-DD[(T|t| )HH:MM[:SS[.frac]][Z|+HH:MM|+HHMM|+HH]]". */
static int
parse_iso(const unsigned char *p, const unsigned char *e, struct tfields *f)
{
	if (e - p < 10 || !ISDIG(p[0]) || !ISDIG(p[1]) || !ISDIG(p[2]) || !ISDIG(p[3]) ||
	    p[4] != '-' || !ISDIG(p[5]) || !ISDIG(p[6]) || p[7] != '-' ||
	    !ISDIG(p[8]) || !ISDIG(p[9]))
		return P_SYNTAX;
	f->year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	f->mon = (p[5] - '0') * 10 + (p[6] - '0');
	f->day = (p[8] - '0') * 10 + (p[9] - '0');
	return parse_clock(p + 10, e, f);
}

/*
 * "D.M.YYYY" with one or two digit day and month, then the ISO clock:
 * day first is certain with dots (nobody writes month.day.year). With
 * slashes ("01/02/2024") it is not: that shape is P_SLASH, never guessed.
 */
static int
parse_dotted(const unsigned char *p, const unsigned char *e, struct tfields *f)
{
	const unsigned char *q = p;
	int d, m;
	char sep;

	if (!ISDIG(*q))
		return P_SYNTAX;
	d = *q++ - '0';
	if (q < e && ISDIG(*q))
		d = d * 10 + (*q++ - '0');
	if (q == e || (*q != '.' && *q != '/'))
		return P_SYNTAX;
	sep = (char)*q++;
	if (q == e || !ISDIG(*q))
		return P_SYNTAX;
	m = *q++ - '0';
	if (q < e && ISDIG(*q))
		m = m * 10 + (*q++ - '0');
	if (e - q < 5 || *q != sep || !ISDIG(q[1]) || !ISDIG(q[2]) || !ISDIG(q[3]) ||
	    !ISDIG(q[4]) || (e - q > 5 && ISDIG(q[5])))
		return P_SYNTAX;
	if (sep == '/')
		return P_SLASH;
	f->day = d;
	f->mon = m;
	f->year = (q[1] - '0') * 1000 + (q[2] - '0') * 100 + (q[3] - '0') * 10 + (q[4] - '0');
	return parse_clock(q + 5, e, f);
}

/* 1..maxd digits (greedy) into *v. */
static int
read_num(const unsigned char **pp, const unsigned char *e, int mind, int maxd, int *v)
{
	const unsigned char *p = *pp;
	int n = 0, k = 0;

	while (k < maxd && p < e && ISDIG(*p)) {
		n = n * 10 + (*p++ - '0');
		k++;
	}
	if (k < mind)
		return -1;
	*v = n;
	*pp = p;
	return 0;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive match of word at *pp. */
static int
match_word(const unsigned char **pp, const unsigned char *e, const char *w)
{
	const unsigned char *p = *pp;

	for (; *w; w++, p++)
		if (p == e || lower(*p) != *w)
			return 0;
	*pp = p;
	return 1;
}

static int
parse_pat(const unsigned char **pp, const unsigned char *e, const char *q,
    const char *outer, struct tfields *f)
{
	static const char *const months[12] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	const unsigned char *p = *pp;
	int r, i, v, next;

	for (; *q; q++) {
		if (*q == ' ') {
			if (p == e || *p != ' ')
				return P_SYNTAX;
			while (p < e && *p == ' ')
				p++;
			continue;
		}
		if (*q != '%') {
			if (p == e || *p != (unsigned char)*q)
				return P_SYNTAX;
			p++;
			continue;
		}
		switch (*++q) {
		case 'Y':
			if (read_num(&p, e, 4, 4, &f->year) < 0)
				return P_SYNTAX;
			f->have |= F_YEAR;
			break;
		case 'y':
			if (read_num(&p, e, 1, 2, &v) < 0)
				return P_SYNTAX;
			f->year = v < 69 ? 2000 + v : 1900 + v;
			f->have |= F_YEAR;
			break;
		case 'm':
			if (read_num(&p, e, 1, 2, &f->mon) < 0)
				return P_SYNTAX;
			f->have |= F_MON;
			break;
		case 'd':
			if (read_num(&p, e, 1, 2, &f->day) < 0)
				return P_SYNTAX;
			f->have |= F_DAY;
			break;
		case 'j':
			if (read_num(&p, e, 1, 3, &f->yday) < 0)
				return P_SYNTAX;
			f->have |= F_YDAY;
			break;
		case 'H':
			if (read_num(&p, e, 1, 2, &f->hour) < 0)
				return P_SYNTAX;
			break;
		case 'I':
			if (read_num(&p, e, 1, 2, &f->hour) < 0)
				return P_SYNTAX;
			f->have |= F_HOUR12;
			break;
		case 'M':
			if (read_num(&p, e, 1, 2, &f->min) < 0)
				return P_SYNTAX;
			break;
		case 'S':
			if (read_num(&p, e, 1, 2, &f->sec) < 0)
				return P_SYNTAX;
			next = q[1] != '\0' ? q[1] : outer != NULL ? *outer : '\0';
			if (next != '.' && e - p >= 2 && p[0] == '.' && ISDIG(p[1])) {
				p++;
				if ((r = read_frac(&p, e, &f->usec)) < 0)
					return P_FRAC;
			}
			break;
		case 'f':
			if ((r = read_frac(&p, e, &f->usec)) < 0)
				return r == -2 ? P_FRAC : P_SYNTAX;
			break;
		case 'b':
			for (i = 0; i < 12; i++) {
				char ab[4] = { months[i][0], months[i][1], months[i][2], 0 };

				if (match_word(&p, e, months[i]) || match_word(&p, e, ab))
					break;
			}
			if (i == 12)
				return P_SYNTAX;
			f->mon = i + 1;
			f->have |= F_MON;
			break;
		case 'p':
			if (match_word(&p, e, "am"))
				f->pm = 1;
			else if (match_word(&p, e, "pm"))
				f->pm = 2;
			else
				return P_SYNTAX;
			break;
		case 'z':
			if ((r = read_offset(&p, e, &f->off_s)) != P_OK)
				return r;
			f->has_off = 1;
			break;
		case 's': {
			int neg = 0, k = 0;
			int64_t s = 0;

			if (p < e && (*p == '-' || *p == '+'))
				neg = *p++ == '-';
			while (p < e && ISDIG(*p)) {
				if (s > 100000000000LL)	/* beyond year 9999 */
					return P_RANGE;
				s = s * 10 + (*p++ - '0');
				k++;
			}
			if (k == 0)
				return P_SYNTAX;
			f->epoch_s = neg ? -s : s;
			f->have |= F_EPOCH;
			break;
		}
		case 'T':
			if ((r = parse_pat(&p, e, "%H:%M:%S", q + 1, f)) != P_OK)
				return r;
			break;
		case 'F':
			if ((r = parse_pat(&p, e, "%Y-%m-%d", q + 1, f)) != P_OK)
				return r;
			break;
		case '%':
			if (p == e || *p != '%')
				return P_SYNTAX;
			p++;
			break;
		default:
			f->baddir = *q;
			return P_PATTERN;
		}
	}
	*pp = p;
	return P_OK;
}

static int
parse_pattern(const unsigned char *p, const unsigned char *e, const char *pat, struct tfields *f)
{
	int r;

	if ((r = parse_pat(&p, e, pat, NULL, f)) != P_OK)
		return r;
	if (p != e)
		return P_TRAIL;
	if (f->have & F_EPOCH)
		return P_OK;
	if (!(f->have & F_YEAR))
		return P_NODATE;
	if ((f->have & F_YDAY) && !(f->have & (F_MON | F_DAY))) {
		int leap = bess_month_days(f->year, 2) == 29;

		if (f->yday < 1 || f->yday > 365 + leap)
			return P_DATE;
		f->mon = 1;
		f->day = f->yday;
		while (f->day > bess_month_days(f->year, f->mon)) {
			f->day -= bess_month_days(f->year, f->mon);
			f->mon++;
		}
	} else if ((f->have & (F_MON | F_DAY)) != (F_MON | F_DAY))
		return P_NODATE;
	if (f->have & F_HOUR12) {
		if (f->hour < 1 || f->hour > 12)
			return P_TIME;
		if (f->pm)
			f->hour = f->hour % 12 + (f->pm == 2 ? 12 : 0);
	}
	return check_fields(f);
}

/*
 * A decimal number of epoch units into microseconds; digits finer than a
 * microsecond are dropped toward the past (floor).
 */
static int
parse_epoch(const unsigned char *p, const unsigned char *e, int unit, bess_time_t *out)
{
	int neg = 0, shift, k = 0, rest = 0;
	int64_t mag = 0;

	switch (unit) {
	case 1: shift = 6; break;
	case 1000: shift = 3; break;
	case 1000000: shift = 0; break;
	case 1000000000: shift = -3; break;
	default: return P_UNIT;
	}
	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < e && ISDIG(*p); p++, k++) {
		if (mag > (INT64_MAX - 9) / 10)
			return P_RANGE;
		mag = mag * 10 + (*p - '0');
	}
	if (k == 0)
		return P_EPOCH;
	if (p < e && *p == '.') {
		p++;
		if (p == e || !ISDIG(*p))
			return P_EPOCH;
	}
	for (; shift > 0; shift--) {
		if (mag > (INT64_MAX - 9) / 10)
			return P_RANGE;
		mag *= 10;
		if (p < e && ISDIG(*p))
			mag += *p++ - '0';
	}
	for (; p < e && ISDIG(*p); p++)
		rest |= *p != '0';
	if (p != e)
		return P_EPOCH;
	if (shift < 0) {
		rest |= mag % 1000 != 0;
		mag /= 1000;
	}
	*out = neg ? -mag - rest : mag;
	return P_OK;
}

/* Copy at most 80 bytes of s into a quotable form: control bytes become '?'. */
static void
quote(char *d, size_t dn, const char *s, size_t len)
{
	size_t i, n = len > 80 ? 80 : len;

	if (dn < 4)
		return;
	if (n > dn - 4)
		n = dn - 4;
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;	/* do not cut a UTF-8 character */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		d[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n < len)
		memcpy(d + n, "...", 4);
	else
		d[n] = '\0';
}

static int
fail(char *why, size_t whylen, const char *s, size_t len, const struct bess_tparse *o,
    const struct tfields *f, int code)
{
	char q[96], qp[96];

	if (why == NULL || whylen == 0)
		return BESS_TP_ERR;
	quote(q, sizeof(q), s, len);
	switch (code) {
	case P_SYNTAX:
		if (o->pattern != NULL) {
			quote(qp, sizeof(qp), o->pattern, strlen(o->pattern));
			snprintf(why, whylen, "'%s' does not match pattern '%s'", q, qp);
		} else
			snprintf(why, whylen, "'%s' is not a valid timestamp "
			    "(expected YYYY-MM-DD[THH:MM[:SS[.frac]]][Z|+HH:MM])", q);
		break;
	case P_DATE:
		snprintf(why, whylen, "'%s' is not a valid date", q);
		break;
	case P_TIME:
		snprintf(why, whylen, "'%s' is not a valid time of day", q);
		break;
	case P_OFFSET:
		snprintf(why, whylen, "'%s' has an invalid UTC offset (expected up to +23:59)", q);
		break;
	case P_FRAC:
		snprintf(why, whylen, "'%s' has a bad fraction of a second (1 to 9 digits)", q);
		break;
	case P_TRAIL:
		snprintf(why, whylen, "'%s' has unexpected characters after the timestamp", q);
		break;
	case P_RANGE:
		snprintf(why, whylen, "'%s' is out of range (years 0000 to 9999)", q);
		break;
	case P_PATTERN:
		quote(qp, sizeof(qp), o->pattern, strlen(o->pattern));
		if (f->baddir == '\0')
			snprintf(why, whylen, "pattern '%s' ends in a lone '%%'", qp);
		else
			snprintf(why, whylen, "unknown directive '%%%c' in pattern '%s'",
			    (unsigned char)f->baddir < 0x20 || f->baddir == 0x7f ? '?' : f->baddir, qp);
		break;
	case P_NODATE:
		quote(qp, sizeof(qp), o->pattern, strlen(o->pattern));
		snprintf(why, whylen, "pattern '%s' does not read a full date "
		    "(%%Y or %%y, with %%m and %%d or %%j)", qp);
		break;
	case P_EPOCH:
		snprintf(why, whylen, "'%s' is not a number of %s since the epoch", q,
		    o->epoch_unit == 1 ? "seconds" : o->epoch_unit == 1000 ? "milliseconds" :
		    o->epoch_unit == 1000000 ? "microseconds" : "nanoseconds");
		break;
	case P_UNIT:
		snprintf(why, whylen, "invalid epoch unit %d (1, 1000, 1000000 or 1000000000)",
		    o->epoch_unit);
		break;
	default:
		snprintf(why, whylen, "'%s' is not a valid timestamp", q);
		break;
	}
	return BESS_TP_ERR;
}

/*
 * A suggested --time-format for a slashed date "D/M/YYYY[ HH:MM[:SS]]",
 * day first; "" when the clock part has another shape.
 */
static void
slash_hint(const unsigned char *p, const unsigned char *e, char *buf, size_t len)
{
	const unsigned char *q = memchr(p, '/', (size_t)(e - p));

	q = q ? memchr(q + 1, '/', (size_t)(e - q - 1)) : NULL;
	buf[0] = '\0';
	if (q == NULL || e - q < 5)
		return;
	q += 5;
	if (q == e || (e - q >= 6 && (*q == ' ' || *q == 'T') && ISDIG(q[1]) && ISDIG(q[2]) &&
	    q[3] == ':' && ISDIG(q[4]) && ISDIG(q[5])))
		snprintf(buf, len, "%%d/%%m/%%Y%s%s", q == e ? "" : *q == 'T' ? "T%H:%M" : " %H:%M",
		    q != e && e - q >= 9 && q[6] == ':' ? ":%S" : "");
}

/*
 * A zone marker at the end of a timestamp: " (CEST)" or " CEST" (letters,
 * after one or more spaces; in parentheses also digits, '+' and '-').
 * On success *ep moves before the spaces and *mk, *mkl name the marker.
 */
static int
split_marker(const unsigned char *p, const unsigned char **ep, const unsigned char **mk,
    size_t *mkl)
{
	const unsigned char *e = *ep, *a, *b;
	int paren = e > p && e[-1] == ')';

	b = paren ? e - 1 : e;
	for (a = b; a > p && (((a[-1] | 0x20) >= 'a' && (a[-1] | 0x20) <= 'z') ||
	    (paren && (ISDIG(a[-1]) || a[-1] == '+' || a[-1] == '-'))); a--)
		;
	if (a == b || b - a >= BESS_ABBR_MAX)
		return 0;
	*mk = a;
	*mkl = (size_t)(b - a);
	if (paren) {
		if (a == p || a[-1] != '(')
			return 0;
		a--;
	}
	if (a == p || a[-1] != ' ')
		return 0;
	while (a > p && a[-1] == ' ')
		a--;
	if (a == p)
		return 0;
	*ep = a;
	return 1;
}

/* The fields of one timestamp (no marker) by the pattern, ISO 8601 or D.M.YYYY. */
static int
read_fields(const unsigned char *p, const unsigned char *e, const struct bess_tparse *o,
    struct tfields *f)
{
	int r;

	memset(f, 0, sizeof(*f));
	if (o->pattern != NULL)
		return parse_pattern(p, e, o->pattern, f);
	if ((r = parse_iso(p, e, f)) == P_SYNTAX) {
		int r2;

		memset(f, 0, sizeof(*f));
		if ((r2 = parse_dotted(p, e, f)) != P_SYNTAX)
			r = r2;
	}
	return r;
}

/* The instants a timestamp may name: 1 exact; 2 a fold (earlier, later); 0 a gap (forward, backward). */
struct cands {
	int n;
	bess_time_t t[2];
};

/* Read one timestamp (not a range) into its candidate instants; BESS_TP_OK or BESS_TP_ERR. */
static int
read_one(const char *s, size_t len, const struct bess_tparse *o, struct cands *c,
    char *why, size_t whylen)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len, *e2 = e, *mk = NULL;
	struct tfields f;
	bess_time_t local, t;
	size_t mkl = 0;
	char q[96];
	int r, i, k;

	if (len == 0) {
		if (why != NULL && whylen > 0)
			snprintf(why, whylen, "empty timestamp");
		return BESS_TP_ERR;
	}
	c->n = 1;
	if (o->epoch_unit != 0) {
		memset(&f, 0, sizeof(f));
		if ((r = parse_epoch(p, e, o->epoch_unit, &c->t[0])) != P_OK)
			return fail(why, whylen, s, len, o, &f, r);
		goto range;
	}
	r = read_fields(p, e, o, &f);
	if (r == P_TRAIL && split_marker(p, &e2, &mk, &mkl)) {
		if ((r = read_fields(p, e2, o, &f)) != P_OK)
			mk = NULL;
	}
	if (r == P_SLASH && why != NULL && whylen > 0) {
		char hint[64];

		quote(q, sizeof(q), s, len);
		slash_hint(p, e, hint, sizeof(hint));
		snprintf(why, whylen, "'%s' has a date with slashes, which may be day/month or "
		    "month/day; say which with --time-format '%s' or '%s'", q,
		    hint[0] ? hint : "%d/%m/%Y %H:%M", "%m/%d/%Y ...");
		return BESS_TP_ERR;
	}
	if (r != P_OK)
		return fail(why, whylen, s, len, o, &f, r);
	if (f.have & F_EPOCH) {
		c->t[0] = f.epoch_s * BESS_US_PER_S + f.usec;
		goto range;
	}
	local = (bess_days_from_civil(f.year, f.mon, f.day) * 86400 + f.hour * 3600 +
	    f.min * 60 + f.sec) * BESS_US_PER_S + f.usec;
	if (f.has_off) {
		c->t[0] = local - (int64_t)f.off_s * BESS_US_PER_S;
	} else if (mk != NULL && ((mkl == 3 && (memcmp(mk, "UTC", 3) == 0 ||
	    memcmp(mk, "GMT", 3) == 0)) || (mkl == 1 && *mk == 'Z'))) {
		c->t[0] = local;
	} else if (mk != NULL) {
		quote(q, sizeof(q), s, len);	/* every branch below may need it */
		if (o->tz == NULL) {
			if (why != NULL && whylen > 0)
				snprintf(why, whylen, o->naive_utc ? "'%s' is marked '%.*s', not UTC "
				    "(--utc); give its zone with --tz ZONE instead" :
				    "'%s' is marked '%.*s', but an abbreviation does not say which zone; "
				    "add --tz ZONE", q, (int)mkl, (const char *)mk);
			return BESS_TP_ERR;
		}
		if (!bess_tz_knows_abbr(o->tz, (const char *)mk, mkl)) {
			if (why != NULL && whylen > 0)
				snprintf(why, whylen, "'%s' is marked '%.*s', which %s never shows",
				    q, (int)mkl, (const char *)mk, bess_tz_name(o->tz));
			return BESS_TP_ERR;
		}
		/* keep the instants that show this wall clock under this abbreviation */
		r = bess_tz_local_to_utc(o->tz, local, c->t);
		for (i = 0, k = 0; i < r; i++) {
			const char *a = bess_tz_abbr(o->tz, c->t[i]);

			if (strlen(a) == mkl && memcmp(a, mk, mkl) == 0)
				c->t[k++] = c->t[i];
		}
		if (k == 0) {
			if (why != NULL && whylen > 0 && r == 0)
				snprintf(why, whylen, "'%s' does not exist in %s (clocks went forward)",
				    q, bess_tz_name(o->tz));
			else if (why != NULL && whylen > 0)
				snprintf(why, whylen, "'%s' is marked '%.*s', but %s shows %s then", q,
				    (int)mkl, (const char *)mk, bess_tz_name(o->tz),
				    bess_tz_abbr(o->tz, c->t[0]));
			return BESS_TP_ERR;
		}
		c->n = k;
	} else if (o->tz != NULL) {
		c->n = bess_tz_local_to_utc(o->tz, local, c->t);
	} else if (o->naive_utc) {
		c->t[0] = local;
	} else {
		if (why != NULL && whylen > 0) {
			quote(q, sizeof(q), s, len);
			snprintf(why, whylen, "naive timestamp '%s' has no UTC offset; "
			    "add --tz ZONE or --utc", q);
		}
		return BESS_TP_ERR;
	}
range:
	for (i = 0; i < (c->n == 1 ? 1 : 2); i++) {
		t = c->t[i];
		if (t < T_MIN || t > T_MAX)
			return fail(why, whylen, s, len, o, &f, P_RANGE);
	}
	return BESS_TP_OK;
}

/* One instant from the candidates, by the DST policies; BESS_TP_OK, _ERR or _SKIP. */
static int
pick(const char *s, size_t len, const struct bess_tparse *o, const struct cands *c,
    bess_time_t *out, char *why, size_t whylen)
{
	char q[96];

	if (c->n == 1) {
		*out = c->t[0];
		return BESS_TP_OK;
	}
	if (c->n == 2) {
		switch (o->fold) {
		case BESS_FOLD_EARLIER:
			*out = c->t[0];
			return BESS_TP_OK;
		case BESS_FOLD_LATER:
			*out = c->t[1];
			return BESS_TP_OK;
		case BESS_FOLD_INFER:
			*out = o->prev != INT64_MIN && o->prev >= c->t[0] ? c->t[1] : c->t[0];
			return BESS_TP_OK;
		case BESS_FOLD_SKIP:
			return BESS_TP_SKIP;
		default:
			if (why != NULL && whylen > 0) {
				quote(q, sizeof(q), s, len);
				snprintf(why, whylen, "'%s' is ambiguous in %s; choose "
				    "--dst-fold earlier|later|infer|skip", q, bess_tz_name(o->tz));
			}
			return BESS_TP_ERR;
		}
	}
	switch (o->gap) {
	case BESS_GAP_FORWARD:
		*out = c->t[0];
		return BESS_TP_OK;
	case BESS_GAP_BACKWARD:
		*out = c->t[1];
		return BESS_TP_OK;
	case BESS_GAP_SKIP:
		return BESS_TP_SKIP;
	default:
		if (why != NULL && whylen > 0) {
			quote(q, sizeof(q), s, len);
			snprintf(why, whylen, "'%s' does not exist in %s (clocks went "
			    "forward); choose --dst-gap forward|backward|skip", q,
			    bess_tz_name(o->tz));
		}
		return BESS_TP_ERR;
	}
}

static const struct bess_tparse tp_default = { .prev = INT64_MIN };

int
bess_time_parse(const char *s, size_t len, const struct bess_tparse *o,
    bess_time_t *out, char *why, size_t whylen)
{
	struct cands c;

	if (o == NULL)
		o = &tp_default;
	if (read_one(s, len, o, &c, why, whylen) != BESS_TP_OK)
		return BESS_TP_ERR;
	return pick(s, len, o, &c, out, why, whylen);
}

/*
 * Seconds and fraction of an RFC 3339 text at s[17]: "SS", then ".d" with
 * 1 to 9 digits, kept to the microsecond (truncated, as the parser does).
 * The index after them, or 0 if the text has another shape.
 */
static size_t
sec_frac(const char *s, size_t n, long *us)
{
	size_t i = 19;
	long u = 0;
	int k = 0;

	if (n < 20 || (unsigned)(s[17] - '0') > 9 || (unsigned)(s[18] - '0') > 9)
		return 0;
	if (s[i] == '.') {
		for (i++; i < n && (unsigned)(s[i] - '0') < 10; i++, k++) {
			if (k == 9)
				return 0;
			if (k < 6)
				u = u * 10 + (s[i] - '0');
		}
		if (k == 0)
			return 0;
		for (; k < 6; k++)
			u *= 10;
	}
	*us = u;
	return i;
}

int
bess_time_parse_cached(struct bess_tcache *tc, const char *s, size_t len,
    const struct bess_tparse *o, bess_time_t *out, char *why, size_t whylen)
{
	size_t i;
	long us;
	int rc;

	if (o != NULL && (o->pattern != NULL || o->epoch_unit != 0))
		return bess_time_parse(s, len, o, out, why, whylen);
	if (tc->ok && len >= 20 && memcmp(s, tc->pre, 17) == 0 && s[17] < '6' &&
	    (i = sec_frac(s, len, &us)) != 0 && len - i == tc->nsuf &&
	    memcmp(s + i, tc->suf, tc->nsuf) == 0) {
		*out = tc->base + ((s[17] - '0') * 10 + (s[18] - '0')) * BESS_US_PER_S + us;
		return BESS_TP_OK;
	}
	if ((rc = bess_time_parse(s, len, o, out, why, whylen)) != BESS_TP_OK)
		return rc;
	tc->ok = 0;
	if ((i = sec_frac(s, len, &us)) != 0 && s[4] == '-' && s[7] == '-' && s[13] == ':' &&
	    s[16] == ':' && len - i >= 1 && len - i < sizeof(tc->suf)) {
		memcpy(tc->pre, s, 17);
		memcpy(tc->suf, s + i, len - i);
		tc->nsuf = len - i;
		tc->base = *out - ((s[17] - '0') * 10 + (s[18] - '0')) * BESS_US_PER_S - us;
		tc->ok = 1;
	}
	return BESS_TP_OK;
}

/* " - " between two timestamps, or NULL; not when the pattern itself has one. */
static const char *
range_dash(const char *s, size_t len, const struct bess_tparse *o)
{
	const char *d;

	if (len < 3 || (o->pattern != NULL && strstr(o->pattern, " - ") != NULL))
		return NULL;
	d = memchr(s, '-', len);
	for (; d != NULL; d = memchr(d + 1, '-', len - (size_t)(d + 1 - s)))
		if (d > s && d[-1] == ' ' && d + 1 < s + len && d[1] == ' ')
			return d - 1;
	return NULL;
}

int
bess_time_parse_range(const char *s, size_t len, const struct bess_tparse *o,
    bess_time_t *start, bess_time_t *end, char *why, size_t whylen)
{
	const char *d;
	struct cands a, b;
	char q[96], ta[BESS_TIME_BUFSZ], tb[BESS_TIME_BUFSZ];
	size_t la;
	int rc;

	if (o == NULL)
		o = &tp_default;
	*end = INT64_MIN;
	if ((d = range_dash(s, len, o)) == NULL)
		return bess_time_parse(s, len, o, start, why, whylen);
	la = (size_t)(d - s);
	if (read_one(s, la, o, &a, why, whylen) != BESS_TP_OK ||
	    read_one(d + 3, len - la - 3, o, &b, why, whylen) != BESS_TP_OK)
		return BESS_TP_ERR;
	if (b.n == 0)
		b.n = 1;	/* an end in a gap: the offset before the change (the moment clocks jumped) */
	if (a.n == 2 && b.n == 1 && a.t[1] >= b.t[0])
		a.n = 1;	/* only the earlier reading starts before the end */
	if ((rc = pick(s, la, o, &a, start, why, whylen)) != BESS_TP_OK)
		return rc;
	/* an ambiguous end: the first time the clock shows it after the start */
	*end = b.n == 2 && b.t[0] <= *start ? b.t[1] : b.t[0];
	if (*end <= *start) {
		if (why != NULL && whylen > 0) {
			quote(q, sizeof(q), s, len);
			snprintf(why, whylen, "'%s' does not end after it starts (%s to %s)", q,
			    bess_time_format(*start, ta), bess_time_format(*end, tb));
		}
		return BESS_TP_ERR;
	}
	return BESS_TP_OK;
}

/* ---- formatting ---- */

static char *
put2(char *b, int v)
{
	b[0] = (char)('0' + v / 10);
	b[1] = (char)('0' + v % 10);
	return b + 2;
}

/* "YYYY-MM-DDTHH:MM:SS[.mmm|.uuuuuu]" at b; returns the end. */
static char *
put_civil(char *b, const struct bess_civil *c)
{
	int y = c->year;

	if (y < 0 || y > 9999) {
		/* ISO 8601 expanded years: a sign and at least four digits. */
		b += snprintf(b, 16, "%c%04d", y < 0 ? '-' : '+', y < 0 ? -y : y);
	} else {
		b = put2(b, y / 100);
		b = put2(b, y % 100);
	}
	*b++ = '-';
	b = put2(b, c->month);
	*b++ = '-';
	b = put2(b, c->day);
	*b++ = 'T';
	b = put2(b, c->hour);
	*b++ = ':';
	b = put2(b, c->min);
	*b++ = ':';
	b = put2(b, c->sec);
	if (c->usec != 0) {
		int u = c->usec, nd = 6, i;

		if (u % 1000 == 0) {
			u /= 1000;
			nd = 3;
		}
		*b++ = '.';
		for (i = nd - 1; i >= 0; i--) {
			b[i] = (char)('0' + u % 10);
			u /= 10;
		}
		b += nd;
	}
	return b;
}

char *
bess_time_format(bess_time_t t, char buf[BESS_TIME_BUFSZ])
{
	struct bess_civil c;
	char *b;

	bess_time_to_civil_utc(t, &c);
	b = put_civil(buf, &c);
	*b++ = 'Z';
	*b = '\0';
	return buf;
}

char *
bess_time_format_local(const struct bess_tz *tz, bess_time_t t, char buf[BESS_TIME_BUFSZ])
{
	struct bess_civil c;
	char *b;
	int off, a;

	bess_time_to_civil(tz, t, &c);
	b = put_civil(buf, &c);
	if (bess_tz_is_utc(tz)) {
		*b++ = 'Z';
	} else {
		off = c.utcoff_s;
		*b++ = off < 0 ? '-' : '+';
		a = off < 0 ? -off : off;
		b = put2(b, a / 3600);
		*b++ = ':';
		b = put2(b, a / 60 % 60);
		if (a % 60 != 0) {
			/* Local mean time offsets like +00:53:28 (not RFC 3339, but exact). */
			*b++ = ':';
			b = put2(b, a % 60);
		}
	}
	*b = '\0';
	return buf;
}

int
bess_clock_min(const char *s, size_t len)
{
	int h, m;

	if (len == 4) {
		if (!isdigit((unsigned char)s[0]))
			return -1;
		return bess_clock_min((char[5]){ '0', s[0], s[1], s[2], s[3] }, 5);
	}
	if (len != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}
