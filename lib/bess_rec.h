/* bess_rec.h: streaming records — CSV (libcsv) and NDJSON (jansson) in; CSV, NDJSON and InfluxDB line protocol out. */
#ifndef BESS_REC_H
#define BESS_REC_H

#include <stdio.h>
#include <stddef.h>

#include "bess_err.h"
#include "bess_qty.h"
#include "bess_time.h"

enum bess_fmt {
	BESS_FMT_AUTO = 0,	/* input: detect ('{' first = NDJSON, else CSV) */
	BESS_FMT_CSV,
	BESS_FMT_NDJSON,
	BESS_FMT_LP		/* InfluxDB line protocol (output only) */
};

/* What a field's text is, so writers keep JSON types. */
enum bess_kind {
	BESS_K_AUTO = 0,	/* CSV text: a number if it is a finite JSON number, else a string */
	BESS_K_NULL,		/* missing (text ""); written as an empty CSV field or JSON null */
	BESS_K_NUM,		/* a number (text is a JSON number) */
	BESS_K_STR,		/* a string, even if it looks like a number */
	BESS_K_BOOL,		/* "true" or "false" */
	BESS_K_JSON		/* a JSON array or object, text is its compact JSON */
};

#define BESS_MAX_COLS	10000	/* most columns a reader accepts */

/* The ordered column names of a stream; it may grow (NDJSON keys seen later are appended). */
struct bess_schema {
	size_t n;		/* number of columns */
	char **name;		/* column names, NUL-terminated UTF-8 */
	size_t cap;		/* allocated slots */
};

/* One record; its strings stay valid until the next read from the same reader. */
struct bess_rec {
	size_t n;		/* number of fields, equal to the schema's n when read */
	const char **v;		/* field texts, NUL-terminated; "" when missing */
	size_t *len;		/* their lengths in bytes */
	unsigned char *kind;	/* enum bess_kind per field */
	long line;		/* input line where the record starts (1-based), 0 if built */
	size_t cap;		/* allocated slots (for records a tool builds itself) */
};

/*
 * Reader options; zero-initialised detects the format and the delimiter and
 * takes the first non-blank line as the header (skip = 0); set skip = -1 to
 * detect a preamble too, as a NULL options pointer does.
 */
struct bess_reader_opts {
	enum bess_fmt fmt;	/* BESS_FMT_AUTO, _CSV or _NDJSON */
	char delim;		/* CSV delimiter, 0 = detect among ',' ';' '\t' '|' */
	int skip;		/* CSV lines before the header: -1 = detect a preamble, 0.. = exactly */
	int no_header;		/* CSV has no header: columns are named col1, col2, ... */
	int allow_ragged;	/* short CSV rows are padded with missing fields, long ones are an error still */
};

struct bess_reader;

/*
 * Start reading fp (not closed by the reader), called name in messages
 * ("<stdin>" for stdin). For CSV the header is read now, so the schema is
 * known when this returns; for NDJSON it grows as keys appear.
 * Handles a UTF-8 BOM, CRLF or LF, quoted fields with embedded delimiters,
 * quotes and newlines. Empty header names become "colN" (N = 1-based
 * position); repeated names get "_2", "_3" appended; CSV names longer than
 * 1024 bytes are cut there (between characters). A stream of more than
 * BESS_MAX_COLS columns (CSV header fields, or NDJSON keys over all lines)
 * is an error: the tools look columns up by name.
 * A pipe, socket or terminal is read with read(2) as data arrives (fp must
 * not have been read from before), and NDJSON, or CSV with delim and skip
 * given, needs no look-ahead: records of a live stream come as they arrive.
 */
struct bess_reader *bess_reader_open(FILE *fp, const char *name,
    const struct bess_reader_opts *opts, struct bess_err *err);

/*
 * bess_reader_open for NDJSON a caller reads only some keys of: a key keep_key returns 0 for
 * never enters the schema and its values are skipped (counted by bess_reader_ignored), so a
 * live stream's schema stays the keys its reader uses however many others a publisher
 * sends. keep_key NULL keeps every key, as bess_reader_open.
 */
struct bess_reader *bess_reader_open_keys(FILE *fp, const char *name,
    const struct bess_reader_opts *opts, int (*keep_key)(const char *name), struct bess_err *err);

/* Values skipped because keep_key refused their key (bess_reader_open_keys). */
long long bess_reader_ignored(const struct bess_reader *r);

/* Read the next record into rec: 1 = a record, 0 = end of input, -1 = error (err says file:line). */
int bess_reader_next(struct bess_reader *r, struct bess_rec *rec, struct bess_err *err);

const struct bess_schema *bess_reader_schema(const struct bess_reader *r);
enum bess_fmt bess_reader_format(const struct bess_reader *r);
char bess_reader_delim(const struct bess_reader *r);
const char *bess_reader_name(const struct bess_reader *r);
/* Byte offset of line `line` (1-based) of file descriptor fd, counting from offset off (line 1); -1 on a read error or EOF first. */
long long bess_line_offset(int fd, long long off, long line);
/* Lines of preamble skipped before the CSV header. */
int bess_reader_skipped(const struct bess_reader *r);
void bess_reader_close(struct bess_reader *r);

