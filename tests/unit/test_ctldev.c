/* test_ctldev.c: the controller's devices — instructions per interval, reported states, a min_off carried across two cron runs through the state file — every figure by hand. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_civil.h"
#include "bess_ctldev.h"
#include "fixture.h"

/* An instant: 2026-01-05 hh:mm UTC (hh may pass 24). */
static bess_time_t
hm(int h, int mi)
{
	return (bess_days_from_civil(2026, 1, 5) * 86400 + h * 3600 + mi * 60) * BESS_US_PER_S;
}

/* A standing plan of one step by hand (what bess_ctldev_plan takes from a solved model). */
static void
plan1(struct bess_ctldev *c, const int *on, const double *kw)
{
	size_t i, n = c->dv->ndev;

	free(c->run.plan_on);
	free(c->run.plan_kw);
	c->run.plan_on = calloc(n, 1);
	c->run.plan_kw = calloc(n, sizeof(double));
	for (i = 0; i < n; i++) {
		c->run.plan_on[i] = (unsigned char)on[i];
		c->run.plan_kw[i] = kw[i];
	}
	c->run.plan_cap = c->run.plan_len = 1;
}

/* The state written to a file and read back, as the next cron run sees it. */
static int
roundtrip(const struct bess_state *in, struct bess_state *out, char *text, size_t tlen)
{
	char path[] = "/tmp/test_ctldev.XXXXXX";
	int fd = mkstemp(path);
	struct bess_err err;
	FILE *fp;
	size_t n;
	int rc;

	if (fd < 0)
		return -1;
	close(fd);
	rc = bess_state_write(path, in, &err) != 0 || bess_state_read(path, out, &err) != 0 ? -1 : 0;
	if ((fp = fopen(path, "r")) != NULL) {
		n = fread(text, 1, tlen - 1, fp);
		text[n] = '\0';
		fclose(fp);
	}
	unlink(path);
	return rc;
}

