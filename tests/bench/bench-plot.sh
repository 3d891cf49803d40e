#!/bin/sh
# bench-plot.sh: a year at 15 minutes to PNG — bess-plot (min/max per pixel column) against gnuplot plotting every point as a user would.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null 2>&1 || { echo "  gnuplot not installed (Debian: gnuplot-nox): skipped"; exit 0; }
Y=$B/plot-year.csv
awk -v start=1672531200 -v n=35040 -f "$top/tests/integration/plot-gen.awk" >"$Y"
echo "  input: $(($(wc -l <"$Y") - 1)) records (a year at 15 minutes), $(wc -c <"$Y" | tr -d ' ') bytes"

# What a user would write by hand: the CSV straight into gnuplot, every point, same four panels.
cat >"$B/plot-naive.gp" <<GP
set terminal pngcairo size 1200,970 font 'sans,10'
set datafile separator ','
set xdata time
set timefmt '%Y-%m-%dT%H:%M:%SZ'
set format x '%d %b'
set key autotitle columnhead
set style fill solid 1.0 noborder
set multiplot layout 4,1
plot '$Y' using 1:2 with steps title 'price'
plot '$Y' using 1:(\$3 > 0 ? \$3 : 0):(900) with boxes lc rgb '#2ca02c' title 'charge', \
     '' using 1:(\$3 < 0 ? \$3 : 0):(900) with boxes lc rgb '#d62728' title 'discharge'
plot '$Y' using 1:4 with lines title 'soc_kwh'
plot '$Y' using 1:5 with steps title 'load_kw', '' using 1:6 with steps title 'solar_kw', \
     '' using 1:7 with steps title 'grid_import_kw', '' using 1:8 with steps title 'grid_export_kw'
unset multiplot
GP

measure "bess-plot -o year.png (min/max per column)" bess-plot -o "$B/plot-year.png" "$Y" || exit 1
bess=$SECS
measure "gnuplot, every point (hand-written script)" sh -c "gnuplot '$B/plot-naive.gp' >'$B/plot-naive.png'" || exit 1
naive=$SECS
measure "bess-plot --all-points -o year.png" bess-plot --all-points -o "$B/plot-all.png" "$Y" || exit 1
allp=$SECS
measure "bess-plot --script (no gnuplot)" sh -c "bess-plot --script '$Y' >'$B/plot-year.gp'" || exit 1
measure "bess-plot -o year.html" bess-plot -o "$B/plot-year.html" "$Y" || exit 1
measure "bess-plot --view daily -o year.png" bess-plot --view daily -o "$B/plot-daily.png" "$Y" || exit 1
measure "bess-plot --view price -o year.png" bess-plot --view price -o "$B/plot-price.png" "$Y" || exit 1
ratio "$naive" "$bess" "gnuplot every point / bess-plot"
ratio "$allp" "$bess" "bess-plot --all-points / bess-plot"
awk -v s="$bess" 'BEGIN { printf "  target: a year to PNG in under 2 s whole process: %s s (%s)\n", s, s < 2 ? "met" : "NOT met" }'
echo "  sizes: bess-plot $(wc -c <"$B/plot-year.png" | tr -d ' ') B png, script $(wc -c <"$B/plot-year.gp" | tr -d ' ') B, html $(wc -c <"$B/plot-year.html" | tr -d ' ') B"
