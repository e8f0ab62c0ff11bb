# SPDX-License-Identifier: GPL-2.0
"""What make prints while it builds: one short line per file it makes, as
kbuild prints them ("  CC      build/host/obj/model.o"); with V=1 the
commands in full instead; with -s neither.

The host library and CLI are built into scratch build directories (B=DIR)
and the files each build made are the expectation: every one has its line
and no line is anything else, but what scripts/check-exports says. The
guest's and the fuzzers' rules need a kernel tree or clang: the Makefile
itself is read for them, every recipe line that runs a compiler, ar, ln or
a generator going through the one helper, $(call cmd,NAME).
"""
import os
import re
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAKEFILE = os.path.join(TOP, "Makefile")
# "  TAG     PATH": the tag padded to 7 columns, as kbuild's
SHORT = re.compile(r"^  ([A-Z]{2,7}) {1,6}(\S+)$")
CHECK_EXPORTS = re.compile(r"^check-exports: \d+ functions, as declared$")
# The .pc file is written by sed when its text changes, no compile: no line.
SILENT = ("kvm-safe-rules.pc",)


def build(*args):
    """make host into a new scratch build directory: (stdout lines, the
    files it made, absolute)."""
    tmp = tempfile.TemporaryDirectory()
    r = subprocess.run(["make", "--no-print-directory", "-C", TOP, "-j2", f"B={tmp.name}",
                        "KSR_DEPS_DONE=1", "host", *args], capture_output=True, text=True)
    if r.returncode:
        raise AssertionError(f"make host {' '.join(args)}: status {r.returncode}\n{r.stderr}")
    made = set()
    for d, _, files in os.walk(tmp.name):
        made.update(os.path.join(d, f) for f in files if f not in SILENT)
    return tmp, r.stdout.splitlines(), made


def logical_lines(path):
    """The Makefile's lines with backslash continuations joined."""
    out, cur = [], ""
    with open(path) as f:
        for line in f.read().splitlines():
            if line.endswith("\\"):
                cur += line[:-1] + " "
                continue
            out.append(cur + line)
            cur = ""
    return out


class BuildLines(unittest.TestCase):
    def test_short_lines(self):
        tmp, lines, made = build()
        with tmp:
            shown = {}
            for line in lines:
                m = SHORT.match(line)
                if not m:
                    self.assertRegex(line, CHECK_EXPORTS)
                    continue
                self.assertEqual(line[2:10], f"{m.group(1):<8}", line)
                self.assertNotIn(m.group(2), shown, f"{m.group(2)} made twice")
                shown[m.group(2)] = m.group(1)
            self.assertEqual(set(shown), made)
            for path, tag in shown.items():
                want = {".o": "CC", ".a": "AR"}.get(os.path.splitext(path)[1])
                if os.path.islink(path):
                    want = "LN"
                self.assertEqual(tag, want or "LD", path)
            self.assertTrue(any(t == "CC" for t in shown.values()))
            self.assertLessEqual(max(len(line) for line in lines), 100)

    def test_verbose_prints_the_commands(self):
        tmp, lines, made = build("V=1")
        with tmp:
            self.assertFalse([line for line in lines if SHORT.match(line)])
            for path in made:
                if path.endswith(".o"):
                    cmd = [line for line in lines if f" -c -o {path} " in line]
                    self.assertEqual(len(cmd), 1, path)
                    self.assertIn("-Werror", cmd[0].split())
                    self.assertEqual(cmd[0].split()[0], "gcc")
                elif path.endswith(".a"):
                    self.assertIn(f"rm -f {path} && ar rcs {path} ", "\n".join(lines) + " ")
                elif not os.path.islink(path):
                    self.assertTrue([line for line in lines if f" -o {path} " in line
                                     or f" -o {path}.tmp " in line], path)

    def test_silent(self):
        tmp, lines, made = build("-s")
        with tmp:
            self.assertTrue(made)
            for line in lines:
                self.assertRegex(line, CHECK_EXPORTS)

    def test_every_recipe_goes_through_the_helper(self):
        """Every recipe line that compiles, links, archives, links files or
        generates sources is $(call cmd,NAME) with a cmd_NAME and tag_NAME."""
        lines = logical_lines(MAKEFILE)
        defined = {m.group(1) for line in lines
                   for m in [re.match(r"^((?:cmd|tag)_\w+) *:?=", line)] if m}
        tools = re.compile(r"\$\((?:GUEST_CC|HOST_CC|FUZZ_CC)\)|\bar rcs\b|\bln -sf \$\(<F\)|"
                           r"gen-sysreg-names \$|make-initramfs \$@|make-seeds ")
        in_rule, calls = False, 0
        for line in lines:
            if line.startswith("\t") and in_rule:
                self.assertIsNone(tools.search(line), f"a command outside $(call cmd,...): {line}")
                for name in re.findall(r"\$\(call cmd,(\w+)\)", line):
                    self.assertIn(f"cmd_{name}", defined)
                    self.assertIn(f"tag_{name}", defined)
                    calls += 1
                continue
            in_rule = bool(re.match(r"^[^\s#=][^=]*:(?!=)", line)) and "=" not in line.split(":")[0]
        self.assertGreater(calls, 20)


if __name__ == "__main__":
    unittest.main()
