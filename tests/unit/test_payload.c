/* test_payload.c: payloads to fields (JSON objects, single values, battery commands) and records to payloads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_payload.h"
#include "check.h"

/* The fields as "name=value:kind;" with kinds n(um) s(tr) b(ool) j(son) -(null). */
static void
dump(const struct bess_fields *f, char *out, size_t len)
{
	static const char kinds[] = "a-nsbj";
	size_t i;

	out[0] = '\0';
	for (i = 0; i < f->n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s=%s:%c;", bess_fields_name(f, i),
		    bess_fields_value(f, i), kinds[f->kind[i]]);
}

static void
decode(const char *mode, const char *payload, size_t len, const char *want, const char *what)
{
	struct bess_payload_spec sp;
	struct bess_fields f;
	char why[200] = "", got[512];

	bess_fields_init(&f);
	if (bess_payload_spec_parse(mode, &sp, why, sizeof(why)) != 0) {
		check(0, mode);
		return;
	}
	if (bess_payload_decode(&sp, payload, len, &f, why, sizeof(why)) != 0)
		snprintf(got, sizeof(got), "error: %s", why);
	else
		dump(&f, got, sizeof(got));
	same(got, want, what);
	bess_fields_free(&f);
}

#define DECODE(mode, lit, want, what) decode(mode, lit, sizeof(lit) - 1, want, what)

static void
command(double kw, const char *want)
{
	char buf[48], what[100];
	int n = bess_command_format(kw, buf);

	snprintf(what, sizeof(what), "%g kW is '%s'", kw, want);
	same(n < 0 ? "(error)" : buf, want, what);
}

static void
bad_command(const char *s, const char *want_why)
{
	double kw;
	char why[200] = "", what[120];
	int rc = bess_command_parse(s, strlen(s), &kw, why, sizeof(why));

	snprintf(what, sizeof(what), "'%s' is not a command", s);
	check(rc == -1, what);
	same(why, want_why, what);
}

static void
encode(const char *mode, const char *const *fields, size_t nf, struct mini *m, const char *want,
    const char *what)
{
	struct bess_payload_spec sp;
	struct bess_payload_enc *e;
	char why[200] = "", got[512];
	const char *p;
	size_t len;

	bess_payload_spec_parse(mode, &sp, why, sizeof(why));
	e = bess_payload_enc_new(&sp, fields, nf);
	p = bess_payload_enc_record(e, &m->s, &m->r, &len, why, sizeof(why));
	if (p == NULL)
		snprintf(got, sizeof(got), "error: %s", why);
	else
		snprintf(got, sizeof(got), "%.*s", (int)len, p);
	same(got, want, what);
	bess_payload_enc_free(e);
}

