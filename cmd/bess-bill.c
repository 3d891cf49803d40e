/* bess-bill: the bills a meter series comes to under a tariff — one per billing period, line by line — and what a battery saved. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_bill.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_tariff.h"
#include "cli.h"

enum { O_FORMAT = CLI_O_OWN, O_AFTER, O_COMPARE, O_INFMT };

static const struct bess_optdef opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "tariff", 0, BESS_OPT_ARG, BESS_O_TARIFF },
	{ "export", 0, BESS_OPT_ARG, BESS_O_EXPORT },
	{ "peak-so-far", 0, BESS_OPT_ARG, BESS_O_PEAK_SO_FAR },
	{ "after", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_AFTER },
	{ "compare", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_COMPARE },
	{ "input-format", 'i', BESS_OPT_ARG, O_INFMT },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_battery bat;	/* unused: the shared setter wants one */
	struct bess_site site;		/* --tariff, --export, --peak-so-far */
	const char *output;		/* -o */
	const char *after;		/* --after FILE */
	int compare;			/* --compare */
	int text;			/* -f text */
	struct bess_reader_opts rd;	/* input */
};

static void
usage(void)
{
	printf("usage: bess-bill [options] [file ...]\n"
	    "The bills a meter series comes to under a tariff: one per billing period,\n"
	    "line by line (energy by period and block, demand with the ratchet, fixed\n"
	    "charge, export credit, minimum top-up, total), and with --after or --compare\n"
	    "the same bills after a battery and the saving. The meter is the columns\n"
	    "grid_import_kw and grid_export_kw, or import_kw and export_kw, or else\n"
	    "load_kw minus solar_kw; 'price' and 'export_price' columns are used where\n"
	    "the tariff has no energy or export rate.\n"
	    "\n"
	    "      --tariff FILE      the tariff (bess-tariff(5)); without it, the price column\n"
	    "      --export MODE      how export is paid: auto (default: the tariff's export\n"
	    "                         rate, else export_price, else price), none, import-price,\n"
	    "                         column\n"
	    "      --peak-so-far [PERIOD=]QTY  the first bill's peak before the data (50kW)\n"
	    "      --after FILE       the meter after a battery, on the same times: bill both,\n"
	    "                         and the saving\n"
	    "      --compare          the input is a schedule (bess-optimize, bess-dispatch):\n"
	    "                         before = load_kw - solar_kw, after = grid_import_kw and\n"
	    "                         grid_export_kw\n"
	    "  -f, --format FMT       csv (default: one line per bill line) or text (to read)\n"
	    "  -i, --input-format FMT csv or ndjson (default: from the content)\n"
	    "  -o, --output FILE      write there (atomically) instead of stdout\n"
	    "  -c, --config FILE      read options from FILE\n"
	    "      --help, --version\n"
	    "\n"
	    "Exit status: 0 success, 1 data error, 2 usage.\n"
	    "See bess-bill(1), bess-tariff(5) and bess(7).\n");
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	int k;

	(void)src;
	if (bess_battery_is_opt(id))
		return bess_battery_set(&c->bat, &c->site, id, arg, err);
	switch (id) {
	case O_FORMAT:
		if (cli_pick(arg, (const char *const[]){ "csv", "text", NULL }, &k, err) != 0)
			return -1;
		c->text = k == 1;
		return 0;
	case O_AFTER:
		c->after = arg;
		return 0;
	case O_COMPARE:
		c->compare = 1;
		return 0;
	case O_INFMT:
		return cli_fmt_opt(arg, 0, &c->rd.fmt, err);
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* One meter: its table's flows, by the first column set it has (or the one asked for). */
struct meter {
	double *imp, *exp_;		/* kW per step (owned) */
};

static int
meter_read(const struct bess_table *t, const char *want, struct meter *m)
{
	static const char *const sets[][2] = {
		{ "grid_import_kw", "grid_export_kw" }, { "import_kw", "export_kw" }, { "load_kw", "solar_kw" }
	};
	double *a = NULL, *b = NULL;
	struct bess_err err;
	size_t s, bad = 0;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	for (s = 0; s < 3; s++) {
		if (want && strcmp(want, sets[s][0]) != 0)
			continue;
		if (bess_table_col(t, sets[s][0]) >= 0)
			break;
	}
	if (s == 3) {
		cli_errorf("%s: no meter column: %s", t->file[0], want ? want :
		    "'grid_import_kw', 'import_kw' or 'load_kw' (with 'solar_kw')");
		return -1;
	}
	if (cli_table_num(t, sets[s][0], &a, NULL) != 0 || cli_table_num(t, sets[s][1], &b, NULL) != 0)
		goto done;
	if ((m->imp = calloc(t->n + 1, sizeof(double))) == NULL ||
	    (m->exp_ = calloc(t->n + 1, sizeof(double))) == NULL) {
		cli_errorf("out of memory");
		goto done;
	}
	if (bess_meter_flows(t->n, s < 2 ? a : NULL, s < 2 ? b : NULL, s == 2 ? a : NULL,
	    s == 2 ? b : NULL, m->imp, m->exp_, &bad, &err) != 0) {
		struct bess_err e2;

		bess_err_set(&e2, t->file[t->src[bad]], t->line[bad], "%s", err.msg);
		cli_error(&e2);
		goto done;
	}
	rc = 0;
done:
	free(a);
	free(b);
	if (rc != 0) {
		free(m->imp);
		free(m->exp_);
		memset(m, 0, sizeof(*m));
	}
	return rc;
}

/* A number for CSV: shortest form people read (6 decimals at most), empty for NAN. */
static void
num(FILE *fp, double v)
{
	char buf[32];

	fputc(',', fp);
	if (!isnan(v))
		fputs(cli_num6(v, buf), fp);
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

/* Do a and b hold the same times? */
static int
same_grid(const struct bess_table *a, const struct bess_table *b)
{
	size_t i;

	if (a->n != b->n) {
		cli_errorf("%s: %zu records, but %s has %zu (the meters must cover the same times)",
		    b->file[0], b->n, a->file[0], a->n);
		return 0;
	}
	for (i = 0; i < a->n; i++)
		if (a->ts[i] != b->ts[i]) {
			struct bess_err err;

			bess_err_set(&err, b->file[b->src[i]], b->line[i], "not the time of %s:%ld "
			    "(the meters must cover the same times)", a->file[a->src[i]], a->line[i]);
			cli_error(&err);
			return 0;
		}
	return 1;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	struct bess_table t, ta;
	struct bess_tariff *tariff = NULL;
	struct bess_rates rates;
	struct bess_cost cost, cost_a;
	struct bess_bill_row *rows = NULL, *rows_a = NULL;
	struct meter m, ma;
	size_t nrows = 0, nrows_a = 0;
	double *price = NULL, *xprice = NULL;
	long long step_us = 0;
	int first, status = EXIT_DATA, two;
	FILE *out;

	cli_init("bess-bill");
	memset(&c, 0, sizeof(c));
	memset(&rates, 0, sizeof(rates));
	memset(&cost, 0, sizeof(cost));
	memset(&cost_a, 0, sizeof(cost_a));
	memset(&m, 0, sizeof(m));
	memset(&ma, 0, sizeof(ma));
	bess_table_init(&t);
	bess_table_init(&ta);
	bess_battery_init(&c.bat);
	bess_site_init(&c.site);
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0) {
		bess_site_free(&c.site);
		cli_usage("%s", err.msg);
	}
	if (c.after && c.compare) {
		bess_site_free(&c.site);
		cli_usage("--after and --compare are two ways to give the second meter: pick one");
	}
	two = c.after || c.compare;
	if (c.site.tariff_path && (tariff = bess_tariff_load(c.site.tariff_path, &err)) == NULL) {
		cli_error(&err);
		goto done;
	}
	if (cli_read_grid(&t, &c.rd, argc, argv, first, &step_us) != 0)
		goto done;
	if (c.after && (cli_read_table(&ta, &c.rd, 1, (char *[]){ (char *)c.after, NULL }, 0) != 0 ||
	    !same_grid(&t, &ta)))
		goto done;
	if (cli_table_num(&t, "price", &price, NULL) != 0 ||
	    cli_table_num(&t, "export_price", &xprice, NULL) != 0)
		goto done;
	if (meter_read(&t, c.compare ? "load_kw" : NULL, &m) != 0 ||
	    (two && meter_read(c.compare ? &t : &ta, c.compare ? "grid_import_kw" : NULL, &ma) != 0))
		goto done;
	if (bess_rates_build(&rates, tariff, t.ts, t.n, step_us, price, xprice, &c.site, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (bess_rates_cost(&rates, m.imp, m.exp_, NULL, 0, &cost, NULL, &err) != 0 ||
	    bess_bill_rows(&rates, &cost, &rows, &nrows, &err) != 0 ||
	    (two && (bess_rates_cost(&rates, ma.imp, ma.exp_, NULL, 0, &cost_a, NULL, &err) != 0 ||
	    bess_bill_rows(&rates, &cost_a, &rows_a, &nrows_a, &err) != 0))) {
		cli_error(&err);
		goto done;
	}
	if ((out = cli_out_open(c.output)) == NULL)
		goto done;
	if (c.text)
		write_text(out, &rates, rows, rows_a, nrows);
	else
		write_csv(out, &rates, rows, rows_a, nrows);
	if (cli_out_commit() != 0)
		goto done;
	status = 0;
done:
	free(rows);
	free(rows_a);
	bess_cost_free(&cost);
	bess_cost_free(&cost_a);
	free(m.imp);
	free(m.exp_);
	free(ma.imp);
	free(ma.exp_);
	free(price);
	free(xprice);
	bess_rates_free(&rates);
	bess_tariff_free(tariff);
	bess_table_free(&t);
	bess_table_free(&ta);
	bess_site_free(&c.site);
	return cli_finish(status);
}
