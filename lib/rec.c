/* rec.c: the streaming record reader — CSV through libcsv, NDJSON through jansson, line by line. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>

#include "bess_grow.h"
#include "bess_csvscan.h"
#include "bess_qty.h"
#include "bess_rec.h"

#define DETECT_LINES	64		/* lines looked at to find the delimiter and header */
#define MAX_LINE	(64 << 20)	/* longest line accepted, bytes */
#define LIBCSV_FIELD_BEGUN 2		/* libcsv's parser state inside a field (libcsv.c) */

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
	int replay_first;		/* --no-header: hand out the first row again as data */

	const char **fv;		/* a row split without libcsv: fields ... */
	size_t *fl;			/* ... their lengths */
	size_t fn, fvcap;		/* ... count, allocated */
	long fline;			/* ... its line */

	/* NDJSON */
	size_t hint;			/* schema index after the previous key */
	int (*keep_key)(const char *);	/* NDJSON keys read (NULL: all); bess_reader_open_keys */
	long long ignored;		/* values skipped: keep_key refused their key */

	/* what bess_reader_next hands out */
	const char **v;
	size_t *len;
	unsigned char *kind;
	size_t vcap;
};

static int
buf_add(struct buf *b, const void *p, size_t n)
{
	char *q;

	if ((q = bess_grow(b->p, &b->cap, b->n + n + 1, 4096, 1)) == NULL)
		return -1;
	b->p = q;
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
	char **p;

	if ((p = bess_grow(s->name, &s->cap, s->n + 1, 16, sizeof(*p))) == NULL)
		return -1;
	s->name = p;
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

/* A header's names, hashed, so a wide header is read in one pass (tab: index + 1, 0 empty). */
struct nametab {
	int *tab;		/* mask + 1 slots */
	size_t mask;		/* a power of two less one */
};

static size_t
nt_slot(const struct nametab *t, const struct bess_schema *s, const char *name)
{
	size_t h = 2166136261u;
	const char *p;

	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (h &= t->mask; t->tab[h] != 0 && strcmp(s->name[t->tab[h] - 1], name) != 0;
	    h = (h + 1) & t->mask)
		;
	return h;
}

/*
 * Add name to the schema, renaming empty and repeated names; returns index
 * or -1. Names are found through t when it is not NULL (every name of s is in it).
 */
static int
schema_add_unique_t(struct bess_schema *s, const char *name, size_t len, struct nametab *t)
{
	char tmp[1100];
	int k;

	if (len > 1024) {	/* cut long names between characters, without edge blanks */
		len = 1024;
		while (len > 0 && ((unsigned char)name[len] & 0xc0) == 0x80)
			len--;
		while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
			len--;
	}
	if (len == 0)
		snprintf(tmp, sizeof(tmp), "col%zu", s->n + 1);
	else
		snprintf(tmp, sizeof(tmp), "%.*s", (int)len, name);
	if (t != NULL ? t->tab[nt_slot(t, s, tmp)] != 0 : bess_schema_find(s, tmp) >= 0) {
		/* the first k >= 2 whose "name_k" is free, in one pass over the schema */
		char base[1100];
		size_t blen, i;
		unsigned char *used = calloc(s->n + 3, 1);

		if (used == NULL)
			return -1;
		snprintf(base, sizeof(base), "%s", tmp);
		blen = strlen(base) < 1024 ? strlen(base) : 1024;
		for (i = 0; i < s->n; i++) {
			const char *q = s->name[i];
			char *end;
			unsigned long v;

			if (strncmp(q, base, blen) != 0 || q[blen] != '_' || q[blen + 1] < '1' ||
			    q[blen + 1] > '9')
				continue;
			v = strtoul(q + blen + 1, &end, 10);
			if (*end == '\0' && v <= s->n + 2)
				used[v] = 1;
		}
		for (k = 2; used[k]; k++)
			;
		free(used);
		snprintf(tmp, sizeof(tmp), "%.1024s_%d", base, k);
	}
	if (t != NULL) {
		size_t slot = nt_slot(t, s, tmp);
		int i = bess_schema_add(s, tmp);

		if (i >= 0)
			t->tab[slot] = i + 1;
		return i;
	}
	return bess_schema_add(s, tmp);
}

/* Make room for n output slots. */
static int
out_reserve(struct bess_reader *r, size_t n)
{
	if (n > r->vcap) {
		size_t cap = bess_grow_cap(r->vcap, n, 16, sizeof(*r->v));
		void *a, *b, *c;

		if (cap == 0)
			return -1;
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

static int
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/*
 * Count the fields of each row among the first nl held lines for delimiter
 * d, the way libcsv splits them: a quote opens a quoted field only at the
 * start of a field, "" inside one is a quote, and a quoted field may run
 * over several lines. A row's count goes to the line it starts on (0 for
 * blank lines and lines inside a quoted field); wid[] also gets the count
 * without trailing empty fields, so a row "1,2," fits a header "a,b".
 */
static void
count_rows(char *const *held, const size_t *held_len, size_t nl, char d, int *cnt, int *wid)
{
	size_t k, i, row = 0;
	int inq = 0, fstart = 1, full = 0;

	for (k = 0; k < nl; k++) {
		const char *p = held[k];
		size_t n = held_len[k];

		cnt[k] = wid[k] = 0;
		if (!inq) {
			row = k;
			fstart = 1;
			full = 0;
			for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
			    p[i] == '\n'); i++)
				;
			if (i == n)
				continue;	/* blank */
			cnt[k] = 1;
		}
		for (i = 0; i < n; i++) {
			char c = p[i];

			if (inq) {
				if (c == '"' && i + 1 < n && p[i + 1] == '"')
					i++, full = 1;
				else if (c == '"')
					inq = 0;
				else
					full = 1;
			} else if (c == d) {
				if (full)
					wid[row] = cnt[row];
				cnt[row]++;
				fstart = 1;
				full = 0;
			} else if (c == '"' && fstart)
				inq = 1, fstart = 0;
			else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				full = 1, fstart = 0;
		}
		if (!inq && full)
			wid[row] = cnt[row];
	}
}

/* Does a row of cnt fields, wid of them up to the last non-empty one, fit a table want wide? */
#define FITS(cnt, wid, want)	((cnt) > 0 && (wid) <= (want) && (want) <= (cnt))


static int data_like(const char *p, size_t n, char d);

/* Has fd bytes to read now (without waiting)? */
static int
ready(int fd)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0;
}

