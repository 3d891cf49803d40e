/* test_qty.c: unit tests for lib/qty.c (quantities, units, durations, number parsing and formatting), printing TAP. */
#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_qty.h"
#include "fixture.h"
#include "tap.h"

/*
 * Where the expectations come from (never from this code's output):
 *   [si]    SI prefixes and unit definitions (k = 1e3, M = 1e6, m = 1e-3,
 *           1 h = 3600 s, 1 Wh = 1e-3 kWh, T(degC) = T(K) - 273.15,
 *           T(degC) = (T(degF) - 32) * 5/9).
 *   [8601]  ISO 8601 durations: PnW, PnD, T, nH, nM, nS; no months or years
 *           here (their length varies).
 *   [strtod] glibc strtod, which rounds correctly (an independent reader).
 *   [8259]  RFC 8259 section 6: number = [ minus ] int [ frac ] [ exp ],
 *           int = zero / ( digit1-9 *DIGIT ), frac = "." 1*DIGIT,
 *           exp = ("e" / "E") [ "-" / "+" ] 1*DIGIT; checked through a POSIX
 *           regular expression written from that grammar.
 *   [doc]   the promises in lib/bess_qty.h.
 *   [hand]  worked out by hand in the comment next to it.
 */

/* q = s under mask must give want in dimension dim. */
static void
qty_is(const char *s, unsigned mask, double want, enum bess_dim dim)
{
	struct bess_qty q = { -1, 0 };
	char why[256] = "";
	int rc = bess_qty_parse(s, mask, &q, why, sizeof(why));

	ok(rc == 0 && q.dim == dim && rel_eq(q.value, want, 1e-12), "qty '%s' = %.10g %s", s, want,
	    bess_dim_name(dim));
	if (!(rc == 0 && q.dim == dim && rel_eq(q.value, want, 1e-12)))
		diag("rc %d, value %.17g, dim %d, why '%s'", rc, q.value, (int)q.dim, why);
}

/* s under mask must fail with exactly why_want. */
static void
qty_err(const char *s, unsigned mask, const char *why_want)
{
	struct bess_qty q;
	char why[256] = "";
	int rc = bess_qty_parse(s, mask, &q, why, sizeof(why));

	if (rc == 0) {
		ok(0, "qty '%s' rejected", s);
		diag("accepted as %.17g dim %d", q.value, (int)q.dim);
		return;
	}
	is_str(why, why_want, "qty '%s' rejected", s);
}

static void
unit_is(const char *s, enum bess_dim dim, double scale, double offset, double per_s)
{
	struct bess_unit u = { 0, -1, -1, -1 };
	char why[256] = "";
	int rc = bess_unit_parse(s, &u, why, sizeof(why));
	int good = rc == 0 && u.dim == dim && rel_eq(u.scale, scale, 1e-12) && rel_eq(u.offset, offset, 1e-12) &&
	    rel_eq(u.per_s, per_s, 1e-12);

	ok(good, "unit '%s': %s x %.10g + %.10g (interval %gs)", s, bess_dim_name(dim), scale,
	    offset, per_s);
	if (!good)
		diag("rc %d dim %d scale %.17g offset %.17g per_s %g why '%s'", rc, (int)u.dim,
		    u.scale, u.offset, u.per_s, why);
}

static void
unit_bad(const char *s)
{
	struct bess_unit u;
	char why[256] = "";
	int rc = bess_unit_parse(s, &u, why, sizeof(why));

	ok(rc == -1 && strncmp(why, "unknown unit '", 14) == 0, "unit '%s' unknown", s);
}

