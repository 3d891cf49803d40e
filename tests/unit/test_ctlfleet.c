/* test_ctlfleet.c: the live controller with several batteries — each battery's command, a stale battery's own safe command, the device column of its input and the per-battery state file — against hand derivations (each in the comment above its case). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_battery.h"
#include "bess_ctl.h"
#include "bess_state.h"
#include "bess_time.h"
#include "fixture.h"
#include "tap.h"

/* A lossless battery of cap kWh and kw kW, SOC 0 .. cap. */
static void
battery(struct bess_battery *b, double cap, double kw)
{
	struct bess_err err;

	bess_battery_init(b);
	b->capacity_kwh = cap;
	b->charge_kw = b->discharge_kw = kw;
	b->have_charge_kw = b->have_discharge_kw = 1;
	b->eta_charge = b->eta_discharge = 1;
	b->soc_min_pct = b->soc_max_pct = NAN;
	b->soc_min_kwh = 0;
	b->soc_max_kwh = cap;
	if (bess_battery_check(b, &err) != 0)
		diag("battery: %s", err.msg);
}

/* Batteries a and b, each 10 kWh and 5 kW. */
static void
fleet2(struct bess_fleet *f)
{
	memset(f, 0, sizeof(*f));
	f->n = 2;
	f->given = 1;
	battery(&f->bat[0], 10, 5);
	battery(&f->bat[1], 10, 5);
	snprintf(f->id[0], sizeof(f->id[0]), "a");
	snprintf(f->id[1], sizeof(f->id[1]), "b");
	f->capacity_kwh = 20;
}

static void
opts(struct bess_ctl_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->step_us = 3600LL * 1000000;
	o->horizon = 2;
	o->stale_us = 3600LL * 1000000;
	o->milp = BESS_MILP_OFF;
	o->setpoint = BESS_SETPOINT_BATTERY;
}

static void
price(struct bess_ctl *c, const char *ts, double p, bess_time_t now)
{
	struct bess_ctl_event ev;
	struct bess_err err;
	int q;

	memset(&ev, 0, sizeof(ev));
	ev.ts = at(ts);
	ev.device = -1;
	ev.soc_kwh = ev.grid_import_kw = NAN;
	for (q = 0; q < BESS_CTL_NQ; q++)
		ev.v[q] = NAN;
	ev.v[BESS_CTL_PRICE] = p;
	bess_ctl_apply(c, &ev, now, &err);
}

static void
soc(struct bess_ctl *c, int device, const char *ts, double kwh, bess_time_t now)
{
	struct bess_ctl_event ev;
	struct bess_err err;
	int q;

	memset(&ev, 0, sizeof(ev));
	ev.ts = at(ts);
	ev.device = device;
	ev.soc_kwh = kwh;
	ev.grid_import_kw = NAN;
	for (q = 0; q < BESS_CTL_NQ; q++)
		ev.v[q] = NAN;
	ev.clock = 1;
	bess_ctl_apply(c, &ev, now, &err);
}

/*
 * Prices 0.10 from 00:00 and 0.30 from 01:00 (hourly, so the window holds
 * two hours), no load, export paid at the import price, every battery
 * empty and lossless. The only gain is to buy at 0.10 and sell at 0.30,
 * 0.20 a kWh, and each battery can take at most its power times one hour
 * in the first hour: a 5 kW battery charges 5 kW (5 kWh), a 10 kW one
 * 10 kW. So two 5 kW / 10 kWh batteries each get half of the command of
 * one 10 kW / 20 kWh battery, and each plans a SOC of 5 kWh.
 */
static void
halves(void)
{
	struct bess_fleet f;
	struct bess_battery one;
	struct bess_site s;
	struct bess_ctl_opts o;
	struct bess_ctl_cmd cmd[2], c1;
	struct bess_ctl *c;
	struct bess_err err;
	bess_time_t now = at("2026-01-01T00:00:00Z");

	bess_site_init(&s);
	opts(&o);
	battery(&one, 20, 10);
	c = bess_ctl_new(&one, &s, NULL, &o, &err);
	price(c, "2026-01-01T00:00:00Z", 0.10, now);
	price(c, "2026-01-01T01:00:00Z", 0.30, now);
	soc(c, -1, "2026-01-01T00:00:00Z", 0, now);
	ok(bess_ctl_batteries(c) == 1, "one battery given the old way: one command");
	ok(bess_ctl_command(c, now, &c1, &err) == 0 && !c1.safe, "one battery: a plan");
	near(c1.charge_kw, 10, 1e-9, "one 10 kW battery charges at its power");
	ok(c1.device[0] == '\0', "one battery given the old way: no device");
	bess_ctl_free(c);

	fleet2(&f);
	c = bess_ctl_new_fleet(&f, &s, NULL, &o, &err);
	price(c, "2026-01-01T00:00:00Z", 0.10, now);
	price(c, "2026-01-01T01:00:00Z", 0.30, now);
	soc(c, 0, "2026-01-01T00:00:00Z", 0, now);
	soc(c, 1, "2026-01-01T00:00:00Z", 0, now);
	ok(bess_ctl_batteries(c) == 2, "two batteries: two commands");
	ok(bess_ctl_command(c, now, cmd, &err) == 0 && !cmd[0].safe && !cmd[1].safe, "two batteries: one plan");
	near(cmd[0].charge_kw, c1.charge_kw / 2, 1e-9, "battery a: half the one-battery command");
	near(cmd[1].charge_kw, c1.charge_kw / 2, 1e-9, "battery b: half the one-battery command");
	near(cmd[0].plan_soc_kwh, 5, 1e-9, "battery a plans 5 kWh");
	is_str(cmd[0].device, "a", "the first command is battery a's");
	is_str(cmd[1].device, "b", "the second command is battery b's");
	near(cmd[0].grid_target_kw, 10, 1e-9, "the site's grid target is the sum, 10 kW");
	bess_ctl_free(c);
	bess_site_free(&s);
}

