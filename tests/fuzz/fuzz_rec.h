/* fuzz_rec.h: what the record fuzzers (fuzz_csv.c, fuzz_ndjson.c) check, shared by both. */
#ifndef FUZZ_REC_H
#define FUZZ_REC_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bess_qty.h"
#include "bess_rec.h"

/* Stop with a note on stderr: libFuzzer keeps the input as a crash. */
#define FAIL(...) do { fprintf(stderr, "fuzz: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

/* A text dump of what a reader gave, for comparing two reads. */
struct dump {
	char *p;		/* open_memstream buffer */
	size_t n;		/* its length */
	FILE *fp;		/* the stream while dumping */
};

static void
dump_open(struct dump *d)
{
	d->p = NULL;
	d->n = 0;
	if ((d->fp = open_memstream(&d->p, &d->n)) == NULL)
		abort();
}

static void
dump_close(struct dump *d)
{
	fclose(d->fp);
	d->fp = NULL;
}

/*
 * The promises every record makes: n equals the schema's size, every text is
 * NUL-terminated at its length, kinds are known ones, a missing field is "",
 * lines never go back.
 */
static void
check_rec(const struct bess_schema *s, const struct bess_rec *rec, long *last_line)
{
	size_t i;

	if (rec->n != s->n)
		FAIL("record on line %ld has %zu fields, the schema %zu", rec->line, rec->n, s->n);
	/* a bare CR ends a CSV row (as in libcsv) but not a line: rows may share one */
	if (rec->line < *last_line || rec->line < 1)
		FAIL("record on line %ld after one on line %ld", rec->line, *last_line);
	*last_line = rec->line;
	for (i = 0; i < rec->n; i++) {
		double v;

		if (rec->v[i] == NULL || rec->v[i][rec->len[i]] != '\0')
			FAIL("field %zu on line %ld is not NUL-terminated at its length", i, rec->line);
		if (rec->kind[i] > BESS_K_JSON)
			FAIL("field %zu on line %ld has kind %d", i, rec->line, rec->kind[i]);
		if (rec->kind[i] == BESS_K_NULL && rec->len[i] != 0)
			FAIL("missing field %zu on line %ld has text", i, rec->line);
		if (rec->kind[i] == BESS_K_NUM && !bess_is_json_number(rec->v[i], rec->len[i]))
			FAIL("number field %zu on line %ld is '%s'", i, rec->line, rec->v[i]);
		(void)bess_rec_num(rec, (int)i, &v);
	}
}

/* Append one record (kinds, lengths, bytes) to d, without its line. */
static void
dump_rec(struct dump *d, const struct bess_rec *rec)
{
	size_t i;

	fprintf(d->fp, "%zu:", rec->n);
	for (i = 0; i < rec->n; i++) {
		fprintf(d->fp, "%d,%zu,", rec->kind[i], rec->len[i]);
		fwrite(rec->v[i], 1, rec->len[i], d->fp);
	}
	fputc('\n', d->fp);
}

static void
dump_schema(struct dump *d, const struct bess_schema *s)
{
	size_t i;

	fprintf(d->fp, "schema %zu:", s->n);
	for (i = 0; i < s->n; i++)
		fprintf(d->fp, "%zu,%s", strlen(s->name[i]), s->name[i]);
	fputc('\n', d->fp);
}

