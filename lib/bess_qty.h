/* bess_qty.h: quantities with units ("250kW", "1.2MWh", "10%", "15m") and unit declarations for columns. */
#ifndef BESS_QTY_H
#define BESS_QTY_H

#include <stddef.h>

/* Physical dimensions; combine as a mask of what a caller accepts. */
enum bess_dim {
	BESS_DIM_NONE = 1 << 0,		/* a bare number */
	BESS_DIM_POWER = 1 << 1,	/* kW */
	BESS_DIM_ENERGY = 1 << 2,	/* kWh */
	BESS_DIM_DURATION = 1 << 3,	/* seconds */
	BESS_DIM_PERCENT = 1 << 4,	/* percent (value 10 for "10%") */
	BESS_DIM_PRICE = 1 << 5,	/* currency per kWh */
	BESS_DIM_VOLTAGE = 1 << 6,	/* V */
	BESS_DIM_CURRENT = 1 << 7,	/* A */
	BESS_DIM_TEMP = 1 << 8,		/* degrees Celsius */
	BESS_DIM_CHARGE = 1 << 9,	/* Ah */
	BESS_DIM_PRICE_POWER = 1 << 10	/* currency per kW (demand charges) */
};

/* A value in the canonical unit of its dimension. */
struct bess_qty {
	double value;		/* in kW, kWh, s, %, currency/kWh, V, A, degC, Ah, currency/kW */
	enum bess_dim dim;	/* which of those */
};

/*
 * A unit as declared for a column: the factor and offset that take a value
 * in that unit to the canonical unit of its dimension (canonical = v * scale + offset).
 */
struct bess_unit {
	enum bess_dim dim;	/* dimension */
	double scale;		/* multiply by this ... */
	double offset;		/* ... then add this (only temperatures in K or degF use it) */
	double per_s;		/* for "kWh/15m"-style energy per interval: the interval in s, else 0 */
};

/*
 * Parse a quantity like "250kW", "250 kW", "1.2MWh", "10%", "15m", "0.9",
 * "-3.5e2W", "PT15M". allowed is a mask of enum bess_dim; a bare number is
 * accepted only if BESS_DIM_NONE is in it. Returns 0, or -1 with why filled
 * (e.g. "'250kWh' is an energy; expected a power (e.g. 250kW)").
 */
int bess_qty_parse(const char *s, unsigned allowed, struct bess_qty *q,
    char *why, size_t whylen);

/*
 * The largest magnitude a price, an amount or a quantity read from a file or
 * an option may have: far above any market or site, far below what
 * overflows GLPK (1e308). Messages name it as 1e12.
 */
#define BESS_QTY_MAX	1e12

/*
 * s parsed as bess_qty_parse does, then checked to be from 0 to
 * BESS_QTY_MAX: 0 with *value, or -1 with why filled ("'s' is not <what>from
 * 0 to 1e12"; what is "" or, say, "an amount ").
 */
int bess_qty_amount(const char *s, unsigned allowed, const char *what, double *value,
    char *why, size_t whylen);

/* A duration in whole microseconds ("15m", "2s", "1h", "1d", "500ms", "PT1H30M"); must be > 0. */
int bess_duration_parse(const char *s, long long *us, char *why, size_t whylen);

/*
 * Parse a unit name: W kW MW GW, Wh kWh MWh GWh, "kWh/15m" (energy per
 * interval), %, /kWh /MWh EUR/MWh £/kWh $/MWh ct/kWh p/kWh c/kWh (currency
 * per energy; ct, p and c are hundredths), /kW /MW EUR/kW (per power), V mV kV,
 * A mA kA, C degC °C K F degF, Ah mAh. Case-sensitive where SI needs it
 * (mW vs MW), but "kw", "KW", "kwh", "KWh" are accepted.
 */
int bess_unit_parse(const char *s, struct bess_unit *u, char *why, size_t whylen);

/* The dimension named by a canonical column name's suffix: _kw, _kwh, _pct, _v, _a, _c, _ah, price*; 0 if none. */
enum bess_dim bess_column_dim(const char *name);

/*
 * The canonical column a header names together with its unit, as bess(7)
 * says: the words before a final "(UNIT)" or "[UNIT]", lower-cased with
 * spaces, hyphens and underscores as one '_', followed by the suffix of the
 * unit's dimension (price: none, power _kw, energy _kwh, % _pct, V _v, A _a,
 * Ah _ah, degrees _c), when that gives one of the names bess(7) lists:
 * "Price (EUR/MWh)" is price, "Load [MW]" load_kw, "SOC [%]" soc_pct,
 * "Export price (ct/kWh)" export_price. The name goes into buf; NULL (buf
 * untouched) when the header is anything else, which then stays as it is.
 */
