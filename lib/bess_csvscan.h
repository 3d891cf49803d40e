/*
 * bess_csvscan.h: the one plain-field scanner of CSV lines, a word (8 bytes)
 * at a time, correct on either byte order. The record reader's splitter
 * (rec.c, which bess-ingest's blocks go through) and the block parser of
 * bess-resample (resample.c) both find a field's end with it.
 */
#ifndef BESS_CSVSCAN_H
#define BESS_CSVSCAN_H

#include <stdint.h>
#include <string.h>

#define BESS_W_ONES	0x0101010101010101ULL
#define BESS_W_HIGHS	0x8080808080808080ULL

/* The 8 bytes at p as a word with the byte at p lowest, on either byte order. */
static inline uint64_t
bess_load8(const void *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/*
 * The bytes of w (as bess_load8 gives it) equal to c, flagged by their high
 * bit. A borrow may flag a byte above a true one, never below it: the
 * lowest flag is exact, which is all a scan for the first one needs.
 */
static inline uint64_t
bess_byte_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (BESS_W_ONES * c);

	return (x - BESS_W_ONES) & ~x & BESS_W_HIGHS;
}

/*
 * The first byte of [p, end) that ends a field: the delimiter d; end if
 * there is none. With checks set (a line not known to be plain) also any
 * byte a plain field cannot hold: '\n', '\r', '"', NUL and bytes from 0x80
 * on; what the byte is tells the caller whether the line is plain (split on
 * d alone) or goes by libcsv's rules and the UTF-8 check. checks is a
 * constant at each call: the compiler keeps the one test asked for.
 */
static inline const char *
bess_csv_stop(const char *p, const char *end, unsigned char d, int checks)
{
	for (; end - p >= 8; p += 8) {
		uint64_t w = bess_load8(p);
		uint64_t t = bess_byte_eq(w, d);

		if (checks)
			t |= bess_byte_eq(w, '\n') | bess_byte_eq(w, '\r') | bess_byte_eq(w, '"') |
			    bess_byte_eq(w, 0) | (w & BESS_W_HIGHS);
		if (t != 0)
			return p + (__builtin_ctzll(t) >> 3);
	}
	for (; p < end; p++) {
		unsigned c = (unsigned char)*p;

		if (c == d || (checks && (c == '\n' || c == '\r' || c == '"' || c == 0 || c >= 0x80)))
			break;
	}
	return p;
}

#endif
