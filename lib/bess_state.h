/* bess_state.h: what a cron-driven controller keeps between runs — a small state file written atomically, and a lock so that overlapping runs never both act. */
#ifndef BESS_STATE_H
#define BESS_STATE_H

#include <stddef.h>

#include "bess_atomic.h"	/* bess_write_atomic, which writes the state file */
#include "bess_err.h"
#include "bess_time.h"

/*
 * Take the lock of path: an exclusive flock(2) on "path.lock" (created if
 * needed; the state file itself is replaced by rename, so it cannot carry
 * the lock), without waiting. Returns 0 with *fd holding the lock (release
 * with bess_lock_release, or exit), 1 if another process holds it, -1 on
 * error (err filled).
 */
int bess_lock_try(const char *path, int *fd, struct bess_err *err);
void bess_lock_release(int fd);

#define BESS_STATE_MAX_PEAKS 16

/* The state file: one NDJSON record. */
struct bess_state {
	long runs;				/* runs that acted so far */
	bess_time_t ts;				/* start of the interval of the last command, 0 = none */
	double command_kw;			/* its battery power (+ charging), kW */
	char status[16];			/* "optimal" or "safe" */
	double soc_kwh;				/* last SOC reported, kWh (NAN = never) */
	bess_time_t soc_ts;			/* when it was measured */
	char peak_bill[16];			/* billing period the peaks belong to ("" = none) */
	size_t npeak;
	char peak_name[BESS_STATE_MAX_PEAKS][64];	/* demand period names */
	double peak_kw[BESS_STATE_MAX_PEAKS];		/* peak import reached in peak_bill, kW */
	bess_time_t fc_ts[2];			/* the nowcast's kept forecasts: the starts of the last two
						   intervals planned, the later first (0 = none) */
	double fc_kw[2];			/* their load forecasts, kW */
};

void bess_state_init(struct bess_state *s);
/* Read path; a missing file is a fresh state (returns 0). -1 with err on a bad file. */
int bess_state_read(const char *path, struct bess_state *s, struct bess_err *err);
/* Write s to path atomically. */
int bess_state_write(const char *path, const struct bess_state *s, struct bess_err *err);

#endif
