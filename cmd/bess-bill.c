/* bess-bill: the bills a meter series comes to under a tariff — one per billing period, line by line — and what a battery saved. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_bill.h"
#include "bess_billrun.h"
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
		if (bess_opt_pick(arg, (const char *const[]){ "csv", "text", NULL }, &k, err) != 0)
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
		return bess_opt_fmt(arg, 0, &c->rd.fmt, err);
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
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
	double *imp = NULL, *exp_ = NULL, *imp_a = NULL, *exp_a = NULL;	/* the meters' flows, kW per step */
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
	if (c.after && cli_read_table(&ta, &c.rd, 1, (char *[]){ (char *)c.after, NULL }, 0) != 0)
		goto done;
	if (c.after && bess_bill_same_times(&t, &ta, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (cli_table_num(&t, "price", &price, NULL) != 0 ||
	    cli_table_num(&t, "export_price", &xprice, NULL) != 0)
		goto done;
	if (bess_bill_meter(&t, c.compare ? "load_kw" : NULL, &imp, &exp_, &err) != 0 ||
	    (two && bess_bill_meter(c.compare ? &t : &ta, c.compare ? "grid_import_kw" : NULL, &imp_a,
	    &exp_a, &err) != 0)) {
		cli_error(&err);
		goto done;
	}
	if (bess_rates_build(&rates, tariff, t.ts, t.n, step_us, price, xprice, &c.site, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (bess_rates_cost(&rates, imp, exp_, NULL, 0, &cost, NULL, &err) != 0 ||
	    bess_bill_rows(&rates, &cost, &rows, &nrows, &err) != 0 ||
	    (two && (bess_rates_cost(&rates, imp_a, exp_a, NULL, 0, &cost_a, NULL, &err) != 0 ||
	    bess_bill_rows(&rates, &cost_a, &rows_a, &nrows_a, &err) != 0))) {
		cli_error(&err);
		goto done;
	}
	if ((out = cli_out_open(c.output)) == NULL)
		goto done;
	bess_bill_write(out, c.text, &rates, rows, rows_a, nrows);
	if (cli_out_commit() != 0)
		goto done;
	status = 0;
done:
	free(rows);
	free(rows_a);
	bess_cost_free(&cost);
	bess_cost_free(&cost_a);
	free(imp);
	free(exp_);
	free(imp_a);
	free(exp_a);
	free(price);
	free(xprice);
	bess_rates_free(&rates);
	bess_tariff_free(tariff);
	bess_table_free(&t);
	bess_table_free(&ta);
	bess_site_free(&c.site);
	return cli_finish(status);
}
