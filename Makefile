# Makefile for bess: a static lib/libbess.a, the bess-* programs, tests, benchmarks, fuzzers.
# GNU make. Variables users set: PREFIX DESTDIR CC CFLAGS SANITIZE=address,undefined WERROR=1.

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
SYSCONFDIR  ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Wshadow $(if $(WERROR),-Werror)
SANFLAGS  = $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all)
PKGS      = jansson libmosquitto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ljansson -lmosquitto)
ALL_CPPFLAGS = -Ilib -Icmd -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DBESS_VERSION='"$(VERSION)"' -DBESS_SYSCONFDIR='"$(SYSCONFDIR)"' $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SANFLAGS) -MMD -MP
LDLIBS_ALL = -Wl,--as-needed -lglpk -lcsv $(PKG_LIBS) -lm $(LDLIBS)

LIB_SRC  := $(sort $(wildcard lib/*.c))
LIB_OBJ  := $(LIB_SRC:lib/%.c=build/lib/%.o)
CLI_SRC  := $(filter-out cmd/bess-%.c,$(wildcard cmd/*.c))
CLI_OBJ  := $(CLI_SRC:cmd/%.c=build/cmd/%.o)
PROG_SRC := $(sort $(wildcard cmd/bess-*.c))
PROGS    := $(PROG_SRC:cmd/%.c=bin/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS    := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
MAN1     := $(wildcard man/*.1)
MAN5     := $(wildcard man/*.5)
MAN7     := $(wildcard man/*.7)

# Rebuild everything when the flags change (e.g. SANITIZE on or off).
FLAGS_ID := $(CC) $(ALL_CFLAGS) $(ALL_CPPFLAGS)
$(shell mkdir -p build && (test -f build/flags && test "$$(cat build/flags)" = '$(FLAGS_ID)' || echo '$(FLAGS_ID)' > build/flags))

.PHONY: all check check-threads test demo bench fuzz install uninstall clean deps deps-build deps-check deps-bench
.DELETE_ON_ERROR:

all: lib/libbess.a $(PROGS)

lib/libbess.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

build/lib/%.o: lib/%.c build/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

build/cmd/%.o: cmd/%.c build/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

bin/%: build/cmd/%.o $(CLI_OBJ) lib/libbess.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(CLI_OBJ) lib/libbess.a $(LDLIBS_ALL)

build/tests/%: tests/unit/%.c lib/libbess.a build/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< lib/libbess.a $(LDLIBS_ALL)

# Install missing Debian packages (or name them elsewhere) before building.
deps-build:
	@sh tests/deps.sh build
deps-check:
	@sh tests/deps.sh check
deps-bench:
	@sh tests/deps.sh bench
deps: deps-check

check: deps-check
	@$(MAKE) --no-print-directory all units
	@sh tests/harness.sh $(UNITS)

units: $(UNITS)
test: check

# The tests that run threads — lib/blocks.c's parallel block readers (bess-ingest, bess-resample -j),
# lib/live.c's --live loop, lib/mqtt.c's publishing thread, lib/plotlive.c's --follow reader — built
# with ThreadSanitizer: CI's third pass (.ci/run). It rebuilds everything with SANITIZE=thread.
THREAD_TESTS = unit/test_blocks unit/test_mqttrec unit/test_mqttrun cases/dispatch cases/ingest \
	cases/mqtt cases/plot cases/resample integration/*mqtt* integration/*live* \
	integration/dispatch-parallel integration/ingest-blocks integration/plot-follow* \
	integration/progress
check-threads: deps-check
	@$(MAKE) --no-print-directory all units SANITIZE=thread
	@TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 $${TSAN_OPTIONS:-}" \
	    TESTS='$(THREAD_TESTS)' sh tests/harness.sh $(UNITS)

demo: deps-build
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh

bench: deps-bench
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh

# Each fuzz target runs briefly (FUZZ_SECONDS each, default 20) with clang's libFuzzer.
FUZZ_SECONDS ?= 20
fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN5),install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	$(if $(MAN7),install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/)
	for f in completions/*.bash; do [ -e "$$f" ] || continue; \
		install -m 644 "$$f" "$(DESTDIR)$(BASHCOMPDIR)/$$(basename "$$f" .bash)"; done
	for f in completions/_*; do [ -e "$$f" ] || continue; \
		install -m 644 "$$f" "$(DESTDIR)$(ZSHCOMPDIR)/"; done

uninstall:
	for p in $(PROGS); do rm -f "$(DESTDIR)$(BINDIR)/$$(basename $$p)"; done
	for m in $(MAN1); do rm -f "$(DESTDIR)$(MANDIR)/man1/$$(basename $$m)"; done
	for m in $(MAN5); do rm -f "$(DESTDIR)$(MANDIR)/man5/$$(basename $$m)"; done
	for m in $(MAN7); do rm -f "$(DESTDIR)$(MANDIR)/man7/$$(basename $$m)"; done
	for f in completions/*.bash; do [ -e "$$f" ] || continue; \
		rm -f "$(DESTDIR)$(BASHCOMPDIR)/$$(basename "$$f" .bash)"; done
	for f in completions/_*; do [ -e "$$f" ] || continue; \
		rm -f "$(DESTDIR)$(ZSHCOMPDIR)/$$(basename "$$f")"; done

clean:
	rm -rf build bin lib/libbess.a tests/out demo

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(PROG_SRC:cmd/%.c=build/cmd/%.d) $(UNITS:=.d)