/* Is s[0..n) valid UTF-8 (RFC 3629)? Written apart from rec.c's. */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], cp, k, j;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			k = 1, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			k = 2, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if (i + k >= n)
			return 0;
		for (j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/*
 * Each NDJSON line the writer made must be a JSON object (jansson reads it)
 * with one key per column, each value of the right type: null for missing,
 * the field's text for strings, a number for numbers.
 */
static void
check_ndjson_line(const char *line, size_t len, const struct bess_schema *s, const struct bess_rec *rec)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES |
	    JSON_DECODE_INT_AS_REAL, &je);	/* any number, as the reader takes it */
	size_t i;

	if (o == NULL || !json_is_object(o))
		FAIL("NDJSON writer made '%.*s' (%s)", (int)len, line, o ? "not an object" : je.text);
	if (json_object_size(o) != s->n)
		FAIL("NDJSON writer made %zu keys for %zu columns", json_object_size(o), s->n);
	for (i = 0; i < s->n; i++) {
		json_t *v = json_object_get(o, s->name[i]);

		if (v == NULL)
			FAIL("NDJSON writer lost key '%s'", s->name[i]);
		if (rec->kind[i] == BESS_K_NULL || rec->len[i] == 0) {
			if (!json_is_null(v) && !(json_is_string(v) && rec->kind[i] == BESS_K_STR))
				FAIL("missing field '%s' written as something", s->name[i]);
		} else if (rec->kind[i] == BESS_K_STR ||
		    (rec->kind[i] == BESS_K_AUTO && bess_num_scan(rec->v[i], rec->len[i], 0) != 1)) {
			if (!json_is_string(v) || json_string_length(v) != rec->len[i] ||
			    memcmp(json_string_value(v), rec->v[i], rec->len[i]) != 0)
				FAIL("field '%s' does not come back as the same string", s->name[i]);
		} else if (rec->kind[i] == BESS_K_NUM || rec->kind[i] == BESS_K_AUTO) {
			if (!json_is_number(v))
				FAIL("field '%s' ('%s') is no JSON number", s->name[i], rec->v[i]);
		}
	}
	json_decref(o);
}

/* Write rec with w into its memory stream and check what came out, then empty the stream. */
static void
write_checked(struct bess_writer *w, FILE *mem, char **buf, size_t *len, enum bess_fmt fmt,
    const struct bess_schema *s, const struct bess_rec *rec)
{
	struct bess_err err;
	int rc = bess_writer_write(w, s, rec, &err);

	if (bess_writer_flush(w) != 0)
		FAIL("writer flush failed");
	fflush(mem);
	if (rc == 0 && *len > 0) {
		if (!utf8_valid((const unsigned char *)*buf, *len))
			FAIL("writer %d made invalid UTF-8", (int)fmt);
		if ((*buf)[*len - 1] != '\n')
			FAIL("writer %d line does not end in a newline", (int)fmt);
		if (fmt == BESS_FMT_NDJSON)
			check_ndjson_line(*buf, *len, s, rec);
		if (fmt == BESS_FMT_LP && memchr(*buf, '\n', *len - 1) != NULL)
			FAIL("line protocol record over two lines");
	}
	rewind(mem);
	*len = 0;
}

/* The three writers, each into its own memory stream, checked record by record. */
struct writers {
	struct bess_writer_opts o[3];	/* CSV, NDJSON, line protocol */
	struct bess_writer *w[3];
	FILE *mem[3];			/* open_memstream of ... */
	char *buf[3];			/* ... these buffers */
	size_t len[3];
};

static void
writers_open(struct writers *ws, const char *const *lp_tags)
{
	static const enum bess_fmt fmts[3] = { BESS_FMT_CSV, BESS_FMT_NDJSON, BESS_FMT_LP };
	int k;

	memset(ws, 0, sizeof(*ws));
	for (k = 0; k < 3; k++) {
		ws->o[k].fmt = fmts[k];
		ws->o[k].measurement = "m";
		ws->o[k].tags = lp_tags;
		if ((ws->mem[k] = open_memstream(&ws->buf[k], &ws->len[k])) == NULL)
			abort();
		ws->w[k] = bess_writer_new(ws->mem[k], &ws->o[k]);
	}
}

static void
writers_write(struct writers *ws, const struct bess_schema *s, const struct bess_rec *rec)
{
	int k;

	for (k = 0; k < 3; k++)
		write_checked(ws->w[k], ws->mem[k], &ws->buf[k], &ws->len[k], ws->o[k].fmt, s, rec);
}

static void
writers_close(struct writers *ws)
{
	int k;

	for (k = 0; k < 3; k++) {
		bess_writer_free(ws->w[k]);
		fclose(ws->mem[k]);
		free(ws->buf[k]);
	}
}

#endif
