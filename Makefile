# SPDX-License-Identifier: GPL-2.0
#
# kvm-safe-rules: KVM_GET_REG_SAFE_RULES for KVM/arm64, and what a VMM needs
# around it. Everything is built under build/ (layout in README.md).
#
#   make run       build the patched host, boot it on -cpu max, show its rules
#   make test      build everything, run host tests and guest tests on 7 CPUs
#   make help      every target

SHELL := /bin/bash
.DELETE_ON_ERROR:
# Keep .config and the other files of pattern-rule chains.
.SECONDARY:

B := $(CURDIR)/build
NPROC := $(shell nproc)
CROSS_COMPILE ?= aarch64-linux-gnu-
MODELS ?= max cortex-a53 cortex-a57 cortex-a72 cortex-a76 neoverse-n1 a64fx
GUEST_TESTS ?= selftests/guest-tests
PHASE := scripts/phase

# Build lines as kbuild prints them: "  CC      build/host/obj/model.o", one
# per file made; V=1 prints each command in full instead. A rule runs its
# command NAME with $(call cmd,NAME): the variable cmd_NAME is the command,
# tag_NAME the short line's tag (CC, LD, AR, GEN, ...); make -s prints
# neither.
V ?= 0
escsq = $(subst ','\'',$(1))
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
cmd = @$(cmd_$(1))
else ifeq ($(V),1)
cmd = @printf '%s\n' '$(call escsq,$(cmd_$(1)))'; $(cmd_$(1))
else
cmd = @printf '  %-7s %s\n' '$(tag_$(1))' '$(patsubst $(CURDIR)/%,%,$@)'; $(cmd_$(1))
endif

# The library's version, written here only: the shared library's name, the
# .pc file and ksr_version() (-D); kvm-safe-rules.h's KSR_VERSION_MAJOR and
# _MINOR must be its first two numbers (userspace/lib/version.c checks).
LIB_VERSION := 0.1.0
LIB_VERSION_NRS := $(subst ., ,$(LIB_VERSION))
LIB_VERSION_CFLAGS := -DKSR_LIB_VERSION='"$(LIB_VERSION)"' \
	-DKSR_LIB_VERSION_MAJOR=$(word 1,$(LIB_VERSION_NRS)) -DKSR_LIB_VERSION_MINOR=$(word 2,$(LIB_VERSION_NRS))

# Userspace: C11, warnings are errors. Guest programs are static arm64.
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(LIB_VERSION_CFLAGS)
GUEST_CC := $(CROSS_COMPILE)gcc
# uapi/: the series' UAPI and the module's device, over any kernel's headers
UAPI_CFLAGS := -I$(CURDIR)/uapi
GUEST_CFLAGS := $(USER_CFLAGS) -isystem $(B)/kernel/patched/usr/include $(UAPI_CFLAGS) \
	-I$(CURDIR)/userspace/include -I$(CURDIR)/userspace/lib -DKSR_LIVE
GUEST_LDFLAGS := -static

KIMAGE = $(B)/kernel/$(1)/arch/arm64/boot/Image
SELFTESTS := get-reg-list aarch64/set_id_regs aarch64/reg_safe_rules
# The kernel's own tests whose results must be the same on stock and patched
STOCK_COMPARE := get-reg-list set_id_regs outcomes fw_outcomes reg_writeback probe_learned
SELFTEST_BINS := $(addprefix $(B)/selftests/,$(SELFTESTS))

.PHONY: all deps kernel kernel-stock kernel-debug kernel-reset series fixtures guest selftests test test-build quick run help clean distclean FORCE \
	module module-debug uapi \
	host install unit unit-build

all: kernel guest host

help:
	@echo "make run           boot the patched host on -cpu max and show its safe rules"
	@echo "make fixtures      capture dump --json of every model into userspace/tests/fixtures (and probe/)"
	@echo "make test          host tests + guest tests on: $(MODELS)"
	@echo "                   (MODELS='...' and GUEST_TESTS=FILE choose what runs)"
	@echo "make quick         after a userspace change: rebuild, unit tests and the guest tests"
	@echo "                   of one model (QUICK_MODEL=$(QUICK_MODEL)) on the patched kernel"
	@echo "make deps          install the Debian packages (apt; root)"
	@echo "make kernel        patched kernel: build/kernel/patched"
	@echo "make kernel-stock  the same source without the series: build/kernel/stock"
	@echo "make kernel-debug  the patched source with KASAN, UBSAN, lockdep, kmemleak: build/kernel/debug"
	@echo "make kernel-reset  drop local edits in build/src/patched, re-apply kernel/patches"
	@echo "make series        export build/src/patched's commits to kernel/patches (checked)"
	@echo "make guest         guest programs and build/guest/initramfs.cpio"
	@echo "make module        kvm_safe_rules.ko for Debian's arm64 and arm64-16k 6.12 kernels"
	@echo "                   (downloads them; build/module/src is the tree for dkms)"
	@echo "make module-debug  the module for the debug kernel (build/module/debug)"
	@echo "make uapi          regenerate uapi/linux/kvm_reg_safe_rules.h from kernel/patches"
	@echo "make host          x86_64 library (static, shared), kvm-safe-rules.pc and CLI in build/host"
	@echo "make install       header, libraries, .pc file and CLI (PREFIX=$(PREFIX), DESTDIR)"
	@echo "make unit          build and run the host unit tests, plain and with ASan+UBSan"
	@echo "make fuzz-build    libFuzzer harnesses (clang, ASan+UBSan) and seeds in build/fuzz"
	@echo "make fuzz-smoke    each harness FUZZ_RUNS=$(FUZZ_RUNS) executions, TAP (part of make test)"
	@echo "make fuzz          each harness FUZZ_TIME=$(FUZZ_TIME) seconds, corpus kept in build/fuzz/corpus"
	@echo "make bench         P1, P1b, P2 (patched vs stock), P3 (host) on: max cortex-a57 cortex-a76 a64fx"
	@echo "                   (MODELS='...'); raw results in build/bench, bench/report: Documentation/performance.rst"
	@echo "make clean         remove build outputs but keep the kernel sources and builds"
	@echo "make distclean     remove build/"
	@echo "V=1                with any target: every command in full instead of \"  CC      FILE\" lines"