static void
test_units(void)
{
	const unsigned any = BESS_DIM_POWER | BESS_DIM_ENERGY | BESS_DIM_DURATION |
	    BESS_DIM_PERCENT | BESS_DIM_PRICE | BESS_DIM_VOLTAGE | BESS_DIM_CURRENT |
	    BESS_DIM_TEMP | BESS_DIM_CHARGE | BESS_DIM_PRICE_POWER;

	/* every spelling in qty.c's unit table, as "2.5<unit>": [si] */
	qty_is("2.5W", any, 0.0025, BESS_DIM_POWER);
	qty_is("2.5kW", any, 2.5, BESS_DIM_POWER);
	qty_is("2.5kw", any, 2.5, BESS_DIM_POWER);
	qty_is("2.5KW", any, 2.5, BESS_DIM_POWER);
	qty_is("2.5MW", any, 2500, BESS_DIM_POWER);
	qty_is("2.5GW", any, 2.5e6, BESS_DIM_POWER);
	qty_is("2.5Wh", any, 0.0025, BESS_DIM_ENERGY);
	qty_is("2.5kWh", any, 2.5, BESS_DIM_ENERGY);
	qty_is("2.5kwh", any, 2.5, BESS_DIM_ENERGY);
	qty_is("2.5KWh", any, 2.5, BESS_DIM_ENERGY);
	qty_is("2.5KWH", any, 2.5, BESS_DIM_ENERGY);
	qty_is("2.5MWh", any, 2500, BESS_DIM_ENERGY);
	qty_is("2.5MWH", any, 2500, BESS_DIM_ENERGY);
	qty_is("2.5GWh", any, 2.5e6, BESS_DIM_ENERGY);
	qty_is("2.5s", any, 2.5, BESS_DIM_DURATION);
	qty_is("2.5sec", any, 2.5, BESS_DIM_DURATION);
	qty_is("2.5ms", any, 0.0025, BESS_DIM_DURATION);
	qty_is("2.5m", any, 150, BESS_DIM_DURATION);
	qty_is("2.5min", any, 150, BESS_DIM_DURATION);
	qty_is("2.5h", any, 9000, BESS_DIM_DURATION);
	qty_is("2.5hr", any, 9000, BESS_DIM_DURATION);
	qty_is("2.5d", any, 216000, BESS_DIM_DURATION);
	qty_is("2.5day", any, 216000, BESS_DIM_DURATION);
	qty_is("2.5days", any, 216000, BESS_DIM_DURATION);
	qty_is("2.5w", any, 1512000, BESS_DIM_DURATION);	/* 2.5 * 7 * 86400 */
	qty_is("2.5%", any, 2.5, BESS_DIM_PERCENT);
	qty_is("2.5V", any, 2.5, BESS_DIM_VOLTAGE);
	qty_is("2.5mV", any, 0.0025, BESS_DIM_VOLTAGE);
	qty_is("2.5kV", any, 2500, BESS_DIM_VOLTAGE);
	qty_is("2.5A", any, 2.5, BESS_DIM_CURRENT);
	qty_is("2.5mA", any, 0.0025, BESS_DIM_CURRENT);
	qty_is("2.5kA", any, 2500, BESS_DIM_CURRENT);
	qty_is("2.5C", any, 2.5, BESS_DIM_TEMP);
	qty_is("2.5degC", any, 2.5, BESS_DIM_TEMP);
	qty_is("2.5\xc2\xb0" "C", any, 2.5, BESS_DIM_TEMP);
	qty_is("300K", any, 26.85, BESS_DIM_TEMP);		/* 300 - 273.15 */
	qty_is("0K", any, -273.15, BESS_DIM_TEMP);
	qty_is("212F", any, 100, BESS_DIM_TEMP);		/* (212 - 32) * 5/9 */
	qty_is("-40degF", any, -40, BESS_DIM_TEMP);		/* (-40 - 32) * 5/9 */
	qty_is("32degF", any, 0, BESS_DIM_TEMP);
	qty_is("2.5Ah", any, 2.5, BESS_DIM_CHARGE);
	qty_is("2.5mAh", any, 0.0025, BESS_DIM_CHARGE);
	/* spaces, signs, exponents, bare numbers */
	qty_is("250 kW", BESS_DIM_POWER, 250, BESS_DIM_POWER);
	qty_is("250 kW  ", BESS_DIM_POWER, 250, BESS_DIM_POWER);
	qty_is("-3.5e2W", BESS_DIM_POWER, -0.35, BESS_DIM_POWER);
	qty_is("1.2MWh", BESS_DIM_ENERGY, 1200, BESS_DIM_ENERGY);
	qty_is("10 %", BESS_DIM_PERCENT, 10, BESS_DIM_PERCENT);
	qty_is("0.9", BESS_DIM_NONE | BESS_DIM_PERCENT, 0.9, BESS_DIM_NONE);
	qty_is("+7", BESS_DIM_NONE, 7, BESS_DIM_NONE);
	/* prices through the declared units: [hand] 85 EUR/MWh = 0.085 EUR/kWh */
	qty_is("0.25/kWh", BESS_DIM_PRICE, 0.25, BESS_DIM_PRICE);
	qty_is("85EUR/MWh", BESS_DIM_PRICE, 0.085, BESS_DIM_PRICE);
	qty_is("85 EUR/MWh", BESS_DIM_PRICE, 0.085, BESS_DIM_PRICE);
	qty_is("5ct/kWh", BESS_DIM_PRICE, 0.05, BESS_DIM_PRICE);
	qty_is("10EUR/kW", BESS_DIM_PRICE_POWER, 10, BESS_DIM_PRICE_POWER);

	/* declared units: [si], [doc] */
	unit_is("W", BESS_DIM_POWER, 1e-3, 0, 0);
	unit_is("kW", BESS_DIM_POWER, 1, 0, 0);
	unit_is("MW", BESS_DIM_POWER, 1e3, 0, 0);
	unit_is("GW", BESS_DIM_POWER, 1e6, 0, 0);
	unit_is("kw", BESS_DIM_POWER, 1, 0, 0);
	unit_is("KW", BESS_DIM_POWER, 1, 0, 0);
	unit_is("Wh", BESS_DIM_ENERGY, 1e-3, 0, 0);
	unit_is("kWh", BESS_DIM_ENERGY, 1, 0, 0);
	unit_is("kwh", BESS_DIM_ENERGY, 1, 0, 0);
	unit_is("KWh", BESS_DIM_ENERGY, 1, 0, 0);
	unit_is("MWh", BESS_DIM_ENERGY, 1e3, 0, 0);
	unit_is("GWh", BESS_DIM_ENERGY, 1e6, 0, 0);
	unit_is("%", BESS_DIM_PERCENT, 1, 0, 0);
	unit_is("V", BESS_DIM_VOLTAGE, 1, 0, 0);
	unit_is("mV", BESS_DIM_VOLTAGE, 1e-3, 0, 0);
	unit_is("kV", BESS_DIM_VOLTAGE, 1e3, 0, 0);
	unit_is("A", BESS_DIM_CURRENT, 1, 0, 0);
	unit_is("mA", BESS_DIM_CURRENT, 1e-3, 0, 0);
	unit_is("kA", BESS_DIM_CURRENT, 1e3, 0, 0);
	unit_is("C", BESS_DIM_TEMP, 1, 0, 0);
	unit_is("degC", BESS_DIM_TEMP, 1, 0, 0);
	unit_is("\xc2\xb0" "C", BESS_DIM_TEMP, 1, 0, 0);
	unit_is("K", BESS_DIM_TEMP, 1, -273.15, 0);
	unit_is("F", BESS_DIM_TEMP, 5.0 / 9, -160.0 / 9, 0);	/* (F - 32) * 5/9 = F * 5/9 - 160/9 */
	unit_is("degF", BESS_DIM_TEMP, 5.0 / 9, -160.0 / 9, 0);
	unit_is("Ah", BESS_DIM_CHARGE, 1, 0, 0);
	unit_is("mAh", BESS_DIM_CHARGE, 1e-3, 0, 0);
	/* energy per interval: [hand] 1 kWh in 15 min is 4 kW on average; 1 Wh in 30 min is 2 W */
	unit_is("kWh/15m", BESS_DIM_POWER, 4, 0, 900);
	unit_is("Wh/30min", BESS_DIM_POWER, 0.002, 0, 1800);
	unit_is("MWh/1h", BESS_DIM_POWER, 1000, 0, 3600);
	unit_is("kWh/1d", BESS_DIM_POWER, 1.0 / 24, 0, 86400);
	unit_is("kWh/PT15M", BESS_DIM_POWER, 4, 0, 900);
	/* prices: currency per kWh or per kW; ct, p, c, cent(s) are hundredths */
	unit_is("/kWh", BESS_DIM_PRICE, 1, 0, 0);
	unit_is("/MWh", BESS_DIM_PRICE, 1e-3, 0, 0);
	unit_is("EUR/MWh", BESS_DIM_PRICE, 1e-3, 0, 0);
	unit_is("\xc2\xa3/kWh", BESS_DIM_PRICE, 1, 0, 0);
	unit_is("$/MWh", BESS_DIM_PRICE, 1e-3, 0, 0);
	unit_is("ct/kWh", BESS_DIM_PRICE, 0.01, 0, 0);
	unit_is("p/kWh", BESS_DIM_PRICE, 0.01, 0, 0);
	unit_is("c/kWh", BESS_DIM_PRICE, 0.01, 0, 0);
	unit_is("cent/kWh", BESS_DIM_PRICE, 0.01, 0, 0);
	unit_is("cents/MWh", BESS_DIM_PRICE, 1e-5, 0, 0);
	unit_is("/kW", BESS_DIM_PRICE_POWER, 1, 0, 0);
	unit_is("/MW", BESS_DIM_PRICE_POWER, 1e-3, 0, 0);
	unit_is("EUR/kW", BESS_DIM_PRICE_POWER, 1, 0, 0);
	/* durations are not column units; neither are these */
	unit_bad("s");
	unit_bad("15m");
	unit_bad("mW");
	unit_bad("kWh/0m");
	unit_bad("W/15m");
	unit_bad("1EUR/kWh");
	unit_bad("EUR/s");
	unit_bad("");
	unit_bad("kWh/");
	unit_bad("/");
	{
		struct bess_unit u;
		char why[256];

		bess_unit_parse("furlong", &u, why, sizeof(why));
		is_str(why, "unknown unit 'furlong' (known: W kW MW, Wh kWh MWh, kWh/15m, "
		    "EUR/MWh /kWh ct/kWh, %, V A Ah, C K F)", "unknown unit message");
		ok(bess_unit_parse("x", &u, NULL, 0) == -1, "why may be NULL");
	}
	/* [hand] a unit name cut to fit a buffer must not turn into a valid one */
	{
		char s[200], why[256];
		struct bess_qty q;

		snprintf(s, sizeof(s), "1 %.*s/kWhJUNK", 59,
		    "EUREUREUREUREUREUREUREUREUREUREUREUREUREUREUREUREUREUREUREUR");
		ok(bess_qty_parse(s, BESS_DIM_PRICE, &q, why, sizeof(why)) == -1,
		    "a long unit with junk after '/kWh' is unknown");
	}
	/* column suffixes: [doc] */
	is_int(bess_column_dim("load_kw"), BESS_DIM_POWER, "load_kw is a power");
	is_int(bess_column_dim("soc_kwh"), BESS_DIM_ENERGY, "soc_kwh is an energy");
	is_int(bess_column_dim("soc_pct"), BESS_DIM_PERCENT, "soc_pct is a percentage");
	is_int(bess_column_dim("cell_min_v"), BESS_DIM_VOLTAGE, "cell_min_v is a voltage");
	is_int(bess_column_dim("current_a"), BESS_DIM_CURRENT, "current_a is a current");
	is_int(bess_column_dim("cell_max_c"), BESS_DIM_TEMP, "cell_max_c is a temperature");
	is_int(bess_column_dim("capacity_ah"), BESS_DIM_CHARGE, "capacity_ah is a charge");
	is_int(bess_column_dim("price"), BESS_DIM_PRICE, "price");
	is_int(bess_column_dim("export_price"), BESS_DIM_PRICE, "export_price");
	is_int(bess_column_dim("day_ahead_price"), BESS_DIM_PRICE, "*_price");
	is_int(bess_column_dim("ts"), 0, "ts has no dimension");
	is_int(bess_column_dim("kw"), 0, "'kw' alone is no suffix");
	is_str(bess_dim_name(BESS_DIM_ENERGY), "energy", "dim name energy");
	is_str(bess_dim_name(BESS_DIM_PRICE_POWER), "price per power", "dim name price per power");
}

