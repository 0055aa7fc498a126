# smblint - a linter and fixer for Samba's smb.conf
CC      ?= gcc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=
CSTD     = -std=c11 -D_GNU_SOURCE
WARN     = -Wall -Wextra -Werror
OPT     ?= -O2 -g
CFLAGS  ?=
CPPFLAGS += -Iinclude
LDLIBS  += -ldl -pthread
# Relative relocations packed (DT_RELR, glibc 2.36 and later): the loader
# fixes up the parameter table's pointers in far fewer steps at every start.
# Used when the toolchain makes such a program and it runs here.
RELR := $(shell t=$$(mktemp) && printf 'int main(void){return 0;}\n' | \
	$(CC) -x c -o $$t -Wl,-z,pack-relative-relocs - 2>/dev/null && $$t && echo -Wl,-z,pack-relative-relocs; rm -f $$t)

SRCS := $(sort $(wildcard src/*.c src/rules/*.c))
OBJS := $(patsubst src/%.c,build/%.o,$(SRCS))
LIBOBJS := $(filter-out build/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard test/unit/*.c))

all: smblint

smblint: $(OBJS)
	$(CC) $(OPT) $(CFLAGS) $(LDFLAGS) $(RELR) -o $@ $(OBJS) $(LDLIBS)

build/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(OPT) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

-include $(OBJS:.o=.d)

# --- tests ---------------------------------------------------------------
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

test/run-unit: $(UNIT_SRCS) $(LIBOBJS)
	$(CC) $(CSTD) $(WARN) $(OPT) $(CFLAGS) $(CPPFLAGS) $(CHECK_CFLAGS) -o $@ $(UNIT_SRCS) $(LIBOBJS) $(CHECK_LIBS) $(LDLIBS)

# make check: everything, the sanitizers, valgrind and the fuzzers included (test/run-all.sh);
# make check-fast (or SMBLINT_QUICK=1): without those slow parts, unless CI=true.
check: smblint test/run-unit
	./test/run-unit
	./test/run-all.sh

check-fast: smblint test/run-unit
	./test/run-unit
	SMBLINT_QUICK=1 ./test/run-all.sh

# More generated files for the comparison with testparm (and the fixer) than make check's 300 (100)
# (test/difftest.py): make difftest DIFF_CASES=5000 DIFF_SEED=7
DIFF_CASES ?= 2000
DIFF_SEED ?= 1
difftest: smblint
	python3 test/difftest.py --cases $(DIFF_CASES) --fix-cases $(DIFF_CASES) --seed $(DIFF_SEED)

# More generated files for the client verdicts against real smbds than make check's 40
# (test/probe/verdicts.sh; root): make verdicttest VERDICT_CASES=300 VERDICT_SEED=7
VERDICT_CASES ?= 200
VERDICT_SEED ?= 1
verdicttest: smblint
	VERDICT_CASES=$(VERDICT_CASES) VERDICT_SEED=$(VERDICT_SEED) bash test/probe/verdicts.sh

deps:
	./scripts/install-deps.sh

run: smblint
	./scripts/run-example.sh

install: smblint
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(COMPDIR)
	install -m 0755 smblint $(DESTDIR)$(BINDIR)/smblint
	install -m 0644 man/smblint.1 $(DESTDIR)$(MANDIR)/man1/smblint.1
	install -m 0644 man/smblint-rules.7 $(DESTDIR)$(MANDIR)/man7/smblint-rules.7
	install -m 0644 completions/smblint $(DESTDIR)$(COMPDIR)/smblint

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/smblint $(DESTDIR)$(MANDIR)/man1/smblint.1 \
	    $(DESTDIR)$(MANDIR)/man7/smblint-rules.7 $(DESTDIR)$(COMPDIR)/smblint

# A Debian package in dist/.  dpkg-buildpackage cleans the tree and writes
# next to it, so it runs in a scratch copy of the files git knows (committed
# or not, ignored ones left out) under $(DEB_TMPDIR).
DEB_TMPDIR ?= $(or $(TMPDIR),/tmp)
deb:
	@set -e; \
	tmp=$$(mktemp -d "$(DEB_TMPDIR)/smblint-deb.XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT INT TERM; \
	mkdir "$$tmp/smblint"; \
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			tar --null -T - --ignore-failed-read -cf -; \
	else \
		tar --exclude=./.git --exclude=./build --exclude=./dist --exclude=./smblint \
		    --exclude=./test/run-unit --exclude=./test/out --exclude=node_modules \
		    --exclude=./fuzz/out --exclude=./bench/out -cf - .; \
	fi | tar -xf - -C "$$tmp/smblint"; \
	(cd "$$tmp/smblint" && dpkg-buildpackage -us -uc -b); \
	mkdir -p dist; \
	rm -f dist/smblint_*.deb dist/smblint-dbgsym_*.deb; \
	cp "$$tmp"/*.deb dist/; \
	echo "make deb: $$(ls dist/*.deb | tr '\n' ' ')"

# src/params_ix.c (committed, like params_gen.c): the hand-kept history of
# params_hist.c indexed by table position.  Run after editing either table;
# test_params.c fails until then.
build/gen-params-ix: scripts/gen-params-ix.c src/params_hist.c build/params.o build/params_gen.o build/util.o
	$(CC) $(CSTD) $(WARN) $(OPT) $(CPPFLAGS) -DPARAMS_IX_GEN -o $@ scripts/gen-params-ix.c \
	    src/params_hist.c build/params.o build/params_gen.o build/util.o $(LDLIBS)

params-ix: build/gen-params-ix
	./build/gen-params-ix > src/params_ix.c.tmp && mv src/params_ix.c.tmp src/params_ix.c

clean:
	rm -rf build smblint test/run-unit test/out

.PHONY: all check check-fast difftest verdicttest deps run install uninstall clean deb params-ix

# Feature makefiles (bench, fuzz, sanitizers, packaging) keep their targets beside the core.
-include $(sort $(wildcard mk/*.mk))
