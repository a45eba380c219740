/*
 * kernel/module/modprobe.c - modprobe and insmod, from the initrd, and
 * the idempotent merging of concurrent loads (Linux >= 6.5).
 *
 * modprobe(name) does what `modprobe --first-time` does for one name:
 * if the module is in the kernel already (LIVE or COMING: libkmod's
 * module_is_inkernel, which reads /sys/module/<name>/initstate) the answer
 * is -EEXIST at once; otherwise find lib/modules/<name>.ko, read its
 * depends= (the modules whose exports it uses, written at build time by
 * tools/modpost.py as depmod would), load those first - recursively, and
 * only those not in the kernel yet - then the module itself.  A request
 * that gets past the check while a namesake is still UNFORMED goes into
 * the kernel: those are the duplicates of docs/story.md.  insmod(path)
 * loads one file and nothing else.
 *
 * Reading depends= means reading the file, as libkmod does in user space:
 * the bytes are copied into an aligned buffer (cpio aligns file data to
 * 4 bytes, the ELF checks want 8), checked, and freed again.  That copy
 * is modprobe's, not the load's, and the loader's accounting (modmem_peak,
 * dup_bytes) does not count it: it counts what load_module() allocates.
 *
 * loader=idempotent: before load_module() reads a file, load_file() looks
 * for a load of the same file already in flight.  If there is one, the
 * request does not read or allocate anything: it waits for that load to
 * finish and takes its result (Linux's idempotent_init_module(), where
 * the file's inode is the key; here it is the file's place in the initrd).
 */
#include <kernel/completion.h>
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "internal.h"

#define MODPROBE_MAX_DEPTH	8
#define MODPROBE_PATH_MAX	96
#define IDEMPOTENT_WAIT_SECONDS	60

/* One load in flight that others may join (Linux's struct idempotent). */
struct idempotent {
	struct list_head list;
	const void *file;		/* the key: the file's bytes in the initrd */
	struct completion done;
	int ret;
	int refs;			/* the owner and each waiter */
};

static LIST_HEAD(idem_list);
static DEFINE_SPINLOCK(idem_lock);

static void idem_put(struct idempotent *idem)
{
	bool last;

	spin_lock(&idem_lock);
	last = --idem->refs == 0;
	spin_unlock(&idem_lock);
	if (last)
		kfree(idem);
}

/* "lib/modules/kvm.ko" -> "kvm", at most size - 1 characters. */
const char *module_name_from_path(char *dst, size_t size, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && !strcmp(base + n - 3, ".ko"))
		n -= 3;
	if (n >= size)
		n = size - 1;
	memcpy(dst, base, n);
	dst[n] = '\0';
	return dst;
}

/*
 * Load a file, merging with a load of the same file in flight (the
 * generation's merge_requests, loader=idempotent).  *merged says the
 * result is another request's.
 */
static int load_merged(const char *path, const void *file, size_t len,
		       const char *uargs, bool *merged)
{
	struct idempotent *idem = NULL, *it;
	char name_buf[MODULE_NAME_LEN];
	int ret;

	spin_lock(&idem_lock);
	list_for_each_entry(it, &idem_list, list) {
		if (it->file == file) {
			idem = it;
			idem->refs++;
			break;
		}
	}
	spin_unlock(&idem_lock);
	if (idem) {
		*merged = true;
		fault_inject_delay();
		module_note_step(path, MODULE_STEP_WAITING);
		if (!wait_for_completion_timeout(&idem->done,
						 IDEMPOTENT_WAIT_SECONDS * HZ)) {
			pr_err("%s: the load this request joined is still running after %d s\n",
			       path, IDEMPOTENT_WAIT_SECONDS);
			ret = -ETIMEDOUT;
		} else {
			ret = idem->ret;
		}
		module_note_event(MODULE_EV_WAIT_END, path, ret);
		idem_put(idem);
		return ret;
	}

	/* Nobody loads it: this request does, and others may join it. */
	idem = kzalloc(sizeof(*idem));
	if (!idem)
		return -ENOMEM;
	idem->file = file;
	idem->refs = 1;
	init_completion(&idem->done);
	spin_lock(&idem_lock);
	list_for_each_entry(it, &idem_list, list) {
		if (it->file == file) {
			/* Someone got there between the two looks. */
			spin_unlock(&idem_lock);
			kfree(idem);
			return load_merged(path, file, len, uargs, merged);
		}
	}
	list_add(&idem->list, &idem_list);
	spin_unlock(&idem_lock);

	/*
	 * A load of this file that ended between modprobe's look at the
	 * module list and ours left the module in the kernel: say so
	 * before reading anything (Linux 6.4's early_mod_check() does the
	 * same after reading the file).
	 */
	module_name_from_path(name_buf, sizeof(name_buf), path);
	if (module_is_inkernel(name_buf)) {
		mod_stat_dup_failed(name_buf, FAIL_DUP_MOD_BECOMING);
		ret = -EEXIST;
	} else {
		ret = load_module(file, len, path, uargs);
	}

	spin_lock(&idem_lock);
	list_del(&idem->list);
	idem->ret = ret;
	spin_unlock(&idem_lock);
	complete_all(&idem->done);
	idem_put(idem);
	return ret;
}

