/* rec.c: the streaming record reader — CSV through libcsv, NDJSON through jansson, line by line. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>

#include "bess_qty.h"
#include "bess_rec.h"

#define DETECT_LINES	64		/* lines looked at to find the delimiter and header */
#define MAX_LINE	(64 << 20)	/* longest line accepted, bytes */

/* A growable byte buffer. */
struct buf {
	char *p;		/* bytes */
	size_t n;		/* used */
	size_t cap;		/* allocated */
};

struct bess_reader {
	FILE *fp;			/* input, not owned */
	char *name;			/* for messages */
	struct bess_reader_opts o;	/* options as given */
	enum bess_fmt fmt;		/* detected or given */
	char delim;			/* CSV delimiter */
	int skipped;			/* preamble lines skipped */
	struct bess_schema schema;	/* column names */

	/* raw input */
	char *in;			/* read buffer */
	size_t in_n, in_pos, in_cap;	/* bytes held, next byte, allocated */
	int eof;			/* fp reached end */
	int live;			/* fp is a pipe, socket or terminal: read(2) what has arrived */
	long lineno;			/* number of the last line returned by getline */
	struct buf line;		/* a line that crossed the buffer's end */

	/* lines held back during detection, replayed in order */
	char **held;			/* copies, each with its newline */
	size_t *held_len;
	size_t nheld, held_pos;
	long held_first;		/* line number of held[0] */

	/* CSV assembly */
	struct csv_parser csv;		/* libcsv state */
	int in_row;			/* a row started but has not ended */
	long row_start;			/* line where the current row started */
	struct buf arena;		/* field bytes of completed and current rows */
	size_t *foff, *flen;		/* per field: offset in arena, length */
	size_t nf, fcap;		/* fields stored */
	size_t *rows;			/* index of each complete row's first field */
	long *rowline;			/* and its line */
	size_t nrows, rowcap, rowpos;	/* complete rows, next to return */
	size_t cur_first;		/* first field of the row being built */
	int header_done;		/* the header row has been consumed */
	int oom;			/* an allocation failed in a callback */
	int csv_live;			/* csv_init succeeded */

	/* NDJSON */
	size_t hint;			/* schema index after the previous key */

	/* what bess_reader_next hands out */
	const char **v;
	size_t *len;
	unsigned char *kind;
	size_t vcap;
};

static int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *q;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((q = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

void
bess_schema_init(struct bess_schema *s)
{
	s->n = s->cap = 0;
	s->name = NULL;
}

int
bess_schema_add(struct bess_schema *s, const char *name)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **p = realloc(s->name, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		s->name = p;
		s->cap = cap;
	}
	if ((s->name[s->n] = strdup(name)) == NULL)
		return -1;
	return (int)s->n++;
}

int
bess_schema_find(const struct bess_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->name[i], name) == 0)
			return (int)i;
	return -1;
}

void
bess_schema_free(struct bess_schema *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->name[i]);
	free(s->name);
	bess_schema_init(s);
}

/* Add name to the schema, renaming empty and repeated names; returns index or -1. */
static int
schema_add_unique(struct bess_schema *s, const char *name, size_t len)
{
	char tmp[1100];
	int k;

	if (len == 0)
		snprintf(tmp, sizeof(tmp), "col%zu", s->n + 1);
	else
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(len < 1024 ? len : 1024), name);
	if (bess_schema_find(s, tmp) >= 0) {
		char base[1100];

		snprintf(base, sizeof(base), "%s", tmp);
		for (k = 2; ; k++) {
			snprintf(tmp, sizeof(tmp), "%.1024s_%d", base, k);
			if (bess_schema_find(s, tmp) < 0)
				break;
		}
	}
	return bess_schema_add(s, tmp);
}

/* Make room for n output slots. */
static int
out_reserve(struct bess_reader *r, size_t n)
{
	if (n > r->vcap) {
		size_t cap = r->vcap ? r->vcap : 16;
		void *a, *b, *c;

		while (cap < n)
			cap *= 2;
		a = realloc(r->v, cap * sizeof(*r->v));
		if (a)
			r->v = a;
		b = realloc(r->len, cap * sizeof(*r->len));
		if (b)
			r->len = b;
		c = realloc(r->kind, cap);
		if (c)
			r->kind = c;
		if (!a || !b || !c)
			return -1;
		r->vcap = cap;
	}
	return 0;
}

