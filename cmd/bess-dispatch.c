/* bess-dispatch: settle a battery schedule, backtest a receding-horizon controller over history, or run it live (events in, commands out) or from cron. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bess_battery.h"
#include "bess_ctl.h"
#include "bess_forecast.h"
#include "bess_lp.h"
#include "bess_mpc.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_rec.h"
#include "bess_report.h"
#include "bess_rule.h"
#include "bess_sim.h"
#include "bess_state.h"
#include "bess_table.h"
#include "bess_tariff.h"
#include "cli.h"

#define EXIT_LOCKED 75	/* --once: another run holds the state file's lock (EX_TEMPFAIL) */

enum {
	O_FORMAT = CLI_O_OWN, O_INFMT, O_QUIET, O_SUMMARY, O_BREAKDOWN,
	O_BY, O_SIMULATE, O_BACKTEST, O_LIVE, O_ONCE, O_STATE, O_HORIZON, O_EVERY, O_FORECAST,
	O_PROFILE_DAYS, O_DA_PUBLISH, O_TZ, O_RULE, O_NO_OPTIMUM, O_SOLVE, O_METHOD, O_STEP, O_CLOCK,
	O_STALE, O_SAFE, O_NOW
};

static const struct bess_optdef own_opts[] = {
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT },
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "input-format", 'i', BESS_OPT_ARG, O_INFMT },
	{ "quiet", 'q', BESS_OPT_FLAG, O_QUIET },
	{ "summary", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_SUMMARY },
	{ "breakdown", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_BREAKDOWN },
	{ "by", 0, BESS_OPT_ARG, O_BY },
	{ "simulate", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_SIMULATE },
	{ "backtest", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_BACKTEST },
	{ "live", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_LIVE },
	{ "once", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_ONCE },
	{ "state", 0, BESS_OPT_ARG, O_STATE },
	{ "horizon", 0, BESS_OPT_ARG, O_HORIZON },
	{ "every", 0, BESS_OPT_ARG, O_EVERY },
	{ "forecast", 0, BESS_OPT_ARG, O_FORECAST },
	{ "profile-days", 0, BESS_OPT_ARG, O_PROFILE_DAYS },
	{ "da-publish", 0, BESS_OPT_ARG, O_DA_PUBLISH },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "rule", 0, BESS_OPT_ARG, O_RULE },
	{ "no-optimum", 0, BESS_OPT_FLAG, O_NO_OPTIMUM },
	{ "solve", 0, BESS_OPT_ARG, O_SOLVE },
	{ "method", 0, BESS_OPT_ARG, O_METHOD },
	{ "step", 0, BESS_OPT_ARG, O_STEP },
	{ "clock", 0, BESS_OPT_ARG, O_CLOCK },
	{ "stale", 0, BESS_OPT_ARG, O_STALE },
	{ "safe", 0, BESS_OPT_ARG, O_SAFE },
	{ "now", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_NOW },
	{ NULL, 0, 0, 0 }
};

enum mode { M_NONE = 0, M_SIMULATE, M_BACKTEST, M_LIVE, M_ONCE };
static const char *const mode_names[] = { "", "simulate", "backtest", "live", "once" };

struct conf {
	struct bess_battery bat;	/* battery */
	struct bess_site site;		/* grid connection, tariff, binaries rule */
	enum mode mode;			/* --simulate, --backtest, --live, --once */
	const char *output;		/* -o */
	char *summary;			/* --summary FILE, "-" = stderr (owned) */
	char *breakdown;		/* --breakdown FILE (owned) */
	char *state;			/* --state FILE (owned) */
	char *tz;			/* --tz ZONE (owned) */
	enum bess_by by;		/* --by */
	int fmt;			/* output format, 0 = the mode's default */
	struct bess_reader_opts rd;	/* input */
	int quiet;			/* -q */
	long long horizon_us;		/* --horizon */
	size_t every;			/* --every */
	struct bess_fc_spec fc;		/* --forecast, --profile-days */
	int da_min;			/* --da-publish, minutes after local midnight; -1 = none */
	double rule_lo, rule_hi;	/* --rule; rule_lo < 0: no rule */
	int no_optimum;			/* --no-optimum */
	int cold;			/* --solve cold */
	enum bess_lp_method method;	/* --method */
	long long step_us;		/* --step (live, once) */
	int clock_events;		/* --clock events */
	long long stale_us;		/* --stale */
	int safe_hold;			/* --safe QTY */
	double safe_kwh, safe_pct;	/* its target (one is NAN) */
	int have_now;			/* --now given */
	bess_time_t now;		/* --now */
};

