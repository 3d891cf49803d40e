/* health.c: BMS/PCS health checks — spreads, limits, SOC jumps and drift, stuck readings, gaps, PCS phases and heat. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_health.h"

/* Input columns the checks read. */
enum { C_TS, C_DEV, C_SOC, C_CUR, C_VMAX, C_VMIN, C_TMAX, C_TMIN, C_L1, C_L2, C_L3, C_PCS, C_N };
static const char *const col_name[C_N] = {
	"ts", "device", "soc_pct", "current_a", "cell_max_v", "cell_min_v", "cell_max_c",
	"cell_min_c", "ac_l1_a", "ac_l2_a", "ac_l3_a", "igbt_c"
};

/* Readings watched for being stuck. */
static const char *const stuck_name[] = {
	"voltage_v", "cell_max_v", "cell_min_v", "cell_avg_v", "cell_max_c", "cell_min_c",
	"cell_avg_c", "igbt_c"
};
#define NSTUCK	(sizeof(stuck_name) / sizeof(stuck_name[0]))

/* Conditions that hold over a run of samples (the others are between two samples). */
enum { K_VSPREAD, K_TSPREAD, K_VHIGH, K_VLOW, K_THIGH, K_TLOW, K_DRIFT, K_PHASE, K_PCS, K_N };

static const char *const kind_name[BESS_HK_N] = {
	"cell_v_spread", "temp_spread", "cell_v_high", "cell_v_low", "temp_high", "temp_low",
	"soc_jump", "soc_drift", "stuck", "gap", "phase_imbalance", "pcs_temp_high"
};

#define NSPACING	15	/* spacings that make a device's usual spacing */

/* A condition being watched on one device. */
struct run {
	int on;			/* it holds now */
	bess_time_t start, last;	/* first and latest sample where it held */
	double worst;		/* the worst value so far */
};

/* A reading's current flat stretch. */
struct flat {
	int have;		/* a value is known */
	double v;		/* it */
	bess_time_t start, last;	/* first and latest sample with it */
	int opened;		/* its opening event was written */
};

struct dev {
	struct bess_health_dev pub;	/* summary figures (pub.device points at name) */
	char *name;
	int have_prev;			/* a sample was seen */
	bess_time_t pt;			/* its time */
	double psoc, pcur;		/* its SOC and current, NAN if missing */
	int anchored;			/* the coulomb count has a start */
	double soc0, cc;		/* SOC there, %-points counted since */
	long long sp[NSPACING];		/* first spacings, us */
	int nsp;
	long long gap_lim;		/* the gap limit for nsp spacings (computed when nsp changes) */
	int gap_nsp;			/* nsp it was computed for, -1 none */
	struct run run[K_N];
	struct flat flat[NSTUCK];
};

struct bess_health {
	struct bess_health_limits l;
	bess_health_event_fn fn;
	void *ctx;
	int col[C_N];			/* input column of each, -1 absent */
	int scol[NSTUCK];
	int salias[NSTUCK];		/* the C_ value a stuck reading already is, -1 none */
	size_t ncols;			/* schema columns looked at */
	struct dev *dev;
	size_t ndev, capdev;
	size_t cur;			/* the last record's device */
	int starts;			/* report conditions when they start too */
	struct bess_tcache tc;		/* the last time parsed */
};

void
bess_health_defaults(struct bess_health_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->cell_v_spread_v = 0.05;
	l->temp_spread_c = 5;
	l->cell_v_max_v = 3.65;
	l->cell_v_min_v = 2.5;
	l->temp_max_c = 55;
	l->temp_min_c = -20;
	l->soc_jump_pct = 5;
	l->soc_drift_pct = 5;
	l->capacity_ah = 0;
	l->stuck_us = 30LL * 60 * 1000000;
	l->gap_us = 0;
	l->phase_imbalance_pct = 10;
	l->phase_min_a = 10;
	l->pcs_temp_max_c = 85;
}

const char *
bess_hkind_name(enum bess_hkind k)
{
	return (unsigned)k < BESS_HK_N ? kind_name[k] : "?";
}

struct bess_health *
bess_health_new(const struct bess_health_limits *l, bess_health_event_fn fn, void *ctx)
{
	struct bess_health *h = calloc(1, sizeof(*h));
	size_t i;

	if (h == NULL)
		return NULL;
	h->l = *l;
	h->fn = fn;
	h->ctx = ctx;
	for (i = 0; i < C_N; i++)
		h->col[i] = -1;
	for (i = 0; i < NSTUCK; i++)
		h->scol[i] = -1;
	return h;
}

