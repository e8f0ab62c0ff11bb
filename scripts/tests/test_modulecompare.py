# SPDX-License-Identifier: GPL-2.0
"""scripts/modulecompare.py: the module's entries against the series', byte
for byte, with the one difference patch 1 explains and no other; and the
differential's trial counts."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import modulecompare as mc  # noqa: E402

# reg id of ID_DFR0_EL1 (op0 3, op1 0, CRn 0, CRm 1, op2 2) as KVM_REG_ARM64_SYSREG
DFR0 = 0x6030000000130000 | (3 << 14) | (1 << 3) | 2


def entry(reg=DFR0, kind=1, flags=0, nr_fields=0, mask=0, limit=0, shift=0, width=0, type_=0):
    return mc.LAYOUT.pack(reg, kind, flags, nr_fields, shift, width, type_, 0, mask, limit,
                          0, 0, 0, 0, 0, 0, 0).hex()


def output(variant, entries):
    return ["TAP version 13"] + [f"# {variant} entry {i}: {e}" for i, e in enumerate(entries)] + \
        [f"ok 1 {variant}"]


class Entries(unittest.TestCase):
    def test_identical(self):
        e = [entry(flags=0, mask=0xf0, limit=0x10), entry(kind=2, shift=4, width=4, mask=0xf0)]
        c = mc.compare_entries(output("pmu", e), output("pmu", e))
        self.assertTrue(c.same)
        self.assertEqual((c.entries, c.explained), (2, 0))

    def test_raz_limit_is_explained_by_patch_1(self):
        stock = entry(flags=mc.FLAG_RAZ, limit=0x4000000)
        series = entry(flags=mc.FLAG_RAZ, limit=0)
        c = mc.compare_entries(output("pmu", [stock]), output("pmu", [series]))
        self.assertTrue(c.same)
        self.assertEqual(c.explained, 1)
        self.assertIn("S3_0_C0_C1_2 (RAZ): limit 0x4000000", c.lines[0])

    def test_other_differences_are_not(self):
        cases = {
            "limit of a register that is not RAZ": (entry(limit=1), entry(limit=0)),
            "RAZ limit not 0 with the series": (entry(flags=mc.FLAG_RAZ, limit=2),
                                                entry(flags=mc.FLAG_RAZ, limit=1)),
            "RAZ limit and mask": (entry(flags=mc.FLAG_RAZ, limit=2, mask=1),
                                   entry(flags=mc.FLAG_RAZ, limit=0)),
            "RAZ on one kernel only": (entry(flags=mc.FLAG_RAZ, limit=2), entry(limit=0)),
            "a field entry": (entry(kind=2, flags=mc.FLAG_RAZ, limit=2),
                              entry(kind=2, flags=mc.FLAG_RAZ, limit=0)),
        }
        for name, (mod, ser) in cases.items():
            with self.subTest(name):
                self.assertFalse(mc.compare_entries(output("v", [mod]), output("v", [ser])).same)

    def test_counts_and_variants(self):
        e = entry()
        self.assertFalse(mc.compare_entries(output("v", [e, e]), output("v", [e])).same)
        self.assertFalse(mc.compare_entries(output("a", [e]), output("b", [e])).same)
        self.assertFalse(mc.compare_entries(output("v", [e]), []).same)

    def test_malformed(self):
        with self.assertRaises(ValueError):
            mc.compare_entries(["# v entry 1: 00"], output("v", [entry()]))
        with self.assertRaises(ValueError):
            mc.compare_entries(["# v entry 0: 0000"], output("v", ["0000"]))


class Trials(unittest.TestCase):
    LINES = ["# single-field ID_PFR0_EL1: 96 trials, 0 mismatches",
             "# single-field ID_DFR0_EL1: 112 trials, 0 mismatches", "ok 1 x"]

    def test_same(self):
        c = mc.compare_trials(self.LINES, list(self.LINES))
        self.assertTrue(c.same)
        self.assertEqual(c.entries, 2)

    def test_different_or_missing(self):
        other = [self.LINES[0], "# single-field ID_DFR0_EL1: 111 trials, 0 mismatches"]
        self.assertFalse(mc.compare_trials(self.LINES, other).same)
        self.assertFalse(mc.compare_trials(self.LINES, []).same)


if __name__ == "__main__":
    unittest.main()
