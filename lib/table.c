/* table.c: load a record stream into memory with parsed times. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
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
	free(t->first);
	free(t->e_col);
	free(t->e_kind);
	free(t->e_off);
	bess_table_init(t);
}

/* Make room for one more row (and its end in first[]). */
static int
reserve(struct bess_table *t)
{
	if (t->n + 2 > t->cap) {
		size_t nc = bess_grow_cap(t->cap, t->n + 2, 64, sizeof(*t->ts));
		void *a, *c, *d, *e;

		if (nc == 0 || (a = realloc(t->first, nc * sizeof(*t->first))) == NULL)
			return -1;
		t->first = a;
		if ((c = realloc(t->ts, nc * sizeof(*t->ts))) == NULL)
			return -1;
		t->ts = c;
		if ((d = realloc(t->line, nc * sizeof(*t->line))) == NULL)
			return -1;
		t->line = d;
		if ((e = realloc(t->src, nc * sizeof(*t->src))) == NULL)
			return -1;
		t->src = e;
		if (t->cap == 0)
			t->first[0] = 0;
		t->cap = nc;
	}
	return 0;
}

/* Make room for k more fields. */
static int
reserve_fields(struct bess_table *t, size_t k)
{
	size_t ne = t->first[t->n] + k;

	if (ne > t->ecap) {
		size_t nc = bess_grow_cap(t->ecap, ne, 256, sizeof(*t->e_off));
		void *a, *b, *c;

		if (nc == 0)
			return -1;
		if ((a = realloc(t->e_col, nc * sizeof(*t->e_col))) == NULL)
			return -1;
		t->e_col = a;
		if ((b = realloc(t->e_kind, nc)) == NULL)
			return -1;
		t->e_kind = b;
		if ((c = realloc(t->e_off, nc * sizeof(*t->e_off))) == NULL)
			return -1;
		t->e_off = c;
		t->ecap = nc;
	}
	return 0;
}

static size_t
arena_add(struct bess_table *t, const char *s, size_t n)
{
	size_t at;
	char *p;

	if ((p = bess_grow(t->arena, &t->arena_cap, t->arena_n + n + 1, 1 << 16, 1)) == NULL)
		return MISSING;
	t->arena = p;
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
	size_t nmap = 0, i, e;
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
		if (reserve(t) != 0 || reserve_fields(t, rec.n < nmap ? rec.n : nmap) != 0)
			goto oom;
		its = -1;
		e = t->first[t->n];
		for (i = 0; i < rec.n && i < nmap; i++) {
			size_t at, j;

			if (map[i] == tcol)
				its = (int)i;
			if (rec.len[i] == 0 || rec.kind[i] == BESS_K_NULL)
				continue;
			if ((at = arena_add(t, rec.v[i], rec.len[i])) == MISSING)
				goto oom;
			/* in column order (a second file's columns may map out of order) */
			for (j = e; j > t->first[t->n] && t->e_col[j - 1] > map[i]; j--) {
				t->e_col[j] = t->e_col[j - 1];
				t->e_kind[j] = t->e_kind[j - 1];
				t->e_off[j] = t->e_off[j - 1];
			}
			t->e_col[j] = map[i];
			t->e_kind[j] = rec.kind[i];
			t->e_off[j] = at;
			e++;
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
		t->first[++t->n] = e;
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

/* The field of column col in row, by bisection over the row's sorted fields; MISSING if none. */
static size_t
field(const struct bess_table *t, size_t row, int col)
{
	size_t lo, hi;

	if (col < 0 || row >= t->n)
		return MISSING;
	lo = t->first[row];
	hi = t->first[row + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->e_col[mid] < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->first[row + 1] && t->e_col[lo] == col ? lo : MISSING;
}

const char *
bess_table_get(const struct bess_table *t, size_t row, int col)
{
	size_t f = field(t, row, col);

	return f == MISSING ? "" : t->arena + t->e_off[f];
}

enum bess_kind
bess_table_kind(const struct bess_table *t, size_t row, int col)
{
	size_t f = field(t, row, col);

	return f == MISSING ? BESS_K_NULL : (enum bess_kind)t->e_kind[f];
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
		rec->v[i] = "";
		rec->len[i] = 0;
		rec->kind[i] = BESS_K_NULL;
	}
	for (i = t->first[row]; i < t->first[row + 1]; i++) {
		size_t c = (size_t)t->e_col[i];

		rec->v[c] = t->arena + t->e_off[i];
		rec->len[c] = strlen(rec->v[c]);
		rec->kind[c] = t->e_kind[i];
	}
	rec->line = t->line[row];
	return 0;
}

int
bess_table_column(const struct bess_table *t, const char *name, double **out, int *idx,
    struct bess_err *err)
{
	int c = bess_table_col(t, name);

	*out = NULL;
	if (idx)
		*idx = c;
	if (c < 0)
		return 0;
	if ((*out = malloc((t->n + 1) * sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	return bess_table_num(t, c, *out, err);
}

int
bess_table_regular(const struct bess_table *t, long long *step_us, struct bess_err *err)
{
	if (t->n == 0)
		return bess_err_set(err, NULL, 0, "no records");
	if (bess_table_grid(t, step_us, err) != 0)
		return -1;
	if (t->n < 2)
		return bess_err_set(err, t->file[0], 0, "one record is not enough to know the step "
		    "(need two or more)");
	return 0;
}
