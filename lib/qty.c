/* qty.c: quantities with units, unit declarations, strict number parsing and compact number formatting. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_qty.h"

struct unitdef {
	const char *name;	/* spelling */
	enum bess_dim dim;	/* dimension */
	double scale;		/* to canonical */
	double offset;		/* added after scaling */
};

/* Units for quantities on the command line and in column declarations. */
static const struct unitdef units[] = {
	{ "W", BESS_DIM_POWER, 1e-3, 0 }, { "kW", BESS_DIM_POWER, 1, 0 },
	{ "kw", BESS_DIM_POWER, 1, 0 }, { "KW", BESS_DIM_POWER, 1, 0 },
	{ "MW", BESS_DIM_POWER, 1e3, 0 }, { "GW", BESS_DIM_POWER, 1e6, 0 },
	{ "Wh", BESS_DIM_ENERGY, 1e-3, 0 }, { "kWh", BESS_DIM_ENERGY, 1, 0 },
	{ "kwh", BESS_DIM_ENERGY, 1, 0 }, { "KWh", BESS_DIM_ENERGY, 1, 0 },
	{ "KWH", BESS_DIM_ENERGY, 1, 0 }, { "MWh", BESS_DIM_ENERGY, 1e3, 0 },
	{ "MWH", BESS_DIM_ENERGY, 1e3, 0 }, { "GWh", BESS_DIM_ENERGY, 1e6, 0 },
	{ "s", BESS_DIM_DURATION, 1, 0 }, { "sec", BESS_DIM_DURATION, 1, 0 },
	{ "ms", BESS_DIM_DURATION, 1e-3, 0 }, { "us", BESS_DIM_DURATION, 1e-6, 0 },
	{ "\xc2\xb5" "s", BESS_DIM_DURATION, 1e-6, 0 },
	{ "m", BESS_DIM_DURATION, 60, 0 }, { "min", BESS_DIM_DURATION, 60, 0 },
	{ "h", BESS_DIM_DURATION, 3600, 0 }, { "hr", BESS_DIM_DURATION, 3600, 0 },
	{ "d", BESS_DIM_DURATION, 86400, 0 }, { "day", BESS_DIM_DURATION, 86400, 0 },
	{ "days", BESS_DIM_DURATION, 86400, 0 },
	{ "w", BESS_DIM_DURATION, 604800, 0 },
	{ "%", BESS_DIM_PERCENT, 1, 0 },
	{ "V", BESS_DIM_VOLTAGE, 1, 0 }, { "mV", BESS_DIM_VOLTAGE, 1e-3, 0 },
	{ "kV", BESS_DIM_VOLTAGE, 1e3, 0 },
	{ "A", BESS_DIM_CURRENT, 1, 0 }, { "mA", BESS_DIM_CURRENT, 1e-3, 0 },
	{ "kA", BESS_DIM_CURRENT, 1e3, 0 },
	{ "C", BESS_DIM_TEMP, 1, 0 }, { "degC", BESS_DIM_TEMP, 1, 0 },
	{ "\xc2\xb0" "C", BESS_DIM_TEMP, 1, 0 }, { "K", BESS_DIM_TEMP, 1, -273.15 },
	{ "F", BESS_DIM_TEMP, 5.0 / 9, -32.0 * 5 / 9 },
	{ "degF", BESS_DIM_TEMP, 5.0 / 9, -32.0 * 5 / 9 },
	{ "Ah", BESS_DIM_CHARGE, 1, 0 }, { "mAh", BESS_DIM_CHARGE, 1e-3, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct unitdef *
find_unit(const char *s, size_t len)
{
	const struct unitdef *u;

	for (u = units; u->name; u++)
		if (strlen(u->name) == len && memcmp(u->name, s, len) == 0)
			return u;
	return NULL;
}

const char *
bess_dim_name(enum bess_dim d)
{
	switch (d) {
	case BESS_DIM_NONE: return "plain number";
	case BESS_DIM_POWER: return "power";
	case BESS_DIM_ENERGY: return "energy";
	case BESS_DIM_DURATION: return "duration";
	case BESS_DIM_PERCENT: return "percentage";
	case BESS_DIM_PRICE: return "price per energy";
	case BESS_DIM_VOLTAGE: return "voltage";
	case BESS_DIM_CURRENT: return "current";
	case BESS_DIM_TEMP: return "temperature";
	case BESS_DIM_CHARGE: return "charge";
	case BESS_DIM_PRICE_POWER: return "price per power";
	}
	return "quantity";
}

static const char *
dim_example(enum bess_dim d)
{
	switch (d) {
	case BESS_DIM_POWER: return "250kW";
	case BESS_DIM_ENERGY: return "500kWh";
	case BESS_DIM_DURATION: return "15m";
	case BESS_DIM_PERCENT: return "10%";
	case BESS_DIM_NONE: return "0.9";
	default: return NULL;
	}
}

/* Describe the allowed mask, e.g. "a power (e.g. 250kW) or a percentage (e.g. 10%)". */
static void
describe(unsigned allowed, char *buf, size_t len)
{
	unsigned bit;
	size_t n = 0;
	int first = 1;

	buf[0] = '\0';
	for (bit = 1; bit <= BESS_DIM_PRICE_POWER && n < len; bit <<= 1) {
		const char *ex;

		if (!(allowed & bit))
			continue;
		ex = dim_example((enum bess_dim)bit);
		n += snprintf(buf + n, len - n, "%s%s %s%s%s%s", first ? "" : " or ",
		    bit == BESS_DIM_ENERGY ? "an" : "a",
		    bess_dim_name((enum bess_dim)bit), ex ? " (e.g. " : "",
		    ex ? ex : "", ex ? ")" : "");
		first = 0;
	}
}

#define DIGIT(c) ((unsigned)((c) - '0') < 10u)

/* Strict decimal scan: returns the number of bytes of s that form a number, 0 if none. */
static size_t
scan_number(const char *s, size_t len, int decimal_comma, int *digits_before, long *exp10)
{
	size_t i = 0, nd = 0, nb = 0;
	char point = decimal_comma ? ',' : '.';
	long e = 0;
	int esign = 1;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && s[i] == '0')
		i++, nd++;
	while (i < len && DIGIT(s[i]))
		i++, nd++, nb++;
	if (i < len && s[i] == point) {
		i++;
		while (i < len && DIGIT(s[i]))
			i++, nd++;
	}
	if (nd == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1, ne = 0;

		if (j < len && (s[j] == '-' || s[j] == '+'))
			esign = s[j++] == '-' ? -1 : 1;
		while (j < len && DIGIT(s[j])) {
			if (e < 100000)
				e = e * 10 + (s[j] - '0');
			j++, ne++;
		}
		if (ne > 0)
			i = j;
	}
	*digits_before = (int)nb;
	*exp10 = esign * e;
	return i;
}

int
bess_num_scan(const char *s, size_t len, int decimal_comma)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *d0, *d1;
	unsigned char point = decimal_comma ? ',' : '.';
	int json = 1;

	if (len == 0)
		return 0;
	if (*p == '-')
		p++;
	else if (*p == '+')
		p++, json = 0;
	d0 = p;
	while (p < end && (unsigned)(*p - '0') < 10u)
		p++;
	d1 = p;				/* integer digits in [d0, d1) */
	if (d1 - d0 > 1 && *d0 == '0')
		json = 0;		/* "007" */
	if (p < end && *p == point) {
		const unsigned char *f = ++p;

		while (p < end && (unsigned)(*p - '0') < 10u)
			p++;
		if (p == f) {
			if (d1 == d0)
				return 0;	/* "." */
			json = 0;	/* "5." */
		}
		if (d1 == d0 || point != '.')
			json = 0;	/* ".5", "1,5" */
	} else if (d1 == d0)
		return 0;
	if (p == end) {
		if (d1 - d0 <= 308)
			return json ? 1 : 2;	/* at most 308 integer digits: below 1e308 */
	} else if (*p == 'e' || *p == 'E') {
		int nb;
		long e;

		if (scan_number(s, len, decimal_comma, &nb, &e) != len)
			return 0;
		if (nb > 0 ? nb + e <= 308 : e <= 308)
			return json ? 1 : 2;	/* below 10^(nb + e) <= 1e308 */
	} else
		return 0;
	{
		double v;	/* near the largest double, or zero digits galore: convert to know */

		return bess_num_parse(s, len, decimal_comma, &v) == 0 ? (json ? 1 : 2) : 0;
	}
}

