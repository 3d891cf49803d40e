/* bess_hrun.h: bess-health's run — its limits as options (units, ranges, where each default comes from, the --limits table), the checks or the cycle count fed from record streams with each event or cycle written as a record, and the per-device summary. */
#ifndef BESS_HRUN_H
#define BESS_HRUN_H

#include <stddef.h>
#include <stdio.h>

#include "bess_err.h"
#include "bess_health.h"
#include "bess_opt.h"
#include "bess_rec.h"

/* ---- the limits as options ---- */

/* The limits' option ids (bess_hlimit_optdefs_join): from BESS_HLIMIT_OPT_BASE, apart from a tool's own. */
#define BESS_HLIMIT_OPT_BASE	2000

/*
 * A tool's table followed by the limits' options (--cell-v-spread ...
 * --pcs-temp-max), in a new NULL-terminated array (free() it). NULL when out
 * of memory.
 */
struct bess_optdef *bess_hlimit_optdefs_join(const struct bess_optdef *tool);
/* Is id one of the limits' options? */
int bess_hlimit_is_opt(int id);
/*
 * Set limit id from arg: a quantity in the limit's unit or a plain number
 * (a duration for --stuck and --gap), in its range. 0, or -1 with err.
 */
int bess_hlimit_set(struct bess_health_limits *l, int id, const char *arg, struct bess_err *err);
/*
 * --limits: one record per limit (limit, value in force, unit, where its
 * default comes from) to out in fmt (line protocol: CSV). 0, or -1 with err.
 */
int bess_hlimits_write(const struct bess_health_limits *l, FILE *out, enum bess_fmt fmt,
    struct bess_err *err);

/* ---- the run ---- */

/* What a run needs. */
struct bess_hrun_opts {
	const struct bess_health_limits *l;	/* the limits in force (health checks) */
	int cycles;			/* capacity per cycle (bess_cycles) instead of the checks */
	const char *cycle_col;		/* the cycle column, NULL = the default */
	enum bess_fmt fmt;		/* output format */
	enum bess_fmt infmt;		/* input format, BESS_FMT_AUTO = detected */
	const char *measurement;	/* line protocol measurement, NULL = bess_health */
	int live;			/* an input is a pipe: each record out at once, conditions reported when they start */
	int no_header;			/* CSV continued without a header (a log appended to) */
};

struct bess_hrun;
/* The run writing to out. NULL when out of memory. */
struct bess_hrun *bess_hrun_new(FILE *out, const struct bess_hrun_opts *o);
/*
 * Check the records of fp (named name): keys the checks do not read never
 * grow the schema. 0, or -1 with err (file:line).
 */
int bess_hrun_input(struct bess_hrun *u, FILE *fp, const char *name, struct bess_err *err);
/* The conditions still open closed, the output finished. 0, or -1 with err. */
int bess_hrun_finish(struct bess_hrun *u, struct bess_err *err);
/*
 * --summary: one NDJSON record per device (records, first and last time,
 * events in all and per kind, extremes), malloc'd into *buf (*len bytes).
 * 0, or -1 when out of memory.
 */
int bess_hrun_summary(const struct bess_hrun *u, char **buf, size_t *len);
void bess_hrun_free(struct bess_hrun *u);

#endif
