# SPDX-License-Identifier: GPL-2.0
"""The --json outputs of values, check and compare against their JSON Schema.

Documentation/kvm-safe-rules-output.schema.json is checked as a schema
(draft 2020-12, Debian's python3-jsonschema), then every output of the host
CLI (built with make when it is not up to date) is validated against it:
values REG --json for every register of every fixture profile, check --json
of each fixture's defaults and of every template and property list of
userspace/tests/data/vmm on every fixture, and compare A B --json for every
pair of fixtures. JSON numbers must be integers (a float, a hex string, a
key twice fail).

Then what the outputs mean, derived from the outputs themselves and the
profile, never from a table typed here: each field's bits, sign and
default are the profile's; values: current is the default, accepted, and
the default is in the field's ranges; check: a field is accepted exactly
when its current value is in its ranges (or supported values), a
register's verdict is the AND of its fields', ok the AND of the
registers'; the parts of a template the library keeps are those of the
file; compare: the result word follows from the fields that block, the
exit status from the result, and compare B A is compare A B mirrored.
"""
import glob
import itertools
import json
import os
import re
import subprocess
import tempfile
import unittest

import jsonschema

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(TOP, "build", "host", "bin", "kvm-safe-rules")
SCHEMA = os.path.join(TOP, "Documentation", "kvm-safe-rules-output.schema.json")
FIXTURES = sorted(glob.glob(os.path.join(TOP, "userspace", "tests", "fixtures", "*.json")))
VMM = os.path.join(TOP, "userspace", "tests", "data", "vmm")
# The configurations of data/vmm and the --format each is in
TEMPLATES = ([(p, "firecracker") for p in sorted(glob.glob(os.path.join(VMM, "firecracker", "*.json")))] +
             [(p, "qemu") for p in sorted(glob.glob(os.path.join(VMM, "qemu", "*.txt")))] +
             [(p, "qemu-lines") for p in sorted(glob.glob(os.path.join(VMM, "qemu", "*.lines")))])
COMPARE_STATUS = {"identical": 0, "incompatible": 1, "superset": 4, "subset": 5}
MIRROR = {"identical": "identical", "incompatible": "incompatible", "superset": "subset",
          "subset": "superset", "a-on-b": "b-on-a", "b-on-a": "a-on-b", "both": "both", "none": "none",
          "rejected-by-a": "rejected-by-b", "rejected-by-b": "rejected-by-a"}
# compare --config: the pairs every template is compared on (one of each kind, and a profile with itself)
CONFIG_PAIRS = [("cortex-a76.json", "neoverse-n1.json"), ("max.json", "a64fx.json"),
                ("cortex-a57.json", "cortex-a57.json")]
HEX = re.compile(r"0[xX][0-9a-fA-F]+")


def setUpModule():
    # Always through make: the binary is the current code's (nothing is rebuilt when it is).
    subprocess.run(["make", "-s", "--no-print-directory", "-C", TOP, "build/host/bin/kvm-safe-rules",
                    "KSR_DEPS_DONE=1"], check=True)


def load_schema():
    with open(SCHEMA) as f:
        return json.load(f)


def strict_json(text):
    """JSON with integers only (no float, NaN or Infinity) and no key twice."""
    def no_float(s):
        raise ValueError(f"a non-integer number {s}")

    def pairs(kv):
        keys = [k for k, _ in kv]
        dup = {k for k in keys if keys.count(k) > 1}
        if dup:
            raise ValueError(f"keys given twice: {sorted(dup)}")
        return dict(kv)
    return json.loads(text, parse_float=no_float, parse_constant=no_float, object_pairs_hook=pairs)


def strings(obj):
    """Every string value of a JSON document (not keys)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from strings(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from strings(x)


def reg_id(reg):
    """A profile register's KVM_SET_ONE_REG id."""
    if "id" in reg:
        return int(reg["id"], 16)
    op0, op1, crn, crm, op2 = reg["encoding"]
    return 0x6030000000130000 | op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2


def bits(value, shift, width, signed=False):
    v = (value >> shift) & ((1 << width) - 1)
    return v - (1 << width) if signed and v >> (width - 1) else v


def in_ranges(v, ranges):
    return any(r["min"] <= v <= r["max"] for r in ranges)


