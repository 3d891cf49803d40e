/* ingest.c: map, convert, validate, order and de-duplicate input records into the canonical stream. */
#define _GNU_SOURCE		/* fopencookie */
#include <sys/stat.h>

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bess_grow.h"
#include "bess_blocks.h"
#include "bess_ingest.h"
#include "bess_names.h"
#include "bess_qty.h"

/* Where one input column goes and how its text is converted. */
struct colmap {
	int out;		/* output column, -1 = dropped */
	int conv;		/* 1: numeric value is scaled (scale, offset), 0: text kept */
	int check;		/* 1: must be a number (canonical numeric column) */
	int watch;		/* 1: magnitude checked (prices, percentages) */
	int per_rec;		/* 1: an energy to power over each record's own interval (a time range) */
	enum bess_dim dim;	/* the output column's dimension, 0 if none */
	double scale;		/* canonical = v * scale + offset */
	double offset;
};

struct input {
	struct bess_reader *r;	/* reader, header already read */
	FILE *fp;		/* what it reads */
	long long start_off;	/* offset of fp where the reader started, -1 unknown (a pipe) */
	char *name;		/* file name for messages */
	char *base;		/* base name without extension, for --file-tag */
	int time_idx;		/* time column in the input */
	int time2_idx;		/* a second column (clock time beside a date), -1 = none */
	int elapsed_idx;	/* elapsed-seconds column, -1 = none */
	int utc_decl;		/* 1: the time header declares UTC ("MTU (UTC)", "time_utc") */
	int *where_idx;		/* input column of each --where, in opts order */
	bess_time_t gprev;	/* time of the previous record read, any series */
	int unordered;		/* a record came before the one read before it */
	int multi;		/* records of more than one series were read */
	int key_in[2];		/* input columns of device and site, -1 none; key_n: for ncm */
	size_t key_n;
	char key0[256];		/* the first record's device and site */
	int have_key0;
	struct colmap *cm;	/* per input column */
	size_t ncm;
};

/* Magnitude checks per output column. */
struct magcheck {
	long long n;		/* numeric values seen */
	long long over;		/* of which look wrong */
	struct bess_err first;	/* where the first one was */
	double worst;		/* the most extreme value */
};

/* One series' ordering state (by device/site key). */
struct series {
	char *key;		/* "device\x1fsite", "" for the single series */
	bess_time_t first;	/* time of the first record emitted or held (--devices) */
	long long count;	/* records emitted or held (--devices) */
	bess_time_t last;	/* time of the last record emitted or held */
	long last_line;		/* and its line */
	const char *last_file;
};

/* A record copied out of the reader (sorting and duplicate merging). */
struct held {
	bess_time_t ts;
	long line;
	int input;
	char **v;		/* copied field texts (output columns) */
	unsigned char *kind;
	double *sum;		/* --dup mean: sums of numeric fields */
	long *cnt;		/* and their counts; -1 marks non-numeric */
	size_t n;
	char *key;
};

struct bess_ingest {
	struct bess_ingest_opts o;
	struct input *in;
	size_t nin;
	struct bess_schema out;		/* output columns */
	int dev_col, site_col;		/* output columns that make the series key, -1 = none */
	struct magcheck *mag;		/* per output column */
	size_t nmag;
	struct bess_rec rec;		/* output record being built */
	struct bess_rec hrec;		/* a held record being written */
	char *scratch;			/* texts of converted values */
	size_t scratch_cap;
	struct series *ser;		/* series seen */
	size_t nser, sercap;
	struct held *pend;		/* --dup last|mean: records of the current instant */
	size_t npend, pendcap;
	bess_time_t pend_ts;
	struct held *all;		/* --sort: every record */
	size_t nall, allcap;
	long long all_bytes;		/* --sort: what they take (held_bytes) */
	int elapsed_anchored;
	double elapsed0;
	bess_time_t anchor;
	struct bess_writer *w;
	struct bess_ingest_stats st;
	long line_base;			/* added to every line number (a block of a file read in parallel) */
	int stop;			/* stop reading this input (past --end); 2: stop reading at all (--limit) */
	int any;			/* a record was written: */
	bess_time_t first_ts;		/* the first one's time */
	long first_line;		/* and line */
	long long blk_done;		/* read in blocks: offset up to which records were written, else -1 */
	const long long *blk_pos;	/* ... the rest of the file by one reader: its offset, else NULL */
	char tsbuf[BESS_TIME_BUFSZ];
	char tjoin[256];			/* "date time" from two columns */
};

static const char *default_missing[] = {
	"N/A", "n/a", "NA", "NaN", "nan", "NAN", "null", "NULL", "None", "#N/A", "n/e", "-", NULL
};

/* Time column names, best first; a trailing "(...)" or "[...]" in a header is not compared. */
static const char *time_names[] = {
	"ts", "time", "timestamp", "datetime", "date_time", "date/time", "time_utc",
	"datetime_utc", "timestamp_utc", "utc", "measured_on", "interval_start",
	"period_start", "start", "mtu", NULL
};

/* Zones to suggest for a header's "(CET/CEST)"-style declaration. */
static const char *const zone_hint[][2] = {
	{ "CET/CEST", "Europe/Brussels" }, { "EET/EEST", "Europe/Helsinki" },
	{ "WET/WEST", "Europe/Lisbon" }, { "GMT/BST", "Europe/London" }, { NULL, NULL }
};

int
bess_kv_parse(const char *s, struct bess_kv *kv)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s)
		return -1;
	kv->key = strndup(s, (size_t)(eq - s));
	kv->value = strdup(eq + 1);
	if (!kv->key || !kv->value) {
		free(kv->key);
		free(kv->value);
		return -1;
	}
	return 0;
}

static int
in_list(char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

struct bess_ingest *
bess_ingest_new(const struct bess_ingest_opts *o, struct bess_err *err)
{
	struct bess_ingest *ig = calloc(1, sizeof(*ig));
	size_t i;

	if (ig == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		return NULL;
	}
	ig->o = *o;
	bess_schema_init(&ig->out);
	bess_rec_init(&ig->rec);
	bess_rec_init(&ig->hrec);
	ig->dev_col = ig->site_col = -1;
	ig->blk_done = -1;
	if (bess_schema_add(&ig->out, "ts") < 0)
		goto oom;
	for (i = 0; i < o->ntag; i++) {
		if (strcmp(o->tag[i].key, "ts") == 0) {
			bess_err_set(err, NULL, 0, "--tag: 'ts' is the time column");
			goto fail;
		}
		if (bess_schema_find(&ig->out, o->tag[i].key) >= 0) {
			bess_err_set(err, NULL, 0, "--tag: '%s' given twice", o->tag[i].key);
			goto fail;
		}
		if (bess_schema_add(&ig->out, o->tag[i].key) < 0)
			goto oom;
	}
	if (o->file_tag) {
		if (bess_schema_find(&ig->out, o->file_tag) >= 0) {
			bess_err_set(err, NULL, 0, "--file-tag: column '%s' is already a tag", o->file_tag);
			goto fail;
		}
		if (bess_schema_add(&ig->out, o->file_tag) < 0)
			goto oom;
	}
	for (i = 0; i < o->nmap; i++) {
		if (o->map[i].value[0] == '\0') {
			bess_err_set(err, NULL, 0, "--map %s=: the new name is empty", o->map[i].key);
			goto fail;
		}
	}
	for (i = 0; i < o->nunit; i++) {
		struct bess_unit u;
		char why[256];

		if (bess_unit_parse(o->unit[i].value, &u, why, sizeof(why)) != 0) {
			bess_err_set(err, NULL, 0, "--unit %s: %s", o->unit[i].key, why);
			goto fail;
		}
	}
	return ig;
oom:
	bess_err_set(err, NULL, 0, "out of memory");
fail:
	bess_ingest_free(ig);
	return NULL;
}

/* The output name of input column name (buf holds a canonical name taken from a header). */
static const char *
mapped(const struct bess_ingest *ig, const char *name, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < ig->o.nmap; i++)
		if (strcmp(ig->o.map[i].key, name) == 0)
			return ig->o.map[i].value;
	/* "Price (EUR/MWh)" is price: a canonical quantity named with its unit (bess(7)) */
	if (bess_column_from_header(name, buf, len) != NULL)
		return buf;
	return name;
}

static const char *
declared_unit(const struct bess_ingest *ig, const char *src, const char *dst)
{
	size_t i;

	for (i = 0; i < ig->o.nunit; i++)
		if (strcmp(ig->o.unit[i].key, dst) == 0)
			return ig->o.unit[i].value;
	for (i = 0; i < ig->o.nunit; i++)
		if (strcmp(ig->o.unit[i].key, src) == 0)
			return ig->o.unit[i].value;
	return NULL;
}

/* The unit in a header like "Price (EUR/MWh)" or "load [kWh]", copied into buf; NULL if none. */
static const char *
header_unit(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	const char *open;
	char close;

	if (n < 3)
		return NULL;
	close = name[n - 1];
	if (close != ')' && close != ']') {
		/* "Actual Total Load [MW] - BZN|DE-LU": the last [...] within the name */
		const char *end = strrchr(name, ']');

		open = end ? strrchr(name, '[') : NULL;
		if (open == NULL || open == name || open > end)
			return NULL;
		snprintf(buf, len, "%.*s", (int)(end - open - 1), open + 1);
		return buf;
	}
	open = strrchr(name, close == ')' ? '(' : '[');
	if (open == NULL || open == name)
		return NULL;
	snprintf(buf, len, "%.*s", (int)(name + n - 1 - open - 1), open + 1);
	return buf;
}

