/* devsim.c: --simulate with devices — each device's instructions read from per-device records, and the site's load they make. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bess_devplan.h"
#include "bess_devsim.h"

/* Device d's power for a record: 0 with an error set when the record is not one d can follow. */
static int
instruction(const struct bess_device *d, const char *command, const char *pw, const char *file, long line,
    double *power_kw, unsigned char *on, struct bess_err *err)
{
	char *end;
	double p;
	int j;

	if (d->kind == BESS_DEV_SHIFTABLE) {
		p = strtod(pw, &end);
		if (*pw == '\0' || *end != '\0' || !isfinite(p))
			return bess_err_set(err, file, line, "column 'power_kw': '%s' is not a number", pw);
		for (j = 0; j < d->nlevel && fabs(p - d->level_kw[j]) > 1e-6 * (1 + d->level_kw[j]); j++)
			;
		if (fabs(p) > 1e-9 && j == d->nlevel)
			return bess_err_set(err, file, line, "device '%s': %g kW is not 0 or one of its levels",
			    d->id, p);
		*power_kw = j < d->nlevel ? d->level_kw[j] : 0;
		*on = j < d->nlevel;
		return 0;
	}
	if (strcmp(command, "ON") != 0 && strcmp(command, "OFF") != 0)
		return bess_err_set(err, file, line, "column 'command': '%s' is not ON or OFF", command);
	if (d->kind == BESS_DEV_ESSENTIAL && strcmp(command, "OFF") == 0)
		return bess_err_set(err, file, line, "device '%s' is essential: it is never switched off", d->id);
	*on = strcmp(command, "ON") == 0;
	*power_kw = *on ? d->power_kw : 0;
	return 0;
}

int
bess_devsim_read(const struct bess_devices *dv, const struct bess_table *cmd, const bess_time_t *ts,
    size_t n, long long step_us, double dt_h, double *power_kw, unsigned char *on, size_t *nbat,
    struct bess_err *err)
{
	int cdev = cmd ? bess_table_col(cmd, "device") : -1, cpow = cmd ? bess_table_col(cmd, "power_kw") : -1;
	int ckind = cmd ? bess_table_col(cmd, "kind") : -1, ccmd = cmd ? bess_table_col(cmd, "command") : -1;
	const char *name = cmd && cmd->nfile ? cmd->file[0] : "<stdin>";
	unsigned char *seen, *any;
	size_t r, i, k;
	int rc = -1;

	*nbat = 0;
	if (cmd != NULL && (cdev < 0 || cpow < 0 || ckind < 0 || ccmd < 0))
		return bess_err_set(err, name, 0, "no '%s' column (per-device records: ts, device, kind, "
		    "command, power_kw, ...)", cdev < 0 ? "device" : cpow < 0 ? "power_kw" : ckind < 0 ? "kind" :
		    "command");
	if ((seen = calloc(dv->ndev * n + 1, 1)) == NULL || (any = calloc(dv->ndev + 1, 1)) == NULL) {
		free(seen);
		return bess_err_set(err, NULL, 0, "out of memory");
	}
	for (r = 0; cmd && r < cmd->n; r++) {
		const char *file = cmd->file[cmd->src[r]], *dev = bess_table_get(cmd, r, cdev);
		const char *kind = bess_table_get(cmd, r, ckind);
		long line = cmd->line[r];
		long long off;
		int d;

		if (strcmp(kind, "battery") == 0) {
			(*nbat)++;
			continue;
		}
		if ((d = bess_devices_find(dv, dev)) < 0) {
			bess_err_set(err, file, line, "device '%s' is not in %s", dev, dv->name);
			goto done;
		}
		i = (size_t)d;
		if (strcmp(kind, bess_dev_kind_name(dv->dev[i].kind)) != 0) {
			bess_err_set(err, file, line, "device '%s' is %s in %s, not '%s'", dev,
			    bess_dev_kind_name(dv->dev[i].kind), dv->name, kind);
			goto done;
		}
		if (n == 0 || cmd->ts[r] < ts[0] || (off = cmd->ts[r] - ts[0]) % step_us != 0 ||
		    (k = (size_t)(off / step_us)) >= n || ts[k] != cmd->ts[r]) {
			bess_err_set(err, file, line, "the time is not a step of the site's data");
			goto done;
		}
		if (seen[i * n + k]) {
			bess_err_set(err, file, line, "device '%s' has a second record for this step", dev);
			goto done;
		}
		if (instruction(&dv->dev[i], bess_table_get(cmd, r, ccmd), bess_table_get(cmd, r, cpow), file,
		    line, &power_kw[i * n + k], &on[i * n + k], err) != 0)
			goto done;
		seen[i * n + k] = any[i] = 1;
	}
	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *dd = &dv->dev[i];

		if (!any[i]) {
			/* no instruction at all: the no-action rule */
			bess_devices_baseline(dv, i, ts, n, dt_h, power_kw + i * n);
			for (k = 0; k < n; k++)
				on[i * n + k] = dd->kind != BESS_DEV_SHIFTABLE || power_kw[i * n + k] > 0;
			continue;
		}
		for (k = 0; k < n; k++)
			if (!seen[i * n + k]) {
				power_kw[i * n + k] = dd->kind == BESS_DEV_SHIFTABLE ? 0 : dd->power_kw;
				on[i * n + k] = dd->kind != BESS_DEV_SHIFTABLE;
			}
	}
	rc = 0;
done:
	free(seen);
	free(any);
	return rc;
}

void
bess_devsim_load(const struct bess_devices *dv, size_t n, const double *power_kw, const double *load_kw,
    double *out)
{
	size_t i, t;

	for (t = 0; t < n; t++)
		out[t] = load_kw ? load_kw[t] : 0;
	for (i = 0; i < dv->ndev; i++) {
		const struct bess_device *d = &dv->dev[i];

		if (d->kind == BESS_DEV_ESSENTIAL)
			continue;
		for (t = 0; t < n; t++)
			out[t] += power_kw[i * n + t] - (d->kind == BESS_DEV_SHEDDABLE ? d->power_kw : 0);
	}
}
