/* battery.c: battery and site parameters, their options (shared by bess-optimize and bess-dispatch) and checks. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_line.h"
#include "bess_qty.h"

const struct bess_optdef bess_battery_optdefs[] = {
	{ "capacity", 0, BESS_OPT_ARG, BESS_O_CAPACITY },
	{ "power", 0, BESS_OPT_ARG, BESS_O_POWER },
	{ "charge-power", 0, BESS_OPT_ARG, BESS_O_CHARGE_POWER },
	{ "discharge-power", 0, BESS_OPT_ARG, BESS_O_DISCHARGE_POWER },
	{ "soc-min", 0, BESS_OPT_ARG, BESS_O_SOC_MIN },
	{ "soc-max", 0, BESS_OPT_ARG, BESS_O_SOC_MAX },
	{ "soc-init", 0, BESS_OPT_ARG, BESS_O_SOC_INIT },
	{ "soc-final", 0, BESS_OPT_ARG, BESS_O_SOC_FINAL },
	{ "efficiency", 0, BESS_OPT_ARG, BESS_O_EFFICIENCY },
	{ "charge-efficiency", 0, BESS_OPT_ARG, BESS_O_CHARGE_EFF },
	{ "discharge-efficiency", 0, BESS_OPT_ARG, BESS_O_DISCHARGE_EFF },
	{ "self-discharge", 0, BESS_OPT_ARG, BESS_O_SELF_DISCHARGE },
	{ "cycle-cost", 0, BESS_OPT_ARG, BESS_O_CYCLE_COST },
	{ "max-cycles", 0, BESS_OPT_ARG, BESS_O_MAX_CYCLES },
	{ "import-limit", 0, BESS_OPT_ARG, BESS_O_IMPORT_LIMIT },
	{ "export-limit", 0, BESS_OPT_ARG, BESS_O_EXPORT_LIMIT },
	{ "no-export", 0, BESS_OPT_FLAG, BESS_O_NO_EXPORT },
	{ "export", 0, BESS_OPT_ARG, BESS_O_EXPORT },
	{ "tariff", 0, BESS_OPT_ARG, BESS_O_TARIFF },
	{ "peak-so-far", 0, BESS_OPT_ARG, BESS_O_PEAK_SO_FAR },
	{ "milp", 0, BESS_OPT_ARG, BESS_O_MILP },
	{ "mip-gap", 0, BESS_OPT_ARG, BESS_O_MIP_GAP },
	{ "time-limit", 0, BESS_OPT_ARG, BESS_O_TIME_LIMIT },
	{ "terminal-value", 0, BESS_OPT_ARG, BESS_O_TERMINAL_VALUE },
	{ "no-grid-charge", 0, BESS_OPT_FLAG, BESS_O_NO_GRID_CHARGE },
	{ NULL, 0, 0, 0 }
};

const char bess_battery_usage[] =
    "Battery:\n"
    "      --capacity QTY     usable capacity (500kWh, 1.2MWh)\n"
    "      --power QTY        charge and discharge power limit (250kW)\n"
    "      --charge-power QTY, --discharge-power QTY  the two limits separately\n"
    "      --soc-min Q, --soc-max Q  SOC limits, kWh or % of capacity (default 0, 100%)\n"
    "      --soc-init QTY     SOC at the start (default: --soc-min)\n"
    "      --soc-final F      end SOC: init (at least the start, default), free,\n"
    "                         QTY (at least QTY) or =QTY (exactly)\n"
    "      --efficiency E     round-trip efficiency, split evenly (default 90%)\n"
    "      --charge-efficiency E, --discharge-efficiency E  the two separately\n"
    "      --self-discharge E loss per hour (0.1%)\n"
    "      --cycle-cost PRICE degradation cost per kWh discharged\n"
    "      --max-cycles N     at most N equivalent full cycles per day\n"
    "      --terminal-value V value of each kWh left at the end: a price (0.08/kWh) or\n"
    "                         'min' (the lowest import price ahead); the end SOC is\n"
    "                         then free unless --soc-final says otherwise\n"
    "      --battery ID:KEY=VALUE,...  one battery of several behind the meter (repeat;\n"
    "                         keys: the options above, e.g. capacity=200kWh,power=100kW)\n"
    "Site and tariff:\n"
    "      --no-grid-charge   charge only from solar beyond the load\n"
    "      --import-limit QTY, --export-limit QTY  grid connection limits\n"
    "      --no-export        export is not allowed (same as --export none)\n"
    "      --export MODE      auto (export_price column, else import price), none,\n"
    "                         import-price, column\n"
    "      --tariff FILE      time-of-use energy and demand rates, see bess-tariff(5)\n"
    "      --peak-so-far [PERIOD=]QTY  demand peak already reached this billing period\n"
    "      --milp MODE        forbid simultaneous charge/discharge and import/export\n"
    "                         with binaries: auto (when the LP uses them), on, off\n"
    "      --mip-gap G        relative gap that counts as optimal with binaries\n"
    "                         (default 1e-9)\n"
    "      --time-limit DUR   branch-and-bound time per solve (default 60s; none)\n";

struct bess_optdef *
bess_battery_optdefs_join(const struct bess_optdef *tool)
{
	size_t n = 0, m = 0;
	struct bess_optdef *all;

	while (tool[n].name != NULL)
		n++;
	while (bess_battery_optdefs[m].name != NULL)
		m++;
	if ((all = calloc(n + m + 1, sizeof(*all))) == NULL)
		return NULL;
	memcpy(all, tool, n * sizeof(*all));
	memcpy(all + n, bess_battery_optdefs, (m + 1) * sizeof(*all));
	return all;
}

void
bess_battery_init(struct bess_battery *b)
{
	memset(b, 0, sizeof(*b));
	b->capacity_kwh = NAN;
	b->eta_roundtrip = 0.9;
	b->eta_charge = b->eta_discharge = sqrt(0.9);
	b->soc_min_pct = 0;
	b->soc_max_pct = 100;
	b->soc_init_pct = NAN;
	b->soc_final_pct = NAN;
	b->soc_final = BESS_SOC_FINAL_INIT;
	b->terminal_value = NAN;
}

void
bess_site_init(struct bess_site *s)
{
	memset(s, 0, sizeof(*s));
	s->import_limit_kw = INFINITY;
	s->export_limit_kw = INFINITY;
	s->mip_gap = NAN;
	s->time_limit_s = 0;
}

void
bess_site_free(struct bess_site *s)
{
	free(s->tariff_path);
	free(s->peak);
	s->tariff_path = NULL;
	s->peak = NULL;
	s->npeak = 0;
}

int
bess_battery_is_opt(int id)
{
	return id >= BESS_BATTERY_OPT_BASE && id < BESS_BATTERY_OPT_END;
}

/* A quantity of one of the dimensions in mask. */
static int
qty(const char *arg, unsigned mask, struct bess_qty *q, struct bess_err *err)
{
	char why[256];

	if (bess_qty_parse(arg, mask, q, why, sizeof(why)) != 0)
		return bess_err_set(err, NULL, 0, "%s", why);
	return 0;
}

