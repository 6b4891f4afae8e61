# imgdrift - compare two container image builds byte by byte.
#
#   make          build ./imgdrift
#   make test     install missing packages, build, run unit, CLI, browser
#                 (two pairs), real-archive (tests/world.sh) and hostile-input
#                 tests
#   make registry-test  images read from a docker-registry started on
#                 127.0.0.1 (part of make test)
#   make browser-test  the HTML report of every real pair in headless Chromium
#   make demo     install missing packages, build, diff a bundled rebuild pair
#   make deb      install debhelper and dpkg-dev, then build the Debian
#                 package (debian/) in $(BUILD)/deb; make deb-test installs
#                 it into a fresh Debian root (mmdebstrap) and runs it
#   make install  the binary, the man page and the bash and zsh completions
#                 under $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make
#                 uninstall removes them
#   make asan     the tests under AddressSanitizer + UBSan
#   make tsan     the unit and diff tests under ThreadSanitizer
#   make valgrind the CLI tests under valgrind memcheck
#   make analyze  cppcheck and scan-build
#   make bench-registry  diff straight from a local registry against
#                 skopeo copy + diff (bench/registry.py)
#   make bench    the benchmark harness (not a test: nothing is timed in CI);
#                 QUICK=1 for a tenth of the size (docs/performance.md)
#   make fuzz     build the libFuzzer targets and run each FUZZ_TIME seconds
#   make fuzz-regress  every hostile input of tests/hostile/ (docs/security.md)
#                 through the CLI, then the saved fuzz corpora and the hostile
#                 inputs through the fuzz targets, built with the normal compiler

CC      ?= cc
PKGS    := libarchive libcrypto libzstd libxxhash libisal jansson liblzma sqlite3 libcurl
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings -Wcast-qual \
           -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(WARN) $(CFLAGS) -D_GNU_SOURCE -I. $(PKG_CFLAGS) $(EXTRA_CFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libbz2 has no pkg-config file on Debian 12.
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lbz2 -lpthread
TEST_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null)