int
main(void)
{
	/* hourly intervals: the pump may be off 3 h a day, at least 2 h once off, 1 h once on */
	struct bess_devices *dv = devices_from(
	    "[pump]\nkind = sheddable\npower = 5kW\ncost = 0.1\nmax_off = 3h\nmin_off = 2h\nmin_on = 1h\n"
	    "[van]\nkind = shiftable\npower = 0 2kW 4kW\nenergy = 5kWh\nwindow = 22:00-06:00\n"
	    "[fridge]\nkind = essential\npower = 0.5kW\n");
	struct bess_ctldev c, c2;
	struct bess_state st, st2;
	char *buf = NULL, text[4096];
	size_t len = 0;
	int on, w;
	const int off_on[3] = { 0, 1, 1 };
	const double off_kw[3] = { 0, 2, 0.5 };

	if (dv == NULL || bess_ctldev_init(&c, dv, 3600LL * BESS_US_PER_S) != 0) {
		ok(0, "parse and init");
		return done();
	}
	/* the words of a reported state */
	ok(bess_ctldev_word("ON", 2, &on) == 0 && on == 1, "ON is on");
	ok(bess_ctldev_word("off", 3, &on) == 0 && on == 0, "off is off");
	ok(bess_ctldev_word("1", 1, &on) == 0 && on == 1 && bess_ctldev_word("false", 5, &on) == 0 &&
	    on == 0, "1 and false");
	ok(bess_ctldev_word("ONN", 3, &on) == -1 && bess_ctldev_word("", 0, &on) == -1, "ONN and '' are not states");

	/* 00:00, nothing known, no plan: the no-action rule — the pump on at 5 kW, the van's task
	   (opened 22:00 on the 4th) lacks 5 kWh: its top level, 4 kW; the fridge is never instructed */
	bess_ctldev_instruct(&c, hm(0, 0), (size_t)-1);
	ok(c.told_on[0] == 1, "00:00 no plan: the pump ON");
	near(c.told_kw[0], 5, 1e-9, "00:00 no plan: the pump at 5 kW");
	ok(c.told_on[1] == 1, "00:00 no plan: the van ON");
	near(c.told_kw[1], 4, 1e-9, "00:00 no plan: the van at its top level, 4 kW");
	ok(bess_ctldev_records(&c, BESS_FMT_NDJSON, &buf, &len) == 0, "records");
	is_str(buf, "{\"ts\":\"2026-01-05T00:00:00Z\",\"device\":\"pump\",\"kind\":\"sheddable\",\"command\":\"ON\",\"power_kw\":5}\n"
	    "{\"ts\":\"2026-01-05T00:00:00Z\",\"device\":\"van\",\"kind\":\"shiftable\",\"command\":\"ON\",\"power_kw\":4}\n",
	    "one instruction per sheddable and shiftable device, none for the essential fridge");
	free(buf);

	/* 01:00, a plan: the pump OFF, the van at 2 kW. The hour before: the pump on (0 h off
	   today), the van 4 kW x 1 h = 4 kWh of its task of the 4th */
	plan1(&c, off_on, off_kw);
	bess_ctldev_instruct(&c, hm(1, 0), 0);
	ok(c.told_on[0] == 0 && c.told_kw[0] == 0 && c.told_on[1] == 1, "01:00 from the plan: the pump OFF, the van ON");
	near(c.told_kw[1], 2, 1e-9, "01:00 from the plan: the van at 2 kW");
	ok(c.run.st[0].off == 1, "switched off at 01:00");
	near(c.run.st[0].hold_h, 2, 1e-9, "switched off at 01:00: min_off 2 h to hold");
	near(c.run.st[0].off_h, 0, 1e-9, "no hour off yet today");
	ok(c.run.st[1].done_task == bess_days_from_civil(2026, 1, 4), "the task of the 4th");
	near(c.run.st[1].done_kwh, 4, 1e-9, "4 kWh of the task of the 4th delivered");
	ok(bess_ctldev_records(&c, BESS_FMT_CSV, &buf, &len) == 0, "CSV records");
	is_str(buf, "ts,device,kind,command,power_kw\n2026-01-05T01:00:00Z,pump,sheddable,OFF,0\n"
	    "2026-01-05T01:00:00Z,van,shiftable,ON,2\n",
	    "the same long form in CSV");
	free(buf);

	/* the cron run ends: the state file keeps it (version 3) */
	bess_state_init(&st);
	ok(bess_ctldev_save(&c, &st) == 0 && st.ndev == 2, "two devices kept (not the essential fridge)");
	ok(roundtrip(&st, &st2, text, sizeof(text)) == 0, "the state file written and read");
	ok(strstr(text, "\"state_version\":3") != NULL, "state_version 3");
	ok(strstr(text, "\"dev_ts\":\"2026-01-05T01:00:00Z\",\"dev_command/pump\":\"OFF\",\"dev_power_kw/pump\":0,"
	    "\"dev_hold_h/pump\":2,\"dev_off_h/pump\":0,\"dev_off_day/pump\":\"2026-01-05\"") != NULL,
	    "the pump's keys");
	ok(strstr(text, "\"dev_command/van\":\"ON\",\"dev_power_kw/van\":2,\"dev_hold_h/van\":0,"
	    "\"dev_off_h/van\":0,\"dev_off_day/van\":null,\"dev_done_kwh/van\":4,\"dev_task/van\":\"2026-01-04\"") != NULL,
	    "the van's keys");

	/* the next run, 02:00: restored from the file; an hour off now counted, the min_off
	   spans this run too (1 h left), so the no-action rule keeps the pump OFF */
	if (bess_ctldev_init(&c2, dv, 3600LL * BESS_US_PER_S) != 0) {
		ok(0, "init");
		return done();
	}
	bess_ctldev_restore(&c2, &st2);
	bess_ctldev_instruct(&c2, hm(2, 0), (size_t)-1);
	ok(c2.run.st[0].off == 1, "02:00: off");
	near(c2.run.st[0].off_h, 1, 1e-9, "02:00: 1 h off today");
	near(c2.run.st[0].hold_h, 1, 1e-9, "02:00: 1 h of min_off left");
	ok(c2.told_on[0] == 0, "02:00 no plan: the pump still OFF (its min_off spans two runs)");
	/* the van: 4 + 2 = 6 kWh >= 5: done, OFF */
	near(c2.run.st[1].done_kwh, 6, 1e-9, "the van's task met (6 kWh)");
	ok(c2.told_on[1] == 0 && c2.told_kw[1] == 0, "the van's task met: OFF");

	/* 02:20 the pump reports ON although told OFF: taken (it differs), its min_on starts then;
	   hours off today 1 + 1/3 */
	w = bess_ctldev_report(&c2, 0, hm(2, 20), 1, NAN);
	ok(w == 1, "a report that differs from the instruction says so");
	ok(c2.run.st[0].off == 0, "02:20: on");
	near(c2.run.st[0].hold_h, 1, 1e-9, "02:20: min_on 1 h to hold");
	near(c2.run.st[0].off_h, 4.0 / 3, 1e-9, "02:20: 4/3 h off today");
	ok(bess_ctldev_report(&c2, 0, hm(2, 30), 1, 5) == 0, "02:30 ON again: agrees, 0");
	ok(bess_ctldev_report(&c2, 0, hm(2, 10), 0, NAN) == 0 && c2.run.cur_on[0] == 1,
	    "a report from 02:10, older than what is known, is not taken");
	/* 03:00: 40 min of the min_on gone: 1/3 h left; the no-action rule: ON */
	bess_ctldev_instruct(&c2, hm(3, 0), (size_t)-1);
	ok(c2.run.st[0].off == 0, "03:00: on");
	near(c2.run.st[0].hold_h, 1.0 / 3, 1e-9, "03:00: 1/3 h of min_on left");
	near(c2.run.st[0].off_h, 4.0 / 3, 1e-9, "03:00: still 4/3 h off today");
	ok(c2.told_on[0] == 1, "03:00 the pump ON");
	near(c2.told_kw[0], 5, 1e-9, "03:00 the pump at 5 kW");
	ok(bess_ctldev_report(&c2, 2, hm(3, 10), 0, NAN) == 0, "an essential device's report changes nothing");

	/* the van reports 3 kW at 03:30 (told OFF): taken; by 04:00 it delivered 1.5 kWh more */
	ok(bess_ctldev_report(&c2, 1, hm(3, 30), 1, 3) == 1, "the van running against its instruction");
	bess_ctldev_advance(&c2, hm(4, 0));
	near(c2.run.st[1].done_kwh, 7.5, 1e-9, "7.5 kWh of its task by 04:00");

	/* the local day: hours off start again at midnight */
	plan1(&c2, off_on, off_kw);
	bess_ctldev_instruct(&c2, hm(23, 0), 0);
	bess_ctldev_advance(&c2, hm(24, 0));
	ok(c2.run.st[0].off_day == bess_days_from_civil(2026, 1, 5), "23:00-24:00 off: counted on the 5th");
	near(c2.run.st[0].off_h, 4.0 / 3 + 1, 1e-9, "23:00-24:00 off: 7/3 h off on the 5th");
	bess_ctldev_advance(&c2, hm(24, 30));
	ok(c2.run.st[0].off_day == bess_days_from_civil(2026, 1, 6), "00:00-00:30: counted on the 6th");
	near(c2.run.st[0].off_h, 0.5, 1e-9, "00:00-00:30 on the 6th: 0.5 h");

	/* a state kept from 2099 (a clock that was wrong): taken as of the interval; the pump
	   switched OFF at 23:00 and held off since is instructed again from now */
	{
		struct bess_ctldev c4;
		struct bess_state s4;
		bess_time_t far = hm(0, 0) + 73LL * 365 * 86400 * BESS_US_PER_S;

		bess_state_init(&s4);
		if (bess_ctldev_init(&c4, dv, 3600LL * BESS_US_PER_S) == 0) {
			bess_ctldev_restore(&c4, &s4);
			bess_ctldev_advance(&c4, far);
			ok(bess_ctldev_report(&c4, 0, hm(1, 0), 0, NAN) == 0, "a report before the kept 2099: not taken");
			bess_ctldev_instruct(&c4, hm(2, 0), (size_t)-1);
			ok(c4.t_at == hm(2, 0) && c4.told_on[0] == 1, "instructed at 02:00 all the same, the kept time reset");
			/* a gap of a year: only its last week is stepped through (168 hours, not 8760) */
			bess_ctldev_advance(&c4, hm(2 + 24 * 365, 0));
			ok(c4.t_at == hm(2 + 24 * 365, 0), "a year on: carried to its end");
			near(c4.run.st[0].off_h, 0, 1e-9, "a year on: no hour off that day");
			bess_ctldev_free(&c4);
		}
	}
	/* an old state file (version 2, no device keys): nothing restored, devices as they are */
	{
		struct bess_ctldev c3;
		struct bess_state old;

		bess_state_init(&old);
		old.ts = hm(1, 0);
		if (bess_ctldev_init(&c3, dv, 3600LL * BESS_US_PER_S) == 0) {
			bess_ctldev_restore(&c3, &old);
			ok(!c3.known && c3.run.cur_on[0] == 1 && c3.run.st[0].hold_h == 0,
			    "a state file without device keys: the pump on, free");
			bess_ctldev_free(&c3);
		}
	}
	/* a later version is refused; a bad device value names its key */
	{
		char path[] = "/tmp/test_ctldev.XXXXXX";
		int fd = mkstemp(path);
		struct bess_err err;
		struct bess_state s4;
		FILE *fp = fdopen(fd, "w");

		fputs("{\"state_version\":4,\"runs\":1}\n", fp);
		fclose(fp);
		ok(bess_state_read(path, &s4, &err) == -1 && strstr(err.msg, "not a version this build reads (1 to 3)"),
		    "version 4 refused");
		fp = fopen(path, "w");
		fputs("{\"state_version\":3,\"dev_ts\":\"2026-01-05T01:00:00Z\",\"dev_command/pump\":\"MAYBE\"}\n", fp);
		fclose(fp);
		ok(bess_state_read(path, &s4, &err) == -1 && strstr(err.msg, "'dev_command/pump': 'MAYBE' is not ON or OFF"),
		    "a bad command names its key: %s", err.msg);
		unlink(path);
	}
	bess_ctldev_free(&c);
	bess_ctldev_free(&c2);
	bess_devices_free(dv);
	return done();
}
