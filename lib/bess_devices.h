/* bess_devices.h: the site's controllable loads (a devices file, bess-devices(5)): sheddable, shiftable and essential devices. */
#ifndef BESS_DEVICES_H
#define BESS_DEVICES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bess_err.h"
#include "bess_tariff.h"
#include "bess_time.h"

enum bess_dev_kind {
	BESS_DEV_ESSENTIAL = 0,	/* never touched */
	BESS_DEV_SHEDDABLE,	/* runs as baseline (in load_kw); may be switched off */
	BESS_DEV_SHIFTABLE	/* needs energy between an earliest start and a deadline (not in load_kw) */
};

/* Most devices one file may hold. */
#define BESS_DEV_MAX 1000
/* Most power levels of a shiftable device. */
#define BESS_DEV_MAX_LEVELS 8

struct bess_device {
	char id[64];			/* section name: letters, digits, '_', '-', '.' */
	long line;			/* line of its [id] header */
	enum bess_dev_kind kind;
	double power_kw;		/* draw when on (sheddable, essential); the highest level (shiftable) */
	double level_kw[BESS_DEV_MAX_LEVELS];	/* shiftable: the power levels above 0, ascending, kW */
	int nlevel;
	double cost_kwh;		/* sheddable: currency per kWh not served */
	double cost_h;			/* sheddable: currency per hour off */
	double max_off_h;		/* sheddable: most hours off per local day (INFINITY = no limit) */
	struct bess_tou_rule *when;	/* sheddable: when it may be off (none = always) */
	size_t nwhen;
	double min_on_h, min_off_h;	/* sheddable: least hours on after switching on / off after switching off */
	double energy_kwh;		/* shiftable: kWh needed per task */
	struct bess_tou_rule window;	/* shiftable: task days (months, weekdays) and earliest start - deadline */
	int64_t *date;			/* shiftable: local dates (days since 1970-01-01) a task starts; none = every day */
	size_t ndate;
};

struct bess_devices {
	char tzname[128];		/* "timezone =", default "UTC" */
	struct bess_tz *tz;		/* loaded zone (owned) */
	struct bess_device *dev;	/* in file order */
	size_t ndev;
	char name[256];			/* the file, for messages */
};

/* Parse a devices file from fp, called name in messages (file:line). NULL with err on error. */
struct bess_devices *bess_devices_read(FILE *fp, const char *name, struct bess_err *err);
/* Open and parse path. */
struct bess_devices *bess_devices_load(const char *path, struct bess_err *err);

/*
 * A shiftable device whose energy is more than its highest level over its
 * window (its deadline cannot be met): the kWh each task is short, and the
 * reason for people into why (NULL: none); 0 for any other device. Such a
 * device is read, planned at what fits, and the rest reported (bess-devices(5)).
 */
double bess_device_unmet(const struct bess_device *d, char *why, size_t whylen);
void bess_devices_free(struct bess_devices *dv);

/* The index of device id, -1 if none. */
int bess_devices_find(const struct bess_devices *dv, const char *id);

/* "sheddable", "shiftable", "essential". */
const char *bess_dev_kind_name(enum bess_dev_kind k);

/*
 * Sheddable device d: may it be off in the step of dt_h hours starting at
 * ts (its local start inside one of its "when" windows)?
 */
int bess_device_may_shed(const struct bess_devices *dv, const struct bess_device *d, bess_time_t ts);

/*
 * Shiftable device d: the task the step of dt_h hours starting at ts belongs
 * to, as the local date (days since 1970-01-01) its window opens on, or
 * INT64_MIN if the step is in no task (it starts before the earliest start
 * or ends after the deadline, or its day is not a task day).
 */
int64_t bess_device_task(const struct bess_devices *dv, const struct bess_device *d, bess_time_t ts,
    double dt_h);

/* The local day (days since 1970-01-01) of instant ts in the devices' zone. */
int64_t bess_devices_day(const struct bess_devices *dv, bess_time_t ts);

#endif
