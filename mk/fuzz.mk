# fuzz.mk - libFuzzer harnesses (fuzz/fuzz_*.c) and their crash regressions.
#
#   make fuzz [FUZZ_SECONDS=60]   each harness that can be built, N seconds each
#   make fuzz-smoke               the same, FUZZ_SMOKE_SECONDS (30) each: part of make check
#   make fuzz-regress             replays fuzz/regress/<harness>/* (no fuzzing, a few seconds);
#                                 built with ASan/UBSan from build/asan/ (clang, else gcc)
#
# Seeds: the shared real-world corpus ($(FUZZ_SEEDS), $SMBLINT_CORPUS when set), fuzz/seeds/ and the regressions,
# copied into fuzz/corpus-run/<harness>/ (not in git).  Crashes land in fuzz/out/<harness>/
# and are copied into fuzz/regress/<harness>/ so they become tests: commit them.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_SEEDS   ?= $(or $(SMBLINT_CORPUS),$(CURDIR)/../shared/corpus/real)
FUZZ_FLAGS   ?= -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_DIR     := build/fuzz
FUZZ_OBJS    := $(patsubst src/%.c,$(FUZZ_DIR)/%.o,$(filter-out src/main.c,$(SRCS)))

# A harness is built only when the modules it drives exist.
FUZZ_ALL := fuzz_tree \
	$(if $(wildcard src/config.c),fuzz_config) \
	$(if $(and $(wildcard src/config.c),$(wildcard src/lint.c),$(wildcard src/out_json.c),$(wildcard src/out_sarif.c)),fuzz_lint) \
	$(if $(and $(wildcard src/config.c),$(wildcard src/lint.c),$(wildcard src/fix.c)),fuzz_fix)
FUZZ_HARNESSES ?= $(strip $(FUZZ_ALL))

$(FUZZ_DIR)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) -Wall -Wextra $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -MMD -MP -c -o $@ $<

-include $(FUZZ_OBJS:.o=.d)

$(FUZZ_DIR)/libsmblint.a: $(FUZZ_OBJS)
	rm -f $@
	ar rcs $@ $^

FUZZ_HEADERS := $(wildcard fuzz/*.h)

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_HEADERS) $(FUZZ_DIR)/libsmblint.a
	$(FUZZ_CC) $(CSTD) -Wall -Wextra $(FUZZ_FLAGS) -fsanitize=fuzzer $(CPPFLAGS) -Ifuzz -o $@ $< $(FUZZ_DIR)/libsmblint.a $(LDLIBS)

build/replay/fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_HEADERS) build/asan/libsmblint.a
	@mkdir -p $(dir $@)
	$(ASAN_CC) $(CSTD) -Wall -Wextra $(ASAN_FLAGS) $(CPPFLAGS) -Ifuzz -o $@ $< fuzz/replay.c build/asan/libsmblint.a $(LDLIBS)

fuzz-build: $(addprefix $(FUZZ_DIR)/,$(FUZZ_HARNESSES))

fuzz: fuzz-build
	FUZZ_SEEDS='$(FUZZ_SEEDS)' ./fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

fuzz-smoke: fuzz-build
	FUZZ_SEEDS='$(FUZZ_SEEDS)' ./fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_HARNESSES)

fuzz-regress: $(addprefix build/replay/,$(FUZZ_HARNESSES))
	./fuzz/regress.sh $(FUZZ_HARNESSES)

clean-fuzz:
	rm -rf $(FUZZ_DIR) build/replay fuzz/out fuzz/corpus-run

clean: clean-fuzz

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-regress clean-fuzz
