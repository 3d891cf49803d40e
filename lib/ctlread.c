/* ctlread.c: the live controller's input — a record of measurements and forecasts read as an event for it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "ctl_int.h"

static const char *const ev_names[BESS_CTL_NQ] = {
	"price", "export_price", "load_kw", "solar_kw", "import_limit_kw", "export_limit_kw"
};

int
bess_ctl_reads(const char *name)
{
	int q;

	for (q = 0; q < BESS_CTL_NQ; q++)
		if (strcmp(name, ev_names[q]) == 0)
			return 1;
	return strcmp(name, "ts") == 0 || strcmp(name, "soc_kwh") == 0 ||
	    strcmp(name, "soc_pct") == 0 || strcmp(name, "grid_import_kw") == 0 ||
	    strcmp(name, "grid_export_kw") == 0 || strcmp(name, "device") == 0 ||
	    strcmp(name, "state") == 0 || strcmp(name, "power_kw") == 0;
}

/* A device's reported state from its record (state at column si, power_kw at pi; -1 = absent). */
static int
dev_report(const struct bess_rec *r, const char *file, const char *id, int si, int pi, struct bess_ctl_event *ev,
    struct bess_err *err)
{
	int rc;

	if (si >= 0 && bess_ctldev_word(r->v[si], r->len[si], &ev->dev_on) != 0)
		return bess_err_set(err, file, r->line, "column 'state': '%.*s' is not ON or OFF (device '%s')",
		    (int)(r->len[si] > 64 ? 64 : r->len[si]), r->v[si], id);
	if (pi >= 0 && (rc = bess_rec_num(r, pi, &ev->dev_kw)) != 0) {
		if (rc < 0)
			return bess_err_set(err, file, r->line, "column 'power_kw': '%.*s' is not a number "
			    "(device '%s')", (int)(r->len[pi] > 64 ? 64 : r->len[pi]), r->v[pi], id);
		ev->dev_kw = NAN;	/* empty */
	}
	if (pi >= 0 && !(ev->dev_kw >= 0) && !isnan(ev->dev_kw))
		return bess_err_set(err, file, r->line, "column 'power_kw': %g kW is negative (device '%s')",
		    ev->dev_kw, id);
	if (si < 0 && (pi < 0 || isnan(ev->dev_kw)))
		return bess_err_set(err, file, r->line, "device '%s': a record without 'state' or 'power_kw'", id);
	if (si < 0)
		ev->dev_on = ev->dev_kw > 0;
	if (!isnan(ev->soc_kwh))
		return bess_err_set(err, file, r->line, "device '%s' is a controllable load: a soc reading names "
		    "a battery", id);
	return 0;
}

/*
 * An event from a record; f NULL: one battery of capacity_kwh, the device
 * column ignored; otherwise the device column names one of f's batteries.
 */
