/* bess-resample: record streams onto one regular time grid — downsampled, upsampled, aligned, gaps left empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_resample.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_STEP, O_TZ, O_BEGIN, O_END,
	O_AGG, O_FILL, O_MAXGAP, O_COVERAGE, O_PREFIX, O_DUP, O_JOBS
};

static const struct bess_optdef opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "step", 's', BESS_OPT_ARG, O_STEP },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "begin", 0, BESS_OPT_ARG, O_BEGIN },
	{ "end", 0, BESS_OPT_ARG, O_END },
	{ "agg", 'a', BESS_OPT_ARG, O_AGG },
	{ "fill", 0, BESS_OPT_ARG, O_FILL },
	{ "max-gap", 0, BESS_OPT_ARG, O_MAXGAP },
	{ "coverage", 0, BESS_OPT_FLAG, O_COVERAGE },
	{ "prefix", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_PREFIX },
	{ "prefix", 'p', BESS_OPT_ARG | BESS_OPT_OLD, O_PREFIX },	/* -p is --port elsewhere */
	{ "dup", 0, BESS_OPT_ARG, O_DUP },
	{ "jobs", 'j', BESS_OPT_ARG, O_JOBS },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_resample_opts rs;	/* what the library needs */
	struct bess_rs_col *cols;	/* --agg COL=F and --fill COL=M, names owned */
	size_t ncols;
	const char *output;		/* -o FILE, NULL = stdout */
	enum bess_fmt fmt;		/* output format */
	char *tzname;			/* --tz */
	struct bess_tz *tz;
	char *begin, *end;		/* extent texts, parsed once --tz is known */
	const char **prefix;		/* --prefix per input, in order */
	size_t nprefix;
	int have_step;
};

static void
usage(void)
{
	printf("usage: bess-resample --step DURATION [options] [file ...]\n"
	    "Put bess record streams (column 'ts', from bess-ingest) on one regular time\n"
	    "grid: downsample, upsample, join several inputs, one row per interval (and\n"
	    "per site/device), empty fields where there is no data.\n"
	    "\n"
	    "Grid:\n"
	    "  -s, --step DUR         interval length: 2s, 15m, 1h, 1d (required)\n"
	    "      --tz ZONE          intervals start at local midnight in IANA ZONE\n"
	    "                         (days of 23, 24 or 25 hours); default: the epoch, UTC\n"
	    "      --begin TIME       first interval starts at or after TIME\n"
	    "      --end TIME         last interval starts before TIME\n"
	    "                         (RFC 3339, or a local time in --tz: 2023-03-26)\n"
	    "Values:\n"
	    "  -a, --agg [COL=]FUNC   how a column becomes one value per interval: mean,\n"
	    "                         twmean, sum, min, max, first, last, count, delta, rate\n"
	    "                         (without COL: every column without its own setting)\n"
	    "      --fill [COL=]MODE  between samples: hold (default) or linear\n"
	    "                         (without COL: powers, SOC, voltages..., not prices)\n"
	    "      --max-gap DUR      longest a sample holds or is interpolated (default 1h;\n"
	    "                         'none' for no limit); beyond it fields stay empty\n"
	    "      --coverage         add coverage_frac: the part of the interval with data\n"
	    "Inputs:\n"
	    "      --prefix PFX       put PFX before the column names of the next input\n"
	    "                         file (repeat once per file, in order; '' for none)\n"
	    "      --dup POLICY       a series with two records at one time: error\n"
	    "                         (default), first or last\n"
	    "Output:\n"
	    "  -j, --jobs N           threads parsing CSV files in blocks (default: one per\n"
	    "                         processor, up to 4); 1 does everything in one\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "  -f, --format FMT       csv (default), ndjson or lp (InfluxDB line protocol)\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n"
	    "\n"
	    "Defaults by column: price, *_kw, *_v, *_a, *_c, other *_pct: twmean;\n"
	    "*_kwh, *_ah, cost, *_count: sum; soc*, soh*: last; others: last, as text.\n"
	    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n"
	    "See bess-resample(1) and bess(7).\n");
}

/* Add or update the setting of column name. */
static int
col_set(struct conf *c, const char *name, size_t len, enum bess_agg agg, enum bess_fill fill,
    struct bess_err *err)
{
	struct bess_rs_col *q;
	char *nm;

