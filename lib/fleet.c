/* fleet.c: what a schedule of several batteries says per battery — wear, value, summary keys and per-device records. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_devrec.h"
#include "bess_fleet.h"

void
bess_fleet_use(const struct bess_fleet *f, size_t i, const struct bess_lp_schedule *sc,
    const struct bess_rates *r, size_t n, struct bess_fleet_use *u)
{
	const struct bess_battery *b = &f->bat[i];
	double dt = r->dt_h, flow = 0;
	size_t t;

	memset(u, 0, sizeof(*u));
	for (t = 0; t < n; t++) {
		u->throughput_kwh += sc->bat_discharge_kw[i][t] * dt;
		flow += r->price[t] * dt * (sc->bat_discharge_kw[i][t] - sc->bat_charge_kw[i][t]);
	}
	u->cycles = u->throughput_kwh / b->capacity_kwh;
	u->degradation_cost = b->cycle_cost_per_kwh * u->throughput_kwh;
	u->value = flow - u->degradation_cost;
	u->soc_final_kwh = n ? sc->bat_soc_kwh[i][n - 1] : b->soc_init_kwh;
}

double
bess_fleet_degradation(const struct bess_fleet *f, const struct bess_lp_schedule *sc, double dt_h,
    size_t n, double *step_cost)
{
	double sum = 0;
	size_t i, t;

	for (i = 0; i < f->n && i < sc->nbat; i++)
		for (t = 0; t < n; t++) {
			double c = f->bat[i].cycle_cost_per_kwh * sc->bat_discharge_kw[i][t] * dt_h;

			sum += c;
			if (step_cost)
				step_cost[t] += c;
		}
	return sum;
}

void
bess_fleet_summary(struct bess_kv *k, const struct bess_fleet *f, const struct bess_lp_schedule *sc,
    const struct bess_rates *r, size_t n)
{
	struct bess_kv_list l;
	struct bess_fleet_use u;
	double total = 0;
	size_t i;

	for (i = 0; i < f->n && i < sc->nbat; i++) {
		bess_fleet_use(f, i, sc, r, n, &u);
		total += u.value;
	}
	bess_kv_list_open(&l);
	for (i = 0; i < f->n && i < sc->nbat; i++) {
		struct bess_kv d;

		bess_fleet_use(f, i, sc, r, n, &u);
		bess_kv_init(&d);
		bess_kv_str(&d, "device", f->id[i]);
		bess_kv_num(&d, "capacity_kwh", f->bat[i].capacity_kwh);
		bess_kv_fig(&d, "throughput_kwh", u.throughput_kwh);
		bess_kv_fig(&d, "cycles", u.cycles);
		bess_kv_fig(&d, "degradation_cost", u.degradation_cost);
		bess_kv_fig(&d, "value", u.value);
		bess_kv_fig(&d, "saving_share_pct", total > 0 ? 100 * u.value / total : NAN);
		bess_kv_num(&d, "soc_final_kwh", u.soc_final_kwh);
		bess_kv_list_push(&l, &d);
	}
	bess_kv_list_add(&l, k, "batteries");
}

int
bess_fleet_devrec(FILE *fp, enum bess_fmt fmt, const struct bess_fleet *f,
    const struct bess_lp_schedule *sc, const bess_time_t *ts, double dt_h, size_t n)
{
	size_t i, t;

	for (t = 0; t < n; t++)
		for (i = 0; i < f->n && i < sc->nbat; i++) {
			struct bess_devrec rec;
			double c = sc->bat_charge_kw[i][t], d = sc->bat_discharge_kw[i][t];

			rec.ts = ts[t];
			rec.device = f->id[i];
			rec.kind = "battery";
			rec.command = c > 0 ? "charge" : d > 0 ? "discharge" : "idle";
			rec.power_kw = c - d;
			rec.soc_kwh = sc->bat_soc_kwh[i][t];
			rec.soc_pct = bess_soc_pct(f->bat[i].capacity_kwh, rec.soc_kwh);
			rec.cost = f->bat[i].cycle_cost_per_kwh * d * dt_h;
			if (bess_devrec_write(fp, fmt, &rec) != 0)
				return -1;
		}
	return 0;
}

int
bess_fleet_cost(const struct bess_rates *r, const struct bess_fleet *f, const double *import_kw,
    const double *export_kw, const struct bess_lp_schedule *sc, struct bess_cost *c, double *step_cost,
    struct bess_err *err)
{
	double deg;

	if (bess_rates_cost(r, import_kw, export_kw, sc->discharge_kw, f->n == 1 ?
	    f->bat[0].cycle_cost_per_kwh : 0, c, step_cost, err) != 0)
		return -1;
	if (f->n > 1) {	/* each battery's own cycle cost */
		deg = bess_fleet_degradation(f, sc, r->dt_h, sc->n, step_cost);
		c->degradation_cost += deg;
		c->total += deg;
	}
	return 0;
}

