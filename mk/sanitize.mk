# sanitize.mk - everything built again with AddressSanitizer + UBSan in build/asan/,
# and `make check-asan` / `make check-valgrind` (both must end clean: no error, no leak).
#
# build/asan/smblint and build/asan/run-unit are the sanitized twins of ./smblint and
# test/run-unit; build/asan/libsmblint.a also feeds the fuzz regression replays
# (fuzz.mk).  clang when installed: its UBSan also catches what gcc's does not
# (arithmetic on a null pointer, for one), so replays see what the fuzzer saw.
# Warnings are not fatal here: the normal build enforces -Werror.
ifeq ($(origin ASAN_CC),undefined)
ASAN_CC    := $(if $(shell command -v clang 2>/dev/null),clang,$(CC))
endif
ASAN_FLAGS ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_DIR   := build/asan
ASAN_OBJS  := $(patsubst src/%.c,$(ASAN_DIR)/%.o,$(SRCS))
ASAN_LIBOBJS := $(filter-out $(ASAN_DIR)/main.o,$(ASAN_OBJS))

$(ASAN_DIR)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(ASAN_CC) $(CSTD) -Wall -Wextra $(ASAN_FLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

-include $(ASAN_OBJS:.o=.d)

$(ASAN_DIR)/libsmblint.a: $(ASAN_LIBOBJS)
	rm -f $@
	ar rcs $@ $^

$(ASAN_DIR)/smblint: $(ASAN_OBJS)
	$(ASAN_CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(ASAN_OBJS) $(LDLIBS)

$(ASAN_DIR)/run-unit: $(UNIT_SRCS) $(ASAN_LIBOBJS)
	$(ASAN_CC) $(CSTD) -Wall -Wextra $(ASAN_FLAGS) $(CPPFLAGS) $(CHECK_CFLAGS) -o $@ $(UNIT_SRCS) $(ASAN_LIBOBJS) $(CHECK_LIBS) $(LDLIBS)

asan: $(ASAN_DIR)/smblint $(ASAN_DIR)/run-unit

check-asan: asan
	./test/memcheck.sh asan

check-valgrind: smblint test/run-unit
	./test/memcheck.sh valgrind

clean-asan:
	rm -rf $(ASAN_DIR)

clean: clean-asan

.PHONY: asan check-asan check-valgrind clean-asan
