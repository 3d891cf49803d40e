/* test_state.c: a state file with figures not known (NaN) is valid JSON (null) and reads back the same state. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "bess_state.h"
#include "tap.h"

/* a and b the same figure, NaN being the same as NaN. */
static int
same(double a, double b)
{
	return isnan(a) ? isnan(b) : a == b;
}

int
main(void)
{
	char path[] = "/tmp/bess-test-state-XXXXXX";
	struct bess_state s, t;
	struct bess_err err;
	json_error_t je;
	json_t *j, *v;
	int fd = mkstemp(path);

	if (fd < 0) {
		ok(0, "mkstemp");
		return done();
	}
	close(fd);
	bess_state_init(&s);
	s.runs = 3;
	s.ts = 1700000000LL * 1000000;
	s.command_kw = 2.5;
	snprintf(s.status, sizeof(s.status), "optimal");
	/* soc_kwh NAN (never reported), from bess_state_init */
	snprintf(s.peak_bill, sizeof(s.peak_bill), "2023-11");
	s.npeak = 2;
	snprintf(s.peak_name[0], sizeof(s.peak_name[0]), "peak");
	s.peak_kw[0] = NAN;	/* a demand period with no step yet */
	snprintf(s.peak_name[1], sizeof(s.peak_name[1]), "all");
	s.peak_kw[1] = 12.25;
	s.fc_ts[0] = s.ts;
	s.fc_kw[0] = NAN;	/* a forecast not made */
	s.fc_ts[1] = s.ts - 900LL * 1000000;
	s.fc_kw[1] = 4.5;
	s.bills.nbill = 1;
	snprintf(s.bills.label[0], sizeof(s.bills.label[0]), "2023-11");
	s.bills.ts = s.ts;
	s.bills.import_kwh = NAN;
	s.bills.energy_cost = 1.75;
	s.bills.paid_export_kwh = NAN;
	s.bills.export_revenue = 0.5;
	s.bills.window_kw = NAN;
	snprintf(s.dr_event, sizeof(s.dr_event), "ev1");
	s.dr_import_kwh = NAN;

	ok(bess_state_write(path, &s, &err) == 0, "written");
	/* JSON has no NaN: a parser that follows RFC 8259 (jansson) takes the file, the NaNs as null */
	j = json_load_file(path, JSON_DISABLE_EOF_CHECK, &je);
	ok(j != NULL && json_is_object(j), "the state file is valid JSON (%s)", j ? "" : je.text);
	ok(j && json_is_null(json_object_get(j, "peak_kw/peak")), "peak_kw/peak is null");
	ok(j && json_is_null(json_object_get(j, "load_fc_kw")), "load_fc_kw is null");
	ok(j && json_is_null(json_object_get(j, "bill_import_kwh")) &&
	    json_is_null(json_object_get(j, "bill_paid_export_kwh")) &&
	    json_is_null(json_object_get(j, "bill_window_kw")), "the bill's unknown figures are null");
	ok(j && json_is_null(json_object_get(j, "dr_import_kwh")), "dr_import_kwh is null");
	v = j ? json_object_get(j, "peak_kw/all") : NULL;
	ok(v && json_is_number(v) && json_number_value(v) == 12.25, "a known figure stays a number: 12.25");
	json_decref(j);

	ok(bess_state_read(path, &t, &err) == 0, "read back");
	ok(t.runs == 3 && t.ts == s.ts && same(t.command_kw, 2.5) && strcmp(t.status, "optimal") == 0 &&
	    isnan(t.soc_kwh), "the run: 3 runs, 2.5 kW, optimal, SOC never reported");
	ok(t.npeak == 2 && strcmp(t.peak_name[0], "peak") == 0 && isnan(t.peak_kw[0]) &&
	    strcmp(t.peak_name[1], "all") == 0 && t.peak_kw[1] == 12.25, "the peaks: NaN and 12.25 kW");
	ok(t.fc_ts[0] == s.fc_ts[0] && isnan(t.fc_kw[0]) && t.fc_ts[1] == s.fc_ts[1] && t.fc_kw[1] == 4.5,
	    "the forecasts: NaN and 4.5 kW");
	ok(t.bills.nbill == 1 && isnan(t.bills.import_kwh) && t.bills.energy_cost == 1.75 &&
	    isnan(t.bills.paid_export_kwh) && t.bills.export_revenue == 0.5 && isnan(t.bills.window_kw),
	    "the bill so far: the NaNs NaN, 1.75 and 0.5 as written");
	ok(strcmp(t.dr_event, "ev1") == 0 && isnan(t.dr_import_kwh), "the event: its import NaN");
	ok(same(t.bills.import_kwh, s.bills.import_kwh) && same(t.peak_kw[0], s.peak_kw[0]), "same() sees NaN as NaN");
	unlink(path);
	return done();
}
