/* bess_payload.h: MQTT payloads <-> record fields: JSON objects, single values, and battery commands ("CHARGE 100kW"). */
#ifndef BESS_PAYLOAD_H
#define BESS_PAYLOAD_H

#include <stddef.h>

#include "bess_rec.h"

/* How a payload maps to fields. */
enum bess_payload_mode {
	BESS_PL_AUTO = 0,	/* decode only: JSON object, else command, else one value */
	BESS_PL_JSON,		/* a JSON object, one field per key */
	BESS_PL_VALUE,		/* one field's value, bare */
	BESS_PL_COMMAND		/* "CHARGE 100kW", "DISCHARGE 50kW", "IDLE" <-> battery power */
};

struct bess_payload_spec {
	enum bess_payload_mode mode;	/* see above */
	const char *field;		/* VALUE: the field ("value"); COMMAND: the power field ("battery_kw") */
};

/*
 * Parse "auto", "json", "value", "value:FIELD", "command" or
 * "command:FIELD"; field points into s. 0, or -1 with why filled.
 */
int bess_payload_spec_parse(const char *s, struct bess_payload_spec *sp, char *why, size_t whylen);

/* The fields of one message, in order; names and values live in the structure's own arena. */
struct bess_fields {
	size_t n;		/* fields */
	size_t cap;		/* slots allocated */
	size_t *name_off;	/* per field: offset of its NUL-terminated name in arena */
	size_t *val_off;	/* per field: offset of its NUL-terminated value text in arena */
	size_t *val_len;	/* per field: value length in bytes */
	unsigned char *kind;	/* per field: enum bess_kind */
	char *arena;		/* names and values */
	size_t used;		/* arena bytes used */
	size_t acap;		/* arena bytes allocated */
};

void bess_fields_init(struct bess_fields *f);
/* Forget all fields, keep the memory. */
void bess_fields_clear(struct bess_fields *f);
void bess_fields_free(struct bess_fields *f);
/*
 * Set field name to val (len bytes) of kind: replaces the value in place
 * if the name is already there, else appends. 0, or -1 when out of memory.
 */
int bess_fields_set(struct bess_fields *f, const char *name, size_t namelen,
    const char *val, size_t len, enum bess_kind kind);
int bess_fields_find(const struct bess_fields *f, const char *name);	/* index or -1 */
const char *bess_fields_name(const struct bess_fields *f, size_t i);
const char *bess_fields_value(const struct bess_fields *f, size_t i);

/*
 * Decode payload p (len bytes) into fields of f (added with bess_fields_set,
 * so they replace earlier fields of the same name):
 *   JSON     a JSON object: a field per key (strings, numbers, true/false,
 *            null; arrays and objects as compact JSON text);
 *   VALUE    the whole payload as field sp->field ("value"): a JSON scalar
 *            is decoded, other text is kept as it is; an empty payload is null;
 *   COMMAND  a battery command: sp->field ("battery_kw") = +P for
 *            "CHARGE P", -P for "DISCHARGE P", 0 for "IDLE";
 *   AUTO     JSON if it starts with '{', COMMAND if it reads as one, else VALUE.
 * Returns 0, or -1 with why filled (not a JSON object, not valid UTF-8, ...).
 */
int bess_payload_decode(const struct bess_payload_spec *sp, const char *p, size_t len,
    struct bess_fields *f, char *why, size_t whylen);

/*
 * Battery commands. Keywords are case-insensitive; the power takes a unit
 * (W, kW, MW; a bare number is kW) and is not negative. A command is one
 * line: "CHARGE 100kW", "DISCHARGE 0.5MW", "IDLE".
 */
int bess_command_parse(const char *s, size_t len, double *kw, char *why, size_t whylen);
/*
 * Format battery power kw (positive = charging) as a command, rounded to
 * the watt: "CHARGE 100kW", "DISCHARGE 12.5kW", or "IDLE" when it rounds
 * to zero. buf needs 48 bytes. Returns the length, or -1 if kw is not finite.
 */
int bess_command_format(double kw, char *buf);

/*
 * The columns handed to a bess_writer, which keeps the key texts it made
 * for the last schema by its address and size: two schemas used in turn,
 * so the writer sees another address whenever the names change.
 */
struct bess_view {
	struct bess_schema s[2];	/* the two (name arrays owned, names not) */
	int cur;			/* the one in use */
	char *sig;			/* the names last set, each with its NUL */
	size_t siglen, sigcap;		/* bytes used and allocated in sig */
};

void bess_view_init(struct bess_view *v);
/* Columns names[0..n) (not copied: they must outlive the write). NULL when out of memory. */
const struct bess_schema *bess_view_set(struct bess_view *v, char *const *names, size_t n);
void bess_view_free(struct bess_view *v);

/* Turns records into payloads. */
struct bess_payload_enc;

/*
 * An encoder for sp (mode JSON, VALUE or COMMAND). fields (n names, may be
 * NULL) limits a JSON payload to those fields, in that order; they are copied.
 * NULL when out of memory.
 */
struct bess_payload_enc *bess_payload_enc_new(const struct bess_payload_spec *sp,
    const char *const *fields, size_t n);
/*
 * The payload of rec (fields named by s): JSON the record as one NDJSON
 * line without its newline, VALUE the field's text, COMMAND the command
 * form of the power field (or of charge_kw - discharge_kw when there is no
 * such field). Valid until the next call; NULL with why filled if a needed
 * field is missing or not a number.
 */
const char *bess_payload_enc_record(struct bess_payload_enc *e, const struct bess_schema *s,
    const struct bess_rec *rec, size_t *len, char *why, size_t whylen);
void bess_payload_enc_free(struct bess_payload_enc *e);

#endif
