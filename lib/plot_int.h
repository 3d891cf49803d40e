/* plot_int.h: the records a chart draws (lib/plotdata.c) as the script builder (lib/plot.c) reads them; private to the two. */
#ifndef BESS_PLOT_INT_H
#define BESS_PLOT_INT_H

#include <stdint.h>

#include "bess_plot.h"
#include "bess_qty.h"

struct known {
	const char *col;	/* canonical column name */
	int panel;		/* enum bess_panel */
	const char *color;	/* its colour, NULL: one chosen for it */
};
extern const struct known bess_plot_known[];	/* ends with a NULL col */

#define MAXCH		48			/* channels: known columns and --columns */

/* Channels the status strip and the daily and price views read: their index, or MAXCH (always NaN). */
enum { SP_PRICE, SP_BAT, SP_CH, SP_DIS, SP_TC, SP_TD, SP_SOC, SP_SOCPCT, SP_N };

/* One local day of one channel. */
struct dayacc {
	double sum;	/* sum of the values (battery_kw: unused) */
	double psum;	/* battery_kw: sum of the charging parts (> 0, else 0) */
	double nsum;	/* battery_kw: sum of the discharging parts (< 0, else 0) */
	double lo, hi;	/* min and max, NAN before the first value */
	long cnt;	/* values */
};

/* The records gathered for a chart (bess_plot_data_new). */
struct bess_plot_data {
	struct bess_plot_opts o;	/* copy of the options (pointers are the caller's) */
	double window_s;		/* keep records within this of the newest one; 0 = all */
	size_t rows_cap;		/* rows kept before gathering them in buckets */
	int nch;			/* channels */
	char *chname[MAXCH];		/* their column names */
	int present[MAXCH + 1];		/* the column appeared in an input ([MAXCH]: never) */
	int hasval[MAXCH];		/* ... and held a value */
	int drawn[MAXCH];		/* drawn (not only read for the status strip) */
	int sp[SP_N];			/* channels of sp_name[], MAXCH when not drawn */
	double *v[MAXCH];		/* per row (NaN = missing), allocated when the column appears */
	double *x;			/* row times, seconds since 1970 */
	size_t start, n, cap;		/* rows [start, n) are live; cap allocated */
	size_t nrec;			/* records read */
	size_t dropped;			/* records that left the window */
	unsigned compactions;		/* times the rows were gathered in buckets */
	double bucket_s;		/* the last bucket width, seconds */
	char file[256];			/* first input's name, for messages */
	/* the reader being read */
	const struct bess_schema *schema;	/* its schema (grows) */
	int *map;			/* schema index -> channel, -1 = not drawn, -2 = ts, -3 = status */
	size_t nmap;
	/* daily view (and text over long spans): per local day and channel */
	int days;			/* keep day sums */
	int64_t day0;			/* first day (days since 1970, local) */
	size_t nday;
	struct dayacc *day;		/* [nday * MAXCH] */
	/* price view */
	int pairs;			/* keep the price view's data */
	double *pp, *pb;		/* price and battery power of every pstride-th record */
	size_t np, pstride, pseen;
	double hsum[24][3];		/* per local hour: price, charging part, discharging part sums */
	long hcnt[24][3];
	/* status strip */
	double last_x;			/* newest record, seconds (NAN = none) */
	double soc_kwh, soc_pct;	/* last SOC values */
	double bat_kw, tc_kw, td_kw;	/* last command: battery_kw, target_charge_kw, target_discharge_kw */
	double cmd_x;			/* when the last command came */
	char status[40];		/* last 'status' text, printable ASCII only */
	/* per-device records (o.by_device) */
	int bydev;			/* 1: gathered by time, a series per device */
	int bydev_known;		/* the choice is made (on the first schema with columns) */
	int ndev;			/* devices seen */
	signed char devpanel[MAXCH];	/* a device's channel: its panel + 1; 0 = not a device's */
	signed char devidx[MAXCH];	/* ... and the device's number (its colour) */
};

/* The channel of column name, or -1. */
int bess_plot_data_ch(const struct bess_plot_data *d, const char *name);
/* The reader's schema s grew (or a new reader began): map its columns onto channels. 0, or -1 (out of memory). */
int bess_plot_data_map(struct bess_plot_data *d, const struct bess_schema *s);

/* The civil time of t in zone tz (NULL: UTC). */
static inline void
to_civil(const struct bess_tz *tz, bess_time_t t, struct bess_civil *c)
{
	if (tz)
		bess_time_to_civil(tz, t, c);
	else
		bess_time_to_civil_utc(t, c);
}

#endif
