/* line.c: one line of a small text file, read with a length limit. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bess_err.h"
#include "bess_grow.h"
#include "bess_line.h"

ssize_t
bess_line_read(FILE *fp, char **buf, size_t *cap, size_t max)
{
	size_t n = 0;
	int ch;

	flockfile(fp);
	while ((ch = getc_unlocked(fp)) != EOF) {
		if (n + 2 > *cap) {
			size_t nc = bess_grow_cap(*cap, n + 2, 256, 1);
			char *nb;

			if (nc > max + 2)
				nc = max + 2;	/* the limit: a longer line is refused, not held */
			if (n + 2 > nc || (nb = realloc(*buf, nc)) == NULL) {
				funlockfile(fp);
				return -2;	/* too long (or no memory for a line within the limit) */
			}
			*buf = nb;
			*cap = nc;
		}
		(*buf)[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	funlockfile(fp);
	if (n == 0)
		return -1;
	(*buf)[n] = '\0';
	return (ssize_t)n;
}

FILE *
bess_line_open(const char *path, int dash, struct bess_err *err)
{
	FILE *fp;

	if (dash && strcmp(path, "-") == 0)
		return stdin;
	if ((fp = fopen(path, "r")) == NULL)
		bess_err_set(err, path, 0, "%s", strerror(errno));
	return fp;
}

char *
bess_line_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
bess_line_next(FILE *fp, char **buf, size_t *cap, long *lineno, char **text,
    const char *name, const char *what, struct bess_err *err)
{
	ssize_t len;
	char *s, *hash;

	for (;;) {
		errno = 0;
		if ((len = bess_line_read(fp, buf, cap, BESS_LINE_MAX)) == -1) {
			if (ferror(fp))
				return bess_err_set(err, name, 0, "%s", errno ? strerror(errno) : "read error");
			return 0;
		}
		++*lineno;
		if (len == -2) {
			bess_err_set(err, name, *lineno, "line longer than %d bytes (is this a %s file?)",
			    BESS_LINE_MAX, what);
			return -1;
		}
		s = *buf;
		if (strlen(s) != (size_t)len) {
			bess_err_set(err, name, *lineno, "NUL byte (is this a text file?)");
			return -1;
		}
		if (*lineno == 1 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;	/* a UTF-8 BOM */
		if ((hash = strchr(s, '#')) != NULL)
			*hash = '\0';
		s = bess_line_trim(s);
		if (*s != '\0') {
			*text = s;
			return 1;
		}
	}
}

int
bess_line_kv(char *s, char **key, char **val, const char *file, long line, struct bess_err *err)
{
	char *eq, *v;
	size_t n;

	if ((eq = strchr(s, '=')) == NULL)
		return bess_err_set(err, file, line, "'%s' is not 'key = value'", s);
	*eq = '\0';
	*key = bess_line_trim(s);
	v = bess_line_trim(eq + 1);
	n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		v++;
	}
	*val = v;
	return 0;
}

int
bess_line_timezone(const char *val, char *buf, size_t size, const char *file, long line,
    struct bess_err *err)
{
	if (strlen(val) >= size)
		return bess_err_set(err, file, line, "timezone name too long");
	memcpy(buf, val, strlen(val) + 1);
	return 0;
}

int
bess_line_id_ok(const char *s)
{
	const char *p;

	if (*s == '\0' || strlen(s) >= 64)
		return 0;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	return 1;
}

int
bess_line_section(char *s, const char *what, enum bess_section_name kind, char **name,
    const char *file, long line, struct bess_err *err)
{
	char *end = strchr(s, ']'), *nm;

	if (end == NULL || end[1] != '\0')
		return bess_err_set(err, file, line, "'%s' is not a [%s] header", s, what);
	*end = '\0';
	nm = bess_line_trim(s + 1);
	if (kind == BESS_SECTION_ID && !bess_line_id_ok(nm))
		return bess_err_set(err, file, line, "a %s id is 1 to 63 letters, digits, '_', '-' or '.', "
		    "not '%s'", what, nm);
	if (kind == BESS_SECTION_NAME && (*nm == '\0' || strlen(nm) >= 64))
		return bess_err_set(err, file, line, "a %s name is 1 to 63 bytes, not '%s'", what, nm);
	*name = nm;
	return 0;
}
