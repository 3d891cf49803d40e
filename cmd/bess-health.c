/* bess-health: health checks over BMS/PCS telemetry (events out), or capacity per cycle of cycler data. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_cycles.h"
#include "bess_health.h"
#include "bess_hrun.h"
#include "bess_opt.h"
#include "bess_qty.h"
#include "bess_rec.h"
#include "cli.h"

enum {
	O_FORMAT = CLI_O_OWN, O_INFMT, O_SUMMARY, O_LIMITS, O_CYCLES, O_CYCLECOL, O_MEASUREMENT
};

/* bess-health's own options; the limits' follow (bess_hlimit_optdefs_join). */
static const struct bess_optdef own_opts[] = {
	CLI_OPT_ROWS,
	{ "format", 'f', BESS_OPT_ARG, O_FORMAT },
	{ "input-format", 'i', BESS_OPT_ARG, O_INFMT },
	{ "summary", 0, BESS_OPT_ARG | BESS_OPT_CLI, O_SUMMARY },
	{ "limits", 0, BESS_OPT_FLAG | BESS_OPT_CLI, O_LIMITS },
	{ "cycles", 0, BESS_OPT_FLAG, O_CYCLES },
	{ "cycle-col", 0, BESS_OPT_ARG, O_CYCLECOL },
	{ "measurement", 0, BESS_OPT_ARG, O_MEASUREMENT },
	{ NULL, 0, 0, 0 }
};

struct conf {
	struct bess_health_limits l;	/* the limits in force */
	const char *output;		/* -o FILE, NULL = stdout */
	const char *summary;		/* --summary FILE */
	enum bess_fmt fmt;		/* output format */
	enum bess_fmt infmt;		/* input format, AUTO = detect */
	int show_limits;		/* --limits */
	int cycles;			/* --cycles */
	const char *cycle_col;		/* --cycle-col */
	char *measurement;		/* line protocol measurement */
};

static void
usage(void)
{
	printf("usage: bess-health [options] [file ...]\n"
	    "Check BMS and PCS telemetry (canonical columns, from bess-ingest) and write one\n"
	    "event per problem: device, start, end, kind, column, severity, value, limit, unit.\n"
	    "Streams in constant memory; on a pipe or terminal a condition is written when it\n"
	    "is confirmed (end empty) and again when it closes.\n"
	    "\n"
	    "Limits (defaults and their sources: bess-health --limits):\n"
	    "      --cell-v-spread V  highest minus lowest cell voltage (cell_max_v, cell_min_v)\n"
	    "      --temp-spread C    hottest minus coldest cell (cell_max_c, cell_min_c)\n"
	    "      --cell-v-max V, --cell-v-min V    cell voltage limits\n"
	    "      --temp-max C, --temp-min C        cell temperature limits\n"
	    "      --soc-jump PCT     SOC change between two samples not explained by current_a\n"
	    "      --soc-drift PCT    SOC away from the coulomb count of current_a\n"
	    "      --capacity AH      the pack's capacity, for the coulomb count (e.g. 280Ah)\n"
	    "      --stuck DUR        a reading unchanged this long is stuck (30m)\n"
	    "      --gap DUR          no record this long is a gap (default: 10 x usual spacing)\n"
	    "      --phase-imbalance PCT  (max - min) / mean of ac_l1_a, ac_l2_a, ac_l3_a\n"
	    "      --phase-min A      phases below this mean current are not compared\n"
	    "      --pcs-temp-max C   PCS temperature (igbt_c)\n"
	    "      --limits           write the limits in force with their sources and exit\n"
	    "Cycler data:\n"
	    "      --cycles           instead: capacity per cycle (charge_ah, discharge_ah,\n"
	    "                         fade_pct against the first cycle) from current_a\n"
	    "      --cycle-col COL    the cycle column; default: a cycle starts where charging\n"
	    "                         starts after a discharge\n"
	    "Output:\n"
	    "  -o, --output FILE      write FILE atomically (default stdout)\n"
	    "  -f, --format FMT       csv (default), ndjson or lp (InfluxDB line protocol)\n"
	    "      --measurement NAME line protocol measurement (default bess_health)\n"
	    "      --summary FILE     one NDJSON record per device: records, times, events\n"
	    "                         per kind, extremes\n"
	    "  -i, --input-format F   csv or ndjson (default: detected)\n"
	    "  -c, --config FILE      read options from FILE (section [bess-health])\n"
	    "      --help, --version\n"
	    "\n"
	    "Exit status: 0 success (with or without events), 1 bad data or I/O error,\n"
	    "2 usage error. See bess-health(1).\n");
}

