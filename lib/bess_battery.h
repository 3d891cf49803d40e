/* bess_battery.h: the battery and site parameters, their checks, and the options that set them (shared by bess-optimize and bess-dispatch). */
#ifndef BESS_BATTERY_H
#define BESS_BATTERY_H

#include <stddef.h>

#include "bess_err.h"
#include "bess_opt.h"

/* What the SOC must be at the end of a horizon. */
enum bess_soc_final {
	BESS_SOC_FINAL_INIT = 0,	/* at least the initial SOC (default: safe for rolling use) */
	BESS_SOC_FINAL_FREE,		/* anything within the SOC limits */
	BESS_SOC_FINAL_MIN,		/* at least soc_final_kwh */
	BESS_SOC_FINAL_EXACT		/* exactly soc_final_kwh */
};

/*
 * A battery. Power is AC side; the SOC equation of a step of dt_h hours is
 *   soc[t] = soc[t-1] * (1 - self_discharge_per_h)^dt_h
 *            + eta_charge * charge_kw * dt_h - discharge_kw * dt_h / eta_discharge
 * (bess_battery_soc_step below, its one home).
 * Percent settings (given as "10%") are kept in the _pct fields until
 * bess_battery_check turns them into kWh against capacity_kwh.
 */
struct bess_battery {
	double capacity_kwh;		/* usable capacity, kWh (> 0) */
	double charge_kw;		/* maximum charging power, kW (>= 0) */
	double discharge_kw;		/* maximum discharging power, kW (>= 0) */
	double eta_charge;		/* charging efficiency, fraction in (0, 1] */
	double eta_discharge;		/* discharging efficiency, fraction in (0, 1] */
	double soc_min_kwh;		/* lowest allowed SOC, kWh */
	double soc_max_kwh;		/* highest allowed SOC, kWh */
	double soc_init_kwh;		/* SOC at the start of the first step, kWh (may lie outside the limits) */
	enum bess_soc_final soc_final;	/* terminal SOC rule */
	double soc_final_kwh;		/* its value for _MIN and _EXACT, kWh */
	double self_discharge_per_h;	/* fraction of the stored energy lost per hour, [0, 1) */
	double cycle_cost_per_kwh;	/* degradation cost per kWh discharged (AC), currency/kWh (>= 0) */
	double max_cycles_per_day;	/* cap on equivalent full cycles (discharged kWh / capacity) per day, 0 = none */
	/* as given, resolved by bess_battery_check; NAN when not given that way */
	double soc_min_pct;		/* --soc-min in % of capacity */
	double soc_max_pct;		/* --soc-max in % of capacity */
	double soc_init_pct;		/* --soc-init in % of capacity */
	double soc_final_pct;		/* --soc-final in % of capacity */
	double eta_roundtrip;		/* --efficiency (round trip), split evenly; NAN if the two are given */
	int have_charge_kw;		/* 1 once a charging power was set */
	int have_discharge_kw;		/* 1 once a discharging power was set */
	int have_soc_init;		/* 1 once --soc-init was set */
	int have_soc_final;		/* 1 once --soc-final was set */
	double terminal_value;		/* value of a kWh stored at the horizon's end, currency/kWh (NAN = none) */
	int terminal_min;		/* 1: that value is the lowest import price ahead times eta_discharge */
};

/* How exported energy is paid. */
enum bess_export {
	BESS_EXPORT_AUTO = 0,	/* the export_price column (or the tariff's export rate), else the import price */
	BESS_EXPORT_NONE,	/* export is not allowed (solar is curtailed instead) */
	BESS_EXPORT_IMPORT,	/* paid at the import price */
	BESS_EXPORT_COLUMN	/* paid at the export_price column, which must exist */
};

/* When simultaneous charge/discharge and import/export are forbidden with binaries. */
enum bess_milp {
	BESS_MILP_AUTO = 0,	/* only when the LP optimum actually uses them (see bess_lp.h) */
	BESS_MILP_ON,		/* always forbid them (binaries in every step where they could pay) */
	BESS_MILP_OFF		/* never: a pure LP */
};

/* The demand peak already reached in the current billing period, for one tariff period ("" = all). */
struct bess_peak_so_far {
	char name[64];		/* tariff period name, "" for every period */
	double kw;		/* kW */
};

