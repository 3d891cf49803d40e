/* bess_ctl.h: the live controller — events in (SOC, prices, load and solar forecasts), one command per control interval out, a safe command when inputs are stale or missing. */
#ifndef BESS_CTL_H
#define BESS_CTL_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_err.h"
#include "bess_lp.h"
#include "bess_rec.h"
#include "bess_setpoint.h"
#include "bess_state.h"
#include "bess_summary.h"
#include "bess_tariff.h"
#include "bess_time.h"

/* The values an event may carry for the interval its ts falls in. */
enum {
	BESS_CTL_PRICE = 0,	/* "price" */
	BESS_CTL_EXPORT_PRICE,	/* "export_price" */
	BESS_CTL_LOAD,		/* "load_kw" */
	BESS_CTL_SOLAR,		/* "solar_kw" */
	BESS_CTL_IMPORT_LIMIT,	/* "import_limit_kw" */
	BESS_CTL_EXPORT_LIMIT,	/* "export_limit_kw" */
	BESS_CTL_NQ
};

/*
 * One input record. A record with soc_kwh or soc_pct is a state update
 * measured at ts (it may also carry grid_import_kw, the import measured
 * then, for demand charges). grid_import_kw and grid_export_kw readings
 * are the meter: the mean of an interval's readings is what it imported
 * and exported, settled into the bills so far (lib/sofar.c) once the
 * interval is over. Values of the other columns are the best
 * knowledge (a forecast, or a measurement) from the control interval that
 * holds ts on: a value applies until the next record of that quantity, so
 * hourly and 15-minute inputs mix; the last one applies for as long as the
 * one before it did (one interval if it is alone), except load and solar,
 * which are held until newer ones. A later record for the same interval
 * replaces it. A record with nothing but ts is a clock tick. State updates and ticks move an
 * event-driven clock; forecast records, whose ts lies ahead, do not.
 */
struct bess_ctl_event {
	bess_time_t ts;			/* the record's time */
	int device;			/* the battery its SOC is of (index into the fleet), -1 = none given */
	int dev;			/* a device's reported state: the device (index into the devices
					   file, bess_ctl_devices), -1 = none */
	int dev_on;			/* its state: 1 on, 0 off */
	double dev_kw;			/* the power it reported, kW (NAN = not said) */
	double soc_kwh;			/* NAN if absent (soc_pct is turned into kWh) */
	double grid_import_kw;		/* NAN if absent */
	double grid_export_kw;		/* NAN if absent */
	double v[BESS_CTL_NQ];		/* NAN if absent */
	int clock;			/* 1: a state update or a tick (moves an event clock) */
};

/*
 * 1 if the controller reads column name (ts, device, soc_kwh, soc_pct, grid_import_kw and
 * the forecast columns; state and power_kw, a device's reported state), 0 for any other
 * (topic, a BMS's cell voltages, ...).
 */
int bess_ctl_reads(const char *name);


/* The events of a run's inputs, in input order, and the latest time a state update or tick gave. */
struct bess_ctl_events {
	struct bess_ctl_event *ev;	/* (owned: free) */
	size_t n, cap;			/* events, and room for them */
	bess_time_t latest;		/* the latest ts of an event with clock set */
	int have_latest;		/* 1: there is one */
};



/* Which readings the live controller follows within an interval (bess_ctl_follow_event). */
enum bess_ctl_meter {
	BESS_CTL_METER_OFF = 0,		/* none: one command per interval */
	BESS_CTL_METER_LOAD,		/* load_kw (less solar_kw of the same record): the site's load */
	BESS_CTL_METER_GRID		/* grid_import_kw: the meter, the battery's own power included */
};

struct bess_ctl_opts {
	long long step_us;		/* control interval, microseconds */
	size_t horizon;			/* intervals planned ahead */
	long long stale_us;		/* an input older than this makes the command safe */
	int safe_hold;			/* 1: the safe command steers the SOC to safe_soc_kwh (when the SOC is known) */
	double safe_soc_kwh;		/* that target, kWh */
	int safe_in_pct;		/* 1: the target is safe_soc_pct of each battery's capacity instead */
	double safe_soc_pct;		/* that target, % */
	enum bess_milp milp;		/* binaries rule */
	enum bess_setpoint setpoint;	/* guard, grid: equal prices tie-broken towards keeping energy */
	int amortize;			/* 1: a plan weighs the demand rates by its share of the rest of
					   the bill (bess_setpoint_share) */
	double nowcast_h;		/* > 0: a plan's load forecast is corrected by the miss in the
					   interval before (bess_fc_nowcast), halving every nowcast_h hours */
	enum bess_ctl_meter follow;	/* the meter readings the command follows within an interval */
};

