#!/usr/bin/env python3
"""Generate src/params_gen.c from the installed Samba's testparm.

Usage: scripts/gen-params.py [OUTPUT [IDS]]
       (defaults: src/params_gen.c and include/param_ids.h)

Everything in the output comes from running testparm:
  * `testparm --version`                 -> param_samba_version
  * `testparm --show-all-parameters`     -> names, types, scope, flags, synonyms,
                                            enum spellings
  * `testparm -sv` on a bare [global]    -> defaults
  * `testparm -sv` on configs setting every enum parameter to each of its
    spellings                            -> which spellings mean the same value
                                            and how testparm prints it back
The table is sorted by folded name (ASCII lower case, blanks removed) so that
src/params.c can binary-search it.  Re-running on the same Samba gives the
same file byte for byte.
"""

import os
import subprocess
import sys
import tempfile

BLANKS = " \t\n\v\f\r"

TYPES = {
    "P_BOOL": "PT_BOOL", "P_BOOLREV": "PT_BOOLREV", "P_ENUM": "PT_ENUM",
    "P_INTEGER": "PT_INTEGER", "P_OCTAL": "PT_OCTAL", "P_BYTES": "PT_BYTES",
    "P_STRING": "PT_STRING", "P_USTRING": "PT_USTRING", "P_LIST": "PT_LIST",
    "P_CMDLIST": "PT_CMDLIST", "P_CHAR": "PT_CHAR",
}

# Defaults that describe the machine running the generator rather than Samba:
# leaving them out keeps the generated file the same on every build host.
HOST_DEPENDENT_DEFAULTS = {
    "netbios name": "the host name, upper-cased",
    "max open files": "derived from RLIMIT_NOFILE",
}

# Folded names must be shorter than this (params.c folds into a buffer this big).
KEY_MAX = 128

# Enum parameters that must not be set in a shared batch: switching the
# config backend makes testparm read the registry instead of our file.
ALONE = {"config backend"}


def fold(name):
    """Samba's parameter-name key: ASCII lower case, no blanks."""
    return "".join(c for c in name if c not in BLANKS).lower()


def key_hash(key):
    """FNV-1a over the folded name's bytes, as params.c computes it."""
    h = 2166136261
    for b in key.encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def testparm(args, conf=None):
    """Runs testparm (optionally on a temporary config); returns (stdout, stderr)."""
    env = dict(os.environ, LC_ALL="C")
    env.pop("SMB_CONF_PATH", None)
    path = None
    try:
        if conf is not None:
            fd, path = tempfile.mkstemp(suffix=".conf", prefix="gen-params-")
            with os.fdopen(fd, "w") as f:
                f.write(conf)
            args = args + [path]
        r = subprocess.run(["testparm"] + args, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, env=env,
                           errors="surrogateescape")
        return r.stdout, r.stderr
    finally:
        if path:
            os.unlink(path)


def samba_version():
    out, _ = testparm(["--version"])
    words = out.split()
    if len(words) != 2 or words[0] != "Version":
        sys.exit("gen-params: unexpected `testparm --version` output: %r" % out)
    return words[1]


def parse_show_all(text):
    """Parses `testparm --show-all-parameters` into a list of dicts."""
    params = []
    scope = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line == "[local]":
            scope = "PS_SHARE"
            continue
        if line == "[global]":
            scope = "PS_GLOBAL"
            continue
        if scope is None or "=" not in line:
            sys.exit("gen-params: cannot parse line %r" % line)
        name, rest = line.split("=", 1)
        # rest: TYPE,[ENUMS,]FLAGS[ (synonym...)]
        paren = None
        if " (" in rest:
            rest, paren = rest.split(" (", 1)
            paren = paren.rstrip(")")
        fields = rest.split(",")
        ptype = fields.pop(0)
        if ptype not in TYPES:
            sys.exit("gen-params: unknown type %r in %r" % (ptype, line))
        enums = None
        if ptype == "P_ENUM":
            enums = fields.pop(0).split("|")
        flags = [f for field in fields for f in field.split("|") if f]
        p = {"name": name, "type": TYPES[ptype], "scope": scope,
             "flags": [], "target": None, "enums": enums}
        for f in flags:
            if f == "FLAG_SYNONYM":
                p["flags"].append("PF_SYNONYM")
            elif f == "FLAG_DEPRECATED":
                p["flags"].append("PF_DEPRECATED")
            else:
                sys.exit("gen-params: unknown flag %r in %r" % (f, line))
        if paren is not None:
            if paren.startswith("inverse synonym of "):
                p["target"] = paren[len("inverse synonym of "):]
                p["flags"].append("PF_INVERSE")
            elif paren.startswith("synonym of "):
                p["target"] = paren[len("synonym of "):]
            elif not paren.startswith("synonyms: "):
                sys.exit("gen-params: cannot parse %r" % line)
        if ("PF_SYNONYM" in p["flags"]) != (p["target"] is not None):
            sys.exit("gen-params: synonym without target (or the reverse): %r" % line)
        params.append(p)
    return params


