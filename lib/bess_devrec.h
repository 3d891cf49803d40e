/* bess_devrec.h: per-device records (one per device and step: batteries, loads), the one writer of --per-device. */
#ifndef BESS_DEVREC_H
#define BESS_DEVREC_H

#include <stdio.h>

#include "bess_rec.h"
#include "bess_time.h"

/*
 * One record, columns in this order (bess(7) PER-DEVICE RECORDS):
 *   ts,device,kind,command,power_kw,soc_kwh,soc_pct,cost
 */
struct bess_devrec {
	bess_time_t ts;			/* step start, UTC */
	const char *device;		/* device id */
	const char *kind;		/* "battery", "sheddable", "shiftable" or "essential" */
	const char *command;		/* "ON"/"OFF" for loads, "charge"/"discharge"/"idle" for batteries */
	double power_kw;		/* drawn from the site bus, kW (positive = consumption or charging) */
	double soc_kwh;			/* state of charge at the step's end, kWh (NAN = empty, loads) */
	double soc_pct;			/* the same in % of capacity (NAN = empty) */
	double cost;			/* the step's cost attributable to the device, currency (e.g. shedding) */
};

/* The column names, NULL-terminated. */
extern const char *const bess_devrec_cols[];

/* Write the CSV header (nothing for NDJSON). fmt: BESS_FMT_CSV or BESS_FMT_NDJSON. -1 on a write error. */
int bess_devrec_header(FILE *fp, enum bess_fmt fmt);

/* Write one record as a CSV row or an NDJSON line. -1 on a write error. */
int bess_devrec_write(FILE *fp, enum bess_fmt fmt, const struct bess_devrec *r);

#endif