static void
usage(void)
{
	printf("usage: bess-dispatch --simulate | --backtest [options] [file ...]\n"
	    "       bess-dispatch --live [options] [file]\n"
	    "       bess-dispatch --once --state FILE [options] [file ...]\n"
	    "Settle a battery schedule against what happened (--simulate), backtest a\n"
	    "receding-horizon optimiser over history (--backtest), or run it on live events\n"
	    "(--live: NDJSON state and forecasts in, one command per interval out) or from\n"
	    "cron (--once).\n"
	    "\n"
	    "Modes:\n"
	    "      --simulate         settle the battery_kw (or charge_kw, discharge_kw) column\n"
	    "      --backtest         re-optimise at every step with what was known, apply the\n"
	    "                         first step, advance\n"
	    "      --live             read events on stdin, write a command per interval\n"
	    "      --once             write the command for now, update --state FILE\n"
	    "Backtest:\n"
	    "      --horizon DUR      look-ahead of each optimisation (default 48h)\n"
	    "      --every N          re-optimise every N steps (default 1)\n"
	    "      --forecast F       perfect (default), persistence, seasonal, profile or\n"
	    "                         columns; per quantity: price=...,load=...,solar=...\n"
	    "      --profile-days N   days the profile forecast averages (default 7)\n"
	    "      --da-publish HH:MM next day's prices known from this local time (--tz)\n"
	    "      --tz ZONE          zone of --da-publish and --by (default: the tariff's)\n"
	    "      --rule LO,HI       price quantiles of the rule-based comparison\n"
	    "                         (default 0.25,0.75; 'off' for none)\n"
	    "      --no-optimum       skip the whole-period perfect-foresight optimum\n"
	    "      --solve MODE       warm (default: one model, shifted basis) or cold\n"
	    "                         (rebuild and solve from scratch; for comparison)\n"
	    "      --method M         auto (default), simplex or interior: cold solves\n"
	    "      --breakdown FILE   per-period figures as records to FILE\n"
	    "      --by PERIOD        day or month (default) for --breakdown\n"
	    "Live and cron:\n"
	    "      --step DUR         control interval (default 15m)\n"
	    "      --horizon DUR      look-ahead (default 48h)\n"
	    "      --clock C          wall (default) or events (each state event's ts is now)\n"
	    "      --stale DUR        SOC or forecasts older than this: safe command (1h)\n"
	    "      --safe S           the safe command: idle (default) or a SOC to hold (50%%)\n"
	    "      --state FILE       --once: state kept between runs (locked with FILE.lock)\n"
	    "      --now TIME         --once: act as if it were TIME (RFC 3339)\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "  -f, --format FMT       csv or ndjson (default: csv for trajectories, ndjson\n"
	    "                         for commands)\n"
	    "      --summary FILE     one NDJSON summary line to FILE ('-' = stderr)\n"
	    "  -i, --input-format F   csv or ndjson (default: detected)\n"
	    "  -q, --quiet            no progress or summary line on a terminal\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n");
	printf("%s", bess_battery_usage);
	printf("\n"
	    "Exit status: 0 done, 1 bad data or I/O error, 2 usage error, 75 (--once) another\n"
	    "run holds the state file's lock and nothing was done.\n"
	    "See bess-dispatch(1), bess-optimize(1), bess-tariff(5) and bess(7).\n");
}

static int
duration(const char *arg, long long *us, struct bess_err *err)
{
	char why[200];

	if (bess_duration_parse(arg, us, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	return 0;
}

/* "HH:MM" or "H:MM" (00:00..23:59) into minutes. */
static int
clock_minutes(const char *s, int *min)
{
	int h, m, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' || h < 0 || h > 23 || m < 0 ||
	    m > 59 || strlen(s) < 4 || s[strlen(s) - 3] != ':')
		return -1;
	*min = h * 60 + m;
	return 0;
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	enum bess_fmt f;
	long long us;
	char *end;
	double lo, hi;
	int k;

	(void)src;
	if (bess_battery_is_opt(id))
		return bess_battery_set(&c->bat, &c->site, id, arg, err);
	if (cli_common_opt(id, arg, usage, &c->output))
		return 0;
	switch (id) {
	case O_FORMAT:
		if (cli_fmt_opt(arg, 0, &f, err) != 0)
			return -1;
		c->fmt = f;
		return 0;
	case O_INFMT:
		return cli_fmt_opt(arg, 0, &c->rd.fmt, err);
	case O_QUIET:
		c->quiet = 1;
		return 0;
	case O_SUMMARY:
		return cli_str_opt(&c->summary, arg, err);
	case O_BREAKDOWN:
		return cli_str_opt(&c->breakdown, arg, err);
	case O_BY:
		if (cli_pick(arg, (const char *const[]){ "day", "month", NULL }, &k, err) != 0)
			return -1;
		c->by = k == 0 ? BESS_BY_DAY : BESS_BY_MONTH;
		return 0;
	case O_SIMULATE:
	case O_BACKTEST:
	case O_LIVE:
	case O_ONCE: {
		enum mode m = id == O_SIMULATE ? M_SIMULATE : id == O_BACKTEST ? M_BACKTEST :
		    id == O_LIVE ? M_LIVE : M_ONCE;

		if (c->mode != M_NONE && c->mode != m)
			return bess_err_set(err, NULL, 0, "one mode at a time (--%s was given too)",
			    mode_names[c->mode]);
		c->mode = m;
		return 0;
	}
	case O_STATE:
		return cli_str_opt(&c->state, arg, err);
	case O_HORIZON:
		return duration(arg, &c->horizon_us, err);
	case O_EVERY:
		errno = 0;
		us = strtoll(arg, &end, 10);
		if (errno || *end || us < 1 || us > 1000000000)
			return bess_err_set(err, NULL, 0, "'%s' is not a whole number of steps (1 or more)", arg);
		c->every = (size_t)us;
		return 0;
	case O_FORECAST:
		return bess_fc_spec_parse(&c->fc, arg, err);
	case O_PROFILE_DAYS:
		errno = 0;
		us = strtoll(arg, &end, 10);
		if (errno || *end || us < 1 || us > 3660)
			return bess_err_set(err, NULL, 0, "'%s' is not a number of days (1 to 3660)", arg);
		c->fc.profile_days = (int)us;
		return 0;
	case O_DA_PUBLISH:
		if (strcmp(arg, "none") == 0) {
			c->da_min = -1;
			return 0;
		}
		if (clock_minutes(arg, &c->da_min) != 0)
			return bess_err_set(err, NULL, 0, "'%s' is not a local time of day (12:00)", arg);
		return 0;
	case O_TZ:
		return cli_str_opt(&c->tz, arg, err);
	case O_RULE:
		if (strcmp(arg, "off") == 0) {
			c->rule_lo = c->rule_hi = -1;
			return 0;
		}
		if (sscanf(arg, "%lf,%lf", &lo, &hi) != 2 || !(lo >= 0 && lo <= hi && hi <= 1))
			return bess_err_set(err, NULL, 0, "'%s' is not two quantiles LO,HI with "
			    "0 <= LO <= HI <= 1 (or off)", arg);
		c->rule_lo = lo;
		c->rule_hi = hi;
		return 0;
	case O_NO_OPTIMUM:
		c->no_optimum = 1;
		return 0;
	case O_SOLVE:
		return cli_pick(arg, (const char *const[]){ "warm", "cold", NULL }, &c->cold, err);
	case O_METHOD:
		if (cli_pick(arg, (const char *const[]){ "auto", "simplex", "interior", NULL }, &k, err) != 0)
			return -1;
		c->method = k == 0 ? BESS_LP_AUTO : k == 1 ? BESS_LP_SIMPLEX : BESS_LP_INTERIOR;
		return 0;
	case O_STEP:
		return duration(arg, &c->step_us, err);
	case O_CLOCK:
		return cli_pick(arg, (const char *const[]){ "wall", "events", NULL }, &c->clock_events, err);
	case O_STALE:
		return duration(arg, &c->stale_us, err);
	case O_SAFE: {
		struct bess_qty q;
		char why[200];

		if (strcmp(arg, "idle") == 0) {
			c->safe_hold = 0;
			return 0;
		}
		if (bess_qty_parse(arg, BESS_DIM_ENERGY | BESS_DIM_PERCENT, &q, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s (or idle)", why);
		if (q.value < 0 || (q.dim == BESS_DIM_PERCENT && q.value > 100))
			return bess_err_set(err, NULL, 0, "'%s' is outside the battery", arg);
		c->safe_hold = 1;
		c->safe_kwh = q.dim == BESS_DIM_ENERGY ? q.value : NAN;
		c->safe_pct = q.dim == BESS_DIM_PERCENT ? q.value : NAN;
		return 0;
	}
	case O_NOW: {
		char why[200];

		if (bess_time_parse(arg, strlen(arg), NULL, &c->now, why, sizeof(why)) != BESS_TP_OK)
			return bess_err_set(err, NULL, 0, "%s", why);
		c->have_now = 1;
		return 0;
	}
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

static void
conf_free(struct conf *c)
{
	bess_site_free(&c->site);
	free(c->summary);
	free(c->breakdown);
	free(c->state);
	free(c->tz);
}

/* ---- numbers and records ---- */

/* One record built field by field, its texts owned: for summaries and commands. */
struct kv {
	struct bess_schema s;
	struct bess_rec r;
	char **text;			/* owned copies, one per field */
	int oom;			/* an allocation failed */
};

static void
kv_init(struct kv *k)
{
	bess_schema_init(&k->s);
	bess_rec_init(&k->r);
	k->text = NULL;
	k->oom = 0;
}

static void
kv_free(struct kv *k)
{
	size_t i;

	for (i = 0; i < k->s.n; i++)
		free(k->text[i]);
	free(k->text);
	bess_rec_free(&k->r);
	bess_schema_free(&k->s);
}

static void
kv_add(struct kv *k, const char *name, const char *text, enum bess_kind kind)
{
	char **nt;
	int i;

	if (k->oom)
		return;
	if ((i = bess_schema_add(&k->s, name)) < 0 || bess_rec_resize(&k->r, k->s.n) != 0 ||
	    (nt = realloc(k->text, k->s.n * sizeof(*nt))) == NULL) {
		k->oom = 1;
		return;
	}
	k->text = nt;
	if ((k->text[i] = strdup(text ? text : "")) == NULL) {
		k->oom = 1;
		return;
	}
	bess_rec_set(&k->r, (size_t)i, k->text[i], text ? kind : BESS_K_NULL);
}

static void
kv_num(struct kv *k, const char *name, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		kv_add(k, name, NULL, BESS_K_NULL);
		return;
	}
	if (fabs(v) < 1e-9 * 1e-3)
		v = 0;
	bess_fmt_num(v, buf);
	kv_add(k, name, buf, BESS_K_NUM);
}

/* A figure people read: at most 6 decimals. */
static void
kv_fig(struct kv *k, const char *name, double v)
{
	char buf[64];

	if (!isfinite(v)) {
		kv_add(k, name, NULL, BESS_K_NULL);
		return;
	}
	kv_add(k, name, cli_num6(v, buf), BESS_K_NUM);
}

static void
kv_int(struct kv *k, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	kv_add(k, name, buf, BESS_K_NUM);
}

static void
kv_str(struct kv *k, const char *name, const char *v)
{
	kv_add(k, name, v, BESS_K_STR);
}

/* Write k as one NDJSON line to a memory buffer; returns the text (malloc'd) or NULL. */
static char *
kv_line(const struct kv *k, size_t *len)
{
	char *buf = NULL;
	FILE *mf;
	struct bess_writer_opts wo;
	struct bess_writer *w;
	struct bess_err err;
	int rc;

	*len = 0;
	if (k->oom || (mf = open_memstream(&buf, len)) == NULL)
		return NULL;
	memset(&wo, 0, sizeof(wo));
	wo.fmt = BESS_FMT_NDJSON;
	if ((w = bess_writer_new(mf, &wo)) == NULL) {
		fclose(mf);
		free(buf);
		return NULL;
	}
	rc = bess_writer_write(w, &k->s, &k->r, &err) || bess_writer_finish(w, &k->s, &err);
	bess_writer_free(w);
	fclose(mf);
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Add k as a JSON object field (the line without its newline) to dst. */
static void
kv_nest(struct kv *dst, const char *name, const struct kv *k)
{
	size_t len;
	char *line = kv_line(k, &len);

	if (line == NULL) {
		dst->oom = 1;
		return;
	}
	while (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	kv_add(dst, name, line, BESS_K_JSON);
	free(line);
}

/* Write the text to FILE atomically, or to stderr for "-". */
static int
emit_text(const char *path, const char *buf, size_t len)
{
	struct bess_err err;

	if (strcmp(path, "-") == 0) {
		fwrite(buf, 1, len, stderr);
		fflush(stderr);
		return 0;
	}
	if (bess_write_atomic(path, buf, len, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* ---- reading a history ---- */

/* The numeric columns a history may have. */
enum {
	C_PRICE, C_XPRICE, C_LOAD, C_SOLAR, C_IL, C_EL, C_PRICE_FC, C_XPRICE_FC, C_LOAD_FC,
	C_SOLAR_FC, C_BATTERY, C_CHARGE, C_DISCHARGE, C_CURTAIL, C_NCOL
};
static const char *const col_names[C_NCOL] = {
	"price", "export_price", "load_kw", "solar_kw", "import_limit_kw", "export_limit_kw",
	"price_fc", "export_price_fc", "load_fc", "solar_fc", "battery_kw", "charge_kw",
	"discharge_kw", "curtail_kw"
};

struct history {
	struct bess_table t;		/* the records */
	double *col[C_NCOL];		/* numeric columns, NULL if absent */
	struct bess_series ser;		/* the series view */
	long long step_us;
};

static void
history_free(struct history *h)
{
	int k;

	for (k = 0; k < C_NCOL; k++)
		free(h->col[k]);
	bess_table_free(&h->t);
}

/* Read the operands, check the grid, load the columns; load and solar must be complete. */
static int
history_read(struct history *h, const struct conf *c, int argc, char **argv, int first)
{
	struct bess_err err;
	size_t i;
	int k;

	memset(h, 0, sizeof(*h));
	bess_table_init(&h->t);
	if (cli_read_table(&h->t, &c->rd, argc, argv, first) != 0)
		return -1;
	if (h->t.n < 2) {
		cli_errorf("%s: %s", h->t.nfile ? h->t.file[0] : "<stdin>", h->t.n == 0 ? "no records" :
		    "one record is not enough to know the step (need two or more)");
		return -1;
	}
	if (bess_table_grid(&h->t, &h->step_us, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	for (k = 0; k < C_NCOL; k++)
		if (cli_table_num(&h->t, col_names[k], &h->col[k], NULL) != 0)
			return -1;
	for (k = C_LOAD; k <= C_SOLAR; k++)
		for (i = 0; h->col[k] && i < h->t.n; i++)
			if (isnan(h->col[k][i])) {
				bess_err_set(&err, h->t.file[h->t.src[i]], h->t.line[i], "column '%s' is empty "
				    "(the simulator needs what really happened in every step)", col_names[k]);
				cli_error(&err);
				return -1;
			}
	h->ser.n = h->t.n;
	h->ser.ts = h->t.ts;
	h->ser.step_us = h->step_us;
	h->ser.dt_h = (double)h->step_us / 3.6e9;
	h->ser.price = h->col[C_PRICE];
	h->ser.export_price = h->col[C_XPRICE];
	h->ser.load_kw = h->col[C_LOAD];
	h->ser.solar_kw = h->col[C_SOLAR];
	h->ser.import_limit_kw = h->col[C_IL];
	h->ser.export_limit_kw = h->col[C_EL];
	h->ser.price_fc = h->col[C_PRICE_FC];
	h->ser.export_price_fc = h->col[C_XPRICE_FC];
	h->ser.load_fc = h->col[C_LOAD_FC];
	h->ser.solar_fc = h->col[C_SOLAR_FC];
	return 0;
}

/* ---- the trajectory as records ---- */

static const char *const traj_cols[] = {
	"command_kw", "charge_kw", "discharge_kw", "battery_kw", "soc_kwh", "soc_pct",
	"grid_import_kw", "grid_export_kw", "curtail_kw", "cost", "clip", NULL
};

static int
write_traj(FILE *fp, const struct conf *c, const struct history *h, const struct bess_traj *tr,
    const double *step_cost)
{
	struct cli_rows rw;
	size_t i;
	int solar = h->col[C_SOLAR] != NULL || h->col[C_SOLAR_FC] != NULL;

	if (cli_rows_open(&rw, fp, c->fmt ? (enum bess_fmt)c->fmt : BESS_FMT_CSV, &h->t, traj_cols,
	    solar ? NULL : "curtail_kw") != 0)
		return -1;
	for (i = 0; i < tr->n; i++) {
		char clip[64];

		cli_rows_start(&rw, i);
		if (isnan(tr->command_kw[i]))
			cli_rows_text(&rw, "", BESS_K_NULL);
		else
			cli_rows_num(&rw, tr->command_kw[i]);
		cli_rows_num(&rw, tr->charge_kw[i]);
		cli_rows_num(&rw, tr->discharge_kw[i]);
		cli_rows_num(&rw, tr->charge_kw[i] - tr->discharge_kw[i]);
		cli_rows_num(&rw, tr->soc_kwh[i]);
		cli_rows_num(&rw, 100 * tr->soc_kwh[i] / c->bat.capacity_kwh);
		cli_rows_num(&rw, tr->import_kw[i]);
		cli_rows_num(&rw, tr->export_kw[i]);
		if (solar)
			cli_rows_num(&rw, tr->curtail_kw[i]);
		cli_rows_num(&rw, step_cost[i]);
		bess_clip_format(tr->clip[i], clip, sizeof(clip));
		cli_rows_text(&rw, clip, clip[0] ? BESS_K_STR : BESS_K_NULL);
		if (cli_rows_write(&rw) != 0)
			return cli_rows_close(&rw, 0);
	}
	return cli_rows_close(&rw, 1);
}

/* The trajectory to -o (atomically) or stdout. */
static int
emit_traj(const struct conf *c, const struct history *h, const struct bess_traj *tr,
    const double *step_cost)
{
	FILE *out = cli_out_open(c->output);

	if (out == NULL)
		return -1;
	if (write_traj(out, c, h, tr, step_cost) != 0) {
		cli_out_abort();
		return -1;
	}
	return cli_out_commit();
}

/* ---- summaries ---- */

/* The input names, comma-joined. */
static void
kv_inputs(struct kv *k, const struct bess_table *t)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < t->nfile; i++)
		len += strlen(t->file[i]) + 1;
	if ((s = calloc(len, 1)) == NULL) {
		k->oom = 1;
		return;
	}
	for (i = 0; i < t->nfile; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, t->file[i]);
	}
	kv_str(k, "input", s);
	free(s);
}

static void
kv_battery(struct kv *k, const struct conf *c)
{
	const struct bess_battery *b = &c->bat;

	kv_num(k, "capacity_kwh", b->capacity_kwh);
	kv_num(k, "charge_power_kw", b->charge_kw);
	kv_num(k, "discharge_power_kw", b->discharge_kw);
	kv_num(k, "charge_efficiency", b->eta_charge);
	kv_num(k, "discharge_efficiency", b->eta_discharge);
	kv_num(k, "soc_min_kwh", b->soc_min_kwh);
	kv_num(k, "soc_max_kwh", b->soc_max_kwh);
	kv_num(k, "soc_init_kwh", b->soc_init_kwh);
	kv_num(k, "cycle_cost", b->cycle_cost_per_kwh);
	kv_str(k, "tariff", c->site.tariff_path);
}

/* Cost figures of one strategy under a prefix ("" for the main one). */
static void
kv_cost(struct kv *k, const char *prefix, const struct bess_cost *cost, const struct bess_cost *base)
{
	char name[64];

#define NAME(x) (snprintf(name, sizeof(name), "%s%s", prefix, x), name)
	kv_fig(k, NAME("cost"), cost->total);
	if (*prefix == '\0') {
		kv_fig(k, "energy_cost", cost->energy_cost);
		kv_fig(k, "export_revenue", cost->export_revenue);
		kv_fig(k, "demand_cost", cost->demand_cost);
		kv_fig(k, "degradation_cost", cost->degradation_cost);
	}
	if (base)
		kv_fig(k, NAME("saving"), base->total - cost->total);
#undef NAME
}

/* The highest import of the demand lines (or of the whole run when there are none). */
static double
peak_of(const struct bess_cost *cost, const double *import_kw, size_t n)
{
	double p = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (import_kw[i] > p)
			p = import_kw[i];
	(void)cost;
	return p;
}

/* "demand": one object per (bill, period) line. */
static void
kv_demand(struct kv *k, const struct bess_rates *r, const struct bess_cost *cost,
    const struct bess_cost *base)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *mf = open_memstream(&buf, &len);

	if (mf == NULL) {
		k->oom = 1;
		return;
	}
	fputc('[', mf);
	for (i = 0; i < cost->nline; i++) {
		const struct bess_demand_line *l = &cost->line[i];
		struct kv d;
		size_t ll;
		char *line;

		kv_init(&d);
		kv_str(&d, "period", r->period_name[l->period]);
		kv_str(&d, "bill", r->bill_label[l->bill]);
		kv_fig(&d, "peak_kw", l->peak_kw);
		kv_fig(&d, "baseline_peak_kw", base && i < base->nline ? base->line[i].peak_kw : NAN);
		kv_num(&d, "rate", l->rate);
		kv_fig(&d, "cost", l->cost);
		line = kv_line(&d, &ll);
		kv_free(&d);
		if (line == NULL) {
			k->oom = 1;
			break;
		}
		while (ll > 0 && line[ll - 1] == '\n')
			ll--;
		if (i)
			fputc(',', mf);
		fwrite(line, 1, ll, mf);
		free(line);
	}
	fputc(']', mf);
	fclose(mf);
	if (buf)
		kv_add(k, "demand", buf, BESS_K_JSON);
	free(buf);
}

static void
kv_clips(struct kv *k, const char *prefix, const struct bess_sim *sim)
{
	struct kv cc;
	char name[64];
	int i;

	snprintf(name, sizeof(name), "%sclips", prefix);
	kv_int(k, name, (long long)sim->clipped_steps);
	if (*prefix)
		return;
	kv_init(&cc);
	for (i = 0; i < BESS_CLIP_KINDS; i++)
		kv_int(&cc, bess_clip_name(i), (long long)sim->clips[i]);
	kv_nest(k, "clip_counts", &cc);
	kv_free(&cc);
	kv_int(k, "over_import_steps", (long long)sim->over_import_steps);
}

/* The run: mode, inputs, period, battery. */
static void
kv_run(struct kv *k, const char *mode, const struct conf *c, const struct history *h)
{
	char tb[BESS_TIME_BUFSZ];

	kv_str(k, "mode", mode);
	kv_inputs(k, &h->t);
	kv_str(k, "start", bess_time_format(h->t.ts[0], tb));
	kv_str(k, "end", bess_time_format(h->t.ts[h->t.n - 1] + h->step_us, tb));
	kv_int(k, "steps", (long long)h->t.n);
	kv_num(k, "step_s", (double)h->step_us / 1e6);
	kv_battery(k, c);
}

/* What the battery did: throughput, cycles, final SOC, peaks, demand lines, clips. */
static void
kv_result(struct kv *k, const struct conf *c, const struct bess_rates *r, const struct bess_cost *cost,
    const struct bess_cost *base, const struct bess_traj *tr, const double *base_import,
    const struct bess_sim *sim)
{
	kv_fig(k, "throughput_kwh", cost->throughput_kwh);
	kv_fig(k, "cycles", cost->throughput_kwh / c->bat.capacity_kwh);
	kv_fig(k, "soc_final_kwh", sim->soc_kwh);
	kv_fig(k, "peak_kw", peak_of(cost, tr->import_kw, tr->n));
	kv_fig(k, "baseline_peak_kw", peak_of(base, base_import, tr->n));
	kv_demand(k, r, cost, base);
	kv_clips(k, "", sim);
}

/* Write the summary line (and, interactively without --summary, a human line). */
static int
finish_summary(const struct conf *c, struct kv *k, const char *human)
{
	size_t len;
	char *line;
	int rc = 0;

	if (c->summary) {
		if ((line = kv_line(k, &len)) == NULL) {
			cli_errorf("out of memory");
			return -1;
		}
		rc = emit_text(c->summary, line, len);
		free(line);
	} else if (!c->quiet && cli_interactive()) {
		fprintf(stderr, "%s: %s\n", cli_prog, human);
	}
	return rc;
}

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sum x[first .. first+n) (NULL = 0). */
static double
sum(const double *x, size_t first, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; x && i < n; i++)
		s += x[first + i];
	return s;
}

static double
maxof(const double *x, size_t first, size_t n)
{
	double m = 0;
	size_t i;

	for (i = 0; x && i < n; i++)
		if (x[first + i] > m)
			m = x[first + i];
	return m;
}

/* --breakdown: per day or month, the costs of each strategy and the battery's work. */
static int
write_breakdown(const struct conf *c, const struct history *h, const struct bess_tz *tz,
    const struct bess_traj *tr, const double *cost, const double *base, const double *base_import,
    const double *opt, const double *rule)
{
	struct bess_bucket *bk = NULL;
	size_t nb = 0, i, j, len = 0;
	char *buf = NULL;
	FILE *mf;
	struct bess_writer_opts wo;
	struct bess_writer *w;
	struct bess_err err;
	int rc = -1;

	if (bess_buckets(h->t.ts, h->t.n, tz, c->by, &bk, &nb) != 0 ||
	    (mf = open_memstream(&buf, &len)) == NULL) {
		free(bk);
		cli_errorf("out of memory");
		return -1;
	}
	memset(&wo, 0, sizeof(wo));
	wo.fmt = c->fmt ? (enum bess_fmt)c->fmt : BESS_FMT_CSV;
	if ((w = bess_writer_new(mf, &wo)) == NULL) {
		fclose(mf);
		goto done;
	}
	for (i = 0; i < nb; i++) {
		struct kv k;
		size_t clips = 0;

		for (j = 0; j < bk[i].n; j++)
			clips += tr->clip[bk[i].first + j] != 0;
		kv_init(&k);
		kv_str(&k, "period", bk[i].label);
		kv_int(&k, "steps", (long long)bk[i].n);
		kv_fig(&k, "cost", sum(cost, bk[i].first, bk[i].n));
		kv_fig(&k, "baseline_cost", sum(base, bk[i].first, bk[i].n));
		kv_fig(&k, "optimum_cost", opt ? sum(opt, bk[i].first, bk[i].n) : NAN);
		kv_fig(&k, "rule_cost", rule ? sum(rule, bk[i].first, bk[i].n) : NAN);
		kv_fig(&k, "throughput_kwh", sum(tr->discharge_kw, bk[i].first, bk[i].n) * h->ser.dt_h);
		kv_fig(&k, "cycles", sum(tr->discharge_kw, bk[i].first, bk[i].n) * h->ser.dt_h /
		    c->bat.capacity_kwh);
		kv_fig(&k, "peak_kw", maxof(tr->import_kw, bk[i].first, bk[i].n));
		kv_fig(&k, "baseline_peak_kw", maxof(base_import, bk[i].first, bk[i].n));
		kv_fig(&k, "soc_end_kwh", tr->soc_kwh[bk[i].first + bk[i].n - 1]);
		kv_int(&k, "clips", (long long)clips);
		if (k.oom || bess_writer_write(w, &k.s, &k.r, &err) != 0) {
			kv_free(&k);
			bess_writer_free(w);
			fclose(mf);
			cli_errorf("out of memory");
			goto done;
		}
		if (i + 1 == nb && bess_writer_finish(w, &k.s, &err) != 0) {
			kv_free(&k);
			bess_writer_free(w);
			fclose(mf);
			cli_error(&err);
			goto done;
		}
		kv_free(&k);
	}
	bess_writer_free(w);
	fclose(mf);
	rc = emit_text(c->breakdown, buf, len);
done:
	free(buf);
	free(bk);
	return rc;
}

/* ---- --simulate ---- */

static int
run_simulate(struct conf *c, const struct bess_tariff *tariff, const struct bess_tz *zone, int argc,
    char **argv, int first)
{
	struct history h;
	struct bess_rates r;
	struct bess_traj tr;
	struct bess_sim sim;
	struct bess_cost cost, base;
	struct bess_lp_schedule idle;
	struct bess_lp_input in;
	struct bess_err err;
	struct kv k;
	double *charge = NULL, *discharge = NULL, *step_cost = NULL;
	size_t i, n;
	int rc = EXIT_DATA;
	char human[300];

	memset(&r, 0, sizeof(r));
	memset(&tr, 0, sizeof(tr));
	memset(&cost, 0, sizeof(cost));
	memset(&base, 0, sizeof(base));
	memset(&idle, 0, sizeof(idle));
	kv_init(&k);
	if (history_read(&h, c, argc, argv, first) != 0)
		goto done;
	n = h.t.n;
	if (h.col[C_BATTERY] == NULL && (h.col[C_CHARGE] == NULL || h.col[C_DISCHARGE] == NULL)) {
		cli_errorf("%s: no command column ('battery_kw', or 'charge_kw' and 'discharge_kw')",
		    h.t.file[0]);
		goto done;
	}
	if (bess_rates_build(&r, tariff, h.t.ts, n, h.step_us, h.ser.price, h.ser.export_price,
	    &c->site, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if ((charge = malloc(n * sizeof(double))) == NULL ||
	    (discharge = malloc(n * sizeof(double))) == NULL ||
	    (step_cost = calloc(n, sizeof(double))) == NULL || bess_traj_init(&tr, n) != 0 ||
	    bess_lp_schedule_init(&idle, n) != 0) {
		cli_errorf("out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (h.col[C_BATTERY]) {
			double b = h.col[C_BATTERY][i];

			charge[i] = isnan(b) ? NAN : b > 0 ? b : 0;
			discharge[i] = isnan(b) ? NAN : b < 0 ? -b : 0;
		} else {
			charge[i] = h.col[C_CHARGE][i];
			discharge[i] = h.col[C_DISCHARGE][i];
			if (charge[i] < 0 || discharge[i] < 0) {
				bess_err_set(&err, h.t.file[h.t.src[i]], h.t.line[i], "column '%s': %g is "
				    "negative (battery_kw carries the sign)", charge[i] < 0 ? "charge_kw" :
				    "discharge_kw", charge[i] < 0 ? charge[i] : discharge[i]);
				cli_error(&err);
				goto done;
			}
		}
	}
	bess_sim_run(&c->bat, &c->site, &h.ser, &r, c->bat.soc_init_kwh, charge, discharge,
	    h.col[C_CURTAIL], &tr, &sim);
	memset(&in, 0, sizeof(in));
	in.rates = &r;
	in.load_kw = h.ser.load_kw;
	in.solar_kw = h.ser.solar_kw;
	in.import_limit_kw = h.ser.import_limit_kw;
	in.export_limit_kw = h.ser.export_limit_kw;
	in.soc_init_kwh = c->bat.soc_init_kwh;
	bess_lp_idle(&c->bat, &c->site, &in, n, &idle);
	if (bess_rates_cost(&r, tr.import_kw, tr.export_kw, tr.discharge_kw, c->bat.cycle_cost_per_kwh,
	    &cost, step_cost, &err) != 0 ||
	    bess_rates_cost(&r, idle.import_kw, idle.export_kw, NULL, 0, &base, NULL, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (emit_traj(c, &h, &tr, step_cost) != 0)
		goto done;
	if (c->breakdown) {
		double *base_cost = calloc(n, sizeof(double));
		struct bess_cost bc;
		int bad = base_cost == NULL ||
		    bess_rates_cost(&r, idle.import_kw, idle.export_kw, NULL, 0, &bc, base_cost, &err) != 0;

		if (!bad) {
			bess_cost_free(&bc);
			bad = write_breakdown(c, &h, zone, &tr, step_cost, base_cost, idle.import_kw, NULL,
			    NULL) != 0;
		}
		free(base_cost);
		if (bad)
			goto done;
	}

	kv_run(&k, "simulate", c, &h);
	kv_cost(&k, "", &cost, &base);
	kv_fig(&k, "baseline_cost", base.total);
	kv_result(&k, c, &r, &cost, &base, &tr, idle.import_kw, &sim);
	snprintf(human, sizeof(human), "simulate: cost %.2f (%.2f without the battery), %zu steps, "
	    "%zu clipped", cost.total, base.total, n, sim.clipped_steps);
	if (finish_summary(c, &k, human) != 0)
		goto done;
	rc = 0;
done:
	kv_free(&k);
	bess_cost_free(&cost);
	bess_cost_free(&base);
	bess_lp_schedule_free(&idle);
	bess_traj_free(&tr);
	bess_rates_free(&r);
	history_free(&h);
	free(charge);
	free(discharge);
	free(step_cost);
	return rc;
}

/* ---- --backtest ---- */

struct progress {
	double t0, last;	/* start, last print (s) */
	int shown;		/* a line is on the terminal */
};

static void
progress(void *ctx, size_t done, size_t total)
{
	struct progress *p = ctx;
	double t = wall_s(), rate;

	if (done < total && t - p->last < 0.25)
		return;
	p->last = t;
	rate = (double)done / fmax(t - p->t0, 1e-6);
	fprintf(stderr, "\r%s: %zu/%zu steps, %.0f/s, ETA %.0f s   ", cli_prog, done, total, rate,
	    (double)(total - done) / fmax(rate, 1e-9));
	p->shown = 1;
	if (done == total) {
		fputc('\n', stderr);
		p->shown = 0;
	}
}

static int
run_backtest(struct conf *c, const struct bess_tariff *tariff, const struct bess_tz *tz, int argc,
    char **argv, int first)
{
	struct history h;
	struct bess_outlook o;
	struct bess_mpc_opts mo;
	struct bess_mpc_stats st;
	struct bess_traj tr, rtr;
	struct bess_sim sim, rsim;
	struct bess_cost cost, base, ocost, rcost;
	struct bess_lp_schedule idle, opt;
	struct bess_lp_result ores;
	struct bess_lp_input in;
	struct bess_err err;
	struct progress pg;
	struct kv k;
	double *step_cost = NULL, *base_cost = NULL, *opt_cost = NULL, *rule_cost = NULL;
	double t0 = wall_s(), run_s, opt_s = 0;
	size_t n, horizon;
	int rc = EXIT_DATA, have_opt = 0, have_rule = 0;
	char human[400], fcbuf[128];

	memset(&o, 0, sizeof(o));
	memset(&tr, 0, sizeof(tr));
	memset(&rtr, 0, sizeof(rtr));
	memset(&cost, 0, sizeof(cost));
	memset(&base, 0, sizeof(base));
	memset(&ocost, 0, sizeof(ocost));
	memset(&rcost, 0, sizeof(rcost));
	memset(&idle, 0, sizeof(idle));
	memset(&opt, 0, sizeof(opt));
	memset(&ores, 0, sizeof(ores));
	kv_init(&k);
	if (history_read(&h, c, argc, argv, first) != 0)
		goto done;
	n = h.t.n;
	if (h.ser.price == NULL && tariff == NULL) {
		cli_errorf("%s: no 'price' column (and no --tariff with energy rates)", h.t.file[0]);
		goto done;
	}
	if (c->da_min >= 0 && tz == NULL) {
		cli_errorf("--da-publish needs a zone (--tz, or a --tariff with a timezone)");
		goto done;
	}
	if (bess_outlook_init(&o, &h.ser, tariff, &c->site, &c->fc, c->da_min >= 0 ? tz : NULL,
	    c->da_min, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	horizon = (size_t)((c->horizon_us + h.step_us - 1) / h.step_us);
	if (horizon < 1)
		horizon = 1;
	if (c->every > horizon)
		cli_usage("--every %zu steps is longer than the horizon (%zu steps of %g s)", c->every,
		    horizon, (double)h.step_us / 1e6);
	if ((step_cost = calloc(n, sizeof(double))) == NULL ||
	    (base_cost = calloc(n, sizeof(double))) == NULL || bess_traj_init(&tr, n) != 0 ||
	    bess_lp_schedule_init(&idle, n) != 0) {
		cli_errorf("out of memory");
		goto done;
	}
	memset(&mo, 0, sizeof(mo));
	mo.horizon = horizon;
	mo.every = c->every;
	mo.cold = c->cold;
	mo.method = c->method;
	mo.milp = c->site.milp;
	memset(&pg, 0, sizeof(pg));
	pg.t0 = wall_s();
	if (!c->quiet && cli_interactive()) {
		mo.progress = progress;
		mo.progress_ctx = &pg;
	}
	if (bess_mpc_run(&c->bat, &c->site, &o, &mo, &tr, &sim, &st, &err) != 0) {
		if (pg.shown)
			fputc('\n', stderr);
		cli_error(&err);
		goto done;
	}
	run_s = wall_s() - t0;
	bess_mpc_actual(&o, &in);
	in.soc_init_kwh = c->bat.soc_init_kwh;
	bess_lp_idle(&c->bat, &c->site, &in, n, &idle);
	if (bess_rates_cost(&o.rates, tr.import_kw, tr.export_kw, tr.discharge_kw,
	    c->bat.cycle_cost_per_kwh, &cost, step_cost, &err) != 0 ||
	    bess_rates_cost(&o.rates, idle.import_kw, idle.export_kw, NULL, 0, &base, base_cost, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if (!c->no_optimum) {
		double t1 = wall_s();

		if (bess_lp_schedule_init(&opt, n) != 0 || (opt_cost = calloc(n, sizeof(double))) == NULL) {
			cli_errorf("out of memory");
			goto done;
		}
		if (bess_mpc_optimum(&c->bat, &c->site, &o, c->method, c->site.milp, &opt, &ores, &err) != 0) {
			cli_error(&err);
			goto done;
		}
		if (ores.status == BESS_LP_OPTIMAL) {
			if (bess_rates_cost(&o.rates, opt.import_kw, opt.export_kw, opt.discharge_kw,
			    c->bat.cycle_cost_per_kwh, &ocost, opt_cost, &err) != 0) {
				cli_error(&err);
				goto done;
			}
			have_opt = 1;
		}
		opt_s = wall_s() - t1;
	}
	if (c->rule_lo >= 0) {
		struct bess_rule_opts ro;

		ro.q_lo = c->rule_lo;
		ro.q_hi = c->rule_hi;
		ro.horizon = horizon;
		if ((rule_cost = calloc(n, sizeof(double))) == NULL || bess_traj_init(&rtr, n) != 0) {
			cli_errorf("out of memory");
			goto done;
		}
		if (bess_rule_run(&c->bat, &c->site, &o, &ro, &rtr, &rsim, &err) != 0 ||
		    bess_rates_cost(&o.rates, rtr.import_kw, rtr.export_kw, rtr.discharge_kw,
		    c->bat.cycle_cost_per_kwh, &rcost, rule_cost, &err) != 0) {
			cli_error(&err);
			goto done;
		}
		have_rule = 1;
	}
	if (emit_traj(c, &h, &tr, step_cost) != 0)
		goto done;
	if (c->breakdown && write_breakdown(c, &h, tz, &tr, step_cost, base_cost, idle.import_kw,
	    have_opt ? opt_cost : NULL, have_rule ? rule_cost : NULL) != 0)
		goto done;

	kv_run(&k, "backtest", c, &h);
	kv_num(&k, "horizon_h", (double)horizon * h.ser.dt_h);
	kv_int(&k, "every", (long long)c->every);
	kv_str(&k, "forecast", bess_fc_spec_format(&c->fc, fcbuf, sizeof(fcbuf)));
	if (c->da_min >= 0) {
		char da[16];

		snprintf(da, sizeof(da), "%02d:%02d", c->da_min / 60, c->da_min % 60);
		kv_str(&k, "da_publish", da);
	} else {
		kv_str(&k, "da_publish", NULL);
	}
	kv_str(&k, "tz", tz ? bess_tz_name(tz) : NULL);
	kv_str(&k, "solve", c->cold ? "cold" : "warm");
	kv_cost(&k, "", &cost, &base);
	kv_fig(&k, "baseline_cost", base.total);
	kv_fig(&k, "optimum_cost", have_opt ? ocost.total : NAN);
	kv_fig(&k, "optimum_saving", have_opt ? base.total - ocost.total : NAN);
	kv_fig(&k, "capture_pct", have_opt && base.total - ocost.total > 1e-9 ?
	    100 * (base.total - cost.total) / (base.total - ocost.total) : NAN);
	kv_str(&k, "optimum_method", have_opt ? ores.method : NULL);
	kv_num(&k, "optimum_milp_gap", have_opt ? ores.milp_gap : NAN);
	kv_fig(&k, "optimum_s", have_opt ? opt_s : NAN);
	kv_fig(&k, "rule_cost", have_rule ? rcost.total : NAN);
	kv_fig(&k, "rule_saving", have_rule ? base.total - rcost.total : NAN);
	if (have_rule)
		kv_clips(&k, "rule_", &rsim);
	kv_result(&k, c, &o.rates, &cost, &base, &tr, idle.import_kw, &sim);
	kv_int(&k, "solves", (long long)st.solves);
	kv_int(&k, "failed_solves", (long long)st.failed_solves);
	kv_int(&k, "fallback_steps", (long long)st.fallback_steps);
	kv_str(&k, "first_fallback", st.first_fallback_step >= 0 ? st.first_fallback : NULL);
	kv_int(&k, "milp_solves", (long long)st.milp_solves);
	kv_int(&k, "cold_starts", (long long)st.cold_starts);
	kv_int(&k, "pivots", st.iterations);
	kv_fig(&k, "pivots_per_solve", st.solves ? (double)st.iterations / (double)st.solves : NAN);
	kv_fig(&k, "solve_ms", st.solve_ms);
	kv_fig(&k, "ms_per_solve", st.solves ? st.solve_ms / (double)st.solves : NAN);
	kv_fig(&k, "run_s", run_s);
	kv_str(&k, "solver", bess_lp_solver());
	{
		int w = snprintf(human, sizeof(human), "backtest: cost %.2f, without the battery %.2f "
		    "(saving %.2f)", cost.total, base.total, base.total - cost.total);

		if (have_opt && w > 0 && (size_t)w < sizeof(human))
			w += snprintf(human + w, sizeof(human) - (size_t)w, ", optimum %.2f", ocost.total);
		if (have_rule && w > 0 && (size_t)w < sizeof(human))
			w += snprintf(human + w, sizeof(human) - (size_t)w, ", rule %.2f", rcost.total);
		if (w > 0 && (size_t)w < sizeof(human))
			snprintf(human + w, sizeof(human) - (size_t)w, "; %zu solves in %.1f s", st.solves, run_s);
	}
	if (finish_summary(c, &k, human) != 0)
		goto done;
	rc = 0;
done:
	kv_free(&k);
	bess_cost_free(&cost);
	bess_cost_free(&base);
	bess_cost_free(&ocost);
	bess_cost_free(&rcost);
	bess_lp_schedule_free(&idle);
	bess_lp_schedule_free(&opt);
	bess_traj_free(&tr);
	bess_traj_free(&rtr);
	bess_outlook_free(&o);
	history_free(&h);
	free(step_cost);
	free(base_cost);
	free(opt_cost);
	free(rule_cost);
	return rc;
}

/* ---- --live and --once ---- */

/* A command as one record. */
static int
write_command(struct bess_writer *w, const struct bess_ctl_cmd *cmd)
{
	struct kv k;
	struct bess_err err;
	char tb[BESS_TIME_BUFSZ];
	int rc;

	kv_init(&k);
	kv_str(&k, "ts", bess_time_format(cmd->ts, tb));
	kv_fig(&k, "battery_kw", cmd->charge_kw - cmd->discharge_kw);
	kv_fig(&k, "target_charge_kw", cmd->charge_kw);
	kv_fig(&k, "target_discharge_kw", cmd->discharge_kw);
	kv_fig(&k, "soc_kwh", cmd->soc_kwh);
	kv_fig(&k, "plan_soc_kwh", cmd->plan_soc_kwh);
	kv_num(&k, "price", cmd->price);
	kv_str(&k, "status", cmd->safe ? "safe" : "optimal");
	kv_str(&k, "reason", cmd->safe ? cmd->reason : NULL);
	kv_int(&k, "horizon_steps", (long long)cmd->horizon_steps);
	kv_add(&k, "replanned", cmd->solved ? "true" : "false", BESS_K_BOOL);
	rc = k.oom ? -1 : bess_writer_write(w, &k.s, &k.r, &err);
	if (k.oom)
		cli_errorf("out of memory");
	else if (rc != 0)
		cli_error(&err);
	kv_free(&k);
	return rc;
}

static bess_time_t
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (bess_time_t)ts.tv_sec * BESS_US_PER_S + ts.tv_nsec / 1000;
}

static struct bess_ctl *
make_ctl(struct conf *c, const struct bess_tariff *tariff)
{
	struct bess_ctl_opts co;
	struct bess_err err;
	struct bess_ctl *ctl;

	memset(&co, 0, sizeof(co));
	co.step_us = c->step_us;
	co.horizon = (size_t)((c->horizon_us + c->step_us - 1) / c->step_us);
	if (co.horizon < 1)
		co.horizon = 1;
	co.stale_us = c->stale_us;
	co.safe_hold = c->safe_hold;
	co.safe_soc_kwh = isnan(c->safe_pct) ? c->safe_kwh : c->bat.capacity_kwh * c->safe_pct / 100;
	co.milp = c->site.milp;
	if ((ctl = bess_ctl_new(&c->bat, &c->site, tariff, &co, &err)) == NULL)
		cli_error(&err);
	return ctl;
}

/*
 * A reader error on one NDJSON line (not JSON, not an object) is a bad
 * record like any other: skipped with a warning, as the next line is
 * independent. Anything else (CSV structure, the same line failing again)
 * ends the input.
 */
static int
line_skippable(const struct bess_reader *r, const struct bess_err *err, long *last)
{
	int skip = bess_reader_format(r) == BESS_FMT_NDJSON && err->line > 0 && err->line != *last;

	*last = err->line;
	return skip;
}

/* Events read by a thread (wall clock) and handed to the main loop. */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct bess_ctl_event *ev;	/* pending events */
	size_t n, cap;
	int eof;			/* the input ended (or failed) */
	int failed;			/* ... failed: the message is in warn */
	struct bess_reader *r;
	const struct conf *c;
	char *warn;			/* a bad record's message for the main thread, or NULL */
};

static void *
reader_thread(void *arg)
{
	struct queue *q = arg;
	struct bess_rec rec;
	struct bess_err err;
	long last = 0;
	int got, fatal = 0;

	bess_rec_init(&rec);
	while ((got = bess_reader_next(q->r, &rec, &err)) != 0) {
		struct bess_ctl_event ev;
		int bad = got < 0 ? !(fatal = !line_skippable(q->r, &err, &last)) :
		    bess_ctl_parse(bess_reader_schema(q->r), &rec, bess_reader_name(q->r),
		    q->c->bat.capacity_kwh, &ev, &err) != 0;

		pthread_mutex_lock(&q->mu);
		if (fatal) {
			char buf[1024];

			free(q->warn);
			q->warn = strdup(bess_err_str(&err, buf, sizeof(buf)));
			q->failed = 1;
		} else if (bad) {
			char buf[1024];

			free(q->warn);
			q->warn = strdup(bess_err_str(&err, buf, sizeof(buf)));
		} else if (q->n < q->cap || (q->ev = realloc(q->ev, (q->cap = q->cap ? 2 * q->cap : 64) *
		    sizeof(*q->ev))) != NULL) {
			q->ev[q->n++] = ev;
		} else {
			q->n = q->cap = 0;
		}
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
		if (fatal)
			break;
	}
	/* rec points into the reader: nothing to free */
	pthread_mutex_lock(&q->mu);
	q->eof = 1;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Emit the command for the interval starting at t and flush it out at once. */
static int
emit_command(struct bess_ctl *ctl, struct bess_writer *w, FILE *out, bess_time_t t)
{
	struct bess_ctl_cmd cmd;
	struct bess_err err;

	if (bess_ctl_command(ctl, t, &cmd, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	if (write_command(w, &cmd) != 0 || bess_writer_flush(w) != 0 || fflush(out) != 0)
		return -1;
	return 0;
}

static int
run_live(struct conf *c, const struct bess_tariff *tariff, int argc, char **argv, int first)
{
	struct bess_ctl *ctl;
	struct bess_reader *r = NULL;
	struct bess_writer_opts wo;
	struct bess_writer *w = NULL;
	struct bess_err err;
	const char *name;
	FILE *in, *out = stdout;
	long long step = c->step_us;
	int rc = EXIT_DATA;

	if (argc - first > 1)
		cli_usage("--live reads one input (a file, a FIFO, or stdin)");
	if (c->output && strcmp(c->output, "-") != 0)
		cli_usage("--live writes to stdout (commands must flow as they are made)");
	if ((in = cli_open_in(argc > first ? argv[first] : "-", &name)) == NULL)
		return EXIT_DATA;
	if ((ctl = make_ctl(c, tariff)) == NULL)
		goto done;
	if ((r = bess_reader_open(in, name, &c->rd, &err)) == NULL) {
		cli_error(&err);
		goto done;
	}
	memset(&wo, 0, sizeof(wo));
	wo.fmt = c->fmt ? (enum bess_fmt)c->fmt : BESS_FMT_NDJSON;
	if ((w = bess_writer_new(out, &wo)) == NULL) {
		cli_errorf("out of memory");
		goto done;
	}
	if (c->clock_events) {
		/* time is the ts of state events; intervals fire as it passes their start */
		struct bess_rec rec;
		struct bess_ctl_event ev, *held = NULL;
		size_t nheld = 0, i;
		bess_time_t clock = 0, next = 0;
		long last = 0;
		int started = 0, got;

		bess_rec_init(&rec);
		while ((got = bess_reader_next(r, &rec, &err)) != 0) {
			if (got < 0 && line_skippable(r, &err, &last)) {
				char buf[1024];

				cli_warnf("%s (record skipped)", bess_err_str(&err, buf, sizeof(buf)));
				continue;
			}
			if (got < 0) {
				cli_error(&err);
				break;
			}
			if (bess_ctl_parse(bess_reader_schema(r), &rec, name, c->bat.capacity_kwh, &ev, &err) != 0) {
				char buf[1024];

				cli_warnf("%s (record skipped)", bess_err_str(&err, buf, sizeof(buf)));
				continue;
			}
			if (!ev.clock || (started && ev.ts < clock)) {
				if (!started) {	/* before the clock starts: applied when it does */
					struct bess_ctl_event *nh = realloc(held, (nheld + 1) * sizeof(*nh));

					if (nh == NULL)
						break;
					held = nh;
					held[nheld++] = ev;
				} else if (bess_ctl_apply(ctl, &ev, clock, &err) != 0) {
					cli_error(&err);
					break;
				}
				continue;
			}
			if (!started) {
				started = 1;
				clock = ev.ts;
				next = (ev.ts / step + (ev.ts % step != 0)) * step;
				for (i = 0; i < nheld; i++)
					bess_ctl_apply(ctl, &held[i], clock, &err);
			}
			while (next < ev.ts) {
				if (emit_command(ctl, w, out, next) != 0)
					goto events_done;
				next += step;
			}
			clock = ev.ts;
			if (bess_ctl_apply(ctl, &ev, clock, &err) != 0) {
				cli_error(&err);
				break;
			}
			if (next == ev.ts) {
				if (emit_command(ctl, w, out, next) != 0)
					goto events_done;
				next += step;
			}
		}
		if (got == 0)
			rc = 0;
events_done:
		/* rec points into the reader: nothing to free */
		free(held);
	} else {
		/* the wall clock: a thread reads, the main loop wakes at each interval start */
		struct queue q;
		pthread_t th;
		bess_time_t next = (wall_now() / step + 1) * step;
		int eof = 0, failed = 0;

		memset(&q, 0, sizeof(q));
		pthread_mutex_init(&q.mu, NULL);
		pthread_cond_init(&q.cv, NULL);
		q.r = r;
		q.c = c;
		if (pthread_create(&th, NULL, reader_thread, &q) != 0) {
			cli_errorf("cannot start the reader");
			goto done;
		}
		rc = 0;
		while (!eof) {
			struct bess_ctl_event *batch = NULL;
			size_t nb = 0, i;
			char *warn = NULL;

			pthread_mutex_lock(&q.mu);
			while (q.n == 0 && !q.eof && q.warn == NULL) {
				struct timespec ts;

				ts.tv_sec = (time_t)(next / BESS_US_PER_S);
				ts.tv_nsec = (long)(next % BESS_US_PER_S) * 1000;
				if (pthread_cond_timedwait(&q.cv, &q.mu, &ts) == ETIMEDOUT)
					break;
			}
			batch = q.ev;
			nb = q.n;
			q.ev = NULL;
			q.n = q.cap = 0;
			warn = q.warn;
			q.warn = NULL;
			eof = q.eof;
			failed = q.failed;
			pthread_mutex_unlock(&q.mu);
			if (warn && failed) {
				cli_errorf("%s", warn);
				rc = EXIT_DATA;
			} else if (warn)
				cli_warnf("%s (record skipped)", warn);
			free(warn);
			for (i = 0; i < nb; i++)
				bess_ctl_apply(ctl, &batch[i], wall_now(), &err);
			free(batch);
			while (!eof && wall_now() >= next) {
				if (emit_command(ctl, w, out, next) != 0) {
					rc = EXIT_DATA;
					eof = 1;
					break;
				}
				next += step;
			}
		}
		pthread_join(th, NULL);
		free(q.ev);
		free(q.warn);
		pthread_mutex_destroy(&q.mu);
		pthread_cond_destroy(&q.cv);
	}
done:
	if (w && bess_writer_finish(w, NULL, &err) != 0)
		rc = EXIT_DATA;
	bess_writer_free(w);
	bess_reader_close(r);
	cli_close_in(in);
	bess_ctl_free(ctl);
	return rc;
}

/* The events of --once's inputs, and the latest time a state update or tick gave. */
struct events {
	const struct conf *c;
	struct bess_ctl_event *ev;
	size_t n;
	bess_time_t latest;
	int have_latest;
};

static int
into_events(struct bess_reader *r, const char *name, void *ctx)
{
	struct events *e = ctx;
	struct bess_rec rec;	/* points into the reader: nothing to free */
	struct bess_err err;
	int got;

	bess_rec_init(&rec);
	while ((got = bess_reader_next(r, &rec, &err)) > 0) {
		struct bess_ctl_event ev, *ne;

		if (bess_ctl_parse(bess_reader_schema(r), &rec, name, e->c->bat.capacity_kwh, &ev, &err) != 0) {
			got = -1;
			break;
		}
		if ((ne = realloc(e->ev, (e->n + 1) * sizeof(*ne))) == NULL) {
			got = -1;
			bess_err_set(&err, NULL, 0, "out of memory");
			break;
		}
		e->ev = ne;
		e->ev[e->n++] = ev;
		if (ev.clock && (!e->have_latest || ev.ts > e->latest)) {
			e->latest = ev.ts;
			e->have_latest = 1;
		}
	}
	if (got != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

static int
run_once(struct conf *c, const struct bess_tariff *tariff, int argc, char **argv, int first)
{
	int lock = -1, rc = EXIT_DATA, held;
	struct bess_state st;
	struct bess_ctl *ctl = NULL;
	struct events ev;
	struct bess_ctl_cmd cmd;
	struct bess_writer_opts wo;
	struct bess_writer *w = NULL;
	struct bess_err err;
	size_t j;
	bess_time_t now = c->have_now ? c->now : wall_now();
	FILE *out;

	memset(&ev, 0, sizeof(ev));
	if (c->state == NULL)
		cli_usage("--once needs --state FILE");
	/* the lock first: a run that cannot have it does nothing at all */
	if ((held = bess_lock_try(c->state, &lock, &err)) != 0) {
		if (held > 0) {
			cli_errorf("%s: another run holds the lock (%s.lock); nothing done", c->state, c->state);
			return EXIT_LOCKED;
		}
		cli_error(&err);
		return EXIT_DATA;
	}
	if (bess_state_read(c->state, &st, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	ev.c = c;
	if (cli_each_input(&c->rd, argc, argv, first, into_events, &ev) != 0)
		goto done;
	if (c->clock_events && !c->have_now) {
		if (!ev.have_latest) {
			cli_errorf("--clock events: no state update or tick in the input to tell the time");
			goto done;
		}
		now = ev.latest;
	}
	if ((ctl = make_ctl(c, tariff)) == NULL)
		goto done;
	bess_ctl_restore(ctl, &st);
	for (j = 0; j < ev.n; j++)
		if (bess_ctl_apply(ctl, &ev.ev[j], now, &err) != 0) {
			cli_error(&err);
			goto done;
		}
	if (bess_ctl_command(ctl, now, &cmd, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	if ((out = cli_out_open(c->output)) == NULL)
		goto done;
	memset(&wo, 0, sizeof(wo));
	wo.fmt = c->fmt ? (enum bess_fmt)c->fmt : BESS_FMT_NDJSON;
	if ((w = bess_writer_new(out, &wo)) == NULL || write_command(w, &cmd) != 0 ||
	    bess_writer_finish(w, NULL, &err) != 0) {
		cli_out_abort();
		goto done;
	}
	if (cli_out_commit() != 0)
		goto done;
	bess_ctl_save(ctl, &cmd, &st);
	st.runs++;
	if (bess_state_write(c->state, &st, &err) != 0) {
		cli_error(&err);
		goto done;
	}
	rc = 0;
done:
	bess_writer_free(w);
	bess_ctl_free(ctl);
	free(ev.ev);
	bess_lock_release(lock);
	return rc;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_optdef *opts;
	struct bess_err err;
	struct bess_tariff *tariff = NULL;
	struct bess_tz *tz = NULL;
	const struct bess_tz *zone = NULL;
	int first, status = EXIT_DATA;

	cli_init("bess-dispatch");
	memset(&c, 0, sizeof(c));
	bess_battery_init(&c.bat);
	bess_site_init(&c.site);
	bess_fc_spec_init(&c.fc);
	c.horizon_us = 48 * BESS_US_PER_H;
	c.every = 1;
	c.da_min = -1;
	c.rule_lo = 0.25;
	c.rule_hi = 0.75;
	c.by = BESS_BY_MONTH;
	c.step_us = 15 * 60 * BESS_US_PER_S;
	c.stale_us = BESS_US_PER_H;
	c.safe_kwh = c.safe_pct = NAN;
	if ((opts = bess_battery_optdefs_join(own_opts)) == NULL) {
		cli_errorf("out of memory");
		return EXIT_DATA;
	}
	if (bess_opt_load(opts, "bess-dispatch", argc, argv, set, &c, &first, &err) != 0) {
		free(opts);
		conf_free(&c);
		cli_usage("%s", err.msg);
	}
	free(opts);
	if (c.mode == M_NONE) {
		conf_free(&c);
		cli_usage("choose a mode: --simulate, --backtest, --live or --once");
	}
	if (bess_battery_check(&c.bat, &err) != 0) {
		conf_free(&c);
		cli_usage("%s", err.msg);
	}
	if (c.safe_hold && !isnan(c.safe_kwh) && c.safe_kwh > c.bat.capacity_kwh) {
		conf_free(&c);
		cli_usage("--safe: %g kWh is above the capacity", c.safe_kwh);
	}
	if (c.site.tariff_path && (tariff = bess_tariff_load(c.site.tariff_path, &err)) == NULL) {
		cli_error(&err);
		goto done;
	}
	if (c.tz) {
		if ((tz = bess_tz_load(c.tz, &err)) == NULL) {
			conf_free(&c);
			bess_tariff_free(tariff);
			cli_usage("--tz: %s", err.msg);
		}
		zone = tz;
	} else if (tariff) {
		zone = tariff->tz;
	}
	switch (c.mode) {
	case M_SIMULATE:
		status = run_simulate(&c, tariff, zone, argc, argv, first);
		break;
	case M_BACKTEST:
		status = run_backtest(&c, tariff, zone, argc, argv, first);
		break;
	case M_LIVE:
		status = run_live(&c, tariff, argc, argv, first);
		break;
	default:
		status = run_once(&c, tariff, argc, argv, first);
	}
done:
	bess_tariff_free(tariff);
	bess_tz_free(tz);
	conf_free(&c);
	return cli_finish(status);
}