/* Hold the first DETECT_LINES lines (copies) so format, delimiter and header can be found. */
static int
hold_lines(struct bess_reader *r, struct bess_err *err)
{
	const char *p;
	size_t n;
	long ln = 0;
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
		/*
		 * A live stream with nothing more arrived yet, whose lines so
		 * far include data after a header: detect from those, rather
		 * than wait for DETECT_LINES lines that may come minutes apart.
		 */
		if (r->live && r->nheld >= 2 && r->in_pos >= r->in_n && !r->eof &&
		    data_like(p, n, r->o.delim ? r->o.delim : ',') && !ready(fileno(r->fp)))
			break;
	}
	return rc < 0 ? -1 : 0;
}

/* Does a line look like data: does some field start with a digit (after a sign or space)? */
static int
data_like(const char *p, size_t n, char d)
{
	size_t i = 0;

	while (i < n) {
		while (i < n && (p[i] == ' ' || p[i] == '"' || p[i] == '-' || p[i] == '+'))
			i++;
		if (i < n && (unsigned)(p[i] - '0') < 10u)
			return 1;
		while (i < n && p[i] != d)
			i++;
		i++;
	}
	return 0;
}

/*
 * Find the delimiter and the header among the held lines. For each
 * candidate delimiter the field count (at least 2) that the most rows fit
 * (exactly, or with only empty fields beyond it) is the table's width; the
 * delimiter that explains the most rows wins. The
 * header is the first row of that width — or, if rows of that width come
 * before the first data-like one, the last of them before it (so a
 * preamble line that happens to have the same width is skipped).
 */
