/* bess-dispatch: settle a battery schedule, backtest a receding-horizon controller over history, or run it live (events in, commands out) or from cron. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bess_backtest.h"
#include "bess_battery.h"
#include "bess_ctl.h"
#include "bess_ctlconf.h"
#include "bess_dispatch.h"
#include "bess_flex.h"
#include "bess_forecast.h"
#include "bess_live.h"
#include "bess_once.h"
#include "bess_lp.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_rec.h"
#include "bess_report.h"
#include "bess_rule.h"
#include "bess_state.h"
#include "bess_summary.h"
#include "bess_table.h"
#include "bess_tariff.h"
#include "cli.h"

#define EXIT_LOCKED 75	/* --once: another run holds the state file's lock (EX_TEMPFAIL) */

enum {
	O_FORMAT = CLI_O_OWN, O_INFMT, O_QUIET, O_SUMMARY, O_BREAKDOWN, O_SIMULATE, O_BACKTEST, O_LIVE,
	O_ONCE, O_STATE, O_TZ, O_NOW, O_FLEXIBILITY, O_BATTERY, O_PER_DEVICE, O_COMMANDS, O_DEVICES
};

/* The tool's own options; the controller's (bess_ctlconf_optdefs), the backtest's (bess_dispatch_optdefs) and the battery's follow. */
static const struct bess_optdef own_opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "input-format", 'i', BESS_OPT_ARG, O_INFMT },
	{ "quiet", 'q', BESS_OPT_FLAG, O_QUIET },
	{ "summary", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_SUMMARY },
	{ "breakdown", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_BREAKDOWN },
	{ "simulate", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_SIMULATE },
	{ "backtest", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_BACKTEST },
	{ "live", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_LIVE },
	{ "once", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_ONCE },
	{ "state", 0, BESS_OPT_ARG, O_STATE },
	{ "tz", 0, BESS_OPT_ARG, O_TZ },
	{ "now", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_NOW },
	{ "flexibility", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_FLEXIBILITY },
	{ "battery", 0, BESS_OPT_ARG, O_BATTERY },
	{ "per-device", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_PER_DEVICE },
	{ "commands", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_COMMANDS },
	{ "devices", 0, BESS_OPT_ARG, O_DEVICES },
	{ NULL, 0, 0, 0 }
};

enum mode { M_NONE = 0, M_SIMULATE, M_BACKTEST, M_LIVE, M_ONCE };
static const char *const mode_names[] = { "", "simulate", "backtest", "live", "once" };

