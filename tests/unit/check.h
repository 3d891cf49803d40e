/* check.h: what the mqtt unit tests add to tap.h: prefix comparisons and hand-built records (header only). */
#ifndef BESS_CHECK_H
#define BESS_CHECK_H

#include <stdio.h>
#include <string.h>

#include "bess_rec.h"
#include "tap.h"

/* "ok N - what" or "not ok N - what". */
static inline void
check(int cond, const char *what)
{
	ok(cond, "%s", what);
}

/* got equals want; want ending in '*' compares only what comes before it (third-party messages). */
static inline void
same(const char *got, const char *want, const char *what)
{
	size_t n = strlen(want);

	if (n > 0 && want[n - 1] == '*') {
		if (!ok(got != NULL && strncmp(got, want, n - 1) == 0, "%s", what))
			diag("got '%s', want it to start with '%.*s'", got ? got : "(null)",
			    (int)(n - 1), want);
	} else
		is_str(got, want, "%s", what);
}

/* Print the plan; the exit status of main. */
static inline int
done_testing(void)
{
	return done();
}

/* A record of CSV-like (BESS_K_AUTO) fields built from name, value pairs. */
struct mini {
	struct bess_schema s;	/* the names */
	struct bess_rec r;	/* the values (not copied: they are literals) */
};

static inline void
mini(struct mini *m, const char *const *kv, size_t n)
{
	size_t i;

	bess_schema_init(&m->s);
	bess_rec_init(&m->r);
	for (i = 0; i < n; i += 2) {
		bess_schema_add(&m->s, kv[i]);
		bess_rec_set(&m->r, i / 2, kv[i + 1], BESS_K_AUTO);
	}
}

static inline void
mini_free(struct mini *m)
{
	bess_schema_free(&m->s);
	bess_rec_free(&m->r);
}

#endif
