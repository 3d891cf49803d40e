/* report.c: local days and months of a run, for breakdowns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "bess_report.h"

int
bess_buckets(const bess_time_t *ts, size_t n, const struct bess_tz *tz, enum bess_by by,
    struct bess_bucket **out, size_t *nout)
{
	struct bess_bucket *b = NULL;
	size_t nb = 0, cap = 0, i;
	char prev[16] = "";

	for (i = 0; i < n; i++) {
		struct bess_civil c;
		char label[16];

		if (tz)
			bess_time_to_civil(tz, ts[i], &c);
		else
			bess_time_to_civil_utc(ts[i], &c);
		if (by == BESS_BY_DAY)
			snprintf(label, sizeof(label), "%04d-%02d-%02d", c.year % 10000, c.month, c.day);
		else
			snprintf(label, sizeof(label), "%04d-%02d", c.year % 10000, c.month);
		if (nb == 0 || strcmp(label, prev) != 0) {
			struct bess_bucket *nbk;

			if ((nbk = bess_grow(b, &cap, nb + 1, 64, sizeof(*nbk))) == NULL) {
				free(b);
				return -1;
			}
			b = nbk;
			memcpy(b[nb].label, label, sizeof(label));
			b[nb].first = i;
			b[nb].n = 0;
			nb++;
			memcpy(prev, label, sizeof(label));
		}
		b[nb - 1].n++;
	}
	*out = b;
	*nout = nb;
	return 0;
}