struct conf {
	struct bess_battery bat;	/* battery (the fleet's first) */
	struct bess_fleet_specs bspec;	/* --battery values */
	struct bess_fleet fleet;	/* the batteries (one: bat, id "battery") */
	struct bess_site site;		/* grid connection, tariff, binaries rule */
	struct bess_ctlconf cf;		/* the controller's settings (live, cron, and the backtest's) */
	struct bess_dispatch_opts d;	/* the backtest's settings */
	enum mode mode;			/* --simulate, --backtest, --live, --once */
	const char *output;		/* -o */
	char *summary;			/* --summary FILE, "-" = stderr (owned) */
	char *breakdown;		/* --breakdown FILE (owned) */
	char *flexibility;		/* --flexibility FILE (owned) */
	char *per_device;		/* --per-device FILE: the batteries' and devices' records (owned) */
	char *devices;			/* --devices FILE: controllable loads (bess-devices(5), owned) */
	char *commands;			/* --commands FILE: the batteries' per-device commands (owned) */
	char *state;			/* --state FILE (owned) */
	char *tz;			/* --tz ZONE (owned) */
	int fmt;			/* output format, 0 = the mode's default */
	struct bess_reader_opts rd;	/* input */
	int quiet;			/* -q */
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
	    "      --forecast F       persistence (default), seasonal, profile, columns,\n"
	    "                         week-profile, ew-profile, ridge (see bess-forecast(1)),\n"
	    "                         or perfect (the upper bound); per quantity:\n"
	    "                         price=...,load=...,solar=...\n"
	    "      --profile-days N   days the profile forecast averages (default 7)\n"
	    "      --setpoint M       how a plan's step meets the real load: grid (default:\n"
	    "                         hold the planned import, within the demand cap),\n"
	    "                         guard (planned power, import never above the cap)\n"
	    "                         or battery (planned power as it is)\n"
	    "      --nowcast DUR      the load forecast's latest miss fades with this\n"
	    "                         half-life (default 4h; off)\n"
	    "      --amortize on|off  weigh each plan's demand charges by its share of\n"
	    "                         the rest of the bill (default on)\n"
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
	    "      --events FILE      demand-response events the controller meets\n"
	    "                         (bess-events(5)); the summary settles them (with\n"
	    "                         --simulate: settled against the commands)\n"
	    "      --baseline-from FILE  load history for their like-days baselines\n"
	    "                         (default: the backtest's own load; live: none)\n"
	    "      --devices FILE     controllable loads scheduled with the battery in every\n"
	    "                         window or plan (bess-devices(5)); --live, --once: an\n"
	    "                         instruction per device and interval, their states read;\n"
	    "                         --simulate: the --commands' device records settled\n"
	    "Live and cron:\n"
	    "      --step DUR         control interval (default 15m)\n"
	    "      --horizon DUR      look-ahead (default 48h)\n"
	    "      --clock C          wall (default) or events (each state event's ts is now)\n"
	    "      --stale DUR        SOC or forecasts older than this: safe command (1h)\n"
	    "      --safe S           the safe command: idle (default) or a SOC to hold (50%%)\n"
	    "      --follow-meter M   --live: a load or grid reading within an interval\n"
	    "                         recomputes its command from the set-point (default off)\n"
	    "      --state FILE       --once: state kept between runs (locked with FILE.lock)\n"
	    "      --now TIME         --once: act as if it were TIME (RFC 3339)\n"
	    "      --flexibility FILE --once: kW up and down the battery (and --devices' sheddable\n"
	    "                         loads) can hold for 15, 30, 60 min, as records ('-' = stderr)\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "      --per-device FILE  --simulate, --backtest: each battery's records (and with\n"
	    "                         --devices each device's) to FILE\n"
	    "      --commands FILE    --simulate: the batteries' (and devices') commands as\n"
	    "                         per-device records\n"
	    "  -f, --format FMT       csv or ndjson (default: csv for trajectories, ndjson\n"
	    "                         for commands)\n"
	    "      --summary FILE     one NDJSON summary line to FILE ('-' = stderr); with\n"
	    "                         --once: the plan's costs, peak and schedule\n"
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

/* Store one option's value. */
static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	enum bess_fmt f;
	char why[200];

