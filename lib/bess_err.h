/* bess_err.h: the error record every library function fills instead of printing. */
#ifndef BESS_ERR_H
#define BESS_ERR_H

#include <stddef.h>

/*
 * A library call that fails returns -1 (or NULL) and fills one of these;
 * only cmd/ decides how to print it and which status to exit with.
 * Printed as "prog: file:line: msg" (file and line left out when unknown).
 */
struct bess_err {
	char msg[512];		/* lower-case message, no final full stop */
	char file[256];		/* input name ("<stdin>" for stdin), "" if none */
	long line;		/* 1-based line in file, 0 if none */
};

/* Fill err (if not NULL) with a printf-style message; file may be NULL. Returns -1. */
int bess_err_set(struct bess_err *err, const char *file, long line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Clear err to "no error". */
void bess_err_clear(struct bess_err *err);

/* Format err as "file:line: msg" (or "file: msg", or "msg") into buf. */
const char *bess_err_str(const struct bess_err *err, char *buf, size_t len);

#endif
