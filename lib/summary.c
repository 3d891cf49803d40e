/* summary.c: one record built field by field, written as an NDJSON line — summaries, commands and breakdown rows of every tool. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_qty.h"
#include "bess_time.h"
#include "bess_offer.h"
#include "bess_summary.h"

void
bess_kv_init(struct bess_kv *k)
{
	bess_schema_init(&k->s);
	bess_rec_init(&k->r);
	k->text = NULL;
	k->oom = 0;
}

void
bess_kv_free(struct bess_kv *k)
{
	size_t i;

	for (i = 0; i < k->s.n; i++)
		free(k->text[i]);
	free(k->text);
	bess_rec_free(&k->r);
	bess_schema_free(&k->s);
}

void
bess_kv_add(struct bess_kv *k, const char *name, const char *text, enum bess_kind kind)
{
	char **nt;
	int i;

	if (k->oom)
		return;
	if ((i = bess_schema_add(&k->s, name)) < 0 || bess_rec_resize(&k->r, k->s.n) != 0 ||
	    (nt = realloc(k->text, k->s.n * sizeof(*nt))) == NULL) {
		k->oom = 1;
		return;
	}
	k->text = nt;
	if ((k->text[i] = strdup(text ? text : "")) == NULL) {
		k->oom = 1;
		return;
	}
	bess_rec_set(&k->r, (size_t)i, k->text[i], text ? kind : BESS_K_NULL);
}

void
bess_kv_num(struct bess_kv *k, const char *name, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		bess_kv_add(k, name, NULL, BESS_K_NULL);
		return;
	}
	if (fabs(v) < 1e-9 * 1e-3)
		v = 0;
	bess_fmt_num(v, buf);
	bess_kv_add(k, name, buf, BESS_K_NUM);
}

const char *
bess_fmt_fig(double v, char *buf)
{
	if (fabs(v) < 5e-7)
		v = 0;
	bess_fmt_fixed(v, 6, buf);
	return buf;
}

void
bess_kv_fig(struct bess_kv *k, const char *name, double v)
{
	char buf[64];

	if (!isfinite(v)) {
		bess_kv_add(k, name, NULL, BESS_K_NULL);
		return;
	}
	bess_kv_add(k, name, bess_fmt_fig(v, buf), BESS_K_NUM);
}

void
bess_kv_int(struct bess_kv *k, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	bess_kv_add(k, name, buf, BESS_K_NUM);
}

void
bess_kv_str(struct bess_kv *k, const char *name, const char *v)
{
	bess_kv_add(k, name, v, BESS_K_STR);
}

void
bess_kv_bool(struct bess_kv *k, const char *name, int v)
{
	bess_kv_add(k, name, v ? "true" : "false", BESS_K_BOOL);
}

char *
bess_kv_line(const struct bess_kv *k, size_t *len)
{
	char *buf = NULL;
	FILE *mf;
	struct bess_writer_opts wo;
	struct bess_writer *w;
	struct bess_err err;
	int rc;

	*len = 0;
	if (k->oom || (mf = open_memstream(&buf, len)) == NULL)
		return NULL;
	memset(&wo, 0, sizeof(wo));
	wo.fmt = BESS_FMT_NDJSON;
	if ((w = bess_writer_new(mf, &wo)) == NULL) {
		fclose(mf);
		free(buf);
		return NULL;
	}
	rc = bess_writer_write(w, &k->s, &k->r, &err) || bess_writer_finish(w, &k->s, &err);
	bess_writer_free(w);
	fclose(mf);
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
bess_kv_records(enum bess_fmt fmt, size_t n, int (*fill)(const void *ctx, size_t i, struct bess_kv *k),
    const void *ctx, char **buf, size_t *len)
{
	FILE *mf;
	struct bess_writer *w = bess_writer_mem(fmt, &mf, buf, len);
	struct bess_err err;
	size_t i;
	int rc = 0;

	if (w == NULL)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		struct bess_kv k;

		bess_kv_init(&k);
		if (fill(ctx, i, &k))
			rc = k.oom || bess_writer_write(w, &k.s, &k.r, &err) != 0 ? -1 : 0;
		bess_kv_free(&k);
	}
	if (rc == 0 && bess_writer_finish(w, NULL, &err) != 0)
		rc = -1;
	return bess_writer_mem_done(w, mf, rc, buf, len);
}

void
bess_kv_list_open(struct bess_kv_list *l)
{
	memset(l, 0, sizeof(*l));
	if ((l->mf = open_memstream(&l->buf, &l->len)) == NULL)
		l->oom = 1;
	else
		fputc('[', l->mf);
}

void
bess_kv_list_push(struct bess_kv_list *l, struct bess_kv *d)
{
	size_t ll;
	char *line = l->oom ? NULL : bess_kv_line(d, &ll);

	bess_kv_free(d);
	if (line == NULL) {
		l->oom = 1;
		return;
	}
	while (ll > 0 && line[ll - 1] == '\n')
		ll--;
	if (l->n++)
		fputc(',', l->mf);
	fwrite(line, 1, ll, l->mf);
	free(line);
}

void
bess_kv_list_add(struct bess_kv_list *l, struct bess_kv *k, const char *name)
{
	if (l->mf != NULL) {
		fputc(']', l->mf);
		if (fclose(l->mf) != 0)
			l->oom = 1;
	}
	if (l->oom || l->buf == NULL)
		k->oom = 1;
	else
		bess_kv_add(k, name, l->buf, BESS_K_JSON);
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

void
bess_kv_nest(struct bess_kv *dst, const char *name, const struct bess_kv *k)
{
	size_t len;
	char *line = bess_kv_line(k, &len);

	if (line == NULL) {
		dst->oom = 1;
		return;
	}
	while (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	bess_kv_add(dst, name, line, BESS_K_JSON);
	free(line);
}

/* Cost figures of one strategy under a prefix ("" for the main one). */
void
bess_summary_cost(struct bess_kv *k, const char *prefix, const struct bess_cost *cost, const struct bess_cost *base)
{
	char name[64];

#define NAME(x) (snprintf(name, sizeof(name), "%s%s", prefix, x), name)
	bess_kv_fig(k, NAME("cost"), cost->total);
	if (*prefix == '\0') {
		bess_kv_fig(k, "energy_cost", cost->energy_cost);
		bess_kv_fig(k, "export_revenue", cost->export_revenue);
		bess_kv_fig(k, "demand_cost", cost->demand_cost);
		bess_kv_fig(k, "degradation_cost", cost->degradation_cost);
	}
	if (base)
		bess_kv_fig(k, NAME("saving"), bess_cost_saving(cost, base));
#undef NAME
}

