/* bess_fcin.h: what bess-forecast forecasts from a record stream — the quantities its columns give, and each record's values (the site's load derived from a meter or the grid flows, without the battery). */
#ifndef BESS_FCIN_H
#define BESS_FCIN_H

#include <stddef.h>

#include "bess_err.h"
#include "bess_rec.h"

#define BESS_FCIN_MAX	16	/* columns forecast at once */

struct bess_fcin {
	/* set by the caller */
	const char *meter;		/* --meter: a column that includes the battery, or NULL */
	char *const *cols;		/* --column: the columns to forecast (NULL, 0: the known ones) */
	size_t ncols;
	/* filled by bess_fcin_decide */
	size_t nq;			/* quantities forecast */
	char *col[BESS_FCIN_MAX];	/* each one's column ("load_kw", also when derived) */
	char *out[BESS_FCIN_MAX];	/* ... and output stem ("load") */
	int idx[BESS_FCIN_MAX];		/* ... its column in the schema, -1 = none */
	int derive;			/* load_kw = 1: the meter, 2: the grid flows; minus the battery */
	int im, ib, ich, idis, iimp, iexp, isol;	/* columns of the derivation, -1 = none */
	size_t schema_n;		/* schema size the indices were looked up for */
};

/*
 * Choose the quantities from the first record's schema s (of input name):
 * the --column list, else price, export_price, load_kw and solar_kw where
 * present, load_kw derived from --meter or from grid_import_kw when there
 * is no load_kw. note receives what the load forecast is, for a warning
 * ("" if nothing to say). 0, or -1 with err.
 */
int bess_fcin_decide(struct bess_fcin *f, const struct bess_schema *s, const char *name,
    char *note, size_t notelen, struct bess_err *err);

/* Look the columns up again if s has grown (NDJSON keys seen later). */
void bess_fcin_lookup(struct bess_fcin *f, const struct bess_schema *s);

/*
 * The value of quantity k in rec (schema s, input name): NAN when missing,
 * the derived load as bess_fc_load_without_battery. 0, or -1 with err
 * (a field that is not a number, naming file:line).
 */
int bess_fcin_value(const struct bess_fcin *f, size_t k, const struct bess_rec *rec,
    const struct bess_schema *s, const char *name, double *v, struct bess_err *err);

void bess_fcin_free(struct bess_fcin *f);

#endif
