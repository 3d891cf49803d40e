/* optimize.c: one optimisation over a whole run (bess-optimize's engine): build and solve, fall back, price, settle, weigh, summarise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_devrec.h"
#include "bess_optimize.h"
#include "bess_qty.h"
#include "bess_rows.h"
#include "bess_time.h"

int
bess_optimize_build(struct bess_optimize *o, const struct bess_optimize_in *in, struct bess_err *err)
{
	const struct bess_fleet *fl = in->fleet;
	const struct bess_table *t = in->t;
	size_t i, j;

	memset(o, 0, sizeof(*o));
	o->in = *in;
	o->bad_step = -1;
	o->lin.rates = in->rates;
	o->lin.load_kw = in->load_kw;
	o->lin.solar_kw = in->solar_kw;
	o->lin.import_limit_kw = in->import_limit_kw;
	o->lin.export_limit_kw = in->export_limit_kw;
	o->lin.soc_init_kwh = fl->bat[0].soc_init_kwh;
	if (fl->n > 1) {
		for (i = 0; i < fl->n; i++)
			o->soc0_kwh[i] = fl->bat[i].soc_init_kwh;
		o->lin.bat_soc_init_kwh = o->soc0_kwh;
	}
	o->flags = bess_lp_flags_for_n(fl->bat, fl->n, &o->lin, t->n);
	if (in->events) {
		if (bess_events_load(&o->events, in->events, err) != 0 ||
		    (in->baseline_from && bess_load_history_read(&o->hist, in->baseline_from, err) != 0) ||
		    bess_event_plan(&o->events, t->ts[0], in->step_us, t->n,
		    in->baseline_from ? &o->hist : NULL, &o->plan, err) != 0)
			return -1;
		if ((o->ev = calloc(o->events.n + 1, sizeof(*o->ev))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		o->nev = o->events.n;
		o->flags |= BESS_LP_SPLIT;	/* events are of the import, not import net of export */
	}
	if (in->offer) {
		if (bess_events_load(&o->offers, in->offer, err) != 0 ||
		    (in->baseline_from && o->hist.n == 0 &&
		    bess_load_history_read(&o->hist, in->baseline_from, err) != 0) ||
		    bess_event_plan(&o->offers, t->ts[0], in->step_us, t->n,
		    in->baseline_from ? &o->hist : NULL, &o->oplan, err) != 0)
			return -1;
		if ((o->offer = calloc(o->offers.n + 1, sizeof(*o->offer))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		for (i = 0; i < o->offers.n; i++)
			for (j = 0; j < o->events.n; j++)
				if (o->offers.ev[i].start_us < o->events.ev[j].end_us &&
				    o->events.ev[j].start_us < o->offers.ev[i].end_us)
					return bess_err_set(err, o->offers.file, o->offers.ev[i].line,
					    "offer '%s' overlaps event '%s' (%s:%ld)", o->offers.ev[i].id,
					    o->events.ev[j].id, o->events.file, o->events.ev[j].line);
	}
	if ((o->lp = bess_lp_new_n(fl->bat, fl->n, in->site, t->n, in->rates->dt_h, o->flags, err)) == NULL ||
	    (o->nev > 0 && bess_lp_events(o->lp, o->plan, o->nev, err) != 0) ||
	    (in->dv && bess_lp_devices(o->lp, in->dv, t->ts, t->n, NULL, err) != 0) ||
	    bess_lp_update(o->lp, &o->lin, err) != 0)
		return -1;
	return 0;
}

/* The schedule's outcome: status, solver status, reason and note; the fallback written into sc. */
static void
outcome(struct bess_optimize *o)
{
	const struct bess_fleet *fl = o->in.fleet;
	const struct bess_table *t = o->in.t;
	struct bess_lp_input bin = o->lin;
	char why[512], tb[BESS_TIME_BUFSZ];

	bess_err_clear(&o->note);
	if (BESS_LP_HAS_SCHEDULE(o->res.status)) {
		o->status = o->solver_status = o->res.status == BESS_LP_OPTIMAL ? "optimal" : "feasible";
		bess_lp_schedule(o->lp, &o->sc);
		if (o->res.status == BESS_LP_FEASIBLE)
			bess_err_set(&o->note, NULL, 0, "feasible, not proved optimal: gap %.3g to the "
			    "bound %.6g is above --mip-gap %.3g (%s)", o->res.milp_gap, o->res.milp_bound,
			    o->res.mip_gap, o->res.time_limited ? "--time-limit stopped branch and bound" :
			    "above 10000 steps each step's direction is fixed, not searched");
		return;
	}
	o->status = "fallback";
	if (o->base_load_kw)	/* the devices as without action */
		bin.load_kw = o->base_load_kw;
	bess_lp_idle_n(fl->bat, fl->n, o->in.site, &bin, t->n, &o->sc);
	if (o->res.status == BESS_LP_INFEASIBLE) {
		o->solver_status = "infeasible";
		o->bad_step = bess_lp_diagnose_n(fl->bat, fl->n, o->in.site, &o->lin, t->n, why, sizeof(why));
		if (o->bad_step >= 0 && (size_t)o->bad_step < t->n) {
			snprintf(o->reason, sizeof(o->reason), "infeasible at %s: %s",
			    bess_time_format(t->ts[o->bad_step], tb), why);
			bess_err_set(&o->note, t->file[t->src[o->bad_step]], t->line[o->bad_step],
			    "infeasible: %s; wrote a fallback schedule (battery idle)", why);
		} else {
			snprintf(o->reason, sizeof(o->reason), "infeasible: %s", why);
			bess_err_set(&o->note, NULL, 0, "infeasible: %s; wrote a fallback schedule "
			    "(battery idle)", why);
		}
	} else {
		o->solver_status = "failed";
		snprintf(o->reason, sizeof(o->reason), "the solver failed");
		bess_err_set(&o->note, NULL, 0, "the solver failed; wrote a fallback schedule (battery idle)");
	}
}

int
bess_optimize_solve(struct bess_optimize *o, struct bess_err *err)
{
	const struct bess_optimize_in *in = &o->in;
	const struct bess_fleet *fl = in->fleet;
	const struct bess_table *t = in->t;
	size_t i;

	memset(&o->lo, 0, sizeof(o->lo));
	o->lo.method = in->method;
	o->lo.milp = in->site->milp;
	if (bess_lp_solve(o->lp, &o->lo, &o->res, err) != 0)
		return -1;
	if (bess_lp_schedule_init_n(&o->sc, t->n, fl->n) != 0 ||
	    bess_lp_schedule_init_n(&o->idle, t->n, fl->n) != 0 ||
	    (o->step_cost = calloc(t->n, sizeof(double))) == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	o->n = t->n;
	o->step_s = (double)in->step_us / 1e6;
	if (in->dv) {
		/* no action: the shiftable devices run as soon as they may (bess-devices(5)) */
		struct bess_lp_input bin = o->lin;

		if ((o->base_load_kw = calloc(t->n + 1, sizeof(double))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		for (i = 0; i < t->n; i++)
			o->base_load_kw[i] = in->load_kw ? in->load_kw[i] : 0;
		bess_devices_baseline_add(in->dv, t->ts, t->n, in->rates->dt_h, o->base_load_kw);
		bin.load_kw = o->base_load_kw;
		bess_lp_idle_n(fl->bat, fl->n, in->site, &bin, t->n, &o->idle);
	} else {
		bess_lp_idle_n(fl->bat, fl->n, in->site, &o->lin, t->n, &o->idle);
	}
	outcome(o);
	if (in->dv) {
		if (bess_devplan_build(&o->dp, BESS_LP_HAS_SCHEDULE(o->res.status) ? o->lp : NULL, in->dv,
		    in->rates, t->ts, 0, t->n) != 0)
			return bess_err_set(err, NULL, 0, "out of memory");
		o->devplan = &o->dp;
	}
	if (bess_fleet_cost(in->rates, fl, o->sc.import_kw, o->sc.export_kw, &o->sc, &o->cost, o->step_cost,
	    err) != 0 ||
	    bess_rates_cost(in->rates, o->idle.import_kw, o->idle.export_kw, NULL, 0, &o->base, NULL, err) != 0)
		return -1;
	for (i = 0; i < o->nev; i++)
		bess_event_settle(&o->plan[i], o->sc.import_kw, &o->ev[i]);
	for (i = 0; i < o->offers.n && BESS_LP_HAS_SCHEDULE(o->res.status); i++) {
		if (bess_offer_weigh(fl->bat, fl->n, in->site, &o->lin, t->n, o->flags, &o->lo, o->plan,
		    o->nev, &o->oplan[i], in->dv, t->ts, o->res.objective, &o->offer[i], err) != 0)
			return -1;
		o->noffer++;
	}
	return 0;
}

void
bess_optimize_free(struct bess_optimize *o)
{
	bess_devplan_free(&o->dp);
	free(o->base_load_kw);
	bess_cost_free(&o->cost);
	bess_cost_free(&o->base);
	bess_lp_schedule_free(&o->sc);
	bess_lp_schedule_free(&o->idle);
	bess_lp_free(o->lp);
	bess_event_plans_free(o->plan, o->events.n);
	bess_event_plans_free(o->oplan, o->offers.n);
	free(o->offer);
	bess_events_free(&o->offers);
	free(o->ev);
	bess_events_free(&o->events);
	bess_load_history_free(&o->hist);
	free(o->step_cost);
	memset(o, 0, sizeof(*o));
}

void
bess_optimize_summary(struct bess_kv *k, const struct bess_optimize *o)
{
	const struct bess_fleet *fl = o->in.fleet;
	const struct bess_rates *r = o->in.rates;
	const struct bess_lp_schedule *sc = &o->sc;
	const struct bess_battery *b = &fl->bat[0];

	bess_kv_str(k, "status", o->status);
	bess_kv_str(k, "solver_status", o->solver_status);
	if (o->reason[0]) {
		bess_kv_str(k, "reason", o->reason);
		if (o->bad_step >= 0)
			bess_kv_int(k, "first_bad_step", o->bad_step);
		else
			bess_kv_add(k, "first_bad_step", NULL, BESS_K_NULL);
	}
	bess_kv_num(k, "objective", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.objective : NAN);
	bess_summary_cost(k, "", &o->cost, &o->base);
	bess_summary_energy(k, sc->import_kw, sc->export_kw, o->n, o->step_s / 3600);
	bess_kv_num(k, "total_cost", o->cost.total);	/* deprecated: "cost" */
	bess_kv_num(k, "soc_penalty", o->res.penalty);
	bess_summary_events(k, o->plan, o->ev, o->nev, &o->cost, &o->base,
	    o->devplan ? o->devplan->all.shed_cost : 0);
	if (o->devplan && o->nev == 0)
		bess_summary_net(k, &o->cost, &o->base, o->devplan->all.shed_cost);
	bess_summary_offers(k, o->offer, o->noffer);
	bess_summary_demand(k, r, &o->cost, &o->base);
	bess_summary_peaks(k, sc->import_kw, o->idle.import_kw, o->n, &o->cost);
	bess_kv_fig(k, "baseline_cost", o->base.total);
	if (o->devplan)
		bess_devplan_summary(k, o->devplan);
	bess_kv_fig(k, "throughput_kwh", o->cost.throughput_kwh);
	bess_kv_fig(k, "cycles", o->cost.throughput_kwh / fl->capacity_kwh);
	if (fl->n == 1) {
		bess_kv_num(k, "soc_init_kwh", b->soc_init_kwh);
		bess_kv_num(k, "soc_final_kwh", o->n ? sc->soc_kwh[o->n - 1] : b->soc_init_kwh);
		bess_kv_num(k, "soc_violation_kwh", fmax(sc->soc_violation_kwh, b->soc_init_kwh <
		    b->soc_min_kwh ? b->soc_min_kwh - b->soc_init_kwh : b->soc_init_kwh - b->soc_max_kwh > 0 ?
		    b->soc_init_kwh - b->soc_max_kwh : 0));
	} else {	/* the sums; the violation the largest of any battery */
		double init = 0, viol = sc->soc_violation_kwh;
		size_t i;

		for (i = 0; i < fl->n; i++) {
			b = &fl->bat[i];
			init += b->soc_init_kwh;
			viol = fmax(viol, fmax(b->soc_min_kwh - b->soc_init_kwh, b->soc_init_kwh - b->soc_max_kwh));
		}
		bess_kv_num(k, "soc_init_kwh", init);
		bess_kv_num(k, "soc_final_kwh", o->n ? sc->soc_kwh[o->n - 1] : init);
		bess_kv_num(k, "soc_violation_kwh", viol);
	}
	bess_kv_int(k, "soc_violation_steps", (long long)sc->soc_violation_steps);
	if (fl->given)
		bess_fleet_summary(k, fl, sc, r, o->n);
	bess_kv_int(k, "steps", (long long)o->n);
	bess_kv_num(k, "step_s", o->step_s);
	bess_kv_bool(k, "milp", o->res.milp);
	bess_kv_num(k, "milp_bound", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.milp_bound : NAN);
	bess_kv_num(k, "milp_gap", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.milp_gap : NAN);
	bess_kv_num(k, "milp_gap_limit", o->res.milp ? o->res.mip_gap : NAN);
	bess_kv_bool(k, "time_limited", o->res.time_limited);
	bess_kv_str(k, "solver", bess_lp_solver());
	bess_kv_str(k, "method", o->res.method ? o->res.method : "none");
	bess_kv_int(k, "iterations", o->res.iterations);
	bess_kv_fig(k, "solve_ms", o->res.solve_ms);
}

int
bess_optimize_summary_json(FILE *fp, const struct bess_optimize *o)
{
	struct bess_kv k;
	size_t len;
	char *line;

	bess_kv_init(&k);
	bess_optimize_summary(&k, o);
	line = bess_kv_line(&k, &len);
	bess_kv_free(&k);
	if (line == NULL)
		return -1;
	while (len > 0 && line[len - 1] == '\n')
		len--;
	fwrite(line, 1, len, fp);
	free(line);
	return 0;
}

/* A JSON number (shortest round-trip form), or null when not finite. */
static void
jnum(FILE *fp, double v)
{
	char buf[32];

	if (!isfinite(v)) {
		fputs("null", fp);
		return;
	}
	if (v == 0)
		v = 0;	/* no "-0" */
	bess_fmt_num(v, buf);
	fputs(buf, fp);
}

/* ,"key":number */
static void
jkv(FILE *fp, const char *key, double v)
{
	fprintf(fp, ",\"%s\":", key);
	jnum(fp, v);
}

void
bess_optimize_doc(FILE *fp, const struct bess_optimize *o)
{
	const struct bess_lp_schedule *sc = &o->sc;
	const struct bess_table *t = o->in.t;
	char buf[64];
	size_t i;
	int k;
	double peak = 0;
	static const char *const names[] = {
		"battery_kw", "grid_kw", "soc_kwh", "charge_kw", "discharge_kw", "grid_import_kw",
		"grid_export_kw", "cost", NULL
	};

	fputs("{\"status\":", fp);
	bess_json_fputs(fp, o->status);
	jkv(fp, "objective", BESS_LP_HAS_SCHEDULE(o->res.status) ? o->res.objective : NAN);
	jkv(fp, "total_cost", o->cost.total);
	jkv(fp, "energy_cost", o->cost.energy_cost);
	jkv(fp, "demand_cost", o->cost.demand_cost);
	for (i = 0; i < o->n; i++)
		peak = fmax(peak, sc->import_kw[i]);
	jkv(fp, "peak_kw", peak);
	fputs(",\"solve_ms\":", fp);
	fprintf(fp, "%.3f", o->res.solve_ms);
	fputs(",\"ts\":[", fp);
	for (i = 0; i < o->n; i++) {
		char tb[BESS_TIME_BUFSZ];

		fputs(i ? ",\"" : "\"", fp);
		fputs(bess_time_format(t->ts[i], tb), fp);
		fputc('"', fp);
	}
	fputc(']', fp);
	for (k = 0; names[k]; k++) {
		fprintf(fp, ",\"%s\":[", names[k]);
		for (i = 0; i < o->n; i++) {
			double v;

			switch (k) {
			case 0: v = bess_battery_kw(sc->charge_kw[i], sc->discharge_kw[i]); break;
			case 1: v = sc->import_kw[i] - sc->export_kw[i]; break;
			case 2: v = sc->soc_kwh[i]; break;
			case 3: v = sc->charge_kw[i]; break;
			case 4: v = sc->discharge_kw[i]; break;
			case 5: v = sc->import_kw[i]; break;
			case 6: v = sc->export_kw[i]; break;
			default: v = o->step_cost[i];
			}
			if (i)
				fputc(',', fp);
			fputs(bess_fmt_fig(v, buf), fp);
		}
		fputc(']', fp);
	}
	fputs(",\"summary\":", fp);
	bess_optimize_summary_json(fp, o);
	fputs("}\n", fp);
}

int
bess_optimize_per_device(const struct bess_optimize *o, enum bess_fmt fmt, char **buf, size_t *len)
{
	const struct bess_table *t = o->in.t;
	FILE *mf;
	int rc;

	*buf = NULL;
	*len = 0;
	if ((mf = open_memstream(buf, len)) == NULL)
		return -1;
	rc = bess_devrec_header(mf, fmt);
	if (o->in.fleet->given)	/* the batteries first, then the devices */
		rc |= bess_fleet_devrec(mf, fmt, o->in.fleet, &o->sc, t->ts, o->in.rates->dt_h, t->n);
	if (o->in.dv)
		rc |= bess_devplan_write(mf, fmt, &o->dp, t->ts, 0, t->n);
	if (fclose(mf) != 0 || rc != 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

int
bess_optimize_records(FILE *fp, enum bess_fmt fmt, const struct bess_optimize *o,
    struct bess_err *err)
{
	static const char *const cols[] = {
		"charge_kw", "discharge_kw", "battery_kw", "soc_kwh", "soc_pct", "grid_import_kw",
		"grid_export_kw", "curtail_kw", "cost", "status", NULL
	};
	const struct bess_lp_schedule *sc = &o->sc;
	int solar = o->in.solar_kw != NULL;
	struct bess_rows rw;
	size_t i;

	if (bess_rows_open(&rw, fp, fmt, o->in.t, cols, solar ? NULL : "curtail_kw", err) != 0)
		return -1;
	for (i = 0; i < o->n; i++) {
		bess_rows_start(&rw, i);
		bess_rows_num(&rw, sc->charge_kw[i]);
		bess_rows_num(&rw, sc->discharge_kw[i]);
		bess_rows_num(&rw, bess_battery_kw(sc->charge_kw[i], sc->discharge_kw[i]));
		bess_rows_num(&rw, sc->soc_kwh[i]);
		bess_rows_num(&rw, bess_soc_pct(o->in.fleet->capacity_kwh, sc->soc_kwh[i]));
		bess_rows_num(&rw, sc->import_kw[i]);
		bess_rows_num(&rw, sc->export_kw[i]);
		if (solar)
			bess_rows_num(&rw, sc->curtail_kw[i]);
		bess_rows_num(&rw, o->step_cost[i]);
		bess_rows_text(&rw, o->status, BESS_K_STR);
		if (bess_rows_write(&rw, err) != 0)
			return bess_rows_close(&rw, 0, NULL);
	}
	bess_err_clear(err);
	return bess_rows_close(&rw, 1, err);
}
