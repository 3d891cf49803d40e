/* test_dispatch: bess-dispatch's engines in the library by hand — a simulation's trajectory records and summary (lib/dispatch.c), the option groups' values (lib/ctlconf.c, lib/dispatch.c), and a cron run's lock (lib/once.c). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_dispatch.h"
#include "bess_once.h"
#include "fixture.h"

/*
 * Two hours, lossless 2 kWh / 1 kW battery from empty, load 1 kW. By hand:
 *   00:00 +1 kW at 0.1: SOC 1 kWh (50 %), import 1 + 1 = 2 kW, cost 0.2
 *   01:00 -1 kW at 0.5: SOC 0 (0 %), import 1 - 1 = 0, cost 0
 * without the battery 0.1 + 0.5 = 0.6, so the saving is 0.6 - 0.2 = 0.4.
 */
static const char hist[] =
    "ts,price,load_kw,battery_kw\n"
    "2025-01-06T00:00:00Z,0.1,1,1\n"
    "2025-01-06T01:00:00Z,0.5,1,-1\n";
static const char want_traj[] =
    "ts,price,load_kw,command_kw,charge_kw,discharge_kw,battery_kw,soc_kwh,soc_pct,grid_import_kw,"
    "grid_export_kw,cost,clip\n"
    "2025-01-06T00:00:00Z,0.1,1,1,1,0,1,1,50,2,0,0.2,\n"
    "2025-01-06T01:00:00Z,0.5,1,-1,0,1,-1,0,0,0,0,0,\n";

/* The text of field name in k, or NULL. */
static const char *
field(const struct bess_kv *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->s.n; i++)
		if (strcmp(k->s.name[i], name) == 0)
			return k->text[i];
	return NULL;
}

static void
test_simulate(void)
{
	struct bess_battery b;
	struct bess_fleet_specs none;
	struct bess_fleet f;
	struct bess_site s;
	struct bess_ctlconf cf;
	struct bess_dispatch_opts o;
	struct bess_dispatch d;
	struct bess_table t;
	struct bess_history h;
	struct bess_reader *r;
	struct bess_kv k;
	struct bess_err err;
	FILE *fp, *mf;
	char *out = NULL, human[400];
	size_t len = 0;
	int rc;

	battery_base(&b, 2, 1, 1, 1);
	battery_start(&b, 0);
	b.soc_final = BESS_SOC_FINAL_FREE;
	memset(&none, 0, sizeof(none));
	bess_site_init(&s);
	bess_ctlconf_init(&cf);
	bess_dispatch_opts_init(&o);
	bess_table_init(&t);
	memset(&h, 0, sizeof(h));
	fp = fmemopen((void *)hist, strlen(hist), "r");
	r = bess_reader_open(fp, "h.csv", NULL, &err);
	rc = r == NULL || bess_table_read(&t, r, &err) != 0 || bess_history_bind(&h, &t, &err) != 0 ||
	    bess_fleet_build_specs(&f, &b, &none, &err) != 0;
	bess_reader_close(r);
	fclose(fp);
	ok(rc == 0, "simulate: the history and the battery are read%s%s", rc ? ": " : "", rc ? err.msg : "");
	if (rc)
		return;
	o.fleet = &f;
	o.site = &s;
	o.cf = &cf;
	o.fmt = BESS_FMT_CSV;
	rc = bess_dispatch_open(&d, &o, &h, &err) != 0 || bess_dispatch_run(&d, &err) != 0;
	ok(rc == 0, "simulate: opened and run%s%s", rc ? ": " : "", rc ? err.msg : "");
	mf = open_memstream(&out, &len);
	ok(rc == 0 && bess_dispatch_traj(&d, mf, &err) == 0, "simulate: the trajectory is written");
	fclose(mf);
	is_str(out, want_traj, "simulate: battery_kw = charge - discharge, soc_pct of 2 kWh, cost per step");
	bess_kv_init(&k);
	bess_dispatch_summary(&d, &k, human, sizeof(human));
	is_str(field(&k, "cost"), "0.2", "simulate: summary cost 0.2");
	is_str(field(&k, "baseline_cost"), "0.6", "simulate: summary baseline_cost 0.1 + 0.5");
	is_str(field(&k, "saving"), "0.4", "simulate: summary saving 0.6 - 0.2");
	bess_kv_free(&k);
	free(out);
	bess_dispatch_free(&d);
	bess_history_free(&h);
	bess_table_free(&t);
	bess_site_free(&s);
	bess_ctlconf_free(&cf);
}

/* The option id of name in defs, or -1. */
static int
id_of(const struct bess_optdef *defs, const char *name)
{
	for (; defs->name; defs++)
		if (strcmp(defs->name, name) == 0)
			return defs->id;
	return -1;
}

