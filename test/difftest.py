#!/usr/bin/env python3
"""difftest.py - smblint's effective configuration against testparm's, on generated files.

test/testparm-compare.sh judges the corpus and the fixtures: files people
wrote.  This script writes files nobody wrote but Samba must still read:
every parameter testparm lists, with values of every shape its type takes
(valid, borderline and invalid), spelled in every way Samba's reader accepts
(case, blanks inside names, continuation lines, synonyms and inverse
synonyms, CRLF, parameters before the first section, sections reopened,
`copy =`, `-valid`, parametric options).  Each file goes to `testparm -s`
and to `smblint --print-config`, judged as testparm-compare.sh does:

  - testparm loads it: both outputs, normalised the same way (blank runs
    collapsed, lines sorted within a section, booleans in any case), must be
    equal;
  - testparm refuses it ("Error loading services"): smblint must exit 1 and
    print "FILE:LINE:COL: error: smbd will not start: ..." on stderr.

The lint (--format=json) must agree too: an error finding that says smbd
will not start when, and only when, testparm refuses the file.

The files come from a seeded generator, so a run is repeatable: case K of
seed S is always the same bytes.  Files that fail are written to --keep
(default test/out/difftest/) to become fixtures once understood.

Then the fixer gets the first --fix-cases (100) of the same files (--fix:
only the fixer, on --cases files): `smblint --fix --unsafe-fixes` must
leave a file that a second run does not change, and a file testparm loaded
must still load once fixed.

Usage: difftest.py [--fix] [--cases N] [--fix-cases N] [--seed S] [--smblint PATH] [--keep DIR] [--case K]
Last line: "N passed, M failed"; exit status 1 when M > 0.
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

# Parameters whose handling reaches outside the file (other files, the
# registry, the machine's state): testparm-compare.sh's fixtures cover them.
SKIP = {
    "include", "config file", "config backend", "registry shares", "copy",
    "-valid", "lock directory", "lock dir", "state directory", "cache directory",
    "private dir", "private directory", "binddns dir", "ncalrpc dir", "pid directory",
    "usershare path", "ntp signd socket directory", "winbindd socket directory",
    "smb passwd file", "passdb backend", "panic action", "log file", "debug log",
}

# Rules that know of a start failure testparm does not look for (SL1031: a
# guest account this machine does not have): not held to testparm's verdict.
BEYOND_TESTPARM = {"SL1031"}

WORDS = ["alpha", "Beta", "gamma", "%U", "%S", "%m", "/srv/data", "/tmp/x y", "@staff",
         "+users", "DOMAIN\\user", "a=b", "x;y", "#hash", "semi;colon", "ünï", "ÄÖÜ",
         "\"quoted\"", "'single'", "tab\tin", "back\\slash", "", "0", "yes", "no",
         "+extra", "-unixuid", "-s3fs", "+s3fs", "-default", "+", "-"]


# Parameters Samba checks or rewrites in ways of their own, with values around
# the edges of what it takes (used for half of their lines).
SPECIAL = {
    "smb ports": ["445", "445 139", "139,445", "0", "65535", "65536", "445x", "+445", "0445", "445;", ""],
    "name resolve order": ["lmhosts wins host bcast", "host", "HOST", "host foo", "bcast,wins", ","],
    "rpc server dynamic port range": ["49152-65535", "1-2", "65535-1", "100-100", "abc", "1-", "-5",
                                      " 49152 - 65535 ", "0-10", "1-65536"],
    "kdc supported enctypes": ["0", "aes128-cts", "rc4-hmac 0x8", "aes256-cts-hmac-sha1-96, 12", "bogus",
                               "0x18", "24", "arcfour-hmac-md5 aes256-cts"],
    "kdc default domain supported enctypes": ["0", "aes256-cts", "rc4-hmac", "x"],
    "realm": ["example.com", "Ünï.Example", "EXAMPLE.COM"],
    "smb2 max credits": ["0", "-5", "1", "8192", "65535", "abc"],
    "log level": ["3 passdb:5 auth:10", "1", "0"],
    "printing": ["bsd", "sysv", "cups", "lprng", "plp", "hpux", "qnx", "aix", "iprint", "softq", "BSD"],
    "server role": ["standalone server", "member server", "classic primary domain controller",
                    "active directory domain controller", "auto", "ROLE_STANDALONE"],
    "security": ["user", "ads", "domain", "auto", "share", "server"],
    "idmap backend": ["tdb", "rid", "ad"], "idmap uid": ["10000-20000", "x"], "idmap gid": ["10000-20000"],
    "vfs objects": ["recycle", "+recycle", "fruit streams_xattr", "-fruit", "fruti", "vfs_recycle", "/x/m.so"],
    "socket options": ["TCP_NODELAY SO_RCVBUF=8192 SO_SNDBUF=8192", "SO_RCVBUF=1", "\"SO_SNDBUF=2\" x",
                       "so_rcvlowat=4,TCP_NODLAY", ",", "IPTOS_LOWDELAY"],
    "client ipc signing": ["auto", "no", "required", "desired"],
    "password server": ["dc1", "dc1 *", "*", ""],
    "os level": ["255", "256", "-1", "65"],
    "algorithmic rid base": ["1000", "999", "1001", "0x3e9"],
    "netbios name": ["SERVER", "averyveryverylongnetbiosname", "ünï"],
}


def load_params(testparm):
    """{name: (type, scope, enum values or None, synonym_of or None, inverse)} from testparm."""
    out = subprocess.run([testparm, "--show-all-parameters"], capture_output=True, text=True).stdout
    params, scope = {}, "global"
    for line in out.splitlines():
        if line.startswith("["):
            scope = "global" if line.strip() == "[global]" else "share"
            continue
        m = re.match(r"^(.*?)=(P_[A-Z]+),([^ ]*)(.*)$", line)
        if not m:
            continue
        name, ptype, rest, tail = m.group(1), m.group(2), m.group(3), m.group(4)
        enum = None
        if ptype == "P_ENUM":
            enum = [v for v in rest.split(",")[0].split("|") if v]
            if not enum:
                enum = None
        syn = re.search(r"\((inverse )?synonym of (.*)\)", tail)
        params[name] = (ptype, scope, enum, syn.group(2) if syn else None, bool(syn and syn.group(1)))
    return params


def spell_name(rnd, name):
    """The name as someone might write it: Samba ignores case and every blank."""
    r = rnd.random()
    if r < 0.15:
        name = "".join(c.upper() if rnd.random() < 0.5 else c for c in name)
    elif r < 0.22:
        name = name.replace(" ", "")
    elif r < 0.28:
        name = name.replace(" ", rnd.choice(["  ", "\t", " \t "]))
    elif r < 0.31 and len(name) > 3:
        k = rnd.randrange(1, len(name) - 1)
        name = name[:k] + "\\\n" + name[k:]      # a continuation splits the name
    return name


def value_for(rnd, ptype, enum, invalid, edge):
    """A value of the type: `invalid` one Samba refuses, `edge` one it may or may not take."""
    if ptype in ("P_BOOL", "P_BOOLREV"):
        good = ["yes", "no", "Yes", "NO", "true", "False", "1", "0", "on", "off", "ON", "Off"]
        return rnd.choice(["maybe", "2", "ye s", "", "y", "n"]) if invalid else rnd.choice(good)
    if ptype == "P_ENUM":
        if invalid or not enum:
            return rnd.choice(["bogus", "", "bad user x", "-1"])
        v = rnd.choice(enum)
        r = rnd.random()
        if r < 0.3:
            v = v.upper()
        elif r < 0.5:
            v = v.lower()
        elif edge:
            v = " " + v + " "
        return v
    if ptype == "P_INTEGER":
        if edge or invalid:
            return rnd.choice(["4294967296", "-2147483649", "0x10", "010", "1e3", " 7 ", "12abc", "abc", "",
                               "+5", "99999999999999999999", "3.7", "1,000"])
        return rnd.choice(["0", "1", "-1", "42", "65535", "2147483647", "100", "7"])
    if ptype == "P_BYTES":
        if edge or invalid:
            return rnd.choice(["1.5M", "x", "", "-1", "64KB", "7 k", "1T", "1g", "0x100"])
        return rnd.choice(["0", "1024", "1k", "1K", "1m", "1M", "2G", "16777216", "65536"])
    if ptype == "P_OCTAL":
        if edge or invalid:
            return rnd.choice(["0x1ff", "8", "abc", "", "-1", " 0644 ", "0777 ", "99"])
        return rnd.choice(["0755", "755", "0700", "0", "07777", "0644", "2775"])
    if ptype == "P_CHAR":
        return rnd.choice(["a", "ab", "", "/", "\\", " ", "é"]) if edge else rnd.choice(["a", "~", "_"])
    if ptype in ("P_LIST", "P_CMDLIST"):
        n = rnd.randrange(0, 5)
        seps = [",", ", ", " ", " , ", "\t", ",,", " ,"]
        v = ""
        for i in range(n):
            if i:
                v += rnd.choice(seps)
            v += rnd.choice(WORDS)
        if rnd.random() < 0.1:
            v = " " + v + "  "
        return v
    # P_STRING, P_USTRING
    n = rnd.randrange(0, 4)
    v = " ".join(rnd.choice(WORDS) for _ in range(n))
    r = rnd.random()
    if r < 0.1:
        v = "  " + v + "   "
    elif r < 0.15:
        v = v.replace(" ", "   ")
    return v


def gen_case(params, seed, k):
    rnd = random.Random(seed * 1000003 + k)
    names = sorted(n for n in params if n not in SKIP)
    gnames = [n for n in names if params[n][1] == "global"]
    snames = [n for n in names if params[n][1] == "share"]
    nl = "\r\n" if rnd.random() < 0.1 else "\n"
    lines = []
    shares = []
    files = []        # (name, bytes) of included files, written beside the main one
    depth = [0]

    def include_line(in_global):
        """include = a file of a few lines (written next to the main file), or a missing one."""
        r = rnd.random()
        if r < 0.1:
            return "include = @DIR@/missing.conf"
        if r < 0.13:
            return "include = %s" % rnd.choice(["relative.conf", "@DIR@/*.conf", "@DIR@/inc%U.conf"])
        name = "inc%d.conf" % len(files)
        files.append((name, None))          # keeps its place (and name) while its lines are made
        depth[0] += 1
        body = []
        for _ in range(rnd.randrange(0, 5)):
            body.append(param_line(in_global))
        if rnd.random() < 0.3:           # a section of its own: the includer goes on in it
            sname = "inc share %d" % len(shares)
            body.append("[%s]" % sname)
            shares.append(sname)
            for _ in range(rnd.randrange(0, 4)):
                body.append(param_line(False))
        depth[0] -= 1
        text = nl.join(body)
        if body and rnd.random() < 0.8:
            text += nl
        elif rnd.random() < 0.3:
            text += "\\"                  # a continuation into the end of the file
        files[[n for n, _ in files].index(name)] = (name, text.encode("utf-8"))
        return "include = @DIR@/" + name

    def param_line(in_global):
        r = rnd.random()
        if r < 0.06:
            ns = rnd.choice(["fruit", "vfs", "acl_xattr", "Foo Bar"])
            key = "%s:%s" % (ns, rnd.choice(["opt", "time machine", "Mixed Case", "x y"]))
            if rnd.random() < 0.3:
                key = key.replace(":", " : ")
            return "%s = %s" % (key, value_for(rnd, "P_STRING", None, False, False))
        if r < 0.08:
            return "%s = %s" % (rnd.choice(["no such param", "frobnicate", "guest  okay"]), "x")
        if r < 0.10 and len(shares) > 1:
            # mostly an earlier share (Samba refuses the others)
            return "copy = %s" % (rnd.choice(shares[:-1]) if rnd.random() < 0.9 else rnd.choice(shares + ["nosuch"]))
        if r < 0.11:
            return "-valid = %s" % rnd.choice(["no", "yes", "false"])
        if r < 0.13 and depth[0] < 2:
            return include_line(in_global)
        pool = names if in_global else snames
        if in_global and rnd.random() < 0.5:
            pool = gnames
        name = rnd.choice(pool)
        if rnd.random() < 0.05:
            special = [n for n in SPECIAL if n in params and (in_global or params[n][1] == "share")]
            if special:
                name = rnd.choice(special)
        ptype, _, enum, _, _ = params[name]
        invalid = rnd.random() < 0.004
        if name in SPECIAL and rnd.random() < 0.5:
            val = rnd.choice(SPECIAL[name])
        else:
            val = value_for(rnd, ptype, enum, invalid, rnd.random() < 0.03)
        if len(val) > 6 and rnd.random() < 0.05:
            k2 = rnd.randrange(1, len(val) - 1)
            val = val[:k2] + "\\" + nl + val[k2:]     # a continuation splits the value
        eq = rnd.choice([" = ", "=", " =", "= ", "\t=\t", "  =  "])
        indent = rnd.choice(["", "   ", "\t", "  "])
        return indent + spell_name(rnd, name) + eq + val

    def noise():
        r = rnd.random()
        if r < 0.4:
            return rnd.choice(["# a comment", "; a comment", "   # indented = comment", ""])
        if r < 0.5:
            return "no equals sign here"
        return None

    if rnd.random() < 0.3:   # lines before the first section belong to [global]
        for _ in range(rnd.randrange(1, 4)):
            lines.append(param_line(True))
    lines.append(rnd.choice(["[global]", "[Global]", "[ global ]", "[globals]", "[GLOBAL]"]))
    for _ in range(rnd.randrange(1, 12)):
        lines.append(param_line(True))
        n = noise()
        if n is not None and rnd.random() < 0.3:
            lines.append(n)
    for s in range(rnd.randrange(1, 7)):
        if shares and rnd.random() < 0.15:
            name = rnd.choice(shares)                 # reopened, maybe in another case
            if rnd.random() < 0.5:
                name = name.upper()
        elif rnd.random() < 0.1:
            name = rnd.choice(["homes", "printers", "global"])
        elif rnd.random() < 0.05:
            name = rnd.choice(["", " ", "a]b", "ÄBC", "äbc", "IPC$", "print$", "x" * 80, "tab\tname"])
        else:
            name = rnd.choice(["data", "Public", "share %d" % s, "Ünïcode", "a.b", "x-y"]) + str(s)
        header = "[%s]" % name
        if rnd.random() < 0.1:
            header = "[ %s ]" % name
        elif rnd.random() < 0.05:
            header += " trailing text"
        lines.append(header)
        if name.lower() not in ("global", "homes", "printers"):
            shares.append(name)
        for _ in range(rnd.randrange(0, 10)):
            lines.append(param_line(name.lower() == "global"))
            n = noise()
            if n is not None and rnd.random() < 0.3:
                lines.append(n)
    text = nl.join(lines)
    if rnd.random() < 0.9:
        text += nl
    data = text.encode("utf-8")
    # Bytes as editors and tools leave them: a byte order mark, a NUL, a
    # lone CR, a backslash that continues into the next line (or the end).
    r = rnd.random()
    if r < 0.05:
        data = b"\xef\xbb\xbf" + data
    elif r < 0.08 and len(data) > 2:
        k = rnd.randrange(1, len(data) - 1)
        data = data[:k] + rnd.choice([b"\0", b"\r", b"\\\n", b"\\"]) + data[k:]
    elif r < 0.09:
        data = data.rstrip(b"\r\n") + b"\\"
    return [("main.conf", data)] + files


def write_case(case, d):
    """Writes the files of a generated case into folder d; returns the main file's path."""
    os.makedirs(d, exist_ok=True)
    for name, data in case:
        with open(os.path.join(d, name), "wb") as f:
            f.write(data.replace(b"@DIR@", d.encode()))
    return os.path.join(d, case[0][0])


