/* blocks.c: files read in blocks by a pool of threads, taken in order (bess-ingest, bess-resample). */
#include <stdlib.h>
#include <string.h>

#include "bess_blocks.h"

enum { S_FREE = 0, S_BUSY, S_READY };

int
bess_blocks_add(struct bess_blocks *pl, struct bess_blkfile *f)
{
	struct bess_blkfile **q = realloc(pl->files, (pl->nfile + 1) * sizeof(*q));

	if (q == NULL)
		return -1;
	pl->files = q;
	f->state = calloc(f->win, 1);
	f->blk = calloc(f->win, sizeof(*f->blk));
	if (f->state == NULL || f->blk == NULL) {
		free(f->state);
		free(f->blk);
		f->state = NULL;
		f->blk = NULL;
		return -1;
	}
	f->claim = f->cur = 0;
	f->done = 0;
	pl->files[pl->nfile++] = f;
	return 0;
}

/*
 * Claim a block of some file for the calling thread (the mutex held): 1 and
 * the file, block and slot, or 0 if none may be claimed (each file has at
 * most win blocks from the one taken on, none past its last).
 */
static int
claim_any(struct bess_blocks *pl, struct bess_blkfile **fp, long long *kp, size_t *sp)
{
	size_t i;

	for (i = 0; i < pl->nfile; i++) {
		struct bess_blkfile *f = pl->files[i];

		if (f->done || f->claim >= f->cur + (long long)f->win || f->claim >= f->nblk)
			continue;
		*fp = f;
		*kp = f->claim++;
		*sp = (size_t)(*kp % (long long)f->win);
		f->state[*sp] = S_BUSY;
		f->blk[*sp] = *kp;
		return 1;
	}
	return 0;
}

static void *
worker_main(void *arg)
{
	struct bess_blocks *pl = arg;
	void *scratch = NULL;

	pthread_mutex_lock(&pl->mu);
	while (!pl->stop) {
		struct bess_blkfile *f;
		long long k;
		size_t s;

		if (!claim_any(pl, &f, &k, &s)) {
			pthread_cond_wait(&pl->cv_work, &pl->mu);
			continue;
		}
		pthread_mutex_unlock(&pl->mu);
		f->parse(f->ctx, k, s, &scratch);
		pthread_mutex_lock(&pl->mu);
		f->state[s] = S_READY;
		pthread_cond_broadcast(&pl->cv_ready);
	}
	pthread_mutex_unlock(&pl->mu);
	if (pl->scratch_free != NULL && scratch != NULL)
		pl->scratch_free(scratch);
	return NULL;
}

int
bess_blocks_start(struct bess_blocks *pl, long n)
{
	long i;

	if (pthread_mutex_init(&pl->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&pl->cv_work, NULL) != 0) {
		pthread_mutex_destroy(&pl->mu);
		return -1;
	}
	if (pthread_cond_init(&pl->cv_ready, NULL) != 0) {
		pthread_cond_destroy(&pl->cv_work);
		pthread_mutex_destroy(&pl->mu);
		return -1;
	}
	pl->live = 1;
	if (n <= 0)
		return 0;
	if ((pl->th = calloc((size_t)n, sizeof(*pl->th))) == NULL)
		return 0;	/* no workers: the consumer parses every block */
	for (i = 0; i < n; i++) {
		if (pthread_create(&pl->th[pl->nth], NULL, worker_main, pl) != 0)
			break;	/* as many as can be had */
		pl->nth++;
	}
	return 0;
}

size_t
bess_blocks_fetch(struct bess_blocks *pl, struct bess_blkfile *f)
{
	size_t s = (size_t)(f->cur % (long long)f->win);

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		struct bess_blkfile *of;
		long long k;
		size_t os;

		if (f->state[s] == S_READY && f->blk[s] == f->cur)
			break;
		if (!pl->help && pl->nth > 0) {	/* the workers parse, the consumer waits */
			pthread_cond_wait(&pl->cv_ready, &pl->mu);
			continue;
		}
		if (f->claim == f->cur) {	/* nobody has it: parse it here */
			f->claim++;
			f->state[s] = S_BUSY;
			f->blk[s] = f->cur;
			pthread_mutex_unlock(&pl->mu);
			f->parse(f->ctx, f->cur, s, &pl->mine);
			pthread_mutex_lock(&pl->mu);
			f->state[s] = S_READY;
			break;
		}
		if (claim_any(pl, &of, &k, &os)) {	/* a worker has it: help meanwhile */
			pthread_mutex_unlock(&pl->mu);
			of->parse(of->ctx, k, os, &pl->mine);
			pthread_mutex_lock(&pl->mu);
			of->state[os] = S_READY;
			continue;
		}
		pthread_cond_wait(&pl->cv_ready, &pl->mu);
	}
	pthread_mutex_unlock(&pl->mu);
	return s;
}

void
bess_blocks_release(struct bess_blocks *pl, struct bess_blkfile *f)
{
	pthread_mutex_lock(&pl->mu);
	f->state[f->cur % (long long)f->win] = S_FREE;
	f->cur++;
	pthread_cond_broadcast(&pl->cv_work);
	pthread_mutex_unlock(&pl->mu);
}

void
bess_blocks_retire(struct bess_blocks *pl, struct bess_blkfile *f)
{
	size_t i;
	int busy;

	if (!pl->live) {
		f->done = 1;
		return;
	}
	pthread_mutex_lock(&pl->mu);
	f->done = 1;
	do {
		busy = 0;
		for (i = 0; i < f->win; i++)
			busy |= f->state[i] == S_BUSY;
		if (busy)
			pthread_cond_wait(&pl->cv_ready, &pl->mu);
	} while (busy);
	pthread_mutex_unlock(&pl->mu);
}

void
bess_blocks_stop(struct bess_blocks *pl)
{
	size_t i;

	if (pl->live) {
		pthread_mutex_lock(&pl->mu);
		pl->stop = 1;
		pthread_cond_broadcast(&pl->cv_work);
		pthread_mutex_unlock(&pl->mu);
		for (i = 0; i < pl->nth; i++)
			pthread_join(pl->th[i], NULL);
		pthread_cond_destroy(&pl->cv_ready);
		pthread_cond_destroy(&pl->cv_work);
		pthread_mutex_destroy(&pl->mu);
		pl->live = 0;
	}
	free(pl->th);
	pl->th = NULL;
	pl->nth = 0;
	for (i = 0; i < pl->nfile; i++) {
		free(pl->files[i]->state);
		free(pl->files[i]->blk);
		pl->files[i]->state = NULL;
		pl->files[i]->blk = NULL;
	}
	free(pl->files);
	pl->files = NULL;
	pl->nfile = 0;
	if (pl->scratch_free != NULL && pl->mine != NULL)
		pl->scratch_free(pl->mine);
	pl->mine = NULL;
}
