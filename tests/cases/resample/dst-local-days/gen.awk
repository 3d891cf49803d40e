# gen.awk: hourly rows "ts,load_kwh,load_kw" = 1 kWh and 2 kW, from epoch second t0 for n hours
# (with ../civil.awk for rfc()).
BEGIN { print "ts,load_kwh,load_kw"; for (i = 0; i < n; i++) print rfc(t0 + 3600 * i) ",1,2" }