def load_profile(path):
    with open(path) as f:
        p = json.load(f)
    p["by_name"] = {r["name"]: r for r in p["registers"]}
    return p


def profile_fields(reg):
    """The fields the CLI shows for a profile register: (name, field, shift, width, signed, type, rule)."""
    name = reg["name"]
    if reg.get("kind") == "firmware" and not reg.get("bitmap"):
        return [(name, None, 0, 64, False, "number", "VALUES")]
    kind = "bool" if reg.get("bitmap") else "number"
    return [(f"{name}.{f['name']}", f["name"], f["shift"], f["width"], f["signed"], kind, f["rule"])
            for f in reg["fields"]]


def default_of(reg, shift, width, signed, kind):
    v = bits(int(reg["value"], 16), shift, width, signed)
    return bool(v) if kind == "bool" else v


def kept_of(path, fmt):
    """What the library keeps of a configuration file, from the file itself."""
    with open(path) as f:
        text = f.read()
    if fmt == "firecracker":
        doc = json.loads(text)
        # A modifier of a register with no rules (neither of the ID range,
        # 0x603000000013xxxx, nor a firmware register, 0x603000000014xxxx and
        # 0x603000000016xxxx: config-format.rst) is kept as it is, first.
        ruled = (0x603000000013, 0x603000000014, 0x603000000016)
        other = [m for m in doc.get("reg_modifiers", []) if int(m["addr"], 0) >> 16 not in ruled]
        return ([("reg_modifiers", other)] if other else []) + \
            [(k, doc[k]) for k in ("vcpu_features", "kvm_capabilities") if k in doc]
    items = [s.strip() for line in text.splitlines() if not line.lstrip().startswith("#")
             for s in line.split(",") if s.strip()]
    kept = []
    if items and "=" not in items[0]:
        kept.append(("cpu", items.pop(0)))
    others = [s for s in items if not s.upper().startswith("SYSREG_")]
    if others:
        kept.append(("properties", ",".join(others)))
    return kept


class OutputCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        schema = load_schema()
        cls.validator = jsonschema.Draft202012Validator(schema)
        branches = {k: v for k, v in schema.items() if k != "oneOf"}
        cls.by_command = {c: jsonschema.Draft202012Validator(dict(branches, **{"$ref": f"#/$defs/{c}"}))
                          for c in ("values", "check", "compare")}
        cls.profiles = {p: load_profile(p) for p in FIXTURES}

    def run_json(self, args, statuses):
        """Runs the CLI; its JSON output, valid against the schema, strictly integral."""
        r = subprocess.run([CLI] + args, capture_output=True, text=True)
        what = " ".join(os.path.relpath(a, TOP) if a.startswith(TOP) else a for a in args)
        self.assertIn(r.returncode, statuses, f"{what}: exit {r.returncode}: {r.stderr}")
        self.assertEqual(r.stderr, "", what)
        try:
            out = strict_json(r.stdout)
        except ValueError as e:
            self.fail(f"{what}: {e}:\n{r.stdout[:2000]}")
        error = jsonschema.exceptions.best_match(self.validator.iter_errors(out))
        if error and isinstance(out, dict) and out.get("command") in self.by_command:
            # the error under the command's own branch of the oneOf, not "none of them"
            error = jsonschema.exceptions.best_match(self.by_command[out["command"]].iter_errors(out))
        if error:
            self.fail(f"{what}: not the schema's, at /{'/'.join(map(str, error.absolute_path))}: "
                      f"{error.message[:300]}")
        hexes = [s for s in strings(out) if HEX.fullmatch(s)]
        self.assertEqual(hexes, [], f"{what}: hex strings")
        return r.returncode, out

    def check_field_against_profile(self, fld, profile, what):
        """A field's identity and default are its profile's."""
        reg = profile["by_name"][fld["register"]]
        self.assertEqual(fld["reg_id"], reg_id(reg), what)
        known = {f[0]: f for f in profile_fields(reg)}
        self.assertIn(fld["name"], known, what)
        name, field, shift, width, signed, kind, rule = known[fld["name"]]
        self.assertEqual((fld["field"], fld["shift"], fld["width"], fld["type"], fld["rule"]),
                         (field, shift, width, kind, rule), f"{what}: {name}")
        if kind == "number":
            self.assertEqual(fld["signed"], signed, f"{what}: {name}")
        self.assertEqual(fld["default"], default_of(reg, shift, width, signed, kind), f"{what}: {name}")
        if kind == "number" and field is not None:
            self.assertEqual(fld["writable"], next(f for f in reg["fields"] if f["name"] == field)["writable"],
                             f"{what}: {name}")

    def check_accepted_means_in_ranges(self, fld, what):
        """accepted exactly when current is an accepted value; a reason exactly when not."""
        if fld["type"] == "bool":
            self.assertEqual(fld["accepted"], fld["current"] in fld["supported_values"], what)
        elif fld["ranges"] is not None:
            self.assertEqual(fld["accepted"], in_ranges(fld["current"], fld["ranges"]),
                             f"{what}: {fld['name']} current {fld['current']} ranges {fld['ranges']}")
            runs = fld["ranges"]
            for lo, hi in zip(runs, runs[1:]):
                self.assertGreater(hi["min"], lo["max"] + 1, f"{what}: {fld['name']}: runs not maximal")
            for r in runs:
                self.assertLessEqual(r["min"], r["max"], f"{what}: {fld['name']}")
        self.assertEqual(fld["reason"] is None, fld["accepted"], f"{what}: {fld['name']}")


