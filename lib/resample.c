/* resample.c: the streaming resampler — one cursor per input, a small ring of open intervals, constant memory. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bess_grow.h"
#include "bess_blocks.h"
#include "bess_csvscan.h"
#include "bess_grid.h"
#include "bess_qty.h"
#include "bess_names.h"
#include "bess_resample.h"

#define NO_TIME		INT64_MAX	/* "no next sample" / end of input */
#define RING_MIN	4		/* first ring capacity (a power of two) */
#define BLOCK_BYTES	(128 << 10)	/* a CSV file is read in blocks of this many bytes */
#define BLOCK_TAIL	4096		/* read past a block's end for its last line */
#define BULK_WIN	6		/* blocks per file in flight: in use, parsed, being parsed */
#define BULK_MAXLINE	(1 << 20)	/* a line longer than this goes to the record reader */
#define BULK_PAD	32		/* zero bytes after a block's data: 8-byte loads may run over */
#define JOBS_MAX	4		/* default threads at most: the aggregating one keeps up with 3 parsing */

/* A growable text, NUL-terminated. */
struct tbuf {
	char *p;		/* bytes, NULL until first set */
	size_t n, cap;		/* length, allocated */
	unsigned char kind;	/* enum bess_kind of the value */
};

/* One value column of an input. */
struct col {
	char *name;		/* output name (prefix applied; RATE renames) */
	char *in_name;		/* the name settings refer to (prefix applied) */
	int in_idx;		/* index in the input's schema */
	int out_idx;		/* index in the output schema */
	enum bess_agg agg;	/* aggregation */
	int linear;		/* signal interpolated linearly between samples */
	int text;		/* carried as text (first/last of a column with no numeric kind) */
	int per_sample;		/* MEAN or COUNT: also fed each sample in its interval */
	int textnum;		/* text column: 1 while every value seen is a number, -1 once one is not */
	long long ntext_seen;	/* text column: values seen */
};

struct input;
struct rowkey;
struct bulk;

/* The samples of one site/device in one input. */
struct series {
	struct input *in;	/* owner */
	char *site, *device;	/* key, "" when absent */
	struct rowkey *row;	/* output row (keyed inputs), NULL otherwise */
	int pending;		/* 0 none; 1 the last sample waits for its cover; 2 its cover is decided */
	bess_time_t pt;		/* time of the last sample */
	long pline;		/* its input line */
	long long prev_dt;	/* spacing before it, us; -1 if it is the first */
	size_t ncols;		/* columns allocated for */
	double *pv;		/* last sample's values */
	unsigned char *phas;	/* ... present (1) or missing (0) */
	struct tbuf *ptext;	/* ... texts of text columns */
	struct bess_acc *acc;	/* per ring slot, per column: [ring cap][ncols] */
	struct tbuf *tacc;	/* per ring slot, per text column: first/last text */
};

/* An output row: a site/device pair, fed by at most one series per input. */
struct rowkey {
	char *site, *device;	/* key */
	bess_time_t first_t;	/* time of its first record: rows start at the interval holding it */
	struct series **ser;	/* per input, NULL if that input has no such series */
};

struct input {
	FILE *fp;		/* the stream (not owned) */
	struct bess_reader *rd;	/* cursor */
	char *name;		/* for messages */
	char *prefix;		/* put before value column names, "" if none */
	int idx;		/* position among the inputs */
	int ts, site, device;	/* schema indices, -1 if absent */
	int keyed;		/* has site or device */
	struct col *cols;	/* value columns */
	size_t ncols;
	size_t ntext;		/* how many of them are text */
	size_t nschema;		/* schema columns taken into account */
	int *outmap;		/* output column -> index in cols, -1 */
	size_t noutmap;
	struct bess_rec rec;	/* the reader's current record */
	struct series *one;	/* the series of a keyless input */
	struct series **ser;	/* keyed: series sorted by (site, device) */
	size_t nser, capser;
	struct series *cache;	/* the series of the previous record */
	struct bess_tcache tc;	/* timestamp cache (used by whoever parses) */
	bess_time_t prev_t;	/* the parser's previous time, for the order check */
	long prev_line;		/* ... and its line */

	/* the current record, parsed: the next one to take in */
	int have;		/* there is one (else end of input) */
	bess_time_t t;		/* its time */
	long tline;		/* its line */
	const double *nv;	/* its values, per column */
	const unsigned char *nhas;	/* ... present (1) or missing (0) */
	size_t nslot;		/* field slots: 0 site, 1 device, 2 + c column c */
	const char **txt;	/* per slot: the field's text (NUL-terminated) */
	size_t *tlen;		/* ... length */
	unsigned char *tkind;	/* ... enum bess_kind */
	double *vbuf;		/* storage behind nv, nhas when parsed in this thread */
	unsigned char *hbuf;
	struct bulk *bulk;	/* read in blocks, or NULL: by the record reader */
	long long start_off;	/* offset of fp where the reader started, -1 unknown */
	long long size;		/* size of a regular file, else -1 */
	int plain_mean;		/* every column MEAN, held, numeric: decide's short way */
};

/* What a field of a CSV line read in blocks is. */
enum { F_NUM = 0, F_TEXT, F_TS, F_NONE };

/* The records of one block of a CSV file, parsed. */
struct batch {
	size_t n, cap;		/* records, allocated */
	bess_time_t *t;		/* per record: time */
	long *rel;		/* ... line, counting the block's first line as 1 */
	double *v;		/* ... values [cap][ncols] */
	unsigned char *has;	/* ... present (1) or missing (0) [cap][ncols] */
	size_t *toff, *tlen;	/* ... text slots: offset in arena, length [cap][nslot] (bulk text only) */
	unsigned char *tkind;	/* ... enum bess_kind [cap][nslot] */
	struct tbuf arena;	/* text bytes, each NUL-terminated */
	long nlines;		/* lines that start in the block */
	long stop;		/* 0, or the line (counted as rel) from which the record reader must read */
	int eof;		/* no line starts after the block */
};

/* A CSV file read in blocks (see "reading CSV files in blocks"). */
struct bulk {
	/* fixed once reading starts; read by every thread */
	int fd;			/* the input's file */
	long long data0;	/* offset of the first record's line */
	long long size;		/* file size at the start: workers claim no block past it */
	unsigned char delim;	/* field delimiter */
	int tab_space;		/* tabs are trimmed like spaces (the delimiter is not a tab) */
	size_t nf;		/* fields per line (the header's) */
	unsigned char *role;	/* per field: F_NUM, F_TEXT or F_TS */
	size_t *fidx;		/* per field: its column (F_NUM) or text slot (F_TEXT) */
	size_t ncols, nslot;	/* values and text slots per record */
	int text;		/* records carry text slots (keys or text columns) */
	struct batch win[BULK_WIN];	/* block k in win[k % BULK_WIN] (the pool's slots) */
	struct bess_blkfile bf;	/* its blocks in the pool: bf.cur is the one records are taken from */
	/* the resampler's own */
	struct batch *b;	/* batch of block cur, NULL until fetched */
	size_t pos;		/* its next record */
	long base;		/* lines before block cur */
	int any;		/* a record was taken from blocks (in->t is the last one) */
};

/* Threads that parse blocks of any file read in blocks. */
struct pool {
	struct bess_blocks blk;	/* the threads (lib/blocks.c) */
	struct bulk **bulks;	/* every file read in blocks */
	size_t nbulk;
};

/* One open interval of the grid. */
struct slot {
	bess_time_t a, b;	/* [a, b) */
};

struct bess_resample {
	struct bess_resample_opts o;	/* options (cols copied) */
	struct bess_rs_col *cols;	/* owned copy of o.cols */
	long long gap_us;		/* max gap, INT64_MAX for none */
	struct bess_grid grid;
	struct input **in;
	size_t nin;
	struct bess_schema out;		/* output columns */
	int has_site, has_device;	/* some input has these columns */
	int out_site, out_device;	/* their output indices, -1 absent */
	int out_cov;			/* index of coverage_frac, -1 absent */
	size_t out_first;		/* first value column */
	int keyed;			/* some input has site/device: one row per key */
	struct rowkey **rows;		/* sorted by (site, device) */
	size_t nrows, caprows;
	struct slot *ring;		/* open intervals */
	size_t cap, head, count;	/* ring capacity (power of two), oldest, how many */
	bess_time_t next_a;		/* start of the interval after the ring's last */
	bess_time_t gs;			/* grid start */
	int started;			/* the grid start is known */
	int done;			/* --end reached: nothing more to write */
	struct bess_writer *w;		/* output */
	struct bess_rec orec;		/* output record */
	char (*obuf)[32];		/* formatted numbers per output column */
	size_t nobuf;
	char tsbuf[BESS_TIME_BUFSZ];
	struct pool pool;		/* threads parsing blocks of CSV files */
};

/* ---- small helpers ---- */

/* Room for need bytes in t; 0, or -1 when out of memory. */
static int
tbuf_room(struct tbuf *t, size_t need)
{
	char *p;

	if ((p = bess_grow(t->p, &t->cap, need, 16, 1)) == NULL)
		return -1;
	t->p = p;
	return 0;
}

static int
tbuf_set(struct tbuf *t, const char *s, size_t n, unsigned char kind)
{
	if (tbuf_room(t, n + 1) != 0)
		return -1;
	memcpy(t->p, s, n);
	t->p[n] = '\0';
	t->n = n;
	t->kind = kind;
	return 0;
}

static void
tbuf_free(struct tbuf *t, size_t n)
{
	size_t i;

	for (i = 0; t && i < n; i++)
		free(t[i].p);
	free(t);
}

