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
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT },
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

/* The output columns this tool writes (an input column of the same name is replaced). */
static const char *const out_cols[] = {
	"charge_kw", "discharge_kw", "battery_kw", "soc_kwh", "soc_pct", "grid_import_kw",
	"grid_export_kw", "curtail_kw", "cost", "status", NULL
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
	if (cli_common_opt(id, arg, usage, &c->output))
		return 0;
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
		if (cli_pick(arg, (const char *const[]){ "auto", "simplex", "interior", NULL }, &k, err) != 0)
			return -1;
		c->method = k == 0 ? BESS_LP_AUTO : k == 1 ? BESS_LP_SIMPLEX : BESS_LP_INTERIOR;
		return 0;
	case O_INFMT:
		return cli_fmt_opt(arg, 0, &c->rd.fmt, err);
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

/* A JSON number (shortest round-trip form), or null when not finite. */
static void
jnum(FILE *fp, double v)
{
	char buf[32];

	if (!isfinite(v)) {
		fputs("null", fp);
		return;
	}
	if (v == 0)
		v = 0;	/* no "-0" */
	bess_fmt_num(v, buf);
	fputs(buf, fp);
}

/* ,"key":number */
static void
jkv(FILE *fp, const char *key, double v)
{
	fprintf(fp, ",\"%s\":", key);
	jnum(fp, v);
}

/* Everything the summary says. */
struct outcome {
	const char *status;		/* "optimal", "feasible" (not proved within the gap) or "fallback" */
	const char *solver_status;	/* "optimal", "feasible", "infeasible", "failed" */
	char reason[600];		/* why a fallback, "" if optimal */
	long bad_step;			/* first step that cannot be met, -1 */
	struct bess_lp_result res;	/* solver answer */
	struct bess_cost cost;		/* the written schedule, priced */
	struct bess_cost base;		/* the site without the battery, priced */
	struct bess_lp_schedule *sc;	/* the written schedule */
	const double *base_import;	/* the grid import without the battery, kW per step */
	size_t n;			/* steps */
	double step_s;			/* step length, seconds */
	const struct bess_event_plan *plan;	/* demand-response events on the grid */
	struct bess_event_result *ev;	/* and settled against the written schedule */
	size_t nev;
	double dt_h;			/* step length, hours */
	const struct bess_devplan *dp;	/* the devices' plan, NULL without --devices */
	struct bess_offer *offer;	/* offered events, weighed */
	size_t noffer;
};

/* Everything the summary says, as one record (key vocabulary in bess(7)). */
static void
summary_kv(struct bess_kv *k, const struct conf *c, const struct bess_rates *r, const struct outcome *o)
{
	const struct bess_battery *b = &c->bat;

	bess_kv_str(k, "status", o->status);
	bess_kv_str(k, "solver_status", o->solver_status);
	if (o->reason[0]) {
		bess_kv_str(k, "reason", o->reason);
		if (o->bad_step >= 0)
			bess_kv_int(k, "first_bad_step", o->bad_step);
		else
			bess_kv_add(k, "first_bad_step", NULL, BESS_K_NULL);
	}
	bess_kv_num(k, "objective", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.objective : NAN);
	bess_summary_cost(k, "", &o->cost, &o->base);
	bess_summary_energy(k, o->sc->import_kw, o->sc->export_kw, o->n, o->step_s / 3600);
	bess_kv_num(k, "total_cost", o->cost.total);	/* deprecated: "cost" */
	bess_kv_num(k, "soc_penalty", o->res.penalty);
	bess_summary_events(k, o->plan, o->ev, o->nev, &o->cost, &o->base,
	    o->dp ? o->dp->all.shed_cost : 0);
	bess_summary_offers(k, o->offer, o->noffer);
	bess_summary_demand(k, r, &o->cost, &o->base);
	bess_summary_peaks(k, o->sc->import_kw, o->base_import, o->n, &o->cost);
	bess_kv_fig(k, "baseline_cost", o->base.total);
	if (o->dp)
		bess_devplan_summary(k, o->dp);
	bess_kv_fig(k, "throughput_kwh", o->cost.throughput_kwh);
	bess_kv_fig(k, "cycles", o->cost.throughput_kwh / c->fleet.capacity_kwh);
	if (c->fleet.n == 1) {
		bess_kv_num(k, "soc_init_kwh", b->soc_init_kwh);
		bess_kv_num(k, "soc_final_kwh", o->n ? o->sc->soc_kwh[o->n - 1] : b->soc_init_kwh);
		bess_kv_num(k, "soc_violation_kwh", fmax(o->sc->soc_violation_kwh, b->soc_init_kwh <
		    b->soc_min_kwh ? b->soc_min_kwh - b->soc_init_kwh : b->soc_init_kwh - b->soc_max_kwh > 0 ?
		    b->soc_init_kwh - b->soc_max_kwh : 0));
	} else {	/* the sums; the violation the largest of any battery */
		double init = 0, viol = o->sc->soc_violation_kwh;
		size_t i;

		for (i = 0; i < c->fleet.n; i++) {
			b = &c->fleet.bat[i];
			init += b->soc_init_kwh;
			viol = fmax(viol, fmax(b->soc_min_kwh - b->soc_init_kwh, b->soc_init_kwh - b->soc_max_kwh));
		}
		bess_kv_num(k, "soc_init_kwh", init);
		bess_kv_num(k, "soc_final_kwh", o->n ? o->sc->soc_kwh[o->n - 1] : init);
		bess_kv_num(k, "soc_violation_kwh", viol);
	}
	bess_kv_int(k, "soc_violation_steps", (long long)o->sc->soc_violation_steps);
	if (c->fleet.given)
		bess_fleet_summary(k, &c->fleet, o->sc, r, o->n);
	bess_kv_int(k, "steps", (long long)o->n);
	bess_kv_num(k, "step_s", o->step_s);
	bess_kv_bool(k, "milp", o->res.milp);
	bess_kv_num(k, "milp_bound", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.milp_bound : NAN);
	bess_kv_num(k, "milp_gap", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.milp_gap : NAN);
	bess_kv_num(k, "milp_gap_limit", o->res.milp ? o->res.mip_gap : NAN);
	bess_kv_bool(k, "time_limited", o->res.time_limited);
	bess_kv_str(k, "solver", bess_lp_solver());
	bess_kv_str(k, "method", o->res.method ? o->res.method : "none");
	bess_kv_int(k, "iterations", o->res.iterations);
	bess_kv_fig(k, "solve_ms", o->res.solve_ms);
}

/* The summary as one JSON object (no newline); -1 when out of memory. */
static int
summary_json(FILE *fp, const struct conf *c, const struct bess_rates *r, const struct outcome *o)
{
	struct bess_kv k;
	size_t len;
	char *line;

	bess_kv_init(&k);
	summary_kv(&k, c, r, o);
	line = bess_kv_line(&k, &len);
	bess_kv_free(&k);
	if (line == NULL)
		return -1;
	while (len > 0 && line[len - 1] == '\n')
		len--;
	fwrite(line, 1, len, fp);
	free(line);
	return 0;
}

/* The schedule as one JSON document. */
static void
write_doc(FILE *fp, const struct conf *c, const struct bess_table *t, const struct bess_rates *r,
    const struct outcome *o, const double *step_cost)
{
	const struct bess_lp_schedule *sc = o->sc;
	char buf[64];
	size_t i;
	int k;
	double peak = 0;
	static const char *const names[] = {
		"battery_kw", "grid_kw", "soc_kwh", "charge_kw", "discharge_kw", "grid_import_kw",
		"grid_export_kw", "cost", NULL
	};

	fputs("{\"status\":", fp);
	bess_json_fputs(fp, o->status);
	jkv(fp, "objective", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.objective : NAN);
	jkv(fp, "total_cost", o->cost.total);
	jkv(fp, "energy_cost", o->cost.energy_cost);
	jkv(fp, "demand_cost", o->cost.demand_cost);
	for (i = 0; i < o->n; i++)
		peak = fmax(peak, sc->import_kw[i]);
	jkv(fp, "peak_kw", peak);
	fputs(",\"solve_ms\":", fp);
	fprintf(fp, "%.3f", o->res.solve_ms);
	fputs(",\"ts\":[", fp);
	for (i = 0; i < o->n; i++) {
		char tb[BESS_TIME_BUFSZ];

		fputs(i ? ",\"" : "\"", fp);
		fputs(bess_time_format(t->ts[i], tb), fp);
		fputc('"', fp);
	}
	fputc(']', fp);
	for (k = 0; names[k]; k++) {
		fprintf(fp, ",\"%s\":[", names[k]);
		for (i = 0; i < o->n; i++) {
			double v;

			switch (k) {
			case 0: v = sc->charge_kw[i] - sc->discharge_kw[i]; break;
			case 1: v = sc->import_kw[i] - sc->export_kw[i]; break;
			case 2: v = sc->soc_kwh[i]; break;
			case 3: v = sc->charge_kw[i]; break;
			case 4: v = sc->discharge_kw[i]; break;
			case 5: v = sc->import_kw[i]; break;
			case 6: v = sc->export_kw[i]; break;
			default: v = step_cost[i];
			}
			if (i)
				fputc(',', fp);
			fputs(cli_num6(v, buf), fp);
		}
		fputc(']', fp);
	}
	fputs(",\"summary\":", fp);
	summary_json(fp, c, r, o);
	fputs("}\n", fp);
}

/* The schedule as records: the input columns, then ours. */
static int
write_records(FILE *fp, const struct conf *c, const struct bess_table *t, const struct outcome *o,
    const double *step_cost, const int *solar_col)
{
	const struct bess_lp_schedule *sc = o->sc;
	struct cli_rows rw;
	size_t i;

	if (cli_rows_open(&rw, fp, (enum bess_fmt)c->fmt, t, out_cols,
	    *solar_col < 0 ? "curtail_kw" : NULL) != 0)
		return -1;
	for (i = 0; i < o->n; i++) {
		cli_rows_start(&rw, i);
		cli_rows_num(&rw, sc->charge_kw[i]);
		cli_rows_num(&rw, sc->discharge_kw[i]);
		cli_rows_num(&rw, sc->charge_kw[i] - sc->discharge_kw[i]);
		cli_rows_num(&rw, sc->soc_kwh[i]);
		cli_rows_num(&rw, 100 * sc->soc_kwh[i] / c->fleet.capacity_kwh);
		cli_rows_num(&rw, sc->import_kw[i]);
		cli_rows_num(&rw, sc->export_kw[i]);
		if (*solar_col >= 0)
			cli_rows_num(&rw, sc->curtail_kw[i]);
		cli_rows_num(&rw, step_cost[i]);
		cli_rows_text(&rw, o->status, BESS_K_STR);
		if (cli_rows_write(&rw) != 0)
			return cli_rows_close(&rw, 0);
	}
	return cli_rows_close(&rw, 1);
}

/* --per-device: one record per device and step (bess(7) PER-DEVICE RECORDS), written atomically. */
static int
write_per_device(const struct conf *c, const struct bess_devplan *dp, const struct bess_table *t,
    const struct bess_lp_schedule *sc, double dt_h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mf;
	enum bess_fmt f = c->fmt == BESS_FMT_NDJSON ? BESS_FMT_NDJSON : BESS_FMT_CSV;
	int rc;

	if ((mf = open_memstream(&buf, &len)) == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	rc = bess_devrec_header(mf, f);
	if (c->fleet.given)	/* the batteries first, then the devices */
		rc |= bess_fleet_devrec(mf, f, &c->fleet, sc, t->ts, dt_h, t->n);
	if (c->devices)
		rc |= bess_devplan_write(mf, f, dp, t->ts, 0, t->n);
	if (fclose(mf) != 0 || rc != 0) {
		free(buf);
		cli_errorf("out of memory");
		return -1;
	}
	if (strcmp(c->per_device, "-") == 0) {
		fwrite(buf, 1, len, stderr);
		rc = 0;
	} else {
		rc = cli_side_write(c->per_device, buf, len);
	}
	free(buf);
	return rc;
}

/* --event-report: one record per event and offer, CSV (NDJSON with -f ndjson or json). */
static int
write_event_report(const struct conf *c, const struct outcome *o)
{
	char *buf;
	size_t len;
	int rc;

	if (bess_event_records(o->plan, o->ev, o->nev, o->offer, o->noffer,
	    c->fmt == BESS_FMT_CSV ? BESS_FMT_CSV : BESS_FMT_NDJSON, &buf, &len) != 0) {
		cli_errorf("out of memory");
		return -1;
	}
	if (strcmp(c->event_report, "-") == 0) {
		fwrite(buf, 1, len, stderr);
		rc = fflush(stderr) == 0 ? 0 : -1;
	} else {
		rc = cli_side_write(c->event_report, buf, len);
	}
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
	struct bess_lp *lp = NULL;
	struct bess_lp_input in;
	struct bess_lp_opts lo;
	struct bess_lp_schedule sc, idle;
	struct outcome o;
	struct bess_events events, offers;
	struct bess_event_plan *oplans = NULL;
	struct bess_load_history hist;
	struct bess_event_plan *plans = NULL;
	unsigned flags;
	struct bess_devices *dv = NULL;
	struct bess_devplan dp;
	double *base_load = NULL;
	double *price = NULL, *xprice = NULL, *load = NULL, *solar = NULL, *il = NULL, *el = NULL;
	double *step_cost = NULL, soc0[BESS_FLEET_MAX];
	long long step_us = 0;
	int first, status = EXIT_DATA, solar_col = -1;
	FILE *out;

	cli_init("bess-optimize");
	memset(&c, 0, sizeof(c));
	memset(&rates, 0, sizeof(rates));
	memset(&sc, 0, sizeof(sc));
	memset(&idle, 0, sizeof(idle));
	memset(&o, 0, sizeof(o));
	memset(&events, 0, sizeof(events));
	memset(&offers, 0, sizeof(offers));
	memset(&hist, 0, sizeof(hist));
	memset(&dp, 0, sizeof(dp));
	bess_table_init(&t);
	bess_battery_init(&c.bat);
	bess_site_init(&c.site);
	c.fmt = BESS_FMT_CSV;
	c.rd.skip = 0;
	if ((opts = bess_battery_optdefs_join(own_opts)) == NULL) {
		cli_errorf("out of memory");
		return EXIT_DATA;
	}
	if (bess_opt_load(opts, "bess-optimize", argc, argv, set, &c, &first, &err) != 0) {
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
	if (c.offer && c.fleet.n > 1) {
		bess_site_free(&c.site);
		cli_usage("--offer is weighed for one battery only");
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
	in.rates = &rates;
	in.load_kw = load;
	in.solar_kw = solar;
	in.import_limit_kw = il;
	in.export_limit_kw = el;
	in.soc_init_kwh = c.bat.soc_init_kwh;
	if (c.fleet.n > 1) {
		for (size_t i = 0; i < c.fleet.n; i++)
			soc0[i] = c.fleet.bat[i].soc_init_kwh;
		in.bat_soc_init_kwh = soc0;
	}
	flags = bess_lp_flags_for_n(c.fleet.bat, c.fleet.n, &in, t.n);
	if (c.events) {
		if (bess_events_load(&events, c.events, &err) != 0 ||
		    (c.baseline_from && bess_load_history_read(&hist, c.baseline_from, &err) != 0) ||
		    bess_event_plan(&events, t.ts[0], step_us, t.n, c.baseline_from ? &hist : NULL,
		    &plans, &err) != 0) {
			cli_error(&err);
			goto done;
		}
		if ((o.ev = calloc(events.n + 1, sizeof(*o.ev))) == NULL) {
			cli_errorf("out of memory");
			goto done;
		}
		o.plan = plans;
		o.nev = events.n;
		flags |= BESS_LP_SPLIT;		/* events are of the import, not import net of export */
	}
	if (c.offer) {
		if (bess_events_load(&offers, c.offer, &err) != 0 ||
		    (c.baseline_from && hist.n == 0 && bess_load_history_read(&hist, c.baseline_from, &err) != 0) ||
		    bess_event_plan(&offers, t.ts[0], step_us, t.n, c.baseline_from ? &hist : NULL,
		    &oplans, &err) != 0) {
			cli_error(&err);
			goto done;
		}
		if ((o.offer = calloc(offers.n + 1, sizeof(*o.offer))) == NULL) {
			cli_errorf("out of memory");
			goto done;
		}
		for (size_t i = 0; i < offers.n; i++)
			for (size_t j = 0; j < events.n; j++)
				if (offers.ev[i].start_us < events.ev[j].end_us &&
				    events.ev[j].start_us < offers.ev[i].end_us) {
					bess_err_set(&err, offers.file, offers.ev[i].line, "offer '%s' overlaps "
					    "event '%s' (%s:%ld)", offers.ev[i].id, events.ev[j].id, events.file,
					    events.ev[j].line);
					cli_error(&err);
					goto done;
				}
	}
	if ((lp = bess_lp_new_n(c.fleet.bat, c.fleet.n, &c.site, t.n, rates.dt_h, flags, &err)) == NULL ||
	    (o.nev > 0 && bess_lp_events(lp, plans, o.nev, &err) != 0) ||
	    (dv && bess_lp_devices(lp, dv, t.ts, t.n, NULL, &err) != 0) ||
	    bess_lp_update(lp, &in, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (c.emit_lp && emit_lp(c.emit_lp, lp) != 0)
		goto done;
	memset(&lo, 0, sizeof(lo));
	lo.method = c.method;
	lo.milp = c.site.milp;
	if (bess_lp_solve(lp, &lo, &o.res, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (bess_lp_schedule_init_n(&sc, t.n, c.fleet.n) != 0 ||
	    bess_lp_schedule_init_n(&idle, t.n, c.fleet.n) != 0 ||
	    (step_cost = calloc(t.n, sizeof(double))) == NULL) {
		cli_errorf("out of memory");
		goto done;
	}
	o.n = t.n;
	o.step_s = (double)step_us / 1e6;
	o.sc = &sc;
	o.base_import = idle.import_kw;
	o.bad_step = -1;
	if (dv) {
		/* no action: the shiftable devices run as soon as they may (bess-devices(5)) */
		struct bess_lp_input bin = in;
		size_t i;

		if ((base_load = calloc(t.n + 1, sizeof(double))) == NULL) {
			cli_errorf("out of memory");
			goto done;
		}
		for (i = 0; i < t.n; i++)
			base_load[i] = load ? load[i] : 0;
		bess_devices_baseline_add(dv, t.ts, t.n, rates.dt_h, base_load);
		bin.load_kw = base_load;
		bess_lp_idle_n(c.fleet.bat, c.fleet.n, &c.site, &bin, t.n, &idle);
	} else {
		bess_lp_idle_n(c.fleet.bat, c.fleet.n, &c.site, &in, t.n, &idle);
	}
	if (BESS_LP_HAS_SCHEDULE(o.res.status)) {
		o.status = o.solver_status = o.res.status == BESS_LP_OPTIMAL ? "optimal" : "feasible";
		bess_lp_schedule(lp, &sc);
		status = 0;
		if (o.res.status == BESS_LP_FEASIBLE) {
			cli_errorf("feasible, not proved optimal: gap %.3g to the bound %.6g is above "
			    "--mip-gap %.3g (%s)", o.res.milp_gap, o.res.milp_bound, o.res.mip_gap,
			    o.res.time_limited ? "--time-limit stopped branch and bound" :
			    "above 10000 steps each step's direction is fixed, not searched");
			status = EXIT_FEASIBLE;
		}
	} else {
		char why[512], tb[BESS_TIME_BUFSZ];

		o.status = "fallback";
		if (base_load) {	/* the devices as without action */
			struct bess_lp_input bin = in;

			bin.load_kw = base_load;
			bess_lp_idle_n(c.fleet.bat, c.fleet.n, &c.site, &bin, t.n, &sc);
		} else {
			bess_lp_idle_n(c.fleet.bat, c.fleet.n, &c.site, &in, t.n, &sc);
		}
		if (o.res.status == BESS_LP_INFEASIBLE) {
			o.solver_status = "infeasible";
			o.bad_step = bess_lp_diagnose_n(c.fleet.bat, c.fleet.n, &c.site, &in, t.n, why,
			    sizeof(why));
			if (o.bad_step >= 0 && (size_t)o.bad_step < t.n) {
				snprintf(o.reason, sizeof(o.reason), "infeasible at %s: %s",
				    bess_time_format(t.ts[o.bad_step], tb), why);
				bess_err_set(&err, t.file[t.src[o.bad_step]], t.line[o.bad_step],
				    "infeasible: %s; wrote a fallback schedule (battery idle)", why);
			} else {
				snprintf(o.reason, sizeof(o.reason), "infeasible: %s", why);
				bess_err_set(&err, NULL, 0, "infeasible: %s; wrote a fallback schedule "
				    "(battery idle)", why);
			}
			cli_error(&err);
			status = EXIT_INFEASIBLE;
		} else {
			o.solver_status = "failed";
			snprintf(o.reason, sizeof(o.reason), "the solver failed");
			cli_errorf("the solver failed; wrote a fallback schedule (battery idle)");
			status = EXIT_DATA;
		}
	}
	if (dv) {
		size_t i;

		if (bess_devplan_build(&dp, BESS_LP_HAS_SCHEDULE(o.res.status) ? lp : NULL, dv, &rates, t.ts,
		    0, t.n) != 0) {
			cli_errorf("out of memory");
			status = EXIT_DATA;
			goto done;
		}
		o.dp = &dp;
		for (i = 0; i < dv->ndev; i++) {
			if (dp.dev[i].short_kwh > 1e-9)
				cli_warnf("%s: device '%s': %g kWh of a task begun before the data cannot be "
				    "met in the data (planned what fits)", c.devices, dv->dev[i].id,
				    dp.dev[i].short_kwh);
			if (dp.dev[i].later_kwh > 1e-9)
				cli_warnf("%s: device '%s': a task due after the data (%g kWh) is not "
				    "required in this plan", c.devices, dv->dev[i].id, dp.dev[i].later_kwh);
		}
	}
	if (bess_rates_cost(&rates, sc.import_kw, sc.export_kw, sc.discharge_kw,
	    c.fleet.n == 1 ? c.bat.cycle_cost_per_kwh : 0, &o.cost, step_cost, &err) != 0 ||
	    bess_rates_cost(&rates, idle.import_kw, idle.export_kw, NULL, 0, &o.base, NULL, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
		goto done;
	}
	if (c.fleet.n > 1) {	/* each battery's own cycle cost */
		double deg = bess_fleet_degradation(&c.fleet, &sc, rates.dt_h, t.n, step_cost);

		o.cost.degradation_cost += deg;
		o.cost.total += deg;
	}

	for (size_t e = 0; e < o.nev; e++)
		bess_event_settle(&plans[e], sc.import_kw, &o.ev[e]);
	for (size_t e = 0; e < offers.n && BESS_LP_HAS_SCHEDULE(o.res.status); e++) {
		if (bess_offer_weigh(&c.bat, &c.site, &in, t.n, flags, &lo, plans, o.nev, &oplans[e],
		    dv, t.ts, o.res.objective, &o.offer[e], &err) != 0) {
			cli_error(&err);
			status = EXIT_DATA;
			goto done;
		}
		o.noffer++;
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
		write_doc(out, &c, &t, &rates, &o, step_cost);
	else if (write_records(out, &c, &t, &o, step_cost, &solar_col) != 0) {
		cli_out_abort();
		status = EXIT_DATA;
		goto done;
	}
	/* the side files first: if one cannot be written, the schedule is not committed either */
	if (c.per_device && write_per_device(&c, &dp, &t, &sc, rates.dt_h) != 0) {
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
		if (summary_json(mf, &c, &rates, &o) != 0) {
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
		if (summary_json(stderr, &c, &rates, &o) != 0) {
			cli_errorf("out of memory");
			status = EXIT_DATA;
		} else {
			fputc('\n', stderr);
		}
	} else if (!c.quiet && cli_interactive()) {
		fprintf(stderr, "%s: %s: cost %.2f (%.2f without the battery, saving %.2f), %zu steps, "
		    "%s%s %.1f ms\n", cli_prog, o.status, o.cost.total, o.base.total,
		    o.base.total - o.cost.total, t.n, o.res.method ? o.res.method : "", o.res.milp ?
		    " (milp)" : "", o.res.solve_ms);
	}
done:
	bess_devplan_free(&dp);
	bess_devices_free(dv);
	free(base_load);
	bess_cost_free(&o.cost);
	bess_cost_free(&o.base);
	bess_lp_schedule_free(&sc);
	bess_lp_schedule_free(&idle);
	bess_lp_free(lp);
	bess_event_plans_free(plans, events.n);
	bess_event_plans_free(oplans, offers.n);
	free(o.offer);
	bess_events_free(&offers);
	free(o.ev);
	bess_events_free(&events);
	bess_load_history_free(&hist);
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
	free(step_cost);
	return cli_finish(status);
}