void
bess_summary_peaks(struct bess_kv *k, const double *import_kw, const double *base_import, size_t n,
    const struct bess_cost *cost)
{
	double p = 0, b = 0, d = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (import_kw[i] > p)
			p = import_kw[i];
		if (base_import && base_import[i] > b)
			b = base_import[i];
	}
	for (i = 0; i < cost->nline; i++)
		if (cost->line[i].peak_kw > d)
			d = cost->line[i].peak_kw;
	bess_kv_fig(k, "peak_kw", p);
	bess_kv_fig(k, "baseline_peak_kw", base_import ? b : NAN);
	bess_kv_fig(k, "demand_peak_kw", cost->nline ? d : NAN);
}

/* Has demand period p a ratchet? */
static int
ratchets(const struct bess_rates *r, int p)
{
	return r->ratchet_frac != NULL && r->ratchet_frac[p] > 0;
}

/* "demand": one object per (bill, period) line; "ratchet_cost". */
void
bess_summary_demand(struct bess_kv *k, const struct bess_rates *r, const struct bess_cost *cost,
    const struct bess_cost *base)
{
	struct bess_kv_list a;
	size_t i;
	int any;
	double extra = 0;

	bess_kv_list_open(&a);
	for (i = 0; i < cost->nline; i++) {
		const struct bess_demand_line *l = &cost->line[i];
		struct bess_kv d;

		bess_kv_init(&d);
		bess_kv_str(&d, "period", r->period_name[l->period]);
		bess_kv_str(&d, "bill", r->bill_label[l->bill]);
		bess_kv_fig(&d, "peak_kw", l->peak_kw);
		bess_kv_fig(&d, "baseline_peak_kw", base && i < base->nline ? base->line[i].peak_kw : NAN);
		bess_kv_fig(&d, "ratchet_kw", ratchets(r, l->period) ? l->ratchet_kw : NAN);
		bess_kv_fig(&d, "billed_kw", l->billed_kw);
		bess_kv_num(&d, "rate", l->rate);
		bess_kv_fig(&d, "cost", l->cost);
		bess_kv_list_push(&a, &d);
	}
	bess_kv_list_add(&a, k, "demand");
	/* what the ratchets add to the demand charges: rate * (billed - measured) */
	for (i = 0, any = 0; i < r->nperiod; i++)
		any |= ratchets(r, (int)i);
	for (i = 0; i < cost->nline; i++)
		extra += cost->line[i].rate * (cost->line[i].billed_kw - cost->line[i].peak_kw);
	bess_kv_fig(k, "ratchet_cost", any ? extra : NAN);
}

void
bess_summary_energy(struct bess_kv *k, const double *import_kw, const double *export_kw,
    size_t n, double dt_h)
{
	double imp = 0, exp_ = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		imp += dt_h * import_kw[i];
		exp_ += dt_h * export_kw[i];
	}
	bess_kv_fig(k, "import_kwh", imp);
	bess_kv_fig(k, "export_kwh", exp_);
}

