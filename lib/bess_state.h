/* bess_state.h: what a cron-driven controller keeps between runs — a small state file written atomically, and a lock so that overlapping runs never both act. */
#ifndef BESS_STATE_H
#define BESS_STATE_H

#include <stddef.h>
#include <stdint.h>

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
#define BESS_STATE_MAX_BATTERIES 32	/* batteries one state file keeps (BESS_FLEET_MAX) */
#define BESS_STATE_ID_MAX 64		/* longest battery id + 1 (BESS_FLEET_ID_MAX) */
#define BESS_STATE_MAX_DEVICES 256	/* controllable loads one state file keeps (version 3) */
#define BESS_STATE_VERSION 3		/* the newest format this build reads and writes */

#define BESS_STATE_MAX_BILLS 24
#define BESS_STATE_MAX_WIN 64

/*
 * The bills so far as the state file keeps them (struct bess_sofar of
 * lib/sofar.c, its last BESS_STATE_MAX_BILLS bills): keys bills (the
 * labels, oldest first, comma-separated), bill_base, billed_kw/LABEL/PERIOD,
 * bill_import_kwh, bill_energy_cost, bill_paid_export_kwh,
 * bill_export_revenue, bill_window_kw, bill_window (the open demand
 * window's steps, "BILL:PERIOD" indices, comma-separated), bill_ts.
 */
struct bess_state_bills {
	bess_time_t ts;				/* start of the last interval settled, 0 = none */
	size_t nbill;				/* bills kept, oldest first; the last the current one */
	long base;				/* absolute index of the first */
	char label[BESS_STATE_MAX_BILLS][16];	/* their labels */
	size_t nperiod;
	char period[BESS_STATE_MAX_PEAKS][64];	/* demand period names */
	double billed_kw[BESS_STATE_MAX_BILLS][BESS_STATE_MAX_PEAKS];	/* demand billed, kW (NAN = the period
									   has no step in the bill) */
	double import_kwh, energy_cost;		/* the current bill so far */
	double paid_export_kwh, export_revenue;
	double window_kw;			/* import of the open demand window's steps, kW summed */
	size_t nwin;
	long win_bill[BESS_STATE_MAX_WIN];	/* its steps: absolute bill index */
	int win_period[BESS_STATE_MAX_WIN];	/* and demand period (-1 = none) */
};

/* One battery's part of a version 2 state file (keys "soc_kwh/ID", "soc_ts/ID", "battery_kw/ID", "status/ID"). */
struct bess_state_battery {
	char id[BESS_STATE_ID_MAX];		/* its device id */
	double soc_kwh;				/* last SOC reported, kWh (NAN = never) */
	bess_time_t soc_ts;			/* when it was measured (0 with a NAN soc_kwh) */
	double command_kw;			/* its last command (+ charging), kW (NAN = none) */
	char status[16];			/* "optimal" or "safe" ("" = none) */
};

/*
 * One controllable load's part of a version 3 state file (lib/statedev.c;
 * keys "dev_command/ID", "dev_power_kw/ID", "dev_hold_h/ID", "dev_off_h/ID",
 * "dev_off_day/ID", "dev_done_kwh/ID", "dev_task/ID"), as of dev_ts.
 */
struct bess_state_device {
	char id[BESS_STATE_ID_MAX];		/* its id in the devices file */
	int on;					/* 1: on from dev_ts (its last instruction, or its report since) */
	double power_kw;			/* what it draws then, kW */
	double hold_h;				/* hours its on/off state must still be held (min_on/min_off left) */
	double off_h;				/* sheddable: hours off on local day off_day */
	int64_t off_day;			/* that day, days since 1970-01-01 (INT64_MIN = none) */
	double done_kwh;			/* shiftable: kWh delivered to task done_task */
	int64_t done_task;			/* the task, the local date its window opens (INT64_MIN = none) */
};

/*
 * The state file: one NDJSON record. Version 1 (no "state_version" key) is
 * the one-battery file; version 2 ("state_version": 2) adds one battery's
 * keys per device id and leaves soc_kwh and soc_ts empty (the site has
 * no one SOC). Version 3 ("state_version": 3) adds the controllable
 * loads' states (dev_ts and one device's keys per device id) to either;
 * versions 1 and 2 read as no device state kept. A file of a later
 * version is refused.
 */
struct bess_state {
	int version;				/* 1, or 2 with batteries (written when nbat > 0) */
	size_t nbat;				/* batteries kept per device (version 2) */
	struct bess_state_battery bat[BESS_STATE_MAX_BATTERIES];
	long runs;				/* runs that acted so far */
	bess_time_t ts;				/* start of the interval of the last command, 0 = none */
	double command_kw;			/* its battery power (+ charging), kW (several batteries: the sum) */
	char status[16];			/* "optimal" or "safe" (several batteries: "safe" if any is) */
	double soc_kwh;				/* last SOC reported, kWh (NAN = never) */
	bess_time_t soc_ts;			/* when it was measured */
	char peak_bill[16];			/* billing period the peaks belong to ("" = none) */
	size_t npeak;
	char peak_name[BESS_STATE_MAX_PEAKS][64];	/* demand period names */
	double peak_kw[BESS_STATE_MAX_PEAKS];		/* peak import reached in peak_bill, kW */
	bess_time_t fc_ts[2];			/* the nowcast's kept forecasts: the starts of the last two
						   intervals planned, the later first (0 = none) */
	double fc_kw[2];			/* their load forecasts, kW */
	struct bess_state_bills bills;		/* the bills so far (lib/sofar.c) */
	char dr_event[64];			/* the demand-response event under way at bills.ts ("" = none) */
	double dr_import_kwh;			/* the import counted in its window up to bills.ts, kWh */
	bess_time_t dev_ts;			/* the instant the devices' states are at (0 = none kept) */
	size_t ndev;				/* devices kept (version 3) */
	struct bess_state_device dev[BESS_STATE_MAX_DEVICES];
};

void bess_state_init(struct bess_state *s);
/* Read path; a missing file is a fresh state (returns 0). -1 with err on a bad file. */
int bess_state_read(const char *path, struct bess_state *s, struct bess_err *err);
/* Write s to path atomically. */
int bess_state_write(const char *path, const struct bess_state *s, struct bess_err *err);

/* Battery id's part of s, added (all unknown) when it is not there yet; NULL when s is full. */
struct bess_state_battery *bess_state_battery(struct bess_state *s, const char *id);

/* Device id's part of s, added (on, nothing held or done) when it is not there yet; NULL when s is full. */
struct bess_state_device *bess_state_device(struct bess_state *s, const char *id);

struct bess_kv;
/*
 * The device keys of a state file (lib/statedev.c): key k with text v
 * (num, x: bess_rec_num of it) read into s: 1 if it is one, 0 if it is
 * not, -1 with err (path:line) when its value is bad. bess_state_dev_kv
 * appends s's device keys to k (nothing when s->ndev is 0).
 */
int bess_state_dev_key(struct bess_state *s, const char *path, long line, const char *k, const char *v,
    int num, double x, struct bess_err *err);
void bess_state_dev_kv(const struct bess_state *s, struct bess_kv *k);

#endif