/* A non-negative power in kW. */
static int
power(const char *arg, double *kw, struct bess_err *err)
{
	struct bess_qty q;

	if (qty(arg, BESS_DIM_POWER, &q, err) != 0)
		return -1;
	if (q.value < 0)
		return bess_err_set(err, NULL, 0, "'%s' is negative", arg);
	*kw = q.value;
	return 0;
}

/* An energy (kWh) or a percentage of capacity: exactly one of *kwh, *pct is set, the other NAN. */
static int
soc(const char *arg, double *kwh, double *pct, struct bess_err *err)
{
	struct bess_qty q;

	if (qty(arg, BESS_DIM_ENERGY | BESS_DIM_PERCENT, &q, err) != 0)
		return -1;
	if (q.value < 0)
		return bess_err_set(err, NULL, 0, "'%s' is negative", arg);
	if (q.dim == BESS_DIM_PERCENT) {
		if (q.value > 100)
			return bess_err_set(err, NULL, 0, "'%s' is above 100%%", arg);
		*pct = q.value;
		*kwh = NAN;
	} else {
		*kwh = q.value;
		*pct = NAN;
	}
	return 0;
}

/* A fraction given as "0.9" or "90%", in [lo, hi]. */
static int
fraction(const char *arg, double lo, double hi, double *f, struct bess_err *err)
{
	struct bess_qty q;

	if (qty(arg, BESS_DIM_NONE | BESS_DIM_PERCENT, &q, err) != 0)
		return -1;
	*f = q.dim == BESS_DIM_PERCENT ? q.value / 100 : q.value;
	if (!(*f >= lo && *f <= hi))
		return bess_err_set(err, NULL, 0, "'%s' is outside %g..%g (or %g%%..%g%%)", arg,
		    lo, hi, lo * 100, hi * 100);
	return 0;
}