int
main(void)
{
	struct bess_payload_spec sp;
	char why[200];
	int i, ok_all;

	/* modes */
	check(bess_payload_spec_parse("value:soc_pct", &sp, why, sizeof(why)) == 0 &&
	    sp.mode == BESS_PL_VALUE && strcmp(sp.field, "soc_pct") == 0, "value:FIELD");
	check(bess_payload_spec_parse("command", &sp, why, sizeof(why)) == 0 &&
	    sp.mode == BESS_PL_COMMAND && strcmp(sp.field, "battery_kw") == 0,
	    "command uses battery_kw");
	check(bess_payload_spec_parse("json:x", &sp, why, sizeof(why)) == -1, "json takes no field");
	same(why, "'json:x': only value:FIELD and command:FIELD take a field", "... and says so");
	check(bess_payload_spec_parse("value:", &sp, why, sizeof(why)) == -1, "value: needs a name");
	check(bess_payload_spec_parse("text", &sp, why, sizeof(why)) == -1, "unknown mode");
	same(why, "'text' is not auto, json, value[:FIELD] or command[:FIELD]", "... and says so");

	/* JSON objects: texts as the NDJSON reader makes them (1.5e3 is the integer 1500) */
	DECODE("json", "{\"a\":1,\"b\":\"x\\\"y\",\"c\":null,\"d\":[1,2],\"e\":true,\"f\":1.5e3,\"g\":0.1}",
	    "a=1:n;b=x\"y:s;c=:-;d=[1,2]:j;e=true:b;f=1500:n;g=0.1:n;", "a JSON object, every kind");
	DECODE("json", "[1,2]", "error: payload is not a JSON object", "an array is not an object");
	DECODE("json", "{\"a\":", "error: payload is not a JSON object: *", "broken JSON");
	DECODE("json", "{\"a\":1,\"a\":2}", "error: payload is not a JSON object: duplicate*",
	    "repeated keys are refused");
	/* auto */
	DECODE("auto", " {\"soc_pct\":55}\n", "soc_pct=55:n;", "auto: object");
	DECODE("auto", "42.5", "value=42.5:n;", "auto: a number");
	DECODE("auto", " 7\n", "value=7:n;", "auto: a number with spaces");
	DECODE("auto", "CHARGE 100kW", "battery_kw=100:n;", "auto: CHARGE");
	DECODE("auto", "discharge 0.5MW", "battery_kw=-500:n;", "auto: discharge in MW (0.5 MW = 500 kW)");
	DECODE("auto", "IDLE", "battery_kw=0:n;", "auto: IDLE");
	DECODE("auto", "DISCHARGE 2500W", "battery_kw=-2.5:n;", "auto: 2500 W = 2.5 kW");
	DECODE("auto", "CHARGE 40", "battery_kw=40:n;", "auto: a bare power is kW");
	DECODE("auto", "online", "value=online:s;", "auto: text");
	DECODE("auto", "", "value=:-;", "auto: empty payload is null");
	DECODE("auto", "\"quoted\"", "value=quoted:s;", "auto: a JSON string");
	DECODE("auto", "true", "value=true:b;", "auto: a JSON boolean");
	DECODE("auto", "caf\xc3\xa9", "value=caf\xc3\xa9:s;", "auto: UTF-8 text");
	DECODE("auto", "caf\xe9", "error: payload is not UTF-8 text", "auto: Latin-1 is refused");
	DECODE("auto", "a\0b", "error: payload is not UTF-8 text", "auto: a NUL byte is refused");
	/* value */
	DECODE("value:soc_pct", "55.5", "soc_pct=55.5:n;", "value:FIELD names the field");
	DECODE("value:state", "CHARGE 5kW", "state=CHARGE 5kW:s;", "value mode keeps command text");
	DECODE("value", "{\"a\":1}", "value={\"a\":1}:j;", "value mode keeps an object as JSON");
	/* command */
	DECODE("command:target_kw", "DISCHARGE 50kW", "target_kw=-50:n;", "command:FIELD");
	DECODE("command", "55", "error: '55' is not a command (CHARGE P, DISCHARGE P or IDLE)",
	    "command mode refuses a number");

	bad_command("CHARGE", "CHARGE needs a power, e.g. CHARGE 100kW");
	bad_command("CHARGE -5kW", "CHARGE: the power must not be negative");
	bad_command("IDLE 5", "IDLE takes no power");
	bad_command("CHARGEX 5", "'CHARGEX 5' is not a command (CHARGE P, DISCHARGE P or IDLE)");
	bad_command("CHARGE 5kWh", "CHARGE: '5kWh' is an energy*");

	/* formatting, rounded to the watt: 12.3456 -> 12.346; 0.0004 kW = 0.4 W -> 0 */
	command(100, "CHARGE 100kW");
	command(-50, "DISCHARGE 50kW");
	command(0, "IDLE");
	command(-0.0, "IDLE");
	command(0.0004, "IDLE");
	command(-12.3456, "DISCHARGE 12.346kW");
	command(0.5, "CHARGE 0.5kW");
	command(NAN, "(error)");
	/* every power of whole watts from -1000 kW to 1000 kW in 0.125 kW steps reads back exactly */
	ok_all = 1;
	for (i = -8000; i <= 8000; i++) {
		char buf[48];
		double kw = i * 0.125, back;
		int n = bess_command_format(kw, buf);

		if (n < 0 || bess_command_parse(buf, (size_t)n, &back, why, sizeof(why)) != 0 ||
		    back != kw) {
			ok_all = 0;
			printf("# %g -> '%s'\n", kw, buf);
			break;
		}
	}
	check(ok_all, "format then parse gives the power back (16001 values)");

	/* encoding */
	{
		static const char *const kv[] = { "ts", "2025-01-16T10:00:00Z", "battery_kw", "-5",
		    "note", "a\"b\\c", "empty", "" };
		static const char *const pick[] = { "battery_kw", "nosuch" };
		static const char *const cd[] = { "charge_kw", "3", "discharge_kw", "" };
		static const char *const none[] = { "soc_pct", "50" };
		struct mini m;

		mini(&m, kv, sizeof(kv) / sizeof(kv[0]));
		encode("json", NULL, 0, &m,
		    "{\"ts\":\"2025-01-16T10:00:00Z\",\"battery_kw\":-5,\"note\":\"a\\\"b\\\\c\",\"empty\":null}",
		    "json: the whole record");
		encode("json", pick, 2, &m, "{\"battery_kw\":-5,\"nosuch\":null}", "json: chosen fields");
		encode("value:battery_kw", NULL, 0, &m, "-5", "value:FIELD");
		encode("value:note", NULL, 0, &m, "a\"b\\c", "value: text as it is");
		encode("value:empty", NULL, 0, &m, "error: field 'empty' is missing", "value: missing");
		encode("value:nosuch", NULL, 0, &m, "error: field 'nosuch' is not a column",
		    "value: no such column");
		encode("command", NULL, 0, &m, "DISCHARGE 5kW", "command from battery_kw");
		encode("command:note", NULL, 0, &m, "error: field 'note' is not a number",
		    "command from text");
		mini_free(&m);
		mini(&m, cd, sizeof(cd) / sizeof(cd[0]));
		encode("command", NULL, 0, &m, "CHARGE 3kW", "command from charge_kw - discharge_kw");
		mini_free(&m);
		mini(&m, none, sizeof(none) / sizeof(none[0]));
		encode("command", NULL, 0, &m, "error: no battery power: field 'battery_kw' (or "
		    "'charge_kw' and 'discharge_kw') is missing", "command without any power");
		mini_free(&m);
	}
	/* a bess_writer keeps key texts per schema address and size: names changed in place must show */
	{
		static const char *const kv[] = { "a", "1", "b", "2" };
		static char *ab[] = { "a", "b" }, *xb[] = { "x", "b" }, *abc[] = { "a", "b", "c" };
		struct bess_payload_spec js = { BESS_PL_JSON, NULL };
		struct bess_payload_enc *e = bess_payload_enc_new(&js, NULL, 0);
		struct bess_view v;
		const struct bess_schema *s1, *s2, *s3, *s4;
		struct mini m;
		const char *p;
		char got[100];
		size_t len;

		mini(&m, kv, 4);
		p = bess_payload_enc_record(e, &m.s, &m.r, &len, why, sizeof(why));
		snprintf(got, sizeof(got), "%.*s", p ? (int)len : 0, p ? p : "");
		same(got, "{\"a\":1,\"b\":2}", "encoder: first schema");
		free(m.s.name[0]);
		m.s.name[0] = strdup("x");
		p = bess_payload_enc_record(e, &m.s, &m.r, &len, why, sizeof(why));
		snprintf(got, sizeof(got), "%.*s", p ? (int)len : 0, p ? p : "");
		same(got, "{\"x\":1,\"b\":2}", "encoder: a name changed in place, same address and size");
		mini_free(&m);
		bess_payload_enc_free(e);

		bess_view_init(&v);
		s1 = bess_view_set(&v, ab, 2);
		s2 = bess_view_set(&v, ab, 2);
		s3 = bess_view_set(&v, xb, 2);
		s4 = bess_view_set(&v, abc, 3);
		check(s1 == s2, "view: the same names keep the schema");
		check(s2 != s3 && s3 != s4, "view: other names switch the schema");
		check(s3->n == 2 && strcmp(s3->name[0], "x") == 0 && s4->n == 3 &&
		    strcmp(s4->name[2], "c") == 0, "view: the schema holds the names given");
		bess_view_free(&v);
	}
	return done_testing();
}