	if (len == 0)
		return bess_err_set(err, NULL, 0, "empty column name");
	if ((nm = strndup(name, len)) == NULL ||
	    (q = realloc(c->cols, (c->ncols + 1) * sizeof(*q))) == NULL) {
		free(nm);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	c->cols = q;
	q[c->ncols].name = nm;
	q[c->ncols].agg = agg;
	q[c->ncols].fill = fill;
	c->ncols++;
	return 0;
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	long long us;
	const char *eq;
	int k;

	(void)src;
	switch (id) {
	case O_FORMAT:
		return bess_opt_fmt(arg, 1, &c->fmt, err);
	case O_STEP:
		if (bess_opt_dur(arg, &us, err) != 0)
			return -1;
		c->rs.step_us = us;
		c->have_step = 1;
		return 0;
	case O_TZ:
		return bess_opt_str(&c->tzname, arg, err);
	case O_BEGIN:
		return bess_opt_str(&c->begin, arg, err);
	case O_END:
		return bess_opt_str(&c->end, arg, err);
	case O_AGG: {
		enum bess_agg f;

		eq = strrchr(arg, '=');
		if (bess_agg_parse(eq ? eq + 1 : arg, &f) != 0)
			return bess_err_set(err, NULL, 0, "'%s' is not mean, twmean, sum, min, max, "
			    "first, last, count, delta or rate", eq ? eq + 1 : arg);
		if (eq == NULL) {
			c->rs.agg_all = f;
			return 0;
		}
		return col_set(c, arg, (size_t)(eq - arg), f, BESS_FILL_DEFAULT, err);
	}
	case O_FILL: {
		enum bess_fill m;

		eq = strrchr(arg, '=');
		if (bess_opt_pick(eq ? eq + 1 : arg, (const char *const[]){ "hold", "linear", NULL }, &k,
		    err) != 0)
			return -1;
		m = k == 0 ? BESS_FILL_HOLD : BESS_FILL_LINEAR;
		if (eq == NULL) {
			c->rs.fill_all = m;
			return 0;
		}
		return col_set(c, arg, (size_t)(eq - arg), BESS_AGG_DEFAULT, m, err);
	}
	case O_MAXGAP:
		if (strcmp(arg, "none") == 0) {
			c->rs.max_gap_us = BESS_RS_NO_GAP_LIMIT;
			return 0;
		}
		if (bess_opt_dur(arg, &us, err) != 0)
			return -1;
		c->rs.max_gap_us = us;
		return 0;
	case O_COVERAGE:
		c->rs.coverage = 1;
		return 0;
	case O_PREFIX: {
		const char **q = realloc(c->prefix, (c->nprefix + 1) * sizeof(*q));

		if (q == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		c->prefix = q;
		c->prefix[c->nprefix++] = arg;
		return 0;
	}
	case O_JOBS: {
		long n;

		if (bess_opt_int(arg, 1, 1024, &n, err) != 0)
			return -1;
		c->rs.jobs = (int)n;
		return 0;
	}
	case O_DUP: {
		static const enum bess_rs_dup dup[] = {
			BESS_RS_DUP_ERROR, BESS_RS_DUP_FIRST, BESS_RS_DUP_LAST
		};

		if (bess_opt_pick(arg, (const char *const[]){ "error", "first", "last", NULL }, &k, err) != 0)
			return -1;
		c->rs.dup = dup[k];
		return 0;
	}
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

static void
conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->ncols; i++)
		free((char *)c->cols[i].name);
	free(c->cols);
	free(c->tzname);
	free(c->begin);
	free(c->end);
	free(c->prefix);
	bess_tz_free(c->tz);
}

/* What add needs. */
struct adding {
	struct bess_resample *rs;
	const struct conf *c;
};

/* One input opened, handed to the engine with its --prefix. */
static int
add(void *ctx, size_t k, FILE *fp, const char *name, struct bess_err *err)
{
	const struct adding *a = ctx;

	return bess_resample_add(a->rs, fp, name, k < a->c->nprefix ? a->c->prefix[k] : NULL, err);
}

/* For the progress line: bytes of the inputs read. */
static long long
consumed(const void *rs)
{
	return bess_resample_consumed(rs);
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	struct bess_resample *rs = NULL;
	struct bess_writer *w = NULL;
	static const char *const tags[] = { "site", "device", NULL };
	struct bess_writer_opts wo;
	struct cli_inputs in = { NULL, NULL, 0 };
	struct adding a;
	int first, status = 0;

	cli_init("bess-resample");
	memset(&c, 0, sizeof(c));
	c.fmt = BESS_FMT_CSV;
	c.rs.max_gap_us = BESS_US_PER_H;
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0)
		cli_usage_err(&err);
	if (!c.have_step)
		cli_usage("--step is required (e.g. --step 15m)");
	c.tz = cli_tz_load(c.tzname);
	c.rs.tz = c.tz;
	if (c.begin) {
		c.rs.begin = cli_time_opt("begin", c.begin, c.tz, 0);
		c.rs.have_begin = 1;
	}
	if (c.end) {
		c.rs.end = cli_time_opt("end", c.end, c.tz, 0);
		c.rs.have_end = 1;
	}
	c.rs.cols = c.cols;
	c.rs.warn = cli_warn_err;
	c.rs.ncols = c.ncols;
	if (first == argc)
		argv[--first] = "-";
	if (c.nprefix > (size_t)(argc - first))
		cli_usage("%zu --prefix for %d input%s", c.nprefix, argc - first,
		    argc - first == 1 ? "" : "s");
	if ((rs = bess_resample_new(&c.rs, &err)) == NULL)
		cli_usage("%s", err.msg);

	/* open every input first, so the output's columns are known before it starts */
	a.rs = rs;
	a.c = &c;
	if (cli_inputs_open(&in, argc, argv, first, add, &a) != 0) {
		status = EXIT_DATA;
		goto done;
	}
	if (bess_resample_check_cols(rs, &err) != 0)
		cli_usage("%s", err.msg);
	memset(&wo, 0, sizeof(wo));
	wo.tags = tags;
	if ((w = cli_records_out(c.output, c.fmt, &in, &wo, 1, consumed, rs, 0)) == NULL)
		status = EXIT_DATA;
	else
		status = cli_records_end(bess_resample_run(rs, w, &err), &err);
done:
	if (status != 0)
		cli_out_abort();
	bess_writer_free(w);
	bess_resample_free(rs);
	cli_inputs_close(&in);
	conf_free(&c);
	return cli_finish(status);
}
