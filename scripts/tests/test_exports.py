# SPDX-License-Identifier: GPL-2.0
"""scripts/check-exports, on the library as built and on small libraries
made here with one thing wrong each: a global without the ksr_ prefix, an
export outside the version script's nodes, a declared call hidden or
missing, an export the header does not declare. Also: the shared library's
file name carries the header's KSR_VERSION_MAJOR.KSR_VERSION_MINOR.
"""
import glob
import os
import re
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(TOP, "scripts", "check-exports")
HEADER = os.path.join(TOP, "userspace", "include", "kvm-safe-rules.h")
MAP = os.path.join(TOP, "userspace", "lib", "libkvm-safe-rules.map")
LIB = os.path.join(TOP, "build", "host", "lib")

SMALL_HEADER = """#define KSR_API __attribute__((visibility("default")))
KSR_API int ksr_one(void);
KSR_API int ksr_two(int x);
"""
SMALL_MAP = "KSR_9.9 {\n\tglobal:\n\t\tksr_one;\n\t\tksr_two;\n\tlocal:\n\t\t*;\n};\n"
SMALL_SRC = """#define KSR_API __attribute__((visibility("default")))
int ksr_helper(void) { return 1; }
KSR_API int ksr_one(void) { return ksr_helper(); }
KSR_API int ksr_two(int x) { return x; }
"""


def check(*args):
    r = subprocess.run([CHECK, *args], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


class Small(unittest.TestCase):
    """A library of two calls, built with -fvisibility=hidden as the real one."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def path(self, name, text=None):
        p = os.path.join(self.tmp.name, name)
        if text is not None:
            with open(p, "w") as f:
                f.write(text)
        return p

    def build(self, src=SMALL_SRC, map_text=SMALL_MAP):
        obj, so = self.path("a.o"), self.path("liba.so")
        subprocess.run(["gcc", "-fPIC", "-fvisibility=hidden", "-c", "-o", obj,
                        self.path("a.c", src)], check=True)
        link = ["gcc", "-shared", "-o", so, obj]
        if map_text is not None:
            link.insert(2, "-Wl,--version-script=" + self.path("a.map", map_text))
        subprocess.run(link, check=True)
        return so, obj

    def test_clean(self):
        so, obj = self.build()
        status, out = check(so, self.path("a.h", SMALL_HEADER), "--map", self.path("a.map"), obj)
        self.assertEqual((status, out), (0, "check-exports: 2 functions, as declared\n"))

    def test_unprefixed_global(self):
        so, obj = self.build(SMALL_SRC + "int table_of_things[4];\nint helper(void) { return 2; }\n")
        status, out = check(so, self.path("a.h", SMALL_HEADER), "--map", self.path("a.map"), obj)
        self.assertEqual(status, 1)
        self.assertIn(f"{obj}: helper", out)
        self.assertIn(f"{obj}: table_of_things", out)
        self.assertNotIn("ksr_helper", out)

    def test_unprefixed_global_in_an_archive(self):
        so, obj = self.build(SMALL_SRC + "int helper(void) { return 2; }\n")
        ar = self.path("liba.a")
        subprocess.run(["ar", "rcs", ar, obj], check=True)
        status, out = check(so, self.path("a.h", SMALL_HEADER), ar)
        self.assertEqual(status, 1)
        self.assertIn(f"{ar}:a.o: helper", out)

    def test_unversioned(self):
        so, _ = self.build(map_text=None)
        status, out = check(so, self.path("a.h", SMALL_HEADER), "--map", self.path("a.map", SMALL_MAP))
        self.assertEqual(status, 1)
        self.assertIn("outside the nodes", out)
        self.assertRegex(out, r"ksr_one: version (none|Base)")

    def test_other_node(self):
        so, _ = self.build(map_text="OTHER_1 {\n\tglobal:\n\t\tksr_two;\n};\n" + SMALL_MAP.replace("\t\tksr_two;\n", ""))
        status, out = check(so, self.path("a.h", SMALL_HEADER), "--map", self.path("b.map", SMALL_MAP))
        self.assertEqual(status, 1)
        self.assertIn("ksr_two: version OTHER_1", out)
        self.assertNotIn("ksr_one", out)

    def test_hidden_by_the_map(self):
        so, _ = self.build(map_text=SMALL_MAP.replace("\t\tksr_two;\n", ""))
        status, out = check(so, self.path("a.h", SMALL_HEADER), "--map", self.path("a.map"))
        self.assertEqual(status, 1)
        self.assertIn("declared, not exported: ksr_two", out)

    def test_declared_missing_and_undeclared_export(self):
        so, _ = self.build()
        header = SMALL_HEADER.replace("ksr_two", "ksr_three")
        status, out = check(so, self.path("a.h", header))
        self.assertEqual(status, 1)
        self.assertIn("declared, not exported: ksr_three", out)
        self.assertIn("exported, not declared: ksr_two", out)


class Built(unittest.TestCase):
    """The library make host built (build/host/lib)."""

    def setUp(self):
        self.so = os.path.join(LIB, "libkvm-safe-rules.so")
        if not os.path.exists(self.so):
            raise AssertionError(f"{self.so} is missing: run 'make host' first")

    def test_the_library_passes(self):
        status, out = check(self.so, HEADER, "--map", MAP, os.path.join(LIB, "libkvm-safe-rules.a"))
        self.assertEqual(status, 0, out)
        dynsym = subprocess.run(["objdump", "-T", self.so], capture_output=True, text=True,
                                check=True).stdout
        self.assertIn("KSR_0.1", dynsym)

    def test_file_name_is_the_headers_version(self):
        with open(HEADER) as f:
            text = f.read()
        major = re.search(r"^#define KSR_VERSION_MAJOR (\d+)$", text, re.M).group(1)
        minor = re.search(r"^#define KSR_VERSION_MINOR (\d+)$", text, re.M).group(1)
        real = os.path.basename(os.path.realpath(self.so))
        self.assertRegex(real, rf"^libkvm-safe-rules\.so\.{major}\.{minor}\.\d+$")
        self.assertEqual(os.path.basename(os.readlink(self.so)), f"libkvm-safe-rules.so.{major}")


if __name__ == "__main__":
    unittest.main()