static int
oom(struct bess_err *err)
{
	return bess_err_set(err, NULL, 0, "out of memory");
}

static int
keycmp(const char *s1, const char *d1, const char *s2, const char *d2)
{
	int c = strcmp(s1, s2);

	return c ? c : strcmp(d1, d2);
}

/* Physical ring index of the k-th open interval. */
static size_t
phys(const struct bess_resample *rs, size_t k)
{
	return (rs->head + k) & (rs->cap - 1);
}

/* ---- options ---- */

struct bess_resample *
bess_resample_new(const struct bess_resample_opts *o, struct bess_err *err)
{
	struct bess_resample *rs;
	char why[256];
	size_t i;

	if ((rs = calloc(1, sizeof(*rs))) == NULL) {
		oom(err);
		return NULL;
	}
	rs->o = *o;
	bess_schema_init(&rs->out);
	bess_rec_init(&rs->orec);
	if (bess_grid_init(&rs->grid, o->step_us, o->tz, why, sizeof(why)) != 0) {
		bess_err_set(err, NULL, 0, "--step: %s", why);
		goto fail;
	}
	if (o->max_gap_us != BESS_RS_NO_GAP_LIMIT && o->max_gap_us <= 0) {
		bess_err_set(err, NULL, 0, "--max-gap must be positive or 'none'");
		goto fail;
	}
	rs->gap_us = o->max_gap_us == BESS_RS_NO_GAP_LIMIT ? INT64_MAX : o->max_gap_us;
	if (o->have_begin && o->have_end && o->end <= o->begin) {
		bess_err_set(err, NULL, 0, "--end must be after --begin");
		goto fail;
	}
	if (o->ncols > 0) {
		if ((rs->cols = calloc(o->ncols, sizeof(*rs->cols))) == NULL) {
			oom(err);
			goto fail;
		}
		memcpy(rs->cols, o->cols, o->ncols * sizeof(*rs->cols));
	}
	rs->o.cols = rs->cols;
	for (i = 0; i < o->ncols; i++)
		if (rs->cols[i].agg == BESS_AGG_DEFAULT && rs->cols[i].fill == BESS_FILL_DEFAULT) {
			bess_err_set(err, NULL, 0, "nothing set for column '%s'", rs->cols[i].name);
			goto fail;
		}
	rs->out_site = rs->out_device = rs->out_cov = -1;
	rs->cap = RING_MIN;
	if ((rs->ring = calloc(rs->cap, sizeof(*rs->ring))) == NULL ||
	    bess_schema_add(&rs->out, "ts") < 0) {
		oom(err);
		goto fail;
	}
	return rs;
fail:
	bess_resample_free(rs);
	return NULL;
}

/* The settings named for column name (the last one given wins), or NULL. */
static const struct bess_rs_col *
col_setting(const struct bess_resample *rs, const char *name, int want_agg)
{
	size_t i = rs->o.ncols;

	while (i-- > 0)
		if (strcmp(rs->cols[i].name, name) == 0 &&
		    (want_agg ? rs->cols[i].agg != BESS_AGG_DEFAULT :
		    rs->cols[i].fill != BESS_FILL_DEFAULT))
			return &rs->cols[i];
	return NULL;
}

/* The output name of a RATE column: "x_kwh" -> "x_kw", else "x_per_h". */
static char *
rate_name(const char *name)
{
	size_t n = strlen(name);
	char *s = malloc(n + 8);

	if (s == NULL)
		return NULL;
	if (n > 4 && strcmp(name + n - 4, "_kwh") == 0)
		snprintf(s, n + 8, "%.*s_kw", (int)(n - 4), name);
	else
		snprintf(s, n + 8, "%s_per_h", name);
	return s;
}

/* ---- per-series storage ---- */

/* Give s room for n columns (keeping what it holds). */
static int
series_cols(struct bess_resample *rs, struct series *s, size_t n)
{
	size_t n0 = s->ncols, p, c;
	double *pv;
	unsigned char *ph;
	struct tbuf *pt, *ta;
	struct bess_acc *acc;

	if (n <= n0 && s->acc != NULL)
		return 0;
	if (n == 0)
		n = 1;		/* a stream of times alone: keep the arrays real */
	pv = realloc(s->pv, n * sizeof(*pv));
	if (pv)
		s->pv = pv;
	ph = realloc(s->phas, n);
	if (ph)
		s->phas = ph;
	pt = realloc(s->ptext, n * sizeof(*pt));
	if (pt)
		s->ptext = pt;
	acc = calloc(rs->cap * n, sizeof(*acc));
	ta = calloc(rs->cap * n, sizeof(*ta));
	if (!pv || !ph || !pt || !acc || !ta) {
		free(acc);
		free(ta);
		return -1;
	}
	for (c = n0; c < n; c++) {
		s->phas[c] = 0;
		s->pv[c] = 0;
		memset(&s->ptext[c], 0, sizeof(s->ptext[c]));
	}
	for (p = 0; s->acc && p < rs->cap; p++) {
		memcpy(acc + p * n, s->acc + p * n0, n0 * sizeof(*acc));
		memcpy(ta + p * n, s->tacc + p * n0, n0 * sizeof(*ta));
	}
	free(s->acc);
	free(s->tacc);
	s->acc = acc;
	s->tacc = ta;
	s->ncols = n;
	return 0;
}

static void
series_free(struct series *s)
{
	if (s == NULL)
		return;
	free(s->site);
	free(s->device);
	free(s->pv);
	free(s->phas);
	tbuf_free(s->ptext, s->ncols);
	free(s->acc);
	/* the ring capacity is not known here: tacc entries are freed by the caller */
	free(s);
}

/* Every series, in a fixed order; fn returns -1 to stop. */
#define FOR_SERIES(rs, s, body) do {						\
	size_t fs_i_, fs_j_;							\
	for (fs_i_ = 0; fs_i_ < (rs)->nin; fs_i_++) {				\
		struct input *fs_in_ = (rs)->in[fs_i_];				\
		if (fs_in_->one) { struct series *s = fs_in_->one; body; }	\
		for (fs_j_ = 0; fs_j_ < fs_in_->nser; fs_j_++) {		\
			struct series *s = fs_in_->ser[fs_j_]; body;		\
		}								\
	}									\
} while (0)

/*
 * Most bytes the open intervals may take: a sample holds (or is
 * interpolated) over every interval up to --max-gap after it, and they stay
 * open until every series has passed them; a step far shorter than the gap
 * (1us against 1h) would otherwise take memory without bound.
 */
#define RING_MAX_BYTES	((size_t)512 << 20)

/* Double the ring; open intervals move to the front, in order. -1 out of memory, -2 over RING_MAX_BYTES. */
static int
ring_grow(struct bess_resample *rs)
{
	size_t cap = rs->cap * 2, k, failed = 0, per = sizeof(struct slot);
	struct slot *ring;

	FOR_SERIES(rs, s, { per += s->ncols * (sizeof(struct bess_acc) + sizeof(struct tbuf)); });
	if (cap > RING_MAX_BYTES / per)
		return -2;
	if ((ring = calloc(cap, sizeof(*ring))) == NULL)
		return -1;
	FOR_SERIES(rs, s, {
		struct bess_acc *acc = calloc(cap * s->ncols, sizeof(*acc));
		struct tbuf *ta = calloc(cap * s->ncols, sizeof(*ta));
		size_t q;

		if (acc == NULL || ta == NULL) {
			free(acc);
			free(ta);
			failed = 1;
			continue;
		}
		for (k = 0; k < rs->count; k++) {
			memcpy(acc + k * s->ncols, s->acc + phys(rs, k) * s->ncols,
			    s->ncols * sizeof(*acc));
		}
		/* text buffers keep their storage: move every slot's, open or not */
		for (q = 0; q < rs->cap; q++) {
			size_t to = (q + rs->cap - rs->head) & (rs->cap - 1);

			memcpy(ta + to * s->ncols, s->tacc + q * s->ncols,
			    s->ncols * sizeof(*ta));
		}
		free(s->acc);
		free(s->tacc);
		s->acc = acc;
		s->tacc = ta;
	});
	if (failed) {
		free(ring);
		return -1;
	}
	for (k = 0; k < rs->count; k++)
		ring[k] = rs->ring[phys(rs, k)];
	free(rs->ring);
	rs->ring = ring;
	rs->cap = cap;
	rs->head = 0;
	return 0;
}

/* Open the next interval of the grid; its index, or -1 past --end (or *bad: 1 out of memory, 2 too many open). */
static long
ring_push(struct bess_resample *rs, int *bad)
{
	size_t p;
	bess_time_t a = rs->next_a;
	int rc;

	if (rs->o.have_end && a >= rs->o.end)
		return -1;
	if (rs->count == rs->cap && (rc = ring_grow(rs)) != 0) {
		*bad = rc == -2 ? 2 : 1;
		return -1;
	}
	p = phys(rs, rs->count);
	rs->ring[p].a = a;
	rs->ring[p].b = bess_grid_next(&rs->grid, a);
	rs->next_a = rs->ring[p].b;
	FOR_SERIES(rs, s, {
		size_t c;

		for (c = 0; c < s->ncols; c++) {
			bess_acc_clear(&s->acc[p * s->ncols + c]);
			s->tacc[p * s->ncols + c].n = 0;
		}
	});
	rs->count++;
	return (long)rs->count - 1;
}

/* ---- inputs ---- */

/* Record a new output column (value columns), or find it; its index or -1. */
static int
out_col(struct bess_resample *rs, const char *name)
{
	int i = bess_schema_find(&rs->out, name);

	if (i >= 0)
		return i;
	return bess_schema_add(&rs->out, name);
}