/*
 * Battery a's last SOC is from 22:00 the day before (2 h old, the stale
 * limit is 1 h), b's from 00:00. a gets the safe command (idle: its SOC
 * is not known, so --safe cannot steer it) with the reason; b alone faces
 * the prices of halves() and charges at its power, 5 kW. When a reports
 * again (SOC 3 kWh at 00:30), the plan is made again with both: a has
 * 7 kWh of room but one hour at 5 kW lets in 5 kWh, so it charges 5 kW
 * and plans 3 + 5 = 8 kWh.
 */
static void
stale(void)
{
	struct bess_fleet f;
	struct bess_site s;
	struct bess_ctl_opts o;
	struct bess_ctl_cmd cmd[2];
	struct bess_ctl *c;
	struct bess_err err;
	struct bess_state st;
	bess_time_t now = at("2026-01-01T00:00:00Z");

	bess_site_init(&s);
	opts(&o);
	fleet2(&f);
	c = bess_ctl_new_fleet(&f, &s, NULL, &o, &err);
	price(c, "2026-01-01T00:00:00Z", 0.10, now);
	price(c, "2026-01-01T01:00:00Z", 0.30, now);
	soc(c, 0, "2025-12-31T22:00:00Z", 4, now);
	soc(c, 1, "2026-01-01T00:00:00Z", 0, now);
	ok(bess_ctl_command(c, now, cmd, &err) == 0, "a command each");
	ok(cmd[0].safe && cmd[0].charge_kw == 0 && cmd[0].discharge_kw == 0, "stale battery a: safe and idle");
	ok(strncmp(cmd[0].reason, "the soc is stale", 16) == 0, "a's reason: %s", cmd[0].reason);
	ok(!cmd[1].safe, "battery b: planned");
	near(cmd[1].charge_kw, 5, 1e-9, "battery b charges at its power");
	near(cmd[1].grid_target_kw, 5, 1e-9, "the plan's grid target holds b alone");
	bess_state_init(&st);
	bess_ctl_save(c, cmd, &st);
	ok(st.nbat == 2 && strcmp(st.bat[0].status, "safe") == 0 && strcmp(st.bat[1].status, "optimal") == 0,
	    "the state keeps each battery's status");
	is_str(st.status, "safe", "the site's status: safe, as one battery is");
	near(st.command_kw, 5, 1e-9, "the site's command: the sum");
	near(st.bat[0].soc_kwh, 4, 1e-9, "a's last SOC is kept");
	soc(c, 0, "2026-01-01T00:30:00Z", 3, at("2026-01-01T00:30:00Z"));
	ok(bess_ctl_command(c, at("2026-01-01T00:30:00Z"), cmd, &err) == 0 && !cmd[0].safe && !cmd[1].safe,
	    "a fresh again: both planned");
	near(cmd[0].charge_kw, 5, 1e-9, "battery a charges at its power");
	near(cmd[0].plan_soc_kwh, 8, 1e-9, "battery a plans 3 + 5 kWh");
	bess_ctl_free(c);
	bess_site_free(&s);
}