static int
parse(const struct bess_schema *s, const struct bess_rec *r, const char *file, const struct bess_fleet *f,
    const struct bess_devices *dv, double capacity_kwh, struct bess_ctl_event *ev, struct bess_err *err)
{
	size_t i;
	int q, have_ts = 0, values = 0, si = -1, pi = -1;
	double pct = NAN;

	memset(ev, 0, sizeof(*ev));
	ev->device = ev->dev = -1;
	ev->dev_kw = NAN;
	ev->soc_kwh = ev->grid_import_kw = ev->grid_export_kw = NAN;
	for (q = 0; q < BESS_CTL_NQ; q++)
		ev->v[q] = NAN;
	for (i = 0; i < s->n && i < r->n; i++) {
		const char *name = s->name[i];
		double x;
		int rc;

		if (r->kind[i] == BESS_K_NULL || r->len[i] == 0)
			continue;
		if (strcmp(name, "ts") == 0) {
			char why[200];

			if (bess_time_parse(r->v[i], r->len[i], NULL, &ev->ts, why, sizeof(why)) != BESS_TP_OK)
				return bess_err_set(err, file, r->line, "column 'ts': %s", why);
			have_ts = 1;
			continue;
		}
		if (strcmp(name, "device") == 0) {
			size_t d;

			if (f == NULL)
				continue;	/* one battery given the old way: a tag like any other */
			for (d = 0; d < f->n && (strlen(f->id[d]) != r->len[i] ||
			    memcmp(f->id[d], r->v[i], r->len[i]) != 0); d++)
				;
			if (d < f->n) {
				ev->device = (int)d;
				continue;
			}
			if (dv) {	/* the one rule: a battery's id, a device's id, or an error */
				char id[sizeof(dv->dev[0].id)];

				if (r->len[i] < sizeof(id)) {
					memcpy(id, r->v[i], r->len[i]);
					id[r->len[i]] = '\0';
					if ((ev->dev = bess_devices_find(dv, id)) >= 0)
						continue;
				}
				return bess_err_set(err, file, r->line, "column 'device': '%.*s' is neither a "
				    "battery (%s) nor a device of %s", (int)(r->len[i] > 64 ? 64 : r->len[i]),
				    r->v[i], f->given ? "--battery" : "'battery', the one given the old way",
				    dv->name);
			}
			return bess_err_set(err, file, r->line, "column 'device': '%.*s' is not a "
			    "battery (--battery)", (int)(r->len[i] > 64 ? 64 : r->len[i]), r->v[i]);
		}
		if (strcmp(name, "state") == 0 || strcmp(name, "power_kw") == 0) {
			*(name[0] == 's' ? &si : &pi) = (int)i;	/* a device's, once the device is known */
			continue;
		}
		if (!bess_ctl_reads(name))
			continue;	/* not ours: topic, a BMS's cell voltages, ... */
		for (q = 0; q < BESS_CTL_NQ && strcmp(name, ev_names[q]) != 0; q++)
			;
		if ((rc = bess_rec_num(r, (int)i, &x)) < 0)
			return bess_err_set(err, file, r->line, "column '%s': '%s' is not a number", name, r->v[i]);
		if (rc > 0)
			continue;
		values++;
		if (q < BESS_CTL_NQ)
			ev->v[q] = x;
		else if (strcmp(name, "soc_kwh") == 0)
			ev->soc_kwh = x;
		else if (strcmp(name, "soc_pct") == 0)
			pct = x;
		else if (strcmp(name, "grid_export_kw") == 0)
			ev->grid_export_kw = x;
		else
			ev->grid_import_kw = x;
	}
	if (!have_ts)
		return bess_err_set(err, file, r->line, "a record without 'ts'");
	if (f && f->n > 1 && ev->device < 0 && (!isnan(ev->soc_kwh) || !isnan(pct)))
		return bess_err_set(err, file, r->line, "a soc reading without 'device' (%zu batteries: "
		    "say which)", f->n);
	if (f && ev->device >= 0)
		capacity_kwh = f->bat[ev->device].capacity_kwh;
	if (isnan(ev->soc_kwh) && !isnan(pct))
		ev->soc_kwh = bess_soc_kwh(capacity_kwh, pct);
	if (ev->dev >= 0 && dev_report(r, file, dv->dev[ev->dev].id, si, pi, ev, err) != 0)
		return -1;
	ev->clock = !isnan(ev->soc_kwh) || values == 0;
	return 0;
}

int
bess_ctl_parse_for(const struct bess_ctl *c, const struct bess_schema *s, const struct bess_rec *r,
    const char *file, struct bess_ctl_event *ev, struct bess_err *err)
{
	return parse(s, r, file, c->f.given || c->dev ? &c->f : NULL, c->dev ? c->dev->dv : NULL,
	    c->f.bat[0].capacity_kwh, ev, err);
}

int
bess_ctl_read_all(const struct bess_ctl *c, struct bess_reader *r, const char *name,
    struct bess_ctl_events *e, struct bess_err *err)
{
	struct bess_rec rec;	/* points into the reader: nothing to free */
	int got;

	bess_rec_init(&rec);
	while ((got = bess_reader_next(r, &rec, err)) > 0) {
		struct bess_ctl_event ev, *ne;

		if (bess_ctl_parse_for(c, bess_reader_schema(r), &rec, name, &ev, err) != 0)
			return -1;
		if ((ne = bess_grow(e->ev, &e->cap, e->n + 1, 64, sizeof(*ne))) == NULL)
			return bess_err_set(err, NULL, 0, "out of memory");
		e->ev = ne;
		e->ev[e->n++] = ev;
		if (ev.clock && (!e->have_latest || ev.ts > e->latest)) {
			e->latest = ev.ts;
			e->have_latest = 1;
		}
	}
	return got < 0 ? -1 : 0;
}
