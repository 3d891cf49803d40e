/* rule.c: the quantile rule — a baseline strategy that needs no optimiser. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_rule.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
bess_quantile(double *v, size_t n, double q)
{
	double pos, f;
	size_t i;

	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(double), cmp_double);
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	if (i >= n - 1)
		return v[n - 1];
	f = pos - (double)i;
	return v[i] + f * (v[i + 1] - v[i]);
}

void
bess_rule_command(const struct bess_battery *b, double dt_h, double soc_kwh, double price,
    double lo, double hi, double net_kw, double il, double el, struct bess_sim_cmd *cmd)
{
	double start = soc_kwh * bess_battery_keep(b, dt_h);

	memset(cmd, 0, sizeof(*cmd));
	if (!(hi * b->eta_charge * b->eta_discharge - b->cycle_cost_per_kwh > lo))
		return;
	if (price <= lo) {
		double c = fmin(b->charge_kw, bess_battery_charge_kw(b, dt_h, b->soc_max_kwh - start));

		c = fmin(c, il - net_kw);
		cmd->charge_kw = c > 0 ? c : 0;
	} else if (price >= hi) {
		double d = fmin(b->discharge_kw, bess_battery_discharge_kw(b, dt_h, start - b->soc_min_kwh));

		d = fmin(d, net_kw + el);
		cmd->discharge_kw = d > 0 ? d : 0;
	}
}

int
bess_rule_run(const struct bess_battery *b, const struct bess_site *s,
    const struct bess_outlook *o, const struct bess_rule_opts *opts, struct bess_traj *t,
    struct bess_sim *sim, struct bess_err *err)
{
	const struct bess_series *ser = o->ser;
	size_t n = ser->n, h = opts->horizon ? opts->horizon : 1, k;
	double *p, *sorted, load, solar;

	if ((p = malloc((h + 1) * sizeof(double))) == NULL ||
	    (sorted = malloc((h + 1) * sizeof(double))) == NULL) {
		free(p);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	bess_sim_init(sim, b, ser->dt_h, b->soc_init_kwh);
	for (k = 0; k < n; k++) {
		size_t len = n - k < h ? n - k : h;
		struct bess_sim_cmd cmd;
		struct bess_sim_site site;
		struct bess_sim_out out;
		double lo, hi;

		bess_outlook_window(o, k, len, p, NULL, NULL, NULL);
		bess_outlook_window(o, k, 1, NULL, NULL, &load, &solar);
		memcpy(sorted, p, len * sizeof(double));
		lo = bess_quantile(sorted, len, opts->q_lo);
		hi = bess_quantile(sorted, len, opts->q_hi);
		bess_sim_site_at(ser, &o->rates, s, k, &site);
		bess_rule_command(b, ser->dt_h, sim->soc_kwh, p[0], lo, hi, load - solar,
		    site.import_limit_kw, site.export_limit_kw, &cmd);
		bess_sim_step(sim, &cmd, &site, &out);
		bess_traj_set(t, k, &cmd, &out);
	}
	free(p);
	free(sorted);
	return 0;
}

int
bess_rule_parse(const char *arg, double *lo, double *hi, struct bess_err *err)
{
	double l, h;

	if (strcmp(arg, "off") == 0) {
		*lo = *hi = -1;
		return 0;
	}
	if (sscanf(arg, "%lf,%lf", &l, &h) != 2 || !(l >= 0 && l <= h && h <= 1))
		return bess_err_set(err, NULL, 0, "'%s' is not two quantiles LO,HI with "
		    "0 <= LO <= HI <= 1 (or off)", arg);
	*lo = l;
	*hi = h;
	return 0;
}