int
bess_health_columns(struct bess_health *h, const struct bess_schema *s, struct bess_err *err)
{
	size_t i;

	for (i = 0; i < C_N; i++)
		h->col[i] = bess_schema_find(s, col_name[i]);
	for (i = 0; i < NSTUCK; i++) {
		size_t k;

		h->scol[i] = bess_schema_find(s, stuck_name[i]);
		h->salias[i] = -1;
		for (k = 2; k < C_N; k++)
			if (strcmp(col_name[k], stuck_name[i]) == 0)
				h->salias[i] = (int)k;
	}
	h->ncols = s->n;
	if (h->col[C_TS] < 0 && s->n > 0)
		return bess_err_set(err, NULL, 0, "no column 'ts' (bess-ingest makes one)");
	return 0;
}

/*
 * The error of a field that is there but not a number, or beyond BESS_HEALTH_MAX_ABS (out of
 * read_num's way): 1e308 amps overflowed the coulomb count and the phase mean to infinity,
 * and the events came out with no value or not at all.
 */
static int __attribute__((noinline, cold))
not_a_number(const struct bess_rec *r, int c, const char *name, const char *file,
    int huge, struct bess_err *err)
{
	if (huge)
		return bess_err_set(err, file, r->line, "column '%s': '%.*s' is beyond %g either way",
		    name, (int)(r->len[c] > 40 ? 40 : r->len[c]), r->v[c], BESS_HEALTH_MAX_ABS);
	return bess_err_set(err, file, r->line, "column '%s': '%.*s' is not a number", name,
	    (int)(r->len[c] > 40 ? 40 : r->len[c]), r->v[c]);
}

/*
 * Field c of r as a number in *v, NAN when the column is absent or the field
 * missing; an error when it is there but not a number or beyond
 * BESS_HEALTH_MAX_ABS either way. Each field is read
 * once a record (this runs for every reading of every record).
 */
static inline int
read_num(const struct bess_rec *r, int c, const char *name, const char *file, double *v,
    struct bess_err *err)
{
	int rc;

	if (c < 0 || (rc = bess_rec_num(r, c, v)) > 0) {
		*v = NAN;
		return 0;
	}
	if (rc < 0 || fabs(*v) > BESS_HEALTH_MAX_ABS)
		return not_a_number(r, c, name, file, rc == 0, err);
	return 0;
}

int
bess_health_reads(const char *name)
{
	size_t i;

	for (i = 0; i < C_N; i++)
		if (strcmp(name, col_name[i]) == 0)
			return 1;
	for (i = 0; i < NSTUCK; i++)
		if (strcmp(name, stuck_name[i]) == 0)
			return 1;
	return 0;
}

void
bess_health_report_starts(struct bess_health *h, int on)
{
	h->starts = on != 0;
}

/* An event; opening: the condition's start (not counted: its closing event is). */
static int
emit_ev(struct bess_health *h, struct dev *d, enum bess_hkind k, const char *column, int alarm,
    bess_time_t start, bess_time_t end, double value, double limit, const char *unit, int opening,
    struct bess_err *err)
{
	struct bess_health_event e;

	e.device = d->name;
	e.start = start;
	e.end = end;
	e.kind = k;
	e.column = column;
	e.alarm = alarm;
	e.value = value;
	e.limit = limit;
	e.unit = unit;
	e.opening = opening;
	if (!opening)
		d->pub.events[k]++;
	return h->fn ? h->fn(h->ctx, &e, err) : 0;
}

static int
emit(struct bess_health *h, struct dev *d, enum bess_hkind k, const char *column, int alarm,
    bess_time_t start, bess_time_t end, double value, double limit, const char *unit,
    struct bess_err *err)
{
	return emit_ev(h, d, k, column, alarm, start, end, value, limit, unit, 0, err);
}

/* What each run condition reports. */
static const struct {
	enum bess_hkind kind;
	const char *column;
	int alarm;
	int low;		/* the worst value is the lowest (a lower limit) */
	const char *unit;
} run_info[K_N] = {
	{ BESS_HK_CELL_V_SPREAD, "cell_max_v,cell_min_v", 0, 0, "V" },
	{ BESS_HK_TEMP_SPREAD, "cell_max_c,cell_min_c", 0, 0, "C" },
	{ BESS_HK_CELL_V_HIGH, "cell_max_v", 1, 0, "V" },
	{ BESS_HK_CELL_V_LOW, "cell_min_v", 1, 1, "V" },
	{ BESS_HK_TEMP_HIGH, "cell_max_c", 1, 0, "C" },
	{ BESS_HK_TEMP_LOW, "cell_min_c", 1, 1, "C" },
	{ BESS_HK_SOC_DRIFT, "soc_pct,current_a", 0, 0, "%" },
	{ BESS_HK_PHASE_IMBALANCE, "ac_l1_a,ac_l2_a,ac_l3_a", 0, 0, "%" },
	{ BESS_HK_PCS_TEMP_HIGH, "igbt_c", 1, 0, "C" },
};

