/* err.c: fill and format struct bess_err. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bess_err.h"

int
bess_err_set(struct bess_err *err, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
bess_err_clear(struct bess_err *err)
{
	if (err == NULL)
		return;
	err->msg[0] = '\0';
	err->file[0] = '\0';
	err->line = 0;
}

const char *
bess_err_str(const struct bess_err *err, char *buf, size_t len)
{
	if (err->file[0] && err->line > 0)
		snprintf(buf, len, "%s:%ld: %s", err->file, err->line, err->msg);
	else if (err->file[0])
		snprintf(buf, len, "%s: %s", err->file, err->msg);
	else
		snprintf(buf, len, "%s", err->msg);
	return buf;
}
