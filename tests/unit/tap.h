/* tap.h: a tiny Test Anything Protocol helper for the C unit tests (header only). */
#ifndef BESS_TAP_H
#define BESS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * Usage:
 *	plan(3);			(optional: without it, done() prints the plan)
 *	ok(x == 1, "x is one");
 *	is_int(f(2), 4, "f(%d)", 2);
 *	is_str(name, "abc", "name");
 *	return done();			(0 if all passed and the plan was kept, else 1)
 * Every check prints "ok N - desc" or "not ok N - desc" plus '#' diagnostics.
 */

static int tap_run;		/* assertions run so far */
static int tap_failed;		/* assertions that failed */
static int tap_planned = -1;	/* count given to plan(), -1 if none */

static inline void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

static inline void
diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void
diag(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int
tap_vok(const char *file, int line, int cond, const char *fmt, va_list ap)
{
	tap_run++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

static inline int
tap_ok(const char *file, int line, int cond, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline int
tap_ok(const char *file, int line, int cond, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(file, line, cond, fmt, ap);
	va_end(ap);
	return r;
}

static inline int
tap_is_int(const char *file, int line, long long got, long long want, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static inline int
tap_is_int(const char *file, int line, long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(file, line, got == want, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
	return r;
}

static inline int
tap_is_str(const char *file, int line, const char *got, const char *want, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static inline int
tap_is_str(const char *file, int line, const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(file, line, got != NULL && want != NULL ? strcmp(got, want) == 0 :
	    got == want, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: '%s'\n#     expected: '%s'\n",
		    got ? got : "(null)", want ? want : "(null)");
	return r;
}

#define ok(cond, ...)		tap_ok(__FILE__, __LINE__, !!(cond), __VA_ARGS__)
#define is_int(got, want, ...)	tap_is_int(__FILE__, __LINE__, (long long)(got), (long long)(want), __VA_ARGS__)
#define is_str(got, want, ...)	tap_is_str(__FILE__, __LINE__, (got), (want), __VA_ARGS__)

/* Finish: print the plan if none was given; the exit status for main. */
static inline int
done(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run) {
		diag("planned %d tests but ran %d", tap_planned, tap_run);
		return 1;
	}
	if (tap_failed > 0)
		diag("failed %d of %d tests", tap_failed, tap_run);
	return tap_failed > 0;
}

#endif
