/*
 * bess_blocks.h: a file read in blocks by a pool of threads and taken in
 * order: the one parallel block reader of bess-ingest and bess-resample.
 * Each block is parsed by whichever thread gets to it first (a worker, or
 * the consumer when it would otherwise wait), into one of a few slots, so
 * memory stays constant; the consumer takes the blocks in order.
 */
#ifndef BESS_BLOCKS_H
#define BESS_BLOCKS_H

#include <pthread.h>
#include <stddef.h>

/*
 * A file (or any source) read in blocks 0 .. nblk-1. Block k is parsed by
 * parse(ctx, k, k % win, &scratch) in some thread, scratch being that
 * thread's own (NULL at first; parse may allocate it, scratch_free of the
 * pool frees it). Set nblk, win, parse and ctx, then bess_blocks_add.
 */
struct bess_blkfile {
	long long nblk;		/* blocks: none is parsed at or past it */
	size_t win;		/* slots: blocks in flight, from the one taken on */
	void (*parse)(void *ctx, long long k, size_t slot, void **scratch);
	void *ctx;
	/* the pool's (under its mutex) */
	unsigned char *state;	/* per slot: free, being parsed, parsed */
	long long *blk;		/* per slot: the block in it */
	long long claim;	/* next block to parse */
	long long cur;		/* the block the consumer takes (read it from the consumer's thread) */
	int done;		/* no more blocks wanted */
};

/* Threads that parse the blocks of every file added. */
struct bess_blocks {
	pthread_mutex_t mu;
	pthread_cond_t cv_work;		/* a block may be claimed, or stop */
	pthread_cond_t cv_ready;	/* a block was parsed */
	int live;			/* mu and the conditions are initialised */
	int stop;
	pthread_t *th;
	size_t nth;
	struct bess_blkfile **files;
	size_t nfile;
	void (*scratch_free)(void *);	/* frees a thread's scratch (may be NULL) */
	int help;			/* the consumer parses blocks too while it waits (else only with no workers) */
	void *mine;			/* the consumer's scratch */
};

/* Add f to pl (before bess_blocks_start): 0, or -1 when out of memory. */
int bess_blocks_add(struct bess_blocks *pl, struct bess_blkfile *f);
/* Start up to n workers (0: the consumer parses every block): 0, or -1 when out of memory. */
int bess_blocks_start(struct bess_blocks *pl, long n);
/*
 * The slot of block f->cur once parsed. With pl->help set (or no workers):
 * parsed here if no thread has it, and while a thread is at it, another
 * block is parsed here meanwhile; else the consumer only waits.
 */
size_t bess_blocks_fetch(struct bess_blocks *pl, struct bess_blkfile *f);
/* Done with block f->cur: its slot is free again, the next block is current. */
void bess_blocks_release(struct bess_blocks *pl, struct bess_blkfile *f);
/* No more blocks of f: wait for those being parsed (then its slots may be freed). */
void bess_blocks_retire(struct bess_blocks *pl, struct bess_blkfile *f);
/* Stop the workers and free the pool's own memory (not the files' slots' contents). */
void bess_blocks_stop(struct bess_blocks *pl);

#endif
