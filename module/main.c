// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_safe_rules: KVM_ARM_GET_REG_SAFE_RULES on a Linux 6.12 kernel without
 * the series, through a misc device (/dev/kvm-safe-rules).
 *
 * A file of the device is attached to one VM, named by its file descriptor;
 * the file then answers KVM_CHECK_EXTENSION(KVM_CAP_ARM_REG_SAFE_RULES) and
 * KVM_ARM_GET_REG_SAFE_RULES like the VM's file of a patched kernel. The
 * entries are built by the series' own id_reg_rules.c, compiled into this
 * module unchanged. See Documentation/module.rst.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm_host.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/utsname.h>

#include "id_reg_rules.h"
#include "ksyms.h"
#include "kvm_safe_rules_dev.h"

static int ksr_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice there: the file has no VM yet */
	file->private_data = NULL;
	return 0;
}

static int ksr_release(struct inode *inode, struct file *file)
{
	struct kvm *kvm = file->private_data;

	if (kvm)
		kvm_put_kvm(kvm);
	return 0;
}

/* Takes a reference on the VM of @vm_fd, held until the file is closed. */
static long ksr_attach(struct file *file, unsigned long vm_fd)
{
	struct kvm *kvm;

	if (vm_fd > INT_MAX)
		return -EBADF;

	CLASS(fd, f)(vm_fd);
	if (fd_empty(f))
		return -EBADF;
	if (!file_is_kvm(fd_file(f)))
		return -EINVAL;

	/* The VM's file is open, so the VM holds a reference already. */
	kvm = fd_file(f)->private_data;
	kvm_get_kvm(kvm);
	if (cmpxchg(&file->private_data, NULL, kvm)) {
		kvm_put_kvm(kvm);
		return -EBUSY;
	}
	return 0;
}

static long ksr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kvm *kvm;

	switch (cmd) {
	case KVM_SAFE_RULES_ATTACH_VM:
		return ksr_attach(file, arg);
	case KVM_CHECK_EXTENSION:
		return arg == KVM_CAP_ARM_REG_SAFE_RULES ? KVM_REG_SAFE_RULES_LAYOUT : 0;
	case KVM_ARM_GET_REG_SAFE_RULES:
		kvm = READ_ONCE(file->private_data);
		if (!kvm)
			return -EBADFD;
		/* As kvm_vm_ioctl() does for every VM ioctl */
		if (kvm->mm != current->mm || kvm->vm_dead)
			return -EIO;
		return kvm_id_reg_get_safe_rules(kvm, (void __user *)arg,
						 ksr_kernel.sys_reg_descs,
						 ksr_kernel.nr_sys_reg_descs);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ksr_fops = {
	.owner		= THIS_MODULE,
	.open		= ksr_open,
	.release	= ksr_release,
	.unlocked_ioctl	= ksr_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/*
 * World-usable, like /dev/kvm once was: a file learns nothing about a VM
 * but through the VM's own file descriptor, which its caller must hold.
 */
static struct miscdevice ksr_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KVM_SAFE_RULES_DEV_NAME,
	.fops	= &ksr_fops,
	.mode	= 0666,
};

static int __init ksr_init(void)
{
	int ret;

	ret = ksr_ksyms_init();
	if (ret)
		return ret;
	if (!kvm_id_field_overrides_check()) {
		pr_err("the ID field override table does not match this kernel: not loading\n");
		return -ENOEXEC;
	}
	ret = misc_register(&ksr_dev);
	if (ret) {
		pr_err("misc_register: %d\n", ret);
		return ret;
	}
	pr_info("/dev/%s: KVM_ARM_GET_REG_SAFE_RULES for Linux %s\n",
		KVM_SAFE_RULES_DEV_NAME, init_utsname()->release);
	return 0;
}

static void __exit ksr_exit(void)
{
	misc_deregister(&ksr_dev);
}

module_init(ksr_init);
module_exit(ksr_exit);

MODULE_DESCRIPTION("KVM_ARM_GET_REG_SAFE_RULES for kernels without it");
MODULE_AUTHOR("kvm-safe-rules developers");
MODULE_LICENSE("GPL");
