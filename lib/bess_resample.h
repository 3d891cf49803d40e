/* bess_resample.h: putting record streams on one regular time grid, in one streaming pass, without inventing data. */
#ifndef BESS_RESAMPLE_H
#define BESS_RESAMPLE_H

#include <stdio.h>

#include "bess_agg.h"
#include "bess_err.h"
#include "bess_rec.h"
#include "bess_time.h"

/* No limit on how far a sample may be carried (--max-gap none). */
#define BESS_RS_NO_GAP_LIMIT	(-1LL)

/* How a column's signal runs between two samples. */
enum bess_fill {
	BESS_FILL_DEFAULT = 0,	/* hold, or the global --fill where it applies */
	BESS_FILL_HOLD,		/* a step: each value holds until the next sample */
	BESS_FILL_LINEAR	/* a straight line from one sample to the next */
};

/* Two records of one series at the same instant. */
enum bess_rs_dup {
	BESS_RS_DUP_ERROR = 0,	/* report file:line (default) */
	BESS_RS_DUP_FIRST,	/* keep the first, drop the others */
	BESS_RS_DUP_LAST	/* the last one replaces the others */
};

/* A setting for one column, named as it is written (after --prefix). */
struct bess_rs_col {
	const char *name;	/* column name */
	enum bess_agg agg;	/* BESS_AGG_DEFAULT: keep the default */
	enum bess_fill fill;	/* BESS_FILL_DEFAULT: keep the default */
};

struct bess_resample_opts {
	long long step_us;		/* grid step, microseconds (> 0) */
	const struct bess_tz *tz;	/* align intervals to local midnight in this zone, NULL = the epoch */
	int have_begin, have_end;	/* grid extent given */
	bess_time_t begin, end;		/* write intervals whose start is in [begin, end) */
	long long max_gap_us;		/* longest time a sample holds or is interpolated; BESS_RS_NO_GAP_LIMIT = none */
	enum bess_agg agg_all;		/* function for every column without its own, DEFAULT = by name */
	enum bess_fill fill_all;	/* fill for the columns where a global fill applies */
	const struct bess_rs_col *cols;	/* per-column settings */
	size_t ncols;
	int coverage;			/* add column coverage_frac */
	int jobs;			/* threads: 1 = this one only; 0 = one per processor (up
					   to 4); regular CSV files are parsed in blocks, by this
					   thread and jobs - 1 others */
	enum bess_rs_dup dup;		/* duplicate instants in one series */
	/* warnings (a column of numbers carried as text); called by the library, printed by the tool */
	void (*warn)(void *ctx, const struct bess_err *w);
	void *warn_ctx;
};

struct bess_resample;

/* Check the options; NULL with err filled (a usage problem) on failure. */
struct bess_resample *bess_resample_new(const struct bess_resample_opts *o, struct bess_err *err);

/*
 * Add an input (a canonical stream with column 'ts'); its header, or first
 * NDJSON record, is read now. prefix (may be NULL) is put before the names of
 * its value columns. fp is not closed.
 */
int bess_resample_add(struct bess_resample *rs, FILE *fp, const char *name,
    const char *prefix, struct bess_err *err);

/*
 * Check that every column named in the options exists in some input
 * (call after the last bess_resample_add); -1 with err naming it.
 */
int bess_resample_check_cols(struct bess_resample *rs, struct bess_err *err);

/* Read every input in one merged pass and write the grid to w. */
int bess_resample_run(struct bess_resample *rs, struct bess_writer *w, struct bess_err *err);

/*
 * Bytes of the inputs read so far (offsets summed; a file read in blocks,
 * up to the block records are taken from), for a progress line: call it
 * from the thread that runs bess_resample_run (a writer's progress hook).
 */
long long bess_resample_consumed(const struct bess_resample *rs);

void bess_resample_free(struct bess_resample *rs);

#endif
