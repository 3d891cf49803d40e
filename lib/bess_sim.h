/* bess_sim.h: the battery simulator — settles charge/discharge commands against what really happened (load, solar, limits), clipping and reporting whatever breaks a limit. */
#ifndef BESS_SIM_H
#define BESS_SIM_H

#include <stddef.h>

#include "bess_battery.h"
#include "bess_err.h"
#include "bess_tariff.h"
#include "bess_time.h"

/*
 * Why a command was cut back (bits of bess_sim_out.clip), in the order the
 * simulator applies the limits:
 *   charge_power, discharge_power  the command asked for more than the battery's power limit
 *   soc_max, soc_min               the step would have ended above / below the SOC limits
 *   import_limit                   charging would have drawn more than the import limit
 *   export_limit                   discharging would have pushed more than the export limit
 *                                  (or any export where export is not allowed)
 *   missing                        no command for the step: the battery stayed idle
 */
enum {
	BESS_CLIP_CHARGE_POWER = 1 << 0,
	BESS_CLIP_DISCHARGE_POWER = 1 << 1,
	BESS_CLIP_SOC_MAX = 1 << 2,
	BESS_CLIP_SOC_MIN = 1 << 3,
	BESS_CLIP_IMPORT_LIMIT = 1 << 4,
	BESS_CLIP_EXPORT_LIMIT = 1 << 5,
	BESS_CLIP_MISSING = 1 << 6
};
#define BESS_CLIP_KINDS 7

/* The name of clip kind k (0 .. BESS_CLIP_KINDS-1): "charge_power", ... */
const char *bess_clip_name(int k);
/* The clip bits as "soc_max+import_limit" ("" for none) into buf. Returns buf. */
char *bess_clip_format(unsigned clip, char *buf, size_t len);

/* What the controller asks for in one step (all >= 0; both flows may be non-zero). */
struct bess_sim_cmd {
	double charge_kw;	/* AC power into the battery, kW */
	double discharge_kw;	/* AC power out of the battery, kW */
	double curtail_kw;	/* solar to curtail, kW (more is curtailed if the export limit needs it) */
	int missing;		/* 1: there is no command (idle, reported as a "missing" clip) */
};

/* What really happened at the site in one step. */
struct bess_sim_site {
	double load_kw;		/* site load, kW */
	double solar_kw;	/* PV generation, kW */
	double import_limit_kw;	/* grid import limit, kW (INFINITY = none) */
	double export_limit_kw;	/* grid export limit, kW (0 when export is not allowed) */
	double export_price;	/* currency/kWh; below zero, exported solar is curtailed instead */
	int no_grid_charge;	/* 1: charging is cut to the solar beyond the load (an import_limit clip) */
};

/* The settled step. */
struct bess_sim_out {
	double charge_kw, discharge_kw;	/* the flows that happened, kW */
	double soc_kwh;			/* SOC at the end of the step, kWh */
	double import_kw, export_kw;	/* grid, kW, each >= 0 (never both) */
	double curtail_kw;		/* solar not used, kW */
	unsigned clip;			/* BESS_CLIP_* bits */
	int over_import;		/* 1: the import exceeds its limit even with the battery idle */
};

/* The battery's state and what the simulator counted. */
struct bess_sim {
	struct bess_battery b;			/* copy */
	double dt_h;				/* step length, hours */
	double keep;				/* (1 - self-discharge)^dt */
	double soc_kwh;				/* SOC now, kWh */
	size_t steps;				/* steps settled */
	size_t clipped_steps;			/* steps with any clip */
	size_t clips[BESS_CLIP_KINDS];		/* steps per clip kind */
	size_t over_import_steps;		/* steps importing above the limit with the battery idle */
};

/* Start at soc_kwh with battery b (checked by bess_battery_check), steps of dt_h hours. */
void bess_sim_init(struct bess_sim *s, const struct bess_battery *b, double dt_h, double soc_kwh);

/*
 * Settle one step:
 *  1. power limits: charge <= charge power, discharge <= discharge power;
 *     with no_grid_charge, charge <= max(0, solar - load) (an import_limit clip);
 *  2. SOC: soc' = keep soc + eta_c dt charge - dt discharge / eta_d must stay
 *     within soc_min .. soc_max (charging is cut to stop at soc_max,
 *     discharging to stop at soc_min; a battery already outside its limits
 *     may move back towards them but not further out);
 *  3. the grid: net = load - solar + charge - discharge + curtail; export
 *     above the export limit is met by curtailing solar, then by cutting
 *     discharge; solar is curtailed rather than exported at a negative
 *     price (as bess_lp_idle does); import above the import limit is met by
 *     cutting charge, then by using curtailed solar; what is left is an
 *     over_import step.
 * A cut smaller than 1e-6 of the limit (solver noise, or the 6-decimal
 * figures a schedule is written with) is applied silently.
 */