static void
test_qty_errors(void)
{
	/* [doc] the message names the value, what it is, and what was expected with an example */
	qty_err("250kWh", BESS_DIM_POWER, "'250kWh' is an energy; expected a power (e.g. 250kW)");
	qty_err("5V", BESS_DIM_POWER | BESS_DIM_PERCENT,
	    "'5V' is a voltage; expected a power (e.g. 250kW) or a percentage (e.g. 10%)");
	qty_err("5kW", BESS_DIM_NONE, "'5kW' is a power; expected a plain number (e.g. 0.9)");
	qty_err("5kW", BESS_DIM_ENERGY, "'5kW' is a power; expected an energy (e.g. 500kWh)");
	qty_err("5kW", BESS_DIM_VOLTAGE, "'5kW' is a power; expected a voltage");
	qty_err("", BESS_DIM_POWER, "empty value; expected a power (e.g. 250kW)");
	qty_err("abc", BESS_DIM_POWER, "'abc' is not a number; expected a power (e.g. 250kW)");
	qty_err("kW", BESS_DIM_POWER, "'kW' is not a number; expected a power (e.g. 250kW)");
	qty_err(" 5kW", BESS_DIM_POWER, "' 5kW' is not a number; expected a power (e.g. 250kW)");
	qty_err("250", BESS_DIM_POWER, "'250' needs a unit; expected a power (e.g. 250kW)");
	qty_err("250 furlongs", BESS_DIM_POWER,
	    "'250 furlongs': unknown unit 'furlongs'; expected a power (e.g. 250kW)");
	qty_err("1e999kW", BESS_DIM_POWER, "'1e999kW' is out of range");
	/* [hand] 1e308 GW = 1e314 kW and 1e308 h = 3.6e311 s are beyond the largest double */
	qty_err("1e308GW", BESS_DIM_POWER, "'1e308GW' is out of range");
	qty_err("1e308h", BESS_DIM_DURATION, "'1e308h' is out of range");
	qty_err("1e308/Wh", BESS_DIM_PRICE, "'1e308/Wh' is out of range");	/* 1e311 per kWh */
	qty_err("nan", BESS_DIM_NONE, "'nan' is not a number; expected a plain number (e.g. 0.9)");
	qty_err("inf kW", BESS_DIM_POWER, "'inf kW' is not a number; expected a power (e.g. 250kW)");
	qty_err("0x10", BESS_DIM_NONE, "'0x10': unknown unit 'x10'; expected a plain number (e.g. 0.9)");
	qty_err("10kWh/15m", BESS_DIM_POWER,
	    "'10kWh/15m': unknown unit 'kWh/15m'; expected a power (e.g. 250kW)");
	qty_err("5/kWh", BESS_DIM_POWER, "'5/kWh': unknown unit '/kWh'; expected a power (e.g. 250kW)");
	qty_err("PT15M", BESS_DIM_POWER, "'PT15M' is not a number; expected a power (e.g. 250kW)");
}