BUILD   ?= build
FUZZ_TARGETS := read fp policy lint causes pkg reg binpkg pkgset cache
FUZZ_COMMON := fuzz/assemble.c fuzz/compare.c
BIN     ?= imgdrift
LIB_SRC := $(filter-out $(LIB_EXCLUDE),$(wildcard util/*.c reg/*.c pkg/*.c tar/*.c diff/*.c report/*.c lint/*.c) \
           $(filter-out cli/main.c,$(wildcard cli/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/cli/main.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
VERSION := 0.1.0

# Debian packages, one per pkg-config module above plus the test tools.
DEB_PKGS := build-essential pkg-config libarchive-dev libssl-dev libzstd-dev \
            libxxhash-dev libisal-dev libjansson-dev liblzma-dev libbz2-dev \
            libsqlite3-dev libcurl4-openssl-dev \
            libcriterion-dev tar gzip zstd xz-utils bzip2 python3 libxml2-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The browser the HTML report is tested in (tests/browser.sh), one
# package; where it cannot be installed, those tests skip and say so.
BROWSER_PKGS := chromium
# The registry the registry tests (tests/registry.sh) start, and the tools
# that push to it and make its certificates and passwords; where they
# cannot be installed, those tests skip and say so.
REGISTRY_PKGS := docker-registry skopeo openssl apache2-utils
# The benchmark's references (bench/run.sh): pigz and zstd write the
# workloads, igzip (isal) is the bound, diffoscope the comparison.
BENCH_PKGS := pigz isal zstd openssl diffoscope-minimal

.PHONY: all deps test unit cli-test registry-test bench-registry world-test browser-test fuzz-regress demo asan tsan valgrind analyze \
        bench fuzz clean corpus install uninstall install-test deb deb-tools deb-test

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions

all: $(BIN)

$(BIN): $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

$(BUILD)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DIMGDRIFT_VERSION='"$(VERSION)"' -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) tests/testutil.h $(wildcard tests/tsan/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS) $(TEST_LIBS) $(LDFLAGS)

# The completion scripts, written by the binary from its option tables.
$(BUILD)/completion/imgdrift: $(BIN)
	@mkdir -p $(dir $@)
	./$(BIN) completion bash >$@.tmp && mv $@.tmp $@

$(BUILD)/completion/_imgdrift: $(BIN)
	@mkdir -p $(dir $@)
	./$(BIN) completion zsh >$@.tmp && mv $@.tmp $@

install: $(BIN) $(BUILD)/completion/imgdrift $(BUILD)/completion/_imgdrift
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/imgdrift
	install -m 0644 imgdrift.1 $(DESTDIR)$(MANDIR)/man1/imgdrift.1
	install -m 0644 $(BUILD)/completion/imgdrift $(DESTDIR)$(BASHCOMPDIR)/imgdrift
	install -m 0644 $(BUILD)/completion/_imgdrift $(DESTDIR)$(ZSHCOMPDIR)/_imgdrift

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/imgdrift $(DESTDIR)$(MANDIR)/man1/imgdrift.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/imgdrift $(DESTDIR)$(ZSHCOMPDIR)/_imgdrift

# make install into a temporary DESTDIR, and what it installed, run.
install-test: imgdrift
	@sh tests/install.sh

# $(call apt_install,PACKAGES): apt-get install those of PACKAGES that are
# not installed yet (a shell command line).
apt_install = missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The Debian package (debian/), built by dpkg-buildpackage from a copy of
# the tree in $(BUILD)/deb; its build tools are installed as make deps
# installs the compiler's.  make deb-test installs it into a fresh
# Debian root (mmdebstrap) and runs it there.
DEB_TOOLS := debhelper dpkg-dev fakeroot
DEB_TEST_TOOLS := mmdebstrap
DEB_ARCH = $(shell dpkg --print-architecture 2>/dev/null)
DEB_FILE = $(BUILD)/deb/imgdrift_$(VERSION)_$(DEB_ARCH).deb
DEB_TREE := Makefile imgdrift.1 README.md debian \
            $(sort $(patsubst %/,%,$(dir $(LIB_SRC) cli/main.c)))

deb-tools:
	@$(call apt_install,$(DEB_TOOLS) $(TOOLS))

deb: deps
	$(MAKE) deb-tools
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/imgdrift-$(VERSION)
	tar -cf - $(DEB_TREE) | tar -xf - -C $(BUILD)/deb/imgdrift-$(VERSION)
	cd $(BUILD)/deb/imgdrift-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls -l $(DEB_FILE)

deb-test: deb
	$(MAKE) deb-tools TOOLS="$(DEB_TEST_TOOLS)"
	@sh tests/deb.sh $(DEB_FILE)

deps:
	@$(call apt_install,$(DEB_PKGS))
	@dpkg-query -W -f='$${Status}' $(BROWSER_PKGS) 2>/dev/null | grep -q 'ok installed' || \
	  { echo "installing: $(BROWSER_PKGS)"; \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PKGS) || \
	    echo "deps: $(BROWSER_PKGS) could not be installed: the browser tests will skip"; }
	@missing=""; for p in $(REGISTRY_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing || \
	    echo "deps:$$missing could not be installed: the registry tests will skip"; \
	fi

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t --jobs 2 $(CRITERION_FLAGS); done

cli-test: imgdrift
	@sh tests/cli.sh ./imgdrift

# Images read from a local docker-registry (skips where it cannot run).
registry-test: imgdrift
	@sh tests/registry.sh ./imgdrift

# Other projects' archives (corpus/world/README.md): each read and checked
# against an independent reading, or refused as corpus/world/expected.tsv
# records; the pairs of corpus/world/pairs.tsv get their verdicts.
world-test: imgdrift
	@sh tests/world.sh ./imgdrift

# The HTML report of every pair of corpus/real/expected.tsv in headless
# Chromium with the network off (make test runs two pairs of it).
browser-test: imgdrift
	@sh tests/browser.sh ./imgdrift all

# Every hostile input (tests/hostile/gen.py: docs/security.md) under CPU and
# memory limits; then the fuzz corpora and the same inputs through the fuzz
# targets' entry points (fuzz/replay.c).
fuzz-regress: imgdrift $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
	@sh tests/hostile.sh ./imgdrift
	@sh fuzz/regress.sh $(BUILD)/fuzz

test: deps
	$(MAKE) imgdrift $(TEST_BIN)
	$(MAKE) unit
	$(MAKE) cli-test
	$(MAKE) registry-test
	$(MAKE) install-test
	@sh tests/browser.sh ./imgdrift quick
	$(MAKE) world-test
	$(MAKE) fuzz-regress

demo: deps
	$(MAKE) imgdrift
	@sh corpus/demo.sh ./imgdrift

ASAN_FLAGS := BUILD=build-asan BIN=build-asan/imgdrift CC=clang \
  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
  LDFLAGS="-fsanitize=address,undefined"

asan: deps
	$(MAKE) $(ASAN_FLAGS) build-asan/imgdrift $(TEST_BIN:$(BUILD)/%=build-asan/%) \
	  $(FUZZ_TARGETS:%=build-asan/fuzz/replay_%)
	ASAN_OPTIONS=detect_leaks=1 $(MAKE) $(ASAN_FLAGS) unit CRITERION_FLAGS=--jobs=1
	ASAN_OPTIONS=detect_leaks=1 sh tests/cli.sh build-asan/imgdrift
	ASAN_OPTIONS=detect_leaks=1 sh tests/hostile.sh build-asan/imgdrift
	ASAN_OPTIONS=detect_leaks=1 sh tests/world.sh build-asan/imgdrift
	ASAN_OPTIONS=detect_leaks=1 sh fuzz/regress.sh build-asan/fuzz

# diff reads A and B in two threads and builds both final file systems in
# two, -j N reads the members of one input on N (tests/jobs.sh) and each
# compressed layer in two stages on two (tests/pipe.sh), the layers of an
# image in a registry likewise (tests/registry.sh, which skips without
# docker-registry): a data
# race there fails the run (halt_on_error).  Criterion cannot
# start under TSan, so the unit tests run on tests/tsan's stand-in.
TSAN_FLAGS := BUILD=build-tsan BIN=build-tsan/imgdrift CC=clang \
  CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer -Itests/tsan" \
  LDFLAGS="-fsanitize=thread" TEST_LIBS=tests/tsan/runner.c
TSAN_OPTIONS ?= halt_on_error=1 second_deadlock_stack=1 \
  suppressions=$(CURDIR)/tests/tsan.supp

tsan: deps
	$(MAKE) $(TSAN_FLAGS) build-tsan/imgdrift $(TEST_BIN:$(BUILD)/%=build-tsan/%)
	TSAN_OPTIONS="$(TSAN_OPTIONS)" $(MAKE) $(TSAN_FLAGS) unit CRITERION_FLAGS=--jobs=1
	TSAN_OPTIONS="$(TSAN_OPTIONS)" sh tests/diff.sh build-tsan/imgdrift
	TSAN_OPTIONS="$(TSAN_OPTIONS)" sh tests/jobs.sh build-tsan/imgdrift
	TSAN_OPTIONS="$(TSAN_OPTIONS)" sh tests/pipe.sh build-tsan/imgdrift
	TSAN_OPTIONS="$(TSAN_OPTIONS)" sh tests/registry.sh build-tsan/imgdrift
	TSAN_OPTIONS="$(TSAN_OPTIONS)" sh tests/look.sh build-tsan/imgdrift

valgrind: imgdrift
	VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	  sh tests/cli.sh ./imgdrift

# Not part of make test: scan-build of the whole tree takes about 3 minutes
# on 2 idle cores.  A finding is fixed, or, when the analyser cannot see why
# it cannot happen, the code is made to show it (never suppressed).
analyze:
	cppcheck -q --enable=warning,performance,portability --error-exitcode=1 \
	  --inline-suppr -I. util reg pkg tar diff report cli lint
	scan-build --status-bugs $(MAKE) BUILD=build-scan imgdrift

# A checkpoint every 4 entries (tar/tar_int.h): the second look of short
# layers starts at one, as it does in layers of thousands.
FUZZ_CKPT := -DTAR_CKPT_EVERY=4
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer $(FUZZ_CKPT)
FUZZ_TIME ?= 60

# Each target runs FUZZ_TIME seconds, one at a time, from its saved corpus
# (fuzz/corpus/TARGET) with its dictionary; new inputs go to
# build-fuzz/corpus-TARGET.  docs/security.md has the campaign's figures.
fuzz: deps
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all $(FUZZ_CKPT)" $(LIB_OBJ:$(BUILD)/%=build-fuzz/%)
	for f in $(FUZZ_TARGETS); do \
	  clang $(WARN) $(FUZZ_FLAGS) -D_GNU_SOURCE -I. $(PKG_CFLAGS) -o build-fuzz/fuzz_$$f fuzz/fuzz_$$f.c \
	    $(FUZZ_COMMON) $(LIB_OBJ:$(BUILD)/%=build-fuzz/%) $(PKG_LIBS) || exit 1; \
	done
	for f in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus-$$f fuzz/corpus/$$f; \
	  dict=; [ -f fuzz/$$f.dict ] && dict=-dict=fuzz/$$f.dict; \
	  build-fuzz/fuzz_$$f -max_total_time=$(FUZZ_TIME) -max_len=1048576 \
	    -print_final_stats=1 $$dict build-fuzz/corpus-$$f fuzz/corpus/$$f || exit 1; \
	done

FUZZ_COMMON_OBJ := $(FUZZ_COMMON:%.c=$(BUILD)/%.o)
.SECONDARY: $(FUZZ_COMMON_OBJ) $(BUILD)/fuzz/replay.o $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%.o)

$(BUILD)/fuzz/replay_%: $(BUILD)/fuzz/replay.o $(BUILD)/fuzz/fuzz_%.o $(FUZZ_COMMON_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

bench: deps
	@missing=""; for p in $(BENCH_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	$(MAKE) imgdrift
	QUICK=$(QUICK) sh bench/run.sh

# imgdrift diff of two images in a local docker-registry against skopeo
# copy of both plus imgdrift diff of the archives (bench/registry.py).
bench-registry: imgdrift
	python3 bench/registry.py

clean:
	rm -rf build build-asan build-tsan build-scan build-fuzz imgdrift