/* Work out how input column src, renamed dst, is converted. */
static int
plan_column(struct bess_ingest *ig, const struct input *in, const char *src, const char *dst,
    const char *aunit, struct colmap *cm, struct bess_err *err)
{
	enum bess_dim dim = bess_column_dim(dst);
	const char *ut = declared_unit(ig, src, dst);
	char hb[128], why[256];
	struct bess_unit u;
	int from_header = 0;

	cm->conv = 0;
	cm->per_rec = 0;
	cm->dim = dim;
	cm->check = dim != 0;
	cm->watch = dim == BESS_DIM_PRICE || dim == BESS_DIM_PERCENT;
	cm->scale = 1;
	cm->offset = 0;
	if (ut == NULL && dim != 0 && strcmp(src, dst) != 0) {
		ut = header_unit(src, hb, sizeof(hb));
		from_header = ut != NULL;
	}
	if (ut == NULL)
		ut = aunit;	/* the unit an alias's source is in (bess(7), NAME MAPPINGS) */
	if (ut == NULL) {
		if (ig->o.decimal_comma && dim != 0)
			cm->conv = 1;
		return 0;
	}
	if (dim == 0)
		return bess_err_set(err, in->name, 0, "--unit %s=%s: '%s' has no canonical "
		    "unit; rename it with a unit suffix (e.g. --map '%s=%s_kw')", src, ut, dst,
		    src, dst);
	if (bess_unit_parse(ut, &u, why, sizeof(why)) != 0) {
		if (from_header)
			return bess_err_set(err, in->name, 0, "cannot read the unit '%s' in column "
			    "'%s'; declare it with --unit '%s=UNIT'", ut, src, dst);
		return bess_err_set(err, in->name, 0, "%s", why);
	}
	if (u.dim == dim) {
		cm->scale = u.scale;
		cm->offset = u.offset;
	} else if (dim == BESS_DIM_POWER && u.dim == BESS_DIM_ENERGY) {
		/* without --interval, each record's time range gives it (checked per record) */
		cm->per_rec = ig->o.interval_us <= 0;
		cm->scale = cm->per_rec ? u.scale : u.scale / ((double)ig->o.interval_us / 3.6e9);
	} else if (dim == BESS_DIM_ENERGY && u.dim == BESS_DIM_PERCENT) {
		if (ig->o.capacity_kwh <= 0)
			return bess_err_set(err, in->name, 0, "column '%s' is in %% but '%s' is an "
			    "energy; give the battery's --capacity", src, dst);
		cm->scale = ig->o.capacity_kwh / 100;
	} else if (dim == BESS_DIM_PERCENT && u.dim == BESS_DIM_ENERGY) {
		if (ig->o.capacity_kwh <= 0)
			return bess_err_set(err, in->name, 0, "column '%s' is an energy but '%s' is "
			    "in %%; give the battery's --capacity", src, dst);
		cm->scale = u.scale * 100 / ig->o.capacity_kwh;
	} else
		return bess_err_set(err, in->name, 0, "column '%s' has unit '%s' (%s) but '%s' "
		    "is a %s", src, ut, bess_dim_name(u.dim), dst, bess_dim_name(dim));
	cm->conv = cm->scale != 1 || cm->offset != 0 || ig->o.decimal_comma || cm->per_rec;
	return 0;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t old = *cap;
	void *q;

	if ((q = bess_grow(*p, cap, need, 8, size)) == NULL)
		return -1;
	memset((char *)q + old * size, 0, (*cap - old) * size);
	*p = q;
	return 0;
}

/* Does some -m rename a column to dst, or is an input column named dst (as it is, or from its header)? */
static int
dst_taken(const struct bess_ingest *ig, const struct bess_schema *s, const char *dst)
{
	char canon[64];
	size_t i;

	for (i = 0; i < ig->o.nmap; i++)
		if (strcmp(ig->o.map[i].value, dst) == 0)
			return 1;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->name[i], dst) == 0 ||
		    strcmp(mapped(ig, s->name[i], canon, sizeof(canon)), dst) == 0)
			return 1;
	return 0;
}

/* Is input column name left as it is by -m and by the header rule (bess(7))? */
static int
unrenamed(const struct bess_ingest *ig, const char *name)
{
	char canon[64];

	return strcmp(mapped(ig, name, canon, sizeof(canon)), name) == 0;
}

/*
 * The alias of input column i (bess_names.h), when -m does not rename it,
 * no column is already called (or renamed to) the canonical name, and no
 * earlier column takes the same one; else NULL.
 */
static const struct bess_alias *
column_alias(const struct bess_ingest *ig, const struct bess_schema *s, size_t i)
{
	const struct bess_alias *a;
	size_t j;

	if (ig->o.names == 0 || !unrenamed(ig, s->name[i]) ||
	    (a = bess_alias_find(s->name[i], ig->o.names)) == NULL || dst_taken(ig, s, a->dst))
		return NULL;
	for (j = 0; j < i; j++) {
		const struct bess_alias *b = bess_alias_find(s->name[j], ig->o.names);

		if (b != NULL && strcmp(b->dst, a->dst) == 0 && unrenamed(ig, s->name[j]))
			return NULL;
	}
	return a;
}

static int map_new(struct bess_ingest *, struct input *, const struct bess_schema *, int *, size_t,
    int *, struct bess_err *);

