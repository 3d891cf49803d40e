/* table.c: load a record stream into memory with parsed times. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bess_qty.h"
#include "bess_table.h"

#define MISSING ((size_t)-1)

void
bess_table_init(struct bess_table *t)
{
	memset(t, 0, sizeof(*t));
	bess_schema_init(&t->schema);
}

void
bess_table_free(struct bess_table *t)
{
	size_t i;

	bess_schema_free(&t->schema);
	free(t->ts);
	free(t->line);
	free(t->src);
	for (i = 0; i < t->nfile; i++)
		free(t->file[i]);
	free(t->file);
	free(t->arena);
	free(t->off);
	free(t->kind);
	bess_table_init(t);
}

/* Make room for one more row with at least ncol columns; re-lays rows if columns grew. */
static int
reserve(struct bess_table *t, size_t ncol)
{
	if (ncol > t->stride) {
		size_t ns = t->stride ? t->stride : 8, r, c;
		size_t *off;
		unsigned char *kind;

		while (ns < ncol)
			ns *= 2;
		off = malloc((t->cap ? t->cap : 1) * ns * sizeof(*off));
		kind = malloc((t->cap ? t->cap : 1) * ns);
		if (!off || !kind) {
			free(off);
			free(kind);
			return -1;
		}
		for (r = 0; r < t->n; r++)
			for (c = 0; c < ns; c++) {
				off[r * ns + c] = c < t->stride ? t->off[r * t->stride + c] : MISSING;
				kind[r * ns + c] = c < t->stride ? t->kind[r * t->stride + c] : BESS_K_NULL;
			}
		free(t->off);
		free(t->kind);
		t->off = off;
		t->kind = kind;
		t->stride = ns;
		if (t->cap == 0)
			t->cap = 1;
	}
	if (t->n + 1 > t->cap) {
		size_t nc = t->cap * 2;
		void *a = realloc(t->off, nc * t->stride * sizeof(*t->off));
		void *b, *c, *d, *e;

		if (a == NULL)
			return -1;
		t->off = a;
		if ((b = realloc(t->kind, nc * t->stride)) == NULL)
			return -1;
		t->kind = b;
		if ((c = realloc(t->ts, nc * sizeof(*t->ts))) == NULL)
			return -1;
		t->ts = c;
		if ((d = realloc(t->line, nc * sizeof(*t->line))) == NULL)
			return -1;
		t->line = d;
		if ((e = realloc(t->src, nc * sizeof(*t->src))) == NULL)
			return -1;
		t->src = e;
		t->cap = nc;
	}
	if (t->ts == NULL) {
		t->ts = malloc(t->cap * sizeof(*t->ts));
		t->line = malloc(t->cap * sizeof(*t->line));
		t->src = malloc(t->cap * sizeof(*t->src));
		if (!t->ts || !t->line || !t->src)
			return -1;
	}
	return 0;
}

static size_t
arena_add(struct bess_table *t, const char *s, size_t n)
{
	size_t at;

	if (t->arena_n + n + 1 > t->arena_cap) {
		size_t c = t->arena_cap ? t->arena_cap : 1 << 16;
		char *p;

		while (c < t->arena_n + n + 1)
			c *= 2;
		if ((p = realloc(t->arena, c)) == NULL)
			return MISSING;
		t->arena = p;
		t->arena_cap = c;
	}
	at = t->arena_n;
	memcpy(t->arena + at, s, n);
	t->arena[at + n] = '\0';
	t->arena_n += n + 1;
	return at;
}

