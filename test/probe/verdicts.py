#!/usr/bin/env python3
"""verdicts.py - smblint's client verdicts (--matrix) against a real smbd, on generated files.

difftest.py holds smblint's reading of a file to testparm's.  This holds what
smblint then says about clients to what a running smbd does: each generated
file (server protocol range, map to guest, signing, encryption, NTLM, guest
account, restrict anonymous, and shares with guest ok / guest only /
encryption of their own, some switched off) is served by a throwaway smbd on loopback, and
`smblint --probe --client=all --matrix --format=json` is run on the very file
smbd reads, once without credentials (the probe then logs on as a made-up
user, as a Windows machine's local account does) and once as a Samba user.

Where smblint's verdict for a share and a client profile says:

  ok                        a user with an account, on that client, opens
                            the share (the authenticated probe connects);
  not ok, a protocol cause  nobody on that client gets in: negotiation fails
  (server min/max protocol) for both probes;
  not ok, encryption or     the authenticated probe does not connect either;
  ntlm auth = disabled
  not ok, guests only or    someone without an account gets nowhere: the
  map to guest              anonymous probe does not connect;
  ok, on a share open to    the anonymous probe gets in with a guest session
  guests, map to guest =    (smblint's guest rules take such shares to work
  bad user                  for the clients that accept guests).

Anything else is a difference: smblint told an admin something about a
client that the real server contradicts.  Files smbd will not serve (it
stops, or smblint says it will not start) are counted, not judged.

Usage: verdicts.py --driver PROBE_DRIVER --user NAME%PASS [--cases N] [--seed S] [--smblint PATH] [--keep DIR]
Last line: "N passed, M failed"; exit status 1 when M > 0.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PROTOCOLS_MIN = [None, "NT1", "SMB2_02", "SMB2_10", "SMB3_00", "SMB3_11", "SMB2", "SMB3"]
PROTOCOLS_MAX = [None, "NT1", "SMB2_02", "SMB2_10", "SMB2", "SMB3_00", "SMB3_02", "SMB3", "SMB3_11"]
ENCRYPT = ["off", "if_required", "desired", "required", "default"]

# Causes of a "not ok" verdict, by the parameter the matrix names.
DIALECT_CAUSES = {"server min protocol", "server max protocol", "min protocol", "max protocol", "protocol"}
ENCRYPT_CAUSES = {"server smb encrypt", "smb encrypt"}


def gen_case(seed, k, user):
    """(global text, shares text, [folders], {share: guest ok as set}) for case k."""
    rnd = random.Random(seed * 1000003 + k)
    g = []

    def maybe(p, name, values):
        if rnd.random() < p:
            g.append("%s = %s" % (name, rnd.choice(values)))

    maybe(0.6, "server min protocol", [v for v in PROTOCOLS_MIN if v])
    maybe(0.3, "server max protocol", [v for v in PROTOCOLS_MAX if v])
    maybe(0.7, "map to guest", ["never", "bad user", "bad password", "bad uid", "Bad User"])
    # With a server max protocol below SMB3_00, 'desired' makes smbd flag the
    # session for encryption anyway; libsmbclient (the probe's client) then
    # fails with ENCRYPTION_FAILED where Windows ignores the flag on SMB 2.x
    # (MS-SMB2 3.2.5.3.1): a limit of the probe, so the two are not combined.
    low_max = any(ln.startswith("server max protocol") and ln.split("= ")[1] in ("NT1", "SMB2_02", "SMB2_10", "SMB2")
                  for ln in g)
    enc = [v for v in ENCRYPT if not (low_max and v == "desired")]
    maybe(0.3, rnd.choice(["server smb encrypt", "smb encrypt"]), enc)
    maybe(0.3, "server signing", ["auto", "mandatory", "disabled", "default", "required"])
    maybe(0.25, "ntlm auth", ["ntlmv2-only", "ntlmv1-permitted", "mschapv2-and-ntlmv2-only", "disabled", "yes", "no"])
    maybe(0.2, "restrict anonymous", ["0", "1", "2"])
    maybe(0.15, "guest account", ["nobody", "smblint-no-such-user"])
    maybe(0.1, "lanman auth", ["yes", "no"])
    maybe(0.15, "guest ok", ["yes", "no"])          # the default of every share
    maybe(0.1, "guest only", ["yes"])
    shares, dirs = [], []
    for i in range(rnd.randrange(1, 4)):
        name = rnd.choice(["pub", "data", "team", "scan"]) + str(i)
        lines = ["[%s]" % name, "\tpath = @DIR@/%s" % name]
        dirs.append(name)
        if rnd.random() < 0.5:
            lines.append("\t%s = %s" % (rnd.choice(["guest ok", "public"]), rnd.choice(["yes", "yes", "no"])))
        if rnd.random() < 0.15:
            lines.append("\tguest only = %s" % rnd.choice(["yes", "no"]))
        if rnd.random() < 0.2:
            lines.append("\t%s = %s" % (rnd.choice(["server smb encrypt", "smb encrypt"]), rnd.choice(enc)))
        if rnd.random() < 0.2:
            lines.append("\tvalid users = %s" % user)
        if rnd.random() < 0.3:
            lines.append("\tread only = no")
        if rnd.random() < 0.05:
            lines.append("\tavailable = %s" % rnd.choice(["no", "yes"]))
        if rnd.random() < 0.04:
            lines[1] = "\tcomment = no path: Samba switches the share off"
        shares.append("\n".join(lines))
    return "\n".join(g) + "\n", "\n".join(shares) + "\n", dirs


class Server:
    """probe-driver serve: a throwaway smbd, stopped by its pid (through the driver)."""

    def __init__(self, driver, work, glob, shares, dirs, user):
        self.info = os.path.join(work, "info")
        gpath, spath = os.path.join(work, "global"), os.path.join(work, "shares")
        with open(gpath, "w") as f:
            f.write(glob)
        with open(spath, "w") as f:
            f.write(shares)
        cmd = [driver, "serve", "--info=" + self.info, "--global=" + gpath, "--shares=" + spath,
               "--user=" + user] + ["--mkdir=" + d for d in dirs]
        self.log = open(os.path.join(work, "serve.log"), "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        self.port = self.pid = self.dir = self.conf = None

    def wait(self):
        """True once smbd listens; False when the driver gave up (smbd did not start)."""
        for _ in range(300):
            if os.path.exists(self.info) and os.path.getsize(self.info) > 0:
                with open(self.info) as f:
                    port, pid, self.dir, self.conf = f.read().split()
                self.port, self.pid = int(port), int(pid)
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def stop(self):
        """Stops the driver (which stops smbd); returns a problem, or None."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "the driver did not stop within 20 s"
        self.log.close()
        if self.pid is not None:
            try:
                os.kill(self.pid, 0)
                os.kill(self.pid, signal.SIGKILL)
                return "smbd %d was still running after its driver stopped" % self.pid
            except ProcessLookupError:
                pass
        return None