def keep_case(args, case, k):
    """A failing case into --keep (its includes beside it); returns the main file's path."""
    return write_case(case, os.path.abspath(os.path.join(args.keep, "seed%d-case%d" % (args.seed, k))))


def normalise(text):
    """The same normal form as test/testparm-compare.sh's awk."""
    out, sec = [], ""
    # A char parameter set to nothing (`mangling char =`) holds a NUL byte,
    # which testparm prints as it is; smblint prints the empty value.
    text = text.replace("\0", "")
    for line in text.splitlines():
        if line.startswith("#") or not line.split():
            continue
        if line.startswith("["):
            sec = line
            out.append(sec + "\t")
            continue
        line = re.sub(r"[ \t]+", " ", line).strip(" ")
        n = line.find(" = ")
        if n >= 0:
            v = line[n + 3:].lower()
            if v in ("yes", "no", "true", "false"):
                line = line[:n + 3] + v
        out.append(sec + "\t" + line)
    return sorted(out, key=lambda s: s.encode("utf-8", "surrogateescape"))


def lint_agrees(args, path, env, refused):
    """The lint's own verdict: an error saying smbd will not start exactly when testparm refuses."""
    r = subprocess.run([args.smblint, "--no-settings", "--format=json", "--fail-on=none", path],
                       capture_output=True, cwd="/", env=env, stdin=subprocess.DEVNULL)
    try:
        findings = json.loads(r.stdout)["findings"]
    except (ValueError, KeyError):
        return "smblint --format=json exited %d without a report: %s" % (r.returncode, r.stderr[:300])
    fatal = [f for f in findings if f["severity"] == "error" and "smbd will not start" in f["message"]
             and f["rule"] not in BEYOND_TESTPARM]
    if refused and not fatal:
        return "testparm refuses the file; the lint reports no error that says smbd will not start"
    if not refused and fatal:
        return "testparm loads the file; the lint says smbd will not start: line %s: %s" % (
            fatal[0]["line"], fatal[0]["message"][:200])
    return None