/*
 * The next raw line from fp, with its line ending, in p and n; 1, 0 at end, -1 on error.
 * The bytes stay valid until the next call.
 */
static int
raw_line(struct bess_reader *r, const char **p, size_t *n, struct bess_err *err)
{
	r->line.n = 0;
	for (;;) {
		char *nl;

		if (r->in_pos < r->in_n) {
			size_t avail = r->in_n - r->in_pos;

			nl = memchr(r->in + r->in_pos, '\n', avail);
			if (nl != NULL) {
				size_t k = (size_t)(nl - (r->in + r->in_pos)) + 1;

				r->lineno++;
				if (r->line.n == 0) {
					*p = r->in + r->in_pos;
					*n = k;
				} else {
					if (buf_add(&r->line, r->in + r->in_pos, k) != 0)
						goto oom;
					*p = r->line.p;
					*n = r->line.n;
				}
				r->in_pos += k;
				return 1;
			}
			if (buf_add(&r->line, r->in + r->in_pos, avail) != 0)
				goto oom;
			r->in_pos = r->in_n;
			if (r->line.n > MAX_LINE)
				return bess_err_set(err, r->name, r->lineno + 1,
				    "line longer than %d MiB", MAX_LINE >> 20);
		}
		if (r->eof) {
			if (r->line.n == 0)
				return 0;
			r->lineno++;
			*p = r->line.p;
			*n = r->line.n;
			return 1;
		}
		if (r->live) {
			/* fread would wait for a full buffer; a live stream must not */
			ssize_t k = read(fileno(r->fp), r->in, r->in_cap);

			if (k < 0)
				return bess_err_set(err, r->name, 0, "read error: %s", strerror(errno));
			r->in_n = (size_t)k;
		} else
			r->in_n = fread(r->in, 1, r->in_cap, r->fp);
		r->in_pos = 0;
		if (r->in_n == 0) {
			if (!r->live && ferror(r->fp))
				return bess_err_set(err, r->name, 0, "read error: %s", strerror(errno));
			r->eof = 1;
		}
	}
oom:
	return bess_err_set(err, r->name, r->lineno + 1, "out of memory");
}

/* The next line, first from the held-back ones. */
static int
next_line(struct bess_reader *r, const char **p, size_t *n, long *lineno, struct bess_err *err)
{
	int rc;

	if (r->held_pos < r->nheld) {
		*p = r->held[r->held_pos];
		*n = r->held_len[r->held_pos];
		*lineno = r->held_first + (long)r->held_pos;
		r->held_pos++;
		return 1;
	}
	if ((rc = raw_line(r, p, n, err)) == 1)
		*lineno = r->lineno;
	return rc;
}