/* Extend j's output map to every output column; -1 when out of memory. */
static int
outmap_grow(struct bess_resample *rs, struct input *j)
{
	int *m;
	size_t i;

	if (j->noutmap >= rs->out.n)
		return 0;
	if ((m = realloc(j->outmap, rs->out.n * sizeof(*m))) == NULL)
		return -1;
	for (i = j->noutmap; i < rs->out.n; i++)
		m[i] = -1;
	j->outmap = m;
	j->noutmap = rs->out.n;
	return 0;
}

/*
 * The key column i of sc is ("ts", "site", "device"), or NULL for a data
 * column. With aliases, a device or site id spelled otherwise (device_id,
 * rack, Device, site_id, ...: bess(7) NAME MAPPINGS) is the key as in
 * bess-ingest: unless the canonical name is there too; of several, the first.
 */
static const char *
key_of(const struct bess_schema *sc, size_t i, int aliases)
{
	const char *nm = sc->name[i];
	const struct bess_alias *a, *b;
	size_t j;

	if (!strcmp(nm, "ts") || !strcmp(nm, "site") || !strcmp(nm, "device"))
		return nm;
	if (!aliases || (a = bess_alias_find(nm, BESS_NAMES_IDS)) == NULL ||
	    bess_schema_find(sc, a->dst) >= 0)
		return NULL;
	for (j = 0; j < i; j++)
		if ((b = bess_alias_find(sc->name[j], BESS_NAMES_IDS)) != NULL && !strcmp(b->dst, a->dst))
			return NULL;
	return a->dst;
}

/* Take in schema columns from in->nschema on (at open, or when NDJSON adds keys). */
static int
take_columns(struct bess_resample *rs, struct input *in, long line, struct bess_err *err)
{
	const struct bess_schema *sc = bess_reader_schema(in->rd);
	size_t i, k;

	for (i = in->nschema; i < sc->n; i++) {
		const char *nm = sc->name[i], *key = key_of(sc, i, in->nschema == 0);
		struct col *c, *cols;
		const struct bess_rs_col *set;
		enum bess_fill fill;
		size_t plen = strlen(in->prefix);
		int o;

		if (key != NULL) {
			if (in->nschema > 0)
				return bess_err_set(err, in->name, line, "key '%s' first appears "
				    "here; it must be in the first record", nm);
			if (!strcmp(key, "ts"))
				in->ts = (int)i;
			else if (!strcmp(key, "site"))
				in->site = (int)i;
			else
				in->device = (int)i;
			continue;
		}
		if ((cols = realloc(in->cols, (in->ncols + 1) * sizeof(*cols))) == NULL)
			return oom(err);
		in->cols = cols;
		c = &in->cols[in->ncols];
		memset(c, 0, sizeof(*c));
		if ((c->in_name = malloc(plen + strlen(nm) + 1)) == NULL)
			return oom(err);
		memcpy(c->in_name, in->prefix, plen);
		strcpy(c->in_name + plen, nm);
		in->ncols++;
		c->in_idx = (int)i;
		set = col_setting(rs, c->in_name, 1);
		c->agg = set ? set->agg : rs->o.agg_all;
		if (c->agg == BESS_AGG_DEFAULT) {
			c->agg = bess_agg_default(c->in_name);
			c->textnum = 0;	/* text by default: watched for numbers */
		} else
			c->textnum = -1;	/* chosen: no warning */
		set = col_setting(rs, c->in_name, 0);
		fill = set ? set->fill : BESS_FILL_DEFAULT;
		if (fill == BESS_FILL_DEFAULT && rs->o.fill_all == BESS_FILL_LINEAR &&
		    bess_agg_fill_applies(c->in_name, c->agg))
			fill = BESS_FILL_LINEAR;
		c->linear = fill == BESS_FILL_LINEAR || c->agg == BESS_AGG_DELTA ||
		    c->agg == BESS_AGG_RATE;
		c->text = bess_agg_is_text(c->in_name, c->agg, c->linear);
		in->ntext += (size_t)c->text;
		c->per_sample = c->agg == BESS_AGG_MEAN || c->agg == BESS_AGG_COUNT;
		c->name = c->agg == BESS_AGG_RATE ? rate_name(c->in_name) : strdup(c->in_name);
		if (c->name == NULL)
			return oom(err);
		/* the same name from two inputs is one column only if series keep them apart */
		if ((o = bess_schema_find(&rs->out, c->name)) >= 0) {
			for (k = 0; k < rs->nin; k++) {
				struct input *j = rs->in[k];

				if (j != in && (size_t)o < j->noutmap && j->outmap[o] >= 0 &&
				    !(in->keyed && j->keyed))
					return bess_err_set(err, NULL, 0, "column '%s' is in both "
					    "'%s' and '%s'; tell them apart with --prefix",
					    c->name, j->name, in->name);
			}
		}
		if ((o = out_col(rs, c->name)) < 0)
			return oom(err);
		if (rs->w != NULL && (size_t)o >= bess_writer_fixed_columns(rs->w))	/* said where */
			return bess_err_set(err, in->name, line, "column '%s' appeared after the CSV "
			    "header was written; write NDJSON (-f ndjson) or name the columns first",
			    c->name);
		c->out_idx = o;
	}
	in->nschema = sc->n;
	in->plain_mean = 1;
	for (i = 0; i < in->ncols; i++)
		if (in->cols[i].agg != BESS_AGG_MEAN || in->cols[i].linear || in->cols[i].text)
			in->plain_mean = 0;
	/* output column -> column of each input (the output may have grown) */
	for (k = 0; k <= rs->nin; k++) {
		struct input *j = k < rs->nin ? rs->in[k] : in;

		if ((k == rs->nin && k > 0 && rs->in[k - 1] == in) || outmap_grow(rs, j) != 0)
			continue;
	}
	if (in->noutmap < rs->out.n)
		return oom(err);
	for (i = 0; i < in->ncols; i++)
		in->outmap[in->cols[i].out_idx] = (int)i;
	/* parsed-record storage and series storage follow the column count */
	{
		double *nv = realloc(in->vbuf, (in->ncols + 1) * sizeof(*nv));
		unsigned char *nh, *nk;
		size_t ns = 2 + in->ncols, *nl;
		const char **nt;

		if (nv == NULL)
			return oom(err);
		in->vbuf = nv;
		in->nv = nv;
		if ((nh = realloc(in->hbuf, in->ncols + 1)) == NULL)
			return oom(err);
		in->hbuf = nh;
		in->nhas = nh;
		/* each array kept on a failure (freed with the input), nslot set once all three grew */
		if ((nt = realloc(in->txt, ns * sizeof(*nt))) == NULL)
			return oom(err);
		in->txt = nt;
		if ((nl = realloc(in->tlen, ns * sizeof(*nl))) == NULL)
			return oom(err);
		in->tlen = nl;
		if ((nk = realloc(in->tkind, ns)) == NULL)
			return oom(err);
		in->tkind = nk;
		in->nslot = ns;
	}
	if (in->one && series_cols(rs, in->one, in->ncols) != 0)
		return oom(err);
	for (i = 0; i < in->nser; i++)
		if (series_cols(rs, in->ser[i], in->ncols) != 0)
			return oom(err);
	return 0;
}

static struct series *
series_new(struct bess_resample *rs, struct input *in, const char *site, const char *device)
{
	struct series *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->in = in;
	s->prev_dt = -1;
	s->site = strdup(site);
	s->device = strdup(device);
	if (!s->site || !s->device || series_cols(rs, s, in->ncols) != 0) {
		series_free(s);
		return NULL;
	}
	return s;
}

int
bess_resample_add(struct bess_resample *rs, FILE *fp, const char *name, const char *prefix,
    struct bess_err *err)
{
	struct bess_reader_opts ro;
	struct input *in, **ins;
	int rc;

	if (rs->started)
		return bess_err_set(err, name, 0, "inputs must be added before the run");
	if ((ins = realloc(rs->in, (rs->nin + 1) * sizeof(*ins))) == NULL)
		return oom(err);
	rs->in = ins;
	if ((in = calloc(1, sizeof(*in))) == NULL)
		return oom(err);
	in->ts = in->site = in->device = -1;
	in->idx = (int)rs->nin;
	in->fp = fp;
	in->prev_t = INT64_MIN;
	in->start_off = fp != NULL ? (long long)ftell(fp) : -1;	/* -1 for a pipe */
	{
		struct stat st;

		in->size = fp != NULL && fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) ?
		    (long long)st.st_size : -1;
	}
	in->name = strdup(name ? name : "<stdin>");
	in->prefix = strdup(prefix ? prefix : "");
	if (!in->name || !in->prefix) {
		free(in->name);
		free(in->prefix);
		free(in);
		return oom(err);
	}
	memset(&ro, 0, sizeof(ro));
	ro.skip = 0;		/* a canonical stream has its header first */
	if ((in->rd = bess_reader_open(fp, in->name, &ro, err)) == NULL) {
		free(in->name);
		free(in->prefix);
		free(in);
		return -1;
	}
	rs->in[rs->nin] = in;
	/* NDJSON: the first record tells the keys; CSV: the header already did */
	if ((rc = bess_reader_next(in->rd, &in->rec, err)) < 0) {
		rs->nin++;
		return -1;
	}
	in->have = rc == 1;
	in->tline = in->have ? in->rec.line : 0;
	{
		const struct bess_schema *sc = bess_reader_schema(in->rd);
		size_t i;

		for (i = 0; i < sc->n; i++) {
			const char *key = key_of(sc, i, 1);

			if (key != NULL && (!strcmp(key, "site") || !strcmp(key, "device")))
				in->keyed = 1;
		}
		if (sc->n > 0 && bess_schema_find(sc, "ts") < 0) {
			rs->nin++;
			return bess_err_set(err, in->name, 0, "no column 'ts'; "
			    "read the data through bess-ingest first");
		}
	}
	if (take_columns(rs, in, in->tline, err) != 0) {
		rs->nin++;
		return -1;
	}
	rs->nin++;
	if (!in->keyed && (in->one = series_new(rs, in, "", "")) == NULL)
		return oom(err);
	if (in->keyed) {
		rs->keyed = 1;
		rs->has_site |= in->site >= 0;
		rs->has_device |= in->device >= 0;
	}
	return 0;
}

