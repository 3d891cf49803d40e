/* bess_live.h: the live loop around the controller — events read from a record stream, one command per control interval, on the events' own clock or on the wall clock. */
#ifndef BESS_LIVE_H
#define BESS_LIVE_H

#include "bess_ctl.h"
#include "bess_rec.h"
#include "bess_summary.h"

/* What the loop hands back to its caller. */
struct bess_live_io {
	/* Write one command and flush it out; 0, or -1 after reporting why (the loop ends). */
	int (*emit)(void *ctx, const struct bess_ctl_cmd *cmd);
	/*
	 * Something to tell: a bad record skipped ("file:line: ... (record
	 * skipped)"), a SOC reading dated ahead of the clock ignored, a jump
	 * of the events' clock held, dropped or taken.
	 */
	void (*warn)(void *ctx, const char *msg);
	/*
	 * With devices (bess_ctl_devices): write one device's instruction
	 * record after the interval's commands (NULL: not written); as emit.
	 */
	int (*emit_rec)(void *ctx, const struct bess_kv *k);
	void *ctx;
};

/* The wall clock now, microseconds since the epoch (UTC). */
bess_time_t bess_live_wall_now(void);

/*
 * bess_live_io's emit for a record writer: each command one record
 * (bess_ctl_cmd_record), flushed through to fp at once so that it flows
 * as it is made. ctx is a struct bess_live_out; -1 when writing failed,
 * with err filled when the record could not be made or written (a failed
 * flush leaves it empty: the writer's finish reports it).
 */
struct bess_live_out {
	struct bess_writer *w;		/* the commands' writer */
	FILE *fp;			/* its stream */
	struct bess_err err;		/* why the last emit failed (msg "" = not said) */
	void (*warn)(void *ctx, const char *msg);	/* bess_live_run_out: its caller's warnings */
	void *warn_ctx;
};
int bess_live_records(void *ctx, const struct bess_ctl_cmd *cmd);
/* bess_live_io's emit_rec for the same writer: a device's instruction record, flushed at once. */
int bess_live_kv(void *ctx, const struct bess_kv *k);

/*
 * Run ctl on the events of r (read by bess_ctl_parse_for: soc_pct is of each
 * battery's own capacity) until
 * the input ends. clock_events: time is the ts of state updates and ticks
 * (an interval's command is made as time passes its start; a jump of
 * more than a day, or 4 intervals, is held until the next event confirms
 * it, and the intervals it skips are not issued); otherwise the
 * wall clock (a thread reads, commands are made at each interval start).
 * A bad NDJSON line is skipped with a warning. Returns 0 at the end of the
 * input, or -1 with err (err->msg empty when emit already reported).
 */
int bess_live_run(struct bess_ctl *ctl, struct bess_reader *r, long long step_us, int clock_events, const struct bess_live_io *io, struct bess_err *err);

/*
 * The same with its output as records in fmt on out: each command, then
 * each device's instruction, written and flushed as it is made
 * (bess_live_records, bess_live_kv); warnings handed to warn(ctx, msg).
 * 0 at the end of the input; -1 with err (err->msg empty when there is
 * nothing more to say: a failed flush, which the caller's check of out
 * reports).
 */
int bess_live_run_out(struct bess_ctl *ctl, struct bess_reader *r, FILE *out, enum bess_fmt fmt,
    long long step_us, int clock_events, void (*warn)(void *ctx, const char *msg), void *ctx,
    struct bess_err *err);

#endif
