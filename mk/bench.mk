# bench.mk - `make bench`: smblint beside testparm -s on generated configs, with PASS/FAIL targets.
# Not part of `make check`: timings depend on the machine.  BENCH_ROUNDS=N (default 5),
# BENCH_ARGS=--quick skips the 100,000-share file.
BENCH_ROUNDS ?= 5
BENCH_ARGS ?=

bench: smblint bench/out/spawn
	python3 bench/bench.py --rounds $(BENCH_ROUNDS) --smblint ./smblint --spawn bench/out/spawn --out bench/out $(BENCH_ARGS)

bench/out/spawn: bench/spawn.c
	@mkdir -p bench/out
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

clean-bench:
	rm -rf bench/out

clean: clean-bench

.PHONY: bench clean-bench
