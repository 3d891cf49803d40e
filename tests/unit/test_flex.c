/* test_flex.c: the sheddable devices' part of --flexibility — "when" windows over the whole hold, max_off left today, min_on and min_off, devices not sheddable — against counts worked out by hand in the comments. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bess_flex.h"
#include "tap.h"

static const char file[] =
    "timezone = UTC\n"
    "[chiller]\nkind = sheddable\npower = 5kW\nwhen = 16:00-20:00\nmax_off = 2h\n"
    "[pump]\nkind = sheddable\npower = 3kW\nmax_off = 45m\nmin_on = 1h\n"
    "[lights]\nkind = essential\npower = 2kW\n";

/* 2025-01-06T19:30:00Z */
static const bess_time_t T = (1736121600LL + 19 * 3600 + 1800) * 1000000LL;

int
main(void)
{
	struct bess_err err;
	FILE *fp = fmemopen((void *)file, strlen(file), "r");
	struct bess_devices *dv = bess_devices_read(fp, "d", &err);
	struct bess_devstate st[3];
	double up, dn;
	int nu, nd;

	fclose(fp);
	if (!ok(dv != NULL, "the devices file")) {
		diag("%s", err.msg);
		return done();
	}
	/* states unknown: every device on, long enough, nothing off today */
	bess_flex_devices(dv, NULL, T, 0.25, &up, &dn, &nu, &nd);
	ok(up == 8 && nu == 2 && dn == 0 && nd == 0,
	    "15 min from 19:30: the chiller (16-20 h) and the pump (45 min a day): 5 + 3 kW up (%g, %d)", up, nu);
	bess_flex_devices(dv, NULL, T, 0.5, &up, &dn, &nu, &nd);
	ok(up == 8 && nu == 2, "30 min: to 20:00, both still (%g)", up);
	bess_flex_devices(dv, NULL, T, 1, &up, &dn, &nu, &nd);
	ok(up == 0 && nu == 0, "60 min: the chiller's window ends at 20:00, the pump has 45 min: none (%g)", up);
	bess_flex_devices(dv, NULL, T - 3600LL * 1000000, 1, &up, &dn, &nu, &nd);
	ok(up == 5 && nu == 1, "60 min from 18:30: the chiller only (%g)", up);
	/* states: the chiller off (its min_off done), the pump on but still holding its min_on */
	memset(st, 0, sizeof(st));
	st[0].off = 1;
	st[0].off_h = 1;
	st[0].off_day = bess_devices_day(dv, T);
	st[1].hold_h = 0.5;
	bess_flex_devices(dv, st, T, 0.25, &up, &dn, &nu, &nd);
	ok(up == 0 && nu == 0 && dn == 5 && nd == 1,
	    "the chiller shed can come back on (5 kW down), the pump holds its min_on: nothing up (%g, %g)", up, dn);
	st[0].hold_h = 0.25;
	bess_flex_devices(dv, st, T, 0.25, &up, &dn, &nu, &nd);
	ok(dn == 0 && nd == 0, "nor the chiller while it holds a min_off (%g)", dn);
	/* the pump free, off 30 min earlier today: 45 - 30 = 15 min left */
	st[1].hold_h = 0;
	st[1].off_h = 0.5;
	st[1].off_day = bess_devices_day(dv, T);
	bess_flex_devices(dv, st, T, 0.25, &up, &dn, &nu, &nd);
	ok(up == 3 && nu == 1, "the pump for 15 min: 15 min left today (%g)", up);
	bess_flex_devices(dv, st, T, 0.5, &up, &dn, &nu, &nd);
	ok(up == 0 && nu == 0, "not for 30 min (%g)", up);
	st[1].off_day = bess_devices_day(dv, T) - 1;
	bess_flex_devices(dv, st, T, 0.5, &up, &dn, &nu, &nd);
	ok(up == 3 && nu == 1, "hours off yesterday do not count today (%g)", up);
	bess_devices_free(dv);
	return done();
}