def run_smblint(args, conf, port, creds):
    cmd = [args.smblint, "--probe=127.0.0.1:%d" % port, "--client=all", "--matrix", "--format=json",
           "--fail-on=none", "--no-settings"]
    if creds:
        cmd += ["-U", creds]
    p = subprocess.run(cmd + [conf], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return None, "exit %d: %s" % (p.returncode, p.stderr.strip()[:300])
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, "not JSON (%s)" % e


def fatal(doc):
    return any(f.get("rule") in ("SL1001", "SL1029") or "smbd will not start" in f.get("message", "")
               for f in doc.get("findings", []) if f.get("severity") == "error")


def guest_share(doc, share):
    """Whether smblint takes the share to be open to guests: some profile's verdict says guests only."""
    return any(m["share"] == share and m["guest_only"] for m in doc["matrix"])


def judge(anon, auth, map_bad_user):
    """The differences between smblint's verdicts and the two probes, one line each."""
    bad = []
    static = {(m["share"], m["client"]): m for m in auth["matrix"]}
    live_u = {(r["share"], r["client"]): r for r in auth["probe"]}
    live_a = {(r["share"], r["client"]): r for r in anon["probe"]}
    for key, m in sorted(static.items()):
        u, a = live_u.get(key), live_a.get(key)
        if u is None or a is None:
            bad.append("%s/%s: no probe verdict" % key)
            continue
        cause = (m.get("cause") or {}).get("parameter") or ""
        what = "%s as %s" % key
        seen = "user: %s %s; no account: %s %s%s" % (
            "in" if u["connected"] else "out", u["status"], "in" if a["connected"] else "out", a["status"],
            " (guest)" if a["guest"] else "")
        if m["ok"]:
            if not u["connected"]:
                bad.append("%s: smblint says ok, but a user with an account cannot get in (%s)" % (what, seen))
            elif map_bad_user and guest_share(auth, key[0]) and not a["connected"]:
                bad.append("%s: smblint says ok and takes the share to be open to guests, but a "
                           "user without an account cannot get in (%s)" % (what, seen))
            continue
        if cause in DIALECT_CAUSES:
            if u["connected"] or a["connected"] or u["dialect"]:
                bad.append("%s: smblint says no common protocol (%s), but the server negotiated %s (%s)"
                           % (what, cause, u["dialect"] or a["dialect"], seen))
        elif cause == "ntlm auth":
            if u["connected"]:
                bad.append("%s: smblint says ntlm auth keeps users with an account out, but one got in (%s)"
                           % (what, seen))
        elif cause in ENCRYPT_CAUSES and not m["guest_only"]:
            if u["connected"]:
                bad.append("%s: smblint says encryption keeps it out (%s), but a user got in (%s)"
                           % (what, cause, seen))
        elif a["connected"]:
            bad.append("%s: smblint says %s keeps users without an account out, but one got in (%s)"
                       % (what, cause or "guest access", seen))
        elif cause == "map to guest" and not a["guest"]:
            bad.append("%s: smblint says map to guest hands a user without an account a guest session "
                       "(which the client refuses), but the server handed out none (%s)" % (what, seen))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--driver", required=True)
    ap.add_argument("--user", required=True, help="NAME%%PASS of the Samba user the servers get")
    ap.add_argument("--cases", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", type=int, default=None, help="only case K, printed")
    ap.add_argument("--smblint", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "smblint"))
    ap.add_argument("--keep", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "verdicts"))
    args = ap.parse_args()
    # A TERM (a CI timeout, the test runner) unwinds like an interrupt: the
    # running server is stopped by its driver on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.smblint = os.path.abspath(args.smblint)
    name = args.user.split("%", 1)[0]
    try:
        import pwd
        pwd.getpwnam(name)
    except KeyError:
        # (the driver would create the Unix account and leave it behind)
        print("verdicts.py: no user %s on this machine; run test/probe/verdicts.sh, which makes one"
              % name, file=sys.stderr)
        return 2
    passed = failed = unjudged = 0
    cases = [args.case] if args.case is not None else range(args.cases)
    root = tempfile.mkdtemp(prefix="smblint-verdicts.")
    os.chmod(root, 0o755)
    try:
        for k in cases:
            glob, shares, dirs = gen_case(args.seed, k, name)
            if args.case is not None:
                print("--- global\n%s--- shares\n%s" % (glob, shares))
            work = os.path.join(root, "case%d" % k)
            os.makedirs(work)
            srv = Server(args.driver, work, glob, shares, dirs, args.user)
            problems = []
            try:
                if not srv.wait():
                    unjudged += 1      # smbd refused the file (or did not start)
                    continue
                anon, err1 = run_smblint(args, srv.conf, srv.port, None)
                auth, err2 = run_smblint(args, srv.conf, srv.port, args.user)
                if anon is None or auth is None:
                    problems.append("smblint --probe failed: %s" % (err1 or err2))
                elif fatal(auth):
                    unjudged += 1
                else:
                    mtg = [ln.split("=", 1)[1].strip().lower() for ln in glob.splitlines()
                           if ln.lower().startswith("map to guest")]
                    mbu = bool(mtg) and mtg[-1] in ("bad user", "bad password")
                    problems += judge(anon, auth, mbu)
                if problems and args.keep:
                    kd = os.path.join(args.keep, "seed%d-case%d" % (args.seed, k))
                    os.makedirs(kd, exist_ok=True)
                    shutil.copy(srv.conf, os.path.join(kd, "smb.conf"))
                    for nm, doc in (("anon.json", anon), ("auth.json", auth)):
                        if doc is not None:
                            with open(os.path.join(kd, nm), "w") as f:
                                json.dump(doc, f, indent=1)
            finally:
                stop = srv.stop()
                if stop:
                    problems.append(stop)
            if problems:
                failed += 1
                print("FAIL - case %d (seed %d):" % (k, args.seed))
                for p in problems:
                    print("       " + p)
            else:
                passed += 1
                if args.case is not None:
                    print("ok   - case %d" % k)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("%d generated files (seed %d): %d judged, %d not served or not loadable"
          % (len(cases), args.seed, passed + failed, unjudged))
    print("%d passed, %d failed" % (passed + unjudged, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
