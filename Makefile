# havoc: top-level build.
#
#   make            build build/libhavoc.a and bin/havoc
#   make test       install missing Debian packages, build, run every test
#   make demo       install, build, run the main job and say where its results are
#   make bench      performance figures (ratios against baselines run in the same command)
#   make regress    every case of cases/ on 1 and 2 ranks against tests/regression/ (REPLACE=1: regenerate)
#   make ASAN=1 ... the same with address and undefined-behaviour sanitizers
#   make fuzz       libFuzzer on the network, case and unit parsers (clang, build-fuzz/); FUZZ_SECONDS=60 in all
#   make install PREFIX=/usr/local
#   make format     clang-format every C source and header
#   make clean

PREFIX  ?= /usr/local
BUILD   ?= build
BINDIR  := bin
CC      := mpicc
# Quiet by default; make V=1 shows the commands.
Q       := $(if $(filter 1,$(V)),,@)

PKGS     := PETSc hdf5-openmpi yaml-0.1 jansson cairo
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
# The kernels are limited by division and square-root throughput; these flags let gcc vectorize them
# while keeping IEEE semantics for every value the solver produces (no -ffast-math).
OPT     := -O3 -march=native -fno-math-errno -fno-trapping-math
ifeq ($(ASAN),1)
  OPT     := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDSAN   := -fsanitize=address,undefined
  BUILD   := build-asan
  BINDIR  := bin-asan
endif
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GITREV  := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
CFLAGS  += -std=c17 -D_DEFAULT_SOURCE -g $(OPT) $(WARN) -MMD -MP -Isolver/include -Ipostproc/include $(PKG_CFLAGS) \
           -DHAVOC_VERSION='"$(VERSION)"' -DHAVOC_GITREV='"$(GITREV)"'
LDLIBS  += $(PKG_LIBS) -lm
LDFLAGS += $(LDSAN)

LIB_SRC  := $(filter-out solver/src/main.c,$(wildcard solver/src/*.c)) $(wildcard postproc/src/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libhavoc.a
HAVOC    := $(BINDIR)/havoc

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
VAL_SRC  := $(wildcard tests/validation/val_*.c)
VAL_BIN  := $(VAL_SRC:tests/validation/%.c=$(BUILD)/tests/validation/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/tests/bench/%)

# Fuzz targets (tests/fuzz): clang with libFuzzer, address and undefined-behaviour sanitizers, in their own
# build directory with their own flags (no -march=native or -O3: the sanitizers and coverage need -O1).
# -Werror is the gcc build's gate; here it applies to the targets only, so that a warning only clang
# gives in the library does not stop the fuzz run.
FUZZ_BUILD   := build-fuzz
FUZZ_CC      := OMPI_CC=clang mpicc
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=c17 -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) $(filter-out -Werror,$(WARN)) -MMD -MP \
                -Isolver/include -Ipostproc/include -DHAVOC_VERSION='"$(VERSION)"' -DHAVOC_GITREV='"$(GITREV)"'
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/tests/fuzz/%)
FUZZ_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB := $(FUZZ_BUILD)/libhavoc.a

.PHONY: all deps test build-tests demo bench regress install format check-format clean fuzz fuzz-build
all: $(HAVOC)

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# A seed must give the same synthetic network or virtual patient on every machine, so no fused
# multiply-add there: under -march=native gcc 12 contracts a * b + c, and its SLP vectorizer turns the
# 2D rotation into vfmaddsub even with -ffp-contract=off.
$(BUILD)/solver/src/mesh_generate.o $(BUILD)/solver/src/variants.o: CFLAGS += -ffp-contract=off -fno-tree-slp-vectorize

$(HAVOC): $(BUILD)/solver/src/main.o $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(CHECK_CFLAGS) $< -o $@ $(LDFLAGS) $(LIB) $(CHECK_LIBS) $(LDLIBS)

define test_program_rule
$(BUILD)/tests/$(1)/%: tests/$(1)/%.c $(LIB)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  CC      $$<")
	$$(Q)$$(CC) $$(CFLAGS) $$< -o $$@ $$(LDFLAGS) $$(LIB) $$(LDLIBS)
endef
$(foreach d,validation tools bench,$(eval $(call test_program_rule,$(d))))

$(FUZZ_LIB): $(FUZZ_OBJ)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# The library gets coverage instrumentation without libFuzzer's main; the targets link libFuzzer.
$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (fuzz)")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (fuzz)")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer $(PKG_CFLAGS) $< -o $@ $(FUZZ_LIB) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

# The bounded run of the test suite (tests/cli/fuzz.sh): replays tests/fuzz/regressions, then fuzzes each
# target from the seed corpus of meshes/ and cases/, FUZZ_SECONDS in all.
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/cli/fuzz.sh

# Installs only what is missing; a no-op on a machine that has everything.
deps:
	@scripts/install-deps.sh

test: deps
	@$(MAKE) --no-print-directory build-tests
	@tests/run.sh $(if $(filter 1,$(ASAN)),--asan)
	@$(if $(filter 1,$(ASAN)),echo "regress: skipped under ASAN=1 (make regress ASAN=1 runs it)",$(MAKE) --no-print-directory regress)

build-tests: $(HAVOC) $(UNIT_BIN) $(VAL_BIN) $(TOOL_BIN)

demo: deps
	@$(MAKE) --no-print-directory $(HAVOC)
	@scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory $(HAVOC) $(BENCH_BIN)
	@tests/bench/run.sh

# Every case against its reference (scripts/regress.sh, docs/postproc.md "Regression suite");
# REPLACE=1 regenerates the references first (review them before committing).
regress: deps
	@$(MAKE) --no-print-directory $(HAVOC)
	@BIN=$(BINDIR) scripts/regress.sh $(if $(filter 1,$(REPLACE)),--replace)

install: $(HAVOC) $(LIB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/havoc \
	  $(DESTDIR)$(PREFIX)/share/havoc
	install -m 755 $(HAVOC) $(DESTDIR)$(PREFIX)/bin/havoc
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libhavoc.a
	install -m 644 solver/include/*.h postproc/include/*.h $(DESTDIR)$(PREFIX)/include/havoc/
	cp -r meshes cases $(DESTDIR)$(PREFIX)/share/havoc/

format:
	clang-format -i $(wildcard solver/include/*.h solver/src/*.c solver/src/*.h postproc/include/*.h postproc/src/*.c tests/*/*.c tests/*/*.h)

check-format:
	clang-format --dry-run -Werror $(wildcard solver/include/*.h solver/src/*.c solver/src/*.h postproc/include/*.h postproc/src/*.c tests/*/*.c tests/*/*.h)

clean:
	rm -rf build build-asan bin bin-asan $(FUZZ_BUILD)

-include $(shell find build build-asan $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