/* Count fields of one line for delimiter d, honouring double quotes. */
static int
count_fields(const char *p, size_t n, char d)
{
	int k = 1, q = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q && p[i] == d)
			k++;
	}
	return k;
}

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* Hold the first DETECT_LINES lines (copies) so format, delimiter and header can be found. */
static int
hold_lines(struct bess_reader *r, struct bess_err *err)
{
	const char *p;
	size_t n;
	long ln;
	int rc = 0;

	r->held = calloc(DETECT_LINES, sizeof(*r->held));
	r->held_len = calloc(DETECT_LINES, sizeof(*r->held_len));
	if (!r->held || !r->held_len)
		return bess_err_set(err, r->name, 0, "out of memory");
	while (r->nheld < DETECT_LINES && (rc = raw_line(r, &p, &n, err)) == 1) {
		const char *h;

		ln = r->lineno;
		if (ln == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3, n -= 3;	/* UTF-8 byte order mark */
		if (r->nheld == 0)
			r->held_first = ln;
		if ((r->held[r->nheld] = malloc(n + 1)) == NULL)
			return bess_err_set(err, r->name, ln, "out of memory");
		memcpy(r->held[r->nheld], p, n);
		r->held[r->nheld][n] = '\0';
		r->held_len[r->nheld++] = n;
		/*
		 * Stop as soon as nothing is left to detect, so a live stream's
		 * first records are not held back: NDJSON (the first non-blank
		 * line opens an object), or CSV with the delimiter and preamble given.
		 */
		for (h = r->held[r->nheld - 1]; *h == ' ' || *h == '\t'; h++)
			;
		if (r->o.fmt != BESS_FMT_CSV && !is_blank(p, n) && *h == '{')
			break;
		if (r->o.fmt != BESS_FMT_NDJSON && r->o.delim && r->o.skip >= 0 &&
		    r->nheld > (size_t)r->o.skip)
			break;
	}
	return rc < 0 ? -1 : 0;
}

/*
 * Pick the delimiter whose field count stays the same over the longest run
 * of held lines ending at the last one, and take that run's first line as
 * the header (lines before it are a preamble).
 */
static void
detect_csv(struct bess_reader *r)
{
	static const char cands[] = { ',', '\t', ';', '|' };
	size_t i, j, k;
	int best_run = -1, best_start = 0;
	char best = ',';

	j = r->nheld;
	/* the last held line may be cut short by the hold limit; skip it when there are more */
	if (j == DETECT_LINES)
		j--;
	while (j > 0 && is_blank(r->held[j - 1], r->held_len[j - 1]))
		j--;
	for (i = 0; i < sizeof(cands) && j > 0; i++) {
		char d = cands[i];
		int want, run = 0, start = (int)j - 1;

		if (r->o.delim && d != r->o.delim)
			continue;
		want = count_fields(r->held[j - 1], r->held_len[j - 1], d);
		if (want < 2 && !r->o.delim)
			continue;
		for (k = j; k-- > 0; ) {
			if (is_blank(r->held[k], r->held_len[k]))
				continue;
			if (count_fields(r->held[k], r->held_len[k], d) != want)
				break;
			run++;
			start = (int)k;
		}
		if (run > best_run) {
			best_run = run;
			best_start = start;
			best = d;
		}
	}
	r->delim = r->o.delim ? r->o.delim : best;
	if (best_run < 0) {	/* one column, no delimiter: the first non-blank line is the header */
		best_start = 0;
		while ((size_t)best_start < r->nheld &&
		    is_blank(r->held[best_start], r->held_len[best_start]))
			best_start++;
	}
	if (r->o.skip < 0)
		r->skipped = best_start;
}

/* libcsv field callback. */
static void
on_field(void *s, size_t n, void *data)
{
	struct bess_reader *r = data;

	if (r->oom)
		return;
	if (r->nf == r->fcap) {
		size_t cap = r->fcap ? r->fcap * 2 : 64;
		size_t *a = realloc(r->foff, cap * sizeof(*a));
		size_t *b;

		if (a == NULL) {
			r->oom = 1;
			return;
		}
		r->foff = a;
		if ((b = realloc(r->flen, cap * sizeof(*b))) == NULL) {
			r->oom = 1;
			return;
		}
		r->flen = b;
		r->fcap = cap;
	}
	r->foff[r->nf] = r->arena.n;
	r->flen[r->nf] = n;
	r->nf++;
	if (buf_add(&r->arena, s ? s : "", n) != 0 || buf_add(&r->arena, "", 1) != 0)
		r->oom = 1;
	r->in_row = 1;
}

/* libcsv row callback. */
static void
on_row(int c, void *data)
{
	struct bess_reader *r = data;

	(void)c;
	if (r->oom)
		return;
	if (!r->in_row) {	/* a row of one empty field: a blank line, skip */
		return;
	}
	if (r->nrows == r->rowcap) {
		size_t cap = r->rowcap ? r->rowcap * 2 : 16;
		size_t *a = realloc(r->rows, (cap + 1) * sizeof(*a));
		long *b;

		if (a == NULL) {
			r->oom = 1;
			return;
		}
		r->rows = a;
		if ((b = realloc(r->rowline, cap * sizeof(*b))) == NULL) {
			r->oom = 1;
			return;
		}
		r->rowline = b;
		r->rowcap = cap;
	}
	r->rows[r->nrows] = r->cur_first;
	r->rowline[r->nrows] = r->row_start;
	r->nrows++;
	r->rows[r->nrows] = r->nf;	/* end sentinel */
	r->cur_first = r->nf;
	r->in_row = 0;
}

/* Feed lines to libcsv until at least one row is complete or input ends. 1, 0 at end, -1 error. */
static int
csv_fill(struct bess_reader *r, struct bess_err *err)
{
	const char *p;
	size_t n;
	long ln = 0;
	int rc;

	/* drop the rows already handed out, keep a partial row */
	if (r->rowpos == r->nrows && r->nrows > 0) {
		size_t keep_from = r->cur_first, k;
		size_t base = keep_from < r->nf ? r->foff[keep_from] : r->arena.n;

		memmove(r->arena.p, r->arena.p + base, r->arena.n - base);
		r->arena.n -= base;
		for (k = keep_from; k < r->nf; k++) {
			r->foff[k - keep_from] = r->foff[k] - base;
			r->flen[k - keep_from] = r->flen[k];
		}
		r->nf -= keep_from;
		r->cur_first = 0;
		r->nrows = r->rowpos = 0;
	}
	while (r->rowpos == r->nrows) {
		rc = next_line(r, &p, &n, &ln, err);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (csv_fini(&r->csv, on_field, on_row, r) != 0)
				return bess_err_set(err, r->name, r->row_start,
				    "unterminated quoted field");
			if (r->oom)
				return bess_err_set(err, r->name, ln, "out of memory");
			return r->rowpos < r->nrows;
		}
		if (!r->in_row)
			r->row_start = ln;
		if (csv_parse(&r->csv, p, n, on_field, on_row, r) != n)
			return bess_err_set(err, r->name, ln, "malformed CSV: %s",
			    csv_strerror(csv_error(&r->csv)));
		if (r->oom)
			return bess_err_set(err, r->name, ln, "out of memory");
	}
	return 1;
}