/* The limit run condition k is checked against. */
static double
run_limit(const struct bess_health *h, int k)
{
	switch (k) {
	case K_VSPREAD: return h->l.cell_v_spread_v;
	case K_TSPREAD: return h->l.temp_spread_c;
	case K_VHIGH: return h->l.cell_v_max_v;
	case K_VLOW: return h->l.cell_v_min_v;
	case K_THIGH: return h->l.temp_max_c;
	case K_TLOW: return h->l.temp_min_c;
	case K_DRIFT: return h->l.soc_drift_pct;
	case K_PHASE: return h->l.phase_imbalance_pct;
	default: return h->l.pcs_temp_max_c;
	}
}

/* Condition k at time t: held (1), not held (0), or not known (-1, value missing). */
static int
run_step(struct bess_health *h, struct dev *d, int k, int held, double value, bess_time_t t,
    struct bess_err *err)
{
	struct run *r = &d->run[k];

	if (held < 0)
		return 0;
	if (held) {
		if (!r->on) {
			r->on = 1;
			r->start = r->last = t;
			r->worst = value;
			if (h->starts)
				return emit_ev(h, d, run_info[k].kind, run_info[k].column,
				    run_info[k].alarm, t, t, value, run_limit(h, k), run_info[k].unit, 1,
				    err);
			return 0;
		} else if (run_info[k].low ? value < r->worst : fabs(value) > fabs(r->worst))
			r->worst = value;
		r->last = t;
		return 0;
	}
	if (!r->on)
		return 0;
	r->on = 0;
	return emit(h, d, run_info[k].kind, run_info[k].column, run_info[k].alarm, r->start,
	    r->last, r->worst, run_limit(h, k), run_info[k].unit, err);
}

/* The event of reading s's stuck stretch: its opening, or the whole of it. */
static int __attribute__((noinline))
flat_event(struct bess_health *h, struct dev *d, size_t s, int opening, struct bess_err *err)
{
	const struct flat *f = &d->flat[s];

	return emit_ev(h, d, BESS_HK_STUCK, stuck_name[s], 0, f->start, f->last,
	    (double)(f->last - f->start) / 1e6, (double)h->l.stuck_us / 1e6, "s", opening, err);
}

/* The reading s of a device at t: a stuck stretch that ends is reported. */
static inline int
flat_step(struct bess_health *h, struct dev *d, size_t s, double v, bess_time_t t, int end,
    struct bess_err *err)
{
	struct flat *f = &d->flat[s];

	if (!end && isnan(v))
		return 0;
	if (!end && f->have && v == f->v) {
		f->last = t;
		if (h->starts && !f->opened && h->l.stuck_us > 0 && f->last - f->start >= h->l.stuck_us) {
			f->opened = 1;
			return flat_event(h, d, s, 1, err);
		}
		return 0;
	}
	if (f->have && h->l.stuck_us > 0 && f->last - f->start >= h->l.stuck_us &&
	    flat_event(h, d, s, 0, err) != 0)
		return -1;
	f->have = !end;
	f->opened = 0;
	f->v = v;
	f->start = f->last = t;
	return 0;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The longest spacing that is not a gap for d; 0 while not known. */
static long long
gap_limit(const struct bess_health *h, struct dev *d)
{
	long long s[NSPACING];

	if (h->l.gap_us > 0)
		return h->l.gap_us;
	if (d->nsp < 3)
		return 0;
	if (d->gap_nsp != d->nsp) {	/* the median of the first spacings: they stop at NSPACING */
		memcpy(s, d->sp, (size_t)d->nsp * sizeof(*s));
		qsort(s, (size_t)d->nsp, sizeof(*s), cmp_ll);
		d->gap_lim = 10 * s[d->nsp / 2];
		d->gap_nsp = d->nsp;
	}
	return d->gap_lim;
}

static struct dev *
find_dev(struct bess_health *h, const char *name, size_t len)
{
	size_t i;
	struct dev *d;

	if (h->cur < h->ndev && strlen(h->dev[h->cur].name) == len &&
	    memcmp(h->dev[h->cur].name, name, len) == 0)
		return &h->dev[h->cur];
	for (i = 0; i < h->ndev; i++)
		if (strlen(h->dev[i].name) == len && memcmp(h->dev[i].name, name, len) == 0) {
			h->cur = i;
			return &h->dev[i];
		}
	{
		struct dev *p;

		if ((p = bess_grow(h->dev, &h->capdev, h->ndev + 1, 8, sizeof(*p))) == NULL)
			return NULL;
		h->dev = p;
	}
	d = &h->dev[h->ndev];
	memset(d, 0, sizeof(*d));
	if ((d->name = strndup(name, len)) == NULL)
		return NULL;
	d->pub.device = d->name;
	d->pub.max_v_spread_v = d->pub.max_temp_spread_c = NAN;
	d->pub.min_soc_pct = d->pub.max_soc_pct = d->pub.max_cell_c = d->pub.max_pcs_c = NAN;
	d->psoc = d->pcur = NAN;
	d->gap_nsp = -1;
	h->cur = h->ndev;
	return &h->dev[h->ndev++];
}

/* fmax/fmin that keep NAN as "none yet". */
#define UPMAX(x, v)	do { if (!isnan(v) && (isnan(x) || (v) > (x))) (x) = (v); } while (0)
#define UPMIN(x, v)	do { if (!isnan(v) && (isnan(x) || (v) < (x))) (x) = (v); } while (0)

int
bess_health_feed(struct bess_health *h, const struct bess_rec *r, const char *file,
    struct bess_err *err)
{
	char why[200], a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ];
	const char *dn = "";
	size_t dl = 0, s;
	struct dev *d;
	bess_time_t t;
	double v[C_N], sv[NSTUCK], x;
	int k, c = h->col[C_TS];

