/* bess-optimize: the cost-minimising battery schedule for prices, load and solar on a regular grid, solved with GLPK. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_battery.h"
#include "bess_devices.h"
#include "bess_devplan.h"
#include "bess_devrec.h"
#include "bess_fleet.h"
#include "bess_atomic.h"
#include "bess_event.h"
#include "bess_lp.h"
#include "bess_lpbill.h"
#include "bess_optimize.h"
#include "bess_offer.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_rec.h"
#include "bess_summary.h"
#include "bess_table.h"
#include "bess_tariff.h"
#include "cli.h"

#define EXIT_INFEASIBLE 3	/* the problem is infeasible; a fallback schedule was written */
#define EXIT_FEASIBLE 4		/* a schedule was written, not proved optimal within --mip-gap */

enum {
	O_FORMAT = CLI_O_OWN, O_SUMMARY, O_EMIT_LP, O_METHOD,
	O_INFMT, O_QUIET, O_EVENTS, O_BASELINE_FROM, O_DEVICES, O_PER_DEVICE, O_OFFER,
	O_EVENT_REPORT, O_BATTERY
};

static const struct bess_optdef own_opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "summary", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_SUMMARY },
	{ "emit-lp", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_EMIT_LP },
	{ "method", 0, BESS_OPT_ARG, O_METHOD },
	{ "input-format", 'i', BESS_OPT_ARG, O_INFMT },
	{ "quiet", 'q', BESS_OPT_FLAG, O_QUIET },
	{ "events", 0, BESS_OPT_ARG, O_EVENTS },
	{ "baseline-from", 0, BESS_OPT_ARG, O_BASELINE_FROM },
	{ "devices", 0, BESS_OPT_ARG, O_DEVICES },
	{ "per-device", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_PER_DEVICE },
	{ "offer", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_OFFER },
	{ "event-report", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_EVENT_REPORT },
	{ "battery", 0, BESS_OPT_ARG, O_BATTERY },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_battery bat;	/* battery */
	struct bess_site site;		/* grid connection, tariff, binaries rule */
	const char *output;		/* -o */
	const char *summary;		/* --summary FILE ("-" = stderr) */
	const char *emit_lp;		/* --emit-lp FILE */
	int fmt;			/* BESS_FMT_CSV, _NDJSON, or FMT_DOC */
	enum bess_lp_method method;	/* --method */
	struct bess_reader_opts rd;	/* input */
	int quiet;			/* no human line */
	const char *events;		/* --events FILE: demand-response events (bess-events(5)) */
	const char *baseline_from;	/* --baseline-from FILE: load history for like-days baselines */
	const char *devices;		/* --devices FILE (bess-devices(5)) */
	const char *per_device;		/* --per-device FILE ("-" = stderr) */
	const char *offer;		/* --offer FILE: events offered, weighed one by one */
	const char *event_report;	/* --event-report FILE: one record per event and offer */
	struct bess_fleet_specs bspec;	/* --battery values */
	struct bess_fleet fleet;	/* the batteries (one: bat, id "battery") */
};

#define FMT_DOC 100	/* -f json: one JSON document with arrays */