/* FNV-1a of a column name, for map_columns' table. */
static size_t
name_hash(const char *p)
{
	size_t h = 2166136261u;

	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/*
 * The output column named name in ig->out, through the open-addressed
 * table tab (mask + 1 slots, each an index + 1, 0 empty); -1 if none.
 */
static int
out_find(const struct bess_ingest *ig, const int *tab, size_t mask, const char *name, size_t *slot)
{
	size_t h = name_hash(name) & mask;

	while (tab[h] != 0 && strcmp(ig->out.name[tab[h] - 1], name) != 0)
		h = (h + 1) & mask;
	*slot = h;
	return tab[h] - 1;
}

/*
 * Map input columns [in->ncm, schema n) to output columns (new NDJSON keys
 * included). Names are found through a hash table and clashes through the
 * owner of each output column, so a header of 10,000 columns costs one pass,
 * not 10,000 squared comparisons (each block of a -j run maps its header).
 */
static int
map_columns(struct bess_ingest *ig, struct input *in, struct bess_err *err)
{
	const struct bess_schema *s = bess_reader_schema(in->r);
	size_t i, cap = in->ncm, mask = 15, slot;
	int *tab = NULL, *owner = NULL, rc = -1;

	if (s->n <= in->ncm)
		return 0;
	if (grow((void **)&in->cm, &cap, s->n, sizeof(*in->cm)) != 0)
		return bess_err_set(err, in->name, 0, "out of memory");
	while (mask + 1 < 2 * (ig->out.n + s->n))
		mask = mask * 2 + 1;
	if ((tab = calloc(mask + 1, sizeof(*tab))) == NULL ||
	    (owner = malloc((ig->out.n + s->n + 1) * sizeof(*owner))) == NULL) {
		free(tab);
		return bess_err_set(err, in->name, 0, "out of memory");
	}
	for (i = 0; i < ig->out.n; i++) {
		if (out_find(ig, tab, mask, ig->out.name[i], &slot) < 0)
			tab[slot] = (int)i + 1;
		owner[i] = -1;
	}
	for (i = ig->out.n; i < ig->out.n + s->n + 1; i++)
		owner[i] = -1;
	for (i = 0; i < in->ncm; i++)
		if (in->cm[i].out >= 0 && owner[in->cm[i].out] < 0)
			owner[in->cm[i].out] = (int)i;
	rc = map_new(ig, in, s, tab, mask, owner, err);
	free(tab);
	free(owner);
	return rc;
}

/* map_columns' loop over the new input columns. */
static int
map_new(struct bess_ingest *ig, struct input *in, const struct bess_schema *s, int *tab,
    size_t mask, int *owner, struct bess_err *err)
{
	size_t i, slot;

	for (i = in->ncm; i < s->n; i++) {
		char canon[64];
		const char *src = s->name[i], *dst = mapped(ig, src, canon, sizeof(canon));
		const struct bess_alias *al = column_alias(ig, s, i);
		struct colmap *cm = &in->cm[i];
		int k;

		if (al != NULL)
			dst = al->dst;

		cm->out = -1;
		if ((int)i == in->time_idx && strcmp(dst, "ts") != 0 && in->elapsed_idx < 0)
			continue;
		if ((int)i == in->time_idx || (int)i == in->time2_idx)
			continue;
		if (strcmp(dst, "ts") == 0)
			return bess_err_set(err, in->name, 0, "column '%s' would be renamed 'ts', "
			    "but it is not the time column", src);
		if (ig->o.nkeep && !in_list(ig->o.keep, ig->o.nkeep, dst))
			continue;
		if (in_list(ig->o.drop, ig->o.ndrop, dst) || in_list(ig->o.drop, ig->o.ndrop, src))
			continue;
		if (plan_column(ig, in, src, dst, al ? al->unit : NULL, cm, err) != 0)
			return -1;
		k = out_find(ig, tab, mask, dst, &slot);
		if (k > 0 && (size_t)k < 1 + ig->o.ntag + (ig->o.file_tag != NULL))
			return bess_err_set(err, in->name, 0, "column '%s' is also a constant tag; "
			    "drop one of them", dst);
		if (k < 0) {
			if ((k = bess_schema_add(&ig->out, dst)) < 0)
				return bess_err_set(err, in->name, 0, "out of memory");
			tab[slot] = k + 1;
		}
		/* two input columns of one file onto one output column */
		if (owner[k] >= 0)
			return bess_err_set(err, in->name, 0, "columns '%s' and '%s' both become "
			    "'%s'", s->name[owner[k]], src, dst);
		owner[k] = (int)i;
		cm->out = k;
	}
	in->ncm = s->n;
	return 0;
}

/* 1 when header h is name, alone or with a bracketed note: "MTU (UTC)", "DateTime(UTC)". */
static int
header_is(const char *h, const char *name)
{
	size_t n = strlen(name), m;
	const char *p;

	if (strncasecmp(h, name, n) != 0)
		return 0;
	if (h[n] == '\0')
		return 1;
	p = h + n + strspn(h + n, " ");
	m = strlen(p);
	return m >= 2 && ((p[0] == '(' && p[m - 1] == ')') || (p[0] == '[' && p[m - 1] == ']')) &&
	    strpbrk(p + 1, "()[]") == p + m - 1;
}

/* 1 when s is "ABBR" or "ABBR/ABBR...": 2 to 6 capital letters each ("CET/CEST"). */
static int
abbr_list(const char *s)
{
	size_t k;

	for (;;) {
		for (k = 0; s[k] >= 'A' && s[k] <= 'Z'; k++)
			;
		if (k < 2 || k > 6)
			return 0;
		s += k;
		if (*s == '\0')
			return 1;
		if (*s++ != '/')
			return 0;
	}
}

/*
 * What the time header declares: UTC ("MTU (UTC)", "DateTime(UTC)",
 * "time_utc") makes naive times UTC, and contradicts a --tz zone that is
 * not UTC; local zone abbreviations ("MTU (CET/CEST)") need --tz (or
 * --utc), and the zone must show them.
 */
static int
time_decl(struct bess_ingest *ig, struct input *in, struct bess_err *err)
{
	const char *h = bess_reader_schema(in->r)->name[in->time_idx];
	const struct bess_tparse *tp = &ig->o.tp;
	char d[128], *a, *save = NULL;
	size_t n = strlen(h);
	int i;

	in->utc_decl = 0;
	if (tp->epoch_unit != 0 || in->time2_idx >= 0 || in->elapsed_idx >= 0)
		return 0;
	if (header_unit(h, d, sizeof(d)) != NULL) {
		if (strcasecmp(d, "UTC") == 0 || strcasecmp(d, "GMT") == 0 || strcmp(d, "Z") == 0)
			in->utc_decl = 1;
		else if (!abbr_list(d))
			return 0;
	} else if (strcasecmp(h, "utc") == 0 || (n > 4 && strcasecmp(h + n - 4, "_utc") == 0))
		in->utc_decl = 1;
	else
		return 0;
	if (in->utc_decl) {
		if (tp->tz != NULL && !bess_tz_is_utc(tp->tz))
			return bess_err_set(err, in->name, 0, "column '%s' declares UTC times, but "
			    "--tz %s says they are local; leave out --tz", h, bess_tz_name(tp->tz));
		return 0;
	}
	if (tp->tz == NULL) {
		if (tp->naive_utc)
			return 0;
		for (i = 0; zone_hint[i][0] && strcmp(zone_hint[i][0], d) != 0; i++)
			;
		if (zone_hint[i][0])
			return bess_err_set(err, in->name, 0, "column '%s' holds %s local times; "
			    "add --tz ZONE (e.g. --tz %s)", h, d, zone_hint[i][1]);
		return bess_err_set(err, in->name, 0, "column '%s' holds %s local times; add "
		    "--tz ZONE, the IANA zone that shows %s", h, d, d);
	}
	for (a = strtok_r(d, "/", &save); a != NULL; a = strtok_r(NULL, "/", &save))
		if (!bess_tz_knows_abbr(tp->tz, a, strlen(a)))
			return bess_err_set(err, in->name, 0, "column '%s' declares %s, but "
			    "--tz %s never shows %s", h, a, bess_tz_name(tp->tz), a);
	return 0;
}

/* Find the time column of an input. */
static int
find_time(struct bess_ingest *ig, struct input *in, struct bess_err *err)
{
	const struct bess_schema *s = bess_reader_schema(in->r);
	const char *want = ig->o.time_col;
	size_t i, k;

	in->elapsed_idx = -1;
	in->time2_idx = -1;
	if (ig->o.elapsed_col) {
		int e = bess_schema_find(s, ig->o.elapsed_col);

		if (e < 0)
			return bess_err_set(err, in->name, 0, "no column '%s' (--elapsed)",
			    ig->o.elapsed_col);
		in->elapsed_idx = e;
	}
	if (want) {
		char *end;
		long n = strtol(want, &end, 10);
		int f = bess_schema_find(s, want);

		if (f < 0 && *end == '\0' && n >= 1 && (size_t)n <= s->n && bess_reader_format(in->r) == BESS_FMT_CSV)
			f = (int)n - 1;
		if (f < 0 && bess_reader_format(in->r) == BESS_FMT_NDJSON) {
			in->time_idx = bess_schema_add((struct bess_schema *)s, want);
			return in->time_idx < 0 ? bess_err_set(err, in->name, 0, "out of memory") : 0;
		}
		if (f < 0 && strchr(want, ',') != NULL) {
			/* "Date,Time": a date column and a clock column, read joined by a space */
			const char *comma = strchr(want, ',');
			char first[512];
			int g;

			snprintf(first, sizeof(first), "%.*s", (int)(comma - want), want);
			f = bess_schema_find(s, first);
			g = bess_schema_find(s, comma + 1);
			if (f < 0 || g < 0)
				return bess_err_set(err, in->name, 0, "no column '%s' (--time-col)",
				    f < 0 ? first : comma + 1);
			in->time2_idx = g;
		}
		if (f < 0)
			return bess_err_set(err, in->name, 0, "no column '%s' (--time-col)", want);
		in->time_idx = f;
		return time_decl(ig, in, err);
	}
	for (k = 0; time_names[k]; k++)
		for (i = 0; i < s->n; i++) {
			if (header_is(s->name[i], time_names[k])) {
				in->time_idx = (int)i;
				return time_decl(ig, in, err);
			}
		}
	if (bess_reader_format(in->r) == BESS_FMT_NDJSON && s->n == 0) {
		/* keys are not known yet: expect the canonical name */
		in->time_idx = bess_schema_add((struct bess_schema *)s, "ts");
		return 0;
	}
	if (s->n == 0)
		return bess_err_set(err, in->name, 0, "empty input: no header line");
	{
		char list[512];
		size_t n = 0;

		list[0] = '\0';
		for (i = 0; i < s->n && n < sizeof(list) - 40; i++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s'%s'", i ? ", " : "",
			    s->name[i]);
		return bess_err_set(err, in->name, 0, "no time column among %s; name it with "
		    "--time-col NAME or a 1-based number", list);
	}
}

/* The input column a --where names: its source name, else its mapped name. */
static int
where_col(struct bess_ingest *ig, struct input *in, const char *key, struct bess_err *err)
{
	struct bess_schema *s = (struct bess_schema *)bess_reader_schema(in->r);
	int f = bess_schema_find(s, key);
	char canon[64];
	size_t i;

	for (i = 0; f < 0 && i < s->n; i++) {
		const struct bess_alias *al = column_alias(ig, s, i);

		if (strcmp(al ? al->dst : mapped(ig, s->name[i], canon, sizeof(canon)), key) == 0)
			f = (int)i;
	}
	if (f < 0 && bess_reader_format(in->r) == BESS_FMT_NDJSON)
		f = bess_schema_add(s, key);	/* a key not seen yet */
	if (f < 0)
		return bess_err_set(err, in->name, 0, "no column '%s' (--where)", key);
	return f;
}

int
bess_ingest_add(struct bess_ingest *ig, FILE *fp, const char *name, struct bess_err *err)
{
	struct input *in;
	const char *slash, *dot;
	size_t cap = ig->nin;

	if (grow((void **)&ig->in, &cap, ig->nin + 1, sizeof(*ig->in)) != 0)
		return bess_err_set(err, name, 0, "out of memory");
	in = &ig->in[ig->nin];
	memset(in, 0, sizeof(*in));
	in->name = strdup(name);
	slash = strrchr(name, '/');
	in->base = strdup(slash ? slash + 1 : name);
	if (!in->name || !in->base)
		return bess_err_set(err, name, 0, "out of memory");
	if ((dot = strchr(in->base, '.')) != NULL && dot != in->base)
		in->base[dot - in->base] = '\0';
	ig->nin++;
	in->fp = fp;
	in->start_off = fp != NULL ? (long long)ftello(fp) : -1;	/* -1 for a pipe */
	if ((in->r = bess_reader_open(fp, name, &ig->o.rd, err)) == NULL)
		return -1;
	if (find_time(ig, in, err) != 0)
		return -1;
	if (ig->o.nwhere && (in->where_idx = calloc(ig->o.nwhere, sizeof(int))) == NULL)
		return bess_err_set(err, name, 0, "out of memory");
	for (size_t w = 0; w < ig->o.nwhere; w++)
		if ((in->where_idx[w] = where_col(ig, in, ig->o.where[w].key, err)) < 0)
			return -1;
	return map_columns(ig, in, err);
}

/* Is text one of the "missing" spellings? */
static int
is_missing(const struct bess_ingest *ig, const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	if (ig->o.missing == NULL && (n > 4 || !(s[0] == 'N' || s[0] == 'n' || s[0] == '#' || (s[0] == '-' && n == 1))))
		return 0;
	if (ig->o.missing) {
		for (i = 0; i < ig->o.nmissing; i++)
			if (strlen(ig->o.missing[i]) == n && memcmp(ig->o.missing[i], s, n) == 0)
				return 1;
		return 0;
	}
	if (n > 4 || !(s[0] == 'N' || s[0] == 'n' || s[0] == '#' || (s[0] == '-' && n == 1)))
		return 0;
	for (i = 0; default_missing[i]; i++)
		if (strlen(default_missing[i]) == n && memcmp(default_missing[i], s, n) == 0)
			return 1;
	return 0;
}

static void
mag_note(struct bess_ingest *ig, size_t col, enum bess_dim dim, double v, const struct input *in,
    long line)
{
	struct magcheck *m;
	int bad = 0;

	if (dim != BESS_DIM_PRICE && dim != BESS_DIM_PERCENT)
		return;
	if (col >= ig->nmag) {
		size_t cap = ig->nmag;

		if (grow((void **)&ig->mag, &cap, ig->out.n, sizeof(*ig->mag)) != 0)
			return;
		ig->nmag = cap;
	}
	m = &ig->mag[col];
	m->n++;
	if (dim == BESS_DIM_PRICE)
		bad = fabs(v) > 5;
	else
		bad = v > 100.5 || v < -0.5;
	if (bad) {
		if (m->over++ == 0)
			bess_err_set(&m->first, in->name, line, "%s", "");
		if (fabs(v) > fabs(m->worst))
			m->worst = v;
	}
}

static void
mag_report(struct bess_ingest *ig)
{
	size_t i;
	char num[32];

	for (i = 0; i < ig->nmag && ig->o.warn; i++) {
		struct magcheck *m = &ig->mag[i];
		struct bess_err w;
		enum bess_dim dim;

		if (m->over == 0)
			continue;
		dim = bess_column_dim(ig->out.name[i]);
		bess_fmt_num(m->worst, num);
		if (dim == BESS_DIM_PRICE && m->over * 2 > m->n)
			bess_err_set(&w, m->first.file, m->first.line, "column '%s': %lld of %lld "
			    "prices exceed 5 per kWh (up to %s); are they per MWh? declare the unit, "
			    "e.g. --unit '%s=EUR/MWh'", ig->out.name[i], m->over, m->n, num,
			    ig->out.name[i]);
		else if (dim == BESS_DIM_PERCENT)
			bess_err_set(&w, m->first.file, m->first.line, "column '%s': %lld value%s "
			    "outside 0-100%% (e.g. %s); is it an energy? map it to an _kwh column",
			    ig->out.name[i], m->over, m->over == 1 ? "" : "s", num);
		else
			continue;
		ig->o.warn(ig->o.warn_ctx, &w);
	}
}

/* Format a converted number with 12 significant digits, trimmed. */
static int
fmt_conv(double v, char *buf)
{
	char tmp[40];
	double r;

	snprintf(tmp, sizeof(tmp), "%.12g", v);
	r = strtod(tmp, NULL);
	return bess_fmt_num(r, buf);
}

/* The series state for a key; NULL when out of memory. */
static struct series *
series_for(struct bess_ingest *ig, const char *key)
{
	size_t i;

	for (i = 0; i < ig->nser; i++)
		if (strcmp(ig->ser[i].key, key) == 0)
			return &ig->ser[i];
	if (grow((void **)&ig->ser, &ig->sercap, ig->nser + 1, sizeof(*ig->ser)) != 0)
		return NULL;
	ig->ser[ig->nser].key = strdup(key);
	if (ig->ser[ig->nser].key == NULL)
		return NULL;
	ig->ser[ig->nser].last = INT64_MIN;
	return &ig->ser[ig->nser++];
}

static void
make_key(const struct bess_ingest *ig, const struct bess_rec *r, char *key, size_t len)
{
	const char *d = ig->dev_col >= 0 && (size_t)ig->dev_col < r->n ? r->v[ig->dev_col] : "";
	const char *s = ig->site_col >= 0 && (size_t)ig->site_col < r->n ? r->v[ig->site_col] : "";

	snprintf(key, len, "%s\x1f%s", d, s);
}

/*
 * What held_copy of r takes, allocator overhead included (glibc: 16-byte chunks with 8 bytes
 * of header), and the record's slot in the array: what --sort's memory bound counts.
 */
static long long
held_bytes(const struct bess_rec *r)
{
#define CHUNK(n) ((((size_t)(n) + 8 + 15) & ~(size_t)15) < 32 ? 32 : (((size_t)(n) + 8 + 15) & ~(size_t)15))
	size_t i, b = 2 * sizeof(struct held) /* the array doubles */ + CHUNK((r->n + 1) * sizeof(char *)) + CHUNK(r->n + 1) +
	    CHUNK(1);

	for (i = 0; i < r->n; i++)
		b += CHUNK(r->len[i] + 1);
	return (long long)b;
#undef CHUNK
}

static void
held_free(struct held *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->v[i]);
	free(h->v);
	free(h->kind);
	free(h->sum);
	free(h->cnt);
	free(h->key);
	memset(h, 0, sizeof(*h));
}

