/* bess-forecast: load, solar and price forecasts from history as a filter, with quantiles and a backtest of skill scores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_atomic.h"
#include "bess_fcin.h"
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
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT },
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

#define MAXCOL	BESS_FCIN_MAX	/* columns forecast at once */

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

/* One forecast quantity: its column, its runner. */
struct qty {
	const char *col;		/* input column ("load_kw"), or the derived load (in run.in) */
	const char *out;		/* output stem ("load") (in run.in) */
	struct bess_fcr *r;
	struct fcctx {
		struct run *u;
		const char *col;
	} cb;				/* --forecasts callback context */
};

/* What reading the stream builds. */
struct run {
	struct conf *c;
	struct qty q[MAXCOL];
	size_t nq;
	int decided;			/* quantities chosen */
	struct bess_fcin in;		/* which columns, and each record's values */
	bess_time_t t0, last;		/* first and latest record */
	double *v0;			/* the first record's values (before the step is known) */
	long line0;
	const char *name0;
	size_t nrec;
	long long step_us;		/* the grid's step */
	int stop;			/* past --issue */
	bess_time_t issue;
	int have_issue;
	FILE *fcfp;			/* --forecasts */
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
dur_opt(const char *arg, long long *us, struct bess_err *err)
{
	char why[256];

	if (bess_duration_parse(arg, us, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	return 0;
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	long n;
	int k;

	(void)src;
	if (cli_common_opt(id, arg, usage, &c->output))
		return 0;
	switch (id) {
	case O_FORMAT:
		if (cli_pick(arg, (const char *const[]){ "csv", "ndjson", "table", NULL }, &k, err) != 0)
			return -1;
		c->fmt = (enum ofmt)k;
		c->have_fmt = 1;
		return 0;
	case O_METHOD: {
		const char *p = arg;

		c->fo.nmethod = 0;
		c->have_method = 1;
		while (*p) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			enum bess_fc_method m;
			char names[256];

			bess_fc_method_list(1, names, sizeof(names));
			if (bess_fc_method_parse(p, len, &m) != 0 || !bess_fc_methods[m].from_history)
				return bess_err_set(err, NULL, 0, "'%.*s' is not %s", (int)len, p, names);
			if (c->fo.nmethod == BESS_FCR_MAXM)
				return bess_err_set(err, NULL, 0, "too many methods");
			c->fo.method[c->fo.nmethod++] = m;
			p = e ? e + 1 : p + len;
		}
		if (c->fo.nmethod == 0)
			return bess_err_set(err, NULL, 0, "no method");
		return 0;
	}
	case O_COLUMN:
		return cli_list_add(&c->cols, &c->ncols, arg, err);
	case O_TZ:
		return cli_str_opt(&c->tzname, arg, err);
	case O_HORIZON:
		return dur_opt(arg, &c->horizon_us, err);
	case O_LEAD:
		return dur_opt(arg, &c->lead_us, err);
	case O_STEP:
		return dur_opt(arg, &c->step_us, err);
	case O_AT: {
		int h, m, len = 0;

		if (strcmp(arg, "step") == 0) {
			c->fo.issue_min = -1;
			c->have_at = 1;
			return 0;
		}
		if (sscanf(arg, "%2d:%2d%n", &h, &m, &len) != 2 || arg[len] != '\0' || h < 0 || h > 23 ||
		    m < 0 || m > 59)
			return bess_err_set(err, NULL, 0, "'%s' is not a local time of day (16:00) or 'step'",
			    arg);
		c->fo.issue_min = h * 60 + m;
		c->have_at = 1;
		return 0;
	}
	case O_ISSUE:
		return cli_str_opt(&c->issue, arg, err);
	case O_BACKTEST:
		c->backtest = 1;
		return 0;
	case O_WEEKS:
		if (cli_int_opt(arg, 1, 52, &n, err) != 0)
			return -1;
		c->fo.weeks = (int)n;
		return 0;
	case O_PROFILE_DAYS:
		if (cli_int_opt(arg, 1, 366, &n, err) != 0)
			return -1;
		c->fo.profile_days = (int)n;
		return 0;
	case O_FIT_DAYS:
		if (cli_int_opt(arg, 1, 366, &n, err) != 0)
			return -1;
		c->fo.fit_days = (int)n;
		return 0;
	case O_QDAYS:
		if (cli_int_opt(arg, 1, 366, &n, err) != 0)
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
		return cli_str_opt(&c->meter, arg, err);
	case O_FORECASTS:
		return cli_str_opt(&c->forecasts, arg, err);
	case O_PLAIN:
		if (cli_pick(arg, (const char *const[]){ "fc", "p10", "p50", "p90", NULL }, &k, err) != 0)
			return -1;
		c->plain = k + 1;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* --forecasts: one scored target. */
static void
scored(void *ctx, bess_time_t issued, bess_time_t ts, double actual, const double *fc, size_t nm)
{
	struct fcctx *x = ctx;
	char a[BESS_TIME_BUFSZ], b[BESS_TIME_BUFSZ], n[32];
	size_t m;

	fprintf(x->u->fcfp, "%s,%s,%s,%s", bess_time_format(ts, a), bess_time_format(issued, b),
	    x->col, cli_num6(actual, n));
	for (m = 0; m < nm; m++)
		fprintf(x->u->fcfp, ",%.17g", fc[m]);
	fputc('\n', x->u->fcfp);
}

/* Start the runners once the step is known. */
static int
start(struct run *u, long long step_us)
{
	struct conf *c = u->c;
	struct bess_fcr_opts o = c->fo;
	struct bess_err err;
	size_t k;

	if (c->horizon_us % step_us != 0 || c->lead_us % step_us != 0) {
		cli_errorf("--horizon and --lead must be whole steps (%lld s)", step_us / BESS_US_PER_S);
		return -1;
	}
	if (step_us <= 0) {
		cli_errorf("%s:%ld: times must increase", u->name0, u->line0);
		return -1;
	}
	u->step_us = step_us;
	o.step_us = step_us;
	o.tz = c->tz;
	o.horizon = (size_t)(c->horizon_us / step_us);
	o.lead = (size_t)(c->lead_us / step_us);
	for (k = 0; k < u->nq; k++) {
		/* bess(7): load and solar are >= 0 */
		o.nonneg = strcmp(u->q[k].col, "load_kw") == 0 || strcmp(u->q[k].col, "solar_kw") == 0;
		if (u->fcfp) {
			u->q[k].cb.u = u;
			u->q[k].cb.col = u->q[k].col;
			o.scored = scored;
			o.scored_ctx = &u->q[k].cb;
		}
		if ((u->q[k].r = bess_fcr_new(&o, &err)) == NULL) {
			cli_errorf("%s", err.msg);
			return -1;
		}
	}
	if (u->fcfp) {
		enum bess_fc_method ms[BESS_FCR_MAXM];
		size_t m, nm = bess_fcr_methods(u->q[0].r, ms);

		fprintf(u->fcfp, "ts,issue_ts,column,actual");
		for (m = 0; m < nm; m++)
			fprintf(u->fcfp, ",%s", bess_fc_method_name(ms[m]));
		fputc('\n', u->fcfp);
	}
	return 0;
}

static int
push_all(struct run *u, bess_time_t t, const double *v, const char *name, long line)
{
	struct bess_err err;
	size_t k;

	for (k = 0; k < u->nq; k++)
		if (bess_fcr_push(u->q[k].r, t, v[k], &err) != 0) {
			cli_errorf("%s:%ld: %s", name, line, err.msg);
			return -1;
		}
	return 0;
}

static int
read_input(struct bess_reader *rd, const char *name, void *ctx)
{
	struct run *u = ctx;
	struct bess_rec rec;
	struct bess_err err;
	const struct bess_schema *s;
	double v[MAXCOL];
	bess_time_t t;
	int rc = 0, its;
	size_t k;
	char why[256];

	while (!u->stop && (rc = bess_reader_next(rd, &rec, &err)) > 0) {
		s = bess_reader_schema(rd);
		if (!u->decided) {
			char note[512];

			if (bess_fcin_decide(&u->in, s, name, note, sizeof(note), &err) != 0) {
				cli_error(&err);
				return -1;
			}
			if (*note)
				cli_warnf("%s", note);
			for (k = 0; k < u->in.nq; k++) {
				u->q[k].col = u->in.col[k];
				u->q[k].out = u->in.out[k];
			}
			u->nq = u->in.nq;
			u->decided = 1;
		}
		bess_fcin_lookup(&u->in, s);
		its = bess_schema_find(s, "ts");
		if (its < 0 || (size_t)its >= rec.n || rec.len[its] == 0) {
			cli_errorf("%s:%ld: missing time in column 'ts'", name, rec.line);
			return -1;
		}
		if (bess_time_parse(rec.v[its], rec.len[its], NULL, &t, why, sizeof(why)) != BESS_TP_OK) {
			cli_errorf("%s:%ld: column 'ts': %s", name, rec.line, why);
			return -1;
		}
		if (u->have_issue && t >= u->issue) {
			u->stop = 1;
			break;
		}
		if (u->nrec > 0 && t <= u->last) {
			cli_errorf("%s:%ld: times must increase (one series in time order)", name, rec.line);
			return -1;
		}
		for (k = 0; k < u->nq; k++)
			if (bess_fcin_value(&u->in, k, &rec, s, name, &v[k], &err) != 0) {
				cli_error(&err);
				return -1;
			}
		if (u->nrec == 0) {
			u->t0 = t;
			memcpy(u->v0, v, u->nq * sizeof(double));
			u->line0 = rec.line;
			u->name0 = name;
			if (u->c->step_us > 0) {
				if (start(u, u->c->step_us) != 0 || push_all(u, t, v, name, rec.line) != 0)
					return -1;
			}
		} else {
			if (u->nrec == 1 && u->c->step_us == 0) {
				if (start(u, t - u->t0) != 0 ||
				    push_all(u, u->t0, u->v0, u->name0, u->line0) != 0)
					return -1;
			}
			if (push_all(u, t, v, name, rec.line) != 0)
				return -1;
		}
		u->last = t;
		u->nrec++;
	}
	if (!u->stop && rc < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* ---- output ---- */

static int
write_backtest(struct run *u, FILE *fp)
{
	size_t k;

	for (k = 0; k < u->nq; k++) {
		if (u->c->fmt == OUT_TABLE) {
			if (k > 0)
				fprintf(fp, "\n");
			bess_fcr_report_table(fp, u->q[k].r, u->q[k].col);
		} else
			bess_fcr_report_json(fp, u->q[k].r, u->q[k].col);
	}
	return 0;
}

static int
write_forecast(struct run *u, FILE *fp, bess_time_t at)
{
	const struct bess_fc_issue *is[MAXCOL];
	struct bess_schema s;
	struct bess_rec rec;
	struct bess_writer_opts wo;
	struct bess_writer *w;
	struct bess_err err;
	char tbuf[BESS_TIME_BUFSZ], ibuf[BESS_TIME_BUFSZ], name[1200];
	char (*nb)[32];
	int plain = u->c->plain;
	size_t k, j, f, per = plain ? 1 : 4, nf = 2 + per * u->nq;
	int rc = -1;
	static const char *const suf[] = { "_fc", "_fc_p10", "_fc_p50", "_fc_p90" };

	for (k = 0; k < u->nq; k++)
		if ((is[k] = bess_fcr_issue(u->q[k].r, at, &err)) == NULL) {
			cli_errorf("--issue: %s", err.msg);
			return -1;
		}
	bess_schema_init(&s);
	bess_rec_init(&rec);
	memset(&wo, 0, sizeof(wo));
	wo.fmt = u->c->fmt == OUT_NDJSON ? BESS_FMT_NDJSON : BESS_FMT_CSV;
	if ((nb = malloc(nf * sizeof(*nb))) == NULL || (w = bess_writer_new(fp, &wo)) == NULL) {
		free(nb);
		cli_errorf("out of memory");
		return -1;
	}
	bess_schema_add(&s, "ts");
	bess_schema_add(&s, "issue_ts");
	for (k = 0; k < u->nq; k++)
		for (f = 0; f < per; f++) {
			if (plain)
				snprintf(name, sizeof(name), "%s", u->q[k].col);
			else
				snprintf(name, sizeof(name), "%s%s", u->q[k].out, suf[f]);
			if (bess_schema_add(&s, name) < 0)
				goto done;
		}
	if (bess_rec_resize(&rec, nf) != 0)
		goto done;
	bess_time_format(at, ibuf);
	for (j = 0; j < is[0]->n; j++) {
		bess_rec_set(&rec, 0, bess_time_format(is[0]->ts[j], tbuf), BESS_K_STR);
		bess_rec_set(&rec, 1, ibuf, BESS_K_STR);
		for (k = 0; k < u->nq; k++) {
			const double *col[4] = { is[k]->fc[0], is[k]->q[0][0], is[k]->q[0][1], is[k]->q[0][2] };

			for (f = 0; f < per; f++) {
				size_t fi = 2 + per * k + f;
				double v = col[plain ? (size_t)(plain - 1) : f][j];

				if (isnan(v) || isnan(col[0][j]))
					bess_rec_set(&rec, fi, "", BESS_K_NULL);
				else
					bess_rec_set(&rec, fi, cli_num6(v, nb[fi]), BESS_K_NUM);
			}
		}
		if (bess_writer_write(w, &s, &rec, &err) != 0) {
			cli_error(&err);
			goto done;
		}
	}
	if (bess_writer_finish(w, &s, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	for (k = 0; k < u->nq; k++)
		if (is[k]->empty[0] > 0)
			cli_warnf("%s: %zu of %zu forecasts empty (inputs missing)", u->q[k].col,
			    is[k]->empty[0], is[k]->n);
	rc = 0;
done:
	if (rc != 0 && err.msg[0] == '\0')
		cli_errorf("out of memory");
	bess_writer_free(w);
	bess_rec_free(&rec);
	bess_schema_free(&s);
	free(nb);
	return rc;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct run u;
	struct bess_err err;
	FILE *out;
	int first, status = 0;
	size_t k;
	double v0[MAXCOL];
	struct bess_atomic fcout;	/* --forecasts */

	cli_init("bess-forecast");
	memset(&c, 0, sizeof(c));
	memset(&u, 0, sizeof(u));
	c.fmt = OUT_CSV;
	c.horizon_us = 24 * BESS_US_PER_H;
	c.fo.issue_min = 0;
	if (bess_opt_load(opts, "bess-forecast", argc, argv, set, &c, &first, &err) != 0)
		cli_usage("%s", err.msg);
	if (c.backtest && !c.have_fmt)
		c.fmt = OUT_NDJSON;
	if (!c.backtest && c.fmt == OUT_TABLE)
		cli_usage("-f table is for --backtest (forecasts: csv or ndjson)");
	if (!c.have_method) {
		if (c.backtest) {
			size_t m;

			for (m = 0; m < BESS_FC_NMETHODS; m++)
				if (bess_fc_methods[m].from_history)
					c.fo.method[c.fo.nmethod++] = bess_fc_methods[m].m;
		} else {
			c.fo.method[c.fo.nmethod++] = BESS_FC_RIDGE;
		}
	} else if (!c.backtest && c.fo.nmethod > 1) {
		cli_usage("one --method for a forecast (a list is for --backtest)");
	}
	if (c.horizon_us <= 0)
		cli_usage("--horizon must be positive");
	if (c.lead_us < 0)
		cli_usage("--lead must not be negative");
	if (c.horizon_us > BESS_FCR_MAX_DAYS * 24 * BESS_US_PER_H - c.lead_us)
		cli_usage("--lead and --horizon reach more than %d days after the issue",
		    BESS_FCR_MAX_DAYS);
	c.tz = cli_tz_load(c.tzname);
	u.c = &c;
	u.in.meter = c.meter;
	u.in.cols = c.cols;
	u.in.ncols = c.ncols;
	u.v0 = v0;
	if (c.issue) {
		if (c.backtest)
			cli_usage("--issue is for a forecast (--backtest rolls the issue time)");
		u.issue = cli_time_opt("issue", c.issue, c.tz, 0);
		u.have_issue = 1;
		if (!c.have_at) {	/* the quantiles from errors of issues at the same time of day */
			struct bess_civil cv;

			if (c.tz)
				bess_time_to_civil(c.tz, u.issue, &cv);
			else
				bess_time_to_civil_utc(u.issue, &cv);
			c.fo.issue_min = cv.hour * 60 + cv.min;
		}
	}
	if (c.forecasts) {
		if (!c.backtest)
			cli_usage("--forecasts is for --backtest");
		if (bess_atomic_open(&fcout, c.forecasts, &err) != 0) {
			cli_error(&err);
			status = EXIT_DATA;
			goto done;
		}
		u.fcfp = fcout.fp;
	}
	if (cli_each_input(NULL, argc, argv, first, read_input, &u) != 0) {
		status = EXIT_DATA;
		goto done;
	}
	if (u.nrec == 0 || (u.nrec == 1 && c.step_us == 0)) {
		cli_errorf("%s", u.nrec == 0 ? "no records before the issue time" :
		    "one record: give --step");
		status = EXIT_DATA;
		goto done;
	}
	if ((out = cli_out_open(c.output)) == NULL) {
		status = EXIT_DATA;
		goto done;
	}
	if (c.backtest)
		status = write_backtest(&u, out) != 0 ? EXIT_DATA : 0;
	else {
		/* default: the step after the last record */
		bess_time_t at = u.have_issue ? u.issue : u.last + u.step_us;

		status = write_forecast(&u, out, at) != 0 ? EXIT_DATA : 0;
	}
	if (status == 0 && cli_out_commit() != 0)
		status = EXIT_DATA;
done:
	if (status != 0)
		cli_out_abort();
	for (k = 0; k < u.nq; k++)
		bess_fcr_free(u.q[k].r);
	bess_fcin_free(&u.in);
	if (u.fcfp) {
		if (status != 0)
			bess_atomic_abort(&fcout);
		else if (bess_atomic_commit(&fcout, &err) != 0) {
			cli_error(&err);
			status = EXIT_DATA;
		}
	}
	free(c.forecasts);
	cli_list_free(c.cols, c.ncols);
	free(c.tzname);
	free(c.issue);
	free(c.meter);
	bess_tz_free(c.tz);
	return cli_finish(status);
}
