/* bess_bill.h: a meter series as the bills it comes to — one bill per billing period, line by line (energy by period and block, demand with the ratchet, fixed charge, export credit, minimum top-up, total). */
#ifndef BESS_BILL_H
#define BESS_BILL_H

#include <stddef.h>

#include "bess_err.h"
#include "bess_tariff.h"

/*
 * Grid import and export per step (kW, each >= 0) from a meter: the
 * import_kw column (and export_kw, NULL = none), or else net = load_kw -
 * solar_kw (solar NULL = none) split into import and export. Returns 0, or
 * -1 with *bad the step that has no value, a negative one or one beyond
 * BESS_METER_MAX_KW.
 */
#define BESS_METER_MAX_KW 1e9	/* kW: a terawatt; larger flows are not a meter's */
int bess_meter_flows(size_t n, const double *import_kw, const double *export_kw,
    const double *load_kw, const double *solar_kw, double *imp, double *exp_, size_t *bad,
    struct bess_err *err);

/* The kinds of line a bill has, in the order they are listed. */
enum bess_bill_item {
	BESS_BILL_ENERGY = 0,	/* energy imported in one tariff period: kWh, mean price, amount */
	BESS_BILL_BLOCK,	/* energy in one block beyond a tier's start: kWh, adder, amount */
	BESS_BILL_DEMAND,	/* one demand period: billed kW (the peak or the ratchet), rate, amount */
	BESS_BILL_FIXED,	/* the fixed charge */
	BESS_BILL_EXPORT,	/* exported energy: kWh, credit (negative amount) */
	BESS_BILL_MINIMUM,	/* the top-up to the minimum charge */
	BESS_BILL_TOTAL		/* the bill's total (of every bill for the grand total) */
};

/* One line of a bill. */
struct bess_bill_row {
	int bill;			/* index into rates->bill_label, -1 = all bills (the grand total) */
	enum bess_bill_item item;
	char what[80];			/* tariff period name, "above 500 kWh" for a block, "" */
	double qty;			/* kWh (energy, block, export), kW (demand: billed), NAN for amounts only */
	double peak_kw;			/* demand: the peak (of window means), kW; NAN otherwise */
	double ratchet_kw;		/* demand with a ratchet: its floor, kW; NAN otherwise */
	double rate;			/* energy: mean price; block: adder; demand: per kW; export: credit per kWh exported; NAN otherwise */
	double amount;			/* currency: charges positive, credits negative */
};

/* "energy", "block", "demand", "fixed", "export", "minimum", "total" */
const char *bess_bill_item_name(enum bess_bill_item item);

/*
 * The lines of every bill of cost c (priced by bess_rates_cost over r),
 * bill by bill, then the grand total: energy lines for each tariff period
 * with steps, one line per block, demand lines, fixed (when the tariff has
 * one), export (when export is allowed), minimum (when the tariff has one),
 * total. Two costs over the same rates give the same lines in the same
 * order. *rows is a new array (free it). 0, or -1 when out of memory.
 */
int bess_bill_rows(const struct bess_rates *r, const struct bess_cost *c,
    struct bess_bill_row **rows, size_t *nrows, struct bess_err *err);

#endif