static int
held_copy(struct held *h, const struct bess_rec *r, bess_time_t ts, long line, int input,
    const char *key, int sums)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->ts = ts;
	h->line = line;
	h->input = input;
	h->n = r->n;
	h->v = calloc(r->n + 1, sizeof(*h->v));
	h->kind = malloc(r->n + 1);
	h->key = strdup(key);
	if (!h->v || !h->kind || !h->key)
		return -1;
	for (i = 0; i < r->n; i++) {
		if ((h->v[i] = strndup(r->v[i], r->len[i])) == NULL)
			return -1;
		h->kind[i] = r->kind[i];
	}
	if (sums) {
		h->sum = calloc(r->n + 1, sizeof(*h->sum));
		h->cnt = calloc(r->n + 1, sizeof(*h->cnt));
		if (!h->sum || !h->cnt)
			return -1;
		for (i = 0; i < r->n; i++) {
			double v;
			int rc = bess_rec_num(r, (int)i, &v);

			if (i == 0 || rc < 0)
				h->cnt[i] = -1;
			else if (rc == 0) {
				h->sum[i] = v;
				h->cnt[i] = 1;
			}
		}
	}
	return 0;
}

/* Write one output record, after --offset and up to --limit (which then stops the reading). */
static int
put(struct bess_ingest *ig, const struct bess_rec *rec, struct bess_err *err)
{
	if (ig->st.paged < ig->o.offset) {
		ig->st.paged++;
		return 0;
	}
	if (ig->o.limit > 0 && ig->st.out >= ig->o.limit) {
		ig->stop = 2;
		return 0;
	}
	if (bess_writer_write(ig->w, &ig->out, rec, err) != 0)
		return -1;
	if (++ig->st.out == ig->o.limit) {
		ig->stop = 2;	/* nothing more will be written: stop reading now */
		ig->st.stopped_early = 1;
	}
	return 0;
}

static int
write_held(struct bess_ingest *ig, struct held *h, struct bess_err *err)
{
	char (*num)[32] = NULL;
	size_t i;
	int rc;

	if (bess_rec_resize(&ig->hrec, ig->out.n) != 0)
		return bess_err_set(err, NULL, 0, "out of memory");
	if (h->sum && (num = calloc(h->n + 1, sizeof(*num))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (i = 0; i < ig->out.n; i++) {
		if (i >= h->n) {
			bess_rec_set(&ig->hrec, i, "", BESS_K_NULL);
			continue;
		}
		if (h->sum && h->cnt[i] > 0) {
			fmt_conv(h->sum[i] / (double)h->cnt[i], num[i]);
			bess_rec_set(&ig->hrec, i, num[i], BESS_K_NUM);
		} else
			bess_rec_set(&ig->hrec, i, h->v[i], (enum bess_kind)h->kind[i]);
	}
	ig->hrec.line = h->line;
	rc = put(ig, &ig->hrec, err);
	free(num);
	if (rc != 0 && err->file[0] == '\0' && h->input >= 0)
		snprintf(err->file, sizeof(err->file), "%s", ig->in[h->input].name);
	return rc;
}

static int
flush_pending(struct bess_ingest *ig, struct bess_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < ig->npend; i++) {
		if (rc == 0)
			rc = write_held(ig, &ig->pend[i], err);
		held_free(&ig->pend[i]);
	}
	ig->npend = 0;
	return rc;
}

/* A record at ts after series s's last one: 1 (err set) if out of order, or a duplicate under --dup error. */
/* An input column of input k, not the device already, whose name says it identifies a device; NULL if none. */
static const char *
id_column(const struct bess_ingest *ig, int k)
{
	const struct input *in;
	const struct bess_schema *s;
	size_t i;

	if (k < 0 || ig->dev_col >= 0)
		return NULL;
	in = &ig->in[k];
	s = bess_reader_schema(in->r);
	for (i = 0; i < s->n; i++)
		if ((int)i != in->time_idx && (int)i != in->time2_idx && strcmp(s->name[i], "device") != 0 &&
		    bess_names_id_like(s->name[i]))
			return s->name[i];
	return NULL;
}

static int
order_error(const struct bess_ingest *ig, const struct series *s, bess_time_t ts, const char *file,
    long line, struct bess_err *err)
{
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];

	if (s->last == INT64_MIN || ts > s->last)
		return 0;
	if (ts < s->last)
		bess_err_set(err, file, line, "time %s is before the previous record's %s "
		    "(%s:%ld); sort the input first or add --sort", bess_time_format(ts, a),
		    bess_time_format(s->last, b), s->last_file ? s->last_file : "", s->last_line);
	else if (ig->o.dup == BESS_DUP_ERROR)
		bess_err_set(err, file, line, "duplicate time %s (also at %s:%ld); "
		    "choose --dup first|last|mean|keep", bess_time_format(ts, a),
		    s->last_file ? s->last_file : "", s->last_line);
	else
		return 0;
	return 1;
}

/*
 * Order and duplicate checks, then write (or hold) one record whose output
 * fields are in ig->rec. from_held: the record is a sorted, owned copy.
 */
