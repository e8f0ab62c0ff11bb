// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware pseudo-registers (KVM_REG_ARM_FW*): their UAPI names and
 * those of their bitmaps' bits (ABI, so a table is fine), and how such a
 * register is laid out in the model. Their rules come from the kernel or a
 * profile, never from here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	uint64_t id;
	const char *name;
} fw_regs[] = {
	{ KSR_ID_FW | 0, "KVM_REG_ARM_PSCI_VERSION" },
	{ KSR_ID_FW | 1, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1" },
	{ KSR_ID_FW | 2, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2" },
	{ KSR_ID_FW | 3, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3" },
	{ KSR_ID_FW_BMAP | 0, "KVM_REG_ARM_STD_BMAP" },
	{ KSR_ID_FW_BMAP | 1, "KVM_REG_ARM_STD_HYP_BMAP" },
	{ KSR_ID_FW_BMAP | 2, "KVM_REG_ARM_VENDOR_HYP_BMAP" },
};

/* The bits the UAPI names (KVM_REG_ARM_*_BIT_*) */
static const struct {
	uint64_t id;
	unsigned int bit;
	const char *name;
} fw_bits[] = {
	{ KSR_ID_FW_BMAP | 0, 0, "TRNG_V1_0" },
	{ KSR_ID_FW_BMAP | 1, 0, "PV_TIME" },
	{ KSR_ID_FW_BMAP | 2, 0, "FUNC_FEAT" },
	{ KSR_ID_FW_BMAP | 2, 1, "PTP" },
};

const char *ksr_fw_name(uint64_t id)
{
	for (size_t i = 0; i < ARRAY_SIZE(fw_regs); i++)
		if (fw_regs[i].id == id)
			return fw_regs[i].name;
	return NULL;
}

uint64_t ksr_fw_id(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(fw_regs); i++)
		if (!strcmp(fw_regs[i].name, name))
			return fw_regs[i].id;
	return 0;
}

const char *ksr_fw_bit_name(uint64_t id, unsigned int bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(fw_bits); i++)
		if (fw_bits[i].id == id && fw_bits[i].bit == bit)
			return fw_bits[i].name;
	return NULL;
}

const char *ksr_id_name(uint64_t id, char *buf, size_t len)
{
	const char *name = ksr_fw_name(id);

	if (ksr_id_is_sysreg(id))
		return ksr_encoding_name(ksr_encoding_from_key((uint32_t)(id & 0xffff)), buf, len);
	if (name)
		return name;
	ksr_id_text(id, buf, len);
	return buf;
}

const char *ksr_reg_bit_name(const struct ksr_reg *reg, unsigned int bit)
{
	return ksr_fw_bit_name(ksr_reg_id(reg), bit);
}

const char *ksr_id_bit_name(uint64_t id, unsigned int bit)
{
	return ksr_fw_bit_name(id, bit);
}

int ksr_fw_reg_init(struct ksr_reg *reg, uint64_t id, const char *name, unsigned int nr_fields,
		    unsigned int nr_values)
{
	reg->enc = KSR_NO_ENCODING;
	reg->id = id;
	reg->kind = KSR_REG_KIND_FIRMWARE;
	ksr_id_text(id, reg->generic_name, sizeof(reg->generic_name));
	if (!name)
		name = ksr_fw_name(id);
	if (name && !strcmp(name, reg->generic_name))
		name = NULL;
	if (ksr_set_name(&reg->name, name))
		return -ENOMEM;
	reg->fields = calloc(nr_fields ? nr_fields : 1, sizeof(*reg->fields));
	reg->values = calloc(nr_values ? nr_values : 1, sizeof(*reg->values));
	if (!reg->fields || !reg->values)
		return -ENOMEM;
	reg->nr_fields = nr_fields;
	reg->nr_values = nr_values;
	return 0;
}

int ksr_fw_bitmap_fields(struct ksr_reg *reg)
{
	unsigned int n = (unsigned int)__builtin_popcountll(reg->writable_mask), k = 0;
	struct ksr_field *fields = calloc(n ? n : 1, sizeof(*fields));
	char buf[8];

	if (!fields)
		return -ENOMEM;
	for (unsigned int i = 0; i < reg->nr_fields; i++)
		free((char *)reg->fields[i].name);
	free(reg->fields);
	reg->fields = fields;
	reg->nr_fields = n;
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name = ksr_fw_bit_name(reg->id, bit);
		struct ksr_field *f;

		if (!(reg->writable_mask >> bit & 1))
			continue;
		f = &fields[k++];
		f->shift = (uint8_t)bit;
		f->width = 1;
		f->type = f->host_type = KSR_RULE_ANY;
		f->flags = KSR_FIELD_WRITABLE;
		ksr_field_generic_name(bit, 1, buf, sizeof(buf));
		if (ksr_set_name(&f->name, name ?: buf))
			return -ENOMEM;
	}
	return 0;
}
