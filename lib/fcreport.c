/* fcreport.c: a forecast backtest's scores as a report: one NDJSON line per method and lead hour, or a table people read. */
#include <math.h>
#include <stdio.h>

#include "bess_forecast.h"
#include "bess_summary.h"

/* Mean absolute error, root mean square error and the share at or under quantile q of s; NAN without samples. */
static double
mae(const struct bess_fc_score *s)
{
	return s->n ? s->sum_abs / (double)s->n : NAN;
}

static double
rmse(const struct bess_fc_score *s)
{
	return s->n ? sqrt(s->sum_sq / (double)s->n) : NAN;
}

static double
cover(const struct bess_fc_score *s, int q)
{
	return s->nq ? (double)s->under[q] / (double)s->nq : NAN;
}

static void
jnum(FILE *fp, const char *key, double v)
{
	char b[32];

	if (isnan(v))
		fprintf(fp, ",\"%s\":null", key);
	else
		fprintf(fp, ",\"%s\":%s", key, bess_fmt_fig(v, b));
}

/* One score line: method index m over lead hour h (-1 = all). */
static void
score_json(FILE *fp, const struct bess_fcr *r, const char *col, enum bess_fc_method meth, size_t m,
    long h)
{
	const struct bess_fc_score *s = bess_fcr_score(r, m, h);
	const struct bess_fc_score *ref = bess_fcr_score(r, bess_fcr_reference(r), h);

	fprintf(fp, "{\"column\":\"%s\",\"method\":\"%s\"", col, bess_fc_method_name(meth));
	if (h < 0)
		fprintf(fp, ",\"lead_h\":null");
	else
		fprintf(fp, ",\"lead_h\":%ld", h);
	fprintf(fp, ",\"issues\":%zu,\"n\":%zu", bess_fcr_issues(r), s->n);
	jnum(fp, "mae", mae(s));
	jnum(fp, "rmse", rmse(s));
	jnum(fp, "skill", bess_fc_skill(mae(s), mae(ref)));
	fprintf(fp, ",\"n_quantiles\":%zu", s->nq);
	jnum(fp, "cover_p10", cover(s, 0));
	jnum(fp, "cover_p50", cover(s, 1));
	jnum(fp, "cover_p90", cover(s, 2));
	fprintf(fp, "}\n");
}

void
bess_fcr_report_json(FILE *fp, const struct bess_fcr *r, const char *col)
{
	enum bess_fc_method ms[BESS_FCR_MAXM];
	size_t m, nm = bess_fcr_methods(r, ms);
	long h, nl = (long)bess_fcr_lead_hours(r);

	for (m = 0; m < nm; m++)
		for (h = -1; h < nl; h++)
			if (h < 0 || bess_fcr_score(r, m, h)->n > 0)
				score_json(fp, r, col, ms[m], m, h);
}

static const char *
cell(double v, char *b)
{
	if (isnan(v))
		return "-";
	snprintf(b, 32, "%.3f", v);
	return b;
}

void
bess_fcr_report_table(FILE *fp, const struct bess_fcr *r, const char *col)
{
	enum bess_fc_method ms[BESS_FCR_MAXM];
	size_t nm = bess_fcr_methods(r, ms), m, ref = bess_fcr_reference(r);
	long h, nl = (long)bess_fcr_lead_hours(r);
	char b[6][32];

	fprintf(fp, "%s: %zu issues\n", col, bess_fcr_issues(r));
	fprintf(fp, "%-13s %7s %10s %10s %7s %7s %7s %7s\n", "method", "n", "MAE", "RMSE", "skill",
	    "<=P10", "<=P50", "<=P90");
	for (m = 0; m < nm; m++) {
		const struct bess_fc_score *s = bess_fcr_score(r, m, -1), *rs = bess_fcr_score(r, ref, -1);

		fprintf(fp, "%-13s %7zu %10s %10s %7s %7s %7s %7s\n", bess_fc_method_name(ms[m]), s->n,
		    cell(mae(s), b[0]), cell(rmse(s), b[1]), cell(bess_fc_skill(mae(s), mae(rs)), b[2]),
		    cell(cover(s, 0), b[3]), cell(cover(s, 1), b[4]), cell(cover(s, 2), b[5]));
	}
	fprintf(fp, "\nMAE by hour after the issue\n%6s", "lead_h");
	for (m = 0; m < nm; m++)
		fprintf(fp, " %12s", bess_fc_method_name(ms[m]));
	fprintf(fp, "\n");
	for (h = 0; h < nl; h++) {
		if (bess_fcr_score(r, 0, h)->n == 0)
			continue;
		fprintf(fp, "%6ld", h);
		for (m = 0; m < nm; m++)
			fprintf(fp, " %12s", cell(mae(bess_fcr_score(r, m, h)), b[0]));
		fprintf(fp, "\n");
	}
}