class Schema(unittest.TestCase):
    def test_schema_is_a_valid_draft_2020_12_schema(self):
        schema = load_schema()
        self.assertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
        jsonschema.Draft202012Validator.check_schema(schema)

    def test_every_object_is_closed(self):
        """Every object schema says additionalProperties: false."""
        def walk(node, path):
            if isinstance(node, dict):
                if node.get("type") == "object":
                    self.assertIs(node.get("additionalProperties"), False, path)
                for k, v in node.items():
                    walk(v, f"{path}/{k}")
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, f"{path}/{i}")
        walk(load_schema(), "#")

    def test_the_schema_refuses_what_it_should(self):
        """A valid field, then each of its corruptions refused."""
        v = jsonschema.Draft202012Validator(load_schema())
        number = {"name": "ID_AA64PFR0_EL1.SVE", "register": "ID_AA64PFR0_EL1", "reg_id": 0x603000000013c020,
                  "field": "SVE", "shift": 32, "width": 4, "type": "number", "signed": False, "current": 1,
                  "default": 1, "ranges": [{"min": 0, "max": 1}], "writable": True, "rule": "LOWER_SAFE",
                  "accepted": True, "reason": None}
        boolean = {"name": "KVM_REG_ARM_STD_BMAP.TRNG_V1_0", "register": "KVM_REG_ARM_STD_BMAP",
                   "reg_id": 0x6030000000160000, "field": "TRNG_V1_0", "shift": 0, "width": 1, "type": "bool",
                   "current": True, "default": True, "supported_values": [False, True], "writable": True,
                   "rule": "ANY", "accepted": True, "reason": None}
        doc = {"command": "values", "rules_from": None,
               "registers": [{"register": "ID_AA64PFR0_EL1", "reg_id": 0x603000000013c020, "default": 1,
                              "raz": False, "writes_ignored": False}], "fields": [number, boolean]}
        self.assertEqual(list(v.iter_errors(doc)), [])
        bad = [("reg_id as a hex string", number, "reg_id", "0x603000000013c020"),
               ("an unknown key", number, "extra", 1),
               ("a float", number, "current", 1.5),
               ("a bool field's ranges", boolean, "ranges", [{"min": 0, "max": 1}]),
               ("a number field's supported_values", number, "supported_values", [True]),
               ("a bool field with an integer", boolean, "current", 1),
               ("a number field with a boolean", number, "default", True),
               ("an unknown rule", number, "rule", "SAFE"),
               ("an unknown reason", number, "reason", "because"),
               ("a range as a pair", number, "ranges", [[0, 1]])]
        for what, base, key, value in bad:
            with self.subTest(what):
                fields = [dict(f, **{key: value}) if f is base else f for f in (number, boolean)]
                self.assertNotEqual(list(v.iter_errors(dict(doc, fields=fields))), [], what)
        without_signed = dict(number)
        del without_signed["signed"]
        self.assertNotEqual(list(v.iter_errors(dict(doc, fields=[without_signed]))), [])


