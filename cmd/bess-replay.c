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
	{ "help", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_HELP },
	{ "version", 0, BESS_OPT_FLAG | BESS_OPT_CLI, CLI_O_VERSION },
	{ "config", 'c', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_CONFIG },
	{ "output", 'o', BESS_OPT_ARG | BESS_OPT_CLI, CLI_O_OUTPUT },
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
	/* run state */
	struct bess_pace p;
	struct timespec start;		/* monotonic clock when the first record went out */
	long long wall0_us;		/* real time then, us since the epoch (for --now) */
	struct bess_writer *w;
	FILE *out;
	struct bess_rec rec;		/* the record written (with --now, a new ts) */
	int gone;			/* stdout's reader went away: nothing more is written */
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
	char why[256];
	long long us;
	char *end;

	(void)src;
	if (cli_common_opt(id, arg, usage, &c->output))
		return 0;
	switch (id) {
	case O_FORMAT:
		return cli_fmt_opt(arg, 0, &c->fmt, err);
	case O_SPEED:
		errno = 0;
		c->pace.speed = strtod(arg, &end);
		if (*arg == '\0' || *end != '\0' || errno || !(c->pace.speed > 0) ||
		    c->pace.speed > 1e9)
			return bess_err_set(err, NULL, 0, "'%s' is not a speed above 0 and up to 1e9", arg);
		return 0;
	case O_INTERVAL:
	case O_MAXGAP:
		if (bess_duration_parse(arg, &us, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
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

/* Sleep until due_us after c->start. */
static void
wait_until(const struct conf *c, long long due_us)
{
	struct timespec t = c->start;

	t.tv_sec += (time_t)(due_us / 1000000);
	t.tv_nsec += (long)(due_us % 1000000) * 1000;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

static int
replay(struct bess_reader *r, const char *name, void *ctx)
{
	struct conf *c = ctx;
	const struct bess_schema *s = bess_reader_schema(r);
	struct bess_rec in;
	struct bess_err err;
	char tsbuf[BESS_TIME_BUFSZ], why[256];
	int rc, ti = -1;

	memset(&in, 0, sizeof(in));
	if (c->gone)
		return 0;
	if (c->w == NULL) {
		struct bess_writer_opts wo;

		memset(&wo, 0, sizeof(wo));
		wo.fmt = c->fmt != BESS_FMT_AUTO ? c->fmt : bess_reader_format(r);
		wo.flush_each = 1;	/* a paced stream: each record out when due */
		if ((c->w = bess_writer_new(c->out, &wo)) == NULL) {
			cli_errorf("out of memory");
			return -1;
		}
	}
	while ((rc = bess_reader_next(r, &in, &err)) == 1) {
		bess_time_t t;
		long long due;
		size_t i;

		if (ti < 0 && (ti = bess_schema_find(s, c->time_col)) < 0) {
			bess_err_set(&err, name, in.line, "no column '%s' (--time-col)", c->time_col);
			rc = -1;
			break;
		}
		if ((size_t)ti >= in.n || in.len[ti] == 0) {
			bess_err_set(&err, name, in.line, "missing time in column '%s'", c->time_col);
			rc = -1;
			break;
		}
		if (bess_time_parse(in.v[ti], in.len[ti], NULL, &t, why, sizeof(why)) != BESS_TP_OK) {
			bess_err_set(&err, name, in.line, "column '%s': %s", c->time_col, why);
			rc = -1;
			break;
		}
		if (bess_pace_due(&c->p, t, &due) != 0) {
			bess_err_set(&err, name, in.line, "time %s is before the previous record's; "
			    "a replay needs time order (bess-ingest --sort)", bess_time_format(t, tsbuf));
			rc = -1;
			break;
		}
		if (due == 0 && c->start.tv_sec == 0 && c->start.tv_nsec == 0) {
			struct timespec rt;

			clock_gettime(CLOCK_MONOTONIC, &c->start);
			clock_gettime(CLOCK_REALTIME, &rt);
			c->wall0_us = (long long)rt.tv_sec * 1000000 + rt.tv_nsec / 1000;
		} else
			wait_until(c, due);
		if (bess_rec_resize(&c->rec, in.n) != 0) {
			bess_err_set(&err, name, in.line, "out of memory");
			rc = -1;
			break;
		}
		for (i = bess_writer_fixed_columns(c->w); i < in.n; i++)
			if (in.len[i] > 0)	/* said here, with the line it came from */
				break;
		if (i < in.n) {
			bess_err_set(&err, name, in.line, "column '%s' appeared after the CSV header "
			    "was written; write NDJSON (-f ndjson) or name the columns first",
			    s->name[i]);
			rc = -1;
			break;
		}
		for (i = 0; i < in.n; i++)
			bess_rec_set(&c->rec, i, in.v[i], (enum bess_kind)in.kind[i]);
		c->rec.line = in.line;
		if (c->now)
			bess_rec_set(&c->rec, (size_t)ti, bess_time_format(c->wall0_us + due, tsbuf),
			    BESS_K_STR);
		if (bess_writer_write(c->w, s, &c->rec, &err) != 0) {
			if (bess_writer_errno(c->w) == EPIPE) {
				c->gone = 1;	/* the reader went away (| head): a quiet end */
				cli_stdout_gone();
				rc = 0;
				break;
			}
			rc = -1;
			break;
		}
	}
	if (rc < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	int first, status = 0;

	cli_init("bess-replay");
	memset(&c, 0, sizeof(c));
	c.pace.speed = 1;
	c.time_col = "ts";
	c.fmt = BESS_FMT_AUTO;
	if (bess_opt_load(opts, "bess-replay", argc, argv, set, &c, &first, &err) != 0)
		cli_usage("%s", err.msg);
	if (c.pace.interval_us > 0 && c.pace.speed != 1)
		cli_usage("--interval and --speed exclude each other");
	bess_pace_init(&c.p, &c.pace);
	signal(SIGPIPE, SIG_IGN);	/* a live source: a closed stdout is EPIPE and a quiet end, as bess-mqtt sub */
	bess_rec_init(&c.rec);
	if ((c.out = cli_out_open(c.output)) == NULL)
		return cli_finish(EXIT_DATA);
	if (cli_each_input(NULL, argc, argv, first, replay, &c) != 0)
		status = EXIT_DATA;
	if (status == 0 && !c.gone && c.w != NULL && bess_writer_finish(c.w, NULL, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
	}
	if (status == 0 && cli_out_commit() != 0)
		status = EXIT_DATA;
	if (status != 0)
		cli_out_abort();
	bess_writer_free(c.w);
	bess_rec_free(&c.rec);
	return cli_finish(status);
}
