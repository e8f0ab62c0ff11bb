# SPDX-License-Identifier: GPL-2.0
"""The module's source tree (build/module/src, made by `make module`) builds
with Debian's dkms and module/dkms.conf, as README.md tells an operator to
install it: dkms build into a private dkms tree (--dkmstree, --sourcetree:
nothing is installed on this machine) against the headers of the Debian
arm64 kernel `make module` downloaded, cross-compiled as those headers say."""
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(TOP, "build", "module", "src")
INFO = os.path.join(TOP, "build", "debian", "arm64.json")


def dkms_conf(key):
    with open(os.path.join(TOP, "module", "dkms.conf")) as f:
        m = re.search(rf'^{key}="([^"]*)"', f.read(), re.MULTILINE)
    return m.group(1)


@unittest.skipUnless(shutil.which("dkms"), "dkms is not installed (scripts/deps installs it)")
@unittest.skipUnless(os.path.exists(INFO), "no module built (make module)")
class Dkms(unittest.TestCase):
    def test_dkms_builds_the_source_tree(self):
        with open(INFO) as f:
            info = json.load(f)
        release = f"{info['version']}-{info['flavour']}"
        root = os.path.dirname(os.path.dirname(info["image"]))   # .../root/boot/vmlinuz-*
        headers = os.path.join(root, "usr", "src", "linux-headers-" + release)
        name, version = dkms_conf("PACKAGE_NAME"), dkms_conf("PACKAGE_VERSION")
        with tempfile.TemporaryDirectory() as tmp:
            src, tree = os.path.join(tmp, "src"), os.path.join(tmp, "tree")
            os.makedirs(tree)
            shutil.copytree(SRC, os.path.join(src, f"{name}-{version}"))
            r = subprocess.run(["dkms", "build", f"{name}/{version}", "--sourcetree", src,
                                "--dkmstree", tree, "-k", f"{release}/aarch64",
                                "--kernelsourcedir", headers],
                               capture_output=True, text=True, cwd=tmp, timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            built = glob.glob(os.path.join(tree, name, version, release, "aarch64", "module",
                                           dkms_conf(r"BUILT_MODULE_NAME\[0\]") + ".ko*"))
            self.assertEqual(len(built), 1, r.stdout)
            elf = subprocess.run(["readelf", "-h", built[0]], capture_output=True, text=True)
            self.assertIn("AArch64", elf.stdout)


if __name__ == "__main__":
    unittest.main()