static void
detect_csv(struct bess_reader *r)
{
	static const char cands[] = { ',', '\t', ';', '|' };
	size_t i, k, nl = r->nheld;
	int best_hits = -1, best_want = 0;
	char best = ',';
	int *cnt, *wid;

	/* the last held line may be cut short by the hold limit */
	if (nl == DETECT_LINES)
		nl--;
	cnt = calloc(nl + 1, sizeof(*cnt));
	wid = calloc(nl + 1, sizeof(*wid));
	if (cnt == NULL || wid == NULL) {
		free(cnt);
		free(wid);
		r->delim = r->o.delim ? r->o.delim : ',';
		return;
	}
	for (i = 0; i < sizeof(cands); i++) {
		char d = cands[i];
		int want = 0, hits = 0;

		if (r->o.delim && d != r->o.delim)
			continue;
		count_rows(r->held, r->held_len, nl, d, cnt, wid);
		for (k = 0; k < nl; k++) {
			size_t j;
			int h = 0;

			if (cnt[k] < 2 && !r->o.delim)
				continue;
			for (j = 0; j < nl; j++)
				h += FITS(cnt[j], wid[j], cnt[k]);
			if (h > hits || (h == hits && cnt[k] > want)) {
				hits = h;
				want = cnt[k];
			}
		}
		if (want > 0 && (hits > best_hits || (hits == best_hits && want > best_want))) {
			best_hits = hits;
			best_want = want;
			best = d;
		}
	}
	r->delim = r->o.delim ? r->o.delim : best;
	if (r->o.skip < 0) {
		int start = -1, header;

		count_rows(r->held, r->held_len, nl, r->delim, cnt, wid);
		if (best_hits > 0) {
			for (k = 0; k < nl && start < 0; k++)
				if (FITS(cnt[k], wid[k], best_want))
					start = (int)k;
		}
		if (start < 0) {	/* one column: the first non-blank line */
			start = 0;
			while ((size_t)start < r->nheld &&
			    is_blank(r->held[start], r->held_len[start]))
				start++;
			header = start;
		} else {
			int last = start, found = 0;

			for (k = (size_t)start; k < nl; k++) {
				if (!FITS(cnt[k], wid[k], best_want))
					continue;
				if (data_like(r->held[k], r->held_len[k], r->delim)) {
					found = 1;
					break;
				}
				last = (int)k;
			}
			header = found && k > (size_t)start ? last : start;
		}
		r->skipped = header;
	}
	free(cnt);
	free(wid);
}