/* The grid connection and the choices that go with it. */
struct bess_site {
	double import_limit_kw;		/* maximum grid import, kW (INFINITY = none) */
	double export_limit_kw;		/* maximum grid export, kW (INFINITY = none) */
	enum bess_export export_mode;	/* how export is paid, or forbidden */
	enum bess_milp milp;		/* binaries rule */
	int no_grid_charge;		/* 1: the battery charges only from solar beyond the load */
	double mip_gap;			/* --mip-gap: relative gap that counts as optimal (0 = default) */
	double time_limit_s;		/* --time-limit: branch-and-bound budget per solve, s (0 = default) */
	char *tariff_path;		/* --tariff FILE, NULL if none (owned) */
	struct bess_peak_so_far *peak;	/* --peak-so-far entries (owned) */
	size_t npeak;
};

/* Option ids of the shared options: a reserved range, so a tool's own ids stay below it. */
enum {
	BESS_BATTERY_OPT_BASE = 1000,
	BESS_O_CAPACITY = BESS_BATTERY_OPT_BASE, BESS_O_POWER, BESS_O_CHARGE_POWER,
	BESS_O_DISCHARGE_POWER, BESS_O_SOC_MIN, BESS_O_SOC_MAX, BESS_O_SOC_INIT,
	BESS_O_SOC_FINAL, BESS_O_EFFICIENCY, BESS_O_CHARGE_EFF, BESS_O_DISCHARGE_EFF,
	BESS_O_SELF_DISCHARGE, BESS_O_CYCLE_COST, BESS_O_MAX_CYCLES, BESS_O_IMPORT_LIMIT,
	BESS_O_EXPORT_LIMIT, BESS_O_NO_EXPORT, BESS_O_EXPORT, BESS_O_TARIFF,
	BESS_O_PEAK_SO_FAR, BESS_O_MILP, BESS_O_MIP_GAP, BESS_O_TIME_LIMIT,
	BESS_O_TERMINAL_VALUE, BESS_O_NO_GRID_CHARGE,
	BESS_BATTERY_OPT_END
};

/*
 * The shared option table (NULL-terminated): --capacity, --power,
 * --charge-power, --discharge-power, --soc-min, --soc-max, --soc-init,
 * --soc-final, --efficiency, --charge-efficiency, --discharge-efficiency,
 * --self-discharge, --cycle-cost, --max-cycles, --import-limit,
 * --export-limit, --no-export, --export, --tariff, --peak-so-far, --milp.
 * They are config keys and BESS_* variables too.
 */
extern const struct bess_optdef bess_battery_optdefs[];

/* Their help text (plain text, not a printf format), lines indented like a tool's usage(), ending in a newline. */
extern const char bess_battery_usage[];

/*
 * A tool's table followed by the shared one, in a new NULL-terminated array
 * (free() it). NULL when out of memory.
 */
struct bess_optdef *bess_battery_optdefs_join(const struct bess_optdef *tool);

/* Defaults: nothing sized, 90 % round trip, SOC 0-100 %, final >= initial, export allowed, no limits. */
void bess_battery_init(struct bess_battery *b);
void bess_site_init(struct bess_site *s);
void bess_site_free(struct bess_site *s);

/* Is id one of the shared options? */
int bess_battery_is_opt(int id);

/*
 * Apply shared option id with arg (NULL for a flag) to b and s. Returns 0,
 * or -1 with err->msg (e.g. "'250kWh' is an energy; expected a power (e.g. 250kW)").
 */
int bess_battery_set(struct bess_battery *b, struct bess_site *s, int id, const char *arg,
    struct bess_err *err);

/*
 * Resolve percentages into kWh and check the whole: capacity and power set
 * and positive, efficiencies in (0, 1], 0 <= soc_min < soc_max <= capacity,
 * terminal target inside the limits. The initial SOC may lie outside
 * [soc_min, soc_max] (it is reported and recovered from) but not outside
 * [0, capacity]. Messages name the option. Returns 0 or -1.
 */
int bess_battery_check(struct bess_battery *b, struct bess_err *err);

/*
 * The largest battery bess_battery_check accepts (1 PWh; a terawatt, the largest flow a meter
 * reads, BESS_METER_MAX_KW), and capacity over power; --peak-so-far is bounded as a power.
 */
#define BESS_BATTERY_MAX_KWH	1e12
#define BESS_BATTERY_MAX_KW	1e9
#define BESS_BATTERY_MAX_HOURS	1e6

/*
 * The battery physics, in one place: the simulator (lib/sim.c), the rule
 * (lib/rule.c), the controller (lib/ctlfleet.c, lib/ctl.c) and the LP's
 * repair and diagnosis (lib/lp.c) call these; the LP's SOC rows are the same
 * equation written as matrix coefficients (lib/lp.c cites this).
 *
 * One step of dt_h hours from soc[t-1]:
 *   start  = soc[t-1] * bess_battery_keep(b, dt_h)
 *   soc[t] = bess_battery_soc_step(b, dt_h, start, charge_kw, discharge_kw)
 *          = start + eta_charge * dt_h * charge_kw - dt_h * discharge_kw / eta_discharge
 * Its inverse, per direction: the AC power that moves the stored energy by
 * kwh (>= 0) in dt_h hours is bess_battery_charge_kw(b, dt_h, kwh) =
 * kwh / (eta_charge * dt_h) upward and bess_battery_discharge_kw(b, dt_h, kwh) =
 * kwh * eta_discharge / dt_h downward (before any power limit).
 */

