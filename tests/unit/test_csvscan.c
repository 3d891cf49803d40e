/*
 * test_csvscan.c: the one plain-field scanner (bess_csvscan.h) and the one decimal fast path
 * (bess_num_fast), against a byte-at-a-time model written from their comments: every stop
 * byte at every position of a word and across words, the byte order of bess_load8 (the byte
 * at p lowest, which is what makes the scan correct on a big-endian machine too), the borrow
 * of the word test (a byte just above a match), and the fast path's numbers against strtod.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bess_csvscan.h"
#include "bess_qty.h"
#include "tap.h"

/* The model: the first byte of [p, end) that the scanner stops at, one byte at a time. */
static size_t
model(const char *p, size_t n, unsigned char d, int checks)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned c = (unsigned char)p[i];

		if (c == d)
			break;
		if (checks && (c == '\n' || c == '\r' || c == '"' || c == 0 || c >= 0x80))
			break;
	}
	return i;
}

int
main(void)
{
	static const unsigned char stops[] = { ',', ';', '\t', '\n', '\r', '"', 0, 0x80, 0xc3, 0xff };
	unsigned char w8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	char buf[40];
	size_t len, pos, k, bad = 0, cases = 0;
	int checks;

	/* the byte at p is the lowest of the word, whatever the machine's byte order */
	ok(bess_load8(w8) == 0x0807060504030201ULL, "bess_load8: the byte at p lowest (0x%016llx)",
	    (unsigned long long)bess_load8(w8));

	/* every stop byte at every position of lines of 0 to 24 bytes, with and without checks */
	for (checks = 0; checks <= 1; checks++)
		for (len = 0; len <= 24; len++)
			for (pos = 0; pos <= len; pos++)
				for (k = 0; k < sizeof(stops); k++) {
					size_t want, got;

					memset(buf, 'a', sizeof(buf));
					if (pos < len)
						buf[pos] = (char)stops[k];
					want = model(buf, len, ',', checks);
					got = (size_t)(bess_csv_stop(buf, buf + len, ',', checks) - buf);
					cases++;
					if (got != want && bad++ < 5)
						diag("checks %d len %zu stop 0x%02x at %zu: got %zu, want %zu",
						    checks, len, stops[k], pos, got, want);
				}
	ok(bad == 0, "bess_csv_stop = the byte-at-a-time model in %zu cases", cases);

	/* the word test's borrow flags a byte just above a match, never one below */
	is_int((int)(bess_csv_stop("ab,-cdefgh", "ab,-cdefgh" + 10, ',', 0) - "ab,-cdefgh"), 2,
	    "',' then '-' (0x2c, 0x2d: a borrow above): the comma");
	is_int((int)(bess_csv_stop("abcdefg,\x01xyz", "abcdefg,\x01xyz" + 12, ',', 1) -
	    "abcdefg,\x01xyz"), 7, "a stop in the last byte of a word");
	is_int((int)(bess_csv_stop("abcdefgh" "ijklmnop" "q;", "abcdefgh" "ijklmnop" "q;" + 18, ';', 0) -
	    "abcdefgh" "ijklmnop" "q;"), 17, "a stop after two whole words, in the tail");
	is_int((int)(bess_csv_stop("a\xc3\xa9,b", "a\xc3\xa9,b" + 5, ',', 0) - "a\xc3\xa9,b"), 3,
	    "no checks: UTF-8 bytes are field bytes");
	is_int((int)(bess_csv_stop("a\xc3\xa9,b", "a\xc3\xa9,b" + 5, ',', 1) - "a\xc3\xa9,b"), 1,
	    "checks: the first byte from 0x80 on stops");

	/* the fast path: the same double as strtod wherever it answers; NULL where it must not */
	{
		static const char *const yes[] = {
			"0", "-0", "7.", ".5", "-.5", "+2.25", "007", "000.667", "12.345678901234",
			"-999999999999999", "0.1", "0.2", "0.3", "3.3117", "792.010", "-144.4",
			"123456789012.345"
		};
		static const char *const no[] = {
			"", "-", "+", ".", "-.", "1e3", "1234567890123456", "0.0000000000000001",
			"1.000000000000001", "1.5.2", "abc", " 1", "1 ", "0x10", "inf"
		};
		size_t i;

		for (i = 0, bad = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			double v = 1234.5;
			const char *e = bess_num_fast(yes[i], yes[i] + strlen(yes[i]), '.', &v);

			if (e != yes[i] + strlen(yes[i]) || memcmp(&v, &(double){ strtod(yes[i], NULL) },
			    sizeof(v)) != 0) {
				diag("'%s': %s, %.17g", yes[i], e ? "partial" : "NULL", v);
				bad++;
			}
		}
		ok(bad == 0, "bess_num_fast: %zu plain decimals read bit for bit as strtod reads them",
		    sizeof(yes) / sizeof(yes[0]));
		for (i = 0, bad = 0; i < sizeof(no) / sizeof(no[0]); i++) {
			double v = 1234.5;
			const char *e = bess_num_fast(no[i], no[i] + strlen(no[i]), '.', &v);

			if (e == NULL ? v != 1234.5 : e == no[i] + strlen(no[i])) {
				diag("'%s': answered %.17g", no[i], v);
				bad++;
			}
		}
		ok(bad == 0, "bess_num_fast: %zu texts not read whole (no digit, 16 digits, an "
		    "exponent, ...; *v untouched on NULL)", sizeof(no) / sizeof(no[0]));
		/* with no bound, the number ends at the first byte that is not part of it */
		{
			double v = 0;
			const char *s = "-12.5,7\n";
			const char *e = bess_num_fast(s, NULL, '.', &v);

			ok(e == s + 5 && v == -12.5, "no bound: '-12.5' read up to the delimiter");
			ok(bess_num_fast("+1,", NULL, '.', &v) == NULL, "no bound: a '+' goes the slow way");
			ok(bess_num_fast("1,5;", NULL, ',', &v) != NULL && v == 1.5,
			    "a decimal comma: '1,5' is 1.5");
		}
		/* bess_num_parse through the fast path and past it */
		{
			double v = 0;

			ok(bess_num_parse("+1.5", 4, 0, &v) == 0 && v == 1.5, "bess_num_parse '+1.5'");
			ok(bess_num_parse("1.5e3", 5, 0, &v) == 0 && v == 1500, "bess_num_parse '1.5e3' (slow path)");
			ok(bess_num_parse("1.5x", 4, 0, &v) == -1, "bess_num_parse '1.5x': not a number");
			ok(bess_num_parse("1,5", 3, 1, &v) == 0 && v == 1.5, "bess_num_parse '1,5' with a decimal comma");
		}
	}
	return done();
}
