/*
 * kernel/module/generation.c - the four generations of Linux's module
 * loader, as one table that load_module() and modprobe read
 * (docs/story.md tells their history, docs/modules.md the steps).
 *
 * They differ in the order of three things: allocating the module's
 * per-CPU area (from the small reserved chunk), checking that its name is
 * not taken (add_unformed_module(): insert as UNFORMED, or wait for the
 * namesake, or fail), and whether two requests for one file are merged
 * before either reads it.  Each row says that order in three bits:
 *
 *                 percpu_before_unique  unique_late  merge_requests
 *   legacy        yes                   yes          no
 *   seed          yes                   no           no
 *   unformed      no                    no           no
 *   idempotent    no                    no           yes
 *
 * so load_module() runs
 *
 *   copy_module, elf_validity_check, layout_and_allocate,
 *   [percpu_modalloc if percpu_before_unique]
 *   [add_unformed_module unless unique_late]
 *   [percpu_modalloc unless percpu_before_unique]
 *   simplify_symbols, apply_relocations, ..., percpu_modcopy,
 *   [add_unformed_module if unique_late]
 *   complete_formation, parse_args, do_init_module
 *
 * and modprobe merges requests for a file already loading only when
 * merge_requests is set (kernel/module/modprobe.c).
 *
 * loader= picks a row at boot; loader_generation_switch() picks another
 * at run time, but only while no load is in flight: every load holds
 * the row it started with, from loader_begin() to loader_end(), so one
 * load never mixes two orders.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/module.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>

const struct loader_generation loader_generations[] = {
	{
		.name = "legacy",
		.linux_versions = "<= 3.7",
		.summary = "allocate everything, then check the name",
		.percpu_before_unique = true,
		.unique_late = true,
	},
	{
		.name = "seed",
		.linux_versions = "3.8 - 3.10",
		.summary = "UNFORMED in the list after allocating, per-CPU area too",
		.percpu_before_unique = true,
	},
	{
		.name = "unformed",
		.linux_versions = "3.11 - 6.4",
		.summary = "UNFORMED in the list first, per-CPU area once unique",
	},
	{
		.name = "idempotent",
		.linux_versions = ">= 6.5",
		.summary = "as unformed, and requests for one file merged",
		.merge_requests = true,
	},
};
const unsigned int loader_nr_generations = ARRAY_SIZE(loader_generations);

#define LOADER_DEFAULT	(&loader_generations[2])	/* unformed */

static bool known_generation(const char *name)
{
	return loader_generation_find(name) != NULL;
}

BOOT_PARAM_STRING(loader_name, "loader", "unformed", known_generation,
		  "legacy|seed|unformed|idempotent",
		  "the module loader's generation (docs/story.md)");

static DEFINE_SPINLOCK(generation_lock);
static const struct loader_generation *generation = LOADER_DEFAULT;
static unsigned int loads_in_flight;	/* under generation_lock */

const struct loader_generation *loader_generation_find(const char *name)
{
	for (unsigned int i = 0; i < loader_nr_generations; i++)
		if (!strcmp(name, loader_generations[i].name))
			return &loader_generations[i];
	return NULL;
}

const struct loader_generation *loader_generation(void)
{
	return READ_ONCE(generation);
}

int loader_generation_switch(const char *name)
{
	const struct loader_generation *gen = loader_generation_find(name);
	int err = 0;

	if (!gen)
		return -EINVAL;
	spin_lock(&generation_lock);
	if (loads_in_flight)
		err = -EBUSY;
	else
		WRITE_ONCE(generation, gen);
	spin_unlock(&generation_lock);
	return err;
}

const struct loader_generation *loader_begin(void)
{
	const struct loader_generation *gen;

	spin_lock(&generation_lock);
	loads_in_flight++;
	gen = generation;
	spin_unlock(&generation_lock);
	return gen;
}

void loader_end(void)
{
	spin_lock(&generation_lock);
	loads_in_flight--;
	spin_unlock(&generation_lock);
}

/* loader= was checked at boot (known_generation()); no load runs yet. */
void module_loader_init(void)
{
	loader_generation_switch(loader_name);
}
