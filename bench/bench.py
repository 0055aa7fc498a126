#!/usr/bin/env python3
"""bench.py - times smblint beside `testparm -s` on generated configs and checks
the performance targets.  Exit status: 0 every target met, 1 a target missed,
2 the benchmark itself could not run.

Usage: bench.py [--rounds N] [--smblint PATH] [--out DIR] [--quick]

Wall-clock times are medians over several rounds; the tools alternate inside
each round (and the order flips every round) so a busy machine hurts them
alike.  Peak memory is the child's ru_maxrss from wait4().  Instruction
counts (perf stat, else callgrind) are repeatable where wall-clock is not.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = [1, 100, 1000, 10000, 100000]
SLOW = 2.0          # a run slower than this (seconds) is not repeated
TARGET_RUN = 0.02   # tiny runs are repeated until a round spends about this long

# Targets (README, "Speed, scale and robustness").
T_10K_MS = 10.0
T_SPEEDUP = 50.0
T_SCALE = 11.0
T_ONE_MS = 1.5
T_MEM_FACTOR = 4
T_MEM_EXTRA_KB = 4096


SPAWN = None   # path of the compiled spawn.c helper


def spawn(argv, errpath, n=1):
    """Runs argv n times (stdout to /dev/null); returns [(seconds, maxrss KB, exit code)]."""
    r = subprocess.run([SPAWN, str(n), errpath] + argv, stdout=subprocess.PIPE, text=True, check=True)
    return [(int(a) / 1e9, int(b), int(c)) for a, b, c in (l.split() for l in r.stdout.splitlines())]


def lab(n):
    return "%d share%s" % (n, "" if n == 1 else "s")


def first_line(path):
    try:
        with open(path, errors="replace") as f:
            return f.readline().strip()
    except OSError:
        return ""


def instructions(argv):
    """User-space instructions retired by one run, or None when no counter works."""
    if shutil.which("perf"):
        r = subprocess.run(["perf", "stat", "-x", ",", "-e", "instructions:u", "--"] + argv,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in r.stderr.splitlines():
            f = line.split(",")
            if len(f) > 2 and f[2].startswith("instructions") and f[0].isdigit():
                return int(f[0])
    return None


def callgrind(argv):
    if not shutil.which("valgrind"):
        return None
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip())
    return None


class Bench:
    def __init__(self, args):
        self.args = args
        self.out = os.path.abspath(args.out)
        self.smblint = os.path.abspath(args.smblint)
        self.testparm = shutil.which("testparm")
        self.err = os.path.join(self.out, "stderr.txt")
        self.fixout = os.path.join(self.out, "fixed.conf")
        self.samples = {}       # (file, mode) -> [seconds]
        self.rss = {}           # (file, mode) -> max KB
        self.instr = {}         # (file, mode) -> count
        self.bad_exit = {}      # (file, mode) -> exit code other than 0/1
        self.results = []       # (name, ok, text)
        self.baseline = []      # seconds /bin/true takes, measured with the rest

    def modes(self):
        s = self.smblint
        m = [("lint-text", lambda f: [s, "--format=text", f]),
             ("lint-json", lambda f: [s, "--format=json", f]),
             ("fix", lambda f: [s, "--fix", "-o", self.fixout, f]),
             ("print-config", lambda f: [s, "--print-config", f])]
        if self.testparm:
            m.append(("testparm", lambda f: [self.testparm, "-s", f]))
        else:
            print("note: testparm not found (package samba-common-bin): no comparison")
        return m

    def files(self):
        files = []
        sizes = SIZES[:4] if self.args.quick else SIZES
        for n in sizes:
            p = os.path.join(self.out, "shares-%d.conf" % n)
            if not os.path.exists(p) or os.path.getmtime(p) < os.path.getmtime(os.path.join(HERE, "gen.py")):
                subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "shares", str(n), p], check=True)
            files.append((lab(n), p))
        d = os.path.join(self.out, "includes")
        top = subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "includes", d, "50", "2"],
                             check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
        files.append(("include tree 50x3", top))
        return files

    def probe(self, modes, probe_file):
        """Keeps the modes the CLI supports; a mode that fails on a one-share file is skipped."""
        kept = []
        for name, cmd in modes:
            _, _, rc = spawn(cmd(probe_file), self.err)[0]
            if rc in (0, 1):
                kept.append((name, cmd))
            else:
                print("note: skipping %-12s (exit %d on a one-share file: %s)" % (name, rc, first_line(self.err)[:100]))
        return kept

    def measure(self, files, modes):
        reps = {}
        for r in range(self.args.rounds):
            order = modes if r % 2 == 0 else modes[::-1]
            for label, path in files:
                for name, cmd in order:
                    key = (label, name)
                    got = self.samples.setdefault(key, [])
                    if got and max(got) > SLOW:
                        continue
                    for t, kb, rc in spawn(cmd(path), self.err, reps.get(key, 1)):
                        got.append(t)
                        self.rss[key] = max(self.rss.get(key, 0), kb)
                        if rc not in (0, 1):
                            self.bad_exit[key] = (rc, first_line(self.err)[:100])
                    if r == 0:
                        reps[key] = max(1, min(20, int(TARGET_RUN / max(got[0], 1e-6))))
            if os.access("/bin/true", os.X_OK):
                self.baseline += [t for t, _, _ in spawn(["/bin/true"], self.err, 10)]
            sys.stdout.write("round %d/%d done\n" % (r + 1, self.args.rounds))
            sys.stdout.flush()

    def count_instructions(self, files, modes):
        use_perf = instructions([self.smblint, "--version"]) is not None
        for label, path in files:
            for name, cmd in modes:
                if name == "testparm" and os.path.getsize(path) > 4 << 20:
                    continue
                if use_perf:
                    self.instr[(label, name)] = instructions(cmd(path))
                elif os.path.getsize(path) <= 4 << 20 and name != "testparm":
                    self.instr[(label, name)] = callgrind(cmd(path))
        return "perf stat instructions:u" if use_perf else "valgrind callgrind Ir"

    def med(self, label, mode):
        s = self.samples.get((label, mode))
        return statistics.median(s) if s else None

    def table(self, files, modes, counter):
        print()
        print("%-18s %9s %-13s %10s %10s %9s %10s %12s %9s" %
              ("file", "bytes", "mode", "median ms", "min ms", "MB/s", "peak KB", "instr (M)", "testparm/x"))
        for label, path in files:
            size = os.path.getsize(path)
            tp = self.med(label, "testparm")
            for name, _ in modes:
                m = self.med(label, name)
                if m is None:
                    continue
                ins = self.instr.get((label, name))
                ratio = "%9.1f" % (tp / m) if tp and name != "testparm" else "%9s" % "-"
                print("%-18s %9d %-13s %10.3f %10.3f %9.1f %10d %12s %s" %
                      (label, size, name, m * 1e3, min(self.samples[(label, name)]) * 1e3,
                       size / m / 1e6, self.rss.get((label, name), 0),
                       "%.2f" % (ins / 1e6) if ins else "-", ratio))
        print("(instructions: %s; runs per cell: %s)" % (counter,
              ", ".join(sorted({str(len(v)) for v in self.samples.values()}, key=int))))

    def check(self, name, ok, text):
        self.results.append((name, ok, text))

    def targets(self, files, modes):
        names = {n for n, _ in modes}
        lint = "lint-text"
        if lint not in names:
            self.check("lint runs", False, "smblint --format=text does not run")
            return
        t10k = self.med(lab(10000), lint)
        self.check("10,000 shares < %g ms" % T_10K_MS, t10k * 1e3 < T_10K_MS, "%.2f ms" % (t10k * 1e3))
        tp = self.med(lab(10000), "testparm")
        if tp:
            self.check(">= %gx faster than testparm -s" % T_SPEEDUP, tp / t10k >= T_SPEEDUP,
                       "%.1fx (testparm %.1f ms)" % (tp / t10k, tp * 1e3))
        for a, b in ((1000, 10000), (10000, 100000)):
            ta, tb = self.med(lab(a), lint), self.med(lab(b), lint)
            if ta and tb:
                ia, ib = self.instr.get((lab(a), lint)), self.instr.get((lab(b), lint))
                extra = "; instructions %.2fx" % (ib / ia) if ia and ib else ""
                self.check("%d -> %d shares <= %gx time" % (a, b, T_SCALE), tb / ta <= T_SCALE,
                           "%.2fx%s" % (tb / ta, extra))
        for name in sorted(names - {"testparm"}):
            worst = None
            for label, path in files:
                limit = T_MEM_FACTOR * os.path.getsize(path) / 1024 + T_MEM_EXTRA_KB
                kb = self.rss.get((label, name))
                if kb is not None and (worst is None or kb - limit > worst[0]):
                    worst = (kb - limit, label, kb, limit)
            if worst:
                self.check("%s memory <= %dx file + %d MB" % (name, T_MEM_FACTOR, T_MEM_EXTRA_KB // 1024),
                           worst[0] <= 0, "tightest: %s, %d KB of %d KB allowed" % worst[1:])
        # Starting any process costs something: on a slow or busy machine the
        # limit is what /bin/true takes plus half a millisecond.
        t1 = self.med(lab(1), lint)
        base = statistics.median(self.baseline) if self.baseline else 0.0
        limit = max(T_ONE_MS, base * 1e3 + 0.5)
        self.check("one share ~1 ms (<= %.2f ms)" % limit, t1 * 1e3 <= limit,
                   "%.3f ms (/bin/true: %.3f ms)" % (t1 * 1e3, base * 1e3))
        for (label, name), (rc, msg) in sorted(self.bad_exit.items()):
            self.check("exit status 0/1", False, "%s %s: exit %d %s" % (label, name, rc, msg))

    def run(self):
        if not os.access(self.smblint, os.X_OK):
            print("bench: %s not found; run make first" % self.smblint, file=sys.stderr)
            return 2
        os.makedirs(self.out, exist_ok=True)
        # The fixer's own testparm check would time testparm, not smblint.
        os.environ["SMBLINT_TESTPARM"] = "none"
        files = self.files()
        modes = self.probe(self.modes(), files[0][1])
        if not modes:
            print("bench: nothing to measure", file=sys.stderr)
            return 2
        print("machine: %d CPUs, %s; fix runs with SMBLINT_TESTPARM=none" % (os.cpu_count(), cpu_model()))
        self.measure(files, modes)
        counter = self.count_instructions(files, modes)
        self.table(files, modes, counter)
        self.targets(files, modes)
        print()
        for name, ok, text in self.results:
            print("%s  %-36s %s" % ("PASS" if ok else "FAIL", name, text))
        failed = sum(1 for _, ok, _ in self.results if not ok)
        print("%d passed, %d failed" % (len(self.results) - failed, failed))
        return 1 if failed else 0


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description="smblint benchmark")
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "5")))
    ap.add_argument("--smblint", default=os.path.join(HERE, "..", "smblint"))
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--quick", action="store_true", help="skip the 100,000-share file")
    ap.add_argument("--spawn", default=os.path.join(HERE, "out", "spawn"), help="compiled bench/spawn.c")
    args = ap.parse_args()
    global SPAWN
    SPAWN = os.path.abspath(args.spawn)
    if not os.access(SPAWN, os.X_OK):
        print("bench: %s missing: build it with make bench" % SPAWN, file=sys.stderr)
        return 2
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