/* Schema helpers. */
void bess_schema_init(struct bess_schema *s);
int bess_schema_add(struct bess_schema *s, const char *name);	/* returns the index */
int bess_schema_find(const struct bess_schema *s, const char *name);	/* -1 if absent */
void bess_schema_free(struct bess_schema *s);

/*
 * Records a tool builds: bess_rec_init, bess_rec_resize to n fields (new ones
 * missing), bess_rec_set to point field i at text (not copied: it must outlive
 * the write) with a kind. Both return 0, or -1 when out of memory.
 */
void bess_rec_init(struct bess_rec *r);
int bess_rec_resize(struct bess_rec *r, size_t n);
int bess_rec_set(struct bess_rec *r, size_t i, const char *text, enum bess_kind kind);
void bess_rec_free(struct bess_rec *r);

/*
 * Field i as a number: 0 and *v set; 1 if missing (empty, or i >= rec->n);
 * -1 if not a finite number (a JSON string holding a number counts as one).
 * Inline: it runs for every reading of every record.
 */
static inline int
bess_rec_num(const struct bess_rec *r, int i, double *v)
{
	if (i < 0 || (size_t)i >= r->n || r->len[i] == 0 || r->kind[i] == BESS_K_NULL)
		return 1;
	if (r->kind[i] == BESS_K_BOOL || r->kind[i] == BESS_K_JSON)
		return -1;
	return bess_num_parse(r->v[i], r->len[i], 0, v) == 0 ? 0 : -1;
}

/* Writer options. */
struct bess_writer_opts {
	enum bess_fmt fmt;		/* CSV, NDJSON or LP */
	const char *measurement;	/* LP: measurement name (default "bess") */
	const char *time_col;		/* LP: the RFC 3339 time column (default "ts") */
	const char *const *tags;	/* LP: columns written as tags (NULL-terminated), the rest are fields */
	int flush_each;			/* write each record through to fp at once (a live stream) */
	int no_header;			/* CSV: the header is there already (appending to a log): not written */
	void (*progress)(void *ctx, long long records);	/* called every progress_every records written, or NULL */
	void *progress_ctx;
	long progress_every;		/* records between calls (> 0 when progress is set) */
};

struct bess_writer;

/* Write to fp (not closed by the writer). */
struct bess_writer *bess_writer_new(FILE *fp, const struct bess_writer_opts *opts);
/*
 * Write one record whose fields follow schema s. CSV writes the header
 * before the first record (or at bess_writer_finish if there are none); a
 * schema that has grown since is an error for CSV (named in err).
 * LP skips records with no non-missing field and reports a bad time as an error.
 */
int bess_writer_write(struct bess_writer *w, const struct bess_schema *s,
    const struct bess_rec *rec, struct bess_err *err);
/* Write out what the writer buffers (call before writing to fp directly). 0, or -1 on a write error. */
int bess_writer_flush(struct bess_writer *w);
/*
 * How many columns a CSV writer's header fixed (no later column can be written), or
 * SIZE_MAX while the columns may still grow (before the header, or NDJSON and others).
 */
size_t bess_writer_fixed_columns(const struct bess_writer *w);
/* The errno of the first write that failed (EPIPE: the reader went away), or 0. */
int bess_writer_errno(const struct bess_writer *w);
/* Flush; for CSV with no records still writes the header of s (may be NULL). 0 or -1 on a write error. */
int bess_writer_finish(struct bess_writer *w, const struct bess_schema *s, struct bess_err *err);
void bess_writer_free(struct bess_writer *w);

/*
 * A writer of fmt records into memory (*buf and *len as open_memstream(3);
 * both cleared first): NULL when out of memory. bess_writer_mem_done frees
 * the writer and closes *mf; when rc is not 0 it frees *buf as well. It
 * returns rc.
 */
struct bess_writer *bess_writer_mem(enum bess_fmt fmt, FILE **mf, char **buf, size_t *len);
int bess_writer_mem_done(struct bess_writer *w, FILE *mf, int rc, char **buf, size_t *len);
/*
 * A writer with w's format and options writing to fp (records formatted in
 * another thread); no progress hook: bess_writer_raw counts them into w.
 */
struct bess_writer *bess_writer_twin(const struct bess_writer *w, FILE *fp);
/* CSV: take the header of s as written (the caller's other writer writes it). */
void bess_writer_headless(struct bess_writer *w, const struct bess_schema *s);
/* Append len bytes of records formatted by a twin; CSV writes the header of s first if not yet. */
int bess_writer_raw(struct bess_writer *w, const struct bess_schema *s, const char *buf,
    size_t len, struct bess_err *err);

/* Parse a format name: "csv", "ndjson"/"jsonl"/"json", "lp"/"influx"; -1 if unknown. */
int bess_fmt_parse(const char *s, enum bess_fmt *f);

/* s as a JSON string to fp: quotes, '"' and '\\' escaped, control bytes as \\u00XX. */
void bess_json_fputs(FILE *fp, const char *s);

#endif
