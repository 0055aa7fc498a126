#!/bin/bash
# fuzz-regress.sh - replays every input the fuzzers ever crashed on through the
# sanitized harnesses (no fuzzing): each one is a regression test.
cd "$(dirname "$0")/.." || exit 2
make -s fuzz-regress
