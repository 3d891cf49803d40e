/* bess-replay: a recorded record stream written out again at its recorded pace (or faster, or one per interval). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_replay.h"
#include "cli.h"

enum { O_FORMAT = CLI_O_OWN, O_SPEED, O_INTERVAL, O_MAXGAP, O_NOW, O_TIMECOL };

static const struct bess_optdef opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "speed", 'x', BESS_OPT_ARG, O_SPEED },
	{ "interval", 0, BESS_OPT_ARG, O_INTERVAL },
	{ "max-gap", 0, BESS_OPT_ARG, O_MAXGAP },
	{ "now", 0, BESS_OPT_FLAG, O_NOW },
	{ "time-col", 'T', BESS_OPT_ARG, O_TIMECOL },	/* as bess-ingest (doc/args.txt) */
	{ "time-col", 't', BESS_OPT_ARG | BESS_OPT_OLD, O_TIMECOL },	/* -t is --topic elsewhere */
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_pace_opts pace;	/* speed, interval, gap cap */
	const char *output;		/* -o FILE, NULL = stdout */
	enum bess_fmt fmt;		/* output format, AUTO = the input's */
	int now;			/* timestamps moved to when each record goes out */
	const char *time_col;		/* the time column (default ts) */
};

static void
usage(void)
{
	printf("usage: bess-replay [options] [file ...]\n"
	    "Write a recorded record stream (CSV or NDJSON with a 'ts' column) out again\n"
	    "at the pace of its timestamps, as a live source for a pipe:\n"
	    "  bess-replay -x 10 bms.ndjson | bess-mqtt pub -t 'site/{device}/bms'\n"
	    "\n"
	    "  -x, --speed N          N times real time (default 1; 0.5 is half speed)\n"
	    "      --interval DUR     one timestamp every DUR (2s, 1m), whatever the recorded\n"
	    "                         spacing; records with the same time go out together\n"
	    "      --max-gap DUR      a recorded gap longer than DUR waits DUR (before --speed)\n"
	    "      --now              move each record's time to when it goes out (its due\n"
	    "                         time on the real clock); default: kept as recorded\n"
	    "  -T, --time-col COL     the time column (default ts), RFC 3339\n"
	    "  -f, --format FMT       csv or ndjson (default: that of the input)\n"
	    "  -o, --output FILE      write FILE (default stdout)\n"
	    "  -c, --config FILE      read options from FILE (keys are long option names)\n"
	    "      --help, --version\n"
	    "\n"
	    "Each record is written and flushed when it is due. Exit status: 0 success,\n"
	    "1 bad data (a time before the previous one) or I/O error, 2 usage error.\n"
	    "See bess-replay(1).\n");
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;
	long long us;
	char *end;

	(void)src;
	switch (id) {
	case O_FORMAT:
		return bess_opt_fmt(arg, 0, &c->fmt, err);
	case O_SPEED:
		errno = 0;
		c->pace.speed = strtod(arg, &end);
		if (*arg == '\0' || *end != '\0' || errno || !(c->pace.speed > 0) ||
		    c->pace.speed > 1e9)
			return bess_err_set(err, NULL, 0, "'%s' is not a speed above 0 and up to 1e9", arg);
		return 0;
	case O_INTERVAL:
	case O_MAXGAP:
		if (bess_opt_dur(arg, &us, err) != 0)
			return -1;
		if (id == O_INTERVAL)
			c->pace.interval_us = us;
		else
			c->pace.max_gap_us = us;
		return 0;
	case O_NOW:
		c->now = 1;
		return 0;
	case O_TIMECOL:
		c->time_col = arg;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* One input replayed (lib/replay.c). */
static int
replay(struct bess_reader *r, const char *name, void *ctx)
{
	struct bess_replay *rp = ctx;
	struct bess_err err;

	if (bess_replay_input(rp, r, name, &err) != 0) {
		cli_error(&err);
		return -1;
	}
	if (rp->gone)
		cli_stdout_gone();
	return 0;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_replay rp;
	struct bess_err err;
	FILE *out;
	int first, status = 0;

	cli_init("bess-replay");
	memset(&c, 0, sizeof(c));
	c.pace.speed = 1;
	c.time_col = "ts";
	c.fmt = BESS_FMT_AUTO;
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0)
		cli_usage("%s", err.msg);
	if (c.pace.interval_us > 0 && c.pace.speed != 1)
		cli_usage("--interval and --speed exclude each other");
	signal(SIGPIPE, SIG_IGN);	/* a live source: a closed stdout is EPIPE and a quiet end, as bess-mqtt sub */
	if ((out = cli_out_open(c.output)) == NULL)
		return cli_finish(EXIT_DATA);
	bess_replay_init(&rp, &c.pace, c.time_col, c.now, c.fmt, out);
	if (cli_each_input(NULL, argc, argv, first, replay, &rp) != 0)
		status = EXIT_DATA;
	if (status == 0 && bess_replay_finish(&rp, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
	}
	if (status == 0 && cli_out_commit() != 0)
		status = EXIT_DATA;
	if (status != 0)
		cli_out_abort();
	bess_replay_free(&rp);
	return cli_finish(status);
}