/* libcsv field callback. */
static void
on_field(void *s, size_t n, void *data)
{
	struct bess_reader *r = data;

	if (r->oom)
		return;
	if (r->nf == r->fcap) {
		size_t cap = bess_grow_cap(r->fcap, r->nf + 1, 64, sizeof(size_t));
		size_t *a = cap ? realloc(r->foff, cap * sizeof(*a)) : NULL;
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
		size_t cap = bess_grow_cap(r->rowcap, r->nrows + 1, 16, sizeof(size_t));
		size_t *a = cap ? realloc(r->rows, (cap + 1) * sizeof(*a)) : NULL;
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

/* Does any byte of s[0..n) have the high bit set? Word at a time. */
static int
has_high_bit(const char *s, size_t n)
{
	const uint64_t mask = 0x8080808080808080ULL;
	size_t i = 0;
	uint64_t w, acc = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)s[i];
	return (acc & mask) != 0;
}

/*
 * Split a line that needs no CSV quoting rules (no '"', no CR before the
 * end) the way libcsv would: fields between delimiters, spaces (and tabs,
 * unless tab is the delimiter) trimmed at both ends, blank lines skipped.
 * Zero copy: fields point into the line, whose bytes (our own buffers) get
 * a NUL after each field. Returns 2 with the row in r->fv/r->fl, 1 for a
 * blank line, 0 if the line needs libcsv, -1 when out of memory.
 */
static int
fast_split(struct bess_reader *r, const char *cp, size_t n, long ln)
{
	char *p = (char *)cp, *end, *f, *q;
	char d = r->delim;
	int tab_space = d != '\t';
	size_t k = 0;

	if (n > 0 && p[n - 1] == '\n')
		n--;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (memchr(p, '"', n) != NULL || memchr(p, '\r', n) != NULL)
		return 0;	/* quoting or a stray CR: libcsv's job */
	end = p + n;
	for (f = p; f < end && (*f == ' ' || (tab_space && *f == '\t')); f++)
		;
	if (f == end)
		return 1;	/* blank line */
	/*
	 * The delimiter as a sentinel at the end (the byte there is the line's
	 * newline, or the NUL after it at end of input; a NUL goes there below
	 * anyway), and the delimiters found a word at a time: fields are short,
	 * so this beats a memchr call per field.
	 */
	*end = d;
	for (f = p; ; ) {
		char *a, *b;

		q = (char *)bess_csv_stop(f, end + 1, (unsigned char)d, 0);	/* 8 bytes at a time */
		a = f;
		b = q;
		/* both ' ' and '\t' are <= 0x20: one test rules out most fields */
		if (b > a && ((unsigned char)*a <= ' ' || (unsigned char)b[-1] <= ' ') &&
		    (*a == ' ' || b[-1] == ' ' || (tab_space && (*a == '\t' ||
		    b[-1] == '\t')))) {
			while (a < b && (*a == ' ' || (tab_space && *a == '\t')))
				a++;
			while (b > a && (b[-1] == ' ' || (tab_space && b[-1] == '\t')))
				b--;
		}
		if (k == r->fvcap) {
			size_t cap = bess_grow_cap(r->fvcap, k + 1, 32, sizeof(size_t));
			const char **v = cap ? realloc(r->fv, cap * sizeof(*v)) : NULL;
			size_t *l;

			if (v == NULL)
				return -1;
			r->fv = v;
			if ((l = realloc(r->fl, cap * sizeof(*l))) == NULL)
				return -1;
			r->fl = l;
			r->fvcap = cap;
		}
		r->fv[k] = a;
		r->fl[k++] = (size_t)(b - a);
		if (q == end)
			break;
		f = q + 1;
	}
	/* terminate the fields only now: the line may still go to libcsv above */
	for (size_t i = 0; i < k; i++)
		((char *)r->fv[i])[r->fl[i]] = '\0';
	r->fn = k;
	r->fline = ln;
	return 2;
}

/*
 * Feed lines to libcsv until at least one row is complete or input ends:
 * 1 a row is queued, 2 a fast row is in r->fv, 0 at end, -1 error.
 */
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
			/* libcsv (not strict) would close the field at the end of input */
			if (r->csv.pstate == LIBCSV_FIELD_BEGUN && r->csv.quoted)
				return bess_err_set(err, r->name, r->row_start,
				    "unterminated quoted field");
			if (csv_fini(&r->csv, on_field, on_row, r) != 0)
				return bess_err_set(err, r->name, r->row_start,
				    "unterminated quoted field");
			if (r->oom)
				return bess_err_set(err, r->name, ln, "out of memory");
			return r->rowpos < r->nrows;
		}
		if (has_high_bit(p, n) && !utf8_ok((const unsigned char *)p, n))
			return bess_err_set(err, r->name, ln, "not valid UTF-8 (convert the "
			    "file first, e.g. iconv -f latin1 -t utf-8)");
		if (memchr(p, '\0', n) != NULL)	/* field texts are C strings */
			return bess_err_set(err, r->name, ln, "NUL byte (is this a text file?)");
		if (r->csv.pstate == 0 && r->rowpos == r->nrows) {
			int f = fast_split(r, p, n, ln);

			if (f < 0)
				return bess_err_set(err, r->name, ln, "out of memory");
			if (f == 2)
				return 2;
			if (f == 1)
				continue;
		}
		if (r->csv.pstate == 0)
			r->row_start = ln;
		if (csv_parse(&r->csv, p, n, on_field, on_row, r) != n)
			return bess_err_set(err, r->name, ln, "malformed CSV: %s",
			    csv_strerror(csv_error(&r->csv)));
		if (r->oom)
			return bess_err_set(err, r->name, ln, "out of memory");
	}
	return 1;
}