void
bess_summary_event(struct bess_kv *k, const struct bess_event_plan *p,
    const struct bess_event_result *r)
{
	const struct bess_event *ev = p->ev;
	char tb[BESS_TIME_BUFSZ];

	bess_kv_str(k, "id", ev->id);
	bess_kv_str(k, "kind", bess_event_kind_name(ev->kind));
	bess_kv_str(k, "start", bess_time_format(ev->start_us, tb));
	bess_kv_str(k, "end", bess_time_format(ev->end_us, tb));
	bess_kv_fig(k, "cap_kw", ev->kind == BESS_EVENT_CAP ? ev->cap_kw : NAN);
	bess_kv_fig(k, "reduce_kwh", ev->kind == BESS_EVENT_REDUCE ? ev->reduce_kwh : NAN);
	bess_kv_fig(k, "baseline_kwh", r->baseline_kwh);
	if (p->baseline_days > 0)
		bess_kv_int(k, "baseline_days", p->baseline_days);
	else
		bess_kv_add(k, "baseline_days", NULL, BESS_K_NULL);
	bess_kv_fig(k, "requested_kwh", r->requested_kwh);
	bess_kv_fig(k, "import_kwh", r->import_kwh);
	bess_kv_fig(k, "delivered_kwh", r->delivered_kwh);
	bess_kv_fig(k, "shortfall_kwh", r->shortfall_kwh);
	bess_kv_fig(k, "payment", r->payment);
	bess_kv_fig(k, "penalty", r->penalty);
	bess_kv_fig(k, "peak_kw", r->peak_kw);
}

void
bess_summary_events(struct bess_kv *k, const struct bess_event_plan *p,
    const struct bess_event_result *res, size_t n, const struct bess_cost *cost,
    const struct bess_cost *base, double other_cost)
{
	struct bess_kv_list l;
	size_t i;
	double pay = 0, pen = 0;

	if (n == 0)
		return;
	bess_kv_list_open(&l);
	for (i = 0; i < n; i++) {
		struct bess_kv d;

		pay += res[i].payment;
		pen += res[i].penalty;
		bess_kv_init(&d);
		bess_summary_event(&d, &p[i], &res[i]);
		bess_kv_list_push(&l, &d);
	}
	bess_kv_fig(k, "dr_payment", pay);
	bess_kv_fig(k, "dr_penalty", pen);
	bess_kv_fig(k, "net_cost", cost->total + other_cost - pay + pen);
	if (base)
		bess_kv_fig(k, "net_saving", base->total - (cost->total + other_cost - pay + pen));
	bess_kv_list_add(&l, k, "events");
}

void
bess_summary_net(struct bess_kv *k, const struct bess_cost *cost, const struct bess_cost *base, double other_cost)
{
	bess_kv_fig(k, "net_cost", cost->total + other_cost);
	if (base)
		bess_kv_fig(k, "net_saving", base->total - (cost->total + other_cost));
}

void
bess_summary_offer(struct bess_kv *k, const struct bess_offer *o)
{
	bess_summary_event(k, o->plan, &o->res);
	bess_kv_fig(k, "objective_change", o->change);
	bess_kv_fig(k, "earns", -o->change);
	bess_kv_bool(k, "accept", o->accept);
}

void
bess_summary_offers(struct bess_kv *k, const struct bess_offer *o, size_t n)
{
	struct bess_kv_list l;
	size_t i;

	if (n == 0)
		return;
	bess_kv_list_open(&l);
	for (i = 0; i < n; i++) {
		struct bess_kv d;

		bess_kv_init(&d);
		bess_summary_offer(&d, &o[i]);
		bess_kv_list_push(&l, &d);
	}
	bess_kv_list_add(&l, k, "offers");
}

/* What bess_event_records' records are built from (event_fill's ctx). */
struct event_ctx {
	const struct bess_event_plan *p;
	const struct bess_event_result *res;
	size_t n;			/* accepted events p[0..n), then the offers */
	const struct bess_offer *o;
};

/* Record i: accepted event i, or offer i - n (bess_kv_records). */
static int
event_fill(const void *ctx, size_t i, struct bess_kv *k)
{
	const struct event_ctx *c = ctx;

	bess_kv_str(k, "status", i < c->n ? "accepted" : "offered");
	if (i < c->n) {
		bess_summary_event(k, &c->p[i], &c->res[i]);
		bess_kv_add(k, "objective_change", NULL, BESS_K_NULL);
		bess_kv_add(k, "earns", NULL, BESS_K_NULL);
		bess_kv_add(k, "accept", NULL, BESS_K_NULL);
	} else {
		bess_summary_offer(k, &c->o[i - c->n]);
	}
	return 1;
}

int
bess_event_records(const struct bess_event_plan *p, const struct bess_event_result *res,
    size_t n, const struct bess_offer *o, size_t noff, enum bess_fmt fmt, char **buf, size_t *len)
{
	struct event_ctx c = { p, res, n, o };

	return bess_kv_records(fmt, n + noff, event_fill, &c, buf, len);
}