static int
emit(struct bess_ingest *ig, bess_time_t ts, int input, long line, struct bess_err *err)
{
	struct series *s;
	char key[512], a[BESS_TIME_BUFSZ];
	const char *file = input >= 0 ? ig->in[input].name : NULL;
	int hold = ig->o.dup == BESS_DUP_LAST || ig->o.dup == BESS_DUP_MEAN;
	size_t i;

	if (ig->dev_col < 0 && ig->site_col < 0 && ig->nser == 1) {
		s = &ig->ser[0];	/* one series: no key to build */
		key[0] = '\x1f';
		key[1] = '\0';
	} else {
		make_key(ig, &ig->rec, key, sizeof(key));
		s = series_for(ig, key);
	}
	if (s == NULL)
		return bess_err_set(err, file, line, "out of memory");
	if (order_error(ig, s, ts, file, line, err)) {
		const char *idc;

		if (ts == s->last && (idc = id_column(ig, input)) != NULL)
			bess_err_set(err, file, line, "duplicate time %s (also at %s:%ld); column "
			    "'%s' looks like a device id: -m '%s=device' makes each device its own "
			    "series (or choose --dup first|last|mean|keep)", bess_time_format(ts, a),
			    s->last_file ? s->last_file : "", s->last_line, idc, idc);
		return -1;
	}
	if (s->last != INT64_MIN && ts == s->last) {
		switch (ig->o.dup) {
		case BESS_DUP_ERROR:	/* order_error said so */
		case BESS_DUP_FIRST:
			ig->st.merged++;
			return 0;
		case BESS_DUP_KEEP:
			break;
		case BESS_DUP_LAST:
		case BESS_DUP_MEAN:
			for (i = 0; i < ig->npend; i++)
				if (strcmp(ig->pend[i].key, key) == 0)
					break;
			if (i == ig->npend)
				return bess_err_set(err, file, line, "duplicate time %s is not next to "
				    "its twin (%s:%ld); add --sort", bess_time_format(ts, a),
				    s->last_file ? s->last_file : "", s->last_line);
			ig->st.merged++;
			if (ig->o.dup == BESS_DUP_LAST) {
				held_free(&ig->pend[i]);
				if (held_copy(&ig->pend[i], &ig->rec, ts, line, input, key, 0) != 0)
					return bess_err_set(err, file, line, "out of memory");
			} else {
				struct held *h = &ig->pend[i];
				size_t k;

				for (k = 1; k < h->n && k < ig->rec.n; k++) {
					double v;
					int rc = bess_rec_num(&ig->rec, (int)k, &v);

					if (h->cnt[k] < 0)
						continue;
					if (rc < 0)
						h->cnt[k] = -1;
					else if (rc == 0) {
						h->sum[k] += v;
						h->cnt[k]++;
					}
				}
			}
			return 0;
		}
	}
	s->last = ts;
	s->last_line = line;
	s->last_file = file;
	if (!ig->any) {
		ig->any = 1;
		ig->first_ts = ts;
		ig->first_line = line;
	}
	if (s->count++ == 0)
		s->first = ts;
	if (ig->o.list_devices)
		return 0;	/* the series' first, last and count are the output */
	if (!hold) {
		int rc = put(ig, &ig->rec, err);

		if (rc != 0 && err->file[0] == '\0')
			snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
		return rc;
	}
	if (ig->npend > 0 && ts != ig->pend_ts && flush_pending(ig, err) != 0)
		return -1;
	if (grow((void **)&ig->pend, &ig->pendcap, ig->npend + 1, sizeof(*ig->pend)) != 0 ||
	    held_copy(&ig->pend[ig->npend], &ig->rec, ts, line, input, key,
	    ig->o.dup == BESS_DUP_MEAN) != 0)
		return bess_err_set(err, file, line, "out of memory");
	ig->npend++;
	ig->pend_ts = ts;
	return 0;
}

/*
 * A whole number of 9 to 20 digits read as a time: "0: seconds",
 * "1: milliseconds", "2: microseconds" or "3: nanoseconds" by its length
 * (InfluxDB's CSV export writes 19 digits of ns); NULL if it is not one.
 */
static const char *
epoch_hint(const char *s, size_t n)
{
	static const char *const what[] = {
		"0: seconds", "1: milliseconds", "2: microseconds", "3: nanoseconds"
	};
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return NULL;
	if (n < 9 || n > 20)
		return NULL;
	return what[n <= 11 ? 0 : n <= 14 ? 1 : n <= 17 ? 2 : 3];
}

/*
 * Keep track, for --end, of whether input in has been in time order over
 * all its records and has shown more than one series (device, site).
 */
static void
track_order(struct bess_ingest *ig, struct input *in, const struct bess_rec *r, bess_time_t ts)
{
	char key[256];
	size_t i, k;

	if (in->have_key0 && ts < in->gprev)
		in->unordered = 1;
	in->gprev = ts;
	if (in->key_n != in->ncm || !in->have_key0) {
		/* the input columns that become device and site (NDJSON keys may come late) */
		in->key_in[0] = in->key_in[1] = -1;
		for (i = 0; i < in->ncm; i++)
			for (k = 0; k < 2; k++)
				if (in->cm[i].out >= 0 && in->cm[i].out == (k ? ig->site_col : ig->dev_col))
					in->key_in[k] = (int)i;
		in->key_n = in->ncm;
	}
	if (in->multi || (in->key_in[0] < 0 && in->key_in[1] < 0)) {
		in->have_key0 = 1;
		return;
	}
	snprintf(key, sizeof(key), "%s\x1f%s",
	    in->key_in[0] >= 0 && (size_t)in->key_in[0] < r->n ? r->v[in->key_in[0]] : "",
	    in->key_in[1] >= 0 && (size_t)in->key_in[1] < r->n ? r->v[in->key_in[1]] : "");
	if (!in->have_key0) {
		memcpy(in->key0, key, sizeof(key));
		in->have_key0 = 1;
	} else if (strcmp(key, in->key0) != 0)
		in->multi = 1;
}

/*
 * Build the output record from an input record: 0 ready, 1 filtered out,
 * -1 error (a bad record).
 */
static int
build(struct bess_ingest *ig, int k, const struct bess_rec *r, bess_time_t *ts,
    struct bess_err *err)
{
	struct input *in = &ig->in[k];
	const struct bess_tparse *tp = &ig->o.tp;
	struct bess_tparse utp;
	const char *tv;
	size_t tl, i, need, used = 0;
	bess_time_t tend = INT64_MIN;
	double per_h = 0;	/* the record's own interval in hours, from a time range */
	char why[256];
	int rc;