/* The next CSV row, from the fast splitter or libcsv's queue: 1, 0 at end, -1 error. */
static int
take_row(struct bess_reader *r, struct bess_err *err)
{
	size_t a, b, i;
	int rc;

	if (r->rowpos == r->nrows) {
		if ((rc = csv_fill(r, err)) <= 0)
			return rc;
		if (rc == 2)
			return 1;
	}
	a = r->rows[r->rowpos];
	b = r->rows[r->rowpos + 1];
	r->fn = 0;
	for (i = a; i < b; i++) {
		if (r->fn == r->fvcap) {
			size_t cap = bess_grow_cap(r->fvcap, r->fn + 1, 32, sizeof(size_t));
			const char **v = cap ? realloc(r->fv, cap * sizeof(*v)) : NULL;
			size_t *l;

			if (v == NULL)
				return bess_err_set(err, r->name, 0, "out of memory");
			r->fv = v;
			if ((l = realloc(r->fl, cap * sizeof(*l))) == NULL)
				return bess_err_set(err, r->name, 0, "out of memory");
			r->fl = l;
			r->fvcap = cap;
		}
		r->fv[r->fn] = r->arena.p + r->foff[i];
		r->fl[r->fn++] = r->flen[i];
	}
	r->fline = r->rowline[r->rowpos];
	r->rowpos++;
	return 1;
}

static int
csv_header(struct bess_reader *r, struct bess_err *err)
{
	struct nametab nt;
	size_t i;
	int rc;

	if ((rc = take_row(r, err)) <= 0)
		return rc;	/* empty input: no columns */
	if (r->fn > BESS_MAX_COLS)
		return bess_err_set(err, r->name, r->fline, "more than %d columns", BESS_MAX_COLS);
	/* a table of the names, so 10,000 columns are not 10,000 squared comparisons */
	for (nt.mask = 15; nt.mask + 1 < 2 * (r->schema.n + r->fn); nt.mask = nt.mask * 2 + 1)
		;
	if ((nt.tab = calloc(nt.mask + 1, sizeof(*nt.tab))) == NULL)
		return bess_err_set(err, r->name, 0, "out of memory");
	for (i = 0; i < r->schema.n; i++)
		nt.tab[nt_slot(&nt, &r->schema, r->schema.name[i])] = (int)i + 1;
	for (i = 0; i < r->fn; i++) {
		const char *s = r->fv[i];
		size_t n = r->fl[i];

		if (r->o.no_header) {
			if (schema_add_unique_t(&r->schema, "", 0, &nt) < 0) {
				free(nt.tab);
				return bess_err_set(err, r->name, 0, "out of memory");
			}
			continue;
		}
		while (n > 0 && (*s == ' ' || *s == '\t'))	/* header names trimmed */
			s++, n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (schema_add_unique_t(&r->schema, s, n, &nt) < 0) {
			free(nt.tab);
			return bess_err_set(err, r->name, 0, "out of memory");
		}
	}
	free(nt.tab);
	if (r->o.no_header)
		r->replay_first = 1;	/* the first row is data */
	return 1;
}

/*
 * Parse one NDJSON line. An integer beyond jansson's 64 bits is still a
 * JSON number (RFC 8259 sets no range): such a line is read again with
 * integers as doubles rather than refused.
 */
static json_t *
load_line(const char *p, size_t n, size_t flags, json_error_t *je)
{
	json_t *obj = json_loadb(p, n, flags, je);

	if (obj == NULL && json_error_code(je) == json_error_numeric_overflow)
		obj = json_loadb(p, n, flags | JSON_DECODE_INT_AS_REAL, je);
	return obj;
}

struct bess_reader *
bess_reader_open(FILE *fp, const char *name, const struct bess_reader_opts *opts,
    struct bess_err *err)
{
	return bess_reader_open_keys(fp, name, opts, NULL, err);
}

