# env.sh: a clean, reproducible environment for tests (sourced): our binaries first, no user config.
top=${top:-$(pwd)}
PATH="$top/bin:$PATH"
BESS_NO_CONFIG=1
LC_ALL=C
export PATH BESS_NO_CONFIG LC_ALL
# no BESS_* setting from the caller may change a test
for v in $(env | sed -n 's/^\(BESS_[A-Z0-9_]*\)=.*/\1/p'); do
	[ "$v" = BESS_NO_CONFIG ] || unset "$v"
done
# the real third-party data, when this checkout sits beside it
SHARED_REAL=${SHARED_REAL:-$top/../shared/data/real}
DATA=$top/data
export SHARED_REAL DATA