static void
dur_is(const char *s, long long want_us)
{
	long long us = -1;
	char why[256] = "";
	int rc = bess_duration_parse(s, &us, why, sizeof(why));

	ok(rc == 0 && us == want_us, "duration '%s' = %lld us", s, want_us);
	if (!(rc == 0 && us == want_us))
		diag("rc %d, %lld us, why '%s'", rc, us, why);
}

static void
dur_err(const char *s, const char *want)
{
	long long us = -1;
	char why[256] = "";
	int rc = bess_duration_parse(s, &us, why, sizeof(why));

	if (rc == 0) {
		ok(0, "duration '%s' rejected", s);
		diag("accepted as %lld us", us);
	} else if (want)
		is_str(why, want, "duration '%s' rejected", s);
	else
		ok(why[0] != '\0', "duration '%s' rejected (%s)", s, why);
}

static void
test_durations(void)
{
	/* [si] */
	dur_is("15m", 900000000LL);
	dur_is("2s", 2000000LL);
	dur_is("1h", 3600000000LL);
	dur_is("1d", 86400000000LL);
	dur_is("1w", 604800000000LL);
	dur_is("500ms", 500000LL);
	dur_is("1.5h", 5400000000LL);
	dur_is("0.001ms", 1LL);
	dur_is("30 min", 1800000000LL);
	/* [8601] */
	dur_is("PT15M", 900000000LL);
	dur_is("PT1H30M", 5400000000LL);
	dur_is("P1D", 86400000000LL);
	dur_is("P1W", 604800000000LL);
	dur_is("P1DT12H", 129600000000LL);
	dur_is("PT0.5S", 500000LL);
	dur_is("PT36H", 129600000000LL);
	dur_is("pt15m", 900000000LL);
	/* [8601] no months or years, H M S only after T, D W only before, digits only */
	dur_err("P", NULL);
	dur_err("PT", NULL);
	dur_err("P1M", NULL);
	dur_err("P1Y", NULL);
	dur_err("PT1D", NULL);
	dur_err("P1H", NULL);
	dur_err("PT-5M", NULL);
	dur_err("PT5", NULL);
	dur_err("PT5X", NULL);
	dur_err("PT0x10S", NULL);
	dur_err("PT1e3S", NULL);
	dur_err("PT1.5.5S", NULL);
	dur_err("P1DX", NULL);
	/* [doc] positive, at least 1 us */
	dur_err("0s", "'0s': a duration must be positive and at least 1us");
	dur_err("-5m", "'-5m': a duration must be positive and at least 1us");
	dur_err("0.0001ms", "'0.0001ms': a duration must be positive and at least 1us");
	dur_err("PT0S", "'PT0S': a duration must be positive and at least 1us");
	dur_err("1e13d", "'1e13d' is out of range (the limit is about 290000 years)");	/* 8.64e23 us > 2^63 */
	dur_err("15", "'15' needs a unit; expected a duration (e.g. 15m)");
	dur_err("15kW", "'15kW' is a power; expected a duration (e.g. 15m)");
	dur_err("", "empty value; expected a duration (e.g. 15m)");
}

