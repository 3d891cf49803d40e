/* agg.c: aggregation functions by name, their defaults for canonical columns, and interval results. */
#include <string.h>

#include "bess_agg.h"
#include "bess_qty.h"

static const char *const names[] = {
	"default", "mean", "twmean", "sum", "min", "max", "first", "last", "count",
	"delta", "rate"
};

int
bess_agg_parse(const char *s, enum bess_agg *f)
{
	size_t i;

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum bess_agg)i;
			return 0;
		}
	return -1;
}

const char *
bess_agg_name(enum bess_agg f)
{
	if ((size_t)f < sizeof(names) / sizeof(names[0]))
		return names[f];
	return "?";
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* A state that is read at an instant: state of charge or health. */
static int
is_state(const char *name)
{
	return strncmp(name, "soc", 3) == 0 || strncmp(name, "soh", 3) == 0;
}

/* Amounts that add up over time without a unit suffix: cost, event counts. */
static int
is_amount(const char *name)
{
	return strcmp(name, "cost") == 0 || ends_with(name, "_cost") ||
	    strcmp(name, "count") == 0 || ends_with(name, "_count");
}

/* A "max" or "min" word in a name ("cell_max_v", "temp_min_c"): 1 max, -1 min, 0 neither. */
static int
extreme(const char *name)
{
	const char *p;

	for (p = name; *p; p++) {
		int at_start = p == name || p[-1] == '_';

		if (!at_start)
			continue;
		if ((strncmp(p, "max", 3) == 0) && (p[3] == '_' || p[3] == '\0'))
			return 1;
		if ((strncmp(p, "min", 3) == 0) && (p[3] == '_' || p[3] == '\0'))
			return -1;
	}
	return 0;
}

/* Unit suffixes bess_column_dim does not know that are still averaged quantities. */
static int
is_other_mean(const char *name)
{
	return ends_with(name, "_kva") || ends_with(name, "_kvar") || ends_with(name, "_hz");
}

enum bess_agg
bess_agg_default(const char *name)
{
	enum bess_dim d = bess_column_dim(name);

	/* the extreme of a reading, or a limit: its extreme over the interval, not its mean */
	if ((d != 0 && d != BESS_DIM_ENERGY && d != BESS_DIM_CHARGE && d != BESS_DIM_PRICE) ||
	    is_other_mean(name)) {
		if (extreme(name) > 0)
			return BESS_AGG_MAX;
		if (extreme(name) < 0)
			return BESS_AGG_MIN;
	}
	if (is_other_mean(name))
		return BESS_AGG_TWMEAN;
	switch (d) {
	case BESS_DIM_PRICE:
	case BESS_DIM_POWER:
	case BESS_DIM_VOLTAGE:
	case BESS_DIM_CURRENT:
	case BESS_DIM_TEMP:
		return BESS_AGG_TWMEAN;
	case BESS_DIM_ENERGY:
		return is_state(name) ? BESS_AGG_LAST : BESS_AGG_SUM;
	case BESS_DIM_PERCENT:
		return is_state(name) ? BESS_AGG_LAST : BESS_AGG_TWMEAN;
	case BESS_DIM_CHARGE:
		return BESS_AGG_SUM;
	default:
		return is_amount(name) ? BESS_AGG_SUM : BESS_AGG_LAST;
	}
}

int
bess_agg_is_text(const char *name, enum bess_agg f, int linear)
{
	return (f == BESS_AGG_FIRST || f == BESS_AGG_LAST) && !linear &&
	    bess_column_dim(name) == 0 && !is_amount(name);
}

int
bess_agg_fill_applies(const char *name, enum bess_agg f)
{
	enum bess_dim d = bess_column_dim(name);

	if (d == BESS_DIM_PRICE || d == 0)
		return 0;
	return f == BESS_AGG_TWMEAN || f == BESS_AGG_MIN || f == BESS_AGG_MAX ||
	    f == BESS_AGG_FIRST || f == BESS_AGG_LAST;
}

void
bess_acc_clear(struct bess_acc *a)
{
	a->cov_us = 0;
	a->s = 0;
	a->v = 0;
	a->n = 0;
}

int
bess_acc_result(const struct bess_acc *a, enum bess_agg f, double *out)
{
	switch (f) {
	case BESS_AGG_MEAN:
		if (a->n == 0)
			return 0;
		*out = a->s / (double)a->n;
		return 1;
	case BESS_AGG_COUNT:
		if (a->n == 0 && a->cov_us <= 0)
			return 0;
		*out = (double)a->n;
		return 1;
	case BESS_AGG_TWMEAN:
		if (a->cov_us <= 0)
			return 0;
		*out = a->s / a->cov_us;
		return 1;
	case BESS_AGG_SUM:
	case BESS_AGG_DELTA:
		if (a->cov_us <= 0)
			return 0;
		*out = a->s;
		return 1;
	case BESS_AGG_RATE:
		if (a->cov_us <= 0)
			return 0;
		*out = a->s / (a->cov_us / (double)BESS_US_PER_H);
		return 1;
	case BESS_AGG_MIN:
	case BESS_AGG_MAX:
	case BESS_AGG_FIRST:
	case BESS_AGG_LAST:
		if (a->n == 0)
			return 0;
		*out = a->v;
		return 1;
	default:
		return 0;
	}
}
