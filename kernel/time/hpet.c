/*
 * kernel/time/hpet.c - the High Precision Event Timer as a reference
 * clock (IA-PC HPET Specification 1.0a, 2.3 registers; ACPI table
 * "HPET", section 3.2.4 of that specification).
 *
 * Only the main counter is used: a counter running at a fixed period
 * given in femtoseconds in the capabilities register.  The comparators
 * (timers) are left alone.  hpet_init() maps the registers with
 * ioremap() and starts the counter if firmware did not.
 *
 * Simplifications: only the first HPET block; no interrupts from it.
 */
#include <kernel/acpi.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "time_internal.h"

#define HPET_ID			0x000	/* capabilities and ID */
#define  HPET_ID_64BIT		(1ULL << 13)
#define HPET_CFG		0x010
#define  HPET_CFG_ENABLE	(1ULL << 0)
#define HPET_COUNTER		0x0f0
/* The specification's bounds: the period is non-zero and at most
 * 100 ns (0x05F5E100 fs). */
#define HPET_MAX_PERIOD_FS	100000000U

/* The ACPI table after its header: event timer block ID (4), base
 * address as a GAS (12), HPET number (1), minimum tick (2), flags (1). */
#define HPET_TABLE_BASE_GAS	40
#define HPET_TABLE_LEN		56

static volatile uint64_t *hpet_regs;
static uint32_t period_fs;
static uint64_t counter_mask;

bool hpet_available(void)
{
	return hpet_regs != NULL;
}

uint64_t hpet_read_counter(void)
{
	return hpet_regs[HPET_COUNTER / 8] & counter_mask;
}

uint32_t hpet_period_fs(void)
{
	return period_fs;
}

uint64_t hpet_counter_mask(void)
{
	return counter_mask;
}

void hpet_init(void)
{
	const struct acpi_table_header *t = acpi_find_table("HPET");
	struct acpi_gas gas;
	volatile uint64_t *regs;
	uint64_t id;

	if (!t)
		return;
	if (t->length < HPET_TABLE_LEN) {
		pr_err("hpet: ACPI table too short (%u bytes)\n", t->length);
		return;
	}
	memcpy(&gas, (const uint8_t *)t + HPET_TABLE_BASE_GAS, sizeof(gas));
	if (gas.space_id != ACPI_SPACE_MEMORY || !gas.address ||
	    (gas.address & 7)) {
		pr_err("hpet: unusable base address %#llx (space %u)\n",
		       (unsigned long long)gas.address, gas.space_id);
		return;
	}
	regs = ioremap(gas.address, 0x400);
	if (!regs) {
		pr_err("hpet: cannot map registers at %#llx\n",
		       (unsigned long long)gas.address);
		return;
	}
	id = regs[HPET_ID / 8];
	period_fs = (uint32_t)(id >> 32);
	if (period_fs == 0 || period_fs > HPET_MAX_PERIOD_FS) {
		pr_err("hpet: at %#llx: bad period %u fs\n",
		       (unsigned long long)gas.address, period_fs);
		iounmap((void *)regs);
		return;
	}
	counter_mask = (id & HPET_ID_64BIT) ? ~0ULL : 0xffffffffULL;
	regs[HPET_CFG / 8] |= HPET_CFG_ENABLE;
	hpet_regs = regs;
	pr_info("hpet: at %#llx, %llu.%06llu MHz, %s counter\n",
		(unsigned long long)gas.address,
		(unsigned long long)(1000000000ULL / period_fs),
		(unsigned long long)(1000000000ULL % period_fs * 1000000ULL /
				     period_fs),
		counter_mask == ~0ULL ? "64-bit" : "32-bit");
}