def run_case(args, params, k, work):
    case = gen_case(params, args.seed, k)
    path = write_case(case, os.path.join(work, "case-%d-%d" % (args.seed, k)))
    env = dict(os.environ, LC_ALL="C")
    try:
        tp = subprocess.run([args.testparm, "-s", path], capture_output=True, cwd="/", env=env,
                            stdin=subprocess.DEVNULL, timeout=60)
    except subprocess.TimeoutExpired:
        tp = None
    if tp is None or b"INTERNAL ERROR: Signal" in tp.stderr:
        # Samba's own loader crashed or hung (e.g. a huge 'username level' with a
        # 'preload' user that does not exist): no verdict to compare with.
        shutil.rmtree(os.path.dirname(path))
        return k, case, None, "oracle failed"
    sl = subprocess.run([args.smblint, "--print-config", "--host-checks=always", path], capture_output=True, cwd="/", env=env,
                        stdin=subprocess.DEVNULL)
    dec = lambda b: b.decode("utf-8", "surrogateescape")
    why = None
    kind = "refused" if b"Error loading services" in tp.stderr else "loaded"
    if tp.stdout == sl.stdout and kind == "loaded" and sl.returncode == 0:
        kind = "identical"
    if b"Error loading services" in tp.stderr:
        if sl.returncode != 1 or not re.search(r":[0-9]+:[0-9]+: error: smbd will not start: ", dec(sl.stderr)):
            why = "testparm refuses the file; smblint exited %d: %s" % (sl.returncode, dec(sl.stderr)[:300])
    elif sl.returncode != 0:
        why = "testparm loads the file; smblint exited %d: %s" % (sl.returncode, dec(sl.stderr)[:300])
    if why is None:
        why = lint_agrees(args, path, env, kind == "refused")
    if why is None and kind != "refused":
        a, b = normalise(dec(tp.stdout)), normalise(dec(sl.stdout))
        if a != b:
            sa, sb = set(a), set(b)
            only_tp = [x for x in a if x not in sb][:4]
            only_sl = [x for x in b if x not in sa][:4]
            why = "testparm only: %r; smblint only: %r" % (only_tp, only_sl)
    shutil.rmtree(os.path.dirname(path))
    return k, case, why, kind