/* Is s[0..n) valid UTF-8 (no overlongs, no surrogates)? */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, j, k;

	while (i < n) {
		unsigned c = s[i];
		unsigned lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3;
		else
			return 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (i + k >= n)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (j = 2; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k + 1;
	}
	return 1;
}

static int
check_utf8(struct bess_reader *r, const char *s, size_t n, long line, size_t col,
    struct bess_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			break;
	if (i == n || utf8_ok((const unsigned char *)s, n))
		return 0;
	return bess_err_set(err, r->name, line, "field %zu is not valid UTF-8 "
	    "(convert the file first, e.g. iconv -f latin1 -t utf-8)", col + 1);
}

static int
csv_header(struct bess_reader *r, struct bess_err *err)
{
	size_t i, a, b;
	int rc;

	if ((rc = csv_fill(r, err)) <= 0)
		return rc;	/* empty input: no columns */
	a = r->rows[r->rowpos];
	b = r->rows[r->rowpos + 1];
	if (r->o.no_header) {
		for (i = a; i < b; i++)
			if (schema_add_unique(&r->schema, "", 0) < 0)
				return bess_err_set(err, r->name, 0, "out of memory");
		return 1;
	}
	for (i = a; i < b; i++) {
		const char *s = r->arena.p + r->foff[i];
		size_t n = r->flen[i];

		if (check_utf8(r, s, n, r->rowline[r->rowpos], i - a, err) < 0)
			return -1;
		while (n > 0 && (*s == ' ' || *s == '\t'))	/* header names trimmed */
			s++, n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (schema_add_unique(&r->schema, s, n) < 0)
			return bess_err_set(err, r->name, 0, "out of memory");
	}
	r->rowpos++;
	return 1;
}

