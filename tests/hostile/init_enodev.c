/*
 * tests/hostile/init_enodev.c - a module whose init fails, as a driver's
 * does when its hardware is absent.  The module was linked and COMING;
 * the loader must take it all back: "init_enodev: init failed (error
 * -19)".
 */
#include <kernel/errno.h>
#include "hostile.h"

static int init_enodev_init(void)
{
	return -ENODEV;
}

static void init_enodev_exit(void)
{
}

module_init(init_enodev_init);
module_exit(init_enodev_exit);
MODULE_LICENSE("GPL");
HOSTILE_MODULE(init_enodev);
