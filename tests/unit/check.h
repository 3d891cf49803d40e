/* check.h: small TAP helpers and hand-built records for the unit tests (header only). */
#ifndef BESS_CHECK_H
#define BESS_CHECK_H

#include <stdio.h>
#include <string.h>

#include "bess_rec.h"

static int n_test, n_fail;

/* "ok N - what" or "not ok N - what". */
static inline void
check(int cond, const char *what)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n_test, what);
}

/* got equals want; want ending in '*' compares only what comes before it (third-party messages). */
static inline void
same(const char *got, const char *want, const char *what)
{
	size_t n = strlen(want);
	int eq;

	if (n > 0 && want[n - 1] == '*')
		eq = got != NULL && strncmp(got, want, n - 1) == 0;
	else
		eq = got != NULL && strcmp(got, want) == 0;
	check(eq, what);
	if (!eq)
		printf("#   got '%s', want '%s'\n", got ? got : "(null)", want);
}

/* Print the plan; the exit status of main. */
static inline int
done_testing(void)
{
	printf("1..%d\n", n_test);
	return n_fail != 0;
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