static void
usage(void)
{
	printf("usage: bess-optimize [options] [file ...]\n"
	    "Read prices (and optionally load_kw, solar_kw, export_price, import_limit_kw,\n"
	    "export_limit_kw) on a regular time grid and write the battery schedule that\n"
	    "minimises the cost of energy, demand charges and degradation (GLPK LP).\n"
	    "\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "  -f, --format FMT       csv (default), ndjson, or json (one document with arrays)\n"
	    "      --summary FILE     write the summary as JSON to FILE ('-' = stderr)\n"
	    "      --emit-lp FILE     write the model in CPLEX LP format\n"
	    "      --method M         auto (default), simplex or interior\n"
	    "  -i, --input-format F   csv or ndjson (default: detected)\n"
	    "  -q, --quiet            no summary line on a terminal\n"
	    "      --events FILE      demand-response events to meet (bess-events(5))\n"
	    "      --baseline-from FILE  load history (ts, load_kw[, solar_kw]) for the\n"
	    "                         events' like-days baselines\n"
	    "      --devices FILE     controllable loads to schedule with the battery (bess-devices(5))\n"
	    "      --per-device FILE  write one record per device and step to FILE ('-' = stderr)\n"
	    "      --offer FILE       events offered: is each worth accepting? (the schedule\n"
	    "                         is planned without them; the summary weighs each)\n"
	    "      --event-report FILE  one record per event and offer ('-' = stderr)\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n");
	printf("%s", bess_battery_usage);
	printf("\n"
	    "Exit status: 0 optimal, 1 bad data or I/O error, 2 usage error,\n"
	    "3 infeasible (a fallback schedule with the battery idle was written),\n"
	    "4 feasible: a schedule was written but not proved within --mip-gap.\n"
	    "See bess-optimize(1), bess-tariff(5) and bess(7).\n");
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	enum bess_fmt f;
	int k;

	(void)src;
	if (bess_battery_is_opt(id))
		return bess_battery_set(&c->bat, &c->site, id, arg, err);
	switch (id) {
	case O_FORMAT:
		if (strcmp(arg, "json") == 0) {
			c->fmt = FMT_DOC;
			return 0;
		}
		if (bess_fmt_parse(arg, &f) != 0 || f == BESS_FMT_LP)
			return bess_err_set(err, NULL, 0, "'%s' is not csv, ndjson or json", arg);
		c->fmt = f;
		return 0;
	case O_SUMMARY:
		c->summary = arg;
		return 0;
	case O_EMIT_LP:
		c->emit_lp = arg;
		return 0;
	case O_METHOD:
		if (bess_opt_pick(arg, (const char *const[]){ "auto", "simplex", "interior", NULL }, &k, err) != 0)
			return -1;
		c->method = k == 0 ? BESS_LP_AUTO : k == 1 ? BESS_LP_SIMPLEX : BESS_LP_INTERIOR;
		return 0;
	case O_INFMT:
		return bess_opt_fmt(arg, 0, &c->rd.fmt, err);
	case O_QUIET:
		c->quiet = 1;
		return 0;
	case O_EVENTS:
		c->events = arg;
		return 0;
	case O_BASELINE_FROM:
		c->baseline_from = arg;
		return 0;
	case O_DEVICES:
		c->devices = arg;
		return 0;
	case O_BATTERY:
		return bess_fleet_specs_add(&c->bspec, arg, src, err);
	case O_PER_DEVICE:
		c->per_device = arg;
		return 0;
	case O_OFFER:
		c->offer = arg;
		return 0;
	case O_EVENT_REPORT:
		c->event_report = arg;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/*
 * --emit-lp: GLPK writes the model by name, to the temporary file of the
 * one atomic writer (or in place for a device or FIFO), renamed into place.
 */
static int
emit_lp(const char *path, struct bess_lp *lp)
{
	struct bess_atomic a;
	struct bess_err err;

	if (bess_atomic_open(&a, path, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	if (bess_lp_write(lp, bess_atomic_name(&a), &err) != 0) {
		bess_atomic_abort(&a);
		cli_errorf("%s: %s", path, err.msg);	/* err names the temporary file */
		return -1;
	}
	if (bess_atomic_commit(&a, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* --per-device: one record per device and step (bess(7) PER-DEVICE RECORDS), written atomically. */
static int
write_per_device(const struct conf *c, const struct bess_optimize *o)
{
	char *buf;
	size_t len;
	int rc;

	if (bess_optimize_per_device(o, c->fmt == BESS_FMT_NDJSON ? BESS_FMT_NDJSON : BESS_FMT_CSV,
	    &buf, &len) != 0) {
		cli_errorf("out of memory");
		return -1;
	}
	rc = cli_side_text(c->per_device, buf, len);
	free(buf);
	return rc;
}

/* --event-report: one record per event and offer, CSV (NDJSON with -f ndjson or json). */
static int
write_event_report(const struct conf *c, const struct bess_optimize *o)
{
	char *buf;
	size_t len;
	int rc;

	if (bess_event_records(o->plan, o->ev, o->nev, o->offer, o->noffer,
	    c->fmt == BESS_FMT_CSV ? BESS_FMT_CSV : BESS_FMT_NDJSON, &buf, &len) != 0) {
		cli_errorf("out of memory");
		return -1;
	}
	rc = cli_side_text(c->event_report, buf, len);
	free(buf);
	return rc;
}

/* A column that must have a value in every row. */
static int
complete(const struct bess_table *t, const char *name, const double *v)
{
	size_t i;

	for (i = 0; v && i < t->n; i++)
		if (isnan(v[i])) {
			struct bess_err err;

			bess_err_set(&err, t->file[t->src[i]], t->line[i], "column '%s' is empty", name);
			cli_error(&err);
			return -1;
		}
	return 0;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_optdef *opts;
	struct bess_err err;
	struct bess_table t;
	struct bess_tariff *tariff = NULL;
	struct bess_rates rates;
	struct bess_optimize_in in;
	struct bess_optimize o;
	struct bess_devices *dv = NULL;
	double *price = NULL, *xprice = NULL, *load = NULL, *solar = NULL, *il = NULL, *el = NULL;
	long long step_us = 0;
	int first, status = EXIT_DATA, solar_col = -1, rc;
	FILE *out;

	cli_init("bess-optimize");
	memset(&c, 0, sizeof(c));
	memset(&rates, 0, sizeof(rates));
	memset(&o, 0, sizeof(o));
	bess_table_init(&t);
	bess_battery_init(&c.bat);
	bess_site_init(&c.site);
	c.fmt = BESS_FMT_CSV;
	c.rd.skip = 0;
	if ((opts = bess_battery_optdefs_join(own_opts)) == NULL) {
		cli_errorf("out of memory");
		return EXIT_DATA;
	}
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0) {
		free(opts);
		bess_site_free(&c.site);
		cli_usage_err(&err);
	}
	free(opts);
	if (bess_fleet_build_specs(&c.fleet, &c.bat, &c.bspec, &err) != 0) {
		bess_site_free(&c.site);
		bess_fleet_specs_free(&c.bspec);
		cli_usage_err(&err);
	}
	c.bat = c.fleet.bat[0];
	if (c.per_device && !c.devices && !c.fleet.given) {
		bess_site_free(&c.site);
		cli_usage("--per-device needs --devices or --battery");
	}
	if (c.site.tariff_path && (tariff = bess_tariff_load(c.site.tariff_path, &err)) == NULL) {
		cli_error(&err);
		goto done;
	}
	if (c.devices && (dv = bess_devices_load(c.devices, &err)) == NULL) {
		cli_error(&err);
		goto done;
	}
	if (cli_read_grid(&t, &c.rd, argc, argv, first, &step_us) != 0)
		goto done;
	if (cli_table_num(&t, "price", &price, NULL) != 0 ||
	    cli_table_num(&t, "export_price", &xprice, NULL) != 0 ||
	    cli_table_num(&t, "load_kw", &load, NULL) != 0 ||
	    cli_table_num(&t, "solar_kw", &solar, &solar_col) != 0 ||
	    cli_table_num(&t, "import_limit_kw", &il, NULL) != 0 ||
	    cli_table_num(&t, "export_limit_kw", &el, NULL) != 0)
		goto done;
	if (price == NULL && tariff == NULL) {
		cli_errorf("%s: no 'price' column (and no --tariff with energy rates)", t.file[0]);
		goto done;
	}
	if (complete(&t, "load_kw", load) != 0 || complete(&t, "solar_kw", solar) != 0 ||
	    (tariff == NULL && complete(&t, "price", price) != 0))
		goto done;
	if (bess_rates_build(&rates, tariff, t.ts, t.n, step_us, price, xprice, &c.site, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (tariff != NULL) {
		char unplanned[300];

		if (*bess_lpbill_unplanned(&rates, unplanned, sizeof(unplanned)))
			cli_warnf("%s: %s: in the cost, not in the plan (the schedule does not weigh them)",
			    c.site.tariff_path, unplanned);
	}

	memset(&in, 0, sizeof(in));
	in.fleet = &c.fleet;
	in.site = &c.site;
	in.t = &t;
	in.step_us = step_us;
	in.rates = &rates;
	in.load_kw = load;
	in.solar_kw = solar;
	in.import_limit_kw = il;
	in.export_limit_kw = el;
	in.events = c.events;
	in.offer = c.offer;
	in.baseline_from = c.baseline_from;
	in.dv = dv;
	in.method = c.method;
	if (bess_optimize_build(&o, &in, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (c.emit_lp && emit_lp(c.emit_lp, o.lp) != 0)
		goto done;
	rc = bess_optimize_solve(&o, &err);
	if (o.status != NULL) {		/* the solver answered */
		status = o.res.status == BESS_LP_OPTIMAL ? 0 : o.res.status == BESS_LP_FEASIBLE ?
		    EXIT_FEASIBLE : o.res.status == BESS_LP_INFEASIBLE ? EXIT_INFEASIBLE : EXIT_DATA;
		if (o.note.msg[0])
			cli_error(&o.note);
		if (o.devplan)
			bess_devplan_warnings(o.devplan, 1, cli_warn_msg, NULL);
	}
	if (rc != 0) {
		cli_error(&err);
		status = EXIT_DATA;
		goto done;
	}
	if (c.event_report && write_event_report(&c, &o) != 0) {
		status = EXIT_DATA;
		goto done;
	}

	if ((out = cli_out_open(c.output)) == NULL) {
		status = EXIT_DATA;
		goto done;
	}
	if (c.fmt == FMT_DOC)
		bess_optimize_doc(out, &o);
	else if (bess_optimize_records(out, (enum bess_fmt)c.fmt, &o, &err) != 0) {
		if (err.msg[0])
			cli_error(&err);
		cli_out_abort();
		status = EXIT_DATA;
		goto done;
	}
	/* the side files first: if one cannot be written, the schedule is not committed either */
	if (c.per_device && write_per_device(&c, &o) != 0) {
		cli_out_abort();
		status = EXIT_DATA;
		goto done;
	}
	if (c.summary && strcmp(c.summary, "-") != 0) {
		char *buf = NULL;
		size_t len = 0;
		FILE *mf = open_memstream(&buf, &len);

		if (mf == NULL) {
			cli_errorf("out of memory");
			cli_out_abort();
			status = EXIT_DATA;
			goto done;
		}
		if (bess_optimize_summary_json(mf, &o) != 0) {
			fclose(mf);
			free(buf);
			cli_errorf("out of memory");
			cli_out_abort();
			status = EXIT_DATA;
			goto done;
		}
		fputc('\n', mf);
		fclose(mf);
		if (cli_side_write(c.summary, buf, len) != 0) {
			free(buf);
			cli_out_abort();
			status = EXIT_DATA;
			goto done;
		}
		free(buf);
	}
	if (cli_out_commit() != 0) {
		status = EXIT_DATA;
		goto done;
	}
	if (c.summary && strcmp(c.summary, "-") == 0) {
		fflush(stdout);
		if (bess_optimize_summary_json(stderr, &o) != 0) {
			cli_errorf("out of memory");
			status = EXIT_DATA;
		} else {
			fputc('\n', stderr);
		}
	} else if (!c.quiet && cli_interactive()) {
		fprintf(stderr, "%s: %s: cost %.2f (%.2f without the battery, saving %.2f), %zu steps, "
		    "%s%s %.1f ms\n", cli_prog, o.status, o.cost.total, o.base.total,
		    bess_cost_saving(&o.cost, &o.base), t.n, o.res.method ? o.res.method : "", o.res.milp ?
		    " (milp)" : "", o.res.solve_ms);
	}
done:
	bess_optimize_free(&o);
	bess_devices_free(dv);
	bess_rates_free(&rates);
	bess_tariff_free(tariff);
	bess_table_free(&t);
	bess_site_free(&c.site);
	bess_fleet_specs_free(&c.bspec);
	free(price);
	free(xprice);
	free(load);
	free(solar);
	free(il);
	free(el);
	return cli_finish(status);
}
