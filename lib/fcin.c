/* fcin.c: the quantities bess-forecast forecasts from a stream's columns, and each record's values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_battery.h"
#include "bess_fcin.h"
#include "bess_forecast.h"

/* The output stem of a column: load_kw -> load, solar_kw -> solar, others as they are. */
static char *
stem(const char *col)
{
	if (strcmp(col, "load_kw") == 0)
		return strdup("load");
	if (strcmp(col, "solar_kw") == 0)
		return strdup("solar");
	return strdup(col);
}

static int
add_qty(struct bess_fcin *f, const char *col, struct bess_err *err)
{
	size_t k;

	for (k = 0; k < f->nq; k++)
		if (strcmp(f->col[k], col) == 0)
			return 0;
	if (f->nq == BESS_FCIN_MAX)
		return bess_err_set(err, NULL, 0, "more than %d columns", BESS_FCIN_MAX);
	k = f->nq++;
	f->col[k] = strdup(col);
	f->out[k] = stem(col);
	f->idx[k] = -1;
	if (f->col[k] == NULL || f->out[k] == NULL)
		return bess_err_set(err, NULL, 0, "out of memory");
	return 0;
}

void
bess_fcin_lookup(struct bess_fcin *f, const struct bess_schema *s)
{
	size_t k;

	if (s->n == f->schema_n)
		return;
	f->schema_n = s->n;
	for (k = 0; k < f->nq; k++)
		f->idx[k] = bess_schema_find(s, f->col[k]);
	f->im = f->meter ? bess_schema_find(s, f->meter) : -1;
	f->ib = bess_schema_find(s, "battery_kw");
	f->ich = bess_schema_find(s, "charge_kw");
	f->idis = bess_schema_find(s, "discharge_kw");
	f->iimp = bess_schema_find(s, "grid_import_kw");
	f->iexp = bess_schema_find(s, "grid_export_kw");
	f->isol = bess_schema_find(s, "solar_kw");
}

int
bess_fcin_decide(struct bess_fcin *f, const struct bess_schema *s, const char *name,
    char *note, size_t notelen, struct bess_err *err)
{
	static const char *const known[] = { "price", "export_price", "load_kw", "solar_kw" };
	size_t k;
	int has_load = bess_schema_find(s, "load_kw") >= 0;
	int has_bat = bess_schema_find(s, "battery_kw") >= 0 ||
	    (bess_schema_find(s, "charge_kw") >= 0 && bess_schema_find(s, "discharge_kw") >= 0);

	*note = '\0';
	if (f->meter) {
		if (bess_schema_find(s, f->meter) < 0)
			return bess_err_set(err, name, 0, "--meter: no column '%s'", f->meter);
		f->derive = 1;
	} else if (!has_load && bess_schema_find(s, "grid_import_kw") >= 0 &&
	    (f->ncols == 0 || bess_schema_find(s, "grid_import_kw") >= 0)) {
		f->derive = 2;
	}
	if (f->ncols > 0) {
		for (k = 0; k < f->ncols; k++) {
			if (bess_schema_find(s, f->cols[k]) < 0 &&
			    !(f->derive && strcmp(f->cols[k], "load_kw") == 0))
				return bess_err_set(err, name, 0, "no column '%s'", f->cols[k]);
			if (add_qty(f, f->cols[k], err) != 0)
				return -1;
		}
	} else {
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if ((bess_schema_find(s, known[k]) >= 0 || (k == 2 && f->derive)) &&
			    add_qty(f, known[k], err) != 0)
				return -1;
		if (f->nq == 0)
			return bess_err_set(err, name, 0, "no price, export_price, load_kw or solar_kw "
			    "column (name one with --column)");
	}
	/* hygiene: say what the load forecast is */
	for (k = 0; k < f->nq; k++) {
		if (strcmp(f->col[k], "load_kw") != 0)
			continue;
		if (f->derive == 1)
			snprintf(note, notelen, "forecasting load_kw = %s%s (the meter includes the "
			    "battery)", f->meter, bess_schema_find(s, "battery_kw") >= 0 ?
			    " - battery_kw" : has_bat ? " - charge_kw + discharge_kw" :
			    ": no battery columns, taken as it is");
		else if (f->derive == 2)
			snprintf(note, notelen, "no load_kw: forecasting load_kw = grid_import_kw%s%s%s",
			    bess_schema_find(s, "grid_export_kw") >= 0 ? " - grid_export_kw" : "",
			    bess_schema_find(s, "solar_kw") >= 0 ? " + solar_kw" : "",
			    bess_schema_find(s, "battery_kw") >= 0 ? " - battery_kw (without the battery)" :
			    has_bat ? " - charge_kw + discharge_kw (without the battery)" : "");
		else if (has_bat)
			snprintf(note, notelen, "load_kw is the site's load without the battery "
			    "(bess(7)); if it is a meter that includes the battery, give --meter load_kw");
	}
	f->schema_n = 0;
	bess_fcin_lookup(f, s);
	return 0;
}

/* A field as a number: NAN when missing; -1 with err when it is not a number. */
static int
num(const struct bess_rec *rec, int i, const struct bess_schema *s, const char *name, double *v,
    struct bess_err *err)
{
	int rc;

	*v = NAN;
	if (i < 0)
		return 0;
	rc = bess_rec_num(rec, i, v);
	if (rc < 0)
		return bess_err_set(err, name, rec->line, "column '%s': '%.40s' is not a number",
		    s->name[i], rec->v[i]);
	if (rc > 0)
		*v = NAN;
	return 0;
}

/* The battery's power of a record: battery_kw, or charge_kw - discharge_kw; 0 without battery columns. */
static int
battery(const struct bess_fcin *f, const struct bess_rec *rec, const struct bess_schema *s,
    const char *name, double *b, struct bess_err *err)
{
	double ch, dis;

	if (f->ib >= 0)
		return num(rec, f->ib, s, name, b, err);
	if (f->ich >= 0 && f->idis >= 0) {
		if (num(rec, f->ich, s, name, &ch, err) != 0 || num(rec, f->idis, s, name, &dis, err) != 0)
			return -1;
		*b = bess_battery_kw(ch, dis);
		return 0;
	}
	*b = 0;
	return 0;
}

int
bess_fcin_value(const struct bess_fcin *f, size_t k, const struct bess_rec *rec,
    const struct bess_schema *s, const char *name, double *v, struct bess_err *err)
{
	double m, b, x;

	if (!f->derive || strcmp(f->col[k], "load_kw") != 0)
		return num(rec, f->idx[k], s, name, v, err);
	if (battery(f, rec, s, name, &b, err) != 0)
		return -1;
	if (f->derive == 1) {
		if (num(rec, f->im, s, name, &m, err) != 0)
			return -1;
	} else {
		if (num(rec, f->iimp, s, name, &m, err) != 0)
			return -1;
		if (f->iexp >= 0) {
			if (num(rec, f->iexp, s, name, &x, err) != 0)
				return -1;
			m -= x;
		}
		if (f->isol >= 0) {
			if (num(rec, f->isol, s, name, &x, err) != 0)
				return -1;
			m += x;
		}
	}
	*v = bess_fc_load_without_battery(m, b);
	return 0;
}

void
bess_fcin_free(struct bess_fcin *f)
{
	size_t k;

	for (k = 0; k < f->nq; k++) {
		free(f->col[k]);
		free(f->out[k]);
	}
	f->nq = 0;
}