# Recursive makes below pass KSR_DEPS_DONE=1: the packages were checked once.
deps:
	@[ -n "$(KSR_DEPS_DONE)" ] || $(PHASE) deps scripts/deps

# ---- kernel sources: stamps change only when the trees do -------------------
$(B)/stamps/src-stock: FORCE | deps
	@$(PHASE) extract scripts/kernel-prepare stock

$(B)/stamps/src-patched: $(B)/stamps/src-stock FORCE
	@$(PHASE) series scripts/kernel-prepare patched

# Export build/src/patched's commits to kernel/patches; checks git am + checkpatch.
series:
	scripts/kernel-series

uapi:
	scripts/gen-uapi-header uapi/linux/kvm_reg_safe_rules.h

kernel-reset:
	git -C $(B)/src/patched checkout -q -f --detach ksr-base
	rm -f $(B)/stamps/src-patched
	@$(MAKE) --no-print-directory $(B)/stamps/src-patched

# ---- kernels (out of tree, O=build/kernel/{patched,stock}) -----------------
$(B)/kernel/%/.config: kernel/config.fragment $(B)/stamps/src-%
	@$(PHASE) "kernel config ($*)" scripts/kernel-build config $*

$(B)/kernel/%/arch/arm64/boot/Image: $(B)/kernel/%/.config $(B)/stamps/src-%
	@$(PHASE) "kernel build ($*)" scripts/kernel-build image $*

# The debug kernel (robustness tests): the patched source, kernel/config.debug on top
$(B)/kernel/debug/.config: kernel/config.fragment kernel/config.debug $(B)/stamps/src-patched
	@$(PHASE) "kernel config (debug)" scripts/kernel-build config debug

$(B)/kernel/debug/arch/arm64/boot/Image: $(B)/kernel/debug/.config $(B)/stamps/src-patched
	@$(PHASE) "kernel build (debug)" scripts/kernel-build image debug

kernel: $(call KIMAGE,patched)
kernel-stock: $(call KIMAGE,stock)
kernel-debug: $(call KIMAGE,debug)

# ---- the kernel's own kvm selftests, built from the patched tree -----------
selftests: kernel
	@$(PHASE) "selftests build" $(MAKE) -s --no-print-directory \
		-C $(B)/src/patched/tools/testing/selftests/kvm \
		ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) LDFLAGS=-static -j$(NPROC) \
		OUTPUT=$(B)/selftests KHDR_INCLUDES="-isystem $(B)/kernel/patched/usr/include" \
		$(SELFTEST_BINS)

# ---- the module, for Debian's own arm64 6.12 kernels ----------------------
# Built from the series' tree (build/src/patched), against the headers of the
# newest Debian 6.12 kernel in the archive, downloaded with its image.
DEBIAN_FLAVOURS := arm64 arm64-16k
# The models make test boots the 16k kernel on (and the 4k one on all of MODELS):
# those whose ID_AA64MMFR0_EL1.TGran16 says they have 16K pages. QEMU's
# cortex-a53, cortex-a57, cortex-a72 and a64fx do not (TGran16 = 0): a 16k
# kernel stops there before its first console line.
DEBIAN_16K_MODELS := max cortex-a76 neoverse-n1
# The models make test boots the debug kernel on (selftests/robustness-tests)
DEBUG_MODELS := max
module: $(B)/stamps/src-patched
	@$(PHASE) "module build" scripts/module-build $(DEBIAN_FLAVOURS)
	@$(PHASE) "module build (previous Debian version)" scripts/module-build --previous $(DEBIAN_FLAVOURS)

# The module for the debug kernel, to run its robustness tests under KASAN and lockdep
module-debug: $(call KIMAGE,debug)
	@$(PHASE) "module build (debug kernel)" scripts/module-build --tree $(B)/kernel/debug

# ---- guest programs and the initramfs --------------------------------------
tag_sysreg_names := GEN
cmd_sysreg_names = awk -f scripts/gen-sysreg-names $(B)/src/patched/arch/arm64/tools/sysreg > $@.tmp && \
	mv $@.tmp $@
$(B)/gen/sysreg-names.c: scripts/gen-sysreg-names $(B)/stamps/src-patched
	@mkdir -p $(@D)
	$(call cmd,sysreg_names)

# The library: a core that needs no kernel headers (model, predictor,
# profiles, sources) and the live source (arm64: the UAPI and sysreg names).
LIB_CORE := userspace/lib/version.c userspace/lib/model.c userspace/lib/firmware.c userspace/lib/entries.c userspace/lib/predict.c userspace/lib/profile.c \
	userspace/lib/source.c userspace/lib/jsonio.c userspace/lib/config.c \
	userspace/lib/fmt-firecracker.c userspace/lib/fmt-qemu.c \
	userspace/lib/values.c userspace/lib/report.c userspace/lib/baseline.c userspace/lib/diff.c \
	userspace/lib/compare.c
