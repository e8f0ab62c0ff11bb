# SPDX-License-Identifier: GPL-2.0
"""The project's reStructuredText renders: scripts/check-rst (Debian's
docutils) finds no message of level WARNING or worse in any file of
Documentation/, and every underlined heading is a section.

Also checks the checker: a heading with no blank line before it, which
docutils silently runs into the paragraph above (issue 9 found one in the
series' api.rst), and a table without its closing border are reported.
"""
import glob
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(TOP, "scripts", "check-rst")


def check(path):
    return subprocess.run([CHECK, path], capture_output=True, text=True)


class Docs(unittest.TestCase):
    def test_every_document_renders(self):
        paths = sorted(glob.glob(os.path.join(TOP, "Documentation", "*.rst")))
        self.assertTrue(paths)
        for path in paths:
            with self.subTest(doc=os.path.basename(path)):
                r = check(path)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def bad(self, text, expect):
        with tempfile.NamedTemporaryFile("w", suffix=".rst") as f:
            f.write(text)
            f.flush()
            r = check(f.name)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(expect, r.stdout)

    def test_a_heading_run_into_a_paragraph_is_reported(self):
        self.bad("Title\n=====\n\nA paragraph.\n8.42 A heading\n--------------\n\nText.\n",
                 "heading '8.42 A heading' is not a section title")

    def test_a_table_without_its_closing_border_is_reported(self):
        self.bad("Title\n=====\n\n===== =====\na     b\n===== =====\n1     2\n\nText.\n",
                 "Malformed table")

    def test_inline_literals_in_a_heading_are_fine(self):
        with tempfile.NamedTemporaryFile("w", suffix=".rst") as f:
            f.write("The ``x`` test\n==============\n\nText.\n")
            f.flush()
            self.assertEqual(check(f.name).returncode, 0)


if __name__ == "__main__":
    unittest.main()
