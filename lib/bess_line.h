/* bess_line.h: reading a line of a small text file (config, tariff) with a length limit, so /dev/zero cannot take all memory. */
#ifndef BESS_LINE_H
#define BESS_LINE_H

#include <stdio.h>
#include <sys/types.h>

/* The longest line a config or tariff file may have, in bytes (newline excluded). */
#define BESS_LINE_MAX	65536

/*
 * Read one line of fp into *buf (grown like getline(3), NUL-terminated,
 * the newline kept): its length in bytes, -1 at end of file or on a read
 * error (see ferror), or -2 when it runs past max bytes without a newline
 * (the rest is not read: give up on the file).
 */
ssize_t bess_line_read(FILE *fp, char **buf, size_t *cap, size_t max);

struct bess_err;

/*
 * A side file (tariff, devices, events, load history) opened for reading;
 * with dash, "-" is stdin. NULL with err set as "path: reason" (the
 * system's, as every tool says it for an input) when it cannot be opened.
 * Close it with fclose unless it is stdin.
 */
FILE *bess_line_open(const char *path, int dash, struct bess_err *err);

/*
 * The next line of a key = value file (tariff, devices) with something on it:
 * a comment from '#' cut, white space trimmed, a UTF-8 BOM on line 1 skipped.
 * *lineno counts every line read. Returns 1 with *text set (inside *buf),
 * 0 at end of file, or -1 with err set: at file for a read error (the
 * system's reason, "Is a directory"), at file:line for a line past
 * BESS_LINE_MAX ("is this a <what> file?") or a NUL byte.
 */
int bess_line_next(FILE *fp, char **buf, size_t *cap, long *lineno, char **text,
    const char *name, const char *what, struct bess_err *err);

/*
 * Split a "key = value" line s (of file, at line) in place: both sides
 * trimmed, a value in double quotes unquoted. Returns 0, or -1 with err set
 * ("'x' is not 'key = value'") when s has no '='.
 */
int bess_line_kv(char *s, char **key, char **val, const char *file, long line,
    struct bess_err *err);

/*
 * The "timezone = NAME" key of a key = value file (tariff, devices): NAME
 * copied into buf (size bytes). 0, or -1 with err set at file:line when it
 * does not fit ("timezone name too long"). The zone is loaded by the caller.
 */
int bess_line_timezone(const char *val, char *buf, size_t size, const char *file, long line,
    struct bess_err *err);

/* s without leading and trailing white space (cut in place; returns a pointer into s). */
char *bess_line_trim(char *s);

/* Is s an id: 1 to 63 letters, digits, '_', '-' or '.' (a device's: it names topics and records)? */
int bess_line_id_ok(const char *s);

/* What a section's name may be (bess_line_section). */
enum bess_section_name {
	BESS_SECTION_NAME = 0,	/* 1 to 63 bytes (a tariff's period) */
	BESS_SECTION_ID		/* an id, bess_line_id_ok (a device) */
};

/*
 * The "[name]" header line s (it starts with '[') of a key = value file's
 * section, whose kind is what ("period", "device"): *name is the text
 * between the brackets, trimmed (cut in place inside s). Checked in this
 * order, each an error at file:line: the line ends at the ']' ("'[x' is not
 * a [period] header"), then the name ("a period name is 1 to 63 bytes, not
 * ''"; "a device id is 1 to 63 letters, digits, '_', '-' or '.', not 'a b'").
 * A name given twice is the caller's to refuse, as "period 'a' is defined
 * twice". 0, or -1 with err.
 */
int bess_line_section(char *s, const char *what, enum bess_section_name kind, char **name,
    const char *file, long line, struct bess_err *err);

#endif
