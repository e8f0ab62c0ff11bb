# SPDX-License-Identifier: GPL-2.0
"""The CLI's operations on rules learned by probing, against the same
operations on the exported rules of the same CPU models.

userspace/tests/fixtures/probe/MODEL.json were captured with
`scripts/capture-profiles --source probe` (trial writes in a scratch VM) from
the same models as userspace/tests/fixtures/MODEL.json (the series' ioctl).
What the two may not differ in: the accepted values of every field and bits
(values), baselines and their blockers, migrate-check verdicts, clamp and
check of the same configuration. What they may differ in (rules, "several
rules fit") is probe_compare's table, not this test's. Nothing here is typed
from a kernel table: both sides are the library's answers on captured rules.

Probing learns ID registers only; the exported fixtures (kvm-safe-rules/v2)
also hold the firmware pseudo-registers. The operations that compare whole
profiles (baseline, migrate-check, check, clamp) run on copies of the
exported fixtures without their firmware registers (exported_ids()), and
test_probing_learns_id_registers_only checks that this drops the firmware
registers and nothing else.
"""
import itertools
import json
import os
import re
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(TOP, "build", "host", "bin", "kvm-safe-rules")
FIXTURES = os.path.join(TOP, "userspace", "tests", "fixtures")
MODELS = "max cortex-a53 cortex-a57 cortex-a72 cortex-a76 neoverse-n1 a64fx".split()


def exported(model):
    return os.path.join(FIXTURES, model + ".json")


def probed(model):
    return os.path.join(FIXTURES, "probe", model + ".json")


def is_firmware(reg):
    return reg.get("kind") == "firmware"


# exported_ids(model): the exported fixture without its firmware registers,
# written by setUpModule to a scratch directory under the same file name.
IDS = None


def exported_ids(model):
    return os.path.join(IDS.name, model + ".json")


def setUpModule():
    global IDS
    IDS = tempfile.TemporaryDirectory()
    for m in MODELS:
        with open(exported(m)) as f:
            profile = json.load(f)
        profile["registers"] = [r for r in profile["registers"] if not is_firmware(r)]
        with open(exported_ids(m), "w") as f:
            json.dump(profile, f, indent=2)


def tearDownModule():
    IDS.cleanup()


# Why a value is refused is worded after the rule (exported) or after the
# trial (probing: "refused-when-probed"); the verdicts and values must agree.
REASONS = re.compile(r"\b(above-default|below-default|default-is-zero|not-default-or-safe-value|"
                     r"below-minimum|not-writable|refused-when-probed|rule-to-probe|unknown-rule)\b")


def cli(*args):
    """Runs the CLI; returns (status, stdout) with the fixtures' paths and the
    reasons' wording made alike."""
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)
    out = (p.stdout.replace(os.path.join(FIXTURES, "probe") + "/", "").replace(FIXTURES + "/", "")
           .replace(IDS.name + "/", ""))
    return p.returncode, REASONS.sub("REASON", out)


def allowed_sets(profile):
    """Every register's fields' accepted values as raw bit patterns (the sign
    a side reads a field with aside), by (register, shift, width)."""
    with open(profile) as f:
        regs = json.load(f)["registers"]
    sets = {}
    for r in regs:
        status, out = cli("values", r["name"], "--json", "--profile", profile)
        if status != 0:
            raise AssertionError(f"values {r['name']} --profile {profile}: status {status}")
        for f in json.loads(out).get("fields", []):
            if f["type"] != "number" or f["ranges"] is None:
                continue    # a bitmap's bits; a field too wide to enumerate
            raw = {v & ((1 << f["width"]) - 1) for run in f["ranges"]
                   for v in range(run["min"], run["max"] + 1)}
            sets[(r["name"], f["shift"], f["width"])] = sorted(raw)
    return sets


def sign_differs():
    """Fields the two sides read with another sign (arch/arm64/tools/sysreg,
    which probing follows, against cpufeature.c, which KVM follows), from the
    fixtures: {register: {field names}}."""
    out = {}
    for m in MODELS:
        with open(exported(m)) as f:
            ex = {r["name"]: r for r in json.load(f)["registers"]}
        with open(probed(m)) as f:
            for r in json.load(f)["registers"]:
                for pf in r["fields"]:
                    for ef in ex[r["name"]]["fields"]:
                        if ((ef["shift"], ef["width"]) == (pf["shift"], pf["width"])
                                and ef["signed"] != pf["signed"]):
                            out.setdefault(r["name"], set()).add(pf["name"])
    return out