/* ---------- numbers ---------- */

static uint64_t lcg_state = 7;

static unsigned
lcg(unsigned n)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((lcg_state >> 33) % n);
}

static int
same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* A random decimal: sign, integer digits, fraction, exponent, in shapes that hit both parse paths. */
static size_t
gen_decimal(char *buf, size_t cap)
{
	size_t n = 0;
	unsigned k, ni = lcg(4) == 0 ? 0 : 1 + lcg(lcg(2) ? 8 : 20), nf = lcg(3) == 0 ? 0 : lcg(lcg(2) ? 8 : 25);

	if (ni == 0 && nf == 0)
		ni = 1;
	switch (lcg(4)) {
	case 0: buf[n++] = '-'; break;
	case 1: if (lcg(4) == 0) buf[n++] = '+'; break;
	default: break;
	}
	for (k = 0; k < ni; k++)
		buf[n++] = (char)('0' + (k == 0 && ni > 1 && lcg(4) ? 1 + lcg(9) : lcg(10)));
	if (nf > 0 || lcg(8) == 0) {
		buf[n++] = '.';
		for (k = 0; k < nf; k++)
			buf[n++] = (char)('0' + lcg(10));
	}
	if (lcg(4) == 0) {
		int e = (int)lcg(lcg(2) ? 30 : 330);

		n += (size_t)snprintf(buf + n, cap - n, "%c%s%d", lcg(2) ? 'e' : 'E',
		    lcg(2) ? "-" : (lcg(2) ? "+" : ""), e);
	}
	buf[n] = '\0';
	return n;
}

static void
test_num_parse(void)
{
	char buf[128], comma[128];
	int i, bad = 0, bad_comma = 0, bad_scan = 0, fast = 0;
	double v, w, x;

	/* [strtod] a million random decimals, both paths */
	for (i = 0; i < 1000000; i++) {
		size_t n = gen_decimal(buf, sizeof(buf)), k;
		char *end;
		int rc;

		w = strtod(buf, &end);
		rc = bess_num_parse(buf, n, 0, &v);
		if (*end != '\0') {
			if (rc == 0 && bad++ < 5)
				diag("'%s' accepted, strtod stops early", buf);
			continue;
		}
		if (!isfinite(w)) {
			if (rc == 0 && bad++ < 5)
				diag("'%s' accepted, strtod says %g", buf, w);
		} else if (rc != 0 || !same_double(v, w)) {
			if (bad++ < 5)
				diag("'%s': rc %d, %.17g, strtod %.17g", buf, rc, v, w);
		}
		if (strchr(buf, 'e') == NULL && strchr(buf, 'E') == NULL && n < 18)
			fast++;
		/* the same with a decimal comma */
		memcpy(comma, buf, n + 1);
		for (k = 0; k < n; k++)
			if (comma[k] == '.')
				comma[k] = ',';
		rc = bess_num_parse(comma, n, 1, &x);
		if (isfinite(w) ? rc != 0 || !same_double(x, w) : rc == 0)
			if (bad_comma++ < 5)
				diag("'%s' (decimal comma): rc %d, %.17g, want %.17g", comma, rc, x, w);
		/* bess_num_scan says yes exactly when bess_num_parse succeeds */
		if ((bess_num_scan(buf, n, 0) != 0) != (bess_num_parse(buf, n, 0, &v) == 0))
			if (bad_scan++ < 5)
				diag("'%s': scan %d but parse %d", buf, bess_num_scan(buf, n, 0),
				    bess_num_parse(buf, n, 0, &v));
	}
	is_int(bad, 0, "1e6 random decimals read like strtod (%d short ones on the fast path)", fast);
	is_int(bad_comma, 0, "the same with a decimal comma");
	is_int(bad_scan, 0, "bess_num_scan agrees with bess_num_parse on them");
}

/* Parse s: 1 and *v, or 0. */
static int
parse(const char *s, int comma, double *v)
{
	return bess_num_parse(s, strlen(s), comma, v) == 0;
}

