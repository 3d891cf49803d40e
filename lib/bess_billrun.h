/* bess_billrun.h: bess-bill's run — a meter's flows read from a table, two meters checked for the same times, and the bill written as CSV lines or as text to read, with the saving against a second meter. */
#ifndef BESS_BILLRUN_H
#define BESS_BILLRUN_H

#include <stdio.h>

#include "bess_bill.h"
#include "bess_err.h"
#include "bess_table.h"
#include "bess_tariff.h"

/*
 * One meter's import and export per step (kW, n + 1 each, malloc'd into
 * *imp and *exp_) from the first column set t has: grid_import_kw and
 * grid_export_kw, import_kw and export_kw, or load_kw and solar_kw (want:
 * only the set starting with that column). 0, or -1 with err (no meter
 * column, a bad number or flow at file:line, out of memory).
 */
int bess_bill_meter(const struct bess_table *t, const char *want, double **imp, double **exp_,
    struct bess_err *err);
/* Do a and b hold the same times? 0, or -1 with err naming the first that differs. */
int bess_bill_same_times(const struct bess_table *a, const struct bess_table *b, struct bess_err *err);
/*
 * The bill rows (n) to fp: CSV (bill, item, period, quantity, unit, rate,
 * peak_kw, ratchet_kw, amount; with after, the second meter's quantity,
 * peak and amount, and the saving: amount - after amount), or text to
 * read, amounts to the cent.
 */
void bess_bill_write(FILE *fp, int text, const struct bess_rates *r, const struct bess_bill_row *row,
    const struct bess_bill_row *after, size_t n);

#endif
