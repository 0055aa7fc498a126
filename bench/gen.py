#!/usr/bin/env python3
"""gen.py - writes synthetic but realistic smb.conf files for the benchmark.

Usage:
  gen.py shares N OUT        one file with a [global] section and N shares
  gen.py includes DIR [LEVELS [FANOUT]]
                             a tree of include files LEVELS deep (default 50),
                             each level with FANOUT extra leaf files (default 2);
                             prints the path of the top file

The output is deterministic (fixed random seed), so runs compare across
machines.  A share averages about 200 bytes: comments, blank lines, guest and
user shares, continuation lines, lists, masks.
"""
import os
import random
import sys

GLOBAL = """\
# Samba configuration generated for smblint's benchmark.
# Every run writes the same bytes (fixed seed).

[global]
   workgroup = BENCH
   server string = %h benchmark server (Samba %v)
   netbios name = BENCHSRV
   security = user
   map to guest = bad user
   passdb backend = tdbsam
   log file = /var/log/samba/log.%m
   max log size = 1000
   logging = file
   server role = standalone server
   obey pam restrictions = yes
   unix password sync = yes
   passwd program = /usr/bin/passwd %u
   load printers = no
   printcap name = /dev/null
   disable spoolss = yes
   server min protocol = SMB2_02
   ; guest account = nobody
   usershare allow guests = yes

"""

USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
GROUPS = ["staff", "media", "finance", "devs", "admins"]


def share(rnd, i):
    """One share: about 200 bytes on average."""
    name = "share%d" % i
    out = []
    r = rnd.random()
    if r < 0.3:
        out.append("# %s: team folder number %d, ask the helpdesk for access\n" % (name, i))
    elif r < 0.4:
        out.append("; disabled options kept for reference\n;   browseable = no\n")
    out.append("[%s]\n" % name)
    kind = rnd.random()
    if kind < 0.25:  # guest share
        out.append("   comment = Public files %d\n" % i)
        out.append("   path = /srv/public/%d\n" % i)
        out.append("   guest ok = yes\n   read only = %s\n" % rnd.choice(["yes", "no"]))
    elif kind < 0.85:  # user share
        out.append("   comment = Project space of team %d\n" % (i % 97))
        out.append("   path = /srv/%s\n" % name)
        if rnd.random() < 0.2:  # continuation line
            out.append("   valid users = %s \\\n      @%s\n"
                       % (" ".join(rnd.sample(USERS, 3)), rnd.choice(GROUPS)))
        else:
            out.append("   valid users = @%s\n" % rnd.choice(GROUPS))
        out.append("   writable = yes\n   create mask = 0660\n")
        out.append("   force group = %s\n" % rnd.choice(GROUPS))
        if rnd.random() < 0.3:
            out.append("   directory mask = 0770\n   veto files = /*.tmp/.DS_Store/\n")
    else:  # print or home-like share
        out.append("   comment = Home of user %d\n   path = /home/u%d\n" % (i, i))
        out.append("   browseable = no\n   read only = no\n")
    out.append("\n")
    return "".join(out)


def gen_shares(n, path):
    rnd = random.Random(1)
    with open(path, "w") as f:
        f.write(GLOBAL)
        for i in range(n):
            f.write(share(rnd, i))


def gen_includes(d, levels=50, fanout=2):
    """Level k's file sets a few shares, includes `fanout` leaves and level k+1."""
    rnd = random.Random(2)
    os.makedirs(d, exist_ok=True)
    d = os.path.abspath(d)
    top = os.path.join(d, "smb.conf")
    with open(top, "w") as f:
        f.write(GLOBAL)
        f.write("   include = %s/level1.conf\n" % d)
    n = 0
    for k in range(1, levels + 1):
        with open(os.path.join(d, "level%d.conf" % k), "w") as f:
            f.write("# include level %d\n" % k)
            for j in range(fanout):
                leaf = os.path.join(d, "level%d-leaf%d.conf" % (k, j))
                with open(leaf, "w") as lf:
                    for _ in range(3):
                        lf.write(share(rnd, n))
                        n += 1
                f.write("include = %s\n" % leaf)
            for _ in range(3):
                f.write(share(rnd, n))
                n += 1
            if k < levels:
                f.write("include = %s/level%d.conf\n" % (d, k + 1))
    return top


def main(argv):
    if len(argv) >= 4 and argv[1] == "shares":
        gen_shares(int(argv[2]), argv[3])
    elif len(argv) >= 3 and argv[1] == "includes":
        levels = int(argv[3]) if len(argv) > 3 else 50
        fanout = int(argv[4]) if len(argv) > 4 else 2
        print(gen_includes(argv[2], levels, fanout))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
