# SPDX-License-Identifier: GPL-2.0
"""Documentation/vmm-integration.rst shows what the current code prints.

scripts/gen-vmm-integration --check runs every console example of the page
(host commands with the host CLI, guest$ commands in a guest on -cpu max)
and exits 1 with a diff when an output shown is not what the command prints
now. The generator itself is checked on a small page of its own: outputs
replaced in place, continuation lines, echo $?, blocks without a prompt and
the text around them kept, and --check's verdicts before and after.
"""
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(TOP, "scripts", "gen-vmm-integration")
CLI = os.path.join(TOP, "build", "host", "bin", "kvm-safe-rules")
FIXTURES = os.path.join(TOP, "userspace", "tests", "fixtures")

PAGE = """Title
=====

Code, not a session::

\tstruct ksr_rules *rules;
\tprintf("$ not a prompt: no line starts with one\\n");

A session::

\t$ kvm-safe-rules values --profile max.json \\
\t\tID_AA64ISAR0_EL1.AES
\tan old output line
\tanother
\t$ kvm-safe-rules values --profile max.json NO_SUCH_EL1
\t$ echo $?
\t7

The end.
"""


def gen(*args):
    return subprocess.run([GEN] + list(args), capture_output=True, text=True, timeout=900)


class Generator(unittest.TestCase):
    def test_outputs_replaced_in_place(self):
        with tempfile.TemporaryDirectory() as d:
            page = os.path.join(d, "page.rst")
            with open(page, "w") as f:
                f.write(PAGE)
            r = gen("--check", page)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("-\tan old output line", r.stdout)
            with open(page) as f:
                self.assertEqual(f.read(), PAGE, "--check wrote the file")
            r = gen(page)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(page) as f:
                text = f.read()
            values = subprocess.run([CLI, "values", "--profile", os.path.join(FIXTURES, "max.json"),
                                     "ID_AA64ISAR0_EL1.AES"], capture_output=True, text=True)
            bad = subprocess.run([CLI, "values", "--profile", os.path.join(FIXTURES, "max.json"),
                                  "NO_SUCH_EL1"], capture_output=True, text=True)
            self.assertNotEqual(bad.returncode, 0)
            expected = PAGE.replace("\tan old output line\n\tanother\n",
                                    "".join(f"\t{line}\n" for line in values.stdout.splitlines()))
            expected = expected.replace("NO_SUCH_EL1\n",
                                        "NO_SUCH_EL1\n" + "".join(f"\t{line}\n" for line in
                                                                  (bad.stderr + bad.stdout).splitlines()))
            expected = expected.replace("\t7\n", f"\t{bad.returncode}\n")
            self.assertEqual(text, expected)
            r = gen("--check", page)
            self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)


class Page(unittest.TestCase):
    def test_vmm_integration_rst_is_what_the_code_prints(self):
        r = gen("--check")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