static void
test_num_edges(void)
{
	struct {
		const char *s;
		int comma;
		int ok;
		double v;
	} c[] = {
		{ "0", 0, 1, 0 }, { "-0", 0, 1, -0.0 }, { "+0", 0, 1, 0 }, { "0.0", 0, 1, 0 },
		{ "1e308", 0, 1, 1e308 }, { "1E308", 0, 1, 1e308 }, { "-1e308", 0, 1, -1e308 },
		{ "1.7976931348623157e308", 0, 1, 1.7976931348623157e308 },
		/* [hand] the halfway point between DBL_MAX and 2^1024 is 1.797693134862315807937...e308 */
		{ "1.7976931348623158079e308", 0, 1, 1.7976931348623157e308 },
		{ "1.797693134862315808e308", 0, 0, 0 },
		{ "1e309", 0, 0, 0 }, { "1.8e308", 0, 0, 0 }, { "-1e309", 0, 0, 0 },
		{ "0.1e309", 0, 1, 1e308 }, { "0.00001e309", 0, 1, 1e304 }, { "0e999999", 0, 1, 0 },
		{ "4.9e-324", 0, 1, 4.9e-324 }, { "1e-400", 0, 1, 0 },
		{ ".5", 0, 1, 0.5 }, { "5.", 0, 1, 5 }, { "+5", 0, 1, 5 }, { "007", 0, 1, 7 },
		{ "-.5", 0, 1, -0.5 }, { "00.500", 0, 1, 0.5 },
		{ "1,5", 1, 1, 1.5 }, { "-0,25", 1, 1, -0.25 }, { ",5", 1, 1, 0.5 },
		{ "1,5e3", 1, 1, 1500 },
		{ "1,5", 0, 0, 0 }, { "1.5", 1, 0, 0 }, { "1,000.5", 0, 0, 0 }, { "1.000,5", 1, 0, 0 },
		{ "nan", 0, 0, 0 }, { "NaN", 0, 0, 0 }, { "inf", 0, 0, 0 }, { "-inf", 0, 0, 0 },
		{ "infinity", 0, 0, 0 }, { "0x10", 0, 0, 0 }, { "0X1p3", 0, 0, 0 },
		{ " 5", 0, 0, 0 }, { "5 ", 0, 0, 0 }, { "5\n", 0, 0, 0 }, { "", 0, 0, 0 },
		{ "-", 0, 0, 0 }, { "+", 0, 0, 0 }, { ".", 0, 0, 0 }, { "-.", 0, 0, 0 },
		{ "e5", 0, 0, 0 }, { "5e", 0, 0, 0 }, { "5e+", 0, 0, 0 }, { "1.5.5", 0, 0, 0 },
		{ "1e5.5", 0, 0, 0 }, { "--5", 0, 0, 0 }, { "+-5", 0, 0, 0 }, { "5-", 0, 0, 0 },
		{ "1_000", 0, 0, 0 }, { "\xef\xbc\x95", 0, 0, 0 } /* fullwidth 5 */,
		/* [hand] 15 significant digits take the fast path, 16 the slow one */
		{ "123456789012345", 0, 1, 123456789012345.0 },
		{ "1234567890123456", 0, 1, 1234567890123456.0 },
		{ "0.000000000000000000000001", 0, 1, 1e-24 },
		{ "9007199254740993", 0, 1, 9007199254740992.0 },	/* 2^53 + 1 rounds to even */
		{ "0.1", 0, 1, 0.1 }, { "0.3", 0, 1, 0.3 }, { "2.675", 0, 1, 2.675 },
	};
	size_t i;
	double v;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++) {
		int got;

		v = -42;
		got = parse(c[i].s, c[i].comma, &v);
		if (c[i].ok)
			ok(got && same_double(v, c[i].v), "num '%s'%s = %.17g", c[i].s,
			    c[i].comma ? " (decimal comma)" : "", c[i].v);
		else
			ok(!got, "num '%s'%s rejected", c[i].s, c[i].comma ? " (decimal comma)" : "");
		if (got != c[i].ok || (got && !same_double(v, c[i].v)))
			diag("got %d, %.17g", got, v);
		/* scan agrees */
		is_int(bess_num_scan(c[i].s, strlen(c[i].s), c[i].comma) != 0, c[i].ok,
		    "scan '%s'%s says %s", c[i].s, c[i].comma ? " (decimal comma)" : "",
		    c[i].ok ? "a number" : "not a number");
	}
	/* a length limit must not cut a number off */
	{
		char s[1200];

		memset(s, '0', 1000);
		strcpy(s + 1000, "1.5");
		ok(parse(s, 0, &v) && v == 1.5, "1000 leading zeros then 1.5");
		is_int(bess_num_scan(s, strlen(s), 0), 2, "scan: 1000 leading zeros is a number to rewrite");
		memset(s, '1', 400);
		s[400] = '\0';
		ok(!parse(s, 0, &v), "a 400-digit integer is out of range");
		is_int(bess_num_scan(s, strlen(s), 0), 0, "scan: a 400-digit integer is not a number");
		strcpy(s, "0.");
		memset(s + 2, '0', 300);
		strcpy(s + 302, "123e302");
		ok(parse(s, 0, &v) && v == 12.3, "0.(300 zeros)123e302 = 1.23e-301 * 1e302 = 12.3");
		is_int(bess_num_scan(s, strlen(s), 0), 1, "scan: it is a JSON number");
	}
	/* the length given is what counts, not a NUL */
	ok(bess_num_parse("12345", 2, 0, &v) == 0 && v == 12, "length 2 of '12345' is 12");
	ok(bess_num_parse("1.5e3x", 5, 0, &v) == 0 && v == 1500, "length 5 of '1.5e3x'");
	ok(bess_num_parse("5\0" "5", 3, 0, &v) == -1, "a NUL inside is not a number");
	is_int(bess_num_check("1e5", 3, 0), 1, "num_check 1e5");
	is_int(bess_num_check("1e", 2, 0), 0, "num_check 1e");
}