def parse_dump(text):
    """Maps folded name -> value for every `\\tname = value` line of testparm -sv."""
    values = {}
    for line in text.splitlines():
        if not line.startswith("\t") or " = " not in line:
            continue
        name, value = line[1:].split(" = ", 1)
        values.setdefault(fold(name), value)
    return values


def defaults():
    out, err = testparm(["-sv"], "[global]\n")
    if "Loaded services file OK" not in err:
        sys.exit("gen-params: testparm failed on an empty [global]:\n" + err)
    return parse_dump(out)


def print_back(settings):
    """Runs testparm on `name = value` settings in [global].

    Returns the printed values (folded name -> value), or None when Samba
    refused one of the settings."""
    conf = "[global]\n" + "".join("\t%s = %s\n" % s for s in settings)
    out, err = testparm(["-sv"], conf)
    if "Error loading services" in err or "Ignoring invalid value" in err:
        return None
    return parse_dump(out)


def measure_batch(settings, result):
    """Records what testparm prints for each (name, spelling); halves on failure."""
    printed = print_back(settings)
    if printed is None:
        if len(settings) == 1:
            sys.exit("gen-params: testparm refuses its own spelling %s = %s" % settings[0])
        half = len(settings) // 2
        measure_batch(settings[:half], result)
        measure_batch(settings[half:], result)
        return
    for name, spelling in settings:
        if fold(name) not in printed:
            sys.exit("gen-params: testparm did not print %r" % name)
        result[(name, spelling)] = printed[fold(name)]


def measure_enums(params):
    """Returns name -> [(spelling, value, canon)] for each non-synonym enum."""
    enums = [p for p in params if p["enums"] and p["target"] is None]
    printed = {}
    rounds = max(len(p["enums"]) for p in enums)
    for k in range(rounds):
        batch = [(p["name"], p["enums"][k]) for p in enums
                 if k < len(p["enums"]) and p["name"] not in ALONE]
        measure_batch(batch, printed)
    for p in enums:
        if p["name"] in ALONE:
            for s in p["enums"]:
                measure_batch([(p["name"], s)], printed)
    result = {}
    for p in enums:
        values = {}
        rows = []
        for s in p["enums"]:
            canon = printed[(p["name"], s)]
            values.setdefault(canon, len(values))
            rows.append((s, values[canon], canon))
        result[p["name"]] = rows
    return result


def c_string(s):
    if s is None:
        return "NULL"
    out = []
    prev = ""
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "?" and prev == "?":
            out.append("\\?")  # no trigraphs
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            for b in ch.encode("utf-8", "surrogateescape"):
                out.append("\\%03o" % b)
        prev = ch
    return '"' + "".join(out) + '"'


def c_ident(name):
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")


