/* bess_fcrun.h: bess-forecast's run over a record stream — the quantities chosen, the grid's step found, every record pushed to a forecaster per quantity, the forecast written or the backtest reported. */
#ifndef BESS_FCRUN_H
#define BESS_FCRUN_H

#include <stdio.h>

#include "bess_err.h"
#include "bess_fcin.h"
#include "bess_forecast.h"
#include "bess_rec.h"
#include "bess_time.h"

/* ---- bess-forecast's option values ---- */

/*
 * --method LIST: comma-separated methods that forecast from history, into
 * fo->method (replacing any). 0, or -1 with err ("'x' is not a, b or c",
 * "too many methods", "no method").
 */
int bess_fcrun_methods_parse(const char *arg, struct bess_fcr_opts *fo, struct bess_err *err);
/* No --method: every method from history for a backtest, else ridge. */
void bess_fcrun_methods_default(struct bess_fcr_opts *fo, int backtest);
/* --at HH:MM (local time of day) into *minute (after midnight), or "step": -1. 0, or -1 with err. */
int bess_fcrun_at_parse(const char *arg, int *minute, struct bess_err *err);
/* The minute of the local day (zone tz, NULL = UTC) at which t falls. */
int bess_fcrun_minute_of_day(const struct bess_tz *tz, bess_time_t t);
/* Do lead_us and horizon_us after an issue stay within BESS_FCR_MAX_DAYS? */
int bess_fcrun_reach_ok(long long horizon_us, long long lead_us);

/* What a run needs. */
struct bess_fcrun_opts {
	struct bess_fcr_opts fo;	/* methods and their settings (step, horizon, lead, tz set by the run) */
	const struct bess_tz *tz;	/* local time of profiles and issues, NULL = UTC */
	long long horizon_us;		/* forecast span, microseconds (whole steps) */
	long long lead_us;		/* first forecast this long after the issue (whole steps) */
	long long step_us;		/* the grid's step; 0 = the first two records' distance */
	const char *meter;		/* --meter: a column that includes the battery, or NULL */
	char *const *cols;		/* --column: the columns to forecast (NULL, 0: the known ones) */
	size_t ncols;
	int have_issue;			/* records at or after issue end the input */
	bess_time_t issue;
	FILE *forecasts;		/* --forecasts: every scored target as CSV, NULL = none */
	void *ctx;			/* for warn */
	void (*warn)(void *ctx, const char *msg);	/* what the load forecast is; forecasts left empty */
};

struct bess_fcrun;
/* NULL when out of memory; the strings o points to must outlive u. */
struct bess_fcrun *bess_fcrun_new(const struct bess_fcrun_opts *o);
void bess_fcrun_free(struct bess_fcrun *u);
/*
 * Read the records of rd (input name), one series in time order, until it
 * ends or a record reaches the issue time. 0, or -1 with err (file:line).
 */
int bess_fcrun_read(struct bess_fcrun *u, struct bess_reader *rd, const char *name, struct bess_err *err);
/* Enough records for a forecast: 0, or -1 with err (none before the issue; one record and no step). */
int bess_fcrun_ready(const struct bess_fcrun *u, struct bess_err *err);
/* The default issue time: the step after the last record (or the issue time given). */
bess_time_t bess_fcrun_issue_at(const struct bess_fcrun *u);
/* The backtest's skill scores, per quantity: a table or one JSON object each. */
void bess_fcrun_report(const struct bess_fcrun *u, FILE *fp, int table);
/*
 * The forecast issued at to fp as records of fmt: ts, issue_ts, then per
 * quantity its _fc, _fc_p10, _fc_p50, _fc_p90 (or, plain 1-4, one of them
 * under the column's own name). 0, or -1 with err.
 */
int bess_fcrun_write(struct bess_fcrun *u, FILE *fp, enum bess_fmt fmt, int plain, bess_time_t at,
    struct bess_err *err);

#endif
