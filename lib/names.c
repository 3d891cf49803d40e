/* names.c: alias tables — device id spellings and BMS/PCS field names to canonical names with units. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "bess_names.h"

/*
 * Kept in one table so bess(7) (NAME MAPPINGS) can list it whole. Units are
 * those the data services use: volts, amperes, degrees Celsius, percent,
 * and kW, kVA and kvar for powers.
 */
static const struct bess_alias aliases[] = {
	{ "device_id", "device", NULL, BESS_NAMES_IDS },
	{ "deviceid", "device", NULL, BESS_NAMES_IDS },
	{ "device_name", "device", NULL, BESS_NAMES_IDS },
	{ "dev_id", "device", NULL, BESS_NAMES_IDS },
	{ "rack", "device", NULL, BESS_NAMES_IDS },
	{ "rack_id", "device", NULL, BESS_NAMES_IDS },
	{ "rack_no", "device", NULL, BESS_NAMES_IDS },
	{ "bms_id", "device", NULL, BESS_NAMES_IDS },
	{ "pcs_id", "device", NULL, BESS_NAMES_IDS },
	{ "inverter_id", "device", NULL, BESS_NAMES_IDS },
	{ "asset_id", "device", NULL, BESS_NAMES_IDS },
	{ "site_id", "site", NULL, BESS_NAMES_IDS },
	{ "site_name", "site", NULL, BESS_NAMES_IDS },
	{ "plant_id", "site", NULL, BESS_NAMES_IDS },

	{ "soc", "soc_pct", "%", BESS_NAMES_TELEMETRY },
	{ "soh", "soh_pct", "%", BESS_NAMES_TELEMETRY },
	{ "voltage", "voltage_v", "V", BESS_NAMES_TELEMETRY },
	{ "pack_voltage", "voltage_v", "V", BESS_NAMES_TELEMETRY },
	{ "current", "current_a", "A", BESS_NAMES_TELEMETRY },
	{ "pack_current", "current_a", "A", BESS_NAMES_TELEMETRY },
	{ "cell_avg_voltage", "cell_avg_v", "V", BESS_NAMES_TELEMETRY },
	{ "cell_max_voltage", "cell_max_v", "V", BESS_NAMES_TELEMETRY },
	{ "cell_min_voltage", "cell_min_v", "V", BESS_NAMES_TELEMETRY },
	{ "max_cell_voltage", "cell_max_v", "V", BESS_NAMES_TELEMETRY },
	{ "min_cell_voltage", "cell_min_v", "V", BESS_NAMES_TELEMETRY },
	{ "cell_avg_temp", "cell_avg_c", "C", BESS_NAMES_TELEMETRY },
	{ "cell_max_temp", "cell_max_c", "C", BESS_NAMES_TELEMETRY },
	{ "cell_min_temp", "cell_min_c", "C", BESS_NAMES_TELEMETRY },
	{ "max_cell_temp", "cell_max_c", "C", BESS_NAMES_TELEMETRY },
	{ "min_cell_temp", "cell_min_c", "C", BESS_NAMES_TELEMETRY },
	{ "active_power", "ac_kw", "kW", BESS_NAMES_TELEMETRY },
	{ "apparent_power", "ac_kva", NULL, BESS_NAMES_TELEMETRY },
	{ "reactive_power", "ac_kvar", NULL, BESS_NAMES_TELEMETRY },
	{ "dc_voltage", "dc_v", "V", BESS_NAMES_TELEMETRY },
	{ "dc_current", "dc_a", "A", BESS_NAMES_TELEMETRY },
	{ "dc_power", "dc_kw", "kW", BESS_NAMES_TELEMETRY },
	{ "ac_voltage_a", "ac_l1_v", "V", BESS_NAMES_TELEMETRY },
	{ "ac_voltage_b", "ac_l2_v", "V", BESS_NAMES_TELEMETRY },
	{ "ac_voltage_c", "ac_l3_v", "V", BESS_NAMES_TELEMETRY },
	{ "ac_voltage_ab", "ac_l12_v", "V", BESS_NAMES_TELEMETRY },
	{ "ac_voltage_bc", "ac_l23_v", "V", BESS_NAMES_TELEMETRY },
	{ "ac_voltage_ca", "ac_l31_v", "V", BESS_NAMES_TELEMETRY },
	{ "ac_current_a", "ac_l1_a", "A", BESS_NAMES_TELEMETRY },
	{ "ac_current_b", "ac_l2_a", "A", BESS_NAMES_TELEMETRY },
	{ "ac_current_c", "ac_l3_a", "A", BESS_NAMES_TELEMETRY },
	{ "frequency", "freq_hz", NULL, BESS_NAMES_TELEMETRY },
	{ "temp_igbt", "igbt_c", "C", BESS_NAMES_TELEMETRY },
	{ "igbt_temp", "igbt_c", "C", BESS_NAMES_TELEMETRY },
	{ "temp_ambient", "ambient_c", "C", BESS_NAMES_TELEMETRY },
	{ "ambient_temp", "ambient_c", "C", BESS_NAMES_TELEMETRY },
};