static int
add_peak(struct bess_site *s, const char *arg, struct bess_err *err)
{
	const char *eq = strchr(arg, '=');
	struct bess_peak_so_far p, *np;
	struct bess_qty q;

	memset(&p, 0, sizeof(p));
	if (eq != NULL) {
		if (eq == arg || (size_t)(eq - arg) >= sizeof(p.name))
			return bess_err_set(err, NULL, 0, "'%s' is not [PERIOD=]QTY", arg);
		memcpy(p.name, arg, (size_t)(eq - arg));
		arg = eq + 1;
	}
	if (qty(arg, BESS_DIM_POWER, &q, err) != 0)
		return -1;
	if (q.value < 0)
		return bess_err_set(err, NULL, 0, "'%s' is negative", arg);
	if (q.value > BESS_BATTERY_MAX_KW)	/* 1e300kW made a bill of 1e301 */
		return bess_err_set(err, NULL, 0, "'%s' is above %g kW", arg, BESS_BATTERY_MAX_KW);
	p.kw = q.value;
	if ((np = realloc(s->peak, (s->npeak + 1) * sizeof(*np))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	s->peak = np;
	s->peak[s->npeak++] = p;
	return 0;
}

int
bess_battery_set(struct bess_battery *b, struct bess_site *s, int id, const char *arg,
    struct bess_err *err)
{
	struct bess_qty q;
	double f, kwh, pct;

	switch (id) {
	case BESS_O_CAPACITY:
		if (qty(arg, BESS_DIM_ENERGY, &q, err) != 0)
			return -1;
		if (!(q.value > 0))
			return bess_err_set(err, NULL, 0, "'%s' is not positive", arg);
		b->capacity_kwh = q.value;
		return 0;
	case BESS_O_POWER:
		if (power(arg, &b->charge_kw, err) != 0)
			return -1;
		b->discharge_kw = b->charge_kw;
		b->have_charge_kw = b->have_discharge_kw = 1;
		return 0;
	case BESS_O_CHARGE_POWER:
		b->have_charge_kw = 1;
		return power(arg, &b->charge_kw, err);
	case BESS_O_DISCHARGE_POWER:
		b->have_discharge_kw = 1;
		return power(arg, &b->discharge_kw, err);
	case BESS_O_SOC_MIN:
		return soc(arg, &b->soc_min_kwh, &b->soc_min_pct, err);
	case BESS_O_SOC_MAX:
		return soc(arg, &b->soc_max_kwh, &b->soc_max_pct, err);
	case BESS_O_SOC_INIT:
		b->have_soc_init = 1;
		return soc(arg, &b->soc_init_kwh, &b->soc_init_pct, err);
	case BESS_O_SOC_FINAL:
		b->have_soc_final = 1;
		if (strcmp(arg, "init") == 0) {
			b->soc_final = BESS_SOC_FINAL_INIT;
			return 0;
		}
		if (strcmp(arg, "free") == 0) {
			b->soc_final = BESS_SOC_FINAL_FREE;
			return 0;
		}
		if (arg[0] == '=') {
			if (soc(arg + 1, &kwh, &pct, err) != 0)
				return -1;
			b->soc_final = BESS_SOC_FINAL_EXACT;
		} else {
			if (soc(arg, &kwh, &pct, err) != 0)
				return -1;
			b->soc_final = BESS_SOC_FINAL_MIN;
		}
		b->soc_final_kwh = kwh;
		b->soc_final_pct = pct;
		return 0;
	case BESS_O_EFFICIENCY:
		if (fraction(arg, 1e-3, 1, &f, err) != 0)
			return -1;
		b->eta_roundtrip = f;
		b->eta_charge = b->eta_discharge = sqrt(f);
		return 0;
	case BESS_O_CHARGE_EFF:
		if (fraction(arg, 1e-3, 1, &b->eta_charge, err) != 0)
			return -1;
		b->eta_roundtrip = NAN;
		return 0;
	case BESS_O_DISCHARGE_EFF:
		if (fraction(arg, 1e-3, 1, &b->eta_discharge, err) != 0)
			return -1;
		b->eta_roundtrip = NAN;
		return 0;
	case BESS_O_SELF_DISCHARGE:
		return fraction(arg, 0, 0.5, &b->self_discharge_per_h, err);
	case BESS_O_CYCLE_COST:
		if (qty(arg, BESS_DIM_PRICE | BESS_DIM_NONE, &q, err) != 0)
			return -1;
		if (q.value < 0)
			return bess_err_set(err, NULL, 0, "'%s' is negative", arg);
		b->cycle_cost_per_kwh = q.value;
		return 0;
	case BESS_O_MAX_CYCLES:
		if (qty(arg, BESS_DIM_NONE, &q, err) != 0)
			return -1;
		if (!(q.value > 0))
			return bess_err_set(err, NULL, 0, "'%s' is not positive", arg);
		b->max_cycles_per_day = q.value;
		return 0;
	case BESS_O_IMPORT_LIMIT:
		return power(arg, &s->import_limit_kw, err);
	case BESS_O_EXPORT_LIMIT:
		return power(arg, &s->export_limit_kw, err);
	case BESS_O_NO_EXPORT:
		s->export_mode = BESS_EXPORT_NONE;
		return 0;
	case BESS_O_EXPORT:
		if (strcmp(arg, "auto") == 0)
			s->export_mode = BESS_EXPORT_AUTO;
		else if (strcmp(arg, "none") == 0)
			s->export_mode = BESS_EXPORT_NONE;
		else if (strcmp(arg, "import-price") == 0)
			s->export_mode = BESS_EXPORT_IMPORT;
		else if (strcmp(arg, "column") == 0)
			s->export_mode = BESS_EXPORT_COLUMN;
		else
			return bess_err_set(err, NULL, 0, "'%s' is not auto, none, import-price or column", arg);
		return 0;
	case BESS_O_TARIFF:
		free(s->tariff_path);
		if ((s->tariff_path = strdup(arg)) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		return 0;
	case BESS_O_PEAK_SO_FAR:
		return add_peak(s, arg, err);
	case BESS_O_MILP:
		if (strcmp(arg, "auto") == 0)
			s->milp = BESS_MILP_AUTO;
		else if (strcmp(arg, "on") == 0)
			s->milp = BESS_MILP_ON;
		else if (strcmp(arg, "off") == 0)
			s->milp = BESS_MILP_OFF;
		else
			return bess_err_set(err, NULL, 0, "'%s' is not auto, on or off", arg);
		return 0;
	case BESS_O_MIP_GAP:
		return fraction(arg, 0, 1, &s->mip_gap, err);
	case BESS_O_TIME_LIMIT: {
		long long us;
		char why[256];

		if (strcmp(arg, "none") == 0) {
			s->time_limit_s = INFINITY;
			return 0;
		}
		if (bess_duration_parse(arg, &us, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
		s->time_limit_s = (double)us / 1e6;
		return 0;
	}
	case BESS_O_TERMINAL_VALUE: {
		struct bess_qty tv;
		char why[256];

		if (strcmp(arg, "min") == 0) {
			b->terminal_min = 1;
			b->terminal_value = NAN;
			return 0;
		}
		if (bess_qty_parse(arg, BESS_DIM_PRICE | BESS_DIM_NONE, &tv, why, sizeof(why)) != 0)
			return bess_err_set(err, NULL, 0, "%s", why);
		if (!(tv.value >= 0 && tv.value <= BESS_QTY_MAX))
			return bess_err_set(err, NULL, 0, "'%s' is not a price from 0 to 1e12 per kWh", arg);
		b->terminal_value = tv.value;
		b->terminal_min = 0;
		return 0;
	}
	case BESS_O_NO_GRID_CHARGE:
		s->no_grid_charge = 1;
		return 0;
	}
	return bess_err_set(err, NULL, 0, "not a battery option");
}

int
bess_battery_check(struct bess_battery *b, struct bess_err *err)
{
	double cap = b->capacity_kwh;

	if (isnan(cap))
		return bess_err_set(err, NULL, 0, "the battery capacity is not set (--capacity)");
	if ((b->terminal_min || !isnan(b->terminal_value)) && !b->have_soc_final)
		b->soc_final = BESS_SOC_FINAL_FREE;	/* the stored energy has a value: no end rule */
	if (!b->have_charge_kw && !b->have_discharge_kw)
		return bess_err_set(err, NULL, 0, "the battery power is not set (--power)");
	if (!b->have_charge_kw)
		return bess_err_set(err, NULL, 0, "the charging power is not set (--charge-power)");
	if (!b->have_discharge_kw)
		return bess_err_set(err, NULL, 0, "the discharging power is not set (--discharge-power)");
	/*
	 * Sizes the LP can resolve: 1e300 kWh came out "optimal" and idle, and a capacity of 1e9
	 * hours of its power gave a worse schedule than the true optimum (1e6 kWh at 0.001 kW,
	 * measured), still called optimal; 1e8 hours solved right. A factor 100 below that.
	 */
	if (!(cap > 0 && cap <= BESS_BATTERY_MAX_KWH))
		return bess_err_set(err, NULL, 0, "--capacity (%g kWh) is not above 0 and up to %g kWh",
		    cap, BESS_BATTERY_MAX_KWH);
	if (!(b->charge_kw <= BESS_BATTERY_MAX_KW && b->discharge_kw <= BESS_BATTERY_MAX_KW))
		return bess_err_set(err, NULL, 0, "the battery power (%g kW) is above %g kW",
		    b->charge_kw > b->discharge_kw ? b->charge_kw : b->discharge_kw, BESS_BATTERY_MAX_KW);
	if (fmax(b->charge_kw, b->discharge_kw) > 0 &&
	    cap > BESS_BATTERY_MAX_HOURS * fmax(b->charge_kw, b->discharge_kw))
		return bess_err_set(err, NULL, 0, "--capacity (%g kWh) is more than %g hours of the "
		    "battery power (%g kW); the solver cannot resolve such a battery", cap,
		    BESS_BATTERY_MAX_HOURS, fmax(b->charge_kw, b->discharge_kw));
	if (!isnan(b->soc_min_pct))
		b->soc_min_kwh = bess_soc_kwh(cap, b->soc_min_pct);
	if (!isnan(b->soc_max_pct))
		b->soc_max_kwh = bess_soc_kwh(cap, b->soc_max_pct);
	if (!isnan(b->soc_init_pct))
		b->soc_init_kwh = bess_soc_kwh(cap, b->soc_init_pct);
	if (!isnan(b->soc_final_pct))
		b->soc_final_kwh = bess_soc_kwh(cap, b->soc_final_pct);
	if (!b->have_soc_init)
		b->soc_init_kwh = b->soc_min_kwh;
	if (b->soc_max_kwh > cap * (1 + 1e-12))
		return bess_err_set(err, NULL, 0, "--soc-max (%g kWh) is above the capacity (%g kWh)",
		    b->soc_max_kwh, cap);
	if (!(b->soc_min_kwh < b->soc_max_kwh))
		return bess_err_set(err, NULL, 0, "--soc-min (%g kWh) is not below --soc-max (%g kWh)",
		    b->soc_min_kwh, b->soc_max_kwh);
	if (b->soc_init_kwh > cap * (1 + 1e-12))
		return bess_err_set(err, NULL, 0, "--soc-init (%g kWh) is above the capacity (%g kWh)",
		    b->soc_init_kwh, cap);
	if ((b->soc_final == BESS_SOC_FINAL_MIN || b->soc_final == BESS_SOC_FINAL_EXACT) &&
	    (b->soc_final_kwh < b->soc_min_kwh - 1e-9 || b->soc_final_kwh > b->soc_max_kwh + 1e-9))
		return bess_err_set(err, NULL, 0, "--soc-final (%g kWh) is outside --soc-min..--soc-max "
		    "(%g..%g kWh)", b->soc_final_kwh, b->soc_min_kwh, b->soc_max_kwh);
	if (!(b->eta_charge > 0 && b->eta_charge <= 1 && b->eta_discharge > 0 && b->eta_discharge <= 1))
		return bess_err_set(err, NULL, 0, "efficiencies must lie in (0, 1]");
	return 0;
}

double
bess_battery_keep(const struct bess_battery *b, double dt_h)
{
	if (b->self_discharge_per_h <= 0)
		return 1;
	return pow(1 - b->self_discharge_per_h, dt_h);
}

/*
 * The SOC equation. The order of operations is part of the contract: the
 * simulator, the LP's repair and the rule must agree to the last bit.
 */
double
bess_battery_soc_step(const struct bess_battery *b, double dt_h, double start_kwh,
    double charge_kw, double discharge_kw)
{
	return start_kwh + b->eta_charge * dt_h * charge_kw - dt_h * discharge_kw / b->eta_discharge;
}

double
bess_soc_kwh(double capacity_kwh, double pct)
{
	return capacity_kwh * pct / 100;
}

double
bess_soc_pct(double capacity_kwh, double soc_kwh)
{
	return 100 * soc_kwh / capacity_kwh;
}

double
bess_battery_kw(double charge_kw, double discharge_kw)
{
	return charge_kw - discharge_kw;
}

double
bess_battery_charge_kw(const struct bess_battery *b, double dt_h, double kwh)
{
	return kwh / (b->eta_charge * dt_h);
}

double
bess_battery_discharge_kw(const struct bess_battery *b, double dt_h, double kwh)
{
	return kwh * b->eta_discharge / dt_h;
}

/* Is id an option of the battery itself (not of the site)? */
static int
battery_own_opt(int id)
{
	switch (id) {
	case BESS_O_CAPACITY: case BESS_O_POWER: case BESS_O_CHARGE_POWER:
	case BESS_O_DISCHARGE_POWER: case BESS_O_SOC_MIN: case BESS_O_SOC_MAX:
	case BESS_O_SOC_INIT: case BESS_O_SOC_FINAL: case BESS_O_EFFICIENCY:
	case BESS_O_CHARGE_EFF: case BESS_O_DISCHARGE_EFF: case BESS_O_SELF_DISCHARGE:
	case BESS_O_CYCLE_COST: case BESS_O_MAX_CYCLES: case BESS_O_TERMINAL_VALUE:
		return 1;
	}
	return 0;
}

/* Apply one spec "ID:KEY=VALUE,..." to b; id receives ID. */
static int
fleet_spec(struct bess_battery *b, const char *spec, char *id, struct bess_err *err)
{
	const char *colon = strchr(spec, ':'), *p;
	char key[64], val[128];
	struct bess_site dummy;
	size_t len;

	len = colon ? (size_t)(colon - spec) : strlen(spec);
	if (len == 0)
		return bess_err_set(err, NULL, 0, "--battery '%s': no id before ':'", spec);
	if (len >= BESS_FLEET_ID_MAX)
		return bess_err_set(err, NULL, 0, "--battery '%.40s...': the id is longer than %d bytes",
		    spec, BESS_FLEET_ID_MAX - 1);
	memcpy(id, spec, len);
	id[len] = '\0';
	if (!bess_line_id_ok(id))
		return bess_err_set(err, NULL, 0, "--battery '%s': an id is letters, digits, "
		    "'-', '_' and '.'", spec);
	if (colon == NULL)
		return 0;
	bess_site_init(&dummy);
	for (p = colon + 1; *p;) {
		const char *end = strchr(p, ','), *eq;
		size_t kl, vl;
		int k, found = -1;

		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL)
			return bess_err_set(err, NULL, 0, "--battery '%s': '%.*s' is not KEY=VALUE", spec,
			    (int)(end - p), p);
		kl = (size_t)(eq - p);
		vl = (size_t)(end - eq - 1);
		if (kl >= sizeof(key) || vl >= sizeof(val))
			return bess_err_set(err, NULL, 0, "--battery '%.40s...': a key or value is too long",
			    spec);
		memcpy(key, p, kl);
		key[kl] = '\0';
		memcpy(val, eq + 1, vl);
		val[vl] = '\0';
		for (k = 0; bess_battery_optdefs[k].name; k++)
			if (strcmp(bess_battery_optdefs[k].name, key) == 0)
				found = k;
		if (found < 0 || !battery_own_opt(bess_battery_optdefs[found].id))
			return bess_err_set(err, NULL, 0, "--battery '%s': '%s' is not a battery key "
			    "(capacity, power, charge-power, discharge-power, soc-min, soc-max, soc-init, "
			    "soc-final, efficiency, charge-efficiency, discharge-efficiency, "
			    "self-discharge, cycle-cost, max-cycles, terminal-value)", spec, key);
		if (bess_battery_set(b, &dummy, bess_battery_optdefs[found].id, val, err) != 0) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			bess_site_free(&dummy);
			return bess_err_set(err, NULL, 0, "--battery '%s': %s: %s", spec, key, msg);
		}
		p = *end ? end + 1 : end;
	}
	bess_site_free(&dummy);
	return 0;
}

int
bess_fleet_build(struct bess_fleet *f, const struct bess_battery *base, const char *const *specs,
    size_t nspec, long *bad, struct bess_err *err)
{
	size_t i, j;

	memset(f, 0, sizeof(*f));
	*bad = -1;
	if (nspec > BESS_FLEET_MAX)
		return bess_err_set(err, NULL, 0, "%zu batteries: at most %d", nspec, BESS_FLEET_MAX);
	if (nspec == 0) {
		f->n = 1;
		f->bat[0] = *base;
		snprintf(f->id[0], sizeof(f->id[0]), "battery");
		if (bess_battery_check(&f->bat[0], err) != 0)
			return -1;
		f->capacity_kwh = f->bat[0].capacity_kwh;
		return 0;
	}
	f->given = 1;
	for (i = 0; i < nspec; i++) {
		*bad = (long)i;
		f->bat[i] = *base;
		if (fleet_spec(&f->bat[i], specs[i], f->id[i], err) != 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(f->id[j], f->id[i]) == 0)
				return bess_err_set(err, NULL, 0, "--battery '%s': the id '%s' is given twice",
				    specs[i], f->id[i]);
		if (bess_battery_check(&f->bat[i], err) != 0) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			return bess_err_set(err, NULL, 0, "--battery '%s': %s", specs[i], msg);
		}
		f->capacity_kwh += f->bat[i].capacity_kwh;
		f->n++;
	}
	*bad = -1;
	return 0;
}

int
bess_fleet_specs_add(struct bess_fleet_specs *s, const char *arg, const struct bess_optsrc *src,
    struct bess_err *err)
{
	if (s->n >= BESS_FLEET_MAX)
		return bess_err_set(err, NULL, 0, "more than %d batteries", BESS_FLEET_MAX);
	if ((s->spec[s->n] = strdup(arg)) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	s->src[s->n++] = *src;
	return 0;
}

int
bess_fleet_build_specs(struct bess_fleet *f, const struct bess_battery *base,
    const struct bess_fleet_specs *s, struct bess_err *err)
{
	long bad;

	if (bess_fleet_build(f, base, (const char *const *)s->spec, s->n, &bad, err) == 0)
		return 0;
	if (err && bad >= 0 && s->src[bad].line > 0) {
		snprintf(err->file, sizeof(err->file), "%s", s->src[bad].file);
		err->line = s->src[bad].line;
	}
	return -1;
}

void
bess_fleet_specs_free(struct bess_fleet_specs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->spec[i]);
	s->n = 0;
}