int
bess_num_check(const char *s, size_t len, int decimal_comma)
{
	return bess_num_scan(s, len, decimal_comma) != 0;
}

const double bess_pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* The general case: strict grammar check, then strtod (bess_num_fast, inline, is the fast path). */
int
bess_num_parse_slow(const char *s, size_t len, int decimal_comma, double *v)
{
	char buf[128], *p = buf, *end;
	int nb, rc = 0;
	long e;
	size_t i;

	if (len == 0)
		return -1;
	if (scan_number(s, len, decimal_comma, &nb, &e) != len)
		return -1;
	if (len >= sizeof(buf) && (p = malloc(len + 1)) == NULL)
		return -1;	/* a long number ("0.000...1", many digits): as long as it is */
	memcpy(p, s, len);
	p[len] = '\0';
	if (decimal_comma)
		for (i = 0; i < len; i++)
			if (p[i] == ',')
				p[i] = '.';
	*v = strtod(p, &end);
	if (*end != '\0' || !isfinite(*v))
		rc = -1;
	if (p != buf)
		free(p);
	return rc;
}

int
bess_is_json_number(const char *s, size_t len)
{
	size_t i = 0;

	if (i < len && s[i] == '-')
		i++;
	if (i >= len)
		return 0;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9')
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
	else
		return 0;
	if (i < len && s[i] == '.') {
		size_t j = ++i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == j)
			return 0;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		j = i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == j)
			return 0;
	}
	return i == len;
}