/* A command for one control interval. */
struct bess_ctl_cmd {
	bess_time_t ts;			/* start of the interval */
	char device[64];		/* the battery's id (several batteries; "" = the one given the old way) */
	double charge_kw, discharge_kw;	/* set-points, each >= 0 */
	double soc_kwh;			/* SOC the command starts from (NAN = unknown) */
	double plan_soc_kwh;		/* planned SOC at the end of the interval (NAN for a safe command) */
	double price;			/* the interval's import price (NAN = unknown) */
	double grid_target_kw;		/* the planned grid flow, import - export (NAN for a safe command) */
	double import_cap_kw;		/* the import the plan accepts in the interval's demand period
					   (INFINITY = no demand charge; NAN for a safe command) */
	size_t relaxed_steps;		/* import limits the plan lifted (no schedule could meet them) */
	int safe;			/* 1: a safe fallback, reason says why */
	int solved;			/* 1: re-optimised for it; 0: the next step of the standing plan */
	int follow;			/* 1: recomputed from a meter reading (bess_ctl_follow) */
	int meter;			/* the controller follows a meter: the record says net_load_kw */
	double net_load_kw;		/* the net load it was recomputed for (NAN for a plan's command) */
	size_t horizon_steps;		/* intervals the plan covers (prices known that far) */
	double solve_ms;		/* time in the solver, ms */
	int iterations;			/* simplex pivots */
	char reason[400];		/* why the command is safe ("" otherwise) */
};

struct bess_ctl;

/*
 * A controller for battery b (checked) at site s with tariff (may be NULL;
 * all three must outlive it). The terminal rule "init" means each plan
 * ends with at least the SOC reported when it is made.
 */
struct bess_ctl *bess_ctl_new(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_ctl_opts *o, struct bess_err *err);
void bess_ctl_free(struct bess_ctl *c);

/*
 * Demand-response events (bess-events(5)) the controller's plans meet, as
 * a backtest's windows do (lib/lpevent.c: soft, a shortfall is paid for):
 * every plan whose horizon overlaps an event's window weighs its payment
 * and penalty. A reduction event's baseline is its baseline_kw, or the
 * like days of the load history in baseline_path (NULL: none; a CSV or
 * NDJSON file of ts, load_kw, solar_kw, read once here). The intervals of
 * an event already past count with the import metered there (the mean of
 * their grid_import_kw readings, bess_ctl_apply), else at their baseline.
 * 0, or -1 with err (the file's errors name file:line).
 */
int bess_ctl_events(struct bess_ctl *c, const char *events_path, const char *baseline_path,
    struct bess_err *err);

/*
 * A controller for the batteries of f (bess_fleet_build; copied) behind
 * the one connection. Several (--battery): they are named by their ids —
 * in the input's device column (bess_ctl_parse_for), in each command's
 * device, in the state file (version 2). One (given either way) is
 * bess_ctl_new of that battery, byte for byte. Each plan covers every
 * battery whose SOC is fresh; a battery whose SOC is missing, stale or
 * dated in the future gets its own safe command (idle: its SOC is not
 * known) and the plan is made without it, so the others go on.
 */
struct bess_ctl *bess_ctl_new_fleet(const struct bess_fleet *f, const struct bess_site *s,
    const struct bess_tariff *tariff, const struct bess_ctl_opts *o, struct bess_err *err);

/* How many batteries c commands: the length of the arrays of bess_ctl_command, _save, _summary. */
size_t bess_ctl_batteries(const struct bess_ctl *c);

/*
 * Read an event from a record of schema s ("file" names the input in
 * messages) for c's batteries: with named batteries, the device
 * column must name one of them (an error at the record's line otherwise),
 * a SOC reading of several batteries must say whose it is, and soc_pct is
 * of that battery's capacity. With devices (bess_ctl_devices) one rule
 * reads the device column: a battery's id (the one battery given the old
 * way is "battery") is its SOC record, a device's id is that device's
 * reported state (state ON or OFF, power_kw, or both; power_kw alone: on
 * when above 0), anything else an error at the record's line.
 */
int bess_ctl_parse_for(const struct bess_ctl *c, const struct bess_schema *s, const struct bess_rec *r,
    const char *file, struct bess_ctl_event *ev, struct bess_err *err);

struct bess_devices;
struct bess_ctldev;
/*
 * The controllable loads of dv (bess-devices(5); it must outlive c)
 * scheduled with the batteries in every plan (lib/lpdev.c, from each
 * device's state: lib/ctldev.c), and one instruction per device and
 * interval (bess_ctl_ctldev). Commands then name their battery in their
 * device column ("battery" for one given the old way). An id both a
 * battery's and a device's is an error. 0, or -1 with err.
 */
int bess_ctl_devices(struct bess_ctl *c, const struct bess_devices *dv, struct bess_err *err);
/*
 * The devices (NULL: none): after bess_ctl_command, the interval's
 * instructions (bess_ctldev_record, _records) and each device's state
 * (run.st) — from the plan when a battery's command is, else by the
 * no-action rule.
 */
const struct bess_ctldev *bess_ctl_ctldev(const struct bess_ctl *c);