#define NALIAS (sizeof(aliases) / sizeof(aliases[0]))

static const struct bess_alias case_device = { "device", "device", NULL, BESS_NAMES_IDS };
static const struct bess_alias case_site = { "site", "site", NULL, BESS_NAMES_IDS };

/* name normalised into buf (len > 0): lower case, ' ', '-', '.' as '_', a trailing "(...)" or "[...]" left out. */
static void
normalise(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name), i, k = 0;

	while (n > 0 && name[n - 1] == ' ')
		n--;
	if (n > 0 && (name[n - 1] == ')' || name[n - 1] == ']')) {
		const char *open = NULL;

		for (i = n - 1; i > 0; i--)
			if (name[i - 1] == (name[n - 1] == ')' ? '(' : '[')) {
				open = name + i - 1;
				break;
			}
		if (open != NULL && open > name) {
			n = (size_t)(open - name);
			while (n > 0 && name[n - 1] == ' ')
				n--;
		}
	}
	for (i = 0; i < n && k + 1 < len; i++) {
		unsigned char c = (unsigned char)name[i];

		buf[k++] = c == ' ' || c == '-' || c == '.' ? '_' : (char)tolower(c);
	}
	buf[k] = '\0';
}

const struct bess_alias *
bess_alias_find(const char *name, unsigned mask)
{
	char key[64];
	size_t i;

	if (strlen(name) >= 64)
		return NULL;
	normalise(name, key, sizeof(key));
	for (i = 0; i < NALIAS; i++)
		if ((aliases[i].set & mask) && strcmp(aliases[i].src, key) == 0)
			return &aliases[i];
	/* "Device" and "Site" as written by spreadsheets: the canonical names in another case */
	if ((mask & BESS_NAMES_IDS) && strcmp(name, "device") != 0 && strcmp(key, "device") == 0)
		return &case_device;
	if ((mask & BESS_NAMES_IDS) && strcmp(name, "site") != 0 && strcmp(key, "site") == 0)
		return &case_site;
	return NULL;
}

const struct bess_alias *
bess_alias_table(size_t *n)
{
	*n = NALIAS;
	return aliases;
}

int
bess_names_parse(const char *s, unsigned *mask)
{
	if (strcmp(s, "telemetry") == 0 || strcmp(s, "bms") == 0 || strcmp(s, "pcs") == 0) {
		*mask = BESS_NAMES_TELEMETRY;
		return 0;
	}
	return -1;
}

int
bess_names_id_like(const char *name)
{
	static const char *const words[] = {
		"id", "rack", "unit", "inverter", "bank", "string", "serial", "device", "cluster",
		"module", "pcs", "bms", "name", NULL
	};
	char key[64], *w, *save = NULL;
	size_t i;

	if (bess_alias_find(name, BESS_NAMES_IDS) != NULL)
		return 1;
	if (strlen(name) >= 64)
		return 0;
	normalise(name, key, sizeof(key));
	for (w = strtok_r(key, "_", &save); w != NULL; w = strtok_r(NULL, "_", &save))
		for (i = 0; words[i]; i++)
			if (strcmp(w, words[i]) == 0)
				return 1;
	return 0;
}