static void
test_options(void)
{
	struct bess_ctlconf cf;
	struct bess_dispatch_opts o;
	struct bess_fleet f;
	struct bess_err err;

	bess_ctlconf_init(&cf);
	ok(cf.step_us == 15 * 60 * 1000000LL && cf.horizon_us == 48 * H && cf.stale_us == H &&
	    cf.nowcast_us == 4 * H && cf.amortize == 1 && !cf.safe_hold, "ctlconf: the defaults of bess-dispatch(1)");
	ok(bess_ctlconf_is_opt(id_of(bess_ctlconf_optdefs, "step")) &&
	    !bess_dispatch_is_opt(id_of(bess_ctlconf_optdefs, "step")), "ctlconf: --step is the controller's");
	ok(bess_ctlconf_set(&cf, id_of(bess_ctlconf_optdefs, "step"), "1h", &err) == 0 && cf.step_us == H,
	    "ctlconf: --step 1h is 3600 s");
	ok(bess_ctlconf_set(&cf, id_of(bess_ctlconf_optdefs, "nowcast"), "off", &err) == 0 && cf.nowcast_us == 0 &&
	    bess_ctlconf_nowcast_h(&cf) == 0, "ctlconf: --nowcast off");
	ok(bess_ctlconf_set(&cf, id_of(bess_ctlconf_optdefs, "nowcast"), "30m", &err) == 0 &&
	    bess_ctlconf_nowcast_h(&cf) == 0.5, "ctlconf: --nowcast 30m is a half-life of 0.5 h");
	ok(bess_ctlconf_set(&cf, id_of(bess_ctlconf_optdefs, "safe"), "50%", &err) == 0 && cf.safe_hold &&
	    cf.safe_pct == 50 && isnan(cf.safe_kwh), "ctlconf: --safe 50%% holds half of each battery");
	ok(bess_ctlconf_set(&cf, id_of(bess_ctlconf_optdefs, "safe"), "150%", &err) == -1 &&
	    strcmp(err.msg, "'150%' is outside the battery") == 0, "ctlconf: --safe 150%% is outside the battery");
	ok(bess_ctlconf_set(&cf, id_of(bess_ctlconf_optdefs, "safe"), "3kWh", &err) == 0, "ctlconf: --safe 3kWh");
	memset(&f, 0, sizeof(f));
	f.n = 1;
	f.bat[0].capacity_kwh = 2;
	ok(bess_ctlconf_check(&cf, &f, &err) == -1 && strcmp(err.msg, "--safe: 3 kWh is above the capacity") == 0,
	    "ctlconf: 3 kWh to hold in a 2 kWh battery is refused");
	f.bat[0].capacity_kwh = 3;
	ok(bess_ctlconf_check(&cf, &f, &err) == 0, "ctlconf: ... and fits a 3 kWh one");
	bess_ctlconf_free(&cf);

	bess_dispatch_opts_init(&o);
	ok(o.bo.every == 1 && o.bo.da_min == -1 && o.bo.rule_lo == 0.25 && o.bo.rule_hi == 0.75 &&
	    o.by == BESS_BY_MONTH && o.fc.m[0] == BESS_FC_PERSISTENCE, "dispatch: the defaults of bess-dispatch(1)");
	ok(bess_dispatch_set(&o, id_of(bess_dispatch_optdefs, "every"), "0", &err) == -1 &&
	    strcmp(err.msg, "'0' is not a whole number of steps (1 or more)") == 0, "dispatch: --every 0 is refused");
	ok(bess_dispatch_set(&o, id_of(bess_dispatch_optdefs, "da-publish"), "12:30", &err) == 0 &&
	    o.bo.da_min == 12 * 60 + 30, "dispatch: --da-publish 12:30 is minute 750 of the day");
	ok(bess_dispatch_set(&o, id_of(bess_dispatch_optdefs, "da-publish"), "24:00", &err) == -1,
	    "dispatch: --da-publish 24:00 is no time of day");
	ok(bess_dispatch_set(&o, id_of(bess_dispatch_optdefs, "method"), "interior", &err) == 0 &&
	    o.bo.method == BESS_LP_INTERIOR, "dispatch: --method interior");
	ok(bess_dispatch_set(&o, id_of(bess_dispatch_optdefs, "by"), "day", &err) == 0 && o.by == BESS_BY_DAY,
	    "dispatch: --by day");
}

/* A second run while the first holds the state file's lock does nothing at all. */
static void
test_once_lock(void)
{
	char dir[] = "/tmp/test_dispatch.XXXXXX", path[64];
	struct bess_battery b;
	struct bess_fleet_specs none;
	struct bess_fleet f;
	struct bess_site s;
	struct bess_ctlconf cf;
	struct bess_once_opts o;
	struct bess_once a, c;
	struct bess_err err;

	if (mkdtemp(dir) == NULL) {
		ok(0, "once: a temporary folder");
		return;
	}
	snprintf(path, sizeof(path), "%s/st", dir);
	battery_base(&b, 2, 1, 1, 1);
	battery_start(&b, 0);
	memset(&none, 0, sizeof(none));
	bess_site_init(&s);
	bess_ctlconf_init(&cf);
	ok(bess_fleet_build_specs(&f, &b, &none, &err) == 0, "once: the battery");
	memset(&o, 0, sizeof(o));
	o.state = path;
	o.cf = &cf;
	o.fleet = &f;
	o.site = &s;
	o.fmt = BESS_FMT_NDJSON;
	ok(bess_once_open(&a, &o, &err) == 0, "once: the first run takes the lock");
	ok(bess_once_open(&c, &o, &err) == BESS_ONCE_LOCKED && c.ctl == NULL,
	    "once: a second run finds it held and makes nothing");
	bess_once_close(&c);
	bess_once_close(&a);
	ok(bess_once_open(&c, &o, &err) == 0, "once: after the first run closed, a run takes it");
	bess_once_close(&c);
	ok(access(path, F_OK) != 0, "once: no state file written by runs that made no command");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	bess_site_free(&s);
	bess_ctlconf_free(&cf);
}

int
main(void)
{
	test_simulate();
	test_options();
	test_once_lock();
	return done();
}
