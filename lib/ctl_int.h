/* ctl_int.h: the live controller's state, shared by its modules (lib/ctl*.c); private to them. */
#ifndef BESS_CTL_INT_H
#define BESS_CTL_INT_H

#include <stdint.h>

#include "bess_ctl.h"
#include "bess_ctldev.h"
#include "bess_event.h"
#include "bess_fleet.h"
#include "bess_forecast.h"
#include "bess_mpc.h"
#include "bess_sofar.h"

/* What is known for one control interval. */
struct entry {
	int64_t step;			/* interval index: start / step_us */
	double v[BESS_CTL_NQ];		/* NAN = nothing known */
};

/* What the controller knows of one battery. */
struct cbat {
	int have_soc;			/* a SOC was reported */
	double soc;			/* last SOC reported, kWh */
	bess_time_t soc_ts;		/* when it was measured */
};

struct bess_ctl {
	struct bess_fleet f;		/* the batteries (named by their ids when f.given); the terminal
					   rule "init" means at least the SOC a plan starts from */
	struct cbat bat[BESS_FLEET_MAX];	/* what is known of each */
	struct bess_fleet sub;		/* the batteries the model and the plan hold: those whose SOC
					   is fresh (all of them, normally) */
	size_t sub_idx[BESS_FLEET_MAX];	/* sub's battery j is f's battery sub_idx[j] */
	unsigned long long lp_mask;	/* the set of f's batteries the model was built for (bit i) */
	unsigned long long plan_mask;	/* ... and the standing plan */
	const struct bess_site *s;
	const struct bess_tariff *tariff;
	struct bess_ctl_opts o;
	double dt_h;
	struct entry *e;		/* sorted by step */
	size_t ne, cap;
	int seen[BESS_CTL_NQ];		/* a value of this kind arrived */
	bess_time_t upd[BESS_CTL_NQ];	/* when the last one arrived */
	char peak_bill[16];		/* bill the peaks belong to */
	size_t npeak;
	char peak_name[BESS_STATE_MAX_PEAKS][64];
	double peak_kw[BESS_STATE_MAX_PEAKS];
	struct bess_lp *lp;		/* the model, built at the first solve */
	unsigned flags;			/* its structure */
	int64_t lp_step;		/* window start of its last load */
	struct bess_lp_schedule plan;	/* the standing plan */
	int have_plan;
	int64_t plan_step;		/* its first interval */
	size_t plan_len;
	int dirty;			/* something arrived since the plan was made */
	double *icap;			/* the plan's import cap per interval (INFINITY = none) */
	double plan_energy, plan_export, plan_demand, plan_total;	/* the plan's bill over its horizon */
	size_t plan_relaxed;		/* import limits the plan lifted */
	bess_time_t *ts;		/* window buffers, horizon long */
	double *p, *xp, *load, *solar, *il, *el;
	double *fc0;			/* the standing plan's load forecast before the nowcast */
	int64_t fc_step[2];		/* the nowcast's kept forecasts: the intervals of the last two
					   plans' first steps, the later first (INT64_MIN = none) */
	double fc_kw[2];		/* their load forecasts before the nowcast, kW */
	int plan_export_ok;		/* the plan's tariff lets the site export */
	double plan_feed_in_kw;		/* and its feed-in limit, kW */
	int64_t cmd_step;		/* the interval of the last command (INT64_MIN = none) */
	int cmd_safe;			/* it was a safe command (several batteries: every one's was) */
	struct bess_ctl_cmd last[BESS_FLEET_MAX];	/* the interval's commands, one per battery */
	int cmd_export_ok;		/* the site may export in that interval */
	double cmd_power_kw;		/* the battery power last commanded (+ charging), kW */
	double cmd_peak_kw;		/* the peak reached before that interval in its demand period and
					   bill, kW (INFINITY: no demand period) */
	struct bess_sofar bill;		/* the bills so far, settled from the meter's readings */
	char (*bill_period)[64];	/* its demand periods' names (bill.nperiod) */
	int64_t settled;		/* the last interval settled into it (INT64_MIN = none) */
	struct meter *m;		/* readings of the intervals not settled yet, by interval */
	size_t nm, mcap;
	struct bess_events ev;		/* demand-response events (ev.n = 0: none) */
	struct bess_event_plan *evp;	/* laid on the grid of intervals from ev_step0 */
	int64_t ev_step0;		/* the grid's first interval */
	size_t ev_n;			/* its intervals */
	double *ev_past;		/* per grid interval: the import settled there, else the baseline, kW */
	struct bess_ctldev *dev;	/* controllable loads (bess_ctl_devices; NULL = none) */
};

/* The grid readings of one control interval, summed (its import and export are their means). */
struct meter {
	int64_t step;			/* the interval */
	double imp_kw, exp_kw;		/* readings summed, kW */
	int nimp, nexp;			/* how many */
};

/* ctlwin.c: what is known per interval, and the window */
struct entry *bess_ctl_entry_at(struct bess_ctl *c, int64_t k);
size_t bess_ctl_window(struct bess_ctl *c, int64_t k);
void bess_ctl_nowcast(struct bess_ctl *c, int64_t k, size_t len);
void bess_ctl_purge(struct bess_ctl *c, int64_t k);

/* ctlbill.c: the bills so far, the peaks reached */
int bess_ctl_meter_reading(struct bess_ctl *c, const struct bess_ctl_event *ev);
void bess_ctl_peak_reading(struct bess_ctl *c, const struct bess_ctl_event *ev);
int bess_ctl_bill_at(const struct bess_ctl *c, bess_time_t t, char *bill);
int bess_ctl_settle(struct bess_ctl *c, int64_t k);
double bess_ctl_peak_now(const struct bess_ctl *c, bess_time_t t);
void bess_ctl_restore_bills(struct bess_ctl *c, const struct bess_state_bills *b);
void bess_ctl_save_bills(const struct bess_ctl *c, struct bess_state_bills *b);

/* ctlevent.c: demand-response events */
void bess_ctl_event_metered(struct bess_ctl *c, int64_t k, double import_kw);
int bess_ctl_events_model(struct bess_ctl *c, struct bess_err *err);
void bess_ctl_events_window(struct bess_ctl *c, int64_t k);
void bess_ctl_summary_events(const struct bess_ctl *c, int have, size_t j0, struct bess_kv *k);
void bess_ctl_restore_event(struct bess_ctl *c, const struct bess_state *st);
void bess_ctl_save_event(const struct bess_ctl *c, struct bess_state *st);

/* ctlfleet.c: the batteries */
void bess_ctl_safe(const struct bess_ctl *c, size_t i, struct bess_ctl_cmd *cmd, int soc_ok, const char *why);
void bess_ctl_site_safe(const struct bess_ctl *c, struct bess_ctl_cmd *cmds, unsigned long long mask,
    const char *why);
const char *bess_ctl_soc_trouble(const struct bess_ctl *c, size_t i, bess_time_t t, char *why, size_t wlen);
void bess_ctl_set_sub(struct bess_ctl *c, unsigned long long mask);

#endif
