/* bill.c: a meter series as its bills — the import/export split and the lines of each bill, over the one settlement in tariff.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_bill.h"

int
bess_meter_flows(size_t n, const double *import_kw, const double *export_kw,
    const double *load_kw, const double *solar_kw, double *imp, double *exp_, size_t *bad,
    struct bess_err *err)
{
	size_t i;

	if (import_kw == NULL && load_kw == NULL)
		return bess_err_set(err, NULL, 0, "no meter column: 'grid_import_kw', 'import_kw' or "
		    "'load_kw' (with 'solar_kw')");
	for (i = 0; i < n; i++) {
		if (import_kw != NULL) {
			imp[i] = import_kw[i];
			exp_[i] = export_kw ? export_kw[i] : 0;
			if (isnan(imp[i]) || isnan(exp_[i])) {
				*bad = i;
				return bess_err_set(err, NULL, 0, "no %s value", isnan(imp[i]) ? "import" : "export");
			}
			if (imp[i] < 0 || exp_[i] < 0) {
				*bad = i;
				return bess_err_set(err, NULL, 0, "%s %g kW is negative (import and export are "
				    "each >= 0)", imp[i] < 0 ? "import" : "export", imp[i] < 0 ? imp[i] : exp_[i]);
			}
		} else {
			double net = load_kw[i] - (solar_kw ? solar_kw[i] : 0);

			if (isnan(net)) {
				*bad = i;
				return bess_err_set(err, NULL, 0, "no %s value", isnan(load_kw[i]) ? "load" : "solar");
			}
			imp[i] = net > 0 ? net : 0;
			exp_[i] = net < 0 ? -net : 0;
		}
		/* past a terawatt the sums overflow to infinity and print empty */
		if (imp[i] > BESS_METER_MAX_KW || exp_[i] > BESS_METER_MAX_KW) {
			*bad = i;
			return bess_err_set(err, NULL, 0, "%s %g kW is beyond %g kW",
			    imp[i] > BESS_METER_MAX_KW ? "import" : "export",
			    imp[i] > BESS_METER_MAX_KW ? imp[i] : exp_[i], BESS_METER_MAX_KW);
		}
	}
	return 0;
}

const char *
bess_bill_item_name(enum bess_bill_item item)
{
	static const char *const names[] = {
		"energy", "block", "demand", "fixed", "export", "minimum", "total"
	};

	return (unsigned)item < sizeof(names) / sizeof(names[0]) ? names[item] : "?";
}

/* A new row at the end of *rows. */
static struct bess_bill_row *
add(struct bess_bill_row *rows, size_t *n, int bill, enum bess_bill_item item, double amount)
{
	struct bess_bill_row *w = &rows[(*n)++];

	memset(w, 0, sizeof(*w));
	w->bill = bill;
	w->item = item;
	w->qty = w->peak_kw = w->ratchet_kw = w->rate = NAN;
	w->amount = amount;
	return w;
}

int
bess_bill_rows(const struct bess_rates *r, const struct bess_cost *c,
    struct bess_bill_row **rows, size_t *nrows, struct bess_err *err)
{
	size_t b, k, n = 0, el = 0, dl = 0;
	size_t cap = c->neline + c->nline + c->nbill * (r->ntier + 5) + 1;
	struct bess_bill_row *w, *out = calloc(cap, sizeof(*out));

	*rows = NULL;
	*nrows = 0;
	if (out == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	for (b = 0; b < c->nbill; b++) {
		const struct bess_bill *B = &c->bill[b];

		for (; el < c->neline && c->eline[el].bill == (int)b; el++) {
			const struct bess_energy_line *e = &c->eline[el];

			w = add(out, &n, (int)b, BESS_BILL_ENERGY, e->cost);
			snprintf(w->what, sizeof(w->what), "%s", e->tp >= 0 ? r->tp_name[e->tp] : "");
			w->qty = e->kwh;
			w->rate = e->kwh > 0 ? e->cost / e->kwh : NAN;
		}
		for (k = 0; k < r->ntier; k++) {
			double kwh = c->tier_kwh[b * r->ntier + k];

			w = add(out, &n, (int)b, BESS_BILL_BLOCK, r->tier[k].adder * kwh);
			snprintf(w->what, sizeof(w->what), "above %.15g kWh", r->tier[k].above_kwh);
			w->qty = kwh;
			w->rate = r->tier[k].adder;
		}
		for (; dl < c->nline && c->line[dl].bill == (int)b; dl++) {
			const struct bess_demand_line *l = &c->line[dl];

			w = add(out, &n, (int)b, BESS_BILL_DEMAND, l->cost);
			snprintf(w->what, sizeof(w->what), "%s", r->period_name[l->period]);
			w->qty = l->billed_kw;
			w->peak_kw = l->peak_kw;
			if (r->ratchet_frac && r->ratchet_frac[l->period] > 0)
				w->ratchet_kw = l->ratchet_kw;
			w->rate = l->rate;
		}
		if (r->fixed > 0)
			add(out, &n, (int)b, BESS_BILL_FIXED, B->fixed_cost);
		if (r->export_ok) {
			w = add(out, &n, (int)b, BESS_BILL_EXPORT, -B->export_revenue);
			w->qty = B->export_kwh;
			w->rate = B->export_kwh > 0 ? B->export_revenue / B->export_kwh : NAN;
		}
		if (!isnan(r->minimum))
			add(out, &n, (int)b, BESS_BILL_MINIMUM, B->minimum_topup);
		add(out, &n, (int)b, BESS_BILL_TOTAL, B->total);
	}
	add(out, &n, -1, BESS_BILL_TOTAL, c->total - c->degradation_cost);
	*rows = out;
	*nrows = n;
	return 0;
}
