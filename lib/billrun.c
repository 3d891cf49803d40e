/* billrun.c: bess-bill's run — a meter's flows from a table, two meters on the same times, the bill written as CSV or text with the saving against a second meter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_billrun.h"
#include "bess_summary.h"

int
bess_bill_meter(const struct bess_table *t, const char *want, double **imp, double **exp_,
    struct bess_err *err)
{
	static const char *const sets[][2] = {
		{ "grid_import_kw", "grid_export_kw" }, { "import_kw", "export_kw" }, { "load_kw", "solar_kw" }
	};
	double *a = NULL, *b = NULL;
	struct bess_err e;
	size_t s, bad = 0;
	int rc = -1;

	*imp = *exp_ = NULL;
	for (s = 0; s < 3; s++) {
		if (want && strcmp(want, sets[s][0]) != 0)
			continue;
		if (bess_table_col(t, sets[s][0]) >= 0)
			break;
	}
	if (s == 3)
		return bess_err_set(err, NULL, 0, "%s: no meter column: %s", t->file[0], want ? want :
		    "'grid_import_kw', 'import_kw' or 'load_kw' (with 'solar_kw')");
	if (bess_table_column(t, sets[s][0], &a, NULL, err) != 0 ||
	    bess_table_column(t, sets[s][1], &b, NULL, err) != 0)
		goto done;
	if ((*imp = calloc(t->n + 1, sizeof(double))) == NULL ||
	    (*exp_ = calloc(t->n + 1, sizeof(double))) == NULL) {
		bess_err_set(err, NULL, 0, "out of memory");
		goto done;
	}
	if (bess_meter_flows(t->n, s < 2 ? a : NULL, s < 2 ? b : NULL, s == 2 ? a : NULL,
	    s == 2 ? b : NULL, *imp, *exp_, &bad, &e) != 0) {
		bess_err_set(err, t->file[t->src[bad]], t->line[bad], "%s", e.msg);
		goto done;
	}
	rc = 0;
done:
	free(a);
	free(b);
	if (rc != 0) {
		free(*imp);
		free(*exp_);
		*imp = *exp_ = NULL;
	}
	return rc;
}

int
bess_bill_same_times(const struct bess_table *a, const struct bess_table *b, struct bess_err *err)
{
	size_t i;

	if (a->n != b->n)
		return bess_err_set(err, NULL, 0, "%s: %zu records, but %s has %zu (the meters must cover "
		    "the same times)", b->file[0], b->n, a->file[0], a->n);
	for (i = 0; i < a->n; i++)
		if (a->ts[i] != b->ts[i])
			return bess_err_set(err, b->file[b->src[i]], b->line[i], "not the time of %s:%ld "
			    "(the meters must cover the same times)", a->file[a->src[i]], a->line[i]);
	return 0;
}

/* A number for CSV: shortest form people read (6 decimals at most), empty for NAN. */
static void
num(FILE *fp, double v)
{
	char buf[32];

	fputc(',', fp);
	if (!isnan(v))
		fputs(bess_fmt_fig(v, buf), fp);
}

/* A CSV field (period names may hold commas or quotes). */
static void
field(FILE *fp, const char *s)
{
	fputc(',', fp);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static const char *
unit_of(enum bess_bill_item item)
{
	return item == BESS_BILL_DEMAND ? "kW" : item == BESS_BILL_ENERGY || item == BESS_BILL_BLOCK ||
	    item == BESS_BILL_EXPORT ? "kWh" : "";
}

static void
write_csv(FILE *fp, const struct bess_rates *r, const struct bess_bill_row *row,
    const struct bess_bill_row *after, size_t n)
{
	size_t i;

	fputs("bill,item,period,quantity,unit,rate,peak_kw,ratchet_kw,amount", fp);
	if (after)
		fputs(",after_quantity,after_peak_kw,after_amount,saving", fp);
	fputc('\n', fp);
	for (i = 0; i < n; i++) {
		const struct bess_bill_row *w = &row[i];

		fputs(w->bill >= 0 ? r->bill_label[w->bill] : "all", fp);
		field(fp, bess_bill_item_name(w->item));
		field(fp, w->what);
		num(fp, w->qty);
		field(fp, unit_of(w->item));
		num(fp, w->rate);
		num(fp, w->peak_kw);
		num(fp, w->ratchet_kw);
		num(fp, w->amount);
		if (after) {
			num(fp, after[i].qty);
			num(fp, after[i].peak_kw);
			num(fp, after[i].amount);
			num(fp, w->amount - after[i].amount);
		}
		fputc('\n', fp);
	}
}

/* A bill to read: amounts to the cent. */
static void
write_text(FILE *fp, const struct bess_rates *r, const struct bess_bill_row *row,
    const struct bess_bill_row *after, size_t n)
{
	size_t i;
	int cur = -2;

	for (i = 0; i < n; i++) {
		const struct bess_bill_row *w = &row[i];
		char q[64] = "", tail[96] = "";

		if (w->bill != cur) {
			char head[40];

			cur = w->bill;
			snprintf(head, sizeof(head), "bill %s", cur >= 0 ? r->bill_label[cur] : "all");
			if (after)
				fprintf(fp, "%s%-53s%11s %11s %11s\n", i ? "\n" : "", head, "before", "after",
				    "saving");
			else
				fprintf(fp, "%s%s\n", i ? "\n" : "", head);
		}
		if (!isnan(w->qty))
			snprintf(q, sizeof(q), "%.2f %s", w->qty, unit_of(w->item));
		if (after && !isnan(w->qty))
			snprintf(q, sizeof(q), "%.2f/%.2f %s", w->qty, after[i].qty, unit_of(w->item));
		if (w->item == BESS_BILL_DEMAND && w->ratchet_kw > 0)
			snprintf(tail, sizeof(tail), "  (peak %.2f kW, ratchet %.2f kW)", w->peak_kw,
			    w->ratchet_kw);
		/* + 0.0: a credit of nothing prints as 0.00, not -0.00 */
		fprintf(fp, "  %-8s %-18.18s %22s %11.2f", bess_bill_item_name(w->item), w->what, q,
		    w->amount + 0.0);
		if (after)
			fprintf(fp, " %11.2f %11.2f", after[i].amount + 0.0, w->amount - after[i].amount + 0.0);
		fprintf(fp, "%s\n", tail);
	}
}

void
bess_bill_write(FILE *fp, int text, const struct bess_rates *r, const struct bess_bill_row *row,
    const struct bess_bill_row *after, size_t n)
{
	if (text)
		write_text(fp, r, row, after, n);
	else
		write_csv(fp, r, row, after, n);
}