static int
set(void *ctx, int id, const char *arg, const struct bess_optsrc *src, struct bess_err *err)
{
	struct conf *c = ctx;

	(void)src;
	if (bess_hlimit_is_opt(id))
		return bess_hlimit_set(&c->l, id, arg, err);
	switch (id) {
	case O_FORMAT:
		return bess_opt_fmt(arg, 1, &c->fmt, err);
	case O_INFMT:
		return bess_opt_fmt(arg, 0, &c->infmt, err);
	case O_SUMMARY:
		c->summary = arg;
		return 0;
	case O_LIMITS:
		c->show_limits = 1;
		return 0;
	case O_CYCLES:
		c->cycles = 1;
		return 0;
	case O_CYCLECOL:
		c->cycle_col = arg;
		return 0;
	case O_MEASUREMENT:
		return bess_opt_str(&c->measurement, arg, err);
	}
	return bess_err_set(err, NULL, 0, "unhandled option");
}

/* An input opened: a pipe among them makes each event go out as soon as known. */
static int
opened(void *live, size_t k, FILE *fp, const char *name, struct bess_err *err)
{
	(void)k;
	(void)name;
	(void)err;
	*(int *)live |= cli_is_live(fp);
	return 0;
}

int
main(int argc, char **argv)
{
	struct conf c;
	struct bess_err err;
	struct bess_optdef *opts;
	struct bess_hrun_opts ho;
	struct bess_hrun *u = NULL;
	struct cli_inputs in = { NULL, NULL, 0 };
	FILE *out;
	size_t k;
	int first, status = 0, live = 0;

	cli_init("bess-health");
	memset(&c, 0, sizeof(c));
	bess_health_defaults(&c.l);
	c.fmt = BESS_FMT_CSV;
	if ((opts = bess_hlimit_optdefs_join(own_opts)) == NULL) {
		cli_errorf("out of memory");
		return cli_finish(EXIT_DATA);
	}
	if (cli_opt_load(opts, argc, argv, set, &c, usage, &c.output, &first, &err) != 0) {
		free(opts);
		cli_usage("%s", err.msg);
	}
	free(opts);
	if ((out = cli_out_open(c.output)) == NULL)
		return cli_finish(EXIT_DATA);
	if (c.show_limits) {
		if (bess_hlimits_write(&c.l, out, c.fmt, &err) != 0) {
			cli_error(&err);
			status = EXIT_DATA;
		} else if (cli_out_commit() != 0)
			status = EXIT_DATA;
		goto done;
	}
	if (c.cycles && c.summary)
		cli_usage("--summary goes with the health checks, not --cycles");
	/* every input opened first: a pipe among them makes each event go out as soon as known */
	if (cli_inputs_open(&in, argc, argv, first, opened, &live) != 0) {
		status = EXIT_DATA;
		goto done;
	}
	memset(&ho, 0, sizeof(ho));
	ho.l = &c.l;
	ho.cycles = c.cycles;
	ho.cycle_col = c.cycle_col;
	ho.fmt = c.fmt;
	ho.infmt = c.infmt;
	ho.measurement = c.measurement;
	ho.live = live;
	ho.no_header = c.fmt == BESS_FMT_CSV && cli_out_appends(out);
	if ((u = bess_hrun_new(out, &ho)) == NULL) {
		cli_errorf("out of memory");
		status = EXIT_DATA;
		goto done;
	}
	for (k = 0; k < in.n && status == 0; k++)
		if (bess_hrun_input(u, in.fp[k], in.name[k], &err) != 0) {
			cli_error(&err);
			status = EXIT_DATA;
		}
	if (status == 0 && bess_hrun_finish(u, &err) != 0) {
		cli_error(&err);
		status = EXIT_DATA;
	}
	if (status == 0 && c.summary) {
		char *buf;
		size_t len;

		if (bess_hrun_summary(u, &buf, &len) != 0) {
			cli_errorf("out of memory");
			status = EXIT_DATA;
		} else {
			if (cli_side_write(c.summary, buf, len) != 0)
				status = EXIT_DATA;
			free(buf);
		}
	}
	if (status == 0 && cli_out_commit() != 0)
		status = EXIT_DATA;
done:
	if (status != 0)
		cli_out_abort();
	bess_hrun_free(u);
	free(c.measurement);
	cli_inputs_close(&in);
	return cli_finish(status);
}