int
bess_fmt_num(double v, char *buf)
{
	int prec, n = 0;

	if (v == 0)
		return snprintf(buf, 32, "0");	/* also -0 */
	if (fabs(v) < 1e15 && v == (double)(long long)v)
		return snprintf(buf, 32, "%lld", (long long)v);
	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return n;
}

int
bess_fmt_fixed(double v, int ndec, char *buf)
{
	int n;

	if (!isfinite(v))
		return snprintf(buf, 32, "%s", "");
	n = snprintf(buf, 32, "%.*f", ndec, v);
	if (n >= 32)
		return bess_fmt_num(v, buf);	/* too long to write out (1e300, 40 decimals) */
	if (ndec > 0) {
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		n = snprintf(buf, 32, "0");
	return n;
}

/* ISO 8601 duration "PT15M", "P1D", "PT1H30M", "PT0.5S" in seconds; -1 if not one. */
static int
iso_duration(const char *s, double *sec)
{
	const char *p = s + 1;
	double total = 0;
	int in_time = 0, any = 0;

	if (*s != 'P' && *s != 'p')
		return -1;
	while (*p) {
		char *end;
		const char *q;
		double v;

		if (*p == 'T' || *p == 't') {
			in_time = 1;
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return -1;
		v = strtod(p, &end);
		for (q = p; q < end; q++)
			if (!isdigit((unsigned char)*q) && *q != '.')
				return -1;	/* plain decimals only, not strtod's "0x10" or "1e3" */
		switch (*end) {
		case 'W': case 'w': if (in_time) return -1; total += v * 604800; break;
		case 'D': case 'd': if (in_time) return -1; total += v * 86400; break;
		case 'H': case 'h': if (!in_time) return -1; total += v * 3600; break;
		case 'M': case 'm': if (!in_time) return -1; total += v * 60; break;
		case 'S': case 's': if (!in_time) return -1; total += v; break;
		default: return -1;
		}
		any = 1;
		p = end + 1;
	}
	if (!any)
		return -1;
	*sec = total;
	return 0;
}

int
bess_qty_amount(const char *s, unsigned allowed, const char *what, double *value, char *why,
    size_t whylen)
{
	struct bess_qty q;

	if (bess_qty_parse(s, allowed, &q, why, whylen) != 0)
		return -1;
	if (!(q.value >= 0 && q.value <= BESS_QTY_MAX)) {
		snprintf(why, whylen, "'%s' is not %sfrom 0 to 1e12", s, what);
		return -1;
	}
	*value = q.value;
	return 0;
}

int
bess_qty_parse(const char *s, unsigned allowed, struct bess_qty *q, char *why, size_t whylen)
{
	const struct unitdef *u;
	char want[256];
	const char *p, *unit;
	size_t ulen;
	int nb;
	long e;
	size_t n;
	double v;

	describe(allowed, want, sizeof(want));
	if (s == NULL || *s == '\0') {
		snprintf(why, whylen, "empty value; expected %s", want);
		return -1;
	}
	if ((allowed & BESS_DIM_DURATION) && iso_duration(s, &v) == 0) {
		q->value = v;
		q->dim = BESS_DIM_DURATION;
		return 0;
	}
	n = scan_number(s, strlen(s), 0, &nb, &e);
	if (n == 0) {
		snprintf(why, whylen, "'%s' is not a number; expected %s", s, want);
		return -1;
	}
	if (bess_num_parse(s, n, 0, &v) != 0) {
		snprintf(why, whylen, "'%s' is out of range", s);
		return -1;
	}
	p = s + n;
	while (*p == ' ')
		p++;
	unit = p;
	ulen = strlen(unit);
	while (ulen > 0 && unit[ulen - 1] == ' ')
		ulen--;
	if (ulen == 0) {
		if (!(allowed & BESS_DIM_NONE)) {
			snprintf(why, whylen, "'%s' needs a unit; expected %s", s, want);
			return -1;
		}
		q->value = v;
		q->dim = BESS_DIM_NONE;
		return 0;
	}
	if ((u = find_unit(unit, ulen)) == NULL) {
		struct bess_unit bu;
		char tmp[64];

		/* Prices and other declared units ("0.25/kWh", "85EUR/MWh"); a longer one is none of them. */
		snprintf(tmp, sizeof(tmp), "%.*s", (int)ulen, unit);
		if (ulen < sizeof(tmp) && bess_unit_parse(tmp, &bu, NULL, 0) == 0 && bu.per_s == 0 &&
		    (allowed & bu.dim)) {
			q->value = v * bu.scale + bu.offset;
			q->dim = bu.dim;
			goto range;
		}
		snprintf(why, whylen, "'%s': unknown unit '%.*s'; expected %s", s,
		    (int)ulen, unit, want);
		return -1;
	}
	if (!(allowed & u->dim)) {
		snprintf(why, whylen, "'%s' is %s %s; expected %s", s,
		    u->dim == BESS_DIM_ENERGY ? "an" : "a", bess_dim_name(u->dim), want);
		return -1;
	}
	q->value = v * u->scale + u->offset;
	q->dim = u->dim;
range:
	if (!isfinite(q->value)) {	/* "1e308GW" */
		snprintf(why, whylen, "'%s' is out of range", s);
		return -1;
	}
	return 0;
}

int
bess_duration_parse(const char *s, long long *us, char *why, size_t whylen)
{
	struct bess_qty q;
	double x;

	if (bess_qty_parse(s, BESS_DIM_DURATION, &q, why, whylen) != 0)
		return -1;
	x = q.value * 1e6;
	if (x > 9.2e18) {
		snprintf(why, whylen, "'%s' is out of range (the limit is about 290000 years)", s);
		return -1;
	}
	if (!(x >= 1)) {
		snprintf(why, whylen, "'%s': a duration must be positive and at least 1us", s);
		return -1;
	}
	*us = llround(x);
	return 0;
}

/* Currency prefixes accepted before "/kWh": any run of letters or currency symbols, or none. */
static int
currency_scale(const char *s, size_t len, double *scale)
{
	size_t i;

	*scale = 1;
	if (len == 0)
		return 0;
	if ((len == 2 && memcmp(s, "ct", 2) == 0) || (len == 1 && (*s == 'p' || *s == 'c')) ||
	    (len == 4 && memcmp(s, "cent", 4) == 0) || (len == 5 && memcmp(s, "cents", 5) == 0)) {
		*scale = 0.01;
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(isalpha(c) || c == '$' || c >= 0x80))
			return -1;
	}
	return 0;
}

int
bess_unit_parse(const char *s, struct bess_unit *u, char *why, size_t whylen)
{
	const struct unitdef *d;
	const char *slash;
	size_t len = strlen(s);

	u->offset = 0;
	u->per_s = 0;
	if ((d = find_unit(s, len)) != NULL && d->dim != BESS_DIM_DURATION) {
		u->dim = d->dim;
		u->scale = d->scale;
		u->offset = d->offset;
		return 0;
	}
	if ((slash = strchr(s, '/')) != NULL) {
		const char *den = slash + 1;
		double cs;

		d = find_unit(den, strlen(den));
		/* energy per interval: "kWh/15m", "Wh/30min" */
		if (find_unit(s, (size_t)(slash - s)) != NULL &&
		    find_unit(s, (size_t)(slash - s))->dim == BESS_DIM_ENERGY) {
			const struct unitdef *e = find_unit(s, (size_t)(slash - s));
			long long us;
			char w[128];

			if (bess_duration_parse(den, &us, w, sizeof(w)) == 0) {
				u->dim = BESS_DIM_POWER;
				u->scale = e->scale / ((double)us / 3.6e9);
				u->per_s = (double)us / 1e6;
				return 0;
			}
		}
		if (d != NULL && (d->dim == BESS_DIM_ENERGY || d->dim == BESS_DIM_POWER) &&
		    currency_scale(s, (size_t)(slash - s), &cs) == 0) {
			u->dim = d->dim == BESS_DIM_ENERGY ? BESS_DIM_PRICE : BESS_DIM_PRICE_POWER;
			u->scale = cs / d->scale;
			return 0;
		}
	}
	if (why)
		snprintf(why, whylen, "unknown unit '%s' (known: W kW MW, Wh kWh MWh, kWh/15m, "
		    "EUR/MWh /kWh ct/kWh, %%, V A Ah, C K F)", s);
	return -1;
}

enum bess_dim
bess_column_dim(const char *name)
{
	size_t n = strlen(name);

#define ENDS(suf) (n >= sizeof(suf) - 1 && strcmp(name + n - (sizeof(suf) - 1), suf) == 0)
	if (strcmp(name, "price") == 0 || strcmp(name, "export_price") == 0 ||
	    strcmp(name, "import_price") == 0 || ENDS("_price"))
		return BESS_DIM_PRICE;
	if (ENDS("_kwh"))
		return BESS_DIM_ENERGY;
	if (ENDS("_kw"))
		return BESS_DIM_POWER;
	if (ENDS("_pct"))
		return BESS_DIM_PERCENT;
	if (ENDS("_v"))
		return BESS_DIM_VOLTAGE;
	if (ENDS("_a"))
		return BESS_DIM_CURRENT;
	if (ENDS("_c"))
		return BESS_DIM_TEMP;
	if (ENDS("_ah"))
		return BESS_DIM_CHARGE;
#undef ENDS
	return 0;
}

/* The canonical columns of bess(7) (UNITS AND CANONICAL COLUMNS), those with a unit. */
static const char *const known_columns[] = {
	"price", "export_price", "load_kw", "solar_kw", "soc_kwh", "soc_pct", "soh_pct",
	"charge_kw", "discharge_kw", "battery_kw", "grid_import_kw", "grid_export_kw",
	"import_limit_kw", "export_limit_kw", "target_charge_kw", "target_discharge_kw",
	"voltage_v", "current_a", "cell_min_v", "cell_avg_v", "cell_max_v",
	"cell_min_c", "cell_avg_c", "cell_max_c", "ac_l1_v", "ac_l2_v", "ac_l3_v",
	"ac_l1_a", "ac_l2_a", "ac_l3_a", "dc_v", "dc_a", "ac_kw", NULL
};

int
bess_column_known(const char *name)
{
	size_t i;

	for (i = 0; known_columns[i] != NULL; i++)
		if (strcmp(known_columns[i], name) == 0)
			return 1;
	return 0;
}

const char *
bess_column_from_header(const char *header, char *buf, size_t len)
{
	size_t n = strlen(header), k = 0, i;
	const char *open, *suffix;
	char ub[64], name[64];
	struct bess_unit u;
	int sep = 0;

	if (n < 4 || (header[n - 1] != ')' && header[n - 1] != ']'))
		return NULL;
	open = strrchr(header, header[n - 1] == ')' ? '(' : '[');
	if (open == NULL || open == header || (size_t)(header + n - 1 - open - 1) >= sizeof(ub))
		return NULL;
	snprintf(ub, sizeof(ub), "%.*s", (int)(header + n - 1 - open - 1), open + 1);
	if (bess_unit_parse(ub, &u, NULL, 0) != 0)
		return NULL;
	switch (u.dim) {
	case BESS_DIM_PRICE: suffix = ""; break;
	case BESS_DIM_POWER: suffix = "_kw"; break;
	case BESS_DIM_ENERGY: suffix = "_kwh"; break;
	case BESS_DIM_PERCENT: suffix = "_pct"; break;
	case BESS_DIM_VOLTAGE: suffix = "_v"; break;
	case BESS_DIM_CURRENT: suffix = "_a"; break;
	case BESS_DIM_CHARGE: suffix = "_ah"; break;
	case BESS_DIM_TEMP: suffix = "_c"; break;
	default: return NULL;
	}
	for (i = 0; header + i < open; i++) {
		unsigned char c = (unsigned char)header[i];

		if (c == ' ' || c == '-' || c == '_') {
			sep = k > 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return NULL;
		if (k + 2 + strlen(suffix) >= sizeof(name))
			return NULL;
		if (sep)
			name[k++] = '_';
		sep = 0;
		name[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (k == 0)
		return NULL;
	snprintf(name + k, sizeof(name) - k, "%s", suffix);
	if (!bess_column_known(name) || strlen(name) >= len)
		return NULL;
	memcpy(buf, name, strlen(name) + 1);
	return buf;
}