LIB_LIVE := userspace/lib/live.c userspace/lib/probe.c userspace/lib/vm.c userspace/lib/sysreg.c $(B)/gen/sysreg-names.c
LIB_SRCS := $(LIB_CORE) $(LIB_LIVE)
LIB_HDRS := $(wildcard userspace/include/*.h userspace/lib/*.h)
CLI_MAIN := $(sort $(wildcard userspace/cli/*.c))
# The CLI sees the public header only: it is the library's worked example.
CLI_CFLAGS := $(USER_CFLAGS) -I$(CURDIR)/userspace/include -I$(CURDIR)/userspace/cli
CLI_SRCS := $(CLI_MAIN) $(LIB_SRCS)
CLI_HDRS := $(LIB_HDRS) $(wildcard userspace/cli/*.h)
# kselftest.h and kselftest_harness.h (TAP) from the kernel tree, for the project's guest
# tests; -isystem: their macros trip -Wclobbered, which is not ours to fix
KSELFTEST_INC := -isystem $(B)/src/patched/tools/testing/selftests
# json-c from Debian (multiarch libjson-c-dev:arm64), linked statically
GUEST_JSON := PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig pkg-config --static json-c

# The library's arm64 objects, compiled once for every guest program that
# links it (the flags each program's own compile had).
GUEST_OBJ = $(patsubst %.c,$(B)/guest/obj/%.o,$(notdir $(1)))
GUEST_LIB_OBJS := $(call GUEST_OBJ,$(LIB_SRCS))
OUTCOMES_OBJS = $(call GUEST_OBJ,$(OUTCOMES_LIB))

# The guest's commands: an object; a program of one source alone, with the
# library's objects (and json-c), or with those outcomes links; the CLI.
tag_guest_cc := CC
cmd_guest_cc = $(GUEST_CC) $(GUEST_CFLAGS) $(KSELFTEST_INC) $$($(GUEST_JSON) --cflags) -c -o $@ $<
tag_guest_ld := LD
cmd_guest_ld = $(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $<
tag_guest_ld_lib := LD
cmd_guest_ld_lib = $(GUEST_CC) $(GUEST_CFLAGS) $(KSELFTEST_INC) $$($(GUEST_JSON) --cflags) \
	$(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJS) $$($(GUEST_JSON) --libs)
tag_guest_ld_outcomes := LD
cmd_guest_ld_outcomes = $(GUEST_CC) $(GUEST_CFLAGS) $(KSELFTEST_INC) $(GUEST_LDFLAGS) -o $@ $< \
	$(OUTCOMES_OBJS)
tag_guest_cli := LD
cmd_guest_cli = $(GUEST_CC) $(CLI_CFLAGS) $$($(GUEST_JSON) --cflags) \
	$(GUEST_LDFLAGS) -o $@ $(CLI_MAIN) $(GUEST_LIB_OBJS) $$($(GUEST_JSON) --libs)

$(B)/guest/obj/%.o: userspace/lib/%.c $(LIB_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_cc)

$(B)/guest/obj/sysreg-names.o: $(B)/gen/sysreg-names.c $(LIB_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_cc)

$(B)/guest/bin/init: guest/init.c
	@mkdir -p $(@D)
	$(call cmd,guest_ld)

$(B)/guest/bin/harness-probe: guest/harness-probe.c
	@mkdir -p $(@D)
	$(call cmd,guest_ld)

$(B)/guest/bin/kvm-safe-rules: $(CLI_MAIN) $(GUEST_LIB_OBJS) $(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_cli)

$(B)/guest/bin/differential: userspace/tests/differential.c userspace/tests/rng.h userspace/tests/seed.h $(GUEST_LIB_OBJS) $(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_lib)

# The firmware pseudo-registers' exported rules against KVM, value by value
$(B)/guest/bin/fw_differential: userspace/tests/fw_differential.c userspace/tests/fw_trials.h \
		userspace/tests/kvmraw.h userspace/tests/rng.h userspace/tests/seed.h $(GUEST_LIB_OBJS) \
		$(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_lib)

# Needs no KVM_GET_REG_SAFE_RULES: the same binary runs on stock and patched.
OUTCOMES_LIB := userspace/lib/model.c userspace/lib/vm.c userspace/lib/sysreg.c $(B)/gen/sysreg-names.c
$(B)/guest/bin/outcomes: userspace/tests/outcomes.c userspace/tests/rng.h userspace/tests/hash.h $(OUTCOMES_OBJS) \
		$(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_outcomes)

# The firmware pseudo-registers' raw outcomes; no new UAPI either.
$(B)/guest/bin/fw_outcomes: userspace/tests/fw_outcomes.c userspace/tests/fw_trials.h userspace/tests/kvmraw.h \
		userspace/tests/rng.h userspace/tests/hash.h $(OUTCOMES_OBJS) $(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_outcomes)

# Every register of KVM_GET_REG_LIST written back as read; no new UAPI either.
$(B)/guest/bin/reg_writeback: userspace/tests/reg_writeback.c $(OUTCOMES_OBJS) $(CLI_HDRS) \
		$(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_outcomes)

# The raw entries, for the byte-for-byte comparison of the module with the series
$(B)/guest/bin/rules_raw: userspace/tests/rules_raw.c $(GUEST_LIB_OBJS) $(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_lib)

# Probing against the exported rules, field by field (Documentation/probing.rst)
$(B)/guest/bin/probe_compare: userspace/tests/probe_compare.c userspace/tests/hash.h $(GUEST_LIB_OBJS) $(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_lib)

# The module's device, lifetime and refusal of other kernels (Debian kernels only)
$(B)/guest/bin/module_cycle: userspace/tests/module_cycle.c userspace/tests/kvmraw.h $(GUEST_LIB_OBJS) $(CLI_HDRS) \
		$(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_lib)

# The series' own selftest, its objects as the kernel's selftest build made
# them, relinked with a shim that sends its two new requests to the module's
# device on a kernel without the series (userspace/tests/module_shim.c).
tag_guest_shim := LD
cmd_guest_shim = $(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -Wl,--wrap=ioctl -o $@ $< \
	$(B)/selftests/aarch64/reg_safe_rules.o $$(find $(B)/selftests/lib -name '*.o' | sort) -lpthread
$(B)/guest/bin/reg_safe_rules-module: userspace/tests/module_shim.c $(B)/selftests/aarch64/reg_safe_rules
	@mkdir -p $(@D)
	$(call cmd,guest_shim)

# The robustness tests (debug kernel): raw KVM, no library
tag_guest_ld_raw := LD
cmd_guest_ld_raw = $(GUEST_CC) $(GUEST_CFLAGS) $(KSELFTEST_INC) $(GUEST_LDFLAGS) -o $@ $< -lpthread
ROBUST_HDRS := userspace/tests/kvmraw.h userspace/tests/rng.h uapi/linux/kvm_reg_safe_rules.h \
	uapi/linux/kvm_safe_rules_dev.h
$(B)/guest/bin/ioctl_fuzz $(B)/guest/bin/ioctl_race $(B)/guest/bin/module_abuse \
$(B)/guest/bin/kmemleak_scan: $(B)/guest/bin/%: userspace/tests/%.c $(ROBUST_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_raw)

# The Firecracker templates of the VMM test data, checked, clamped and tried
# by the CLI in the guest: embedded in the program (scripts/gen-embedded-files),
# rewritten only when the list or a template changes.
VMM_TEMPLATES = $(sort $(wildcard userspace/tests/data/vmm/firecracker/*.json))
$(B)/gen/vmm-templates.h: scripts/gen-embedded-files FORCE
	@mkdir -p $(@D)
	@scripts/gen-embedded-files vmm_templates $(VMM_TEMPLATES) > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(B)/guest/bin/vmm_templates: GUEST_CFLAGS += -iquote $(B)/gen
$(B)/guest/bin/vmm_templates: userspace/tests/vmm_templates.c $(B)/gen/vmm-templates.h $(GUEST_LIB_OBJS) \
		$(CLI_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,guest_ld_lib)

GUEST_PROGS := $(B)/guest/bin/kvm-safe-rules $(B)/guest/bin/harness-probe $(B)/guest/bin/differential \
	$(B)/guest/bin/outcomes $(B)/guest/bin/reg_writeback $(B)/guest/bin/rules_raw \
	$(B)/guest/bin/module_cycle $(B)/guest/bin/reg_safe_rules-module \
	$(B)/guest/bin/ioctl_fuzz $(B)/guest/bin/ioctl_race $(B)/guest/bin/module_abuse \
	$(B)/guest/bin/kmemleak_scan $(B)/guest/bin/probe_compare $(B)/guest/bin/fw_outcomes \
	$(B)/guest/bin/fw_differential $(B)/guest/bin/vmm_templates

tag_initramfs := GEN
cmd_initramfs = scripts/make-initramfs $@ $(B)/guest/bin/init $(GUEST_PROGS) -- $(SELFTEST_BINS)
$(B)/guest/initramfs.cpio: $(B)/guest/bin/init $(GUEST_PROGS) $(SELFTEST_BINS) scripts/make-initramfs
	$(call cmd,initramfs)

guest: selftests
	@$(PHASE) "userspace build" $(MAKE) --no-print-directory -j$(NPROC) KSR_DEPS_DONE=1 $(B)/guest/initramfs.cpio

# ---- the host (x86_64) library, CLI and unit tests: no kernel tree --------
# Built from the core (no kernel headers) and live-none.c; the CLI reads
# profiles only. Installed by make install (PREFIX, DESTDIR).
HOST_CC ?= gcc
HB := $(B)/host
LIB_SONAME := libkvm-safe-rules.so.$(word 1,$(LIB_VERSION_NRS))
LIB_MAP := userspace/lib/libkvm-safe-rules.map
HOST_LIB_SRCS := $(LIB_CORE) userspace/lib/live-none.c
HOST_JSON_CFLAGS = $(shell pkg-config --cflags json-c)
HOST_JSON_LIBS = $(shell pkg-config --libs json-c)
HOST_CFLAGS := $(USER_CFLAGS) $(UAPI_CFLAGS) -I$(CURDIR)/userspace/include -I$(CURDIR)/userspace/lib
SAN_CFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_LIB := $(HB)/lib/libkvm-safe-rules.a $(HB)/lib/libkvm-safe-rules.so \
	$(HB)/lib/$(LIB_SONAME) $(HB)/lib/libkvm-safe-rules.so.$(LIB_VERSION)
HOST_OUTPUTS := $(HOST_LIB) $(HB)/kvm-safe-rules.pc $(HB)/bin/kvm-safe-rules

host: $(HOST_OUTPUTS)

# The host's commands: objects, archives (also the fuzzing library's), the
# shared library checked for its exports, its links, the CLI, unit tests.
tag_host_cc := CC
cmd_host_cc = $(HOST_CC) $(HOST_CFLAGS) $(HOST_JSON_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
tag_san_cc := CC
cmd_san_cc = $(HOST_CC) $(HOST_CFLAGS) $(SAN_CFLAGS) $(HOST_JSON_CFLAGS) -fvisibility=hidden -c -o $@ $<
tag_ar := AR
cmd_ar = rm -f $@ && ar rcs $@ $^
tag_so := LD
cmd_so = $(HOST_CC) -shared -Wl,-soname,$(LIB_SONAME) -Wl,--version-script=$(LIB_MAP) -Wl,--no-undefined \
	-o $@.tmp $(HOST_OBJS) $(HOST_JSON_LIBS) && \
	scripts/check-exports $@.tmp userspace/include/kvm-safe-rules.h --map $(LIB_MAP) $(HOST_OBJS) && \
	mv $@.tmp $@
tag_ln := LN
cmd_ln = ln -sf $(<F) $@
tag_host_cli := LD
cmd_host_cli = $(HOST_CC) $(CLI_CFLAGS) $(HOST_JSON_CFLAGS) -o $@ $(CLI_MAIN) \
	$(HB)/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS)
tag_san_cli := LD
cmd_san_cli = $(HOST_CC) $(CLI_CFLAGS) $(SAN_CFLAGS) $(HOST_JSON_CFLAGS) -o $@ \
	$(CLI_MAIN) $(HB)/san/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS)

# Position-independent objects for both libraries; plain and sanitized.
$(HB)/obj/%.o: userspace/lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(call cmd,host_cc)

$(HB)/san/obj/%.o: userspace/lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(call cmd,san_cc)

HOST_OBJS := $(patsubst userspace/lib/%.c,$(HB)/obj/%.o,$(HOST_LIB_SRCS))
SAN_OBJS := $(patsubst userspace/lib/%.c,$(HB)/san/obj/%.o,$(HOST_LIB_SRCS))

$(HB)/lib/libkvm-safe-rules.a: $(HOST_OBJS)
	@mkdir -p $(@D)
	$(call cmd,ar)

$(HB)/san/lib/libkvm-safe-rules.a: $(SAN_OBJS)
	@mkdir -p $(@D)
	$(call cmd,ar)

# Only what kvm-safe-rules.h marks KSR_API is exported, each in a version
# node of $(LIB_MAP), and every global symbol of the objects (the static
# library's too) is ksr_ (scripts/check-exports).
$(HB)/lib/libkvm-safe-rules.so.$(LIB_VERSION): $(HOST_OBJS) scripts/check-exports userspace/include/kvm-safe-rules.h \
		$(LIB_MAP)
	@mkdir -p $(@D)
	$(call cmd,so)

$(HB)/lib/$(LIB_SONAME): $(HB)/lib/libkvm-safe-rules.so.$(LIB_VERSION)
	$(call cmd,ln)

$(HB)/lib/libkvm-safe-rules.so: $(HB)/lib/$(LIB_SONAME)
	$(call cmd,ln)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
MANPAGES := $(wildcard Documentation/man/*.[0-9])

# Rewritten only when its text changes (e.g. another PREFIX).
$(HB)/kvm-safe-rules.pc: userspace/kvm-safe-rules.pc.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(LIB_VERSION)|' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# The CLI links the static library: it uses the in-tree struct layouts.
$(HB)/bin/kvm-safe-rules: $(CLI_MAIN) $(CLI_HDRS) $(HB)/lib/libkvm-safe-rules.a
	@mkdir -p $(@D)
	$(call cmd,host_cli)

$(HB)/san/bin/kvm-safe-rules: $(CLI_MAIN) $(CLI_HDRS) $(HB)/san/lib/libkvm-safe-rules.a
	@mkdir -p $(@D)
	$(call cmd,san_cli)

install: host
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -m 644 userspace/include/kvm-safe-rules.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(HB)/lib/libkvm-safe-rules.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(HB)/lib/libkvm-safe-rules.so.$(LIB_VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libkvm-safe-rules.so.$(LIB_VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libkvm-safe-rules.so
	install -m 644 $(HB)/kvm-safe-rules.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 755 $(HB)/bin/kvm-safe-rules $(DESTDIR)$(BINDIR)/
	@# each page, and a ".so" page for every name of its ALIASES comment line
	@for m in $(MANPAGES); do \
		s=$${m##*.}; p=$$(basename $$m); install -d $(DESTDIR)$(MANDIR)/man$$s && \
		echo install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/ && \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
		for a in $$(sed -n 's/^\.\\" ALIASES: //p' $$m); do \
			echo ".so man$$s/$$p" > $(DESTDIR)$(MANDIR)/man$$s/$$a.$$s || exit 1; \
		done; \
	done

# Unit tests (cmocka, TAP): one program per concept, built plain and with
# ASan+UBSan; the CLI test runs the host CLI of the same build.
UNIT_TESTS := $(patsubst userspace/tests/unit/%.c,%,$(wildcard userspace/tests/unit/test-*.c))
UNIT_HDRS := $(wildcard userspace/tests/unit/*.h)
UNIT_BINS := $(addprefix $(HB)/unit/,$(UNIT_TESTS)) $(addprefix $(HB)/san/unit/,$(UNIT_TESTS))
UNIT_DEFS = -DKSR_FIXTURES='"$(CURDIR)/userspace/tests/fixtures"' -DKSR_CLI='"$(1)/bin/kvm-safe-rules"' \
	-DKSR_VMM_DATA='"$(CURDIR)/userspace/tests/data/vmm"'
tag_unit := LD
cmd_unit = $(HOST_CC) $(HOST_CFLAGS) $(HOST_JSON_CFLAGS) $(call UNIT_DEFS,$(HB)) -o $@ $< \
	$(HB)/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS) -lcmocka -lpthread
tag_san_unit := LD
cmd_san_unit = $(HOST_CC) $(HOST_CFLAGS) $(SAN_CFLAGS) $(HOST_JSON_CFLAGS) $(call UNIT_DEFS,$(HB)/san) -o $@ $< \
	$(HB)/san/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS) -lcmocka -lpthread

$(HB)/unit/test-%: userspace/tests/unit/test-%.c $(UNIT_HDRS) $(HB)/lib/libkvm-safe-rules.a \
		$(HB)/bin/kvm-safe-rules
	@mkdir -p $(@D)
	$(call cmd,unit)

$(HB)/san/unit/test-%: userspace/tests/unit/test-%.c $(UNIT_HDRS) \
		$(HB)/san/lib/libkvm-safe-rules.a $(HB)/san/bin/kvm-safe-rules
	@mkdir -p $(@D)
	$(call cmd,san_unit)

unit-build: $(UNIT_BINS)

# Relative names work too: make build/host/bin/kvm-safe-rules
build/%: $(B)/% ;

unit: deps
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 unit-build
	@scripts/run-tests --models '' --unit $(UNIT_BINS)

# ---- libFuzzer harnesses ---------------------------------------------------
# userspace/tests/fuzz (Documentation/robustness.rst, "Fuzzing"): clang's
# libFuzzer with ASan+UBSan over the library's core, one harness per input
# format: profile (ksr_profile_parse), config (ksr_config_parse: lines and
# JSON) and batch (the parser of check --batch, cli/batch.c compiled in). Each
# also checks the round trip load -> write -> load.
#   make fuzz-build   build/fuzz/fuzz-HARNESS, the seeds (build/fuzz/seeds)
#   make fuzz-smoke   each harness FUZZ_RUNS executions from the seeds, -seed=1,
#                     FUZZ_GUARD seconds at most: TAP (part of make test)
#   make fuzz         each harness FUZZ_TIME seconds, its corpus kept in
#                     build/fuzz/corpus/HARNESS from run to run
# Crashes go to build/fuzz/artifacts/HARNESS/; the regression corpus
# userspace/tests/fuzz/regressions/HARNESS/ is replayed by the unit test
# test-fuzz-corpus (gcc, plain and sanitized, no libFuzzer).
FUZZ_CC ?= clang-14
# FUZZ_PENDING=1: the checks of bugs still open too (userspace/tests/fuzz/pending)
FB := $(B)/fuzz$(if $(FUZZ_PENDING),-pending)
FUZZ_DIR := userspace/tests/fuzz
FUZZ_HARNESSES := profile config batch
FUZZ_RUNS ?= 200000
FUZZ_GUARD ?= 280
# The smoke runs mutate inputs of at most 8 KiB (libFuzzer -max_len): five
# times the executions per second on profiles, the same coverage; the seeds
# larger than that are read truncated. make fuzz has no such limit.
FUZZ_MAXLEN ?= 8192
FUZZ_TIME ?= 600
FUZZ_CFLAGS := $(filter-out -O2,$(USER_CFLAGS)) -O1 $(UAPI_CFLAGS) -I$(CURDIR)/userspace/include \
	-I$(CURDIR)/userspace/lib -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_DEFS := -DKSR_FIXTURES='"$(CURDIR)/userspace/tests/fixtures"' -I$(CURDIR)/userspace/cli
FUZZ_BINS := $(addprefix $(FB)/fuzz-,$(FUZZ_HARNESSES))
# One TAP program per harness for scripts/run-tests (its 300 s per program)
FUZZ_SMOKE := $(addprefix $(FB)/smoke-,$(FUZZ_HARNESSES))
FUZZ_OBJS := $(patsubst userspace/lib/%.c,$(FB)/obj/%.o,$(HOST_LIB_SRCS))
FUZZ_SRC_DEPS := $(FUZZ_DIR)/fuzz.h $(CLI_HDRS) userspace/cli/batch.c

.PHONY: fuzz-build fuzz-smoke fuzz

tag_fuzz_cc := CC
cmd_fuzz_cc = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(HOST_JSON_CFLAGS) -c -o $@ $<
tag_fuzz_ld := LD
cmd_fuzz_ld = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_DEFS) $(if $(FUZZ_PENDING),-DKSR_FUZZ_PENDING) \
	$(HOST_JSON_CFLAGS) -o $@ $< $(FB)/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS)
tag_seeds := GEN
cmd_seeds = $(FUZZ_DIR)/make-seeds $(FB)/seeds $(CURDIR) && touch $@

# The library with coverage instrumentation, without libFuzzer's main
$(FB)/obj/%.o: userspace/lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(call cmd,fuzz_cc)

$(FB)/lib/libkvm-safe-rules.a: $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(call cmd,ar)

$(FB)/fuzz-%: $(FUZZ_DIR)/fuzz-%.c $(FUZZ_SRC_DEPS) $(FB)/lib/libkvm-safe-rules.a
	$(call cmd,fuzz_ld)

# The seed corpora: fixtures and the examples of Documentation/, made anew
$(FB)/seeds/.stamp: $(FUZZ_DIR)/make-seeds $(wildcard userspace/tests/fixtures/*.json \
		userspace/tests/compat/*.json Documentation/*.rst Documentation/man/*.[0-9])
	$(call cmd,seeds)

# Rewritten only when its text changes (e.g. make test FUZZ_RUNS=N).
$(FB)/smoke-%: FORCE
	@mkdir -p $(@D)
	@printf '#!/bin/sh\n# make fuzz-smoke for one harness, as TAP\nKSR_FUZZ_BUILD=%s exec %s --fresh --runs %s --time %s --max-len %s %s\n' \
		$(FB) $(CURDIR)/$(FUZZ_DIR)/run-fuzz $(FUZZ_RUNS) $(FUZZ_GUARD) $(FUZZ_MAXLEN) $* > $@.tmp
	@chmod +x $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

fuzz-build: deps
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 $(FUZZ_BINS) $(FUZZ_SMOKE) $(FB)/seeds/.stamp

fuzz-smoke: fuzz-build
	@scripts/run-tests --models '' --unit $(FUZZ_SMOKE)

fuzz: fuzz-build
	KSR_FUZZ_BUILD=$(FB) $(FUZZ_DIR)/run-fuzz --time $(FUZZ_TIME) $(FUZZ_HARNESSES)

# The replay unit test links each harness, its entry point renamed ksr_fuzz_HARNESS.
FUZZ_REPLAY_DEFS := $(FUZZ_DEFS) -DKSR_FUZZ_REGRESSIONS='"$(CURDIR)/$(FUZZ_DIR)/regressions"'
FUZZ_REPLAY_OBJS = $(patsubst %,$(1)/fuzz-replay/fuzz-%.o,$(FUZZ_HARNESSES))
tag_replay_cc := CC
cmd_replay_cc = $(HOST_CC) $(HOST_CFLAGS) $(HOST_JSON_CFLAGS) $(FUZZ_DEFS) -DLLVMFuzzerTestOneInput=ksr_fuzz_$* \
	-c -o $@ $<
tag_san_replay_cc := CC
cmd_san_replay_cc = $(HOST_CC) $(HOST_CFLAGS) $(SAN_CFLAGS) $(HOST_JSON_CFLAGS) $(FUZZ_DEFS) \
	-DLLVMFuzzerTestOneInput=ksr_fuzz_$* -c -o $@ $<
tag_replay_ld := LD
cmd_replay_ld = $(HOST_CC) $(HOST_CFLAGS) $(HOST_JSON_CFLAGS) $(FUZZ_REPLAY_DEFS) -o $@ $< \
	$(call FUZZ_REPLAY_OBJS,$(HB)) $(HB)/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS) -lcmocka
tag_san_replay_ld := LD
cmd_san_replay_ld = $(HOST_CC) $(HOST_CFLAGS) $(SAN_CFLAGS) $(HOST_JSON_CFLAGS) $(FUZZ_REPLAY_DEFS) -o $@ $< \
	$(call FUZZ_REPLAY_OBJS,$(HB)/san) $(HB)/san/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS) -lcmocka

$(HB)/fuzz-replay/fuzz-%.o: $(FUZZ_DIR)/fuzz-%.c $(FUZZ_SRC_DEPS)
	@mkdir -p $(@D)
	$(call cmd,replay_cc)

$(HB)/san/fuzz-replay/fuzz-%.o: $(FUZZ_DIR)/fuzz-%.c $(FUZZ_SRC_DEPS)
	@mkdir -p $(@D)
	$(call cmd,san_replay_cc)

$(HB)/unit/test-fuzz-corpus: userspace/tests/unit/test-fuzz-corpus.c $(UNIT_HDRS) \
		$(call FUZZ_REPLAY_OBJS,$(HB)) $(HB)/lib/libkvm-safe-rules.a
	@mkdir -p $(@D)
	$(call cmd,replay_ld)

$(HB)/san/unit/test-fuzz-corpus: userspace/tests/unit/test-fuzz-corpus.c $(UNIT_HDRS) \
		$(call FUZZ_REPLAY_OBJS,$(HB)/san) $(HB)/san/lib/libkvm-safe-rules.a
	@mkdir -p $(@D)
	$(call cmd,san_replay_ld)
# ---- end of the libFuzzer harnesses -----------------------------------------

# version.c is compiled with LIB_VERSION of this file (LIB_VERSION_CFLAGS)
$(HB)/obj/version.o $(HB)/san/obj/version.o $(FB)/obj/version.o $(B)/guest/obj/version.o: Makefile

# ---- benchmarks (bench/, Documentation/performance.rst) ---------------------
# make bench: P3 on this host, then per model 5 boots each of the patched and
# the stock kernel, alternately, running P2 (both), P1 and P1b (patched), from
# an initramfs of their own (build/bench/initramfs.cpio).
# Its own default models; MODELS='...' on the command line overrides them.
BB := $(B)/bench
BENCH_MODELS := $(if $(filter command line environment,$(origin MODELS)),$(MODELS),max cortex-a57 cortex-a76 a64fx)
BENCH_INVOCATION := make bench$(if $(filter command line,$(origin MODELS)), MODELS='$(MODELS)')
BENCH_COMMON := bench/fail.c bench/samples.c
BENCH_HDRS := $(wildcard bench/*.h)
BENCH_GUEST := $(BB)/guest/bench-setreg $(BB)/guest/bench-learn $(BB)/guest/bench-decide
BENCH_HOST := $(BB)/host/bench-lib

.PHONY: bench bench-build

tag_bench_setreg := LD
cmd_bench_setreg = $(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.c,$^)
tag_bench_guest := LD
cmd_bench_guest = $(GUEST_CC) $(GUEST_CFLAGS) $$($(GUEST_JSON) --cflags) $(GUEST_LDFLAGS) $(BENCH_LDFLAGS) \
	-o $@ $(filter %.c,$^) $$($(GUEST_JSON) --libs)
tag_bench_host := LD
cmd_bench_host = $(HOST_CC) $(USER_CFLAGS) -I$(CURDIR)/userspace/include -o $@ $(filter %.c,$^) \
	$(HB)/lib/libkvm-safe-rules.a $(HOST_JSON_LIBS)
tag_bench_initramfs := GEN
cmd_bench_initramfs = scripts/make-initramfs $@ $(B)/guest/bin/init $(BENCH_GUEST) --

# P2 needs no library nor new UAPI: the same binary on stock and patched.
$(BB)/guest/bench-setreg: bench/setreg.c bench/scratch_vm.c $(BENCH_COMMON) $(BENCH_HDRS) \
		$(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,bench_setreg)

# P1: every ioctl() of the program and the library counted (-Wl,--wrap=ioctl)
$(BB)/guest/bench-learn: BENCH_LDFLAGS := -Wl,--wrap=ioctl
$(BB)/guest/bench-learn: bench/learn.c bench/ioctl_count.c $(BENCH_COMMON) $(LIB_SRCS) $(BENCH_HDRS) \
		$(LIB_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,bench_guest)

$(BB)/guest/bench-decide: bench/decide.c bench/configs.c bench/scratch_vm.c $(BENCH_COMMON) \
		$(LIB_SRCS) $(BENCH_HDRS) $(LIB_HDRS) $(call KIMAGE,patched)
	@mkdir -p $(@D)
	$(call cmd,bench_guest)

# P3 sees only the public header, as a program using the installed library
$(BB)/host/bench-lib: bench/lib.c bench/configs.c bench/peakmem.c $(BENCH_COMMON) $(BENCH_HDRS) \
		userspace/include/kvm-safe-rules.h $(HB)/lib/libkvm-safe-rules.a
	@mkdir -p $(@D)
	$(call cmd,bench_host)

# The benchmarks' own initramfs: /init and the three programs, nothing else
$(BB)/initramfs.cpio: $(B)/guest/bin/init $(BENCH_GUEST) scripts/make-initramfs
	$(call cmd,bench_initramfs)

bench-build: deps
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 kernel kernel-stock $(BB)/initramfs.cpio $(BENCH_HOST)

# Raw results in build/bench/results.json; bench/report makes Documentation/performance.rst of them.
bench: bench-build
	@/usr/bin/python3 bench/run --models "$(BENCH_MODELS)" --invocation "$(BENCH_INVOCATION)"
# ---- end of the benchmarks ---------------------------------------------------

# ---- the two commands of the README ----------------------------------------
run: deps
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 kernel guest
	scripts/qemu-run --cpu max -- kvm-safe-rules dump

# Profiles of the 7 models, captured by the program: test data for the library.
fixtures: deps
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 kernel guest
	scripts/capture-profiles userspace/tests/fixtures $(MODELS)
	scripts/capture-profiles --source probe userspace/tests/fixtures/probe $(MODELS)

test:
	@$(PHASE) --reset
	@$(MAKE) --no-print-directory test-build
	@KSR_MODELS="$(MODELS)" scripts/run-tests --timings --host-tests --models "$(MODELS)" \
		--manifest $(GUEST_TESTS) --compare-stock "$(STOCK_COMPARE)" --unit $(UNIT_BINS) $(FUZZ_SMOKE) \
		--proof scripts/compat-matrix \
		--debian "debian=$(MODELS)" --debian "debian-16k=$(filter $(DEBIAN_16K_MODELS),$(MODELS))" \
		--debug "$(filter $(DEBUG_MODELS),$(MODELS))"

# The kernels one after the other (the stock build takes the patched one's
# objects from ccache), each on every CPU; the programs of the host and the
# guest with make -j.
test-build: deps
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 kernel kernel-stock kernel-debug
	@$(PHASE) "host build (library, CLI, unit tests, libFuzzer harnesses)" \
		$(MAKE) --no-print-directory -j$(NPROC) KSR_DEPS_DONE=1 host unit-build fuzz-build
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 guest module module-debug

# The loop after a userspace change (Documentation/testing.rst, "How long
# make test takes"): the host and guest programs rebuilt, the unit tests
# (plain and sanitized) and the guest tests of one model on the patched
# kernel, QUICK_MODEL, beside them. No host tests, libFuzzer smoke, Debian
# or debug kernels, stock comparison or proofs: make test runs those.
QUICK_MODEL ?= cortex-a57
quick: deps
	@$(PHASE) --reset
	@$(MAKE) --no-print-directory KSR_DEPS_DONE=1 kernel selftests
	@$(PHASE) "userspace build (host, unit tests, guest)" $(MAKE) --no-print-directory -j$(NPROC) \
		KSR_DEPS_DONE=1 host unit-build $(B)/guest/initramfs.cpio
	@scripts/run-tests --timings --models "$(QUICK_MODEL)" --manifest $(GUEST_TESTS) --unit $(UNIT_BINS)

clean:
	rm -rf $(B)/guest $(B)/gen $(B)/selftests $(B)/host $(B)/test-results $(B)/timings \
		$(B)/fuzz $(B)/fuzz-pending

distclean:
	rm -rf $(B)

FORCE:
