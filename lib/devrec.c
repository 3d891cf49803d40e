/* devrec.c: per-device records (ts, device, kind, command, power, SOC, cost), written as CSV or NDJSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_devrec.h"
#include "bess_summary.h"

const char *const bess_devrec_cols[] = {
	"ts", "device", "kind", "command", "power_kw", "soc_kwh", "soc_pct", "cost", NULL
};

int
bess_devrec_header(FILE *fp, enum bess_fmt fmt)
{
	int i;

	if (fmt == BESS_FMT_NDJSON)
		return 0;
	for (i = 0; bess_devrec_cols[i]; i++)
		fprintf(fp, "%s%s", i ? "," : "", bess_devrec_cols[i]);
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

/* A text field: CSV quoted when it needs it, a JSON string otherwise. */
static void
text(FILE *fp, enum bess_fmt fmt, const char *s)
{
	const char *p;

	if (fmt == BESS_FMT_NDJSON) {
		bess_json_fputs(fp, s);
		return;
	}
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

/* A number as people read it (at most 6 decimals, bess_fmt_fig); empty (CSV) or null (NDJSON) for NAN. */
static void
num(FILE *fp, enum bess_fmt fmt, double v)
{
	char buf[32];

	if (isnan(v) || isinf(v)) {
		if (fmt == BESS_FMT_NDJSON)
			fputs("null", fp);
		return;
	}
	fputs(bess_fmt_fig(v, buf), fp);
}

int
bess_devrec_write(FILE *fp, enum bess_fmt fmt, const struct bess_devrec *r)
{
	char tb[BESS_TIME_BUFSZ];
	int nd = fmt == BESS_FMT_NDJSON;

	bess_time_format(r->ts, tb);
	if (nd) {
		fputs("{\"ts\":", fp);
		text(fp, fmt, tb);
		fputs(",\"device\":", fp);
		text(fp, fmt, r->device);
		fputs(",\"kind\":", fp);
		text(fp, fmt, r->kind);
		fputs(",\"command\":", fp);
		text(fp, fmt, r->command);
		fputs(",\"power_kw\":", fp);
		num(fp, fmt, r->power_kw);
		fputs(",\"soc_kwh\":", fp);
		num(fp, fmt, r->soc_kwh);
		fputs(",\"soc_pct\":", fp);
		num(fp, fmt, r->soc_pct);
		fputs(",\"cost\":", fp);
		num(fp, fmt, r->cost);
		fputs("}\n", fp);
	} else {
		fputs(tb, fp);
		fputc(',', fp);
		text(fp, fmt, r->device);
		fputc(',', fp);
		text(fp, fmt, r->kind);
		fputc(',', fp);
		text(fp, fmt, r->command);
		fputc(',', fp);
		num(fp, fmt, r->power_kw);
		fputc(',', fp);
		num(fp, fmt, r->soc_kwh);
		fputc(',', fp);
		num(fp, fmt, r->soc_pct);
		fputc(',', fp);
		num(fp, fmt, r->cost);
		fputc('\n', fp);
	}
	return ferror(fp) ? -1 : 0;
}
