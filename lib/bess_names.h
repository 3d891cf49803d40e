/* bess_names.h: the one mapping from the names devices and data services use to bess's canonical column names and units. */
#ifndef BESS_NAMES_H
#define BESS_NAMES_H

#include <stddef.h>

/* Name sets, combined as a mask. */
enum {
	BESS_NAMES_IDS = 1 << 0,	/* device and site id spellings (device_id, rack, Device, site_id) */
	BESS_NAMES_TELEMETRY = 1 << 1	/* BMS and PCS readings (soc, voltage, cell_max_voltage, temp_igbt, ...) */
};

/* One alias: an input name, the canonical name, and the unit the input's values are in. */
struct bess_alias {
	const char *src;	/* as it is spelled, normalised: lower case, '_' for ' ', '-', '.' */
	const char *dst;	/* canonical name (bess(7)) */
	const char *unit;	/* unit of the source values (bess_unit_parse), NULL when dst has none */
	unsigned set;		/* BESS_NAMES_* it belongs to */
};

/*
 * The alias for input column name among the sets in mask, or NULL. Names
 * are compared case-insensitively, with ' ', '-' and '.' read as '_' and a
 * trailing unit in brackets ("Cell Max Voltage (V)") left out.
 */
const struct bess_alias *bess_alias_find(const char *name, unsigned mask);

/* The aliases of a set in table order (for documentation and tests); *n set. */
const struct bess_alias *bess_alias_table(size_t *n);

/* A schema name ("telemetry", or "bms" / "pcs" for the same set) as a mask; -1 if unknown. */
int bess_names_parse(const char *s, unsigned *mask);

/*
 * Does an input column's name look like it identifies a device (one of the
 * id spellings, or a name with id, rack, unit, inverter, bank, string,
 * serial in it)? For hints after a duplicate time.
 */
int bess_names_id_like(const char *name);

#endif