const char *bess_column_from_header(const char *header, char *buf, size_t len);

/* 1 when name is one of the canonical columns bess(7) lists (price, load_kw, soc_pct, ...). */
int bess_column_known(const char *name);

/* A human name for a dimension ("power", "energy", ...). */
const char *bess_dim_name(enum bess_dim d);

/* Exact powers of ten as doubles, 1e0 to 1e22: the fast path's divisors. */
extern const double bess_pow10_exact[23];

/*
 * The fast path of reading a number, its one home (bess_num_parse, and the
 * block parser of bess-resample directly). Clinger: a plain decimal
 * ("-12.5", "+0.003", "7.", ".5", "007") with at most 15 digits is m / 10^k
 * with m and 10^k exact doubles, so one correctly rounded division gives the
 * correctly rounded double, the one strtod gives. Reads from s: a sign,
 * digits, the point and digits. e is the end of the text, or NULL when the
 * caller knows that a byte other than a digit or the point ends the number
 * (a delimiter, a newline): no bound is then checked (and a '+' is left to
 * the slow path, rare in files read that way). Returns the byte
 * after the number with *v set, or NULL (*v untouched) when it is not such a
 * number: the caller checks what follows, and the slow path decides
 * anything else (more digits, an exponent). Forced inline: it runs for every
 * field of every record, and the NULL bound must fold away.
 */
static inline __attribute__((always_inline)) const char *
bess_num_fast(const char *s, const char *e, char point, double *v)
{
	const unsigned char *p = (const unsigned char *)s, *end = (const unsigned char *)e, *q;
	unsigned long long m = 0;	/* may wrap past 19 digits: then nd > 15 */
	unsigned c;
	long nd, frac = 0;
	int neg;

#define BESS_NF_MORE	(end == NULL || p < end)
	neg = BESS_NF_MORE && *p == '-';
	p += neg;
	if (end != NULL && !neg && p < end && *p == '+')
		p++;	/* (with no bound, as in bess-resample's blocks, a '+' goes the slow way) */
	for (q = p; BESS_NF_MORE && (c = (unsigned)*p - '0') < 10; p++)
		m = m * 10 + c;
	nd = p - q;
	if (BESS_NF_MORE && *p == (unsigned char)point) {
		for (q = ++p; BESS_NF_MORE && (c = (unsigned)*p - '0') < 10; p++)
			m = m * 10 + c;
		frac = p - q;
		nd += frac;
	}
#undef BESS_NF_MORE
	if (nd == 0 || nd > 15)
		return NULL;	/* no digit, or too many: the slow path decides */
	*v = (double)m / bess_pow10_exact[frac];
	if (neg)
		*v = -*v;
	return (const char *)p;
}

/* bess_num_parse past its fast path (strict grammar, then strtod): call bess_num_parse. */
int bess_num_parse_slow(const char *s, size_t len, int decimal_comma, double *v);

/*
 * Strict number parser for data fields: decimal with optional sign,
 * fraction and exponent (no hex, no "inf"/"nan", no spaces); when
 * decimal_comma is set "1,5" means 1.5. Returns 0 and *v, or -1.
 * Inline: it runs for every field of every record.
 */
static inline int
bess_num_parse(const char *s, size_t len, int decimal_comma, double *v)
{
	double x;

	if (len > 0 && len < 128 && bess_num_fast(s, s + len, decimal_comma ? ',' : '.', &x) == s + len) {
		*v = x;
		return 0;
	}
	return bess_num_parse_slow(s, len, decimal_comma, v);
}

/*
 * Is s[0..len) a finite decimal number as bess_num_parse reads it (without
 * converting it)? Fast; used to validate fields that pass through as text.
 */
int bess_num_check(const char *s, size_t len, int decimal_comma);

/*
 * One pass over a field: 0 if it is not a finite number as bess_num_parse
 * reads it, 1 if it is one and already a JSON number, 2 if it is one that
 * must be rewritten to be a JSON number ("+5", ".5", "5.", "007", "1,5").
 */
int bess_num_scan(const char *s, size_t len, int decimal_comma);

/* Is s exactly a JSON number (RFC 8259 grammar)? */
int bess_is_json_number(const char *s, size_t len);

/*
 * Format v compactly so that it reads back to the same double:
 * the shortest of %.15g..%.17g that round-trips; integers without ".0".
 * buf needs 32 bytes. Returns the length.
 */
int bess_fmt_num(double v, char *buf);
/*
 * Format v with at most ndec decimals, trailing zeros trimmed ("0.5", "12",
 * "-3.25"); "" for NaN and infinities. buf needs 32 bytes; a value whose
 * fixed form would not fit comes out as bess_fmt_num writes it.
 */
int bess_fmt_fixed(double v, int ndec, char *buf);

#endif
