/* recout.c: writing records as CSV, NDJSON or InfluxDB line protocol, and building records in tools. */
#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_qty.h"
#include "bess_rec.h"

#define OBUF_SIZE (1 << 16)

struct bess_writer {
	FILE *fp;			/* output, not owned */
	char *buf;			/* output buffer, OBUF_SIZE bytes */
	size_t n;			/* bytes in buf */
	int werr;			/* a write failed: its errno, else 0 */
	const struct bess_schema *keys_for;	/* NDJSON: schema the key texts were made for */
	size_t keys_n;			/* ... and its size then */
	char **key;			/* NDJSON: per column '"name":' escaped */
	size_t *keylen;
	struct bess_writer_opts o;	/* options */
	int header_done;		/* CSV header written */
	size_t ncols;			/* CSV: columns in the header */
	int time_idx;			/* LP: index of the time column, -1 unknown */
	const struct bess_schema *tag_for;	/* LP: schema the tag map was built for */
	size_t tag_n;			/* ... and its size then */
	unsigned char *is_tag;		/* LP: per column, 1 = tag */
	size_t *tag_order;		/* LP: tag column indices sorted by name */
	size_t ntags;
	long long nrec;			/* records written */
};

static void
ob_flush(struct bess_writer *w)
{
	if (w->n > 0 && fwrite(w->buf, 1, w->n, w->fp) != w->n)
		w->werr = errno ? errno : EIO;
	w->n = 0;
}

