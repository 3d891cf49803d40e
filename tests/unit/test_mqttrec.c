/* test_mqttrec.c: messages as records and records as messages without a broker — topic levels, the topic over the payload, a CSV's columns, the password file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bess_mqttrec.h"
#include "check.h"

static char warns[2048];

static void
warn(void *ctx, const char *msg)
{
	(void)ctx;
	snprintf(warns + strlen(warns), sizeof(warns) - strlen(warns), "%s\n", msg);
}

/* The records the messages (topic, payload pairs) make, ts cut off; in fmt with fields. */
static void
sub(enum bess_fmt fmt, char *const *fields, size_t nfields, const char *const *msgs, size_t n,
    char *out, size_t outsz)
{
	struct bess_mqttsub_opts o;
	struct bess_mqttsub *s;
	struct bess_topic_pat pat;
	struct bess_payload_spec spec;
	struct bess_err err;
	char *buf = NULL, *p, *line, *save = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);
	char why[128];

	bess_topic_pat_parse("bess/+site/+device/state", &pat, &err);
	bess_payload_spec_parse("auto", &spec, why, sizeof(why));
	memset(&o, 0, sizeof(o));
	o.pat = &pat;
	o.npat = 1;
	o.spec = &spec;
	o.fields = fields;
	o.nfields = nfields;
	o.fmt = fmt;
	o.out = fp;
	o.out_name = "out";
	o.warn = warn;
	s = bess_mqttsub_new(&o);
	for (i = 0; i < n; i += 2)
		bess_mqttsub_message(s, msgs[i], msgs[i + 1], strlen(msgs[i + 1]), 0);
	bess_mqttsub_finish(s, &err);
	is_int(bess_mqttsub_count(s), n / 2 - (strstr(msgs[n - 1], "garbage") != NULL), "records counted");
	bess_mqttsub_free(s);
	bess_topic_pat_free(&pat);
	fclose(fp);
	out[0] = '\0';
	/* the receive time differs run to run: cut the first field of each line */
	for (p = buf; (line = strtok_r(p, "\n", &save)) != NULL; p = NULL) {
		/* kept whole: the CSV header, and a record carrying its own time (2023) */
		int whole = strncmp(line, "ts,", 3) == 0 || strncmp(line, "2023-", 5) == 0 ||
		    strncmp(line, "{\"ts\":\"2023-", 12) == 0;
		const char *rest = whole ? line : line[0] == '{' ? strchr(line + 7, '"') + 1 : strchr(line, ',');

		snprintf(out + strlen(out), outsz - strlen(out), "%s|", rest);
	}
	free(buf);
}

int
main(void)
{
	static const char *const msgs[] = {
		"bess/s1/d1/state", "{\"soc_kwh\":10,\"battery_kw\":5}",
		"bess/s1/d2/state", "{\"site\":\"s2\",\"soc_kwh\":11}",
		"bess/s1/d3/state", "{\"ts\":\"2023-01-01T01:00:00+01:00\",\"soc_kwh\":12}",
		"bess/s1/d4/state", "{\"ts\":\"garbage\"}",
	};
	char out[2048], tmp[64], *pw;
	struct bess_err err;
	FILE *f;

	/* NDJSON: each message's own fields; the topic's site wins; an offset time becomes UTC Z */
	sub(BESS_FMT_NDJSON, NULL, 0, msgs, 8, out, sizeof(out));
	same(out, ",\"topic\":\"bess/s1/d1/state\",\"site\":\"s1\",\"device\":\"d1\",\"soc_kwh\":10,\"battery_kw\":5}|"
	    ",\"topic\":\"bess/s1/d2/state\",\"site\":\"s1\",\"device\":\"d2\",\"soc_kwh\":11}|"
	    "{\"ts\":\"2023-01-01T00:00:00Z\",\"topic\":\"bess/s1/d3/state\",\"site\":\"s1\",\"device\":\"d3\",\"soc_kwh\":12}|",
	    "ndjson: levels as fields, the topic's site kept, 01:00+01:00 written 00:00Z, the bad ts skipped");
	same(warns, "topic 'bess/s1/d2/state': field 'site' of the payload differs from the topic's; the topic's is kept (warned once per field)\n"
	    "topic 'bess/s1/d4/state': field 'ts': *", "ndjson: a warning for the overridden site and the bad time");
	/* CSV: the first message's fields are the columns; later fields dropped with one warning */
	warns[0] = '\0';
	sub(BESS_FMT_CSV, NULL, 0, msgs, 8, out, sizeof(out));
	same(out, "ts,topic,site,device,soc_kwh,battery_kw|,bess/s1/d1/state,s1,d1,10,5|,bess/s1/d2/state,s1,d2,11,|"
	    "2023-01-01T00:00:00Z,bess/s1/d3/state,s1,d3,12,|", "csv: the first message's columns, missing ones empty");
	/* CSV with --fields: exactly those columns, nothing warned */
	warns[0] = '\0';
	{
		char *fields[] = { "ts", "topic", "site", "device", "soc_kwh", NULL };

		sub(BESS_FMT_CSV, fields, 5, msgs, 6, out, sizeof(out));
		same(out, "ts,topic,site,device,soc_kwh|,bess/s1/d1/state,s1,d1,10|,bess/s1/d2/state,s1,d2,11|"
		    "2023-01-01T00:00:00Z,bess/s1/d3/state,s1,d3,12|", "csv --fields: those columns only");
		same(warns, "topic 'bess/s1/d2/state': field 'site' of the payload differs from the topic's; the topic's "
		    "is kept (warned once per field)\n", "csv --fields: battery_kw dropped silently (only the site warned)");
	}

	/* the password: the first line, its CR LF dropped; an empty file and a missing one are errors */
	snprintf(tmp, sizeof(tmp), "%s/bess-pw.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	f = fdopen(mkstemp(tmp), "w");
	fputs("s3cret\r\nsecond line\n", f);
	fclose(f);
	is_int(bess_mqtt_password(tmp, &pw, &err), 0, "password: read");
	same(pw, "s3cret", "password: the first line without CR LF");
	free(pw);
	f = fopen(tmp, "w");
	fclose(f);
	bess_mqtt_password(tmp, &pw, &err);
	same(err.msg, "the password file is empty", "password: an empty file is an error");
	unlink(tmp);
	bess_mqtt_password(tmp, &pw, &err);
	check(strcmp(err.file, tmp) == 0 && strcmp(err.msg, "No such file or directory") == 0, "password: a missing file names it");
	setenv("BESS_MQTT_PASSWORD", "fromenv", 1);
	bess_mqtt_password(NULL, &pw, &err);
	same(pw, "fromenv", "password: BESS_MQTT_PASSWORD without a file");
	free(pw);
	return done_testing();
}
