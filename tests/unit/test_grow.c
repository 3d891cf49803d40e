/* test_grow.c: lib/grow.c, the one doubling rule of the library's growing arrays and text buffers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bess_grow.h"
#include "tap.h"

int
main(void)
{
	size_t cap = 0;
	char *p = NULL, *q;
	int i;

	/* by hand: from 0 the first size; then doubled until the need fits; a need that fits keeps it */
	is_int(bess_grow_cap(0, 1, 16, 1), 16, "an empty array takes the first size");
	is_int(bess_grow_cap(0, 17, 16, 1), 32, "... doubled once for 17");
	is_int(bess_grow_cap(0, 100, 16, 1), 128, "... 16, 32, 64, 128 for 100");
	is_int(bess_grow_cap(16, 16, 4096, 1), 16, "a need that fits keeps the capacity");
	is_int(bess_grow_cap(16, 17, 4096, 1), 32, "a grown array doubles itself, not the first size");
	is_int(bess_grow_cap(0, 5, 0, 1), 8, "a first size of 0 counts as 1: 1, 2, 4, 8");
	/* past SIZE_MAX: doubling, or elements times their size */
	is_int(bess_grow_cap(0, SIZE_MAX, 16, 1), 0, "doubling past SIZE_MAX is out of memory");
	is_int(bess_grow_cap(0, SIZE_MAX / 8 + 1, 16, 8), 0, "elements times their size past SIZE_MAX");

	/* a text buffer grown byte by byte holds what was put in, in a capacity doubled from 4 */
	for (i = 0; i < 100; i++) {
		if ((q = bess_grow(p, &cap, (size_t)i + 2, 4, 1)) == NULL)
			break;
		p = q;
		p[i] = (char)('a' + i % 26);
		p[i + 1] = '\0';
	}
	ok(i == 100 && strlen(p) == 100 && p[26] == 'a' && p[99] == 'v', "100 bytes put in one by one");
	is_int(cap, 128, "4, 8, ... 128 holds 101 bytes");
	ok(bess_grow(p, &cap, 50, 4, 1) == p && cap == 128, "a need that fits: the same array");
	q = bess_grow(p, &cap, SIZE_MAX, 4, 1);
	ok(q == NULL && cap == 128 && strlen(p) == 100, "out of memory: NULL, the array and capacity unchanged");
	free(p);
	cap = 0;
	p = bess_grow(NULL, &cap, 0, 16, sizeof(double));
	ok(p != NULL && cap == 16, "a need of 0 still answers with an array (of the first size)");
	free(p);
	return done();
}
