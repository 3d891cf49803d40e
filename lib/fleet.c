/* fleet.c: what a schedule of several batteries says per battery — wear, value, summary keys and per-device records. */
#include <math.h>
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
			rec.soc_pct = 100 * rec.soc_kwh / f->bat[i].capacity_kwh;
			rec.cost = f->bat[i].cycle_cost_per_kwh * d * dt_h;
			if (bess_devrec_write(fp, fmt, &rec) != 0)
				return -1;
		}
	return 0;
}
