/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the kvm-safe-rules subcommands. */
#ifndef KSR_CLI_H
#define KSR_CLI_H

#include <stdbool.h>

#include "vm.h"

#define EXIT_KVM	1
#define EXIT_USAGE	2

int usage_error(const char *fmt, const char *arg);
int open_vm(struct ksr_vm **vm, unsigned int features);
int parse_vm_options(const char *cmd, int argc, char **argv, unsigned int *features, bool *json);

int cmd_regs(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