def without(text, fields):
    """text without the lines of the registers of fields (a baseline's)."""
    return "\n".join(line for line in text.splitlines()
                     if not any(re.match(rf"(# )?{reg}[ .]", line) for reg in fields))


def verdicts(result, ignored=()):
    """The exit status and the register lines of check or clamp (no
    explanations: lines indented or starting with #); of a register whose
    writes KVM ignores, only the name: clamp keeps the value asked where
    probing lays out fields, the default where KVM has none, and KVM keeps
    its own value whatever is written."""
    status, out = result
    lines = [line for line in out.splitlines() if line and line[0] not in " #"]
    return status, [line.split()[0] if line.split()[0] in ignored else line for line in lines]


def writes_ignored(profile):
    with open(profile) as f:
        return {r["name"] for r in json.load(f)["registers"] if r["writes_ignored"]}


def defaults_config(profile, path):
    with open(profile) as f:
        regs = json.load(f)["registers"]
    with open(path, "w") as f:
        f.writelines(f"{r['name']} {r['value']}\n" for r in regs)


class ProbedProfiles(unittest.TestCase):
    def test_fixtures_say_where_they_came_from(self):
        for m in MODELS:
            with open(probed(m)) as f:
                self.assertEqual(json.load(f).get("provider"), "probe", m)

    def test_probing_learns_id_registers_only(self):
        """The probed fixtures have no firmware register and the same ID
        registers as the exported ones, which have the seven firmware
        registers after them: exported_ids() drops those and nothing else."""
        for m in MODELS:
            with open(exported(m)) as f:
                ex = json.load(f)["registers"]
            with open(probed(m)) as f:
                pr = json.load(f)["registers"]
            with open(exported_ids(m)) as f:
                ids = json.load(f)["registers"]
            self.assertEqual([r for r in pr if is_firmware(r)], [], m)
            self.assertEqual([r["name"] for r in ids], [r["name"] for r in pr], m)
            self.assertEqual(ids, ex[:len(ids)], m)
            self.assertEqual(len(ex) - len(ids), 7, m)
            self.assertTrue(all(is_firmware(r) for r in ex[len(ids):]), m)

    def test_values_of_common_fields(self):
        """Fields at the same bits on both sides accept the same values."""
        for m in MODELS:
            e, p = allowed_sets(exported(m)), allowed_sets(probed(m))
            common = set(e) & set(p)
            self.assertGreater(len(common), 100, m)
            diff = [k for k in sorted(common) if e[k] != p[k]]
            self.assertEqual(diff, [], f"{m}: accepted values differ")

    def test_baselines(self):
        """Every pair of models, and all 7: the same baseline or the same
        blockers, but for the registers of fields read with another sign,
        where probing's "richest" value is KVM's poorest (the "sign" row of
        Documentation/probing.rst): there the choice must differ."""
        signs = sign_differs()
        self.assertTrue(signs, "no field read with another sign: update probing.rst")
        groups = list(itertools.combinations(MODELS, 2)) + [tuple(MODELS)]
        for g in groups:
            with self.subTest(models=g):
                se, oe = cli("baseline", *map(exported_ids, g))
                sp, op = cli("baseline", *map(probed, g))
                self.assertEqual(se, sp)
                self.assertEqual(without(oe, signs), without(op, signs))
                if se == 0:
                    self.assertNotEqual(oe, op)

    def test_migrate_check(self):
        for a, b in itertools.permutations(MODELS, 2):
            with self.subTest(source=a, target=b):
                se, oe = cli("migrate-check", "--from", exported_ids(a), "--to", exported_ids(b))
                sp, op = cli("migrate-check", "--from", probed(a), "--to", probed(b))
                self.assertEqual((se, oe), (sp, op))

    def test_check_and_clamp_of_another_models_defaults(self):
        """Another model's defaults as the configuration: the same verdict per
        register, the same clamped configuration (the explanations may list
        other fields: probing lays out fields in registers KVM has none in)."""
        with tempfile.TemporaryDirectory() as d:
            for a, b in itertools.permutations(MODELS, 2):
                cfg = os.path.join(d, a + ".cfg")
                defaults_config(exported_ids(a), cfg)
                ignored = writes_ignored(exported_ids(b))
                self.assertEqual(ignored, writes_ignored(probed(b)))
                for cmd in ("check", "clamp"):
                    with self.subTest(config=a, profile=b, cmd=cmd):
                        self.assertEqual(
                            verdicts(cli(cmd, "--config", cfg, "--profile", exported_ids(b)), ignored),
                            verdicts(cli(cmd, "--config", cfg, "--profile", probed(b)), ignored))


if __name__ == "__main__":
    unittest.main()