/* Every record of r (called name in messages) parsed (bess_ctl_parse_for) and added to e. 0, or -1 with err. */
int bess_ctl_read_all(const struct bess_ctl *c, struct bess_reader *r, const char *name,
    struct bess_ctl_events *e, struct bess_err *err);

/* How far ahead of the clock a SOC reading may be dated (clocks differ a little): 5 minutes. */
#define BESS_CTL_AHEAD_US	(300LL * 1000000)

/*
 * Take in an event that arrived at instant now (the time forecasts are
 * judged stale from). 0; 1 when a SOC reading dated more than
 * BESS_CTL_AHEAD_US ahead of now was refused (err says so; the event's
 * other fields were taken); -1 with err when out of memory.
 */
int bess_ctl_apply(struct bess_ctl *c, const struct bess_ctl_event *ev, bess_time_t now,
    struct bess_err *err);

/*
 * The commands for the control interval holding instant t, one per
 * battery (bess_ctl_batteries) at cmd[0..]. Re-optimises
 * when anything arrived since the last plan (or the plan does not reach
 * t); falls back to the safe command, with the reason, when the SOC is
 * unknown, older than the stale limit or dated after the interval (more
 * than BESS_CTL_AHEAD_US past its end), the interval has no price, a
 * load or solar forecast is older than the stale limit, or no schedule
 * exists. Returns 0, or -1 on an internal error (out of memory).
 */
int bess_ctl_command(struct bess_ctl *c, bess_time_t t, struct bess_ctl_cmd *cmd,
    struct bess_err *err);

/*
 * A meter reading inside the control interval holding instant t, after
 * its command: the battery's power recomputed from the standing plan's
 * step by the setpoint mode (bess_setpoint_apply, the same as a backtest
 * settles each step) for the site's net load net_kw (load - solar), the
 * interval's SOC and the demand peak reached so far, so that a device
 * taking only a power command still holds the meter. No plan step for the
 * interval, a safe command, or --setpoint battery: returns 1 and leaves
 * the interval's command as it was. 0 with cmd filled (follow = 1), one
 * per battery: the batteries of the plan hold the meter in the order given
 * (bess_setpoint_apply_n: the first covers what it can, the next the
 * rest); a battery left out of the plan (its SOC stale) keeps its safe
 * command.
 */
int bess_ctl_follow(struct bess_ctl *c, bess_time_t t, double net_kw, struct bess_ctl_cmd *cmd);

/*
 * After bess_ctl_apply: when the controller follows a meter (opts.follow)
 * and ev carries its reading, dated in the interval of the last command,
 * the command recomputed (bess_ctl_follow; a grid reading less the
 * battery power last commanded). 0 with cmd, 1 when there is none.
 */
int bess_ctl_follow_event(struct bess_ctl *c, const struct bess_ctl_event *ev, struct bess_ctl_cmd *cmd);	/* cmd: one per battery */

/* A command as one record (ts, device with named batteries, battery_kw, target_charge_kw, ... replanned). */
void bess_ctl_cmd_record(const struct bess_ctl_cmd *cmd, struct bess_kv *k);

/* The n commands at cmd as fmt records in memory (*buf, *len; the caller frees *buf). 0, or -1 when out of memory. */
int bess_ctl_cmd_records(const struct bess_ctl_cmd *cmd, size_t n, enum bess_fmt fmt, char **buf, size_t *len);

/*
 * The standing plan as a summary record (key vocabulary in bess(7)): the
 * command's figures, the plan's bill over its horizon (cost, energy_cost,
 * demand_cost, peak_kw: the highest planned import) and "schedule", one
 * object per planned interval (ts, battery_kw, soc_kwh, grid_import_kw,
 * grid_export_kw, import_cap_kw). cmd: one per battery; named batteries
 * give the site's ts, battery_kw (the sum) and status ("safe" if any is)
 * and "commands", each one's command record, in place of the command's.
 */
void bess_ctl_summary(const struct bess_ctl *c, const struct bess_ctl_cmd *cmd, struct bess_kv *k);

/*
 * The nowcast (opts.nowcast_h): the load forecast a plan was made on for
 * its first interval is kept; when a later record for that interval
 * arrives (a meter's load_kw), the plan of the next interval corrects its
 * load forecast by the difference, as a backtest does with the actual
 * load. A record that only repeats the forecast is a miss of 0.
 */

/*
 * Carry state across runs (cron): load the SOCs, demand peaks and kept
 * forecasts, and save them with the commands (cmd: one per battery). Named
 * batteries keep their SOC and command per device id (state version 2; a
 * version 1 file's one SOC is no battery's); one battery given the old
 * way, version 1 as before.
 */
void bess_ctl_restore(struct bess_ctl *c, const struct bess_state *st);
void bess_ctl_save(const struct bess_ctl *c, const struct bess_ctl_cmd *cmd, struct bess_state *st);

#endif