/* The device column: each SOC record names its battery; an unknown one is refused at its line. */
static void
device_column(void)
{
	static const char text[] =
	    "{\"ts\":\"2026-01-01T00:00:00Z\",\"device\":\"b\",\"soc_pct\":50}\n"
	    "{\"ts\":\"2026-01-01T00:00:00Z\",\"device\":\"zz\",\"soc_kwh\":1}\n"
	    "{\"ts\":\"2026-01-01T00:00:00Z\",\"soc_kwh\":1}\n"
	    "{\"ts\":\"2026-01-01T00:00:00Z\",\"price\":0.1}\n";
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct bess_reader_opts ro;
	struct bess_reader *r;
	struct bess_rec rec;
	struct bess_fleet f;
	struct bess_site s;
	struct bess_ctl_opts o;
	struct bess_ctl *c;
	struct bess_ctl_event ev;
	struct bess_err err;
	int rc[4], i;

	bess_site_init(&s);
	opts(&o);
	fleet2(&f);
	battery(&f.bat[1], 20, 5);	/* b: 20 kWh, so 50 % is 10 kWh */
	c = bess_ctl_new_fleet(&f, &s, NULL, &o, &err);
	memset(&ro, 0, sizeof(ro));
	ro.fmt = BESS_FMT_NDJSON;
	r = bess_reader_open_keys(fp, "in.ndjson", &ro, bess_ctl_reads, &err);
	bess_rec_init(&rec);
	for (i = 0; i < 4; i++) {
		if (bess_reader_next(r, &rec, &err) != 1) {
			rc[i] = 99;
			continue;
		}
		rc[i] = bess_ctl_parse_for(c, bess_reader_schema(r), &rec, "in.ndjson", &ev, &err);
		if (i == 0) {
			ok(rc[0] == 0 && ev.device == 1, "device b is battery 1");
			near(ev.soc_kwh, 10, 1e-9, "soc_pct is of b's own capacity");
		} else if (i == 1) {
			ok(rc[1] != 0, "an unknown device is refused");
			is_str(err.file, "in.ndjson", "... in its file");
			is_int(err.line, 2, "... at its line");
			is_str(err.msg, "column 'device': 'zz' is not a battery (--battery)", "... saying which");
		} else if (i == 2) {
			ok(rc[2] != 0 && err.line == 3, "a soc without a device is refused at its line (two batteries)");
		} else {
			ok(rc[3] == 0 && ev.device == -1 && ev.v[BESS_CTL_PRICE] == 0.1, "a price needs no device");
		}
	}
	bess_reader_close(r);
	fclose(fp);
	bess_ctl_free(c);
	bess_site_free(&s);
}

/* The state file: version 2 keeps each battery by id; version 1 reads as before; a later version is refused. */
static void
state_file(void)
{
	char path[] = "/tmp/test_ctlfleet.XXXXXX", text[2048];
	struct bess_state st, back;
	struct bess_state_battery *b;
	struct bess_err err;
	FILE *fp;
	size_t n;
	int fd = mkstemp(path);

	close(fd);
	bess_state_init(&st);
	st.runs = 3;
	b = bess_state_battery(&st, "a");
	b->soc_kwh = 4.5;
	b->soc_ts = at("2026-01-01T00:00:00Z");
	b->command_kw = -2.5;
	snprintf(b->status, sizeof(b->status), "optimal");
	b = bess_state_battery(&st, "b.2");
	snprintf(b->status, sizeof(b->status), "safe");
	ok(bess_state_write(path, &st, &err) == 0, "a state of two batteries is written");
	fp = fopen(path, "r");
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	is_str(text, "{\"state_version\":2,\"runs\":3,\"ts\":null,\"battery_kw\":null,\"status\":null,"
	    "\"soc_kwh\":null,\"soc_ts\":null,\"peak_bill\":null,"
	    "\"soc_kwh/a\":4.5,\"soc_ts/a\":\"2026-01-01T00:00:00Z\",\"battery_kw/a\":-2.5,\"status/a\":\"optimal\","
	    "\"soc_kwh/b.2\":null,\"soc_ts/b.2\":null,\"battery_kw/b.2\":null,\"status/b.2\":\"safe\"}\n",
	    "version 2: one battery's keys per id");
	ok(bess_state_read(path, &back, &err) == 0, "... and read back");
	ok(back.version == 2 && back.nbat == 2 && back.runs == 3, "version 2, two batteries, 3 runs");
	ok(strcmp(back.bat[0].id, "a") == 0 && back.bat[0].soc_kwh == 4.5 && back.bat[0].command_kw == -2.5 &&
	    back.bat[0].soc_ts == at("2026-01-01T00:00:00Z"), "battery a as written");
	ok(strcmp(back.bat[1].id, "b.2") == 0 && isnan(back.bat[1].soc_kwh) &&
	    strcmp(back.bat[1].status, "safe") == 0, "battery b.2 as written");

	bess_state_init(&st);
	st.runs = 1;
	st.soc_kwh = 2;
	st.soc_ts = at("2026-01-01T00:00:00Z");
	ok(bess_state_write(path, &st, &err) == 0, "a one-battery state is written");
	fp = fopen(path, "r");
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	is_str(text, "{\"runs\":1,\"ts\":null,\"battery_kw\":null,\"status\":null,\"soc_kwh\":2,"
	    "\"soc_ts\":\"2026-01-01T00:00:00Z\",\"peak_bill\":null}\n", "version 1: no state_version key");
	ok(bess_state_read(path, &back, &err) == 0 && back.version == 1 && back.nbat == 0 && back.soc_kwh == 2,
	    "version 1 reads as before");

	fp = fopen(path, "w");
	fputs("{\"state_version\":4,\"runs\":1}\n", fp);
	fclose(fp);
	ok(bess_state_read(path, &back, &err) != 0, "version 4 (newer than this build's 3, the devices') is refused");
	ok(strstr(err.msg, "written by a newer bess") != NULL && err.line == 1, "... at its line: %s", err.msg);
	unlink(path);
}

int
main(void)
{
	halves();
	stale();
	device_column();
	state_file();
	return done();
}