	if (bess_battery_is_opt(id))
		return bess_battery_set(&c->bat, &c->site, id, arg, err);
	if (bess_ctlconf_is_opt(id))
		return bess_ctlconf_set(&c->cf, id, arg, err);
	if (bess_dispatch_is_opt(id))
		return bess_dispatch_set(&c->d, id, arg, err);
	switch (id) {
	case O_FORMAT:
		if (bess_opt_fmt(arg, 0, &f, err) != 0)
			return -1;
		c->fmt = f;
		return 0;
	case O_INFMT:
		return bess_opt_fmt(arg, 0, &c->rd.fmt, err);
	case O_QUIET:
		c->quiet = 1;
		return 0;
	case O_SUMMARY:
		return bess_opt_str(&c->summary, arg, err);
	case O_BREAKDOWN:
		return bess_opt_str(&c->breakdown, arg, err);
	case O_FLEXIBILITY:
		return bess_opt_str(&c->flexibility, arg, err);
	case O_PER_DEVICE:
		return bess_opt_str(&c->per_device, arg, err);
	case O_DEVICES:
		return bess_opt_str(&c->devices, arg, err);
	case O_COMMANDS:
		return bess_opt_str(&c->commands, arg, err);
	case O_STATE:
		return bess_opt_str(&c->state, arg, err);
	case O_TZ:
		return bess_opt_str(&c->tz, arg, err);
	case O_BATTERY:
		return bess_fleet_specs_add(&c->bspec, arg, src, err);
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
	case O_NOW:
		if (bess_time_parse(arg, strlen(arg), NULL, &c->now, why, sizeof(why)) != BESS_TP_OK)
			return bess_err_set(err, NULL, 0, "%s", why);
		c->have_now = 1;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

static void
conf_free(struct conf *c)
{
	bess_site_free(&c->site);
	bess_fleet_specs_free(&c->bspec);
	free(c->summary);
	free(c->breakdown);
	free(c->flexibility);
	free(c->per_device);
	free(c->devices);
	free(c->commands);
	bess_ctlconf_free(&c->cf);
	free(c->state);
	free(c->tz);
}

/* ---- output ---- */

/*
 * A side file made in memory to path ('-' = stderr): made is what making it
 * returned (0, or -1 out of memory), *buf (freed here) and *len what it
 * made. Pointers, as side_buf(path, make(&b, &l), &b, &l) reads b and l
 * only once make has set them.
 */
static int
side_buf(const char *path, int made, char **buf, const size_t *len)
{
	int rc;

	if (made != 0) {
		cli_errorf("out of memory");
		return -1;
	}
	rc = cli_side_text(path, *buf, *len);
	free(*buf);
	return rc;
}

/* Read the operands and bind them as a history. */
static int
history_read(struct bess_history *h, struct bess_table *t, const struct conf *c, int argc, char **argv,
    int first)
{
	struct bess_err err;

	memset(h, 0, sizeof(*h));
	if (cli_read_table(t, &c->rd, argc, argv, first) != 0)
		return -1;
	if (bess_history_bind(h, t, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* Write the summary line (and, interactively without --summary, a human line). */
static int
finish_summary(const struct conf *c, struct bess_kv *k, const char *human)
{
	size_t len;
	char *line;
	int rc = 0;

	if (c->summary) {
		if ((line = bess_kv_line(k, &len)) == NULL) {
			cli_errorf("out of memory");
			return -1;
		}
		rc = cli_side_text(c->summary, line, len);
		free(line);
	} else if (!c->quiet && cli_interactive()) {
		fprintf(stderr, "%s: %s\n", cli_prog, human);
	}
	return rc;
}

/* ---- --simulate and --backtest ---- */

/* The backtest's progress line on a terminal (bess_progress_line says when and what). */
static void
progress(void *ctx, size_t done, size_t total)
{
	char line[200];

	if (bess_progress_line(ctx, done, total, line, sizeof(line)))
		fprintf(stderr, "\r%s: %s", cli_prog, line);
}

/* The trajectory to -o (atomically) or stdout, then --per-device, --breakdown, warnings and --summary. */
static int
dispatch_outputs(const struct conf *c, const struct bess_dispatch *d)
{
	struct bess_err err;
	struct bess_kv k;
	FILE *out;
	char *buf, human[400];
	size_t len;
	int bad;

	if ((out = cli_out_open(c->output)) == NULL)
		return -1;
	if (bess_dispatch_traj(d, out, &err) != 0) {
		if (err.msg[0])
			cli_error(&err);
		cli_out_abort();
		return -1;
	}
	if (cli_out_commit() != 0)
		return -1;
	if (c->per_device && side_buf(c->per_device, bess_dispatch_per_device(d, &buf, &len), &buf, &len) != 0)
		return -1;
	if (c->breakdown) {
		if (bess_dispatch_breakdown(d, &buf, &len, &err) != 0) {
			cli_error(&err);
			return -1;
		}
		bad = cli_side_text(c->breakdown, buf, len) != 0;
		free(buf);
		if (bad)
			return -1;
	}
	bess_dispatch_warnings(d, cli_warn_msg, NULL);
	bess_kv_init(&k);
	bess_dispatch_summary(d, &k, human, sizeof(human));
	bad = finish_summary(c, &k, human) != 0;
	bess_kv_free(&k);
	return bad ? -1 : 0;
}

static int
run_history(struct conf *c, const struct bess_tariff *tariff, const struct bess_tz *tz, int argc,
    char **argv, int first)
{
	struct bess_table t, ct;
	struct bess_history h;
	struct bess_dispatch_opts *o;
	struct bess_dispatch d;
	struct bess_progress pg;
	struct bess_err err;
	int rc = EXIT_DATA, st;

	memset(&d, 0, sizeof(d));
	bess_table_init(&t);
	bess_table_init(&ct);
	o = &c->d;
	o->backtest = c->mode == M_BACKTEST;
	o->fleet = &c->fleet;
	o->site = &c->site;
	o->tariff = tariff;
	o->tz = tz;
	o->cf = &c->cf;
	o->devices = c->devices;
	o->commands = c->commands ? &ct : NULL;
	o->fmt = c->fmt ? (enum bess_fmt)c->fmt : BESS_FMT_CSV;
	bess_progress_init(&pg);
	if (!c->quiet && cli_interactive()) {
		o->bo.progress = progress;
		o->bo.progress_ctx = &pg;
	}
	if (history_read(&h, &t, c, argc, argv, first) != 0 ||
	    (c->commands && cli_read_table(&ct, &c->rd, 1, (char *[]){ c->commands, NULL }, 0) != 0))
		goto done;
	if ((st = bess_dispatch_open(&d, o, &h, &err)) == BESS_DISPATCH_USAGE)
		cli_usage_err(&err);
	if (st != 0) {
		cli_error(&err);
		goto done;
	}
	if (bess_dispatch_run(&d, &err) != 0) {
		if (pg.shown)
			fputc('\n', stderr);
		cli_error(&err);
		goto done;
	}
	if (dispatch_outputs(c, &d) == 0)
		rc = 0;
done:
	bess_dispatch_free(&d);
	bess_history_free(&h);
	bess_table_free(&t);
	bess_table_free(&ct);
	return rc;
}

/* ---- --live and --once ---- */

static int
run_live(struct conf *c, const struct bess_tariff *tariff, int argc, char **argv, int first)
{
	struct bess_ctl *ctl = NULL;
	struct bess_devices *dv = NULL;
	struct bess_reader *r = NULL;
	struct bess_err err;
	const char *name;
	FILE *in;
	int rc = EXIT_DATA;

	if (argc - first > 1)
		cli_usage("--live reads one input (a file, a FIFO, or stdin)");
	if (c->output && strcmp(c->output, "-") != 0)
		cli_usage("--live writes to stdout (commands must flow as they are made)");
	if (c->summary)
		cli_usage("--summary is for --simulate, --backtest and --once (--live: each command is a record)");
	if ((in = cli_open_in(argc > first ? argv[first] : "-", &name)) == NULL)
		return EXIT_DATA;
	if ((c->devices && (dv = bess_devices_load(c->devices, &err)) == NULL) ||
	    (ctl = bess_ctlconf_new(&c->cf, &c->fleet, &c->site, tariff, &err)) == NULL ||
	    (dv && bess_ctl_devices(ctl, dv, &err) != 0) ||
	    /* keys the controller does not read never grow the stream's schema */
	    (r = bess_reader_open_keys(in, name, &c->rd, bess_ctl_reads, &err)) == NULL)
		cli_error(&err);
	else if (bess_live_run_out(ctl, r, stdout, c->fmt ? (enum bess_fmt)c->fmt : BESS_FMT_NDJSON,
	    c->cf.step_us, c->cf.clock_events, cli_warn_msg, NULL, &err) == 0)
		rc = 0;
	else if (err.msg[0])
		cli_error(&err);
	bess_reader_close(r);
	cli_close_in(in);
	bess_ctl_free(ctl);
	bess_devices_free(dv);
	return rc;
}

/* buf to -o (atomically) or stdout. */
static int
emit_out(const char *output, const char *buf, size_t len)
{
	FILE *out;

	if ((out = cli_out_open(output)) == NULL)
		return -1;
	if (fwrite(buf, 1, len, out) != len) {
		cli_out_abort();
		return -1;
	}
	return cli_out_commit();
}

/* --once's inputs, each read into the run. */
static int
into_once(struct bess_reader *r, const char *name, void *ctx)
{
	struct bess_err err;

	if (bess_once_read(ctx, r, name, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* --once, then --flexibility and --summary; after the commands, which go out only once the state is saved. */
static int
once_outputs(const struct conf *c, const struct bess_once *on)
{
	struct bess_kv k;
	char *fbuf;
	size_t flen;
	int bad;

	if (c->flexibility && side_buf(c->flexibility, bess_once_flex(on, &fbuf, &flen), &fbuf, &flen) != 0)
		return -1;
	if (c->summary) {
		bess_kv_init(&k);
		bess_once_summary(on, &k);
		bad = finish_summary(c, &k, "") != 0;
		bess_kv_free(&k);
		if (bad)
			return -1;
	}
	return 0;
}

static int
run_once(struct conf *c, const struct bess_tariff *tariff, int argc, char **argv, int first)
{
	struct bess_once_opts o;
	struct bess_once on;
	struct bess_err err;
	int rc = EXIT_DATA, st;

	if (c->state == NULL)
		cli_usage("--once needs --state FILE");
	memset(&o, 0, sizeof(o));
	o.state = c->state;
	o.devices = c->devices;
	o.cf = &c->cf;
	o.fleet = &c->fleet;
	o.site = &c->site;
	o.tariff = tariff;
	o.have_now = c->have_now;
	o.now = c->now;
	o.clock_events = c->cf.clock_events;
	o.fmt = c->fmt ? (enum bess_fmt)c->fmt : BESS_FMT_NDJSON;
	o.warn = cli_warn_msg;
	if ((st = bess_once_open(&on, &o, &err)) == BESS_ONCE_LOCKED) {
		cli_errorf("%s: another run holds the lock (%s.lock); nothing done", c->state, c->state);
		rc = EXIT_LOCKED;
	} else if (st != 0) {
		cli_error(&err);
	} else if (cli_each_input(&c->rd, argc, argv, first, into_once, &on) != 0) {
		;
	} else if ((st = bess_once_step(&on, &err)) != 0) {
		cli_error(&err);
		if (st == BESS_ONCE_NO_STATE)
			cli_errorf("%s: the state was not written, so no command was issued", c->state);
	} else if (emit_out(c->output, on.cmd_buf, on.cmd_len) == 0 && once_outputs(c, &on) == 0) {
		rc = 0;
	}
	bess_once_close(&on);
	return rc;
}

/* The options together, and the batteries built from them: 0, or -1 with err saying what does not fit (a usage error). */
static int
conf_check(struct conf *c, struct bess_err *err)
{
	if (c->mode == M_NONE)
		return bess_err_set(err, NULL, 0, "choose a mode: --simulate, --backtest, --live or --once");
	if (c->flexibility && c->mode != M_ONCE)
		return bess_err_set(err, NULL, 0, "--flexibility is for --once");
	if (bess_fleet_build_specs(&c->fleet, &c->bat, &c->bspec, err) != 0)
		return -1;
	c->bat = c->fleet.bat[0];
	if (c->mode == M_SIMULATE && c->fleet.n > 1 && !c->commands)
		return bess_err_set(err, NULL, 0, "--simulate with several batteries reads their commands from "
		    "--commands FILE (per-device records)");
	if (c->commands && c->mode != M_SIMULATE)
		return bess_err_set(err, NULL, 0, "--commands is for --simulate");
	if (c->per_device && c->mode != M_SIMULATE && c->mode != M_BACKTEST)
		return bess_err_set(err, NULL, 0, "--per-device is for --simulate and --backtest");
	if (c->devices && (c->mode == M_LIVE || c->mode == M_ONCE) && c->fmt == BESS_FMT_CSV)
		return bess_err_set(err, NULL, 0, "--devices: the commands and the devices' instructions share "
		    "one stream of different records: write NDJSON");
	if (c->fleet.n > 1 && c->flexibility)
		return bess_err_set(err, NULL, 0, "--flexibility follows one battery (%zu --battery given)",
		    c->fleet.n);
	if (bess_ctlconf_check(&c->cf, &c->fleet, err) != 0)
		return -1;
	if (c->mode == M_BACKTEST && bess_mpc_fleet_check(c->fleet.bat, c->fleet.n, err) != 0)
		return -1;
	return 0;
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
	bess_ctlconf_init(&c.cf);
	bess_dispatch_opts_init(&c.d);
	if ((opts = bess_opt_join((const struct bess_optdef *const[]){ own_opts, bess_ctlconf_optdefs,
	    bess_dispatch_optdefs, bess_battery_optdefs, NULL })) == NULL) {
		cli_errorf("out of memory");
		return EXIT_DATA;
	}
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0) {
		free(opts);
		conf_free(&c);
		cli_usage_err(&err);
	}
	free(opts);
	if (conf_check(&c, &err) != 0) {
		conf_free(&c);
		cli_usage_err(&err);
	}
	if (c.site.tariff_path && (tariff = bess_tariff_load(c.site.tariff_path, &err)) == NULL) {
		cli_error(&err);
		goto done;
	}
	if (c.tz)
		zone = tz = cli_tz_load(c.tz);
	else if (tariff)
		zone = tariff->tz;
	switch (c.mode) {
	case M_SIMULATE:
	case M_BACKTEST:
		status = run_history(&c, tariff, zone, argc, argv, first);
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