	for (i = 0; i < ig->o.nwhere; i++) {
		size_t c = (size_t)in->where_idx[i], n = strlen(ig->o.where[i].value);

		if (c >= r->n || r->len[c] != n || memcmp(r->v[c], ig->o.where[i].value, n) != 0) {
			ig->st.filtered++;
			return 1;
		}
	}
	if ((size_t)in->time_idx >= r->n || is_missing(ig, r->v[in->time_idx], r->len[in->time_idx]))
		return bess_err_set(err, in->name, r->line, "missing time in column '%s'",
		    bess_reader_schema(in->r)->name[in->time_idx]);
	tv = r->v[in->time_idx];
	tl = r->len[in->time_idx];
	if (in->time2_idx >= 0) {
		size_t t2 = (size_t)in->time2_idx < r->n ? r->len[in->time2_idx] : 0;

		if (tl + t2 + 2 > sizeof(ig->tjoin))
			return bess_err_set(err, in->name, r->line, "time too long");
		memcpy(ig->tjoin, tv, tl);
		ig->tjoin[tl] = ' ';
		if (t2)
			memcpy(ig->tjoin + tl + 1, r->v[in->time2_idx], t2);
		tl += 1 + t2;
		ig->tjoin[tl] = '\0';
		tv = ig->tjoin;
	}
	if (in->elapsed_idx >= 0 && ig->elapsed_anchored) {
		rc = BESS_TP_OK;
	} else {
		if (in->utc_decl) {
			utp = *tp;
			utp.tz = NULL;
			utp.naive_utc = 1;
			tp = &utp;
		}
		rc = bess_time_parse_range(tv, tl, tp, ts, &tend, why, sizeof(why));
		if (rc == BESS_TP_ERR && tp->epoch_unit == 0 && epoch_hint(tv, tl) != NULL)
			return bess_err_set(err, in->name, r->line, "column '%s': '%.*s' looks like "
			    "%s since 1970; add --epoch %s",
			    bess_reader_schema(in->r)->name[in->time_idx], (int)tl, tv,
			    epoch_hint(tv, tl) + 3, (const char[][3]){ "s", "ms", "us", "ns" }
			    [*epoch_hint(tv, tl) - '0']);
		if (rc == BESS_TP_ERR)
			return bess_err_set(err, in->name, r->line, "column '%s': %s",
			    bess_reader_schema(in->r)->name[in->time_idx], why);
		if (rc == BESS_TP_SKIP) {
			ig->st.filtered++;
			return 1;
		}
		if (tend != INT64_MIN && ig->o.label_shift_us > 0)
			return bess_err_set(err, in->name, r->line, "column '%s': '%.*s' is an "
			    "interval with its start first; leave out --label end",
			    bess_reader_schema(in->r)->name[in->time_idx], (int)(tl > 80 ? 80 : tl), tv);
		if (tend != INT64_MIN)
			per_h = (double)(tend - *ts) / 3.6e9;
	}
	if (in->elapsed_idx >= 0) {
		double e;

		if (bess_rec_num(r, in->elapsed_idx, &e) != 0)
			return bess_err_set(err, in->name, r->line, "column '%s': '%s' is not a "
			    "number of seconds", ig->o.elapsed_col, r->v[in->elapsed_idx]);
		if (!ig->elapsed_anchored) {
			ig->elapsed_anchored = 1;
			ig->elapsed0 = e;
			ig->anchor = *ts;
		}
		if (!(fabs(e - ig->elapsed0) < 4e11))	/* 12700 years: no overflow below */
			goto out_of_range;
		*ts = ig->anchor + (bess_time_t)llround((e - ig->elapsed0) * 1e6);
	}
	/* shifted or elapsed times stay where RFC 3339 can write them */
	if (*ts - bess_days_from_civil(0, 1, 1) * 86400 * BESS_US_PER_S < ig->o.label_shift_us ||
	    *ts >= bess_days_from_civil(10000, 1, 1) * 86400 * BESS_US_PER_S)
		goto out_of_range;
	*ts -= ig->o.label_shift_us;
	ig->o.tp.prev = *ts;
	if (ig->o.have_end && !ig->o.sort)
		track_order(ig, in, r, *ts);
	if ((ig->o.have_begin && *ts < ig->o.begin) || (ig->o.have_end && *ts >= ig->o.end)) {
		ig->st.filtered++;
		/*
		 * Past --end in an input that has been in time order, one series
		 * or several interleaved: nothing later can fall in the window.
		 */
		if (ig->o.have_end && *ts >= ig->o.end && !ig->o.sort && !in->unordered &&
		    (in->multi || (in->key_in[0] < 0 && in->key_in[1] < 0)))
			ig->stop = 1;
		return 1;
	}
	if (bess_rec_resize(&ig->rec, ig->out.n) != 0)
		return bess_err_set(err, in->name, r->line, "out of memory");
	for (i = 0; i < ig->out.n; i++) {
		ig->rec.v[i] = "";
		ig->rec.len[i] = 0;
		ig->rec.kind[i] = BESS_K_NULL;
	}
	need = (r->n + 2) * 32;
	if (need > ig->scratch_cap) {
		char *p = realloc(ig->scratch, need);

		if (p == NULL)
			return bess_err_set(err, in->name, r->line, "out of memory");
		ig->scratch = p;
		ig->scratch_cap = need;
	}
	if (tl == 20 && tv[10] == 'T' && tv[19] == 'Z' && in->elapsed_idx < 0 &&
	    ig->o.label_shift_us == 0) {
		ig->rec.v[0] = tv;	/* already canonical: parsed, valid, same text */
		ig->rec.len[0] = tl;
	} else {
		ig->rec.v[0] = bess_time_format(*ts, ig->tsbuf);
		ig->rec.len[0] = strlen(ig->tsbuf);
	}
	ig->rec.kind[0] = BESS_K_STR;
	for (i = 0; i < ig->o.ntag; i++)
		bess_rec_set(&ig->rec, 1 + i, ig->o.tag[i].value, BESS_K_AUTO);
	if (ig->o.file_tag)
		bess_rec_set(&ig->rec, 1 + ig->o.ntag, in->base, BESS_K_STR);
	for (i = 0; i < r->n && i < in->ncm; i++) {
		const struct colmap *cm = &in->cm[i];
		const char *v = r->v[i];
		size_t n = r->len[i];
		double x;

		if (cm->out < 0)
			continue;
		if (r->kind[i] == BESS_K_NULL || n == 0 || ((n <= 4 || ig->o.missing) &&
		    is_missing(ig, v, n)))
			continue;
		if (cm->check) {
			int sc = r->kind[i] == BESS_K_NUM ? 1 : bess_num_scan(v, n, ig->o.decimal_comma);

			if (sc == 0)
				goto not_number;
			if (cm->conv || cm->watch || sc == 2) {
				if (bess_num_parse(v, n, ig->o.decimal_comma, &x) != 0)
					goto not_number;
				if (cm->per_rec) {
					if (per_h <= 0)
						return bess_err_set(err, in->name, r->line, "column '%s' is "
						    "an energy but '%s' is a power; give the interval each "
						    "value covers (--interval 1h), as a time range 'START - END' "
						    "or map it to an _kwh column",
						    bess_reader_schema(in->r)->name[i], ig->out.name[cm->out]);
					x /= per_h;
				}
				if (cm->conv)
					x = x * cm->scale + cm->offset;
				if (!isfinite(x))	/* 1e308 MW in kW */
					return bess_err_set(err, in->name, r->line, "column '%s': "
					    "'%.*s' is out of range once converted",
					    bess_reader_schema(in->r)->name[i], (int)(n > 40 ? 40 : n), v);
				if (cm->conv || sc == 2) {
					fmt_conv(x, ig->scratch + used);
					v = ig->scratch + used;
					n = strlen(v);
					used += n + 1;
				}
				if (cm->watch)
					mag_note(ig, (size_t)cm->out, cm->dim, x, in, r->line);
			}
			ig->rec.v[cm->out] = v;
			ig->rec.len[cm->out] = n;
			ig->rec.kind[cm->out] = BESS_K_NUM;
			continue;
		}
		ig->rec.v[cm->out] = v;
		ig->rec.len[cm->out] = n;
		ig->rec.kind[cm->out] = r->kind[i];
	}
	if (ig->o.ndevice) {
		int d = bess_schema_find(&ig->out, "device");
		char dev[256];

		if (d < 0)
			return bess_err_set(err, in->name, r->line, "--device: no 'device' column");
		snprintf(dev, sizeof(dev), "%.*s", (int)ig->rec.len[d], ig->rec.v[d]);
		if (!in_list(ig->o.device, ig->o.ndevice, dev)) {
			ig->st.filtered++;
			return 1;
		}
	}
	ig->rec.line = r->line;
	return 0;
not_number:
	return bess_err_set(err, in->name, r->line, "column '%s': '%.*s' is not a number",
	    bess_reader_schema(in->r)->name[i], (int)(r->len[i] > 40 ? 40 : r->len[i]), r->v[i]);
out_of_range:
	return bess_err_set(err, in->name, r->line, "time out of range (years 0000 to 9999) "
	    "after --elapsed or --label end");
}

