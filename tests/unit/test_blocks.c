/*
 * test_blocks.c: the block pool (lib/blocks.c) bess-ingest and bess-resample read files with:
 * every block parsed exactly once, taken in order from its slot, with 0 to 4 workers, the
 * consumer helping or only waiting, two files at once, and a file retired half way (no block
 * is parsed past the window, none is left being parsed).
 */
#include <stdlib.h>
#include <string.h>

#include "bess_blocks.h"
#include "tap.h"

#define NBLK	200
#define WIN	3

struct src {
	struct bess_blkfile f;
	long long slot[WIN];	/* the block each slot holds */
	int parsed[NBLK];	/* times each block was parsed */
	int scratch_used;	/* a parse found its thread's scratch */
};

static void
parse(void *ctx, long long k, size_t slot, void **scratch)
{
	struct src *s = ctx;
	volatile unsigned spin = 0;
	unsigned i;

	if (*scratch == NULL)
		*scratch = malloc(16);
	else
		__atomic_store_n(&s->scratch_used, 1, __ATOMIC_RELAXED);
	for (i = 0; i < (unsigned)(k % 7) * 2000; i++)	/* blocks of uneven work */
		spin++;
	s->slot[slot] = k;
	__atomic_add_fetch(&s->parsed[k], 1, __ATOMIC_RELAXED);
}

static void
src_init(struct src *s, long long nblk)
{
	memset(s, 0, sizeof(*s));
	s->f.nblk = nblk;
	s->f.win = WIN;
	s->f.parse = parse;
	s->f.ctx = s;
}

/* Take blocks 0 .. upto-1 of s in order; 1 if each was in its slot when fetched. */
static int
take(struct bess_blocks *pl, struct src *s, long long upto)
{
	long long k;
	int good = 1;

	for (k = 0; k < upto; k++) {
		size_t slot = bess_blocks_fetch(pl, &s->f);

		if (slot != (size_t)(k % WIN) || s->slot[slot] != k)
			good = 0;
		bess_blocks_release(pl, &s->f);
	}
	return good;
}

static int
once_each(const struct src *s, long long n)
{
	long long k;

	for (k = 0; k < n; k++)
		if (s->parsed[k] != 1)
			return 0;
	return 1;
}

int
main(void)
{
	long n;
	int help;

	for (help = 0; help <= 1; help++)
		for (n = 0; n <= 4; n++) {
			struct bess_blocks pl;
			struct src a, b;
			long long k, beyond = 0;

			memset(&pl, 0, sizeof(pl));
			pl.help = help;
			pl.scratch_free = free;
			src_init(&a, NBLK);
			src_init(&b, NBLK / 2);
			ok(bess_blocks_add(&pl, &a.f) == 0 && bess_blocks_add(&pl, &b.f) == 0 &&
			    bess_blocks_start(&pl, n) == 0, "help %d, %ld workers: started", help, n);
			ok(take(&pl, &a, NBLK) && take(&pl, &b, NBLK / 4),
			    "help %d, %ld workers: blocks taken in order from their slots", help, n);
			ok(once_each(&a, NBLK), "help %d, %ld workers: each of %d blocks parsed once",
			    help, n, NBLK);
			/* b retired after NBLK/4 taken: at most WIN more were parsed, none twice */
			bess_blocks_retire(&pl, &b.f);
			for (k = NBLK / 4; k < NBLK / 2; k++)
				beyond += b.parsed[k];
			ok(once_each(&b, NBLK / 4) && beyond <= WIN,
			    "help %d, %ld workers: retired after %d blocks, %lld parsed past them "
			    "(window %d)", help, n, NBLK / 4, beyond, WIN);
			bess_blocks_stop(&pl);
		}
	return done();
}
