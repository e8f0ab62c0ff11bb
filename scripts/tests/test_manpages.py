# SPDX-License-Identifier: GPL-2.0
"""The man pages: every library call has one, and groff finds nothing wrong.

The calls are read from the public header (the KSR_API declarations), the
CLI's commands from `kvm-safe-rules help`, so a call or command added
without documentation fails here.
"""
import glob
import os
import re
import subprocess
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEADER = os.path.join(TOP, "userspace", "include", "kvm-safe-rules.h")
MAN = os.path.join(TOP, "Documentation", "man")
CLI = os.path.join(TOP, "build", "host", "bin", "kvm-safe-rules")


def page_names(path):
    """The page's own name and the names of its ALIASES line."""
    names = [os.path.basename(path).rsplit(".", 1)[0]]
    with open(path) as f:
        for line in f:
            if line.startswith('.\\" ALIASES:'):
                names += line.split(":", 1)[1].split()
    return names


class ManPages(unittest.TestCase):
    def test_every_library_call_has_a_page(self):
        with open(HEADER) as f:
            calls = set(re.findall(r"^KSR_API .*?[ *](ksr_[a-z0-9_]+)\(", f.read(), re.M))
        self.assertGreater(len(calls), 40)
        documented = set()
        for page in glob.glob(os.path.join(MAN, "*.3")):
            documented.update(page_names(page))
        self.assertEqual(sorted(calls - documented), [])

    def test_every_command_is_in_the_cli_page(self):
        help_text = subprocess.run([CLI, "help"], capture_output=True, text=True, check=True).stdout
        commands = re.findall(r"^  ([a-z][a-z-]+)\b", help_text, re.M)
        self.assertIn("check", commands)
        with open(os.path.join(MAN, "kvm-safe-rules.1")) as f:
            page = f.read()
        missing = [c for c in commands if not re.search(r"^\.(?:SS|TP|B)\s.*\b" + re.escape(c) + r"\b",
                                                         page, re.M)]
        self.assertEqual(missing, [])

    def test_groff_finds_no_problem(self):
        for page in sorted(glob.glob(os.path.join(MAN, "*.[0-9]"))):
            with self.subTest(page=os.path.basename(page)):
                res = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page],
                                     capture_output=True, text=True)
                self.assertEqual((res.returncode, res.stderr), (0, ""))


if __name__ == "__main__":
    unittest.main()
