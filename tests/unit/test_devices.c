/* test_devices.c: devices files (the bess-devices(5) example), errors with their lines, shedding windows and shiftable tasks on the local clock (times by hand). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_civil.h"
#include "bess_devices.h"
#include "tap.h"

/* a zone name of 128 bytes: one more than the devices file's 128-byte field holds with its NUL */
#define TZ128 "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static struct bess_devices *
parse(const char *text, struct bess_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct bess_devices *dv = bess_devices_read(fp, "d", err);

	fclose(fp);
	return dv;
}

/* An instant: y-m-d hh:00 UTC. */
static bess_time_t
at(int y, int m, int d, int h)
{
	return (bess_days_from_civil(y, m, d) * 86400 + h * 3600) * BESS_US_PER_S;
}

static const char example[] =
    "timezone = Europe/Berlin\n"
    "\n"
    "[cold-store]\n"
    "kind = sheddable\n"
    "power = 5kW\n"
    "cost = 0.10/kWh\n"
    "max_off = 2h\n"
    "when = 16:00-21:00\n"
    "min_off = 30m\n"
    "min_on = 1h\n"
    "\n"
    "[ev]\n"
    "kind = shiftable\n"
    "power = 0 11kW 3.7kW 7.4kW\n"
    "energy = 30kWh\n"
    "window = 18:00-07:00\n"
    "\n"
    "[server-room]\n"
    "kind = essential\n"
    "power = 2kW\n";

static void
error_is(const char *text, const char *want, const char *what)
{
	struct bess_err err;
	struct bess_devices *dv = parse(text, &err);
	char got[1200];

	snprintf(got, sizeof(got), "%s:%ld: %s", err.file, err.line, err.msg);
	ok(dv == NULL, "%s: refused", what);
	is_str(dv ? "" : got, want, "%s: message", what);
	bess_devices_free(dv);
}