int
bess_table_read(struct bess_table *t, struct bess_reader *r, struct bess_err *err)
{
	const struct bess_schema *rs;
	const char *name = bess_reader_name(r);
	struct bess_rec rec;
	struct bess_tparse tp;
	int *map = NULL;
	size_t nmap = 0, i;
	int rc, tcol;
	char **f;
	char why[256];

	memset(&tp, 0, sizeof(tp));
	if ((f = realloc(t->file, (t->nfile + 1) * sizeof(*f))) == NULL)
		return bess_err_set(err, name, 0, "out of memory");
	t->file = f;
	if ((t->file[t->nfile] = strdup(name)) == NULL)
		return bess_err_set(err, name, 0, "out of memory");
	t->nfile++;
	if (bess_schema_find(&t->schema, "ts") < 0 && bess_schema_add(&t->schema, "ts") < 0)
		return bess_err_set(err, name, 0, "out of memory");
	tcol = bess_schema_find(&t->schema, "ts");
	while ((rc = bess_reader_next(r, &rec, err)) == 1) {
		int its;

		rs = bess_reader_schema(r);
		if (rs->n > nmap) {
			int *m = realloc(map, rs->n * sizeof(*m));

			if (m == NULL)
				goto oom;
			map = m;
			for (i = nmap; i < rs->n; i++) {
				int k = bess_schema_find(&t->schema, rs->name[i]);

				if (k < 0 && (k = bess_schema_add(&t->schema, rs->name[i])) < 0)
					goto oom;
				map[i] = k;
			}
			nmap = rs->n;
		}
		if (reserve(t, t->schema.n) != 0)
			goto oom;
		for (i = 0; i < t->stride; i++) {
			t->off[t->n * t->stride + i] = MISSING;
			t->kind[t->n * t->stride + i] = BESS_K_NULL;
		}
		its = -1;
		for (i = 0; i < rec.n && i < nmap; i++) {
			size_t at;

			if (map[i] == tcol)
				its = (int)i;
			if (rec.len[i] == 0 || rec.kind[i] == BESS_K_NULL)
				continue;
			if ((at = arena_add(t, rec.v[i], rec.len[i])) == MISSING)
				goto oom;
			t->off[t->n * t->stride + (size_t)map[i]] = at;
			t->kind[t->n * t->stride + (size_t)map[i]] = rec.kind[i];
		}
		if (its < 0 || rec.len[its] == 0) {
			free(map);
			return bess_err_set(err, name, rec.line, "missing time in column 'ts'");
		}
		if (bess_time_parse(rec.v[its], rec.len[its], &tp, &t->ts[t->n], why,
		    sizeof(why)) != BESS_TP_OK) {
			free(map);
			return bess_err_set(err, name, rec.line, "column 'ts': %s", why);
		}
		t->line[t->n] = rec.line;
		t->src[t->n] = (int)t->nfile - 1;
		t->n++;
	}
	free(map);
	return rc < 0 ? -1 : 0;
oom:
	free(map);
	return bess_err_set(err, name, 0, "out of memory");
}

int
bess_table_col(const struct bess_table *t, const char *name)
{
	return bess_schema_find(&t->schema, name);
}

const char *
bess_table_get(const struct bess_table *t, size_t row, int col)
{
	size_t at;

	if (col < 0 || (size_t)col >= t->stride || row >= t->n)
		return "";
	at = t->off[row * t->stride + (size_t)col];
	return at == MISSING ? "" : t->arena + at;
}

enum bess_kind
bess_table_kind(const struct bess_table *t, size_t row, int col)
{
	if (col < 0 || (size_t)col >= t->stride || row >= t->n)
		return BESS_K_NULL;
	return (enum bess_kind)t->kind[row * t->stride + (size_t)col];
}

int
bess_table_num(const struct bess_table *t, int col, double *out, struct bess_err *err)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		const char *s = bess_table_get(t, i, col);
		enum bess_kind k = bess_table_kind(t, i, col);

		if (*s == '\0' || k == BESS_K_NULL) {
			out[i] = NAN;
			continue;
		}
		if (k == BESS_K_BOOL || k == BESS_K_JSON ||
		    bess_num_parse(s, strlen(s), 0, &out[i]) != 0)
			return bess_err_set(err, t->file[t->src[i]], t->line[i],
			    "column '%s': '%.40s' is not a number", t->schema.name[col], s);
	}
	return 0;
}

int
bess_table_grid(const struct bess_table *t, long long *step_us, struct bess_err *err)
{
	size_t i;
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];

	*step_us = 0;
	if (t->n < 2)
		return 0;
	*step_us = t->ts[1] - t->ts[0];
	for (i = 1; i < t->n; i++) {
		long long d = t->ts[i] - t->ts[i - 1];

		if (d <= 0)
			return bess_err_set(err, t->file[t->src[i]], t->line[i], "time %s is %s the "
			    "previous row's %s; records must be in time order, one per step",
			    bess_time_format(t->ts[i], a), d == 0 ? "the same as" : "before",
			    bess_time_format(t->ts[i - 1], b));
		if (d != *step_us)
			return bess_err_set(err, t->file[t->src[i]], t->line[i], "time %s breaks the "
			    "regular grid (step %llds, here %llds); put the data on a grid first "
			    "with bess-resample", bess_time_format(t->ts[i], a),
			    *step_us / 1000000, d / 1000000);
	}
	return 0;
}

int
bess_table_rec(const struct bess_table *t, size_t row, struct bess_rec *rec)
{
	size_t i;

	if (bess_rec_resize(rec, t->schema.n) != 0)
		return -1;
	for (i = 0; i < t->schema.n; i++) {
		rec->v[i] = bess_table_get(t, row, (int)i);
		rec->len[i] = strlen(rec->v[i]);
		rec->kind[i] = (unsigned char)bess_table_kind(t, row, (int)i);
	}
	rec->line = t->line[row];
	return 0;
}
