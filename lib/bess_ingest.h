/* bess_ingest.h: turning messy inputs into the canonical record stream (columns, units, UTC time, order). */
#ifndef BESS_INGEST_H
#define BESS_INGEST_H

#include <stdio.h>

#include "bess_err.h"
#include "bess_rec.h"
#include "bess_time.h"

/* How duplicate timestamps (same series, same instant) are resolved. */
enum bess_dup_policy {
	BESS_DUP_ERROR = 0,	/* report file:line (default) */
	BESS_DUP_FIRST,		/* keep the first record */
	BESS_DUP_LAST,		/* keep the last record */
	BESS_DUP_MEAN,		/* average numeric fields, first value of the others */
	BESS_DUP_KEEP		/* keep all of them */
};

/* A KEY=VALUE pair from the command line. */
struct bess_kv {
	char *key;
	char *value;
};

struct bess_ingest_opts {
	struct bess_reader_opts rd;	/* input format, delimiter, preamble, header */
	const char *time_col;		/* time column name or 1-based number; NULL = detect */
	const char *elapsed_col;	/* seconds elapsed, anchored at the first record's time; NULL = none */
	struct bess_tparse tp;		/* how times are read (tz, --utc, pattern, epoch, DST policies) */
	long long label_shift_us;	/* subtracted from every time (interval-end labels), >= 0 */
	long long interval_us;		/* sampling interval for energy -> power, 0 = unknown */
	int have_begin, have_end;	/* window given */
	bess_time_t begin, end;		/* half-open window [begin, end) */
	struct bess_kv *map;		/* renames SRC=DST */
	size_t nmap;
	struct bess_kv *unit;		/* unit declarations COL=UNIT (source or destination name) */
	size_t nunit;
	struct bess_kv *tag;		/* constant columns KEY=VALUE */
	size_t ntag;
	const char *file_tag;		/* column to hold each input's base name, or NULL */
	char **keep;			/* output only these columns (after renaming), NULL = all */
	size_t nkeep;
	char **drop;			/* drop these */
	size_t ndrop;
	char **device;			/* keep records whose device column is one of these */
	size_t ndevice;
	struct bess_kv *where;		/* keep records whose column KEY (source or mapped name) is VALUE, all of them */
	size_t nwhere;
	char **missing;			/* texts that mean "no value" (besides "") */
	size_t nmissing;
	int decimal_comma;		/* "1,5" is 1.5 */
	double capacity_kwh;		/* for % -> kWh, 0 = not given */
	int skip_bad;			/* drop bad records (counted) instead of failing */
	int sort;			/* sort by time in memory instead of requiring order */
	long long sort_max_bytes;	/* --sort: most bytes the held records may take, 0 = no bound */
	enum bess_dup_policy dup;	/* duplicate timestamps */
	unsigned names;			/* alias sets applied to columns -m does not rename (BESS_NAMES_*) */
	int list_devices;		/* write each series' device, site, first_ts, last_ts, records instead */
	long long offset;		/* records (after filtering) left out before the first written */
	long long limit;		/* most records written, then reading stops; -1 = no limit */
	int jobs;			/* threads reading one regular CSV file in blocks: 0 = one per processor, 1 = none */
	long block_bytes;		/* bytes a block, 0 = 512 KiB (tests use less) */
	/* warnings (magnitude checks, skipped records); called by the library, printed by the tool */
	void (*warn)(void *ctx, const struct bess_err *w);
	void *warn_ctx;
};

struct bess_ingest_stats {
	long long in;			/* records read */
	long long out;			/* records written */
	long long skipped;		/* bad records dropped under skip_bad */
	long long filtered;		/* outside the window, or another device */
	long long merged;		/* duplicates resolved */
	long long paged;		/* records left out by offset */
	int stopped_early;		/* an input was left unread past --end, or --limit was reached */
	struct bess_err first_bad;	/* the first bad record dropped */
};

struct bess_ingest;

/* Check options (column refs, units, policies); NULL with err on a usage problem. */
struct bess_ingest *bess_ingest_new(const struct bess_ingest_opts *o, struct bess_err *err);
/* Add an input: its header is read now. fp is not closed. */
int bess_ingest_add(struct bess_ingest *ig, FILE *fp, const char *name, struct bess_err *err);
/* Stream every input, in order, to w. */
int bess_ingest_run(struct bess_ingest *ig, struct bess_writer *w, struct bess_err *err);
const struct bess_ingest_stats *bess_ingest_stats(const struct bess_ingest *ig);
/*
 * Bytes of the inputs read so far (offsets summed; in blocks, up to the
 * last block written), for a progress line: call it from the thread that
 * runs bess_ingest_run (a writer's progress hook).
 */
long long bess_ingest_consumed(const struct bess_ingest *ig);
void bess_ingest_free(struct bess_ingest *ig);

/* Parse "KEY=VALUE" into kv (copies); -1 if there is no '=' or the key is empty. */
int bess_kv_parse(const char *s, struct bess_kv *kv);

#endif
