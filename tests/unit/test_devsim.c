/* test_devsim.c: --simulate's device instructions read from per-device records, and the load they make (lib/devsim.c, by hand). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_devsim.h"
#include "bess_table.h"
#include "tap.h"

#define T0	1767571200LL	/* `date -u -d 2026-01-05T00:00:00Z +%s` */
#define US	1000000LL
#define H	(3600 * US)

static const char devices[] =
    "[pump]\nkind = sheddable\npower = 3kW\n"
    "[ev]\nkind = shiftable\npower = 0 2kW 4kW\nenergy = 4kWh\nwindow = 00:00-04:00\n"
    "[fridge]\nkind = essential\npower = 1kW\n";

static const char head[] = "ts,device,kind,command,power_kw,soc_kwh,soc_pct,cost\n";

/* Read the records text (after the header) against the four hourly steps from T0. */
static int
run(const struct bess_devices *dv, const char *recs, double *pw, unsigned char *on, size_t *nbat,
    char *msg, size_t len)
{
	char *text = malloc(strlen(head) + strlen(recs) + 1);
	FILE *fp;
	struct bess_reader *r;
	struct bess_table t;
	struct bess_err err;
	bess_time_t ts[4];
	int rc, k;

	for (k = 0; k < 4; k++)
		ts[k] = (T0 * US) + k * H;
	strcpy(text, head);
	strcat(text, recs);
	bess_err_clear(&err);
	fp = fmemopen(text, strlen(text), "r");
	bess_table_init(&t);
	r = bess_reader_open(fp, "c.csv", NULL, &err);
	rc = r ? bess_table_read(&t, r, &err) : -1;
	bess_reader_close(r);
	fclose(fp);
	if (rc == 0) {
		bess_err_clear(&err);
		rc = bess_devsim_read(dv, &t, ts, 4, H, 1, pw, on, nbat, &err);
	}
	if (snprintf(msg, len, "%.100s:%ld: %.180s", err.file, err.line, rc ? err.msg : "") < 0)
		msg[0] = '\0';
	bess_table_free(&t);
	free(text);
	return rc;
}

static int
same(const double *got, const double *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fabs(got[i] - want[i]) > 1e-12)
			return 0;
	return 1;
}

int
main(void)
{
	FILE *fp = fmemopen((void *)devices, strlen(devices), "r");
	struct bess_err err;
	struct bess_devices *dv = bess_devices_read(fp, "d", &err);
	double pw[12], load[4], five[4] = { 5, 5, 5, 5 };
	unsigned char on[12];
	size_t nbat = 0;
	char msg[300];

	fclose(fp);
	if (!ok(dv != NULL, "the devices parse"))
		return done();
	/*
	 * A battery record (counted, not read), the pump OFF at 01:00, the charger at 4 kW at
	 * 02:00, nothing for the fridge. Pump: on (3 kW) where no record says otherwise: 3 0 3 3.
	 * Charger: 0 where it has no record: 0 0 4 0. Fridge, no record at all: the no-action rule,
	 * on: 1 1 1 1. The load of 5 kW (pump and fridge in it, the charger not) becomes 5, 5 - 3,
	 * 5 + 4, 5 = 5 2 9 5.
	 */
	ok(run(dv, "2026-01-05T00:00:00Z,battery,battery,charge,3,,,\n"
	    "2026-01-05T01:00:00Z,pump,sheddable,OFF,0,,,\n"
	    "2026-01-05T02:00:00Z,ev,shiftable,ON,4,,,\n", pw, on, &nbat, msg, sizeof(msg)) == 0,
	    "read: %s", msg);
	is_int(nbat, 1, "one battery record");
	ok(same(pw, (double[]){ 3, 0, 3, 3 }, 4) && on[0] && !on[1] && on[2] && on[3], "pump: off at 01:00 only");
	ok(same(pw + 4, (double[]){ 0, 0, 4, 0 }, 4) && !on[4] && on[6], "charger: 4 kW at 02:00 only");
	ok(same(pw + 8, (double[]){ 1, 1, 1, 1 }, 4) && on[8] && on[11], "fridge: on");
	bess_devsim_load(dv, 4, pw, five, load);
	ok(same(load, (double[]){ 5, 2, 9, 5 }, 4), "the load as instructed: 5 2 9 5");
	/* the charger without records: the no-action rule, 4 kW from 00:00 until its 4 kWh are met */
	ok(run(dv, "2026-01-05T01:00:00Z,pump,sheddable,ON,3,,,\n", pw, on, &nbat, msg, sizeof(msg)) == 0 &&
	    same(pw + 4, (double[]){ 4, 0, 0, 0 }, 4) && nbat == 0, "charger without records: 4 0 0 0");
	/* errors, each at its record's line (the header is line 1) */
	run(dv, "2026-01-05T01:00:00Z,fan,sheddable,OFF,0,,,\n", pw, on, &nbat, msg, sizeof(msg));
	is_str(msg, "c.csv:2: device 'fan' is not in d", "an unknown device");
	run(dv, "2026-01-05T01:00:00Z,pump,shiftable,ON,3,,,\n", pw, on, &nbat, msg, sizeof(msg));
	is_str(msg, "c.csv:2: device 'pump' is sheddable in d, not 'shiftable'", "another kind");
	run(dv, "2026-01-05T01:00:00Z,ev,shiftable,ON,3,,,\n", pw, on, &nbat, msg, sizeof(msg));
	is_str(msg, "c.csv:2: device 'ev': 3 kW is not 0 or one of its levels", "not a level");
	run(dv, "2026-01-05T01:00:00Z,fridge,essential,OFF,0,,,\n", pw, on, &nbat, msg, sizeof(msg));
	is_str(msg, "c.csv:2: device 'fridge' is essential: it is never switched off", "an essential device off");
	run(dv, "2026-01-05T01:00:00Z,pump,sheddable,DIM,0,,,\n", pw, on, &nbat, msg, sizeof(msg));
	is_str(msg, "c.csv:2: column 'command': 'DIM' is not ON or OFF", "a command not ON or OFF");
	run(dv, "2026-01-05T01:30:00Z,pump,sheddable,OFF,0,,,\n", pw, on, &nbat, msg, sizeof(msg));
	is_str(msg, "c.csv:2: the time is not a step of the site's data", "off the grid");
	run(dv, "2026-01-05T01:00:00Z,pump,sheddable,OFF,0,,,\n2026-01-05T01:00:00Z,pump,sheddable,ON,3,,,\n",
	    pw, on, &nbat, msg, sizeof(msg));
	is_str(msg, "c.csv:3: device 'pump' has a second record for this step", "a second record");
	bess_devices_free(dv);
	return done();
}