class Values(OutputCase):
    def test_every_register_of_every_fixture(self):
        for path, profile in self.profiles.items():
            for reg in profile["registers"]:
                what = f"{os.path.basename(path)}: values {reg['name']}"
                with self.subTest(what):
                    _, out = self.run_json(["values", reg["name"], "--json", "--profile", path], [0])
                    self.assertEqual(out["rules_from"], profile.get("provider"), what)
                    self.assertEqual(out["registers"], [{
                        "register": reg["name"], "reg_id": reg_id(reg), "default": int(reg["value"], 16),
                        "raz": reg.get("raz", False), "writes_ignored": reg.get("writes_ignored", False)}],
                        what)
                    self.assertEqual([f["name"] for f in out["fields"]],
                                     [f[0] for f in profile_fields(reg)], what)
                    for fld in out["fields"]:
                        self.assertEqual(fld["register"], reg["name"], what)
                        self.check_field_against_profile(fld, profile, what)
                        self.assertEqual(fld["current"], fld["default"], f"{what}: {fld['name']}")
                        self.assertTrue(fld["accepted"], f"{what}: {fld['name']}")
                        self.check_accepted_means_in_ranges(fld, what)


class Check(OutputCase):
    def check_meaning(self, out, status, profile, what):
        regs = {r["register"]: r for r in out["registers"]}
        self.assertEqual(len(regs), len(out["registers"]), f"{what}: a register twice")
        self.assertEqual(out["ok"], status == 0, what)
        self.assertEqual(out["ok"], all(r["accepted"] for r in regs.values()), what)
        by_reg = {}
        for fld in out["fields"]:
            self.check_field_against_profile(fld, profile, what)
            self.check_accepted_means_in_ranges(fld, what)
            reg = regs[fld["register"]]
            self.assertEqual(fld["reg_id"], reg["reg_id"], what)
            current = bits(reg["value"], fld["shift"], fld["width"], fld.get("signed", False))
            self.assertEqual(fld["current"], bool(current) if fld["type"] == "bool" else current,
                             f"{what}: {fld['name']}: not the bits of the register's value")
            by_reg.setdefault(fld["register"], []).append(fld["accepted"])
        # every field of every register of the configuration
        for name, reg in regs.items():
            prof = profile["by_name"][name]
            self.assertEqual(reg["reg_id"], reg_id(prof), what)
            self.assertEqual(len(by_reg.get(name, [])), len(profile_fields(prof)), f"{what}: {name}")
            self.assertEqual(reg["accepted"], all(by_reg.get(name, [])),
                             f"{what}: {name}: not the AND of its fields")
            self.assertEqual(reg["reason"] is None, reg["accepted"], f"{what}: {name}")
            if not reg["accepted"]:
                # refused: the register keeps its default
                self.assertEqual(reg["stored"], int(prof["value"], 16), f"{what}: {name}")

    def test_the_defaults_of_every_fixture(self):
        for path, profile in self.profiles.items():
            what = f"{os.path.basename(path)}: check of its defaults"
            with self.subTest(what), tempfile.NamedTemporaryFile("w", suffix=".cfg") as cfg:
                cfg.write("".join(f"{r['name']} {r['value']}\n" for r in profile["registers"]))
                cfg.flush()
                status, out = self.run_json(["check", "--config", cfg.name, "--format", "lines", "--json",
                                             "--profile", path], [0, 1])
                self.assertEqual(status, 0, what)
                self.assertEqual(out["kept"], [], what)
                self.assertEqual([r["register"] for r in out["registers"]],
                                 [r["name"] for r in profile["registers"]], what)
                for r in out["registers"]:
                    self.assertEqual(r["value"], int(profile["by_name"][r["register"]]["value"], 16), what)
                for fld in out["fields"]:
                    self.assertEqual(fld["current"], fld["default"], f"{what}: {fld['name']}")
                self.check_meaning(out, status, profile, what)

    def test_every_vmm_template_on_every_fixture(self):
        self.assertTrue(TEMPLATES)
        for (tpl, fmt), (path, profile) in itertools.product(TEMPLATES, self.profiles.items()):
            what = f"{os.path.basename(path)}: check {os.path.relpath(tpl, VMM)}"
            with self.subTest(what):
                status, out = self.run_json(["check", "--config", tpl, "--format", fmt, "--json",
                                             "--profile", path], [0, 1])
                self.assertEqual([(k["key"], json.loads(k["text"]) if fmt == "firecracker" else k["text"])
                                  for k in out["kept"]], kept_of(tpl, fmt), what)
                self.check_meaning(out, status, profile, what)