def generate(version, params, defs, enum_rows):
    params = sorted(params, key=lambda p: fold(p["name"]))
    index = {}
    for i, p in enumerate(params):
        key = fold(p["name"])
        if key in index:
            sys.exit("gen-params: two parameters fold to %r" % key)
        if not key.isascii() or len(key) >= KEY_MAX:
            sys.exit("gen-params: unexpected parameter name %r" % p["name"])
        index[key] = i

    out = []
    w = out.append
    w("/* generated by scripts/gen-params.py from testparm %s - do not edit */" % version)
    w("/*")
    w(" * Samba's parameter table, sorted by folded name (ASCII lower case, blanks")
    w(" * removed).  Enum values: spellings with the same number mean the same")
    w(" * thing; canon is how testparm prints it back.  Defaults are what")
    w(" * `testparm -sv` prints for an empty [global]; NULL when it prints none,")
    w(" * for synonyms, and for host-dependent defaults:")
    for name in sorted(HOST_DEPENDENT_DEFAULTS):
        w(" *   %s (%s)" % (name, HOST_DEPENDENT_DEFAULTS[name]))
    w(" */")
    w('#include "params.h"')
    w("")
    w("const char param_samba_version[] = %s;" % c_string(version))
    w("")

    # One enum array per distinct list; synonyms share their target's.
    arrays = {}
    enum_of = {}
    for p in params:
        if p["enums"] is None:
            continue
        owner = p["name"] if p["target"] is None else p["target"]
        rows = tuple(enum_rows[owner])
        if rows not in arrays:
            ident = "enum_" + c_ident(owner)
            arrays[rows] = ident
            w("static const struct param_enum %s[] = {" % ident)
            for s, value, canon in rows:
                w("\t{%s, %d, %s}," % (c_string(s), value, c_string(canon)))
            w("\t{NULL, 0, NULL},")
            w("};")
            w("")
        enum_of[p["name"]] = arrays[rows]
    lists = list(arrays.values())
    if len(lists) > 255:
        sys.exit("gen-params: more enum lists than a byte can number")
    w("/* param_enums(): entry enums - 1 of this list. */")
    w("const struct param_enum *const param_enum_lists[] = {")
    for ident in lists:
        w("\t%s," % ident)
    w("};")
    w("")

    # Every string the table holds, in one block the entries point into by
    # offset: an array without pointers needs no relocation when smblint
    # starts, so its pages are shared with every other run instead of copied.
    blob = []
    at = {}
    size = [1]    # offset 0 is a lone NUL: def_at 0 means "none"

    def place(text):
        if text not in at:
            at[text] = size[0]
            blob.append(text)
            size[0] += len(text.encode("utf-8", "surrogateescape")) + 1
        return at[text]

    rows = []
    for p in params:
        flags = " | ".join(p["flags"]) or "0"
        target = -1
        if p["target"] is not None:
            target = index.get(fold(p["target"]))
            if target is None:
                sys.exit("gen-params: %r is a synonym of unknown %r" % (p["name"], p["target"]))
        d = None
        if p["target"] is None and p["name"] not in HOST_DEPENDENT_DEFAULTS:
            d = defs.get(fold(p["name"]))
        rows.append((place(p["name"]), 0 if d is None else place(d), p["type"], p["scope"], flags,
                     lists.index(enum_of[p["name"]]) + 1 if p["name"] in enum_of else 0, target))
    keys = [place(fold(p["name"])) for p in params]
    if size[0] > 65535:
        sys.exit("gen-params: string block too large for 16-bit key offsets")

    w("/* Names, defaults and folded names, each ended by a NUL (param_name, param_def). */")
    w("const char param_strings[] = \"\\0\"")
    for text in blob:
        w("\t%s" % (c_string(text)[:-1] + '\\0"'))
    w("\t;")
    w("")
    w("const struct param param_table[] = {")
    w("\t/* name_at, def_at, type, scope, flags, enums, synonym_of */")
    for p, r in zip(params, rows):
        w("\t{%d, %d, %s, %s, %s, %d, %d},   /* %s */" % (r + (p["name"].replace("*/", "* /"),)))
    w("};")
    w("")
    w("const size_t param_count = sizeof param_table / sizeof param_table[0];")
    w("")
    w("/* Offsets in param_strings of the folded names, in table order (strictly ascending). */")
    w("const unsigned short param_key_at[] = {")
    for k in range(0, len(keys), 16):
        w("\t" + " ".join("%d," % v for v in keys[k:k + 16]))
    w("};")
    w("")
    # An open-addressing table of the folded names, so that a look-up costs
    # one hash and one comparison instead of a binary search.
    bits = 1
    while (1 << bits) < 4 * len(params):
        bits += 1
    slots = [0] * (1 << bits)
    for i, p in enumerate(params):
        h = key_hash(fold(p["name"])) & ((1 << bits) - 1)
        while slots[h]:
            h = (h + 1) & ((1 << bits) - 1)
        slots[h] = i + 1
    w("/*")
    w(" * The folded names hashed (FNV-1a, 32 bits, the low param_slot_bits bits),")
    w(" * linear probing: table index + 1, 0 for an empty slot.")
    w(" */")
    w("const unsigned param_slot_bits = %d;" % bits)
    w("const unsigned short param_slots[] = {")
    for k in range(0, len(slots), 16):
        w("\t" + " ".join("%d," % v for v in slots[k:k + 16]))
    w("};")
    return "\n".join(out) + "\n"


def generate_ids(version, params):
    """include/param_ids.h: each canonical parameter's table position as a constant."""
    params = sorted(params, key=lambda p: fold(p["name"]))
    out = []
    w = out.append
    w("/* generated by scripts/gen-params.py from testparm %s - do not edit */" % version)
    w("/*")
    w(" * The position of each canonical parameter in param_table (params_gen.c),")
    w(" * so that code naming a parameter needs no look-up by name:")
    w(" * &param_table[PARAM_SERVER_MIN_PROTOCOL].  PARAM_IDS lists them as")
    w(" * X(constant, position, name); test_params checks every one.")
    w(" */")
    w("#ifndef SMBLINT_PARAM_IDS_H")
    w("#define SMBLINT_PARAM_IDS_H")
    w("")
    w("#define PARAM_IDS(X) \\")
    seen = set()
    for i, p in enumerate(params):
        if p["target"] is not None:
            continue
        ident = "PARAM_" + c_ident(p["name"]).upper()
        if ident in seen:
            sys.exit("gen-params: two parameters make the constant %s" % ident)
        seen.add(ident)
        w("\tX(%s, %d, %s) \\" % (ident, i, c_string(p["name"])))
    w("")
    w("enum param_id {")
    w("#define PARAM_ID_ENUM(id, ix, name) id = ix,")
    w("\tPARAM_IDS(PARAM_ID_ENUM)")
    w("#undef PARAM_ID_ENUM")
    w("};")
    w("")
    w("#endif")
    return "\n".join(out) + "\n"


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "src", "params_gen.c")
    ids = sys.argv[2] if len(sys.argv) > 2 else os.path.join(top, "include", "param_ids.h")
    version = samba_version()
    show_all, _ = testparm(["--show-all-parameters"])
    params = parse_show_all(show_all)
    text = generate(version, params, defaults(), measure_enums(params))
    write(output, text)
    write(ids, generate_ids(version, params))
    print("gen-params: wrote %d parameters from testparm %s to %s and %s"
          % (len(params), version, os.path.normpath(output), os.path.normpath(ids)))


if __name__ == "__main__":
    main()
