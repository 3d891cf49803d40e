/* bess_agg.h: aggregating one column over one grid interval — the functions, their defaults by column name, the arithmetic. */
#ifndef BESS_AGG_H
#define BESS_AGG_H

#include "bess_time.h"

/*
 * A column's samples are read as a signal: sample i holds from its time t0
 * to the end of its cover t1 (the engine decides t1; see bess-resample(1)),
 * either at its value v0 ("hold"), or going linearly to the next sample's
 * value v1 ("linear"). The functions aggregate that signal, or the samples
 * themselves, over an interval.
 */
enum bess_agg {
	BESS_AGG_DEFAULT = 0,	/* chosen by the column's name (bess_agg_default) */
	BESS_AGG_MEAN,		/* plain mean of the samples whose time is in the interval */
	BESS_AGG_TWMEAN,	/* time-weighted mean of the signal over the covered part */
	BESS_AGG_SUM,		/* sum, each sample spread evenly over the time it covers */
	BESS_AGG_MIN,		/* least value of the signal in the interval */
	BESS_AGG_MAX,		/* greatest value of the signal in the interval */
	BESS_AGG_FIRST,		/* the signal at the start of the first covered part */
	BESS_AGG_LAST,		/* the signal at the end of the last covered part */
	BESS_AGG_COUNT,		/* samples with a value whose time is in the interval */
	BESS_AGG_DELTA,		/* increase of a cumulative counter (meter kWh -> interval kWh) */
	BESS_AGG_RATE		/* that increase per hour (meter kWh -> average kW) */
};

/* The running state of one column over one interval. */
struct bess_acc {
	double cov_us;		/* microseconds of the interval covered by the signal */
	double s;		/* TWMEAN: integral of the signal (value x us); SUM, DELTA, RATE, MEAN: running sum */
	double v;		/* MIN, MAX, FIRST, LAST: the value so far */
	long long n;		/* MEAN, COUNT: samples counted; MIN..LAST: 1 once v is set */
};

/* "mean", "twmean", ... -> 0 and *f; -1 if unknown. */
int bess_agg_parse(const char *s, enum bess_agg *f);
const char *bess_agg_name(enum bess_agg f);

/*
 * The default for a canonical column name: a reading whose name has the
 * word max or min (cell_max_v, cell_min_c) -> MAX or MIN; prices, powers
 * (_kw, _kva, _kvar), frequencies (_hz), voltages,
 * currents, temperatures and other percentages -> TWMEAN; energies (_kwh),
 * charge (_ah), cost and counts (_count) -> SUM; states of charge or health
 * (soc..., soh...) -> LAST; anything else -> LAST, kept as text.
 */
enum bess_agg bess_agg_default(const char *name);

/* Is the column carried as text (FIRST or LAST of a column with no numeric kind, held)? */
int bess_agg_is_text(const char *name, enum bess_agg f, int linear);

/* Does a global "--fill linear" apply to this column (not to prices, energies, counts or text)? */
int bess_agg_fill_applies(const char *name, enum bess_agg f);

void bess_acc_clear(struct bess_acc *a);

/*
 * Add the piece [p, q) (q > p) of a sample's signal that lies in the
 * interval; the sample covers [t0, t1) with p >= t0, q <= t1, value v0 at t0
 * and, when linear, v1 at t1. SUM adds v0's share (q - p) / (t1 - t0);
 * DELTA and RATE take only linear pieces (between two readings).
 * MEAN and COUNT count covered time only (their values come from bess_acc_sample).
 */
static inline void
bess_acc_piece(struct bess_acc *a, enum bess_agg f, bess_time_t t0, bess_time_t t1,
    double v0, double v1, int linear, bess_time_t p, bess_time_t q)
{
	double dt = (double)(q - p), vp = v0, vq = v0;

	if (linear && (f != BESS_AGG_SUM && f != BESS_AGG_MEAN && f != BESS_AGG_COUNT)) {
		double span = (double)(t1 - t0);

		vp = p == t0 ? v0 : v0 + (v1 - v0) * ((double)(p - t0) / span);
		vq = q == t1 ? v1 : v0 + (v1 - v0) * ((double)(q - t0) / span);
	}
	switch (f) {
	case BESS_AGG_TWMEAN:
		a->s += linear ? dt * (vp + vq) / 2 : dt * v0;
		break;
	case BESS_AGG_SUM:
		a->s += p == t0 && q == t1 ? v0 : v0 * (dt / (double)(t1 - t0));
		break;
	case BESS_AGG_MIN:
		if (vq < vp)
			vp = vq;
		if (a->n == 0 || vp < a->v)
			a->v = vp;
		a->n = 1;
		break;
	case BESS_AGG_MAX:
		if (vq > vp)
			vp = vq;
		if (a->n == 0 || vp > a->v)
			a->v = vp;
		a->n = 1;
		break;
	case BESS_AGG_FIRST:
		if (a->n == 0)
			a->v = vp;
		a->n = 1;
		break;
	case BESS_AGG_LAST:
		a->v = vq;
		a->n = 1;
		break;
	case BESS_AGG_DELTA:
	case BESS_AGG_RATE:
		if (!linear)
			return;		/* no second reading: no increase known, no cover */
		a->s += vq - vp;
		break;
	default:
		break;
	}
	a->cov_us += dt;
}

/* A sample whose own time lies in the interval (MEAN and COUNT). */
static inline void
bess_acc_sample(struct bess_acc *a, enum bess_agg f, double v)
{
	if (f == BESS_AGG_MEAN) {
		a->s += v;
		a->n++;
	} else if (f == BESS_AGG_COUNT)
		a->n++;
}

/*
 * The interval's value: 1 and *out, or 0 when there is nothing to show
 * (no covered time, no sample), so that no zero is ever made up. COUNT is 0
 * when the signal covers the interval but no sample falls in it.
 */
int bess_acc_result(const struct bess_acc *a, enum bess_agg f, double *out);

#endif
