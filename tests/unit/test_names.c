/* test_names.c: the alias table — how names are matched, and that bess(7) lists every entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_names.h"
#include "tap.h"

static const char *
dst(const char *name, unsigned mask)
{
	const struct bess_alias *a = bess_alias_find(name, mask);

	return a ? a->dst : "(none)";
}

int
main(void)
{
	const unsigned all = BESS_NAMES_IDS | BESS_NAMES_TELEMETRY;
	const struct bess_alias *t;
	size_t n, i, missing = 0;
	unsigned m;
	char *man = NULL;
	FILE *fp;

	/* spellings */
	is_str(dst("device_id", BESS_NAMES_IDS), "device", "device_id is the device");
	is_str(dst("Device ID", BESS_NAMES_IDS), "device", "a space and capitals: still the device");
	is_str(dst("Rack", BESS_NAMES_IDS), "device", "Rack is the device");
	is_str(dst("Device", BESS_NAMES_IDS), "device", "Device (a spreadsheet's) is the device");
	is_str(dst("device", BESS_NAMES_IDS), "(none)", "device itself needs no alias");
	is_str(dst("Site-ID", BESS_NAMES_IDS), "site", "Site-ID is the site");
	is_str(dst("voltage", BESS_NAMES_IDS), "(none)", "readings need the telemetry set");
	is_str(dst("Cell Max Voltage (V)", all), "cell_max_v", "a unit in brackets is left out");
	is_str(dst("cell.avg.temp", all), "cell_avg_c", "dots read as underscores");
	is_str(dst("temp_igbt", all), "igbt_c", "temp_igbt: the IGBT temperature");
	is_str(dst("voltage_v", all), "(none)", "a canonical name is not an alias");
	t = bess_alias_find("soc", all);
	ok(t != NULL && strcmp(t->unit, "%") == 0, "soc is read in percent");
	t = bess_alias_find("apparent_power", all);
	ok(t != NULL && t->unit == NULL && strcmp(t->dst, "ac_kva") == 0,
	    "apparent_power: ac_kva, no unit conversion");
	ok(bess_names_parse("telemetry", &m) == 0 && m == BESS_NAMES_TELEMETRY, "schema telemetry");
	ok(bess_names_parse("bms", &m) == 0 && m == BESS_NAMES_TELEMETRY, "bms is the same set");
	ok(bess_names_parse("modbus", &m) != 0, "an unknown schema");

	/* hints */
	ok(bess_names_id_like("unit_no"), "unit_no looks like a device id");
	ok(bess_names_id_like("Inverter"), "Inverter looks like a device id");
	ok(!bess_names_id_like("p_kw"), "p_kw does not");
	ok(!bess_names_id_like("voltage"), "voltage does not");

	/* one documented mapping: every entry is in bess(7), NAME MAPPINGS */
	if ((fp = fopen("man/bess.7", "r")) != NULL) {
		size_t cap = 0;

		getdelim(&man, &cap, '\0', fp);
		fclose(fp);
	}
	ok(man != NULL, "man/bess.7 read (run from the top folder)");
	t = bess_alias_table(&n);
	for (i = 0; man != NULL && i < n; i++) {
		char want[128];

		snprintf(want, sizeof(want), "%s", t[i].src);
		if (strstr(man, want) == NULL) {
			diag("'%s' is not in bess(7)", t[i].src);
			missing++;
		}
		snprintf(want, sizeof(want), "%s", t[i].dst);
		if (strstr(man, want) == NULL) {
			diag("'%s' is not in bess(7)", t[i].dst);
			missing++;
		}
	}
	ok(man != NULL && missing == 0, "bess(7) names all %zu aliases and their canonical names", n);
	free(man);
	return done();
}
