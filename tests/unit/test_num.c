/* test_num.c: bess_num_parse, fast path and slow path, against values and refusals worked out by hand. */
#include <math.h>
#include <string.h>

#include "bess_qty.h"
#include "tap.h"

/* Parse s; its status, and *v. */
static int
num(const char *s, int dc, double *v)
{
	*v = -12345;
	return bess_num_parse(s, strlen(s), dc, v);
}

static void
same(const char *s, double want)
{
	double v;
	int rc = num(s, 0, &v);

	/* == on doubles on purpose: the C compiler rounds the literal correctly, so must we */
	if (!ok(rc == 0 && v == want && signbit(v) == signbit(want), "'%s' is %.17g", s, want))
		diag("got status %d, value %.17g", rc, v);
}

static void
refused(const char *s)
{
	double v;

	ok(num(s, 0, &v) == -1, "'%s' is not a number", s);
}

int
main(void)
{
	double v;

	same("0", 0.0);
	same("-0", -0.0);
	same("+5", 5.0);
	same(".5", 0.5);
	same("5.", 5.0);
	same("-.25", -0.25);
	same("00012.5000", 12.5);
	same("0.05", 0.05);
	same("0.1", 0.1);
	same("-95.13", -95.13);
	same("772.2", 772.2);
	same("3.432", 3.432);
	same("0.000000000000000000001", 1e-21);	/* 21 decimals: still exact m / 10^k */
	same("0.00000000000000000000001", 1e-23);	/* 23 decimals: the slow path */
	same("123456789012345", 123456789012345.0);	/* 15 digits: fast */
	same("1234567890123456", 1234567890123456.0);	/* 16: the slow path */
	/* 2^53 + 1 is not a double; round to even gives 2^53 */
	same("9007199254740993", 9007199254740992.0);
	same("1e3", 1000.0);
	same("2.5E-3", 0.0025);
	same("-1.5e+2", -150.0);
	ok(num("1,5", 1, &v) == 0 && v == 1.5, "'1,5' with a decimal comma is 1.5");
	ok(num("1.5", 1, &v) == -1, "'1.5' with a decimal comma is not a number");
	refused("");
	refused("-");
	refused("+");
	refused(".");
	refused("+.");
	refused("1.2.3");
	refused(" 1");
	refused("1 ");
	refused("0x10");
	refused("inf");
	refused("nan");
	refused("1e");
	refused("e5");
	refused("--1");
	refused("1e400");
	refused("1,5");
	return done();
}
