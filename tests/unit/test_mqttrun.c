/* test_mqttrun.c: bess-mqtt's option values (protocol, durations) and the usage errors its runs find before any connection. */
#include <stdio.h>
#include <string.h>

#include "bess_mqttrun.h"
#include "check.h"

static int errors;

static void
on_error(void *ctx, const struct bess_err *err)
{
	(void)ctx;
	(void)err;
	errors++;
}

int
main(void)
{
	static char *bad_filter[] = { "a/#/b" }, *tmpl[] = { "bess/{site/set" }, *ok_tmpl[] = { "bess/{site}/set" };
	static char *in[] = { "-" };
	struct bess_mqtt_opts mo;
	struct bess_payload_spec spec;
	struct bess_mqttrun r;
	struct bess_err err;
	long long ms = 0;
	int proto = 0;

	/* the protocol: 5 and 311 under their usual spellings */
	check(bess_mqttrun_protocol("mqttv5", &proto, &err) == 0 && proto == 5, "protocol: mqttv5 is 5");
	check(bess_mqttrun_protocol("3.1.1", &proto, &err) == 0 && proto == 311, "protocol: 3.1.1 is 311");
	check(bess_mqttrun_protocol("4", &proto, &err) == -1, "protocol: 4 is neither");
	same(err.msg, "'4' is not 5 or 311", "protocol: ... saying so");

	/* durations: a bare number is seconds; rounded up to a whole millisecond */
	check(bess_mqttrun_dur_ms("30", &ms, &err) == 0 && ms == 30000, "dur: 30 is 30000 ms");
	check(bess_mqttrun_dur_ms("5m", &ms, &err) == 0 && ms == 300000, "dur: 5m is 300000 ms");
	check(bess_mqttrun_dur_ms("0.0001", &ms, &err) == 0 && ms == 1, "dur: 0.1 ms rounds up to 1 ms");
	check(bess_mqttrun_dur_ms("0", &ms, &err) == -1, "dur: 0 is refused");
	same(err.msg, "'0' is not a positive duration", "dur: ... saying so");
	check(bess_mqttrun_dur_ms("5e9", &ms, &err) == -1, "dur: 5e9 s is beyond 4e9 s");
	check(bess_mqttrun_dur_s("1500ms", &ms, &err) == 0 && ms == 2, "dur: 1500 ms is 2 whole s (rounded up)");
	check(bess_mqttrun_dur_s("1h", &ms, &err) == 0 && ms == 3600, "dur: 1h is 3600 s");

	/* usage errors found before any connection is tried */
	memset(&mo, 0, sizeof(mo));
	mo.protocol = 311;
	memset(&spec, 0, sizeof(spec));
	memset(&r, 0, sizeof(r));
	r.mo = &mo;
	r.spec = &spec;
	r.error = on_error;
	r.out = stdout;
	r.out_name = "stdout";
	r.inputs = in;
	r.ninputs = 1;
	r.topics = bad_filter;
	r.ntopics = 1;
	is_int(bess_mqttrun_sub(&r, &err), BESS_MQTTRUN_USAGE, "sub: a '#' not last is a usage error");
	same(err.msg, "-t: *", "sub: ... naming -t");
	r.topics = tmpl;
	is_int(bess_mqttrun_pub(&r, &err), BESS_MQTTRUN_USAGE, "pub: an unclosed {field} is a usage error");
	same(err.msg, "-t: *", "pub: ... naming -t");
	r.topics = ok_tmpl;
	r.expiry_s = 60;
	is_int(bess_mqttrun_pub(&r, &err), BESS_MQTTRUN_USAGE, "pub: --expiry with MQTT 3.1.1 is a usage error");
	same(err.msg, "--expiry needs MQTT 5 (-V 5)", "pub: ... saying so");
	check(spec.mode == BESS_PL_JSON, "pub: no --payload is json");
	r.expiry_s = 0;
	r.payload_set = 1;
	spec.mode = BESS_PL_VALUE;
	r.fields = in;
	r.nfields = 1;
	is_int(bess_mqttrun_pub(&r, &err), BESS_MQTTRUN_USAGE, "pub: --fields without json is a usage error");
	same(err.msg, "--fields chooses the fields of a JSON payload (--payload json)", "pub: ... saying so");
	is_int(errors, 0, "no failure reported through the error hook");
	return done_testing();
}