void bess_sim_step(struct bess_sim *s, const struct bess_sim_cmd *cmd,
    const struct bess_sim_site *site, struct bess_sim_out *o);

/*
 * Several batteries behind one meter: each battery's own simulator, and
 * the site's sums (site.soc_kwh the sum of the SOCs; site's clip counts
 * count a step once when any battery's command was cut).
 */
struct bess_fleet_sim {
	size_t nb;				/* batteries */
	struct bess_sim bat[BESS_FLEET_MAX];	/* each battery's state and clip counts */
	struct bess_sim site;			/* the sums: soc_kwh, steps, clips, over_import_steps */
};

/* Start each of b[0..nb) at its soc_init_kwh, steps of dt_h hours. */
void bess_fleet_sim_init(struct bess_fleet_sim *fs, const struct bess_battery *b, size_t nb, double dt_h);

/*
 * Settle one step of a fleet: each battery's command cmd[i] against its own
 * power and SOC limits (steps 1-2 of bess_sim_step, each SOC by
 * bess_battery_soc_step); then the site's rules on the sums (step 3, and
 * no_grid_charge: the solar beyond the load for all of them): a cut of the
 * sum of the charging (or discharging) powers is shared by the batteries in
 * proportion to their power, and flagged on each one it cuts.
 * curtail_kw: the solar to curtail. o[i]: battery i (the grid fields are the
 * site's); sum: the sums (soc_kwh the sum of the SOCs, clip the union).
 * One battery settles exactly as bess_sim_step only in its own limits'
 * order: callers with one battery use bess_sim_step.
 */
void bess_fleet_sim_step(struct bess_fleet_sim *fs, const struct bess_sim_cmd *cmd, double curtail_kw,
    const struct bess_sim_site *site, struct bess_sim_out *o, struct bess_sim_out *sum);

/* A settled run, step by step (arrays of n). */
struct bess_traj {
	size_t n;
	double *command_kw;		/* what was asked: charge - discharge, kW (NAN when missing) */
	double *charge_kw, *discharge_kw, *soc_kwh, *import_kw, *export_kw, *curtail_kw;
	unsigned *clip;			/* BESS_CLIP_* bits */
};

int bess_traj_init(struct bess_traj *t, size_t n);	/* 0, or -1 when out of memory */
void bess_traj_free(struct bess_traj *t);
/* Record step i: the command asked and the settled outcome. */
void bess_traj_set(struct bess_traj *t, size_t i, const struct bess_sim_cmd *cmd,
    const struct bess_sim_out *o);

/* The actual data of a run on its regular grid (arrays of n, NULL = absent). */
struct bess_series {
	size_t n;			/* steps */
	const bess_time_t *ts;		/* step starts */
	long long step_us;		/* step length, microseconds */
	double dt_h;			/* step length, hours */
	const double *price;		/* the stream's 'price' column (NAN = missing) */
	const double *export_price;	/* 'export_price' */
	const double *load_kw;		/* 'load_kw' (no NAN) */
	const double *solar_kw;		/* 'solar_kw' (no NAN) */
	const double *import_limit_kw;	/* 'import_limit_kw' (NAN = the site's) */
	const double *export_limit_kw;	/* 'export_limit_kw' (NAN = the site's) */
	const double *price_fc, *export_price_fc, *load_fc, *solar_fc;	/* forecast columns */
};

/* What the site of step i of ser looks like to the simulator (limits resolved against s and the rates). */
void bess_sim_site_at(const struct bess_series *ser, const struct bess_rates *r,
    const struct bess_site *s, size_t i, struct bess_sim_site *out);

/*
 * Settle a whole command stream from soc_init_kwh: charge[i], discharge[i]
 * (NAN = missing), curtail[i] (NULL = none asked). The trajectory t must
 * have ser->n steps; sim receives the final state and the counts.
 */
void bess_sim_run(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_series *ser, const struct bess_rates *r, double soc_init_kwh,
    const double *charge, const double *discharge, const double *curtail,
    struct bess_traj *t, struct bess_sim *sim);

#endif