class Compare(OutputCase):
    def test_every_pair_of_fixtures(self):
        results = {}
        for a, b in itertools.product(FIXTURES, FIXTURES):
            what = f"compare {os.path.basename(a)} {os.path.basename(b)}"
            with self.subTest(what):
                status, out = self.run_json(["compare", a, b, "--json"], list(COMPARE_STATUS.values()))
                self.assertEqual(status, COMPARE_STATUS[out["result"]], what)
                self.assertEqual((out["a"], out["b"]), (a, b), what)
                blocks = {r["blocks"] for r in out["responsible"]}
                a_on_b = bool(blocks & {"a-on-b", "both"})
                b_on_a = bool(blocks & {"b-on-a", "both"})
                # superset: B's model runs on A, A's does not run on B
                expected = {(False, False): "identical", (True, False): "superset",
                            (False, True): "subset", (True, True): "incompatible"}[(a_on_b, b_on_a)]
                self.assertEqual(out["result"], expected, f"{what}: blocks {sorted(blocks)}")
                for r in out["responsible"]:
                    for side, path in (("a", a), ("b", b)):
                        prof = self.profiles[path]["by_name"].get(r["register"])
                        if prof is None:
                            self.assertIsNone(r[side], f"{what}: {r['name']}")
                            continue
                        known = {f[0]: f for f in profile_fields(prof)}
                        if r["name"] in known:
                            _, _, shift, width, signed, kind, _ = known[r["name"]]
                            self.assertEqual(r[side], default_of(prof, shift, width, signed, kind),
                                             f"{what}: {r['name']}: {side} is not its default")
                if a == b:
                    self.assertEqual(out["result"], "identical", what)
                results[(a, b)] = out
        for a, b in itertools.combinations(FIXTURES, 2):
            if (a, b) in results and (b, a) in results:
                self.check_mirror(results[(a, b)], results[(b, a)],
                                  f"compare {os.path.basename(a)} {os.path.basename(b)} and the reverse")

    def check_mirror(self, ab, ba, what):
        """compare B A is compare A B with the sides swapped."""
        with self.subTest(what):
            self.assertEqual(ba["result"], MIRROR[ab["result"]], what)
            mirrored = sorted(((r["name"], r["b"], r["a"], MIRROR[r["blocks"]]) for r in ab["responsible"]),
                              key=repr)
            self.assertEqual(sorted(((r["name"], r["a"], r["b"], r["blocks"]) for r in ba["responsible"]),
                                    key=repr), mirrored, what)

    def test_with_every_vmm_template(self):
        """compare A B --config T: valid, the exit status its result's, a refused
        configuration's value on the refusing side only, and compare B A the mirror."""
        for (tpl, fmt), (a, b) in itertools.product(TEMPLATES, CONFIG_PAIRS):
            outs = []
            for x, y in ((a, b), (b, a)):
                what = f"compare {x} {y} --config {os.path.relpath(tpl, VMM)}"
                with self.subTest(what):
                    status, out = self.run_json(
                        ["compare", os.path.join(TOP, "userspace", "tests", "fixtures", x),
                         os.path.join(TOP, "userspace", "tests", "fixtures", y), "--config", tpl,
                         "--format", fmt, "--json"], list(COMPARE_STATUS.values()))
                    self.assertEqual(status, COMPARE_STATUS[out["result"]], what)
                    self.assertEqual([(k["key"], json.loads(k["text"]) if fmt == "firecracker" else k["text"])
                                      for k in out.get("kept", [])], kept_of(tpl, fmt), what)
                    for r in out["responsible"]:
                        if r["blocks"] == "rejected-by-a":
                            self.assertEqual((r["a"] is None, r["b"] is None), (False, True), what)
                        elif r["blocks"] == "rejected-by-b":
                            self.assertEqual((r["a"] is None, r["b"] is None), (True, False), what)
                    if a == b:
                        self.assertIn(out["result"], ("identical", "incompatible"), what)
                    outs.append(out)
            if len(outs) == 2:
                self.check_mirror(outs[0], outs[1], f"compare {a} {b} --config {os.path.basename(tpl)} "
                                  "and the reverse")


if __name__ == "__main__":
    unittest.main()
