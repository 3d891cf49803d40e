/* grow.c: how every growing array and text buffer in the library grows — its capacity doubled until the need fits (bess_grow.h). */
#include <stdint.h>
#include <stdlib.h>

#include "bess_grow.h"

size_t
bess_grow_cap(size_t cap, size_t need, size_t first, size_t size)
{
	size_t c = cap ? cap : first;

	if (need <= cap)
		return cap;
	if (c == 0)
		c = 1;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return 0;
		c *= 2;
	}
	if (size != 0 && c > SIZE_MAX / size)
		return 0;
	return c;
}

void *
bess_grow(void *p, size_t *cap, size_t need, size_t first, size_t size)
{
	size_t c;
	void *q;

	if (need == 0)
		need = 1;	/* so that an array that answers is never NULL */
	if ((c = bess_grow_cap(*cap, need, first, size)) == 0)
		return NULL;
	if (c == *cap)
		return p;
	if ((q = realloc(p, c * size)) == NULL)
		return NULL;
	*cap = c;
	return q;
}
