#!/bin/sh
# deps.sh: make sure what a make target needs is installed; on Debian/Ubuntu install it with apt-get.
# Usage: sh tests/deps.sh build|check|bench
set -u
what=${1:-build}

# package:probe pairs; a probe is a header path (/usr/include/...), or a command name
build_pkgs="gcc:gcc make:make pkg-config:pkg-config libglpk-dev:/usr/include/glpk.h
libjansson-dev:/usr/include/jansson.h libcsv-dev:/usr/include/csv.h
libmosquitto-dev:/usr/include/mosquitto.h tzdata:/usr/share/zoneinfo/Europe/Berlin"
run_pkgs="gnuplot-nox:gnuplot"
check_pkgs="mosquitto:/usr/sbin/mosquitto mosquitto-clients:mosquitto_sub influxdb:influxd
python3-numpy:/usr/lib/python3/dist-packages/numpy/__init__.py python3-scipy:/usr/lib/python3/dist-packages/scipy/__init__.py
curl:curl openssl:openssl perl:perl parallel:parallel chromium:chromium
gnuplot-nox:gnuplot glpk-utils:glpsol zsh:zsh libxml2-utils:xmllint tmux:tmux mandoc:mandoc"
bench_pkgs="miller:mlr python3-pandas:/usr/lib/python3/dist-packages/pandas/__init__.py
python3-scipy:/usr/lib/python3/dist-packages/scipy/__init__.py hyperfine:hyperfine
mosquitto:/usr/sbin/mosquitto mosquitto-clients:mosquitto_pub time:/usr/bin/time
python3-statsmodels:/usr/lib/python3/dist-packages/statsmodels/__init__.py jq:jq"

case $what in
build) want="$build_pkgs $run_pkgs" ;;
check) want="$build_pkgs $run_pkgs $check_pkgs" ;;
bench) want="$build_pkgs $run_pkgs $bench_pkgs" ;;
*) echo "deps.sh: unknown target '$what' (build, check or bench)" >&2; exit 2 ;;
esac

missing=""
for pair in $want; do
	pkg=${pair%%:*}
	probe=${pair#*:}
	case $probe in
	/*) [ -e "$probe" ] && continue ;;
	*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done
[ -z "$missing" ] && exit 0

if [ -r /etc/os-release ] && command -v apt-get >/dev/null 2>&1 &&
    grep -Eqi '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then
	if [ "$(id -u)" = 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "bess: missing packages:$missing; run as root: apt-get install$missing" >&2
		exit 1
	fi
	echo "bess: installing missing Debian packages for 'make $what':$missing"
	export DEBIAN_FRONTEND=noninteractive
	if ! $sudo apt-get install -y -q $missing >/dev/null 2>&1; then
		$sudo apt-get update -q >/dev/null 2>&1
		$sudo apt-get install -y -q $missing || {
			echo "bess: apt-get install$missing failed" >&2; exit 1; }
	fi
	exit 0
fi
echo "bess: missing for 'make $what':$missing" >&2
echo "bess: on Debian or Ubuntu: apt-get install$missing (names differ on other systems)" >&2
exit 1