int
main(void)
{
	struct bess_err err;
	struct bess_devices *dv = parse(example, &err);
	const struct bess_device *cs, *ev;
	int64_t jan5 = bess_days_from_civil(2026, 1, 5);

	if (!ok(dv != NULL, "the bess-devices(5) example parses"))
		diag("%s:%ld: %s", err.file, err.line, err.msg);
	if (dv == NULL)
		return done();
	is_int((int)dv->ndev, 3, "three devices");
	cs = &dv->dev[0];
	ev = &dv->dev[1];
	ok(cs->kind == BESS_DEV_SHEDDABLE && cs->power_kw == 5 && cs->cost_kwh == 0.10 &&
	    cs->max_off_h == 2 && cs->min_off_h == 0.5 && cs->min_on_h == 1, "cold-store's keys");
	ok(ev->kind == BESS_DEV_SHIFTABLE && ev->nlevel == 3 && ev->level_kw[0] == 3.7 &&
	    ev->level_kw[1] == 7.4 && ev->level_kw[2] == 11 && ev->power_kw == 11 && ev->energy_kwh == 30,
	    "ev's levels sorted, 0 dropped, the highest is its power");
	is_int(bess_devices_find(dv, "server-room"), 2, "find by id");
	/* Berlin is UTC+1 in January: 16:00-21:00 local is 15:00-20:00 UTC */
	ok(!bess_device_may_shed(dv, cs, at(2026, 1, 5, 14)), "14:00Z = 15:00 local: not sheddable");
	ok(bess_device_may_shed(dv, cs, at(2026, 1, 5, 15)), "15:00Z = 16:00 local: sheddable");
	ok(!bess_device_may_shed(dv, cs, at(2026, 1, 5, 20)), "20:00Z = 21:00 local: not sheddable");
	/* the task opened at 18:00 local on the 5th runs to 07:00 local on the 6th */
	ok(bess_device_task(dv, ev, at(2026, 1, 5, 16), 1) == INT64_MIN, "17:00 local: before the start");
	ok(bess_device_task(dv, ev, at(2026, 1, 5, 17), 1) == jan5, "18:00 local: the 5th's task");
	ok(bess_device_task(dv, ev, at(2026, 1, 5, 23), 1) == jan5, "00:00 local on the 6th: still the 5th's");
	ok(bess_device_task(dv, ev, at(2026, 1, 6, 5), 1) == jan5, "06:00-07:00 local: the last step");
	ok(bess_device_task(dv, ev, at(2026, 1, 6, 6), 1) == INT64_MIN, "07:00 local: past the deadline");
	ok(bess_device_task(dv, ev, at(2026, 1, 6, 5), 2) == INT64_MIN, "a 2-hour step ending 08:00: not in it");
	/* summer: UTC+2, 18:00 local is 16:00Z */
	ok(bess_device_task(dv, ev, at(2026, 7, 1, 16), 1) == bess_days_from_civil(2026, 7, 1),
	    "July: 16:00Z = 18:00 CEST opens the task");
	bess_devices_free(dv);

	error_is("[a]\nkind = sheddable\npower = 1kW\n[a]\nkind = essential\npower = 1kW\n",
	    "d:4: device 'a' is defined twice", "a device twice");
	error_is("[a]\npower = 1kW\n[b]\n", "d:1: device 'a' has no 'kind' (sheddable, shiftable or essential)",
	    "no kind: the device's header line");
	/* a deadline that cannot be met is read, and reported: 30 kWh at 7 kW over 4 h is 28, 2 short */
	dv = parse("[ev]\nkind = shiftable\npower = 7kW\nenergy = 30kWh\nwindow = 01:00-05:00\n"
	    "[pump]\nkind = sheddable\npower = 1kW\n", &err);
	if (ok(dv != NULL, "a deadline that cannot be met: read")) {
		char why[400];

		ok(fabs(bess_device_unmet(&dv->dev[0], why, sizeof(why)) - 2) < 1e-12, "each task is 2 kWh short");
		is_str(why, "device 'ev' cannot meet its deadline: 30 kWh needs more than 7 kW for the "
		    "window's 4 h (28 kWh at most): each task runs at full power and is 2 kWh short "
		    "(shift_short_kwh)", "the reason");
		ok(bess_device_unmet(&dv->dev[1], NULL, 0) == 0, "a sheddable device: none");
	}
	bess_devices_free(dv);
	/* exactly its window's energy (7 kW x 4 h = 28 kWh) can be met */
	dv = parse("[ev]\nkind = shiftable\npower = 7kW\nenergy = 28kWh\nwindow = 01:00-05:00\n", &err);
	ok(dv != NULL && bess_device_unmet(&dv->dev[0], NULL, 0) == 0, "28 kWh in 4 h at 7 kW: met");
	bess_devices_free(dv);
	error_is("[e]\nkind = essential\npower = 1kW\nmax_off = 1h\n",
	    "d:1: device 'e': cost, cost_per_hour, max_off, when, min_on and min_off are for sheddable "
	    "devices", "a sheddable key on an essential device");
	/* the one section header parser (bess_line_section), as for a tariff: the form, then the id */
	error_is("[a\n", "d:1: '[a' is not a [device] header", "a header without ']'");
	error_is("[bad id\n", "d:1: '[bad id' is not a [device] header", "the form before the id");
	error_is("[ ]\n", "d:1: a device id is 1 to 63 letters, digits, '_', '-' or '.', not ''",
	    "an empty id");
	error_is("[bad id]\n", "d:1: a device id is 1 to 63 letters, digits, '_', '-' or '.', not 'bad id'",
	    "an id with a space");
	/* the one key = value splitter and timezone key (bess_line_kv, bess_line_timezone), as for a tariff */
	error_is("[a]\nkind sheddable\n", "d:2: 'kind sheddable' is not 'key = value'", "a line without '='");
	error_is("timezone = " TZ128 "\n[a]\nkind = sheddable\npower = 1kW\n", "d:1: timezone name too long",
	    "a zone name of 128 bytes (the field holds 127)");
	{
		/* a read error ends the file with the system's reason (one home with the tariff: bess_line_next) */
		struct bess_err e;
		char buf[600];
		struct bess_devices *d = bess_devices_load("/no/such/devices", &e);

		is_str(d ? "" : bess_err_str(&e, buf, sizeof(buf)), "/no/such/devices: No such file or directory",
		    "a missing file: the system's reason, as for any input (bess_line_open; it said 'cannot open: ')");
		bess_devices_free(d);
		d = bess_devices_load("/", &e);
		ok(d == NULL, "a folder is not a devices file");
		is_str(d ? "" : bess_err_str(&e, buf, sizeof(buf)), "/: Is a directory", "... read(2) says why (EISDIR)");
		bess_devices_free(d);
	}
	error_is("timezone = UTC\n", "d:1: no devices (a [device] section with a kind and power)", "no devices");
	error_is("[p]\nkind = sheddable\npower = 1kW\nwhen = 25:00-26:00\n",
	    "d:4: when: '25:00-26:00' is not a month list (jun-aug), a day list (mon-fri, weekend) or a "
	    "clock window (08:00-11:00)", "a bad window");
	return done();
}
