/*
 * kernel/monitor/cmd-modules.c - the monitor's module commands: lsmod,
 * modprobe, insmod, rmmod (as in Linux, each saying its result and the
 * errno's name), loader (the generation, switched at run time) and
 * modstats (Linux's module statistics).
 */
#include <kernel/errno.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include "monitor.h"

static const char *state_name(enum module_state s)
{
	switch (s) {
	case MODULE_STATE_LIVE:		return "Live";
	case MODULE_STATE_COMING:	return "Loading";
	case MODULE_STATE_GOING:	return "Unloading";
	case MODULE_STATE_UNFORMED:	return "Unformed";
	}
	return "?";
}

/* One row of Linux's /proc/modules: name size refcount users state
 * address (the users being the modules that use this one). */
static void lsmod_row(struct module *mod, void *ctx)
{
	char users[64] = "";
	struct module_use *use;
	size_t n = 0;

	(void)ctx;
	list_for_each_entry(use, &mod->source_list, source_list)
		if (n < sizeof(users))
			n += snprintf(users + n, sizeof(users) - n, "%s,",
				      use->source->name);
	mon_printf("%-16s %8u %3d %-24s %-9s 0x%016lx\n", mod->name,
		   mod->core_layout.size, mod->refcnt, n ? users : "-",
		   state_name(mod->state), (unsigned long)mod->core_layout.base);
}

static int cmd_lsmod(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mon_printf("%-16s %8s %3s %-24s %-9s %s\n", "Module", "Size", "Ref",
		   "Used by", "State", "Address");
	for_each_module(lsmod_row, NULL);
	return 0;
}
MONITOR_COMMAND(lsmod, "lsmod", "lsmod",
		"the modules, as Linux's /proc/modules shows them", cmd_lsmod, 0, 0);

/* modprobe NAME [p=v ...] | modprobe -r NAME */
static int cmd_modprobe(int argc, char **argv)
{
	const char *params;
	char buf[200];
	bool too_long;

	if (!strcmp(argv[1], "-r")) {
		if (argc != 3)
			return mon_bad_arg("modprobe", "-r", "takes one module name");
		return mon_report("modprobe -r", argv[2], modprobe_remove(argv[2]));
	}
	params = mon_join_words(argc, argv, 2, buf, sizeof(buf), &too_long);
	if (too_long)
		return mon_bad_arg("modprobe", argv[2], "parameters too long");
	return mon_report("modprobe", argv[1], modprobe_args(argv[1], params));
}
MONITOR_COMMAND(modprobe, "modprobe", "modprobe [-r] NAME [p=v ...]",
		"load NAME (and what it uses) from lib/modules/; -r unloads them",
		cmd_modprobe, 1, 11);

static int cmd_insmod(int argc, char **argv)
{
	const char *params;
	char buf[200];
	bool too_long;

	params = mon_join_words(argc, argv, 2, buf, sizeof(buf), &too_long);
	if (too_long)
		return mon_bad_arg("insmod", argv[2], "parameters too long");
	return mon_report("insmod", argv[1], insmod(argv[1], params));
}
MONITOR_COMMAND(insmod, "insmod", "insmod PATH [p=v ...]",
		"load one file of the initrd", cmd_insmod, 1, 11);

static int cmd_rmmod(int argc, char **argv)
{
	(void)argc;
	return mon_report("rmmod", argv[1], delete_module(argv[1]));
}
MONITOR_COMMAND(rmmod, "rmmod", "rmmod NAME",
		"unload NAME (not while another module uses it)", cmd_rmmod, 1, 1);

static int cmd_loader(int argc, char **argv)
{
	const struct loader_generation *gen;
	int err;

	if (argc == 2) {
		err = loader_generation_switch(argv[1]);
		if (err == -EINVAL) {
			mon_printf("loader: '%s' is not a generation:", argv[1]);
			for (unsigned int i = 0; i < loader_nr_generations; i++)
				mon_printf(" %s", loader_generations[i].name);
			mon_printf("\n");
			return err;
		}
		if (err) {
			mon_printf("loader: a load is in flight; try again (%s)\n",
				   mon_errname(err));
			return err;
		}
	}
	gen = loader_generation();
	mon_printf("loader: %s (Linux %s): %s\n", gen->name,
		   gen->linux_versions, gen->summary);
	return 0;
}
MONITOR_COMMAND(loader, "loader", "loader [GEN]",
		"show, or switch, the loader generation", cmd_loader, 0, 1);

static int cmd_modstats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mod_stats_print();
	return 0;
}
MONITOR_COMMAND(modstats, "modstats", "modstats",
		"Linux's module statistics, by Linux's names", cmd_modstats, 0, 0);