struct bess_reader *
bess_reader_open(FILE *fp, const char *name, const struct bess_reader_opts *opts,
    struct bess_err *err)
{
	static const struct bess_reader_opts dflt = { BESS_FMT_AUTO, 0, -1, 0, 0 };
	struct bess_reader *r;
	const char *p;
	size_t n, i;
	long ln;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		bess_err_set(err, name, 0, "out of memory");
		return NULL;
	}
	r->fp = fp;
	r->o = opts ? *opts : dflt;
	r->name = strdup(name ? name : "<stdin>");
	r->in_cap = 1 << 16;
	r->in = malloc(r->in_cap);
	{
		struct stat st;
		int fd = fileno(fp);

		r->live = fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode);
	}
	bess_schema_init(&r->schema);
	if (r->name == NULL || r->in == NULL) {
		bess_err_set(err, name, 0, "out of memory");
		goto fail;
	}
	if (hold_lines(r, err) < 0)
		goto fail;
	r->fmt = r->o.fmt;
	if (r->fmt == BESS_FMT_AUTO) {
		r->fmt = BESS_FMT_CSV;
		for (i = 0; i < r->nheld; i++) {
			const char *h = r->held[i];

			if (is_blank(h, r->held_len[i]))
				continue;
			while (*h == ' ' || *h == '\t')
				h++;
			if (*h == '{')
				r->fmt = BESS_FMT_NDJSON;
			break;
		}
	}
	if (r->fmt == BESS_FMT_NDJSON)
		return r;
	if (r->fmt != BESS_FMT_CSV) {
		bess_err_set(err, name, 0, "unsupported input format");
		goto fail;
	}
	detect_csv(r);
	if (r->o.skip >= 0)
		r->skipped = r->o.skip;
	for (i = 0; i < (size_t)r->skipped; i++)
		if ((rc = next_line(r, &p, &n, &ln, err)) <= 0) {
			if (rc < 0)
				goto fail;
			break;
		}
	if (csv_init(&r->csv, CSV_APPEND_NULL) != 0) {
		bess_err_set(err, name, 0, "out of memory");
		goto fail;
	}
	r->csv_live = 1;
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	if (csv_header(r, err) < 0)
		goto fail;
	return r;
fail:
	bess_reader_close(r);
	return NULL;
}

