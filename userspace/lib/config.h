/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the readers and writers of configurations in the VMMs' formats
 * (fmt-firecracker.c, fmt-qemu.c) share with config.c: the parts of an
 * input kept without interpreting them, and the ids a reader has seen.
 */
#ifndef KSR_CONFIG_H
#define KSR_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "internal.h"

/* Which ids a reader has seen (config.c): duplicates in O(1). */
struct ksr_seen;
/* Marks id (a sysreg's or a firmware register's); true when it was already marked. */
bool ksr_seen_before(struct ksr_seen *seen, uint64_t id);

/* Keeps text under key (copied), replacing what key had; 0 or -ENOMEM. */
int ksr_config_keep(struct ksr_config *cfg, const char *key, const char *text);
/*
 * Keeps in dst everything src kept (ksr_config_keep() of each) and the
 * format src was read in; 0 or -ENOMEM.
 */
int ksr_config_keep_all(struct ksr_config *dst, const struct ksr_config *src);
/* A copy of cfg: its registers and what it kept; NULL when out of memory. */
struct ksr_config *ksr_config_dup(const struct ksr_config *cfg);
/* The text kept under key, or NULL. */
const char *ksr_config_kept_text(const struct ksr_config *cfg, const char *key);

/*
 * The readers: cfg holds every register of rules at its default, the
 * reader sets what the text says over it; 0, -EINVAL (err: "NAME: PLACE:
 * PROBLEM") or -ENOMEM.
 */
int ksr_fc_read(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		struct ksr_config *cfg, struct ksr_seen *seen, char *err, size_t errlen);
int ksr_qemu_read(const char *text, size_t len, const char *name, const struct ksr_rules *rules,
		  struct ksr_config *cfg, char *err, size_t errlen);

/* The writers (ksr_config_write_format()); lines: QEMU one property per line. */
int ksr_fc_write(const struct ksr_config *cfg, const struct ksr_rules *rules, FILE *out,
		 unsigned int flags, char *err, size_t errlen);
int ksr_qemu_write(const struct ksr_config *cfg, const struct ksr_rules *rules, FILE *out,
		   unsigned int flags, bool lines, char *err, size_t errlen);

#endif