struct bess_reader *
bess_reader_open_keys(FILE *fp, const char *name, const struct bess_reader_opts *opts,
    int (*keep_key)(const char *name), struct bess_err *err)
{
	static const struct bess_reader_opts dflt = { BESS_FMT_AUTO, 0, -1, 0, 0 };
	struct bess_reader *r;
	const char *p;
	size_t n, i;
	long ln = 0;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		bess_err_set(err, name, 0, "out of memory");
		return NULL;
	}
	r->fp = fp;
	r->o = opts ? *opts : dflt;
	r->keep_key = keep_key;
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
	if (r->fmt == BESS_FMT_NDJSON) {
		/* the first object's keys make the initial schema, so callers can look columns up */
		for (i = 0; i < r->nheld; i++) {
			json_t *obj;
			const char *key;
			json_t *v;
			json_error_t je;

			if (is_blank(r->held[i], r->held_len[i]))
				continue;
			obj = load_line(r->held[i], r->held_len[i], 0, &je);
			/* (too many keys: left to bess_reader_next, which names the line) */
			if (obj != NULL && json_is_object(obj) && json_object_size(obj) <= BESS_MAX_COLS)
				json_object_foreach(obj, key, v)
					if ((r->keep_key == NULL || r->keep_key(key)) &&
					    bess_schema_find(&r->schema, key) < 0 &&
					    bess_schema_add(&r->schema, key) < 0) {
						json_decref(obj);
						bess_err_set(err, name, 0, "out of memory");
						goto fail;
					}
			json_decref(obj);
			break;
		}
		return r;
	}
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
	long ln = 0;
	int rc;
	json_t *obj, *v;
	json_error_t je;

	for (;;) {
		if ((rc = next_line(r, &p, &n, &ln, err)) <= 0)
			return rc;
		if (!is_blank(p, n))
			break;
	}
	obj = load_line(p, n, JSON_REJECT_DUPLICATES, &je);
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

			if (f < 0 && r->keep_key != NULL && !r->keep_key(key)) {
				r->ignored++;	/* not read: it does not grow the schema */
				continue;
			}
			if (f < 0) {
				if (!utf8_ok((const unsigned char *)key, strlen(key)))
					goto bad_utf8;
				if (r->schema.n >= BESS_MAX_COLS) {
					json_decref(obj);
					free(off);
					return bess_err_set(err, r->name, ln, "more than %d columns "
					    "(keys)", BESS_MAX_COLS);
				}
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
	size_t i, nf, ncol = r->schema.n;
	long ln;
	int rc;

	if (r->replay_first)
		r->replay_first = 0;	/* --no-header: the row taken for the names */
	else if ((rc = take_row(r, err)) <= 0)
		return rc;
	ln = r->fline;
	nf = r->fn;
	if (nf > ncol) {
		for (i = ncol; i < nf; i++)
			if (r->fl[i] != 0)
				return bess_err_set(err, r->name, ln,
				    "%zu fields, but the header has %zu", nf, ncol);
		nf = ncol;
	}
	if (nf < ncol && !r->o.allow_ragged)
		return bess_err_set(err, r->name, ln, "%zu field%s, but the header has %zu",
		    nf, nf == 1 ? "" : "s", ncol);
	if (out_reserve(r, ncol) != 0)
		return bess_err_set(err, r->name, ln, "out of memory");
	for (i = 0; i < nf; i++)
		r->kind[i] = r->fl[i] ? BESS_K_AUTO : BESS_K_NULL;
	if (nf == ncol) {	/* every field there, the usual case: the split row itself */
		rec->v = r->fv;
		rec->len = r->fl;
	} else {
		for (i = 0; i < nf; i++) {
			r->v[i] = r->fv[i];
			r->len[i] = r->fl[i];
		}
		for (; i < ncol; i++) {
			r->v[i] = "";
			r->len[i] = 0;
			r->kind[i] = BESS_K_NULL;
		}
		rec->v = r->v;
		rec->len = r->len;
	}
	rec->n = ncol;
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

/* Offset of line `line` (1-based) of fd counted from off, or -1. */
long long
bess_line_offset(int fd, long long off, long line)
{
	char buf[16384];
	long ln = 1;

	while (ln < line) {
		ssize_t k = pread(fd, buf, sizeof(buf), (off_t)off);
		const char *p = buf, *e;

		if (k <= 0)
			return -1;
		e = buf + k;
		while (ln < line && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
			p++;
			ln++;
		}
		off += ln < line ? k : p - buf;
	}
	return off;
}

long long
bess_reader_ignored(const struct bess_reader *r)
{
	return r->ignored;
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
	free(r->fv);
	free(r->fl);
	free(r->v);
	free(r->len);
	free(r->kind);
	bess_schema_free(&r->schema);
	free(r);
}
