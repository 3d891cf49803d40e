/* test_hrun.c: bess-health's limits as options (units, ranges, durations) and the --limits table, by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bess_hrun.h"
#include "check.h"

/* The option id of limit name in the joined table, -1 if none. */
static int
id_of(const struct bess_optdef *all, const char *name)
{
	for (; all->name; all++)
		if (strcmp(all->name, name) == 0)
			return all->id;
	return -1;
}

int
main(void)
{
	static const struct bess_optdef own[] = { { "limits", 0, BESS_OPT_FLAG, 3 }, { NULL, 0, 0, 0 } };
	struct bess_optdef *all = bess_hlimit_optdefs_join(own);
	struct bess_health_limits l;
	struct bess_err err;
	char text[4096];
	FILE *fp;
	size_t n;

	bess_health_defaults(&l);
	check(all != NULL && strcmp(all[0].name, "limits") == 0 && strcmp(all[1].name, "cell-v-spread") == 0,
	    "join: the tool's options first, then the limits'");
	check(!bess_hlimit_is_opt(3) && bess_hlimit_is_opt(id_of(all, "pcs-temp-max")),
	    "is_opt: the tool's own id is not a limit, --pcs-temp-max is");
	check(bess_hlimit_set(&l, id_of(all, "cell-v-spread"), "30mV", &err) == 0 && l.cell_v_spread_v == 0.03,
	    "set: 30mV is 0.03 V");
	check(bess_hlimit_set(&l, id_of(all, "cell-v-spread"), "0", &err) == -1, "set: a spread of 0 is refused");
	same(err.msg, "'0' must be above 0", "set: ... saying so");
	check(bess_hlimit_set(&l, id_of(all, "phase-min"), "0", &err) == 0 && l.phase_min_a == 0,
	    "set: a phase minimum of 0 A is allowed");
	check(bess_hlimit_set(&l, id_of(all, "temp-min"), "-30", &err) == 0 && l.temp_min_c == -30,
	    "set: a temperature below 0 is allowed");
	check(bess_hlimit_set(&l, id_of(all, "stuck"), "10m", &err) == 0 && l.stuck_us == 600000000LL,
	    "set: --stuck 10m is 600 s");
	check(bess_hlimit_set(&l, id_of(all, "capacity"), "280Ah", &err) == 0 && l.capacity_ah == 280,
	    "set: --capacity 280Ah");

	/* the table: stuck 10 min is 600 s; the gap learned from the data is empty */
	fp = tmpfile();
	check(bess_hlimits_write(&l, fp, BESS_FMT_CSV, &err) == 0, "limits: written");
	rewind(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	check(strncmp(text, "limit,value,unit,source\n", 24) == 0, "limits: the header");
	check(strstr(text, "\ncell-v-spread,0.03,V,") != NULL, "limits: the spread in force, 0.03 V");
	check(strstr(text, "\nstuck,600,s,") != NULL, "limits: stuck 600 s");
	check(strstr(text, "\ngap,,s,") != NULL, "limits: the gap learned from the data: empty");
	check(strstr(text, "\ncapacity,280,Ah,") != NULL, "limits: capacity 280 Ah");
	free(all);
	return done_testing();
}
