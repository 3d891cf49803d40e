/* bess_health.h: health checks over BMS and PCS telemetry — streaming, constant memory, events as they close. */
#ifndef BESS_HEALTH_H
#define BESS_HEALTH_H

#include "bess_err.h"
#include "bess_rec.h"
#include "bess_time.h"

/* The largest reading (V, degC, A, %) taken, either way; a larger one is an error at its line. */
#define BESS_HEALTH_MAX_ABS	1e9

/* What an event is about. */
enum bess_hkind {
	BESS_HK_CELL_V_SPREAD = 0,	/* cell_max_v - cell_min_v over the limit */
	BESS_HK_TEMP_SPREAD,		/* cell_max_c - cell_min_c over the limit */
	BESS_HK_CELL_V_HIGH,		/* cell_max_v above the cell's charge cut-off */
	BESS_HK_CELL_V_LOW,		/* cell_min_v below the discharge cut-off */
	BESS_HK_TEMP_HIGH,		/* cell_max_c above the limit */
	BESS_HK_TEMP_LOW,		/* cell_min_c below the limit */
	BESS_HK_SOC_JUMP,		/* SOC moved between two samples more than the current explains */
	BESS_HK_SOC_DRIFT,		/* SOC drifted from the coulomb count of the pack current */
	BESS_HK_STUCK,			/* a reading unchanged for too long */
	BESS_HK_GAP,			/* no record for too long */
	BESS_HK_PHASE_IMBALANCE,	/* PCS phase currents unequal */
	BESS_HK_PCS_TEMP_HIGH,		/* PCS (IGBT) temperature above the limit */
	BESS_HK_N
};

/* The limits; bess_health_defaults fills them (sources in bess-health(1)). */
struct bess_health_limits {
	double cell_v_spread_v;		/* V: highest minus lowest cell voltage */
	double temp_spread_c;		/* degC: hottest minus coldest cell */
	double cell_v_max_v;		/* V: highest cell voltage allowed */
	double cell_v_min_v;		/* V: lowest */
	double temp_max_c;		/* degC: hottest cell allowed */
	double temp_min_c;		/* degC: coldest */
	double soc_jump_pct;		/* %-points between two samples not explained by the current */
	double soc_drift_pct;		/* %-points between SOC and its coulomb count */
	double capacity_ah;		/* Ah, for the coulomb count; 0 = unknown (SOC jumps alone, no drift) */
	long long stuck_us;		/* a reading unchanged this long is stuck */
	long long gap_us;		/* no record this long is a gap; 0 = 10 x the device's usual spacing */
	double phase_imbalance_pct;	/* (max - min) / mean of the phase currents, % */
	double phase_min_a;		/* A: mean phase current below this is not checked */
	double pcs_temp_max_c;		/* degC: PCS (IGBT) temperature allowed */
};

/* One event: a condition that held from start to end (both sample times) on one device. */
struct bess_health_event {
	const char *device;		/* "" when the stream has no device column */
	bess_time_t start, end;		/* first and last sample where it held (a gap or jump: the two samples) */
	enum bess_hkind kind;
	const char *column;		/* the reading concerned (stuck: which one) */
	int alarm;			/* 1 alarm (a limit of the cells or the PCS), 0 warning */
	double value;			/* the worst value while it held (spread, jump, seconds of gap, ...) */
	double limit;			/* the limit it broke */
	const char *unit;		/* of value and limit: "V", "C", "%", "s" */
	int opening;			/* 1: the condition has just been confirmed and still holds
					 * (end not known; value is the value so far); see
					 * bess_health_report_starts */
};

/* Per-device figures for the summary. */
struct bess_health_dev {
	const char *device;
	long long records;
	bess_time_t first, last;
	long long events[BESS_HK_N];	/* per kind */
	double max_v_spread_v, max_temp_spread_c;	/* NAN when not seen */
	double min_soc_pct, max_soc_pct, max_cell_c, max_pcs_c;
};

typedef int (*bess_health_event_fn)(void *ctx, const struct bess_health_event *e, struct bess_err *err);

struct bess_health;

void bess_health_defaults(struct bess_health_limits *l);
/* A kind's name: "cell_v_spread", "soc_jump", ... */
const char *bess_hkind_name(enum bess_hkind k);

/* Start checking with limits l; events go to fn as they close. NULL when out of memory. */
struct bess_health *bess_health_new(const struct bess_health_limits *l, bess_health_event_fn fn,
    void *ctx);
/* on != 0: a condition that holds over a run of samples (spreads, limits, drift, phases, PCS
 * heat, stuck readings) is also reported when it is confirmed, as an event with opening = 1,
 * before the closing event with its end and worst value (a live stream). Gaps and jumps, known
 * only once both samples are in, have the closing event alone. Default off. */
void bess_health_report_starts(struct bess_health *h, int on);
/* 1 if the checks read column name (ts, device and the readings), 0 for any other. */
int bess_health_reads(const char *name);
/* The input's columns (call again when an NDJSON schema grows). -1 with err when there is no ts. */
int bess_health_columns(struct bess_health *h, const struct bess_schema *s, struct bess_err *err);
/* One record, in time order per device. -1 with err (file:line) on bad data. */
int bess_health_feed(struct bess_health *h, const struct bess_rec *r, const char *file,
    struct bess_err *err);
/* End of input: close every open event. */
int bess_health_finish(struct bess_health *h, struct bess_err *err);
/* How many devices were seen, and the i-th in order of first appearance. */
size_t bess_health_ndevices(const struct bess_health *h);
const struct bess_health_dev *bess_health_device(const struct bess_health *h, size_t i);
void bess_health_free(struct bess_health *h);

#endif