	if (c < 0 || (size_t)c >= r->n || r->len[c] == 0)
		return bess_err_set(err, file, r->line, "missing time in column 'ts'");
	if (bess_time_parse_cached(&h->tc, r->v[c], r->len[c], NULL, &t, why, sizeof(why)) !=
	    BESS_TP_OK)
		return bess_err_set(err, file, r->line, "column 'ts': %s", why);
	if (h->col[C_DEV] >= 0 && (size_t)h->col[C_DEV] < r->n) {
		dn = r->v[h->col[C_DEV]];
		dl = r->len[h->col[C_DEV]];
	}
	if ((d = find_dev(h, dn, dl)) == NULL)
		return bess_err_set(err, file, r->line, "out of memory");
	if (d->have_prev && t < d->pt)
		return bess_err_set(err, file, r->line, "time %s is before the previous record's %s "
		    "for device '%s'; sort the input first (bess-ingest --sort)",
		    bess_time_format(t, a), bess_time_format(d->pt, b), d->name);
	for (k = 2; k < C_N; k++)
		if (read_num(r, h->col[k], col_name[k], file, &v[k], err) != 0)
			return -1;
	for (s = 0; s < NSTUCK; s++)	/* a reading that is one of the above was read there */
		if (h->salias[s] >= 0)
			sv[s] = v[h->salias[s]];
		else if (read_num(r, h->scol[s], stuck_name[s], file, &sv[s], err) != 0)
			return -1;

	/* between this sample and the previous one: gap, SOC jump, coulomb count */
	if (d->have_prev && t > d->pt) {
		long long dt = t - d->pt, lim = gap_limit(h, d);
		double exp_pct = 0, dsoc;
		int counted = 0;

		if (lim > 0 && dt > lim) {
			if (emit(h, d, BESS_HK_GAP, "ts", 0, d->pt, t, (double)dt / 1e6,
			    (double)lim / 1e6, "s", err) != 0)
				return -1;
			d->anchored = 0;	/* nothing is known of the current in a gap */
		} else if (d->nsp < NSPACING)
			d->sp[d->nsp++] = dt;
		if (h->l.capacity_ah > 0 && !isnan(d->pcur) && !isnan(v[C_CUR])) {
			/* trapezoid: the mean current over dt, A x h / Ah = fraction of capacity */
			exp_pct = (d->pcur + v[C_CUR]) / 2 * ((double)dt / 3.6e9) / h->l.capacity_ah * 100;
			counted = 1;
		}
		if (!isnan(d->psoc) && !isnan(v[C_SOC])) {
			dsoc = v[C_SOC] - d->psoc - exp_pct;
			if (fabs(dsoc) > h->l.soc_jump_pct) {
				if (emit(h, d, BESS_HK_SOC_JUMP, "soc_pct", 0, d->pt, t, dsoc,
				    h->l.soc_jump_pct, "%", err) != 0)
					return -1;
				d->anchored = 0;	/* reported: the count starts again from here */
			}
		}
		if (d->anchored && counted)
			d->cc += exp_pct;
		else if (d->anchored && !counted)
			d->anchored = 0;
	}
	if (h->l.capacity_ah > 0 && !isnan(v[C_SOC]) && !isnan(v[C_CUR]) && !d->anchored) {
		d->anchored = 1;
		d->soc0 = v[C_SOC];
		d->cc = 0;
	}

