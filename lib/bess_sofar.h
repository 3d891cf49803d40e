/* bess_sofar.h: the bills so far — what a controller has been billed in the current bill and the demand billed in the bills before it, settled step by step as bess_rates_cost does; one home for the backtest's windows and the live and cron controller. */
#ifndef BESS_SOFAR_H
#define BESS_SOFAR_H

#include <stddef.h>

#include "bess_tariff.h"

/*
 * The bills are kept in time order, the last the current one, each known
 * by its label (rates->bill_label) and with an absolute index (base + its
 * place: bills dropped from the front still count, so a ratchet's
 * "lookback = N" counts the same bills whether or not they are kept).
 * Settling a step (bess_sofar_step) does what bess_rates_cost does to that
 * step: the current bill's import kWh and energy cost, export paid up to
 * the export cap and its revenue, and the billed demand per period (a
 * demand window's mean counts, for the periods of each of its steps, once
 * the window is complete).
 */
struct bess_sofar_wstep {
	size_t bill;			/* absolute index of the bill of a step of the open demand window */
	int period;			/* its demand period (-1 = none) */
};

struct bess_sofar {
	size_t nperiod;			/* demand periods */
	double *peak0_kw;		/* per period: the peak before the first bill's data (--peak-so-far), kW */
	size_t keep;			/* most bills kept (0 = all) */
	size_t base;			/* absolute index of bill[0] */
	size_t nbill, cap;		/* bills kept, the last the current one; allocated */
	char (*label)[16];		/* per bill: its label */
	int *month;			/* per bill: local month (1..12) of its first step */
	double *billed_kw;		/* per bill and period (bill-major): demand billed so far, kW */
	unsigned char *seen;		/* per bill and period: the period has steps in the bill */
	double wsum_kw;			/* import of the open demand window's steps so far, kW summed */
	struct bess_sofar_wstep *w;	/* the open window's steps */
	size_t nw, wcap;
	struct bess_bill now;		/* the current bill so far: import_kwh, paid_export_kwh,
					   energy_cost, export_revenue */
};

/* Empty bills so far for nperiod demand periods with the peaks peak0_kw (NULL = 0). 0, or -1 (out of memory). */
int bess_sofar_init(struct bess_sofar *g, size_t nperiod, const double *peak0_kw, size_t keep);
void bess_sofar_free(struct bess_sofar *g);

/*
 * Open a bill labelled label (its first step in local month 1..12): the
 * current one from now on, with nothing billed (the first bill of all:
 * the peaks before the data), the oldest dropped beyond keep. 0, or -1
 * when out of memory. (bess_sofar_step opens the bills it meets; this is
 * for restoring kept bills.)
 */
int bess_sofar_open(struct bess_sofar *g, const char *label, int month);

/* One step to settle. */
struct bess_sofar_step {
	const char *bill_label;		/* its bill */
	int bill_month;			/* that bill's local month (1..12) */
	int period;			/* its demand period, -1 = none */
	double price, export_price;	/* currency per kWh */
	int export_ok;			/* export is paid */
	double export_cap_kwh;		/* per bill (INFINITY = all) */
	double dt_h;			/* its length, hours */
	int win_n;			/* steps of its demand window (1 = none) */
	int win_last;			/* 1: the step completes its window */
};

/* Step k of rates r, as a bess_sofar_step (win_last: the window ends at k, or the data does). */
void bess_sofar_step_of(const struct bess_rates *r, size_t k, struct bess_sofar_step *s);

/* Settle a step of import imp_kw and export exp_kw. 0, or -1 when out of memory. */
int bess_sofar_step(struct bess_sofar *g, const struct bess_sofar_step *s, double imp_kw, double exp_kw);

/*
 * For a plan whose rates w start in the bill labelled label:
 * billed_kw[nperiod], the demand billed so far in that bill (the peaks
 * before the data when no bill was settled yet), and floor_kw[w->nbill *
 * nperiod] (bill-major), each window bill's ratchet floor from the bills
 * settled before the window's first (rates w's ratchet_frac, lookback).
 * Returns the current bill so far for the plan's first bill, or NULL when
 * that bill has nothing settled yet.
 */
const struct bess_bill *bess_sofar_window(const struct bess_sofar *g, const char *label,
    const struct bess_rates *w, double *billed_kw, double *floor_kw);

#endif