void
bess_fleet_site_battery(const struct bess_fleet *f, struct bess_battery *site)
{
	size_t i;

	*site = f->bat[0];
	if (f->n == 1)
		return;
	site->capacity_kwh = site->charge_kw = site->discharge_kw = 0;
	site->soc_min_kwh = site->soc_max_kwh = site->soc_init_kwh = 0;
	for (i = 0; i < f->n; i++) {
		site->capacity_kwh += f->bat[i].capacity_kwh;
		site->charge_kw += f->bat[i].charge_kw;
		site->discharge_kw += f->bat[i].discharge_kw;
		site->soc_min_kwh += f->bat[i].soc_min_kwh;
		site->soc_max_kwh += f->bat[i].soc_max_kwh;
		site->soc_init_kwh += f->bat[i].soc_init_kwh;
	}
	for (i = 1; i < f->n; i++) {	/* one figure only when all have it */
		if (f->bat[i].eta_charge != f->bat[0].eta_charge)
			site->eta_charge = NAN;
		if (f->bat[i].eta_discharge != f->bat[0].eta_discharge)
			site->eta_discharge = NAN;
		if (f->bat[i].cycle_cost_per_kwh != f->bat[0].cycle_cost_per_kwh)
			site->cycle_cost_per_kwh = NAN;
	}
}

int
bess_fleet_devrec_buf(const struct bess_fleet *f, const struct bess_lp_schedule *sc,
    const bess_time_t *ts, double dt_h, size_t n, enum bess_fmt fmt, char **buf, size_t *len)
{
	FILE *mf;
	int rc;

	*buf = NULL;
	*len = 0;
	if ((mf = open_memstream(buf, len)) == NULL)
		return -1;
	rc = bess_devrec_header(mf, fmt);
	rc |= bess_fleet_devrec(mf, fmt, f, sc, ts, dt_h, n);
	if (fclose(mf) != 0 || rc != 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

int
bess_fleet_commands(const struct bess_fleet *f, const struct bess_table *cmd, const bess_time_t *ts,
    size_t n, long long step_us, double **charge_kw, double **discharge_kw, struct bess_err *err)
{
	int cdev = bess_table_col(cmd, "device"), cpow = bess_table_col(cmd, "power_kw");
	int ckind = bess_table_col(cmd, "kind");
	const char *name = cmd->nfile ? cmd->file[0] : "<stdin>";
	size_t r, i, k;

	for (i = 0; i < f->n; i++)
		for (k = 0; k < n; k++)
			charge_kw[i][k] = discharge_kw[i][k] = NAN;
	if (cdev < 0 || cpow < 0)
		return bess_err_set(err, name, 0, "no '%s' column (per-device records: ts, device, "
		    "power_kw, ...)", cdev < 0 ? "device" : "power_kw");
	for (r = 0; r < cmd->n; r++) {
		const char *file = cmd->file[cmd->src[r]], *dev = bess_table_get(cmd, r, cdev);
		const char *pw = bess_table_get(cmd, r, cpow);
		long line = cmd->line[r];
		long long off;
		char *end;
		double p;

		if (ckind >= 0 && strcmp(bess_table_get(cmd, r, ckind), "battery") != 0)
			continue;
		for (i = 0; i < f->n && strcmp(f->id[i], dev) != 0; i++)
			;
		if (i == f->n)
			return bess_err_set(err, file, line, "device '%s' is not a --battery id", dev);
		if (n == 0 || cmd->ts[r] < ts[0] || (off = cmd->ts[r] - ts[0]) % step_us != 0 ||
		    (k = (size_t)(off / step_us)) >= n || ts[k] != cmd->ts[r])
			return bess_err_set(err, file, line, "the time is not a step of the site's data");
		p = strtod(pw, &end);
		if (*pw == '\0' || *end != '\0' || !isfinite(p))
			return bess_err_set(err, file, line, "column 'power_kw': '%s' is not a number", pw);
		if (!isnan(charge_kw[i][k]))
			return bess_err_set(err, file, line, "battery '%s' has a second record for this step",
			    dev);
		charge_kw[i][k] = p > 0 ? p : 0;
		discharge_kw[i][k] = p < 0 ? -p : 0;
	}
	return 0;
}
