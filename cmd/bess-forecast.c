/* bess-forecast: load, solar and price forecasts from history as a filter, with quantiles and a backtest of skill scores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_atomic.h"
#include "bess_fcin.h"
#include "bess_fcrun.h"
#include "bess_forecast.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_METHOD, O_COLUMN, O_TZ, O_HORIZON, O_LEAD, O_AT, O_ISSUE,
	O_BACKTEST, O_STEP, O_WEEKS, O_PROFILE_DAYS, O_ALPHA, O_FIT_DAYS, O_QDAYS, O_METER,
	O_FORECASTS, O_PLAIN
};

static const struct bess_optdef opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "method", 0, BESS_OPT_ARG, O_METHOD },
	{ "method", 'm', BESS_OPT_ARG | BESS_OPT_OLD, O_METHOD },	/* -m is --map elsewhere (doc/args.txt) */
	{ "column", 0, BESS_OPT_ARG, O_COLUMN },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "horizon", 0, BESS_OPT_ARG, O_HORIZON },
	{ "lead", 0, BESS_OPT_ARG, O_LEAD },
	{ "at", 0, BESS_OPT_ARG, O_AT },
	{ "issue", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_ISSUE },
	{ "backtest", 0, BESS_OPT_FLAG, O_BACKTEST },
	{ "step", 0, BESS_OPT_ARG, O_STEP },
	{ "weeks", 0, BESS_OPT_ARG, O_WEEKS },
	{ "profile-days", 0, BESS_OPT_ARG, O_PROFILE_DAYS },
	{ "alpha", 0, BESS_OPT_ARG, O_ALPHA },
	{ "fit-days", 0, BESS_OPT_ARG, O_FIT_DAYS },
	{ "quantile-days", 0, BESS_OPT_ARG, O_QDAYS },
	{ "meter", 0, BESS_OPT_ARG, O_METER },
	{ "forecasts", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_FORECASTS },
	{ "plain", 0, BESS_OPT_ARG, O_PLAIN },
	{ NULL, 0, 0, 0 }
};


enum ofmt { OUT_CSV, OUT_NDJSON, OUT_TABLE };

struct conf {
	struct bess_fcr_opts fo;	/* methods and settings for the library */
	int have_method;
	const char *output;		/* -o FILE */
	enum ofmt fmt;
	int have_fmt;
	char **cols;			/* --column */
	size_t ncols;
	char *tzname, *issue, *meter;
	char *forecasts;		/* --forecasts FILE */
	struct bess_tz *tz;
	long long horizon_us, lead_us, step_us;
	int backtest;
	int have_at;			/* --at given */
	int plain;			/* --plain: 0 none, 1 fc, 2 p10, 3 p50, 4 p90 */
};