/* Storage kept after dt_h hours of self-discharge: (1 - self_discharge_per_h)^dt_h. */
double bess_battery_keep(const struct bess_battery *b, double dt_h);

/* The SOC (kWh) after dt_h hours of charge_kw and discharge_kw (AC, >= 0) from start_kwh, already self-discharged. */
double bess_battery_soc_step(const struct bess_battery *b, double dt_h, double start_kwh,
    double charge_kw, double discharge_kw);

/* The charging power (AC kW) that stores kwh more in dt_h hours. */
double bess_battery_charge_kw(const struct bess_battery *b, double dt_h, double kwh);

/* The discharging power (AC kW) that takes kwh out of storage in dt_h hours. */
double bess_battery_discharge_kw(const struct bess_battery *b, double dt_h, double kwh);

/*
 * The SOC in % of capacity_kwh and back, the one home of the conversion:
 *   bess_soc_kwh(cap, pct) = cap * pct / 100, bess_soc_pct(cap, kwh) = 100 * kwh / cap
 * (in that order of operations, so every caller gets the same bits).
 */
double bess_soc_kwh(double capacity_kwh, double pct);
double bess_soc_pct(double capacity_kwh, double soc_kwh);

/* Battery power, kW, the battery seen as a load: charge_kw - discharge_kw (positive charging). */
double bess_battery_kw(double charge_kw, double discharge_kw);

/* Most batteries of a fleet (bess_lp.h's BESS_LP_MAX_BATTERIES). */
#define BESS_FLEET_MAX 32

/* Longest battery id, bytes with the NUL. */
#define BESS_FLEET_ID_MAX 64

/*
 * Several batteries behind one meter (bess(7) BATTERIES): given by
 * repeatable --battery ID:KEY=VALUE,... options whose keys are the long
 * names of the battery options (capacity, power, charge-power,
 * discharge-power, soc-min, soc-max, soc-init, soc-final, efficiency,
 * charge-efficiency, discharge-efficiency, self-discharge, cycle-cost,
 * max-cycles, terminal-value). A key not given takes the value of the
 * single-battery option (or its default). Without --battery, the
 * single-battery options are one battery with the id "battery".
 */
struct bess_fleet {
	size_t n;					/* batteries */
	struct bess_battery bat[BESS_FLEET_MAX];	/* checked (kWh resolved) */
	char id[BESS_FLEET_MAX][BESS_FLEET_ID_MAX];	/* ids, unique */
	int given;					/* 1: from --battery, 0: the single-battery options */
	double capacity_kwh;				/* the sum of the capacities */
};

/*
 * Build the fleet from base (the single-battery options, unchecked) and the
 * specs (nspec --battery values, or none). Messages name the spec
 * ("--battery 'a:capacity=x': 'x' is not a quantity"); *bad receives the
 * index of the failing spec (-1 for base). Returns 0 or -1.
 */
int bess_fleet_build(struct bess_fleet *f, const struct bess_battery *base, const char *const *specs,
    size_t nspec, long *bad, struct bess_err *err);

/*
 * The --battery values as a tool's option setter collects them (the
 * repeatable option or the config key "battery"), with where each came from,
 * so every tool wires them the same way.
 */
struct bess_fleet_specs {
	char *spec[BESS_FLEET_MAX];		/* the values (owned copies) */
	struct bess_optsrc src[BESS_FLEET_MAX];	/* where each came from */
	size_t n;				/* values */
};

/* Keep one more --battery value arg from src. Returns 0, or -1 (too many, out of memory). */
int bess_fleet_specs_add(struct bess_fleet_specs *s, const char *arg, const struct bess_optsrc *src,
    struct bess_err *err);

/*
 * bess_fleet_build on the collected values; a bad value from a config file
 * fills err's file and line with where it was written. Returns 0 or -1.
 */
int bess_fleet_build_specs(struct bess_fleet *f, const struct bess_battery *base,
    const struct bess_fleet_specs *s, struct bess_err *err);

/* Free the copies (s may be reused after bess_fleet_specs_free). */
void bess_fleet_specs_free(struct bess_fleet_specs *s);

#endif