int
bess_resample_check_cols(struct bess_resample *rs, struct bess_err *err)
{
	size_t i, k, c;

	for (i = 0; i < rs->o.ncols; i++) {
		int found = 0;

		for (k = 0; k < rs->nin && !found; k++)
			for (c = 0; c < rs->in[k]->ncols && !found; c++)
				found = strcmp(rs->in[k]->cols[c].in_name, rs->cols[i].name) == 0;
		if (!found)
			return bess_err_set(err, NULL, 0, "no input has a column '%s'",
			    rs->cols[i].name);
	}
	return 0;
}

/* ---- reading ---- */

/* The instant of the RFC 3339 text s[0..n) (with an offset, nothing else), through tc. */
static int
time_text(struct bess_tcache *tc, const char *s, size_t n, bess_time_t *t, char *why,
    size_t whylen)
{
	static const struct bess_tparse tp;	/* RFC 3339 with an offset, nothing else */

	return bess_time_parse_cached(tc, s, n, &tp, t, why, whylen) == BESS_TP_OK ? 0 : -1;
}

/* The time of in->rec, or an error naming its line. */
static int
rec_time(struct input *in, const struct bess_rec *rec, bess_time_t *t, struct bess_err *err)
{
	const char *s;
	size_t n;
	char why[256], *hint;

	if (in->ts < 0 || (size_t)in->ts >= rec->n || rec->len[in->ts] == 0)
		return bess_err_set(err, in->name, rec->line, "no time in column 'ts'");
	s = rec->v[in->ts];
	n = rec->len[in->ts];
	if (time_text(&in->tc, s, n, t, why, sizeof(why)) != 0) {
		struct bess_tparse naive;

		memset(&naive, 0, sizeof(naive));
		naive.naive_utc = 1;
		if (bess_time_parse(s, n, &naive, t, NULL, 0) == BESS_TP_OK)
			return bess_err_set(err, in->name, rec->line, "column 'ts': '%.*s' "
			    "has no UTC offset; read the data through bess-ingest (with --tz "
			    "or --utc) first", (int)(n < 64 ? n : 64), s);
		if ((hint = strstr(why, "; add --tz ZONE")) != NULL)	/* bess-resample's --tz is the grid's */
			snprintf(hint, sizeof(why) - (size_t)(hint - why), "; read the data through "
			    "bess-ingest --tz ZONE first");
		return bess_err_set(err, in->name, rec->line, "column 'ts': %s", why);
	}
	return 0;
}

/* Point slot c at field k of rec (empty if k is absent or the field missing). */
static void
slot_set(const struct bess_rec *rec, int k, const char **txt, size_t *tlen,
    unsigned char *tkind, size_t c)
{
	if (k >= 0 && (size_t)k < rec->n && rec->len[k] > 0 && rec->kind[k] != BESS_K_NULL) {
		txt[c] = rec->v[k];
		tlen[c] = rec->len[k];
		tkind[c] = rec->kind[k];
	} else {
		txt[c] = "";
		tlen[c] = 0;
		tkind[c] = BESS_K_NULL;
	}
}

/*
 * The head of rec, in's current reader record: its time (checked for
 * order), and the keys and text columns into slots (0 site, 1 device,
 * 2 + c column c), pointing into rec.
 */
static int
parse_head(struct input *in, const struct bess_rec *rec, bess_time_t *t, const char **txt,
    size_t *tlen, unsigned char *tkind, struct bess_err *err)
{
	size_t c;

	if (rec_time(in, rec, t, err) != 0)
		return -1;
	if (*t < in->prev_t) {
		char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];

		return bess_err_set(err, in->name, rec->line, "time %s is before %s "
		    "(line %ld); sort the input by time first (bess-ingest --sort)",
		    bess_time_format(*t, a), bess_time_format(in->prev_t, b), in->prev_line);
	}
	in->prev_t = *t;
	in->prev_line = rec->line;
	slot_set(rec, in->site, txt, tlen, tkind, 0);
	slot_set(rec, in->device, txt, tlen, tkind, 1);
	for (c = 0; c < in->ncols && in->ntext > 0; c++)
		if (in->cols[c].text)
			slot_set(rec, in->cols[c].in_idx, txt, tlen, tkind, 2 + c);
	return 0;
}

/*
 * The values of rec, a reader record: numbers parsed into v, presence into
 * has (parse_line does the same for records read in blocks).
 */
static int
parse_values(struct input *in, const struct bess_rec *rec, double *v, unsigned char *has,
    struct bess_err *err)
{
	size_t c;

	for (c = 0; c < in->ncols; c++) {
		const struct col *col = &in->cols[c];
		size_t i = (size_t)col->in_idx, len = i < rec->n ? rec->len[i] : 0;
		unsigned char kind = len ? rec->kind[i] : BESS_K_NULL;

		if (len == 0 || kind == BESS_K_NULL) {
			has[c] = 0;
			continue;
		}
		has[c] = 1;
		if (col->text)
			continue;
		if (kind == BESS_K_BOOL || kind == BESS_K_JSON ||
		    bess_num_parse(rec->v[i], len, 0, &v[c]) != 0)
			return bess_err_set(err, in->name, rec->line,
			    "column '%s': '%s' is not a number", col->in_name + strlen(in->prefix),
			    rec->v[i]);
	}
	return 0;
}

/* Parse in->rec here, as the current record. */
static int
parse_here(struct input *in, struct bess_err *err)
{
	in->nv = in->vbuf;
	in->nhas = in->hbuf;
	in->tline = in->rec.line;
	if (parse_head(in, &in->rec, &in->t, in->txt, in->tlen, in->tkind, err) != 0)
		return -1;
	return parse_values(in, &in->rec, in->vbuf, in->hbuf, err);
}

/* ---- reading CSV files in blocks ---- */

/*
 * A regular CSV file is read in blocks of BLOCK_BYTES, each holding the
 * lines that start in it. A block is parsed in one pass per line (fields,
 * time and numbers together) into a batch of records, by whichever thread
 * gets to it first: the resampler's own or a worker. The resampler takes
 * the batches in order, so blocks are parsed in parallel in constant memory
 * (BULK_WIN batches per file). Whatever the block parser is not sure to read
 * exactly as the record reader does (a quote, a stray CR, a NUL or non-ASCII
 * byte, the wrong number of fields, a number or time it cannot read, times
 * out of order, a very long line) hands the file back to the record reader
 * at that line, which goes on from there and names any error as it always does.
 */

/* Free b's storage, keeping it usable (empty). */
static void
batch_clear(struct batch *b)
{
	free(b->t);
	free(b->rel);
	free(b->v);
	free(b->has);
	free(b->toff);
	free(b->tlen);
	free(b->tkind);
	free(b->arena.p);
	memset(b, 0, sizeof(*b));
}

/* Room for one more record in b: 0, or -1 when out of memory. */
static int
batch_room(const struct bulk *bu, struct batch *b)
{
	size_t nc = bu->ncols ? bu->ncols : 1, cap;
	bess_time_t *t;
	long *rel;
	double *v;
	unsigned char *has, *tk;
	size_t *to, *tl;

	if (b->n < b->cap)
		return 0;
	if ((cap = bess_grow_cap(b->cap, b->n + 1, 1024, nc * sizeof(double))) == 0 ||
	    (t = realloc(b->t, cap * sizeof(*t))) == NULL)
		return -1;
	b->t = t;
	if ((rel = realloc(b->rel, cap * sizeof(*rel))) == NULL)
		return -1;
	b->rel = rel;
	if ((v = realloc(b->v, cap * nc * sizeof(*v))) == NULL)
		return -1;
	b->v = v;
	if ((has = realloc(b->has, cap * nc)) == NULL)
		return -1;
	b->has = has;
	if (bu->text) {
		if ((to = realloc(b->toff, cap * bu->nslot * sizeof(*to))) == NULL)
			return -1;
		b->toff = to;
		if ((tl = realloc(b->tlen, cap * bu->nslot * sizeof(*tl))) == NULL)
			return -1;
		b->tlen = tl;
		if ((tk = realloc(b->tkind, cap * bu->nslot)) == NULL)
			return -1;
		b->tkind = tk;
	}
	b->cap = cap;
	return 0;
}

/*
 * Bytes [off + *got, off + want) of fd appended to buf->p (with room for
 * BULK_PAD bytes more); fewer only at the end of the file. 0, or -1 on a
 * read error or when out of memory.
 */
static int
read_at(int fd, struct tbuf *buf, long long off, size_t want, size_t *got)
{
	if (tbuf_room(buf, want + BULK_PAD) != 0)
		return -1;
	while (*got < want) {
		ssize_t k = pread(fd, buf->p + *got, want - *got, (off_t)(off + (long long)*got));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		*got += (size_t)k;
	}
	return 0;
}

/*
 * The end of the field at p (the buffer readable up to lim): its delimiter,
 * or the line's end ('\n', or a CR just before it); NULL if the record
 * reader would read the line otherwise (a quote, a stray CR: libcsv's
 * rules) or refuse it (NUL, non-ASCII: then the reader checks it is UTF-8).
 * Numbers do not come here: bess_num_fast reads them where they start.
 */
