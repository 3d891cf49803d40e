/* bess_once.h: one cron run of the controller (bess-dispatch --once) — the state file locked and read, the inputs' events taken in, the command made and the state saved before anyone sees the command. */
#ifndef BESS_ONCE_H
#define BESS_ONCE_H

#include "bess_ctlconf.h"
#include "bess_devices.h"
#include "bess_rec.h"
#include "bess_state.h"
#include "bess_summary.h"

/* What one run is asked to do. */
struct bess_once_opts {
	const char *state;		/* state file (locked with state.lock) */
	const char *devices;		/* devices file (bess-devices(5)): scheduled with the batteries, one
					   instruction per device after the commands; NULL = none */
	const struct bess_ctlconf *cf;	/* the controller's settings */
	const struct bess_fleet *fleet;	/* the batteries */
	const struct bess_site *site;	/* grid connection, tariff, binaries rule */
	const struct bess_tariff *tariff;	/* NULL = the site's flat prices */
	int have_now;			/* 1: now is given (--now) */
	bess_time_t now;		/* ... that instant */
	int clock_events;		/* 1 (without have_now): now is the latest state update or tick of the input */
	enum bess_fmt fmt;		/* the commands' and the flexibility's format */
	/* A warning to show (a SOC reading dated ahead of now, refused); NULL = none shown. */
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
};

/* A run under way, and what it made. */
struct bess_once {
	const struct bess_once_opts *o;	/* the run's options (not owned) */
	int lock;			/* the state file's lock, -1 = not held */
	struct bess_state st;		/* the state read, then saved */
	struct bess_devices *dv;	/* the devices (NULL = none) */
	struct bess_ctl *ctl;		/* the controller */
	struct bess_ctl_events ev;	/* the inputs' events, in input order */
	struct bess_ctl_cmd *cmd;	/* one command per battery (bess_ctl_batteries) */
	size_t ncmd;
	char *cmd_buf;			/* the commands as records in o->fmt (bess_ctl_cmd_records), then
					   the devices' instructions (bess_ctldev_records) */
	size_t cmd_len;
};

/* bess_once_open's outcomes besides 0 and -1. */
#define BESS_ONCE_LOCKED 1		/* another run holds the lock: nothing was done */
#define BESS_ONCE_NO_STATE 2		/* bess_once_step: the state was not written, so no command may be issued */

/*
 * Start a run: the lock first (a run that cannot have it does nothing at
 * all), then the state file, the devices and the controller. 0;
 * BESS_ONCE_LOCKED; or -1 with err. Free with bess_once_close in every case.
 */
int bess_once_open(struct bess_once *on, const struct bess_once_opts *o, struct bess_err *err);

/* Every record of r (called name in messages) taken as an event of the run. 0, or -1 with err. */
int bess_once_read(struct bess_once *on, struct bess_reader *r, const char *name, struct bess_err *err);

/*
 * The run's step at now (o->now, the wall clock, or with o->clock_events
 * the input's latest time): the state restored, the events applied, the
 * commands made (cmd, cmd_buf) and the state saved with one more run —
 * the state first: a consumer must never act on a command the state did
 * not record. 0; BESS_ONCE_NO_STATE with err when the state could not be
 * written; -1 with err.
 */
int bess_once_step(struct bess_once *on, struct bess_err *err);

/* The flexibility records (bess_flex_records_dev) from the first command's SOC and time. 0, or -1 when out of memory. */
int bess_once_flex(const struct bess_once *on, char **buf, size_t *len);

/* The plan's summary (bess_ctl_summary) into k. */
void bess_once_summary(const struct bess_once *on, struct bess_kv *k);

/* Release the lock and free everything on holds. */
void bess_once_close(struct bess_once *on);

#endif