static inline void
ob_put(struct bess_writer *w, const char *s, size_t n)
{
	if (w->n + n > OBUF_SIZE) {
		ob_flush(w);
		if (n > OBUF_SIZE) {
			if (fwrite(s, 1, n, w->fp) != n)
				w->werr = errno ? errno : EIO;
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static inline void
ob_putc(struct bess_writer *w, char c)
{
	if (w->n == OBUF_SIZE)
		ob_flush(w);
	w->buf[w->n++] = c;
}

static void
ob_puts(struct bess_writer *w, const char *s)
{
	ob_put(w, s, strlen(s));
}

struct bess_writer *
bess_writer_new(FILE *fp, const struct bess_writer_opts *opts)
{
	struct bess_writer *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	if ((w->buf = malloc(OBUF_SIZE)) == NULL) {
		free(w);
		return NULL;
	}
	w->fp = fp;
	w->o = *opts;
	if (w->o.measurement == NULL)
		w->o.measurement = "bess";
	if (w->o.time_col == NULL)
		w->o.time_col = "ts";
	w->time_idx = -1;
	return w;
}

static void
free_keys(struct bess_writer *w)
{
	size_t i;

	for (i = 0; w->key && i < w->keys_n; i++)
		free(w->key[i]);
	free(w->key);
	free(w->keylen);
	w->key = NULL;
	w->keylen = NULL;
	w->keys_n = 0;
}

void
bess_writer_free(struct bess_writer *w)
{
	if (w == NULL)
		return;
	free(w->is_tag);
	free(w->tag_order);
	free_keys(w);
	free(w->buf);
	free(w);
}

/*
 * A CSV field needs quotes if it has a delimiter, quote, newline or edge
 * space or tab (readers trim both), or starts with U+FEFF (which, first in a
 * file, readers take for a byte order mark).
 */
static void
csv_field(struct bess_writer *fp, const char *s, size_t n)
{
	size_t i;
	int q = n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t');

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		q = 1;

	for (i = 0; i < n && !q; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			q = 1;
	if (!q) {
		ob_put(fp, s, n);
		return;
	}
	ob_putc(fp, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			ob_putc(fp, '"');
		ob_putc(fp, s[i]);
	}
	ob_putc(fp, '"');
}

static void
json_string(struct bess_writer *fp, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	ob_putc(fp, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		ob_put(fp, s + run, i - run);
		run = i + 1;
		ob_putc(fp, '\\');
		switch (c) {
		case '"': ob_putc(fp, '"'); break;
		case '\\': ob_putc(fp, '\\'); break;
		case '\n': ob_putc(fp, 'n'); break;
		case '\r': ob_putc(fp, 'r'); break;
		case '\t': ob_putc(fp, 't'); break;
		default:
			ob_puts(fp, "u00");
			ob_putc(fp, hex[c >> 4]);
			ob_putc(fp, hex[c & 15]);
		}
	}
	ob_put(fp, s + run, n - run);
	ob_putc(fp, '"');
}

static void
json_value(struct bess_writer *fp, const char *s, size_t n, unsigned char kind)
{
	switch (kind) {
	case BESS_K_NULL:
		ob_puts(fp, "null");
		return;
	case BESS_K_NUM:
	case BESS_K_BOOL:
	case BESS_K_JSON:
		ob_put(fp, s, n);
		return;
	case BESS_K_STR:
		json_string(fp, s, n);
		return;
	default:
		if (n == 0)
			ob_puts(fp, "null");
		else if (bess_num_scan(s, n, 0) == 1)	/* a JSON number a double can hold */
			ob_put(fp, s, n);
		else
			json_string(fp, s, n);
	}
}

/*
 * Line protocol escapes: measurement (comma, space), keys and tag values
 * (comma, equals, space); line breaks, which cannot be written, become
 * escaped spaces. A backslash is written as it is (InfluxDB keeps "\\" there
 * as two), except at the end, where it would escape the separator after it
 * and cannot be written at all: it is left out.
 */
static void
lp_escape(struct bess_writer *fp, const char *s, size_t n, int is_measurement)
{
	size_t i;

	while (n > 0 && s[n - 1] == '\\')
		n--;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n' || c == '\r')
			c = ' ';
		if (c == ',' || c == ' ' || (!is_measurement && c == '='))
			ob_putc(fp, '\\');
		ob_putc(fp, c);
	}
}

static int
cmp_names(const void *a, const void *b, void *ctx)
{
	const struct bess_schema *s = ctx;

	return strcmp(s->name[*(const size_t *)a], s->name[*(const size_t *)b]);
}

/* Insertion sort of tag indices by name (few tags). */
static void
sort_tags(size_t *t, size_t n, const struct bess_schema *s)
{
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && cmp_names(&t[j - 1], &t[j], (void *)s) > 0; j--) {
			size_t x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
}

static int
lp_prepare(struct bess_writer *w, const struct bess_schema *s)
{
	size_t i;
	const char *const *t;

	if (w->tag_for == s && w->tag_n == s->n)
		return 0;
	free(w->is_tag);
	free(w->tag_order);
	w->is_tag = calloc(s->n + 1, 1);
	w->tag_order = calloc(s->n + 1, sizeof(*w->tag_order));
	if (!w->is_tag || !w->tag_order)
		return -1;
	w->ntags = 0;
	for (i = 0; i < s->n; i++)
		for (t = w->o.tags; t && *t; t++)
			if (strcmp(*t, s->name[i]) == 0) {
				w->is_tag[i] = 1;
				w->tag_order[w->ntags++] = i;
				break;
			}
	sort_tags(w->tag_order, w->ntags, s);
	w->time_idx = bess_schema_find(s, w->o.time_col);
	w->tag_for = s;
	w->tag_n = s->n;
	return 0;
}

static int
write_lp(struct bess_writer *w, const struct bess_schema *s, const struct bess_rec *rec,
    struct bess_err *err)
{
	struct bess_writer *fp = w;
	size_t i, k;
	int nfield = 0;
	bess_time_t t;
	char why[256];

	if (lp_prepare(w, s) != 0)
		return bess_err_set(err, NULL, rec->line, "out of memory");
	if (w->time_idx < 0 || (size_t)w->time_idx >= rec->n || rec->len[w->time_idx] == 0)
		return bess_err_set(err, NULL, rec->line, "line protocol needs a time in column '%s'",
		    w->o.time_col);
	{
		struct bess_tparse tp;

		memset(&tp, 0, sizeof(tp));
		if (bess_time_parse(rec->v[w->time_idx], rec->len[w->time_idx], &tp, &t,
		    why, sizeof(why)) != BESS_TP_OK)
			return bess_err_set(err, NULL, rec->line, "column '%s': %s",
			    w->o.time_col, why);
	}
	/* fields first into a check: at least one non-missing field */
	for (i = 0; i < rec->n && i < s->n; i++)
		if ((int)i != w->time_idx && !w->is_tag[i] && rec->len[i] > 0 &&
		    rec->kind[i] != BESS_K_NULL)
			nfield++;
	if (nfield == 0)
		return 0;
	lp_escape(fp, w->o.measurement, strlen(w->o.measurement), 1);
	for (k = 0; k < w->ntags; k++) {
		i = w->tag_order[k];
		if (i >= rec->n || rec->len[i] == 0)
			continue;
		ob_putc(fp, ',');
		lp_escape(fp, s->name[i], strlen(s->name[i]), 0);
		ob_putc(fp, '=');
		lp_escape(fp, rec->v[i], rec->len[i], 0);
	}
	nfield = 0;
	for (i = 0; i < rec->n && i < s->n; i++) {
		const char *v = rec->v[i];
		size_t n = rec->len[i];
		unsigned char kind = rec->kind[i];
		int sc;
		double x;
		char num[32];

		if ((int)i == w->time_idx || w->is_tag[i] || n == 0 || kind == BESS_K_NULL)
			continue;
		ob_putc(fp, nfield++ ? ',' : ' ');
		lp_escape(fp, s->name[i], strlen(s->name[i]), 0);
		ob_putc(fp, '=');
		sc = kind == BESS_K_AUTO ? bess_num_scan(v, n, 0) : 0;
		if (kind == BESS_K_NUM || sc == 1)
			ob_put(fp, v, n);
		else if (sc == 2 && bess_num_parse(v, n, 0, &x) == 0)
			ob_put(fp, num, (size_t)bess_fmt_num(x, num));	/* InfluxDB rejects "+5" */
		else if (kind == BESS_K_BOOL)
			ob_put(fp, v, n);
		else {
			size_t j;

			ob_putc(fp, '"');
			for (j = 0; j < n; j++) {
				if (v[j] == '"' || v[j] == '\\')
					ob_putc(fp, '\\');
				ob_putc(fp, v[j] == '\n' ? ' ' : v[j]);
			}
			ob_putc(fp, '"');
		}
	}
	/* nanoseconds */
	{
		char ns[40];
		int len = snprintf(ns, sizeof(ns), " %lld000\n", (long long)t);

		ob_put(fp, ns, (size_t)len);
	}
	return 0;
}

static void
csv_header_out(struct bess_writer *w, const struct bess_schema *s)
{
	size_t i;

	for (i = 0; s && i < s->n && !w->o.no_header; i++) {
		if (i)
			ob_putc(w, ',');
		csv_field(w, s->name[i], strlen(s->name[i]));
	}
	if (!w->o.no_header)
		ob_putc(w, '\n');
	w->ncols = s ? s->n : 0;
	w->header_done = 1;
}

/* Pre-escape '{"name":' / ',"name":' for every column of s. */
static int
make_keys(struct bess_writer *w, const struct bess_schema *s)
{
	size_t i;
	struct bess_writer tmp;

	free_keys(w);
	w->key = calloc(s->n + 1, sizeof(*w->key));
	w->keylen = calloc(s->n + 1, sizeof(*w->keylen));
	if (!w->key || !w->keylen)
		return -1;
	w->keys_n = s->n;
	w->keys_for = s;
	memset(&tmp, 0, sizeof(tmp));
	if ((tmp.buf = malloc(OBUF_SIZE)) == NULL)
		return -1;
	for (i = 0; i < s->n; i++) {
		/* through a memory stream, so a key of any length fits whole */
		tmp.n = 0;
		if ((tmp.fp = open_memstream(&w->key[i], &w->keylen[i])) == NULL) {
			free(tmp.buf);
			return -1;
		}
		ob_putc(&tmp, i ? ',' : '{');
		json_string(&tmp, s->name[i], strlen(s->name[i]));
		ob_putc(&tmp, ':');
		ob_flush(&tmp);
		if (fclose(tmp.fp) != 0 || tmp.werr) {
			free(tmp.buf);
			return -1;
		}
	}
	free(tmp.buf);
	return 0;
}

int
bess_writer_write(struct bess_writer *w, const struct bess_schema *s,
    const struct bess_rec *rec, struct bess_err *err)
{
	struct bess_writer *fp = w;
	size_t i, n = rec->n < s->n ? rec->n : s->n;

	switch (w->o.fmt) {
	case BESS_FMT_LP:
		if (write_lp(w, s, rec, err) != 0)
			return -1;
		break;
	case BESS_FMT_NDJSON:
		if ((w->keys_for != s || w->keys_n != s->n) && make_keys(w, s) != 0)
			return bess_err_set(err, NULL, rec->line, "out of memory");
		if (s->n == 0)
			ob_putc(fp, '{');
		for (i = 0; i < s->n; i++) {
			ob_put(fp, w->key[i], w->keylen[i]);
			if (i < n)
				json_value(fp, rec->v[i], rec->len[i], rec->kind[i]);
			else
				ob_puts(fp, "null");
		}
		ob_puts(fp, "}\n");
		break;
	default:
		if (!w->header_done)
			csv_header_out(w, s);
		for (i = w->ncols; i < n; i++)
			if (rec->len[i] > 0)
				return bess_err_set(err, NULL, rec->line, "column '%s' appeared after "
				    "the CSV header was written; write NDJSON (-f ndjson) or "
				    "name the columns first", s->name[i]);
		for (i = 0; i < w->ncols; i++) {
			if (i)
				ob_putc(fp, ',');
			if (i < n)
				csv_field(fp, rec->v[i], rec->len[i]);
		}
		if (w->ncols == 1 && (n == 0 || rec->len[0] == 0))
			ob_put(fp, "\"\"", 2);	/* alone, an empty field would be a blank line, which readers skip */
		ob_putc(fp, '\n');
	}
	if (w->o.progress != NULL && ++w->nrec % w->o.progress_every == 0)
		w->o.progress(w->o.progress_ctx, w->nrec);
	if (w->o.flush_each && bess_writer_flush(w) != 0)
		return bess_err_set(err, NULL, rec->line, "write error: %s",
		    strerror(w->werr ? w->werr : errno ? errno : EIO));
	return 0;
}

struct bess_writer *
bess_writer_twin(const struct bess_writer *w, FILE *fp)
{
	struct bess_writer_opts o = w->o;

	o.progress = NULL;	/* another thread: w counts the records when they reach it */
	return bess_writer_new(fp, &o);
}

void
bess_writer_headless(struct bess_writer *w, const struct bess_schema *s)
{
	w->header_done = 1;
	w->ncols = s->n;
}

int
bess_writer_raw(struct bess_writer *w, const struct bess_schema *s, const char *buf, size_t len,
    struct bess_err *err)
{
	if (w->o.fmt == BESS_FMT_CSV && !w->header_done)
		csv_header_out(w, s);
	if (len > 0)
		ob_put(w, buf, len);
	if (w->o.progress != NULL && len > 0) {
		/* records formatted by a twin: one line each (CSV fields with newlines aside) */
		long long before = w->nrec / w->o.progress_every;
		const char *p = buf, *end = buf + len;

		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			w->nrec++;
			p++;
		}
		if (w->nrec / w->o.progress_every != before)
			w->o.progress(w->o.progress_ctx, w->nrec);
	}
	if (w->werr)
		return bess_err_set(err, NULL, 0, "write error: %s", strerror(w->werr));
	return 0;
}

size_t
bess_writer_fixed_columns(const struct bess_writer *w)
{
	return w->o.fmt == BESS_FMT_CSV && w->header_done ? w->ncols : SIZE_MAX;
}

int
bess_writer_errno(const struct bess_writer *w)
{
	return w->werr;
}

int
bess_writer_flush(struct bess_writer *w)
{
	ob_flush(w);
	if (fflush(w->fp) != 0 && w->werr == 0)
		w->werr = errno ? errno : EIO;
	return w->werr ? -1 : 0;
}

int
bess_writer_finish(struct bess_writer *w, const struct bess_schema *s, struct bess_err *err)
{
	if (w->o.fmt == BESS_FMT_CSV && !w->header_done && s != NULL && s->n > 0)
		csv_header_out(w, s);
	ob_flush(w);
	if (fflush(w->fp) != 0 || ferror(w->fp) || w->werr)	/* ENOSPC: "write error: No space left on device" */
		return bess_err_set(err, NULL, 0, "write error: %s", strerror(w->werr ? w->werr : errno ? errno : EIO));
	return 0;
}

int
bess_fmt_parse(const char *s, enum bess_fmt *f)
{
	if (strcmp(s, "csv") == 0)
		*f = BESS_FMT_CSV;
	else if (strcmp(s, "ndjson") == 0 || strcmp(s, "jsonl") == 0 || strcmp(s, "json") == 0)
		*f = BESS_FMT_NDJSON;
	else if (strcmp(s, "lp") == 0 || strcmp(s, "influx") == 0 || strcmp(s, "line") == 0)
		*f = BESS_FMT_LP;
	else
		return -1;
	return 0;
}

void
bess_rec_init(struct bess_rec *r)
{
	memset(r, 0, sizeof(*r));
}

int
bess_rec_resize(struct bess_rec *r, size_t n)
{
	size_t i;

	if (n > r->cap) {
		size_t cap = bess_grow_cap(r->cap, n, 16, sizeof(const char *));
		const char **v;
		size_t *len;
		unsigned char *kind;

		if (cap == 0)
			return -1;
		v = realloc((void *)r->v, cap * sizeof(*v));
		len = realloc(r->len, cap * sizeof(*len));
		kind = realloc(r->kind, cap);
		if (v)
			r->v = v;
		if (len)
			r->len = len;
		if (kind)
			r->kind = kind;
		if (!v || !len || !kind)
			return -1;
		r->cap = cap;
	}
	for (i = r->n; i < n; i++) {
		r->v[i] = "";
		r->len[i] = 0;
		r->kind[i] = BESS_K_NULL;
	}
	r->n = n;
	return 0;
}

int
bess_rec_set(struct bess_rec *r, size_t i, const char *text, enum bess_kind kind)
{
	if (i >= r->n && bess_rec_resize(r, i + 1) != 0)
		return -1;
	r->v[i] = text ? text : "";
	r->len[i] = text ? strlen(text) : 0;
	r->kind[i] = (unsigned char)(r->len[i] ? kind : BESS_K_NULL);
	return 0;
}

void
bess_rec_free(struct bess_rec *r)
{
	free((void *)r->v);
	free(r->len);
	free(r->kind);
	bess_rec_init(r);
}

void
bess_json_fputs(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(fp, "\\u%04x", ch);
		else
			fputc(ch, fp);
	}
	fputc('"', fp);
}

struct bess_writer *
bess_writer_mem(enum bess_fmt fmt, FILE **mf, char **buf, size_t *len)
{
	struct bess_writer_opts wo;
	struct bess_writer *w;

	*buf = NULL;
	*len = 0;
	if ((*mf = open_memstream(buf, len)) == NULL)
		return NULL;
	memset(&wo, 0, sizeof(wo));
	wo.fmt = fmt;
	if ((w = bess_writer_new(*mf, &wo)) == NULL) {
		fclose(*mf);
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return w;
}

int
bess_writer_mem_done(struct bess_writer *w, FILE *mf, int rc, char **buf, size_t *len)
{
	bess_writer_free(w);
	fclose(mf);
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}