static inline const unsigned char *
field_end(const unsigned char *p, const unsigned char *lim, unsigned char d)
{
	const unsigned char *q = (const unsigned char *)bess_csv_stop((const char *)p,
	    (const char *)lim, d, 1);

	if (q < lim && (*q == d || *q == '\n'))
		return q;
	if (q + 1 < lim && *q == '\r' && q[1] == '\n')
		return q;
	return NULL;
}

/*
 * time_text's short way at p, without finding the field's end first: the
 * minute and offset of the last full parse, whole seconds, then the byte
 * after the offset (which the caller checks ends the field). NULL if not so.
 */
static inline const unsigned char *
cached_time(const struct bess_tcache *tc, const unsigned char *p, bess_time_t *t)
{
	const unsigned char *pre = (const unsigned char *)tc->pre;

	if (!tc->ok || (unsigned)(p[17] - '0') > 5 || (unsigned)(p[18] - '0') > 9 ||
	    bess_load8(p) != bess_load8(pre) || bess_load8(p + 8) != bess_load8(pre + 8) ||
	    p[16] != pre[16] || ((bess_load8(p + 19) ^ bess_load8(tc->suf)) &
	    (~0ULL >> (8 * (8 - tc->nsuf)))) != 0)	/* a valid cache's nsuf is 1 to 7 */
		return NULL;
	*t = tc->base + ((p[17] - '0') * 10 + (p[18] - '0')) * BESS_US_PER_S;
	return p + 19 + tc->nsuf;
}

#define IS_EOL(q)	(*(q) == '\n' || (*(q) == '\r' && (q)[1] == '\n'))
#define IS_SPACE(bu, c)	((c) == ' ' || ((c) == '\t' && (bu)->tab_space))

/*
 * Parse the line at p (it ends with '\n') the way the record reader's
 * splitter and parse_head/parse_values would: fields between delimiters,
 * spaces (and tabs, unless tab is the delimiter) trimmed, blank lines
 * skipped, extra empty fields allowed. Record k of b is filled. 1 a record,
 * 0 a blank line, -1 the record reader must read it; *next is the next line.
 */
static int
parse_line(const struct bulk *bu, const unsigned char *p, const unsigned char *lim,
    const unsigned char **next, struct batch *b, size_t k, struct bess_tcache *tc)
{
	const unsigned char d = bu->delim, *e, *a, *z;
	double *v = b->v + k * bu->ncols;
	unsigned char *has = b->has + k * bu->ncols;
	size_t f, i;

	if (*p <= ' ') {	/* perhaps blank: spaces, tabs, CR */
		for (a = p; IS_SPACE(bu, *a); a++)
			;
		if (IS_EOL(a)) {
			*next = a + (*a == '\r' ? 2 : 1);
			return 0;
		}
	}
	if (bu->text)
		for (i = 0; i < bu->nslot; i++) {
			b->tlen[k * bu->nslot + i] = 0;
			b->toff[k * bu->nslot + i] = 0;
			b->tkind[k * bu->nslot + i] = BESS_K_NULL;
		}
	for (f = 0; ; f++) {
		size_t c = bu->fidx[f];

		if (bu->role[f] == F_NUM && (e = (const unsigned char *)bess_num_fast((const char *)p,
		    NULL, '.', &v[c])) != NULL && (*e == d || IS_EOL(e))) {
			has[c] = 1;
			p = e;
		} else if (bu->role[f] == F_TS && (e = cached_time(tc, p, &b->t[k])) != NULL &&
		    (*e == d || IS_EOL(e))) {
			p = e;
		} else {
			if ((e = field_end(p, lim, d)) == NULL)
				return -1;
			for (a = p; a < e && IS_SPACE(bu, *a); a++)
				;
			for (z = e; z > a && IS_SPACE(bu, z[-1]); z--)
				;
			switch (bu->role[f]) {
			case F_NUM:
				has[c] = a < z;
				v[c] = 0;
				if (a < z && bess_num_parse((const char *)a, (size_t)(z - a), 0, &v[c]) != 0)
					return -1;
				break;
			case F_TS:
				if (a == z || time_text(tc, (const char *)a, (size_t)(z - a),
				    &b->t[k], NULL, 0) != 0)
					return -1;
				break;
			default:	/* F_TEXT: c is the slot (0 site, 1 device, 2 + column) */
				if (c >= 2)
					has[c - 2] = a < z;
				if (a < z) {
					size_t off = b->arena.n, n = (size_t)(z - a);

					if (tbuf_room(&b->arena, off + n + 1) != 0)
						return -1;
					memcpy(b->arena.p + off, a, n);
					b->arena.p[off + n] = '\0';
					b->arena.n = off + n + 1;
					b->toff[k * bu->nslot + c] = off;
					b->tlen[k * bu->nslot + c] = n;
					b->tkind[k * bu->nslot + c] = BESS_K_AUTO;
				}
				break;
			}
			p = e;
		}
		if (f + 1 == bu->nf)
			break;
		if (*p != d)
			return -1;	/* fewer fields than the header */
		p++;
	}
	while (*p == d) {	/* more fields than the header: only empty ones */
		if ((e = field_end(++p, lim, d)) == NULL)
			return -1;
		for (; p < e; p++)
			if (!IS_SPACE(bu, *p))
				return -1;
	}
	*next = p + (*p == '\r' ? 2 : 1);
	return 1;
}

/*
 * Parse block k of bu into b, reading with buffer rb: the lines that start
 * in [data0 + k * BLOCK_BYTES, + BLOCK_BYTES). Runs in any thread; touches
 * only b, rb and bu's fixed part.
 */
static void
parse_block(const struct bulk *bu, long long k, struct batch *b, struct tbuf *rb)
{
	long long start = bu->data0 + k * BLOCK_BYTES, lim = start + BLOCK_BYTES;
	long long from = k > 0 ? start - 1 : start;
	size_t want = (size_t)(lim - from) + BLOCK_TAIL, got = 0, pos, end, scan;
	size_t inblk = (size_t)(lim - from);	/* lines that start before this index are ours */
	struct bess_tcache tc;
	const unsigned char *buf, *nl;
	int ended, cut = 0;
	long rel = 0;

	memset(&tc, 0, sizeof(tc));
	b->n = 0;
	b->nlines = 0;
	b->stop = 0;
	b->eof = 0;
	b->arena.n = 0;
	if (read_at(bu->fd, rb, from, want, &got) != 0) {
		b->stop = 1;
		return;
	}
	/* the line that holds the block's last byte must be whole: read on to its end */
	scan = inblk - 1;
	for (;;) {
		ended = got < want;
		nl = got > scan ? memchr(rb->p + scan, '\n', got - scan) : NULL;
		if (nl != NULL || ended)
			break;
		if (want > BLOCK_BYTES + BULK_MAXLINE) {
			cut = 1;	/* too long a line: the record reader's */
			break;
		}
		scan = got;
		want *= 2;
		if (read_at(bu->fd, rb, from, want, &got) != 0) {
			b->stop = 1;
			return;
		}
	}
	memset(rb->p + got, 0, BULK_PAD);
	if (nl != NULL) {
		end = (size_t)((const char *)nl - rb->p) + 1;
		b->eof = ended && end == got;
	} else {
		rb->p[got] = '\n';	/* the last line has none: the reader reads it so */
		end = got;
		b->eof = ended;
	}
	buf = (const unsigned char *)rb->p;
	/* the first line that starts in the block */
	pos = 0;
	if (k > 0) {
		nl = memchr(buf, '\n', end < inblk ? end : inblk);
		pos = nl ? (size_t)(nl - buf) + 1 : inblk;
	}
	if (inblk > end)
		inblk = end;	/* the file ends in the block */
	while (pos < inblk) {
		const unsigned char *next;
		int rc;

		rel++;
		if (batch_room(bu, b) != 0) {
			b->stop = rel;
			return;
		}
		rc = parse_line(bu, buf + pos, buf + got + BULK_PAD, &next, b, b->n, &tc);
		if (rc < 0 || (cut && next > buf + end) ||
		    (rc > 0 && b->n > 0 && b->t[b->n] < b->t[b->n - 1])) {
			b->stop = rel;
			return;
		}
		if (rc > 0)
			b->rel[b->n++] = rel;
		pos = (size_t)(next - buf);
	}
	b->nlines = rel;
}

/* Parse block k of the bulk ctx into its slot (the pool calls it in any thread). */
static void
parse_cb(void *ctx, long long k, size_t slot, void **scratch)
{
	struct bulk *bu = ctx;
	struct batch *b = &bu->win[slot];

	if (*scratch == NULL && (*scratch = calloc(1, sizeof(struct tbuf))) == NULL) {
		b->n = 0;	/* out of memory: the record reader reads from here */
		b->nlines = 0;
		b->stop = 1;
		b->eof = 0;
		return;
	}
	parse_block(bu, k, b, *scratch);
}

/* A thread's read buffer. */
static void
scratch_free(void *p)
{
	struct tbuf *t = p;

	free(t->p);
	free(t);
}

/* Make the batch of block bu->bf.cur the current one. */
static void
bulk_fetch(struct pool *pl, struct bulk *bu)
{
	bu->b = &bu->win[bess_blocks_fetch(&pl->blk, &bu->bf)];
	bu->pos = 0;
}

/* Give block bu->bf.cur's batch back and move to the next block. */
static void
bulk_release(struct pool *pl, struct bulk *bu)
{
	bu->base += bu->b->nlines;
	bess_blocks_release(&pl->blk, &bu->bf);
	bu->b = NULL;
}

