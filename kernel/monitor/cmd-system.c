/*
 * kernel/monitor/cmd-system.c - the monitor's commands about the machine
 * and the kernel as a whole: params (every boot parameter), reboot.
 */
#include <kernel/cmdline.h>
#include <kernel/power.h>
#include "monitor.h"

static int cmd_params(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	boot_params_print();
	return 0;
}
MONITOR_COMMAND(params, "params", "params",
		"every boot parameter: type, default, value", cmd_params, 0, 0);