/* One request, under the generation it started with from end to end. */
static int load_file(const char *path, const void *file, size_t len,
		     const char *uargs, bool *merged)
{
	const struct loader_generation *gen = loader_begin();
	int ret;

	*merged = false;
	if (gen->merge_requests)
		ret = load_merged(path, file, len, uargs, merged);
	else
		ret = load_module(file, len, path, uargs);
	loader_end();
	return ret;
}

int insmod(const char *path, const char *uargs)
{
	size_t len;
	const void *file = initrd_find(path, &len);
	bool merged;

	if (!file) {
		pr_err("insmod: %s: no such file in the initrd\n", path);
		return -ENOENT;
	}
	return load_file(path, file, len, uargs, &merged);
}

/* The depends= list of a module file: read it like modprobe(8) would. */
static int read_depends(const char *path, const void *file, size_t len,
			char *deps, size_t size)
{
	struct load_info *info = kmalloc(sizeof(*info));
	void *copy = kmalloc(len ? len : 1);
	const char *reason, *d;
	int err = -ENOMEM;

	if (!info || !copy)
		goto out;
	memcpy(copy, file, len);
	err = module_elf_check(copy, len, sizeof(struct module), info, &reason);
	if (err) {
		pr_err("modprobe: %s: %s\n", path, reason);
		goto out;
	}
	d = module_get_modinfo(info, "depends");
	if (strlcpy(deps, d ? d : "", size) >= size) {
		pr_err("modprobe: %s: depends= longer than %zu characters\n",
		       path, size - 1);
		err = -ENOEXEC;
	}
out:
	kfree(copy);
	kfree(info);
	return err;
}

static int modprobe_depth(const char *name, int depth, const char *uargs,
			  struct modprobe_outcome *out)
{
	char path[MODPROBE_PATH_MAX], deps[MODULE_NAME_LEN * 4];
	const void *file;
	size_t len;
	bool merged;
	int err;

	if (depth > MODPROBE_MAX_DEPTH) {
		pr_err("modprobe: %s: dependencies nested deeper than %d (a loop?)\n",
		       name, MODPROBE_MAX_DEPTH);
		return -ELOOP;
	}
	if (!*name || strlen(name) >= MODULE_NAME_LEN || strchr(name, '/')) {
		pr_err("modprobe: '%s' is not a module name\n", name);
		return -EINVAL;
	}
	if (module_is_inkernel(name))
		return -EEXIST;
	snprintf(path, sizeof(path), "lib/modules/%s.ko", name);
	file = initrd_find(path, &len);
	if (!file) {
		pr_err("modprobe: FATAL: Module %s not found in lib/modules\n",
		       name);
		return -ENOENT;
	}
	err = read_depends(path, file, len, deps, sizeof(deps));
	if (err)
		return err;
	for (char *dep = deps, *next; dep && *dep; dep = next) {
		next = strchr(dep, ',');
		if (next)
			*next++ = '\0';
		/* Once each: one in the kernel already gives -EEXIST. */
		err = modprobe_depth(dep, depth + 1, NULL, NULL);
		if (err && err != -EEXIST) {
			pr_err("modprobe: %s: dependency %s failed (%d)\n",
			       name, dep, err);
			return err;
		}
	}
	err = load_file(path, file, len, uargs, &merged);
	if (out)
		out->merged = merged;
	return err;
}

bool module_is_inkernel(const char *name)
{
	struct module *mod;
	bool in;

	rcu_read_lock();
	mod = find_module(name);
	in = mod && (READ_ONCE(mod->state) == MODULE_STATE_LIVE ||
		     READ_ONCE(mod->state) == MODULE_STATE_COMING);
	rcu_read_unlock();
	return in;
}

int modprobe_request(const char *name, struct modprobe_outcome *out)
{
	if (out)
		out->merged = false;
	return modprobe_depth(name, 0, NULL, out);
}

int modprobe(const char *name)
{
	return modprobe_request(name, NULL);
}

int modprobe_args(const char *name, const char *uargs)
{
	return modprobe_depth(name, 0, uargs, NULL);
}

/*
 * modprobe -r: unload name, then each module it used that nobody uses
 * now (their dependencies in turn), as modprobe(8) removes what it had
 * loaded for a module.  A dependency still used by another module stays.
 */
#define MODPROBE_MAX_TARGETS	8

static int modprobe_remove_depth(const char *name, int depth)
{
	char targets[MODPROBE_MAX_TARGETS][MODULE_NAME_LEN];
	unsigned int ntargets = 0;
	struct module_use *use;
	struct module *mod;
	int err;

	if (depth > MODPROBE_MAX_DEPTH)
		return -ELOOP;
	mutex_lock(&module_mutex);
	mod = find_module(name);
	if (mod)
		list_for_each_entry(use, &mod->target_list, target_list)
			if (ntargets < MODPROBE_MAX_TARGETS)
				strlcpy(targets[ntargets++], use->target->name,
					MODULE_NAME_LEN);
	mutex_unlock(&module_mutex);
	err = delete_module(name);
	if (err)
		return err;
	for (unsigned int i = 0; i < ntargets; i++) {
		bool unused;

		mutex_lock(&module_mutex);
		mod = find_module(targets[i]);
		unused = mod && mod->state == MODULE_STATE_LIVE &&
			 list_empty(&mod->source_list) && !mod->refcnt;
		mutex_unlock(&module_mutex);
		if (unused)
			modprobe_remove_depth(targets[i], depth + 1);
	}
	return 0;
}

int modprobe_remove(const char *name)
{
	return modprobe_remove_depth(name, 0);
}