/* No more blocks of bu: wait for those being parsed, free the batches. */
static void
bulk_retire(struct pool *pl, struct bulk *bu)
{
	size_t i;

	bess_blocks_retire(&pl->blk, &bu->bf);
	for (i = 0; i < BULK_WIN; i++)
		batch_clear(&bu->win[i]);
	bu->b = NULL;
}

/*
 * Hand in back to the record reader at line `line`: its records before that
 * line were taken from blocks. The reader's current record is still the
 * first one (read when the input was added).
 */
static int
bulk_fallback(struct bess_resample *rs, struct input *in, long line, struct bess_err *err)
{
	int rc = 1;

	if (in->bulk->any) {	/* the order check goes on from the last record taken */
		in->prev_t = in->t;
		in->prev_line = in->tline;
	}
	bulk_retire(&rs->pool, in->bulk);
	in->bulk = NULL;
	while (in->rec.line < line && (rc = bess_reader_next(in->rd, &in->rec, err)) == 1)
		;
	if (rc <= 0)
		return rc;
	return parse_here(in, err) != 0 ? -1 : 1;
}

/* The next record of in from its blocks as the current one: 1, 0 at the end, -1 error. */
static int
bulk_next(struct bess_resample *rs, struct input *in, struct bess_err *err)
{
	struct bulk *bu = in->bulk;

	for (;;) {
		struct batch *b = bu->b;

		if (b != NULL && bu->pos < b->n) {
			size_t i = bu->pos++, k;
			long line = bu->base + b->rel[i];

			if (i == 0 && bu->any && b->t[0] < in->t)
				return bulk_fallback(rs, in, line, err);	/* it names the error */
			in->t = b->t[i];
			in->tline = line;
			in->nv = b->v + i * bu->ncols;
			in->nhas = b->has + i * bu->ncols;
			for (k = 0; bu->text && k < bu->nslot; k++) {
				size_t j = i * bu->nslot + k;

				in->tlen[k] = b->tlen[j];
				in->tkind[k] = b->tkind[j];
				in->txt[k] = b->tlen[j] ? b->arena.p + b->toff[j] : "";
			}
			bu->any = 1;
			return 1;
		}
		if (b != NULL) {
			if (b->stop)
				return bulk_fallback(rs, in, bu->base + b->stop, err);
			if (b->eof) {
				bulk_retire(&rs->pool, bu);
				in->bulk = NULL;
				return 0;
			}
			bulk_release(&rs->pool, bu);
		}
		bulk_fetch(&rs->pool, bu);
	}
}

/*
 * Read in in blocks from its current record on, if it is a regular CSV file
 * whose start is known. 1 if so, 0 if it is read by the record reader,
 * -1 when out of memory.
 */
static int
bulk_start(struct bess_resample *rs, struct input *in)
{
	const struct bess_schema *sc = bess_reader_schema(in->rd);
	struct pool *pl = &rs->pool;
	struct bulk *bu, **q;
	struct stat st;
	long long data0;
	size_t c;
	int fd;

	if (bess_reader_format(in->rd) != BESS_FMT_CSV || in->fp == NULL || in->start_off < 0 ||
	    in->ts < 0 || (fd = fileno(in->fp)) < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    sc->n != in->nschema || (data0 = bess_line_offset(fd, in->start_off, in->rec.line)) < 0)
		return 0;
	if ((bu = calloc(1, sizeof(*bu))) == NULL)
		return -1;
	if ((q = realloc(pl->bulks, (pl->nbulk + 1) * sizeof(*q))) == NULL) {
		free(bu);
		return -1;
	}
	pl->bulks = q;
	bu->fd = fd;
	bu->data0 = data0;
	bu->size = (long long)st.st_size;
	bu->delim = (unsigned char)bess_reader_delim(in->rd);
	bu->tab_space = bu->delim != '\t';
	bu->nf = sc->n;
	bu->ncols = in->ncols;
	bu->nslot = in->nslot;
	bu->text = in->keyed || in->ntext > 0;
	bu->base = in->rec.line - 1;
	bu->role = calloc(bu->nf, 1);
	bu->fidx = calloc(bu->nf, sizeof(*bu->fidx));
	if (bu->role == NULL || bu->fidx == NULL) {
		free(bu->role);
		free(bu->fidx);
		free(bu);
		return -1;
	}
	memset(bu->role, F_NONE, bu->nf);
	bu->role[in->ts] = F_TS;
	if (in->site >= 0) {
		bu->role[in->site] = F_TEXT;
		bu->fidx[in->site] = 0;
	}
	if (in->device >= 0) {
		bu->role[in->device] = F_TEXT;
		bu->fidx[in->device] = 1;
	}
	for (c = 0; c < in->ncols; c++) {
		bu->role[in->cols[c].in_idx] = in->cols[c].text ? F_TEXT : F_NUM;
		bu->fidx[in->cols[c].in_idx] = in->cols[c].text ? 2 + c : c;
	}
	if (memchr(bu->role, F_NONE, bu->nf) != NULL) {	/* every field has its use */
		free(bu->role);
		free(bu->fidx);
		free(bu);
		return 0;
	}
	bu->bf.nblk = (bu->size - bu->data0 + BLOCK_BYTES - 1) / BLOCK_BYTES;
	bu->bf.win = BULK_WIN;
	bu->bf.parse = parse_cb;
	bu->bf.ctx = bu;
	if (bess_blocks_add(&pl->blk, &bu->bf) != 0) {
		free(bu->role);
		free(bu->fidx);
		free(bu);
		return -1;
	}
	pl->bulks[pl->nbulk++] = bu;
	in->bulk = bu;
	return 1;
}

/* Start the pool for the files read in blocks, with up to n workers; 0, or -1 when out of memory. */
static int
pool_start(struct pool *pl, long n)
{
	if (pl->nbulk == 0)
		return 0;
	pl->blk.scratch_free = scratch_free;
	pl->blk.help = 1;	/* the resampler parses too: it keeps up with 3 parsing */
	return bess_blocks_start(&pl->blk, n);
}

/* Stop the workers and free every bulk. */
static void
pool_stop(struct pool *pl)
{
	size_t i, j;

	bess_blocks_stop(&pl->blk);
	for (i = 0; i < pl->nbulk; i++) {
		for (j = 0; j < BULK_WIN; j++)
			batch_clear(&pl->bulks[i]->win[j]);
		free(pl->bulks[i]->role);
		free(pl->bulks[i]->fidx);
		free(pl->bulks[i]);
	}
	free(pl->bulks);
	pl->bulks = NULL;
	pl->nbulk = 0;
}