static int
cmp_held(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * One regular CSV file read in blocks by several threads. Block i runs
 * from just after the first newline at or after data0 + i * (block bytes) - 1
 * to the next block's start; a worker reads the file's header (its bytes
 * before data0) and then the block's bytes through its own bess_ingest
 * into memory, and the calling thread writes the blocks in order, checking
 * each block's first record against the previous block's last. A block
 * holding a quote or a bare CR may not start or end where records do: from
 * the first such block on, the rest of the file is read by one reader. An
 * error is found again by reading its block with the right line numbers,
 * so messages are those of the serial path.
 */
#define BLOCK_QUEUE 2		/* blocks read ahead of the writer, per thread */

struct block {
	int unsafe;		/* a quote or a bare CR in it */
	int rc;			/* bess_ingest_run's */
	long nl;		/* newlines in the block */
	long long to;		/* offset of the byte after it */
	int any;		/* records written: */
	bess_time_t first_ts, last_ts;
	long first_line, last_line;	/* block-local lines */
	struct bess_ingest_stats st;
	struct magcheck *mag;
	size_t nmag;
};

/* A block's formatted records; the memory is kept for the next block in the same slot. */
struct sink {
	char *buf;
	size_t n, cap;
};

static ssize_t
sink_write(void *cookie, const char *p, size_t n)
{
	struct sink *k = cookie;

	char *b;

	/* not grow(): zeroing would touch pages never written */
	if ((b = bess_grow(k->buf, &k->cap, k->n + n, 1 << 16, 1)) == NULL)
		return -1;
	k->buf = b;
	memcpy(k->buf + k->n, p, n);
	k->n += n;
	return (ssize_t)n;
}

struct blocks {
	struct bess_ingest *ig;		/* the caller's */
	struct bess_writer *w;		/* ... and its writer */
	struct bess_ingest_opts so;	/* options for a block's bess_ingest */
	int fd;
	long long data0, size, nblk;
	long long bsize;		/* bytes a block */
	char *head;			/* the file's bytes before data0 */
	size_t nhead;
	struct bess_blocks pool;	/* the threads (lib/blocks.c) */
	struct bess_blkfile bf;		/* the file's blocks in it */
	size_t nq;			/* slots */
	struct block *q;		/* block i in q[i % nq] */
	struct sink *sk;		/* and its records in sk[i % nq] */
};

/* What a block's stream reads: the header, then the block from the file. */
struct blockfile {
	const struct blocks *bs;
	size_t hpos;
	long long pos, end;
	int scan;		/* count newlines, look for quotes and bare CRs */
	int cr;			/* the last byte read was a CR */
	long nl;
	int unsafe;
	int rerr;		/* a read failed */
};

static ssize_t
bf_read(void *cookie, char *buf, size_t n)
{
	struct blockfile *f = cookie;
	ssize_t k;
	const char *p, *e;

	if (f->hpos < f->bs->nhead) {
		if (n > f->bs->nhead - f->hpos)
			n = f->bs->nhead - f->hpos;
		memcpy(buf, f->bs->head + f->hpos, n);
		f->hpos += n;
		return (ssize_t)n;
	}
	if (f->pos >= f->end)
		return 0;
	if ((long long)n > f->end - f->pos)
		n = (size_t)(f->end - f->pos);
	if ((k = pread(f->bs->fd, buf, n, (off_t)f->pos)) <= 0) {
		f->rerr = 1;
		return -1;
	}
	f->pos += k;
	if (!f->scan)
		return k;
	e = buf + k;
	if (memchr(buf, '"', (size_t)k) != NULL)
		f->unsafe = 1;
	if (f->cr && buf[0] != '\n')
		f->unsafe = 1;
	for (p = buf; (p = memchr(p, '\r', (size_t)(e - p))) != NULL; p++)
		if (p + 1 < e && p[1] != '\n')
			f->unsafe = 1;
	f->cr = buf[k - 1] == '\r';
	for (p = buf; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		f->nl++;
	return k;
}

/* Start of block i; -1 on a read error. */
static long long
block_start(const struct blocks *bs, long long i)
{
	char buf[4096];
	long long p;

	if (i == 0)
		return bs->data0;
	for (p = bs->data0 + i * bs->bsize - 1; p < bs->size; ) {
		ssize_t k = pread(bs->fd, buf, sizeof(buf), (off_t)p);
		const char *nl;

		if (k <= 0)
			return -1;
		if ((nl = memchr(buf, '\n', (size_t)k)) != NULL)
			return p + (nl - buf) + 1;
		p += k;
	}
	return bs->size;
}

/*
 * Read bytes [from, to) of the file after its header through a new
 * bess_ingest writing to w (NULL: to memory in b), its lines counted from
 * line_base, its single series continuing `prev` (may be NULL). scan: note
 * newlines, quotes and bare CRs in b. 0, or -1 with err set.
 */
static int
block_run(struct blocks *bs, long long from, long long to, long line_base, int scan,
    const struct series *prev, struct bess_writer *w, struct sink *sk, struct block *b,
    struct bess_err *err)
{
	cookie_io_functions_t io = { .read = bf_read }, so = { .write = sink_write };
	struct blockfile f = { .bs = bs, .pos = from, .end = to, .scan = scan };
	struct bess_ingest *sub = NULL;
	struct bess_writer *mw = NULL;
	FILE *in = NULL, *mem = NULL;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	if (sk != NULL)
		sk->n = 0;
	if ((in = fopencookie(&f, "r", io)) == NULL || setvbuf(in, NULL, _IOFBF, 1 << 16) != 0 ||
	    (w == NULL && ((mem = fopencookie(sk, "w", so)) == NULL ||
	    setvbuf(mem, NULL, _IONBF, 0) != 0 || (mw = bess_writer_twin(bs->w, mem)) == NULL))) {
		bess_err_set(err, bs->ig->in[0].name, 0, "out of memory");
		goto done;
	}
	if ((sub = bess_ingest_new(&bs->so, err)) == NULL)
		goto done;
	sub->line_base = line_base;
	if (bess_ingest_add(sub, in, bs->ig->in[0].name, err) != 0)
		goto done;
	if (prev != NULL && prev->last != INT64_MIN) {
		struct series *s = series_for(sub, "\x1f");

		if (s == NULL) {
			bess_err_set(err, bs->ig->in[0].name, 0, "out of memory");
			goto done;
		}
		s->last = prev->last;
		s->last_line = prev->last_line;
		s->last_file = prev->last_file;
	}
	if (mw != NULL)
		bess_writer_headless(mw, &sub->out);
	if (w != NULL)	/* the caller's thread: its progress is how far this reader is */
		bs->ig->blk_pos = &f.pos;
	rc = bess_ingest_run(sub, w ? w : mw, err);
	if (w != NULL)
		bs->ig->blk_pos = NULL;
	if (rc == 0 && f.rerr)
		rc = bess_err_set(err, bs->ig->in[0].name, 0, "read error");
	b->rc = rc;
	b->unsafe = f.unsafe;
	b->nl = f.nl;
	b->st = sub->st;
	b->any = sub->any;
	b->first_ts = sub->first_ts;
	b->first_line = sub->first_line;
	if (sub->nser > 0) {
		b->last_ts = sub->ser[0].last;
		b->last_line = sub->ser[0].last_line;
	}
	b->mag = sub->mag;
	b->nmag = sub->nmag;
	sub->mag = NULL;
	sub->nmag = 0;
done:
	bess_ingest_free(sub);
	bess_writer_free(mw);
	if (mem != NULL && fclose(mem) != 0 && rc == 0)
		rc = b->rc = bess_err_set(err, bs->ig->in[0].name, 0, "out of memory");
	if (sk != NULL && rc != 0)
		sk->n = 0;
	if (in != NULL)
		fclose(in);
	return rc;
}

/* Parse block i into its slot (the pool calls it in any thread). */
static void
block_parse(void *ctx, long long i, size_t slot, void **scratch)
{
	struct blocks *bs = ctx;
	long long from = block_start(bs, i), to = block_start(bs, i + 1);
	struct block b;
	struct bess_err err;

	(void)scratch;
	if (from < 0 || to < 0) {
		memset(&b, 0, sizeof(b));
		b.rc = -1;	/* found again by the writer */
	} else
		block_run(bs, from, to, 0, 1, NULL, NULL, &bs->sk[slot], &b, &err);
	b.to = to;
	bs->q[slot] = b;
}

/* Add a block's counts and magnitude notes (its lines counted from base) to ig's. */
static void
block_merge(struct bess_ingest *ig, const struct block *b, long base)
{
	size_t c;

	ig->st.in += b->st.in;
	ig->st.out += b->st.out;
	ig->st.filtered += b->st.filtered;
	ig->st.merged += b->st.merged;
	for (c = 0; c < b->nmag; c++) {
		const struct magcheck *bm = &b->mag[c];
		struct magcheck *m;

		if (bm->n == 0)
			continue;
		if (c >= ig->nmag) {
			size_t cap = ig->nmag;

			if (grow((void **)&ig->mag, &cap, b->nmag, sizeof(*ig->mag)) != 0)
				return;
			ig->nmag = cap;
		}
		m = &ig->mag[c];
		if (bm->over > 0 && m->over == 0) {
			m->first = bm->first;
			m->first.line += base;
		}
		if (fabs(bm->worst) > fabs(m->worst))
			m->worst = bm->worst;
		m->n += bm->n;
		m->over += bm->over;
	}
}

/*
 * Can input 0 be read in blocks, and by how many threads? 0 if not. The
 * options must make every record's output depend on that record alone, and
 * one series (no device or site column) keeps the order checks to block
 * boundaries.
 */
static long long
block_bytes(const struct bess_ingest *ig)
{
	return ig->o.block_bytes > 0 ? ig->o.block_bytes : 1 << 19;
}

static int
blocks_threads(const struct bess_ingest *ig)
{
	const struct input *in = &ig->in[0];
	struct stat st;
	long n = ig->o.jobs;
	int fd;

	if (ig->nin != 1 || n == 1 || in->fp == NULL || in->start_off < 0 ||
	    bess_reader_format(in->r) != BESS_FMT_CSV || ig->o.sort || ig->o.skip_bad ||
	    (ig->o.dup != BESS_DUP_ERROR && ig->o.dup != BESS_DUP_KEEP) || in->elapsed_idx >= 0 ||
	    ig->o.tp.fold == BESS_FOLD_INFER || ig->dev_col >= 0 || ig->site_col >= 0 ||
	    (fd = fileno(in->fp)) < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (long long)st.st_size - in->start_off < 4 * block_bytes(ig))
		return 0;
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 1 ? (int)(n > 64 ? 64 : n) : 0;
}

/* Input 0 in blocks by nth threads, its first record at line `line`: 0, or -1 with err set. */
static int
run_blocks(struct bess_ingest *ig, int nth, long line, struct bess_err *err)
{
	struct input *in = &ig->in[0];
	struct blocks bs;
	struct series prev = { .last = INT64_MIN, .last_file = in->name };
	struct stat st;
	long base = 0;
	long long i;
	int rc = 0;

	memset(&bs, 0, sizeof(bs));
	bs.ig = ig;
	bs.w = ig->w;
	bs.fd = fileno(in->fp);
	bs.so = ig->o;
	bs.so.warn = NULL;
	bs.so.rd.fmt = BESS_FMT_CSV;
	bs.so.rd.delim = bess_reader_delim(in->r);
	if (!bs.so.rd.no_header)
		bs.so.rd.skip = bess_reader_skipped(in->r);
	bs.size = fstat(bs.fd, &st) == 0 ? (long long)st.st_size : -1;
	if ((bs.data0 = bess_line_offset(bs.fd, in->start_off, line)) < 0 || bs.size < bs.data0)
		return bess_err_set(err, in->name, line, "read error");
	bs.nhead = (size_t)(bs.data0 - in->start_off);
	bs.bsize = block_bytes(ig);
	/*
	 * Each block reads the header again: with a wide header (10,000 columns)
	 * a block of 512 KiB holds a few rows and the threads spend their time
	 * on headers, slower than one thread. A block is at least 64 headers
	 * long (up to 64 MiB), unless --block-bytes-style options set it.
	 */
	if (ig->o.block_bytes <= 0 && bs.bsize < 64 * (long long)bs.nhead)
		bs.bsize = 64 * (long long)bs.nhead < (64LL << 20) ? 64 * (long long)bs.nhead : 64LL << 20;
	bs.nblk = (bs.size - bs.data0 + bs.bsize - 1) / bs.bsize;
	bs.nq = (size_t)nth * BLOCK_QUEUE;
	bs.head = malloc(bs.nhead + 1);
	bs.q = calloc(bs.nq, sizeof(*bs.q));
	bs.sk = calloc(bs.nq, sizeof(*bs.sk));
	if (bs.head == NULL || bs.q == NULL || bs.sk == NULL)
		rc = bess_err_set(err, in->name, 0, "out of memory");
	else if (pread(bs.fd, bs.head, bs.nhead, (off_t)in->start_off) != (ssize_t)bs.nhead)
		rc = bess_err_set(err, in->name, 0, "read error");
	if (rc != 0) {
		free(bs.head);
		free(bs.q);
		free(bs.sk);
		return rc;
	}
	bs.bf.nblk = bs.nblk;
	bs.bf.win = bs.nq;
	bs.bf.parse = block_parse;
	bs.bf.ctx = &bs;
	if (bess_blocks_add(&bs.pool, &bs.bf) != 0 || bess_blocks_start(&bs.pool, nth) != 0)
		rc = bess_err_set(err, in->name, 0, "out of memory");
	for (i = 0; i < bs.nblk && rc == 0; i++) {
		struct block *b = &bs.q[bess_blocks_fetch(&bs.pool, &bs.bf)], again;
		long long from;

		if (b->unsafe || b->rc != 0) {
			/* from here on one reader; an error found again with its lines */
			bess_blocks_retire(&bs.pool, &bs.bf);
			if ((from = block_start(&bs, i)) < 0) {
				rc = bess_err_set(err, in->name, 0, "read error");
				break;
			}
			rc = block_run(&bs, from, bs.size, base, 0, &prev, ig->w, NULL, &again, err);
			if (rc == 0)
				block_merge(ig, &again, base);
			free(again.mag);
			break;
		}
		if (b->any) {
			if (order_error(ig, &prev, b->first_ts, in->name, b->first_line + base, err)) {
				rc = -1;
				break;
			}
			prev.last = b->last_ts;
			prev.last_line = b->last_line + base;
		}
		ig->blk_done = b->to;
		if ((rc = bess_writer_raw(ig->w, &ig->out, bs.sk[i % bs.nq].buf, bs.sk[i % bs.nq].n,
		    err)) != 0)
			break;
		block_merge(ig, b, base);
		base += b->nl;
		free(b->mag);
		memset(b, 0, sizeof(*b));	/* before the slot is given back */
		bess_blocks_release(&bs.pool, &bs.bf);
	}
	bess_blocks_retire(&bs.pool, &bs.bf);	/* after an error, blocks still being parsed */
	bess_blocks_stop(&bs.pool);
	for (i = 0; i < (long long)bs.nq; i++) {
		free(bs.q[i].mag);
		free(bs.sk[i].buf);
	}
	free(bs.sk);
	free(bs.q);
	free(bs.head);
	return rc;
}

/* --devices: one record per series — device, site (when there is one), first_ts, last_ts, records. */
static int
list_devices(struct bess_ingest *ig, struct bess_writer *w, struct bess_err *err)
{
	struct bess_schema s;
	struct bess_rec r;
	char first[BESS_TIME_BUFSZ], last[BESS_TIME_BUFSZ], count[32];
	size_t i;
	int rc = 0, site = ig->site_col >= 0;

	bess_schema_init(&s);
	bess_rec_init(&r);
	if (bess_schema_add(&s, "device") < 0 || (site && bess_schema_add(&s, "site") < 0) ||
	    bess_schema_add(&s, "first_ts") < 0 || bess_schema_add(&s, "last_ts") < 0 ||
	    bess_schema_add(&s, "records") < 0 || bess_rec_resize(&r, s.n) != 0)
		rc = bess_err_set(err, NULL, 0, "out of memory");
	for (i = 0; i < ig->nser && rc == 0; i++) {
		const struct series *se = &ig->ser[i];
		const char *us = strchr(se->key, '\x1f');
		char dev[256];
		size_t k = 0;

		if (se->count == 0)
			continue;
		snprintf(dev, sizeof(dev), "%.*s", us ? (int)(us - se->key) : 0, se->key);
		bess_rec_set(&r, k++, dev, BESS_K_STR);
		if (site)
			bess_rec_set(&r, k++, us ? us + 1 : "", BESS_K_STR);
		bess_rec_set(&r, k++, bess_time_format(se->first, first), BESS_K_STR);
		bess_rec_set(&r, k++, bess_time_format(se->last, last), BESS_K_STR);
		snprintf(count, sizeof(count), "%lld", se->count);
		bess_rec_set(&r, k, count, BESS_K_NUM);
		rc = bess_writer_write(w, &s, &r, err);
	}
	if (rc == 0)
		rc = bess_writer_finish(w, &s, err);
	bess_rec_free(&r);
	bess_schema_free(&s);
	return rc;
}

int
bess_ingest_run(struct bess_ingest *ig, struct bess_writer *w, struct bess_err *err)
{
	struct bess_rec r;
	size_t k = 0;
	int rc = 0, nth;

	ig->w = w;
	ig->o.tp.prev = INT64_MIN;
	ig->dev_col = bess_schema_find(&ig->out, "device");
	ig->site_col = bess_schema_find(&ig->out, "site");
	/* listing, paging and stopping at --end work record by record, in this thread */
	if (!ig->o.list_devices && ig->o.offset == 0 && ig->o.limit == 0 && !ig->o.have_end &&
	    (nth = blocks_threads(ig)) > 0) {
		memset(&r, 0, sizeof(r));
		if ((rc = bess_reader_next(ig->in[0].r, &r, err)) > 0)	/* where the records start */
			rc = run_blocks(ig, nth, r.line, err);
		k = ig->nin;
	}
	for (; k < ig->nin && rc == 0 && ig->stop < 2; k++) {
		struct input *in = &ig->in[k];

		ig->stop = 0;
		long bad_line = 0;	/* the line of the last reader error skipped */

		ig->elapsed_anchored = 0;
		for (;;) {
			bess_time_t ts;

			memset(&r, 0, sizeof(r));
			rc = bess_reader_next(in->r, &r, err);
			if (rc == 0)
				break;
			if (rc < 0 && err->line > 0)
				err->line += ig->line_base;
			r.line += ig->line_base;
			if (rc < 0) {
				/* the reader cannot get past this error (a quote open at the end): stop */
				if (!ig->o.skip_bad || err->line == 0 || err->line == bad_line)
					break;
				bad_line = err->line;
				/* a malformed line: count it and go on */
				ig->st.skipped++;
				if (ig->st.skipped == 1)
					ig->st.first_bad = *err;
				rc = 0;
				continue;
			}
			ig->st.in++;
			if (r.n > in->ncm && (rc = map_columns(ig, in, err)) != 0)
				break;
			rc = build(ig, (int)k, &r, &ts, err);
			if (rc == 1 && ig->stop) {
				rc = 0;
				ig->st.stopped_early = 1;
				break;	/* past --end: the rest of this input is not read */
			}
			if (rc == 1) {
				rc = 0;
				continue;
			}
			if (rc == 0 && ig->o.sort) {
				ig->all_bytes += held_bytes(&ig->rec);
				if (ig->o.sort_max_bytes > 0 && ig->all_bytes > ig->o.sort_max_bytes) {
					/* said before the kernel kills it (a 3 GB file went to 24 GB) */
					rc = bess_err_set(err, in->name, r.line, "--sort holds every record "
					    "in memory, and the %zu records up to here take more than "
					    "%lld MiB (--sort-memory); sort the input in parts", ig->nall + 1,
					    ig->o.sort_max_bytes >> 20);
					break;
				}
				if (grow((void **)&ig->all, &ig->allcap, ig->nall + 1, sizeof(*ig->all)) != 0 ||
				    held_copy(&ig->all[ig->nall], &ig->rec, ts, r.line, (int)k, "", 0) != 0) {
					rc = bess_err_set(err, in->name, r.line, "out of memory");
					break;
				}
				ig->nall++;
				continue;
			}
			if (rc == 0)
				rc = emit(ig, ts, (int)k, r.line, err);
			if (rc == 0 && ig->stop)
				break;
			if (rc < 0 && ig->o.skip_bad && err->line > 0 &&
			    strstr(err->msg, "out of memory") == NULL && strstr(err->msg, "write") == NULL) {
				ig->st.skipped++;
				if (ig->st.skipped == 1)
					ig->st.first_bad = *err;
				rc = 0;
				continue;
			}
			if (rc < 0)
				break;
		}
	}
	if (rc == 0 && ig->o.sort) {
		size_t i;

		if (ig->nall > 0)	/* all is NULL then */
			qsort(ig->all, ig->nall, sizeof(*ig->all), cmp_held);
		for (i = 0; i < ig->nall && rc == 0 && ig->stop < 2; i++) {
			struct held *h = &ig->all[i];
			size_t j;

			if (bess_rec_resize(&ig->rec, ig->out.n) != 0) {
				rc = bess_err_set(err, NULL, 0, "out of memory");
				break;
			}
			for (j = 0; j < ig->out.n; j++)
				bess_rec_set(&ig->rec, j, j < h->n ? h->v[j] : "",
				    j < h->n ? (enum bess_kind)h->kind[j] : BESS_K_NULL);
			ig->rec.line = h->line;
			rc = emit(ig, h->ts, h->input, h->line, err);
			if (rc < 0 && ig->o.skip_bad) {
				ig->st.skipped++;
				if (ig->st.skipped == 1)
					ig->st.first_bad = *err;
				rc = 0;
			}
		}
	}
	if (rc == 0)
		rc = flush_pending(ig, err);
	if (rc == 0 && ig->o.list_devices) {
		bess_writer_flush(w);
		return list_devices(ig, w, err);
	}
	if (rc == 0)
		mag_report(ig);
	if (rc == 0 && ig->st.skipped > 0 && ig->o.warn) {
		struct bess_err wn;
		char buf[700];

		bess_err_set(&wn, NULL, 0, "skipped %lld bad record%s; the first: %s",
		    ig->st.skipped, ig->st.skipped == 1 ? "" : "s",
		    bess_err_str(&ig->st.first_bad, buf, sizeof(buf)));
		ig->o.warn(ig->o.warn_ctx, &wn);
	}
	if (rc == 0)
		rc = bess_writer_finish(w, &ig->out, err);
	return rc;
}

long long
bess_ingest_consumed(const struct bess_ingest *ig)
{
	long long n = 0;
	size_t i;

	if (ig->blk_pos != NULL)
		return *ig->blk_pos;
	if (ig->blk_done >= 0)
		return ig->blk_done;
	for (i = 0; i < ig->nin; i++) {
		off_t o = ig->in[i].fp != NULL ? ftello(ig->in[i].fp) : -1;

		if (o > 0)
			n += (long long)o;
	}
	return n;
}

const struct bess_ingest_stats *
bess_ingest_stats(const struct bess_ingest *ig)
{
	return &ig->st;
}

void
bess_ingest_free(struct bess_ingest *ig)
{
	size_t i;

	if (ig == NULL)
		return;
	for (i = 0; i < ig->nin; i++) {
		bess_reader_close(ig->in[i].r);
		free(ig->in[i].name);
		free(ig->in[i].base);
		free(ig->in[i].cm);
		free(ig->in[i].where_idx);
	}
	free(ig->in);
	for (i = 0; i < ig->nser; i++)
		free(ig->ser[i].key);
	free(ig->ser);
	for (i = 0; i < ig->npend; i++)
		held_free(&ig->pend[i]);
	free(ig->pend);
	for (i = 0; i < ig->nall; i++)
		held_free(&ig->all[i]);
	free(ig->all);
	free(ig->mag);
	free(ig->scratch);
	bess_rec_free(&ig->rec);
	bess_rec_free(&ig->hrec);
	bess_schema_free(&ig->out);
	free(ig);
}
