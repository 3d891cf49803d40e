/* test_devrec.c: per-device records as CSV and NDJSON, byte for byte (expected texts written by hand from bess(7)). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_devrec.h"
#include "tap.h"

int
main(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	/* 2026-01-01T00:15:00Z = 1767225600 + 900 s */
	struct bess_devrec a = { (1767225600LL + 900) * 1000000LL, "pump", "sheddable", "OFF", 0, NAN,
		NAN, 1.25 };
	struct bess_devrec b = { 1767225600LL * 1000000LL, "bat,1", "battery", "discharge", -2.5, 7.5,
		75, 0 };

	bess_devrec_header(fp, BESS_FMT_CSV);
	bess_devrec_write(fp, BESS_FMT_CSV, &a);
	bess_devrec_write(fp, BESS_FMT_CSV, &b);
	bess_devrec_header(fp, BESS_FMT_NDJSON);
	bess_devrec_write(fp, BESS_FMT_NDJSON, &a);
	fclose(fp);
	is_str(buf,
	    "ts,device,kind,command,power_kw,soc_kwh,soc_pct,cost\n"
	    "2026-01-01T00:15:00Z,pump,sheddable,OFF,0,,,1.25\n"
	    "2026-01-01T00:00:00Z,\"bat,1\",battery,discharge,-2.5,7.5,75,0\n"
	    "{\"ts\":\"2026-01-01T00:15:00Z\",\"device\":\"pump\",\"kind\":\"sheddable\","
	    "\"command\":\"OFF\",\"power_kw\":0,\"soc_kwh\":null,\"soc_pct\":null,\"cost\":1.25}\n",
	    "CSV header, an empty SOC for a load, a quoted id; NDJSON with nulls");
	free(buf);
	return done();
}