def run_fix_case(args, params, k, work):
    """--fix: the fixer on the same files.  Its output must be a fixed point, and
    a file testparm loaded must still load once fixed (unsafe fixes included)."""
    case = gen_case(params, args.seed, k)
    path = write_case(case, os.path.join(work, "case-%d-%d" % (args.seed, k)))
    out1, out2 = path + ".fixed", path + ".fixed2"
    env = dict(os.environ, LC_ALL="C")
    dec = lambda b: b.decode("utf-8", "surrogateescape")
    tp = lambda f: subprocess.run([args.testparm, "-s", f], capture_output=True, cwd="/", env=env,
                                  stdin=subprocess.DEVNULL)
    fix = lambda src, dst: subprocess.run([args.smblint, "--no-settings", "--fix", "--unsafe-fixes", "-o", dst,
                                           src], capture_output=True, cwd="/", env=env, stdin=subprocess.DEVNULL)
    loaded = b"Error loading services" not in tp(path).stderr
    why = None
    r1 = fix(path, out1)
    if r1.returncode not in (0, 1) or not os.path.exists(out1):
        why = "smblint --fix exited %d: %s" % (r1.returncode, dec(r1.stderr)[:300])
    else:
        r2 = fix(out1, out2)
        with open(out1, "rb") as f:
            fixed = f.read()
        if loaded and b"Error loading services" in tp(out1).stderr:
            why = "testparm loads the file but not its fixed version: %s" % dec(tp(out1).stderr)[-300:]
        elif r2.returncode not in (0, 1) or not os.path.exists(out2):
            why = "smblint --fix on its own output exited %d: %s" % (r2.returncode, dec(r2.stderr)[:300])
        else:
            with open(out2, "rb") as f:
                if f.read() != fixed:
                    why = "not a fixed point: a second --fix changes the fixed file again"
    shutil.rmtree(os.path.dirname(path))
    return k, case, why, "loaded" if loaded else "refused"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", type=int, default=None, help="run only case K (with --seed), and print it")
    # The tree this script is in (a memcheck shadow tree holds a sanitized ./smblint)
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    ap.add_argument("--smblint", default=os.path.join(top, "smblint"))
    ap.add_argument("--testparm", default=shutil.which("testparm") or "testparm")
    ap.add_argument("--keep", default=os.path.join(top, "test", "out", "difftest"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--fix", action="store_true",
                    help="test only the fixer: fixed point, and what testparm loaded still loads")
    ap.add_argument("--fix-cases", type=int, default=100,
                    help="after the --print-config comparison, the fixer on this many of the files")
    args = ap.parse_args()
    if not shutil.which(args.testparm):
        print("difftest: testparm (Debian package samba) is not installed")
        print("0 passed, 1 failed")
        return 1
    args.smblint = os.path.abspath(args.smblint)
    if not os.access(args.smblint, os.X_OK):
        print("difftest: %s is missing: run make first" % args.smblint)
        print("0 passed, 1 failed")
        return 1
    params = load_params(args.testparm)
    if len(params) < 100:
        print("difftest: testparm --show-all-parameters listed %d parameters" % len(params))
        print("0 passed, 1 failed")
        return 1
    if args.case is not None:
        for name, data in gen_case(params, args.seed, args.case):
            sys.stdout.buffer.write(b"==> %s <==\n" % name.encode() + data + b"\n")
        sys.stdout.flush()
    # (mode, cases): print-config against testparm, then the fixer on the first files
    runs = [("fix", args.cases)] if args.fix else [("print", args.cases), ("fix", args.fix_cases)]
    passed = failed = 0
    for mode, ncases in runs:
        ks = [args.case] if args.case is not None else list(range(ncases))
        if not ks:
            continue
        kinds = {"refused": 0, "loaded": 0, "identical": 0, "oracle failed": 0}
        with tempfile.TemporaryDirectory(prefix="difftest.") as work:
            with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
                one = run_fix_case if mode == "fix" else run_case
                for k, case, why, kind in ex.map(lambda k: one(args, params, k, work), ks):
                    kinds[kind] += 1
                    if why is None:
                        passed += 1
                        continue
                    failed += 1
                    keep = keep_case(args, case, k)
                    print("FAIL %s seed %d case %d (%s): %s" % (mode, args.seed, k, keep, why))
        if mode == "fix":
            print("%d generated files (seed %d) through --fix --unsafe-fixes: testparm loaded %d before "
                  "the fix, refused %d" % (len(ks), args.seed, kinds["loaded"], kinds["refused"]))
        else:
            print("%d generated files (seed %d, %d parameters from testparm): testparm loaded %d "
                  "(%d of them printed byte for byte alike), refused %d%s" %
                  (len(ks), args.seed, len(params), kinds["loaded"] + kinds["identical"], kinds["identical"],
                   kinds["refused"], ", crashed or hung on %d (not judged)" % kinds["oracle failed"]
                   if kinds["oracle failed"] else ""))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
