/* fuzz_qty.c: libFuzzer target for lib/qty.c: quantities, units, durations, number parsing and formatting. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_qty.h"

/*
 * Build and run: make fuzz (tests/fuzz/run.sh), seeds in tests/fuzz/seeds/fuzz_qty/.
 * The input (as a string, and as a field of its own length) goes through
 * every parser. Checked: a quantity, unit or duration that parses is finite
 * and of an allowed dimension, a failure says why; bess_num_scan says "a
 * number" exactly when bess_num_parse succeeds, 1 exactly for JSON numbers;
 * a parsed number formats (bess_fmt_num) to a JSON number that reads back to
 * the same double; bess_fmt_fixed stays within its 32 bytes.
 */

#define FAIL(...) do { fprintf(stderr, "fuzz: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static const unsigned masks[] = {
	BESS_DIM_POWER, BESS_DIM_ENERGY, BESS_DIM_DURATION, BESS_DIM_NONE | BESS_DIM_PERCENT,
	BESS_DIM_PRICE | BESS_DIM_PRICE_POWER, 0x7ff,
};

static void
check_why(const char *s, const char *why, size_t cap)
{
	size_t n = strnlen(why, cap);

	if (n == 0 || n == cap)
		FAIL("'%s': empty or unterminated message", s);
}

static void
check_number(const char *s, size_t len, int comma)
{
	char buf[64], fixed[40];
	double v, r;
	int scan = bess_num_scan(s, len, comma), parsed = bess_num_parse(s, len, comma, &v) == 0;
	int json = bess_is_json_number(s, len);

	if ((scan != 0) != parsed)
		FAIL("'%.*s' (comma %d): scan %d, parse %s", (int)len, s, comma, scan, parsed ? "ok" : "fails");
	if (scan == 1 && !json)
		FAIL("'%.*s': scan says JSON number, the grammar does not", (int)len, s);
	if (json && parsed && scan != 1 && !comma)
		FAIL("'%.*s': a finite JSON number but scan says %d", (int)len, s, scan);
	if (bess_num_check(s, len, comma) != parsed)
		FAIL("'%.*s': num_check disagrees", (int)len, s);
	if (!parsed)
		return;
	if (!isfinite(v))
		FAIL("'%.*s' parsed to %g", (int)len, s, v);
	memset(buf, 'x', sizeof(buf));
	bess_fmt_num(v, buf);
	if (strnlen(buf, 32) >= 32 || !bess_is_json_number(buf, strlen(buf)))
		FAIL("%.17g formats as '%.40s'", v, buf);
	r = strtod(buf, NULL);
	if (r != v)
		FAIL("%.17g formats as '%s', which reads %.17g", v, buf, r);
	memset(fixed, 'x', sizeof(fixed));
	bess_fmt_fixed(v, (int)(len % 12), fixed);
	if (strnlen(fixed, 32) >= 32)
		FAIL("fmt_fixed of %.17g overran 32 bytes", v);
	if (fixed[0] == '\0' || (strtod(fixed, NULL) == 0 && fabs(v) >= 1))
		FAIL("fmt_fixed of %.17g gave '%s'", v, fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), why[256];
	struct bess_qty q;
	struct bess_unit u;
	long long us;
	size_t i;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_number((const char *)data, size, 0);
	check_number((const char *)data, size, 1);
	(void)bess_column_dim(s);

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		memset(why, 'x', sizeof(why));
		why[0] = '\0';
		if (bess_qty_parse(s, masks[i], &q, why, sizeof(why)) == 0) {
			if (!isfinite(q.value))
				FAIL("'%s' is the quantity %g", s, q.value);
			if (!(q.dim & masks[i]))
				FAIL("'%s' has dimension %d, not in %#x", s, (int)q.dim, masks[i]);
		} else
			check_why(s, why, sizeof(why));
	}
	if (bess_duration_parse(s, &us, why, sizeof(why)) == 0) {
		if (us < 1)
			FAIL("'%s' is the duration %lld us", s, us);
	} else
		check_why(s, why, sizeof(why));
	if (bess_unit_parse(s, &u, why, sizeof(why)) == 0) {
		if (!isfinite(u.scale) || u.scale == 0 || !isfinite(u.offset) || u.per_s < 0 ||
		    (u.dim & (u.dim - 1)) != 0 || u.dim == 0 || u.dim > BESS_DIM_PRICE_POWER)
			FAIL("unit '%s': dim %d scale %g offset %g per_s %g", s, (int)u.dim, u.scale,
			    u.offset, u.per_s);
	} else
		check_why(s, why, sizeof(why));
	free(s);
	return 0;
}