	/* conditions of this sample */
	x = v[C_VMAX] - v[C_VMIN];
	if (run_step(h, d, K_VSPREAD, isnan(x) ? -1 : x > h->l.cell_v_spread_v, x, t, err) != 0)
		return -1;
	UPMAX(d->pub.max_v_spread_v, x);
	x = v[C_TMAX] - v[C_TMIN];
	if (run_step(h, d, K_TSPREAD, isnan(x) ? -1 : x > h->l.temp_spread_c, x, t, err) != 0)
		return -1;
	UPMAX(d->pub.max_temp_spread_c, x);
	if (run_step(h, d, K_VHIGH, isnan(v[C_VMAX]) ? -1 : v[C_VMAX] > h->l.cell_v_max_v,
	    v[C_VMAX], t, err) != 0 ||
	    run_step(h, d, K_VLOW, isnan(v[C_VMIN]) ? -1 : v[C_VMIN] < h->l.cell_v_min_v,
	    v[C_VMIN], t, err) != 0 ||
	    run_step(h, d, K_THIGH, isnan(v[C_TMAX]) ? -1 : v[C_TMAX] > h->l.temp_max_c,
	    v[C_TMAX], t, err) != 0 ||
	    run_step(h, d, K_TLOW, isnan(v[C_TMIN]) ? -1 : v[C_TMIN] < h->l.temp_min_c,
	    v[C_TMIN], t, err) != 0 ||
	    run_step(h, d, K_PCS, isnan(v[C_PCS]) ? -1 : v[C_PCS] > h->l.pcs_temp_max_c,
	    v[C_PCS], t, err) != 0)
		return -1;
	if (d->anchored) {
		x = v[C_SOC] - (d->soc0 + d->cc);
		if (run_step(h, d, K_DRIFT, fabs(x) > h->l.soc_drift_pct, x, t, err) != 0)
			return -1;
	} else if (run_step(h, d, K_DRIFT, 0, 0, t, err) != 0)
		return -1;
	if (!isnan(v[C_L1]) && !isnan(v[C_L2]) && !isnan(v[C_L3])) {
		double a1 = fabs(v[C_L1]), a2 = fabs(v[C_L2]), a3 = fabs(v[C_L3]);
		double mean = (a1 + a2 + a3) / 3, hi = fmax(a1, fmax(a2, a3)), lo = fmin(a1, fmin(a2, a3));
		double imb = mean > 0 ? (hi - lo) / mean * 100 : 0;

		if (run_step(h, d, K_PHASE, mean >= h->l.phase_min_a && imb > h->l.phase_imbalance_pct,
		    imb, t, err) != 0)
			return -1;
	}
	for (s = 0; s < NSTUCK; s++)
		if (h->scol[s] >= 0 && flat_step(h, d, s, sv[s], t, 0, err) != 0)
			return -1;

	UPMIN(d->pub.min_soc_pct, v[C_SOC]);
	UPMAX(d->pub.max_soc_pct, v[C_SOC]);
	UPMAX(d->pub.max_cell_c, v[C_TMAX]);
	UPMAX(d->pub.max_pcs_c, v[C_PCS]);
	if (d->pub.records++ == 0)
		d->pub.first = t;
	d->pub.last = t;
	d->have_prev = 1;
	d->pt = t;
	d->psoc = v[C_SOC];
	d->pcur = v[C_CUR];
	return 0;
}

int
bess_health_finish(struct bess_health *h, struct bess_err *err)
{
	size_t i, s;
	int k;

	for (i = 0; i < h->ndev; i++) {
		struct dev *d = &h->dev[i];

		for (k = 0; k < K_N; k++)
			if (run_step(h, d, k, 0, 0, d->pt, err) != 0)
				return -1;
		for (s = 0; s < NSTUCK; s++)
			if (flat_step(h, d, s, NAN, d->pt, 1, err) != 0)
				return -1;
	}
	return 0;
}

size_t
bess_health_ndevices(const struct bess_health *h)
{
	return h->ndev;
}

const struct bess_health_dev *
bess_health_device(const struct bess_health *h, size_t i)
{
	return i < h->ndev ? &h->dev[i].pub : NULL;
}

void
bess_health_free(struct bess_health *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->ndev; i++)
		free(h->dev[i].name);
	free(h->dev);
	free(h);
}