/* One NDJSON value as text into the arena; sets *kind. */
static int
json_text(struct bess_reader *r, json_t *v, unsigned char *kind)
{
	char num[32];
	const char *s;
	size_t n;
	char *dump;
	int rc;

	switch (json_typeof(v)) {
	case JSON_STRING:
		*kind = BESS_K_STR;
		return buf_add(&r->arena, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		*kind = BESS_K_NUM;
		n = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf_add(&r->arena, num, n);
	case JSON_REAL:
		*kind = BESS_K_NUM;
		n = (size_t)bess_fmt_num(json_real_value(v), num);
		return buf_add(&r->arena, num, n);
	case JSON_TRUE:
	case JSON_FALSE:
		*kind = BESS_K_BOOL;
		s = json_is_true(v) ? "true" : "false";
		return buf_add(&r->arena, s, strlen(s));
	case JSON_NULL:
		*kind = BESS_K_NULL;
		return 0;
	default:
		*kind = BESS_K_JSON;
		if ((dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
			return -1;
		rc = buf_add(&r->arena, dump, strlen(dump));
		free(dump);
		return rc;
	}
}

static int
ndjson_next(struct bess_reader *r, struct bess_rec *rec, struct bess_err *err)
{
	const char *p, *key;
	size_t n, i, *off = NULL;
	long ln;
	int rc;
	json_t *obj, *v;
	json_error_t je;

	for (;;) {
		if ((rc = next_line(r, &p, &n, &ln, err)) <= 0)
			return rc;
		if (!is_blank(p, n))
			break;
	}
	obj = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
	if (obj == NULL)
		return bess_err_set(err, r->name, ln, "invalid JSON at column %d: %s",
		    je.column, je.text);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return bess_err_set(err, r->name, ln, "expected a JSON object per line");
	}
	r->arena.n = 0;
	if (out_reserve(r, r->schema.n + json_object_size(obj)) != 0)
		goto oom;
	for (i = 0; i < r->schema.n; i++)
		r->kind[i] = BESS_K_NULL;
	/* offsets, as the arena may move while it grows */
	if ((off = calloc(r->schema.n + json_object_size(obj) + 1, sizeof(*off))) == NULL)
		goto oom;
	for (i = 0; i < r->schema.n + json_object_size(obj); i++)
		off[i] = SIZE_MAX;
	json_object_foreach(obj, key, v) {
		size_t idx = r->hint;
		size_t start;
		unsigned char kind;

		if (!(idx < r->schema.n && strcmp(r->schema.name[idx], key) == 0)) {
			int f = bess_schema_find(&r->schema, key);

			if (f < 0) {
				if (!utf8_ok((const unsigned char *)key, strlen(key)))
					goto bad_utf8;
				if ((f = bess_schema_add(&r->schema, key)) < 0)
					goto oom;
				if (out_reserve(r, r->schema.n + json_object_size(obj)) != 0)
					goto oom;
				r->kind[f] = BESS_K_NULL;
			}
			idx = (size_t)f;
		}
		r->hint = idx + 1;
		start = r->arena.n;
		if (json_text(r, v, &kind) != 0 || buf_add(&r->arena, "", 1) != 0)
			goto oom;
		if (memchr(r->arena.p + start, '\0', r->arena.n - 1 - start) != NULL) {
			json_decref(obj);
			free(off);
			return bess_err_set(err, r->name, ln, "key '%s': NUL byte in value", key);
		}
		off[idx] = start;
		r->len[idx] = r->arena.n - 1 - start;
		r->kind[idx] = kind;
	}
	json_decref(obj);
	for (i = 0; i < r->schema.n; i++) {
		if (off[i] == SIZE_MAX || r->kind[i] == BESS_K_NULL) {
			r->v[i] = "";
			r->len[i] = 0;
			r->kind[i] = BESS_K_NULL;
		} else
			r->v[i] = r->arena.p + off[i];
	}
	free(off);
	rec->n = r->schema.n;
	rec->v = r->v;
	rec->len = r->len;
	rec->kind = r->kind;
	rec->line = ln;
	return 1;
bad_utf8:
	json_decref(obj);
	free(off);
	return bess_err_set(err, r->name, ln, "key is not valid UTF-8");
oom:
	json_decref(obj);
	free(off);
	return bess_err_set(err, r->name, ln, "out of memory");
}

static int
csv_next(struct bess_reader *r, struct bess_rec *rec, struct bess_err *err)
{
	size_t a, b, i, nf, ncol = r->schema.n;
	long ln;
	int rc;

	if (r->rowpos == r->nrows && (rc = csv_fill(r, err)) <= 0)
		return rc;
	a = r->rows[r->rowpos];
	b = r->rows[r->rowpos + 1];
	ln = r->rowline[r->rowpos];
	r->rowpos++;
	nf = b - a;
	if (nf > ncol) {
		for (i = a + ncol; i < b; i++)
			if (r->flen[i] != 0)
				return bess_err_set(err, r->name, ln,
				    "%zu fields, but the header has %zu", nf, ncol);
		nf = ncol;
	}
	if (nf < ncol && !r->o.allow_ragged)
		return bess_err_set(err, r->name, ln, "%zu field%s, but the header has %zu",
		    nf, nf == 1 ? "" : "s", ncol);
	if (out_reserve(r, ncol) != 0)
		return bess_err_set(err, r->name, ln, "out of memory");
	for (i = 0; i < ncol; i++) {
		if (i < nf) {
			r->v[i] = r->arena.p + r->foff[a + i];
			r->len[i] = r->flen[a + i];
			if (check_utf8(r, r->v[i], r->len[i], ln, i, err) < 0)
				return -1;
			r->kind[i] = r->len[i] ? BESS_K_AUTO : BESS_K_NULL;
		} else {
			r->v[i] = "";
			r->len[i] = 0;
			r->kind[i] = BESS_K_NULL;
		}
	}
	rec->n = ncol;
	rec->v = r->v;
	rec->len = r->len;
	rec->kind = r->kind;
	rec->line = ln;
	return 1;
}

int
bess_reader_next(struct bess_reader *r, struct bess_rec *rec, struct bess_err *err)
{
	if (r->fmt == BESS_FMT_NDJSON)
		return ndjson_next(r, rec, err);
	if (r->schema.n == 0)
		return 0;
	return csv_next(r, rec, err);
}

const struct bess_schema *
bess_reader_schema(const struct bess_reader *r)
{
	return &r->schema;
}

enum bess_fmt
bess_reader_format(const struct bess_reader *r)
{
	return r->fmt;
}

char
bess_reader_delim(const struct bess_reader *r)
{
	return r->delim;
}

const char *
bess_reader_name(const struct bess_reader *r)
{
	return r->name;
}

int
bess_reader_skipped(const struct bess_reader *r)
{
	return r->skipped;
}

void
bess_reader_close(struct bess_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->csv_live)
		csv_free(&r->csv);
	for (i = 0; i < r->nheld; i++)
		free(r->held[i]);
	free(r->held);
	free(r->held_len);
	free(r->name);
	free(r->in);
	free(r->line.p);
	free(r->arena.p);
	free(r->foff);
	free(r->flen);
	free(r->rows);
	free(r->rowline);
	free(r->v);
	free(r->len);
	free(r->kind);
	bess_schema_free(&r->schema);
	free(r);
}