/* Make in's next record the current one: 1, 0 at the end, -1 error. */
static int
advance(struct bess_resample *rs, struct input *in, struct bess_err *err)
{
	int rc;

	if (in->bulk != NULL)
		rc = bulk_next(rs, in, err);
	else {
		if ((rc = bess_reader_next(in->rd, &in->rec, err)) < 0)
			return -1;
		if (rc == 1 && bess_reader_schema(in->rd)->n > in->nschema &&
		    take_columns(rs, in, in->rec.line, err) != 0)
			return -1;
		if (rc == 1 && parse_here(in, err) != 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	in->have = rc == 1;
	return 0;
}

/* ---- series and rows ---- */

/* "site 'a' device 'b'", naming only the key columns s's input has. */
static const char *
key_desc(const struct series *s, char *buf, size_t len)
{
	if (s->in->site >= 0 && s->in->device >= 0)
		snprintf(buf, len, "site '%s' device '%s'", s->site, s->device);
	else if (s->in->site >= 0)
		snprintf(buf, len, "site '%s'", s->site);
	else
		snprintf(buf, len, "device '%s'", s->device);
	return buf;
}

static int
row_for(struct bess_resample *rs, struct series *s, struct bess_err *err)
{
	size_t lo = 0, hi = rs->nrows, k;
	struct rowkey *r, **q;
	char kd[300];

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = keycmp(rs->rows[mid]->site, rs->rows[mid]->device, s->site, s->device);

		if (c == 0) {
			lo = mid;
			goto found;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if ((q = bess_grow(rs->rows, &rs->caprows, rs->nrows + 1, 8, sizeof(*q))) == NULL)
		return oom(err);
	rs->rows = q;
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->ser = calloc(rs->nin, sizeof(*r->ser))) == NULL ||
	    (r->site = strdup(s->site)) == NULL || (r->device = strdup(s->device)) == NULL) {
		if (r) {
			free(r->ser);
			free(r->site);
			free(r);
		}
		return oom(err);
	}
	r->first_t = s->in->t;
	memmove(rs->rows + lo + 1, rs->rows + lo, (rs->nrows - lo) * sizeof(*rs->rows));
	rs->rows[lo] = r;
	rs->nrows++;
found:
	r = rs->rows[lo];
	/* two inputs may feed one row only with different columns */
	for (k = 0; k < rs->nin; k++) {
		struct series *o = r->ser[k];
		size_t c;

		if (o == NULL || o->in == s->in)
			continue;
		for (c = 0; c < s->in->ncols; c++) {
			int oc = s->in->cols[c].out_idx;

			if ((size_t)oc < o->in->noutmap && o->in->outmap[oc] >= 0)
				return bess_err_set(err, s->in->name, s->in->tline, "%s is also "
				    "in '%s', both with column '%s'; tell them apart with --prefix",
				    key_desc(s, kd, sizeof(kd)), o->in->name, s->in->cols[c].name);
		}
	}
	r->ser[s->in->idx] = s;
	s->row = r;
	return 0;
}

/* The series of in's current record (keyed inputs look up site and device). */
static struct series *
find_series(struct bess_resample *rs, struct input *in, struct bess_err *err)
{
	const char *site = "", *dev = "";
	size_t lo = 0, hi = in->nser;
	struct series *s, **q;

	if (!in->keyed)
		return in->one;
	site = in->txt[0];
	dev = in->txt[1];
	if (in->cache && strcmp(in->cache->device, dev) == 0 && strcmp(in->cache->site, site) == 0)
		return in->cache;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = keycmp(in->ser[mid]->site, in->ser[mid]->device, site, dev);

		if (c == 0)
			return in->cache = in->ser[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if ((q = bess_grow(in->ser, &in->capser, in->nser + 1, 8, sizeof(*q))) == NULL) {
		oom(err);
		return NULL;
	}
	in->ser = q;
	if ((s = series_new(rs, in, site, dev)) == NULL) {
		oom(err);
		return NULL;
	}
	memmove(in->ser + lo + 1, in->ser + lo, (in->nser - lo) * sizeof(*in->ser));
	in->ser[lo] = s;
	in->nser++;
	if (row_for(rs, s, err) != 0)
		return NULL;
	return in->cache = s;
}

/* ---- the signal ---- */

/*
 * The pending sample of s gets its cover: up to the next sample at next_t
 * if that is within the max gap (then linear columns run to its values nv),
 * else (a gap, or no next sample) for the spacing before it, at most the
 * max gap — or one step for a lone sample with no limit. Its pieces are
 * added to the open intervals they fall in.
 */
static int
decide(struct bess_resample *rs, struct series *s, bess_time_t next_t, const double *nv,
    const unsigned char *nhas, struct bess_err *err)
{
	struct input *in = s->in;
	bess_time_t t0 = s->pt, t1, p0;
	long long tail;
	int lin_ok = 0, bad = 0, in_slot;
	size_t k, c, n = s->ncols;
	const double *pv = s->pv;
	const unsigned char *phas = s->phas;

	s->pending = 2;
	if (next_t != NO_TIME && next_t - t0 <= rs->gap_us) {
		t1 = next_t;
		lin_ok = 1;
	} else {
		tail = rs->gap_us;
		if (s->prev_dt >= 0 && s->prev_dt < tail)
			tail = s->prev_dt;
		if (tail == INT64_MAX)
			tail = rs->o.step_us;
		t1 = t0 + tail;
	}
	p0 = t0 > rs->gs ? t0 : rs->gs;
	if (t1 <= p0)
		return 0;
	for (k = 0; ; k++) {
		struct slot *sl;
		struct bess_acc *acc;
		struct tbuf *ta;
		bess_time_t p, q;
		size_t ph;

		if (k == rs->count && (rs->next_a >= t1 || ring_push(rs, &bad) < 0))
			break;		/* the cover ends, or --end does */
		ph = phys(rs, k);
		sl = &rs->ring[ph];
		if (sl->b <= p0)
			continue;
		if (sl->a >= t1)
			break;
		p = sl->a > t0 ? sl->a : t0;
		q = sl->b < t1 ? sl->b : t1;
		acc = s->acc + ph * n;
		ta = s->tacc + ph * n;
		in_slot = t0 >= sl->a && t0 < sl->b;
		if (in->plain_mean) {	/* bess_acc_piece and bess_acc_sample for MEAN, held */
			double dt = (double)(q - p);

			for (c = 0; c < in->ncols; c++) {
				if (!phas[c])
					continue;
				acc[c].cov_us += dt;
				if (in_slot) {
					acc[c].s += pv[c];
					acc[c].n++;
				}
			}
			continue;
		}
		for (c = 0; c < in->ncols; c++) {
			const struct col *col = &in->cols[c];

			if (!phas[c])
				continue;
			if (col->text) {
				struct tbuf *src = &s->ptext[c];

				if (col->agg == BESS_AGG_LAST || acc[c].n == 0) {
					if (tbuf_set(&ta[c], src->p, src->n, src->kind) != 0)
						return oom(err);
				}
				acc[c].n = 1;
				acc[c].cov_us += (double)(q - p);
				continue;
			}
			/* two calls, so that the held case (most of them) inlines without the line */
			if (col->linear && lin_ok && nhas[c])
				bess_acc_piece(&acc[c], col->agg, t0, t1, pv[c], nv[c], 1, p, q);
			else
				bess_acc_piece(&acc[c], col->agg, t0, t1, pv[c], pv[c], 0, p, q);
			if (col->per_sample && in_slot)
				bess_acc_sample(&acc[c], col->agg, pv[c]);
		}
	}
	if (bad == 2)
		return bess_err_set(err, in->name, s->pline, "this sample would fill more intervals "
		    "than fit in %zu MiB; use a longer --step or a shorter --max-gap",
		    RING_MAX_BYTES >> 20);
	return bad ? oom(err) : 0;
}

/* ---- output ---- */

static void
fmt_value(double v, char *buf)
{
	if (v == 0)
		v = 0;	/* no "-0" */
	snprintf(buf, 32, "%.12g", v);
}

/* Write the rows of the oldest open interval, then close it. */
static int
emit(struct bess_resample *rs, struct bess_err *err)
{
	size_t ph = phys(rs, 0), nr, r, j, k;
	struct slot *sl = &rs->ring[ph];
	double len = (double)(sl->b - sl->a);
	size_t ncol = rs->out.n;

	if (rs->nobuf < ncol) {
		char (*b)[32] = realloc(rs->obuf, ncol * sizeof(*b));

		if (b == NULL)
			return oom(err);
		rs->obuf = b;
		rs->nobuf = ncol;
	}
	if (bess_rec_resize(&rs->orec, ncol) != 0)
		return oom(err);
	if (sl->a < BESS_TIME_MIN || sl->a > BESS_TIME_MAX)
		/* "+10000-01-01T00:00:00Z" or "-0001-12-31T07:52:58Z": no bess tool reads it back */
		return bess_err_set(err, NULL, 0, "an interval would start at %s, outside the years "
		    "0000 to 9999 that records carry; keep the grid inside them with --begin or --end",
		    bess_time_format(sl->a, rs->tsbuf));
	bess_time_format(sl->a, rs->tsbuf);
	nr = rs->keyed ? rs->nrows : 1;
	for (r = 0; r < nr; r++) {
		struct rowkey *row = rs->keyed ? rs->rows[r] : NULL;
		double covmin = 2;

		if (row && row->first_t >= sl->b)
			continue;	/* this device has not started yet */
		bess_rec_set(&rs->orec, 0, rs->tsbuf, BESS_K_STR);
		for (j = 1; j < ncol; j++)
			bess_rec_set(&rs->orec, j, "", BESS_K_NULL);
		if (row && rs->out_site >= 0)
			bess_rec_set(&rs->orec, (size_t)rs->out_site, row->site, BESS_K_STR);
		if (row && rs->out_device >= 0)
			bess_rec_set(&rs->orec, (size_t)rs->out_device, row->device, BESS_K_STR);
		for (j = rs->out_first; j < ncol; j++) {
			if ((int)j == rs->out_cov)
				continue;
			for (k = 0; k < rs->nin; k++) {
				struct input *in = rs->in[k];
				struct series *s = in->keyed ? (row ? row->ser[k] : NULL) : in->one;
				const struct bess_acc *a;
				const struct col *col;
				double v;
				int c;

				if (s == NULL || j >= in->noutmap || (c = in->outmap[j]) < 0)
					continue;
				col = &in->cols[c];
				if ((size_t)c >= s->ncols)
					continue;
				a = &s->acc[ph * s->ncols + (size_t)c];
				if (a->cov_us / len < covmin)
					covmin = a->cov_us / len;
				if (col->text) {
					const struct tbuf *t = &s->tacc[ph * s->ncols + (size_t)c];

					if (a->n > 0 && t->p != NULL)
						bess_rec_set(&rs->orec, j, t->p, t->kind);
				} else if (bess_acc_result(a, col->agg, &v)) {
					if (!isfinite(v))	/* 1e308 + 1e308 */
						return bess_err_set(err, in->name, 0, "column '%s': "
						    "the %s at %s is beyond the range of numbers",
						    col->name, bess_agg_name(col->agg), rs->tsbuf);
					fmt_value(v, rs->obuf[j]);
					bess_rec_set(&rs->orec, j, rs->obuf[j], BESS_K_NUM);
				}
				break;
			}
		}
		if (rs->out_cov >= 0 && covmin <= 1.5) {
			bess_fmt_fixed(covmin > 1 ? 1 : covmin, 6, rs->obuf[rs->out_cov]);
			bess_rec_set(&rs->orec, (size_t)rs->out_cov, rs->obuf[rs->out_cov], BESS_K_NUM);
		}
		if (bess_writer_write(rs->w, &rs->out, &rs->orec, err) != 0)
			return -1;
	}
	rs->head = (rs->head + 1) & (rs->cap - 1);
	rs->count--;
	return 0;
}

/*
 * Close every interval that nothing can change any more: it ends at or
 * before T (the time of the next record, NO_TIME at the end), and no series
 * has an undecided sample before its end (a series silent for longer than
 * the max gap is decided as a gap).
 */
static int
flush(struct bess_resample *rs, bess_time_t T, int eof, struct bess_err *err)
{
	int bad = 0;

	for (;;) {
		struct slot *sl;
		int blocked = 0;

		if (rs->count == 0) {
			if (eof && !rs->o.have_end)
				return 0;
			if (ring_push(rs, &bad) < 0) {
				if (bad)
					return oom(err);
				rs->done = 1;
				return 0;
			}
		}
		sl = &rs->ring[phys(rs, 0)];
		if (sl->b > T)
			return 0;
		FOR_SERIES(rs, s, {
			if (!blocked && s->pending == 1 && s->pt < sl->b) {
				if (eof || T - s->pt > rs->gap_us) {
					if (decide(rs, s, NO_TIME, NULL, NULL, err) != 0)
						return -1;
					sl = &rs->ring[phys(rs, 0)];	/* the ring may have moved */
				} else
					blocked = 1;
			}
		});
		if (blocked)
			return 0;
		if (emit(rs, err) != 0)
			return -1;
	}
}

/* Take in in's current record at time T. */
static int
take(struct bess_resample *rs, struct input *in, struct bess_err *err)
{
	struct series *s;
	bess_time_t T = in->t;
	size_t c;

	if ((s = find_series(rs, in, err)) == NULL)
		return -1;
	if (s->pending && s->pt == T) {
		char a[BESS_TIME_BUFSZ];

		if (rs->o.dup == BESS_RS_DUP_FIRST)
			return 0;
		if (rs->o.dup == BESS_RS_DUP_ERROR)
			return bess_err_set(err, in->name, in->tline, "duplicate time %s "
			    "(also at line %ld); keep one with --dup first or --dup last",
			    bess_time_format(T, a), s->pline);
	}
	if (!(s->pending && s->pt == T)) {	/* (--dup last: the new values replace the old) */
		if (s->pending == 1 && decide(rs, s, T, in->nv, in->nhas, err) != 0)
			return -1;
		s->prev_dt = s->pending ? T - s->pt : -1;
	}
	memcpy(s->pv, in->nv, in->ncols * sizeof(*s->pv));
	memcpy(s->phas, in->nhas, in->ncols);
	for (c = 0; in->ntext > 0 && c < in->ncols; c++) {
		struct col *col = &in->cols[c];

		if (col->text && s->phas[c] && tbuf_set(&s->ptext[c], in->txt[2 + c],
		    in->tlen[2 + c], in->tkind[2 + c]) != 0)
			return oom(err);
		if (col->text && s->phas[c] && col->textnum >= 0) {
			col->ntext_seen++;
			col->textnum = bess_num_check(in->txt[2 + c], in->tlen[2 + c], 0) ? 1 : -1;
		}
	}
	s->pending = 1;
	s->pt = T;
	s->pline = in->tline;
	if (rs->count == 0 || T >= rs->ring[phys(rs, 0)].b)
		return flush(rs, T, 0, err);
	return 0;
}

/*
 * A column with no unit suffix is carried as text (each interval's last
 * value): when all its values were numbers that is rarely what was meant.
 */
static void
warn_text_numbers(struct bess_resample *rs)
{
	size_t i, c;

	for (i = 0; i < rs->nin; i++)
		for (c = 0; c < rs->in[i]->ncols; c++) {
			const struct col *col = &rs->in[i]->cols[c];
			struct bess_err w;

			if (!col->text || col->textnum != 1)
				continue;
			bess_err_set(&w, rs->in[i]->name, 0, "column '%s' was carried as text (each "
			    "interval's last value), though all %lld of its values are numbers; give it "
			    "a unit suffix (e.g. bess-ingest -m %s=%s_a; --schema telemetry maps BMS/PCS "
			    "names) or choose --agg %s=mean", col->name, col->ntext_seen, col->in_name,
			    col->in_name, col->name);
			rs->o.warn(rs->o.warn_ctx, &w);
		}
}

int
bess_resample_run(struct bess_resample *rs, struct bess_writer *w, struct bess_err *err)
{
	size_t i;
	bess_time_t first = NO_TIME;

	rs->w = w;
	/* output columns: ts, site, device, values (in input order), coverage */
	{
		struct bess_schema vals;
		size_t k;

		vals = rs->out;
		bess_schema_init(&rs->out);
		if (bess_schema_add(&rs->out, "ts") < 0)
			goto oom;
		if (rs->has_site && (rs->out_site = bess_schema_add(&rs->out, "site")) < 0)
			goto oom;
		if (rs->has_device && (rs->out_device = bess_schema_add(&rs->out, "device")) < 0)
			goto oom;
		rs->out_first = rs->out.n;
		for (k = 1; k < vals.n; k++)
			if (bess_schema_add(&rs->out, vals.name[k]) < 0) {
				bess_schema_free(&vals);
				goto oom;
			}
		bess_schema_free(&vals);
		for (i = 0; i < rs->nin; i++) {
			struct input *in = rs->in[i];
			int *m;

			if ((m = realloc(in->outmap, rs->out.n * sizeof(*m))) == NULL)
				goto oom;
			in->outmap = m;
			in->noutmap = rs->out.n;
			for (k = 0; k < rs->out.n; k++)
				m[k] = -1;
			for (k = 0; k < in->ncols; k++) {
				in->cols[k].out_idx = bess_schema_find(&rs->out, in->cols[k].name);
				m[in->cols[k].out_idx] = (int)k;
			}
		}
		if (rs->o.coverage && (rs->out_cov = bess_schema_add(&rs->out, "coverage_frac")) < 0)
			goto oom;
	}
	/* the first record of each input (already read): parsed here, or from blocks */
	{
		long threads = rs->o.jobs;

		if (threads <= 0) {
			/*
			 * Every processor, busy or not (up to JOBS_MAX): this
			 * thread parses any block no worker has taken, so a
			 * worker that gets no processor costs little, while
			 * one that gets a share of a busy one still helps.
			 */
			threads = sysconf(_SC_NPROCESSORS_ONLN);
			if (threads > JOBS_MAX)
				threads = JOBS_MAX;
		}

		for (i = 0; i < rs->nin; i++)
			if (rs->in[i]->have && bulk_start(rs, rs->in[i]) < 0)
				goto oom;
		if (pool_start(&rs->pool, threads - 1) != 0)
			goto oom;
		for (i = 0; i < rs->nin; i++) {
			struct input *in = rs->in[i];

			if (!in->have)
				continue;
			if (in->bulk ? advance(rs, in, err) != 0 : parse_here(in, err) != 0)
				return -1;
			if (in->have && in->t < first)
				first = in->t;
		}
	}
	rs->started = 1;
	if (rs->o.have_begin) {
		rs->gs = bess_grid_floor(&rs->grid, rs->o.begin);
		if (rs->gs < rs->o.begin)
			rs->gs = bess_grid_next(&rs->grid, rs->gs);
	} else if (first != NO_TIME)
		rs->gs = bess_grid_floor(&rs->grid, first);
	else if (rs->o.have_end)
		rs->done = 1;	/* no data and no start: nothing to write */
	else
		rs->done = 1;
	rs->next_a = rs->gs;
	while (!rs->done) {
		struct input *best = NULL;

		for (i = 0; i < rs->nin; i++)
			if (rs->in[i]->have && (best == NULL || rs->in[i]->t < best->t))
				best = rs->in[i];
		if (best == NULL)
			break;
		if (take(rs, best, err) != 0 || advance(rs, best, err) != 0)
			return -1;
	}
	if (!rs->done) {
		/* the end: every sample still waiting gets its cover, then all is written */
		FOR_SERIES(rs, s, {
			if (s->pending == 1 && decide(rs, s, NO_TIME, NULL, NULL, err) != 0)
				return -1;
		});
		if (flush(rs, NO_TIME, 1, err) != 0)
			return -1;
	}
	if (rs->o.warn)
		warn_text_numbers(rs);
	return bess_writer_finish(w, &rs->out, err);
oom:
	return oom(err);
}

long long
bess_resample_consumed(const struct bess_resample *rs)
{
	long long n = 0, o;
	size_t i;

	for (i = 0; i < rs->nin; i++) {
		const struct input *in = rs->in[i];

		if (in->fp == NULL)
			continue;
		if (rs->started && !in->have && in->size >= 0)
			o = in->size;	/* read to its end */
		else if (in->bulk != NULL)	/* in blocks: up to the one records are taken from */
			o = in->bulk->data0 + in->bulk->bf.cur * BLOCK_BYTES;
		else
			o = (long long)ftello(in->fp);
		if (in->size >= 0 && o > in->size)
			o = in->size;
		if (o > 0)
			n += o;
	}
	return n;
}

void
bess_resample_free(struct bess_resample *rs)
{
	size_t i, j;

	if (rs == NULL)
		return;
	pool_stop(&rs->pool);
	for (i = 0; i < rs->nin; i++) {
		struct input *in = rs->in[i];

		if (in->one) {
			tbuf_free(in->one->tacc, rs->cap * in->one->ncols);
			series_free(in->one);
		}
		for (j = 0; j < in->nser; j++) {
			tbuf_free(in->ser[j]->tacc, rs->cap * in->ser[j]->ncols);
			series_free(in->ser[j]);
		}
		free(in->ser);
		for (j = 0; j < in->ncols; j++) {
			free(in->cols[j].name);
			free(in->cols[j].in_name);
		}
		free(in->cols);
		free(in->outmap);
		free(in->vbuf);
		free(in->hbuf);
		free(in->txt);
		free(in->tlen);
		free(in->tkind);
		bess_reader_close(in->rd);
		free(in->name);
		free(in->prefix);
		free(in);
	}
	free(rs->in);
	for (i = 0; i < rs->nrows; i++) {
		free(rs->rows[i]->ser);
		free(rs->rows[i]->site);
		free(rs->rows[i]->device);
		free(rs->rows[i]);
	}
	free(rs->rows);
	free(rs->ring);
	free(rs->obuf);
	free(rs->cols);
	bess_rec_free(&rs->orec);
	bess_schema_free(&rs->out);
	free(rs);
}