static void
test_num_scan(void)
{
	/* [doc] 0 not a number, 1 a JSON number, 2 a number to rewrite for JSON */
	struct {
		const char *s;
		int comma, want;
	} c[] = {
		{ "0", 0, 1 }, { "-0", 0, 1 }, { "12", 0, 1 }, { "-12.5", 0, 1 }, { "1e5", 0, 1 },
		{ "1E+05", 0, 1 }, { "1.5e-3", 0, 1 }, { "0.5", 0, 1 },
		{ "+5", 0, 2 }, { ".5", 0, 2 }, { "5.", 0, 2 }, { "007", 0, 2 }, { "-007", 0, 2 },
		{ "00", 0, 2 }, { "-.5", 0, 2 }, { "5.e3", 0, 2 }, { "+1e5", 0, 2 }, { "01.5", 0, 2 },
		{ "1,5", 1, 2 }, { "0,5", 1, 2 }, { "12", 1, 1 }, { "1,5e3", 1, 2 },
		{ "", 0, 0 }, { "-", 0, 0 }, { ".", 0, 0 }, { "1,5", 0, 0 }, { "1.5", 1, 0 },
		{ "abc", 0, 0 }, { "1e", 0, 0 }, { "1e+", 0, 0 }, { "inf", 0, 0 }, { "nan", 0, 0 },
		{ "0x10", 0, 0 }, { " 1", 0, 0 }, { "1 ", 0, 0 }, { "1e309", 0, 0 }, { "1e308", 0, 1 },
		{ "1.7e308", 0, 1 }, { "-1.7e308", 0, 1 }, { "17e307", 0, 1 }, { "0.1e309", 0, 1 },
		{ "1e-999", 0, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(*c); i++)
		is_int(bess_num_scan(c[i].s, strlen(c[i].s), c[i].comma), c[i].want,
		    "num_scan '%s'%s = %d", c[i].s, c[i].comma ? " (decimal comma)" : "", c[i].want);
}

static void
test_json_number(void)
{
	static const char alpha[] = "0123456789-+.eE x";
	const char *yes[] = { "0", "-0", "1", "-1", "10", "0.5", "-0.0", "1e5", "1E5", "1e+5",
	    "1e-5", "1.5E-05", "123456789012345678901234567890", "0e0", NULL };
	const char *no[] = { "", "-", "+1", "01", "-01", ".5", "5.", "1e", "1e+", "1.e5", "0x1",
	    "1 ", " 1", "--1", "1-", "NaN", "Infinity", "1.5.5", "e5", "00", "1e5.5", NULL };
	regex_t re;
	char s[16];
	int i, bad = 0;

	for (i = 0; yes[i]; i++)
		ok(bess_is_json_number(yes[i], strlen(yes[i])), "JSON number '%s'", yes[i]);
	for (i = 0; no[i]; i++)
		ok(!bess_is_json_number(no[i], strlen(no[i])), "not a JSON number '%s'", no[i]);
	/* [8259] the grammar as a regular expression, against random strings over the number alphabet */
	if (regcomp(&re, "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$", REG_EXTENDED | REG_NOSUB) != 0) {
		ok(0, "regcomp");
		return;
	}
	for (i = 0; i < 300000; i++) {
		unsigned n = lcg(9), k;
		int want, got;

		for (k = 0; k < n; k++)
			s[k] = alpha[lcg(sizeof(alpha) - 1)];
		s[n] = '\0';
		want = regexec(&re, s, 0, NULL, 0) == 0;
		got = bess_is_json_number(s, n);
		if (want != got && bad++ < 5)
			diag("'%s': grammar %d, bess_is_json_number %d", s, want, got);
		/* a JSON number is one bess_num_scan classifies 1 (when finite) */
		if (want && (bess_num_scan(s, n, 0) == 1) != (bess_num_scan(s, n, 0) != 0) && bad++ < 5)
			diag("'%s' is a JSON number but scan says %d", s, bess_num_scan(s, n, 0));
		if (!want && bess_num_scan(s, n, 0) == 1 && bad++ < 5)
			diag("'%s' is no JSON number but scan says 1", s);
	}
	regfree(&re);
	is_int(bad, 0, "300000 random strings: bess_is_json_number matches the RFC 8259 grammar");
}

static void
test_fmt(void)
{
	char buf[64];
	int i, bad = 0, notshort = 0, notjson = 0;

	/* [hand] shortest of %.15g..%.17g that reads back; integers plain */
	struct {
		double v;
		const char *want;
	} c[] = {
		{ 0, "0" }, { -0.0, "0" }, { 1, "1" }, { -12, "-12" }, { 0.1, "0.1" }, { 0.5, "0.5" },
		{ 1.0 / 3, "0.3333333333333333" }, { 2.0 / 3, "0.6666666666666666" },
		{ 1e14, "100000000000000" }, { 999999999999999.0, "999999999999999" },
		{ 1e15, "1e+15" }, { 1e300, "1e+300" }, { 5e-324, "4.94065645841247e-324" },
		{ 123456789012345678.0, "1.2345678901234568e+17" }, { 0.1 + 0.2, "0.30000000000000004" },
		{ -2.5e-300, "-2.5e-300" }, { 1.7976931348623157e308, "1.7976931348623157e+308" },
	};
	size_t k;

	for (k = 0; k < sizeof(c) / sizeof(*c); k++) {
		int n = bess_fmt_num(c[k].v, buf);

		ok(strcmp(buf, c[k].want) == 0 && n == (int)strlen(c[k].want), "fmt_num %.17g = %s",
		    c[k].v, c[k].want);
		if (strcmp(buf, c[k].want) != 0)
			diag("got '%s'", buf);
	}
	/* [strtod] random finite doubles read back exactly, shortest first, as JSON numbers */
	for (i = 0; i < 200000; i++) {
		uint64_t bits = ((uint64_t)lcg(1u << 31) << 33) ^ ((uint64_t)lcg(1u << 31) << 2) ^ lcg(4);
		double v, r;
		char p15[64];

		memcpy(&v, &bits, sizeof(v));
		if (!isfinite(v))
			continue;
		if (i % 4 == 0)
			v = (double)(long long)(v == v && fabs(v) < 1e18 ? v : (double)lcg(1000000));
		bess_fmt_num(v, buf);
		r = strtod(buf, NULL);
		if (r != v && bad++ < 5)
			diag("%.17g formats as '%s'", v, buf);
		snprintf(p15, sizeof(p15), "%.15g", v);
		if (strtod(p15, NULL) == v && strcmp(p15, buf) != 0 &&
		    !(fabs(v) < 1e15 && v == (double)(long long)v) && notshort++ < 5)
			diag("%.17g: '%s' but %%.15g '%s' reads back too", v, buf, p15);
		if (!bess_is_json_number(buf, strlen(buf)) && notjson++ < 5)
			diag("%.17g formats as '%s', not a JSON number", v, buf);
	}
	is_int(bad, 0, "200000 random doubles read back exactly");
	is_int(notshort, 0, "and use %%.15g when that reads back");
	is_int(notjson, 0, "and are JSON numbers");

	/* bess_fmt_fixed: [hand] */
	bess_fmt_fixed(0.5, 2, buf);
	is_str(buf, "0.5", "fixed 0.5, 2");
	bess_fmt_fixed(12, 3, buf);
	is_str(buf, "12", "fixed 12, 3");
	bess_fmt_fixed(-3.25, 2, buf);
	is_str(buf, "-3.25", "fixed -3.25, 2");
	bess_fmt_fixed(-0.001, 2, buf);
	is_str(buf, "0", "fixed -0.001, 2 is 0, not -0");
	bess_fmt_fixed(123.456, 0, buf);
	is_str(buf, "123", "fixed 123.456, 0");
	bess_fmt_fixed(100, 0, buf);
	is_str(buf, "100", "fixed 100, 0 keeps its zeros");
	bess_fmt_fixed(NAN, 2, buf);
	is_str(buf, "", "fixed NaN is empty");
	memset(buf, 'x', sizeof(buf));
	bess_fmt_fixed(-1e300, 2, buf);
	ok(strlen(buf) < 32 && strtod(buf, NULL) == -1e300, "fixed -1e300 fits 32 bytes and reads back (%s)",
	    buf);
	bess_fmt_fixed(1.5, 40, buf);
	ok(strlen(buf) < 32 && strtod(buf, NULL) == 1.5, "fixed 1.5 with 40 decimals fits (%s)", buf);
}

/*
 * bess_qty_amount, the one range check of a price, amount or quantity from a file or an option:
 * 0 to 1e12, both ends in ([si]: 1e12 = 1000 GWh as kWh); a unit converts first (2 MWh = 2000).
 */
static void
test_amount(void)
{
	char why[256];
	double v = -1;

	ok(bess_qty_amount("0", BESS_DIM_NONE, "", &v, why, sizeof(why)) == 0 && v == 0, "amount 0");
	ok(bess_qty_amount("1e12", BESS_DIM_NONE, "", &v, why, sizeof(why)) == 0 && v == 1e12,
	    "amount 1e12: the top is in");
	ok(bess_qty_amount("2MWh", BESS_DIM_ENERGY, "", &v, why, sizeof(why)) == 0 && v == 2000,
	    "2MWh is 2000 kWh");
	ok(bess_qty_amount("1000000001MWh", BESS_DIM_ENERGY, "", &v, why, sizeof(why)) == -1,
	    "1000000001 MWh is 1.000000001e12 kWh: out");
	is_str(why, "'1000000001MWh' is not from 0 to 1e12", "... and says so");
	ok(bess_qty_amount("-0.5", BESS_DIM_NONE, "an amount ", &v, why, sizeof(why)) == -1, "-0.5: out");
	is_str(why, "'-0.5' is not an amount from 0 to 1e12", "... named as the caller asks");
	ok(bess_qty_amount("5kW", BESS_DIM_ENERGY, "", &v, why, sizeof(why)) == -1 &&
	    strstr(why, "power") != NULL, "the dimension is checked first (%s)", why);
}

int
main(void)
{
	test_amount();
	test_units();
	test_qty_errors();
	test_durations();
	test_num_parse();
	test_num_edges();
	test_num_scan();
	test_json_number();
	test_fmt();
	return done();
}