static void
usage(void)
{
	char names[256];

	bess_fc_method_list(1, names, sizeof(names));
	printf("usage: bess-forecast [options] [file ...]\n"
	    "Forecast load, solar, prices or any numeric column from its history (bess\n"
	    "records, from bess-ingest and bess-resample), issued at one time and made\n"
	    "from the values before it only; or backtest the methods against the actuals.\n"
	    "\n"
	    "What:\n"
	    "      --column COL       forecast COL (repeat or comma list; default: price,\n"
	    "                         export_price, load_kw and solar_kw where present)\n"
	    "      --method M         %s\n"
	    "                         (default ridge; --backtest: a comma list, default all)\n"
	    "      --meter COL        COL measures the site including the battery: the load\n"
	    "                         forecast is COL - battery_kw (or - charge_kw + discharge_kw)\n"
	    "When:\n"
	    "      --issue TIME       issue time (default: the step after the last record);\n"
	    "                         later records are not read\n"
	    "      --lead DUR         first forecast step after the issue (default 0)\n"
	    "      --horizon DUR      steps forecast (default 24h)\n"
	    "      --at HH:MM|step    the rolling issues the quantiles and --backtest use:\n"
	    "                         every local day at HH:MM (default: the time of day of\n"
	    "                         --issue, else 00:00) or every step\n"
	    "      --tz ZONE          local time of profiles and --at (default UTC)\n"
	    "      --step DUR         the grid (default: the first two records' distance)\n"
	    "Methods:\n"
	    "      --profile-days N   days profile averages (default 7)\n"
	    "      --weeks N          weeks week-profile averages (default 4)\n"
	    "      --alpha A          ew-profile's weight of the latest week (default 0.3)\n"
	    "      --fit-days N       past issues ridge is fitted on (default 28)\n"
	    "      --quantile-days N  days of recent errors the quantiles use (default 28)\n"
	    "Output:\n"
	    "      --backtest         scores instead of forecasts: MAE, RMSE, skill against\n"
	    "                         seasonal, quantile coverage, per method and hour ahead\n"
	    "      --plain WHICH      write fc, p10, p50 or p90 under the column's own name\n"
	    "                         (load_kw, ...) with no quantiles: the forecasts\n"
	    "                         bess-dispatch reads live and from cron\n"
	    "  -f, --format FMT       csv (default) or ndjson; --backtest: ndjson (default)\n"
	    "                         or table\n"
	    "      --forecasts FILE   --backtest: also write every scored forecast to FILE\n"
	    "                         (CSV: ts, issue_ts, column, actual, one column per method)\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n"
	    "\n"
	    "Forecast columns: ts, issue_ts, then per column NAME_fc, NAME_fc_p10,\n"
	    "NAME_fc_p50, NAME_fc_p90 (NAME: price, export_price, load, solar, or COL).\n"
	    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n"
	    "See bess-forecast(1) and bess(7).\n", names);
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	long n;
	int k;

	(void)src;
	switch (id) {
	case O_FORMAT:
		if (bess_opt_pick(arg, (const char *const[]){ "csv", "ndjson", "table", NULL }, &k, err) != 0)
			return -1;
		c->fmt = (enum ofmt)k;
		c->have_fmt = 1;
		return 0;
	case O_METHOD:
		c->have_method = 1;
		return bess_fcrun_methods_parse(arg, &c->fo, err);
	case O_COLUMN:
		return bess_opt_list_add(&c->cols, &c->ncols, arg, err);
	case O_TZ:
		return bess_opt_str(&c->tzname, arg, err);
	case O_HORIZON:
		return bess_opt_dur(arg, &c->horizon_us, err);
	case O_LEAD:
		return bess_opt_dur(arg, &c->lead_us, err);
	case O_STEP:
		return bess_opt_dur(arg, &c->step_us, err);
	case O_AT:
		c->have_at = 1;
		return bess_fcrun_at_parse(arg, &c->fo.issue_min, err);
	case O_ISSUE:
		return bess_opt_str(&c->issue, arg, err);
	case O_BACKTEST:
		c->backtest = 1;
		return 0;
	case O_WEEKS:
		if (bess_opt_int(arg, 1, 52, &n, err) != 0)
			return -1;
		c->fo.weeks = (int)n;
		return 0;
	case O_PROFILE_DAYS:
		if (bess_opt_int(arg, 1, 366, &n, err) != 0)
			return -1;
		c->fo.profile_days = (int)n;
		return 0;
	case O_FIT_DAYS:
		if (bess_opt_int(arg, 1, 366, &n, err) != 0)
			return -1;
		c->fo.fit_days = (int)n;
		return 0;
	case O_QDAYS:
		if (bess_opt_int(arg, 1, 366, &n, err) != 0)
			return -1;
		c->fo.quantile_days = (int)n;
		return 0;
	case O_ALPHA: {
		char *end;
		double a = strtod(arg, &end);

		if (end == arg || *end != '\0' || !(a > 0 && a < 1))
			return bess_err_set(err, NULL, 0, "'%s' is not a number between 0 and 1", arg);
		c->fo.ew_alpha = a;
		return 0;
	}
	case O_METER:
		return bess_opt_str(&c->meter, arg, err);
	case O_FORECASTS:
		return bess_opt_str(&c->forecasts, arg, err);
	case O_PLAIN:
		if (bess_opt_pick(arg, (const char *const[]){ "fc", "p10", "p50", "p90", NULL }, &k, err) != 0)
			return -1;
		c->plain = k + 1;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* Push one input's records to the run. */
static int
read_input(struct bess_reader *rd, const char *name, void *ctx)
{
	struct bess_err err;

	if (bess_fcrun_read(ctx, rd, name, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_fcrun_opts ro;
	struct bess_fcrun *u = NULL;
	struct bess_err err;
	FILE *out;
	int first, status = 0;
	struct bess_atomic fcout;	/* --forecasts */

	cli_init("bess-forecast");
	memset(&c, 0, sizeof(c));
	memset(&ro, 0, sizeof(ro));
	c.fmt = OUT_CSV;
	c.horizon_us = BESS_US_PER_DAY;
	c.fo.issue_min = 0;
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0)
		cli_usage("%s", err.msg);
	if (c.backtest && !c.have_fmt)
		c.fmt = OUT_NDJSON;
	if (!c.backtest && c.fmt == OUT_TABLE)
		cli_usage("-f table is for --backtest (forecasts: csv or ndjson)");
	if (!c.have_method)
		bess_fcrun_methods_default(&c.fo, c.backtest);
	else if (!c.backtest && c.fo.nmethod > 1)
		cli_usage("one --method for a forecast (a list is for --backtest)");
	if (c.horizon_us <= 0)
		cli_usage("--horizon must be positive");
	if (c.lead_us < 0)
		cli_usage("--lead must not be negative");
	if (!bess_fcrun_reach_ok(c.horizon_us, c.lead_us))
		cli_usage("--lead and --horizon reach more than %d days after the issue",
		    BESS_FCR_MAX_DAYS);
	c.tz = cli_tz_load(c.tzname);
	ro.tz = c.tz;
	ro.horizon_us = c.horizon_us;
	ro.lead_us = c.lead_us;
	ro.step_us = c.step_us;
	ro.meter = c.meter;
	ro.cols = c.cols;
	ro.ncols = c.ncols;
	ro.warn = cli_warn_msg;
	if (c.issue) {
		if (c.backtest)
			cli_usage("--issue is for a forecast (--backtest rolls the issue time)");
		ro.issue = cli_time_opt("issue", c.issue, c.tz, 0);
		ro.have_issue = 1;
		if (!c.have_at)	/* the quantiles from errors of issues at the same time of day */
			c.fo.issue_min = bess_fcrun_minute_of_day(c.tz, ro.issue);
	}
	ro.fo = c.fo;
	if (c.forecasts) {
		if (!c.backtest)
			cli_usage("--forecasts is for --backtest");
		if (bess_atomic_open(&fcout, c.forecasts, &err) != 0) {
			cli_error(&err);
			status = EXIT_DATA;
			goto done;
		}
		ro.forecasts = fcout.fp;
	}
	if ((u = bess_fcrun_new(&ro)) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	if (cli_each_input(NULL, argc, argv, first, read_input, u) != 0) {
		status = EXIT_DATA;
		goto done;
	}
	if (bess_fcrun_ready(u, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
		goto done;
	}
	if ((out = cli_out_open(c.output)) == NULL) {
		status = EXIT_DATA;
		goto done;
	}
	if (c.backtest)
		bess_fcrun_report(u, out, c.fmt == OUT_TABLE);
	else if (bess_fcrun_write(u, out, c.fmt == OUT_NDJSON ? BESS_FMT_NDJSON : BESS_FMT_CSV, c.plain,
	    bess_fcrun_issue_at(u), &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
	}
	if (status == 0 && cli_out_commit() != 0)
		status = EXIT_DATA;
done:
	if (status != 0)
		cli_out_abort();
	bess_fcrun_free(u);
	if (ro.forecasts) {
		if (status != 0)
			bess_atomic_abort(&fcout);
		else if (bess_atomic_commit(&fcout, &err) != 0) {
			cli_error(&err);
			status = EXIT_DATA;
		}
	}
	free(c.forecasts);
	bess_opt_list_free(c.cols, c.ncols);
	free(c.tzname);
	free(c.issue);
	free(c.meter);
	bess_tz_free(c.tz);
	return cli_finish(status);
}
