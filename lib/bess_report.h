/* bess_report.h: cutting a run into local days or months for per-period breakdowns. */
#ifndef BESS_REPORT_H
#define BESS_REPORT_H

#include <stddef.h>

#include "bess_time.h"

enum bess_by {
	BESS_BY_DAY = 0,	/* local calendar days */
	BESS_BY_MONTH		/* local calendar months */
};

/* A run of consecutive steps in one local day or month. */
struct bess_bucket {
	char label[16];		/* "2023-01-15" or "2023-01" */
	size_t first;		/* first step */
	size_t n;		/* steps */
};

/*
 * Cut the steps ts[0..n) (increasing) into local days or months of tz (NULL
 * = UTC). *out is allocated (free it); 0, or -1 when out of memory.
 */
int bess_buckets(const bess_time_t *ts, size_t n, const struct bess_tz *tz, enum bess_by by,
    struct bess_bucket **out, size_t *nout);

#endif
