# SPDX-License-Identifier: GPL-2.0
"""uapi/linux/kvm_reg_safe_rules.h is what the series gives
(scripts/gen-uapi-header), and compiles on its own over the host's stock
kernel headers with the definitions userspace needs."""
import os
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(TOP, "scripts", "gen-uapi-header")
HEADER = os.path.join(TOP, "uapi", "linux", "kvm_reg_safe_rules.h")

PROGRAM = r'''
#include <stddef.h>
#include "linux/kvm_reg_safe_rules.h"
#include "linux/kvm_safe_rules_dev.h"
_Static_assert(sizeof(struct kvm_arm_id_reg_rule) == KVM_ARM_ID_REG_RULE_SIZE_VER0, "VER0");
_Static_assert(sizeof(struct kvm_arm_reg_safe_rules) == 56, "args");
_Static_assert(offsetof(struct kvm_arm_id_reg_rule, mask) == 24, "mask");
int main(void) { return KVM_ARM_GET_REG_SAFE_RULES == KVM_SAFE_RULES_ATTACH_VM; }
'''


class Uapi(unittest.TestCase):
    def test_header_is_the_series(self):
        r = subprocess.run([GEN, "--check", HEADER], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_check_catches_an_edit(self):
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "h.h")
            shutil.copy(HEADER, copy)
            with open(copy, "a") as f:
                f.write("#define KVM_ARM_ID_RULE_EXTRA 1\n")
            r = subprocess.run([GEN, "--check", copy], capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("is not what kernel/patches gives", r.stderr)

    def test_compiles_over_stock_headers(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "t.c")
            with open(src, "w") as f:
                f.write(PROGRAM)
            r = subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I",
                                os.path.join(TOP, "uapi"), "-o", os.path.join(tmp, "t"), src],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
