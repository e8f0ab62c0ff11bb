# SPDX-License-Identifier: GPL-2.0
# Host tests of the harness, run by scripts/run-tests --host-tests (make test).
