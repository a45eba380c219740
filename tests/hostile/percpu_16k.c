/*
 * tests/hostile/percpu_16k.c - a module with 16 KiB of per-CPU data,
 * twice the reserved chunk modules allocate from (percpu.reserve=,
 * 8 KiB by default).  Linux's answer, which ours copies: "PERCPU:
 * allocation failed, ..." and "percpu_16k: Could not allocate 16384
 * bytes percpu data".
 */
#include <kernel/percpu.h>
#include "hostile.h"

struct percpu_16k_area {
	unsigned long words[2048];
};

DEFINE_PER_CPU(struct percpu_16k_area, percpu_16k_area);

static int percpu_16k_init(void)
{
	return 0;
}

static void percpu_16k_exit(void)
{
}

module_init(percpu_16k_init);
module_exit(percpu_16k_exit);
MODULE_LICENSE("GPL");
HOSTILE_MODULE(percpu_16k);
