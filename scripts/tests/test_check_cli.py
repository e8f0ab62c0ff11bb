# SPDX-License-Identifier: GPL-2.0
"""kvm-safe-rules check --batch in a real guest: answers, exit codes, errors.

The expected verdicts come from the exported rules (the cortex-a57 profile
that make fixtures captured with the same program), never from a table typed
here; that the predictor behind check agrees with KVM value by value is the
differential's job.
"""
import json
import os
import tempfile
import unittest

from guestrun import run_in_guest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROFILE = os.path.join(TOP, "userspace", "tests", "fixtures", "cortex-a57.json")
CPU = "cortex-a57"


def field_value(value, f):
    return (value >> f["shift"]) & ((1 << f["width"]) - 1)


def with_field(value, f, raw):
    mask = ((1 << f["width"]) - 1) << f["shift"]
    return (value & ~mask) | ((raw << f["shift"]) & mask)


def check(inputs):
    """Runs check --batch on the lines given; returns (status, output lines)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "in")
        with open(path, "w") as f:
            f.write("".join(line + "\n" for line in inputs))
        return run_in_guest(CPU, ["kvm-safe-rules", "check", "--batch", "--input", "/in"],
                            add=[f"{path}:/in"], timeout=120)


class CheckBatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(PROFILE) as f:
            # The ID registers (a firmware register has "kind" and no raz, writes_ignored).
            regs = [r for r in json.load(f)["registers"]
                    if r.get("kind") != "firmware" and not r["raz"] and not r["writes_ignored"]]
        # A writable unsigned LOWER_SAFE field below its maximum: one above the
        # default is refused for that field, the default itself is accepted.
        for r in regs:
            for f in r["fields"]:
                value = int(r["value"], 16)
                if (f["writable"] and f["name"] and f["rule"] == "LOWER_SAFE" and not f["signed"]
                        and "min" not in f and "alias" not in f
                        and field_value(value, f) < (1 << f["width"]) - 1):
                    cls.reg, cls.field, cls.default = r, f, value
                    return
        raise AssertionError(f"{PROFILE}: no writable unsigned LOWER_SAFE field to test with")

    def test_answers_and_exit_status(self):
        name, f, d = self.reg["name"], self.field, self.default
        above = with_field(d, f, field_value(d, f) + 1)
        enc = ",".join(str(x) for x in self.reg["encoding"])
        status, out = check(["# comment", "", f"{name} {d:#x}", f"{enc} {above:x}"])
        self.assertEqual(status, 1, out)
        self.assertEqual(out, [f"{name} 0x{d:016x} accept",
                               f"{enc} 0x{above:016x} reject {f['name']}:above-default"])

    def test_all_accepted_exits_zero(self):
        status, out = check([f"{self.reg['name']} {self.default:#x}"])
        self.assertEqual(status, 0, out)

    def test_bad_input_names_the_line_and_prints_no_answer(self):
        for line, message in (("NO_SUCH_REG_EL1 0x0", "unknown register 'NO_SUCH_REG_EL1'"),
                              (f"{self.reg['name']} 0xzz", "'0xzz' is not a 64-bit hex value"),
                              (f"{self.reg['name']}", "expected 'REG VALUE'")):
            status, out = check([f"{self.reg['name']} {self.default:#x}", line])
            self.assertEqual(status, 2, out)
            self.assertEqual(out, [f"kvm-safe-rules: check: /in:2: {message}"])


if __name__ == "__main__":
    unittest.main()
