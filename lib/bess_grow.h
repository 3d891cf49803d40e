/* bess_grow.h: how every growing array and text buffer in the library grows — its capacity doubled until the need fits. */
#ifndef BESS_GROW_H
#define BESS_GROW_H

#include <stddef.h>

/*
 * The capacity (in elements) an array of cap elements grows to so that it
 * holds need: cap itself when it already does, else cap (first when cap is 0)
 * doubled until it does. 0 when that would pass SIZE_MAX elements of size
 * bytes (the caller's "out of memory").
 */
size_t bess_grow_cap(size_t cap, size_t need, size_t first, size_t size);

/*
 * The array p (cap elements of size bytes, malloc'd, or NULL) grown by
 * bess_grow_cap(*cap, need, first, size): the array (p itself when it already
 * holds need; need 0 counts as 1), with *cap its new capacity; or NULL when out of memory, p and
 * *cap unchanged. The new elements are not zeroed.
 */
void *bess_grow(void *p, size_t *cap, size_t need, size_t first, size_t size);

#endif
