/*
 * kernel/traps.c - the IDT, and what happens on each of the 256 vectors
 * (Intel SDM Vol. 3A, chapter 6 "Interrupt and Exception Handling", 6.14
 * for 64-bit mode).
 *
 * The IDT holds 256 gates of 16 bytes.  Every gate here is an interrupt
 * gate (the CPU clears IF on entry) in the kernel code segment, pointing
 * at a stub in kernel/entry.asm; the stubs build a struct pt_regs and call
 * trap_dispatch().  Three gates name an IST stack from the TSS
 * (kernel/gdt.c), because they must not run on the interrupted stack:
 *
 *	vector  2  NMI  IST2   can hit anywhere, even mid-entry
 *	vector  8  #DF  IST1   the stack may be what broke (overflow)
 *	vector 18  #MC  IST3   as NMI
 *
 * Vectors 0..31 are exceptions.  Each is fatal to this kernel but one:
 * the report names it, decodes the error code, prints RIP as
 * symbol+offset/size, every register, CR0/2/3/4 and a call trace walked
 * by frame pointer, then panic("Fatal exception").  #BP (int3) is counted
 * and returns, as a debugger breakpoint would.
 *
 * Vectors 32..255 go to handlers registered with
 * register_interrupt_handler() (the APIC timer, IPIs); one nobody
 * registered is reported once per vector as spurious and then counted.
 *
 * The backtrace never faults: every frame pointer is checked (aligned,
 * inside the stack it started on, strictly increasing, at most 32 frames)
 * and read through probe_read_u64(), whose load the #PF/#GP path resumes
 * at a fixup label if it faults anyway.
 *
 * Vector 2 (NMI) first goes to nmi_handle() (kernel/smp/stop.c): a stop
 * request from a panicking CPU, or a backtrace request from the watchdog.
 * nmi_depth counts NMIs in progress on this CPU, so printk can tell it
 * must not wait for console_lock (this CPU may hold it).
 *
 * Simplifications admitted: no user mode; a fault while the console lock
 * is held (inside printk) cannot be reported and hangs that CPU.
 */
#include <kernel/errno.h>
#include <kernel/gdt.h>
#include <kernel/io.h>
#include <kernel/ksyms.h>
#include <kernel/mm.h>
#include <kernel/power.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/smp.h>
#include <kernel/traps.h>

#define MAX_BACKTRACE_FRAMES	32
#define HIGHER_HALF_START	0xffff800000000000UL

/* kernel/entry.asm */
extern const uint64_t isr_stub_table[NR_VECTORS];
extern int probe_read_u64(const uint64_t *addr, uint64_t *out);
extern const char probe_read_u64_load[], probe_read_u64_fixup[];
/* boot/multiboot2.asm */
extern char boot_stack_guard[], boot_stack_top[];

/* One IDT gate (SDM figure 6-8). */
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;		/* bits 0..2: IST slot, 0 = none */
	uint8_t type_attr;	/* P, DPL, type */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;

#define GATE_INTERRUPT		0x8E	/* present, DPL 0, 64-bit int gate */

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static struct idt_gate idt[NR_VECTORS] __aligned(16);

static const struct {
	const char *name;
	const char *mnemonic;	/* NULL where the SDM gives none */
} exceptions[FIRST_EXTERNAL_VECTOR] = {
	[0] = { "divide error", "#DE" },
	[1] = { "debug", "#DB" },
	[2] = { "non-maskable interrupt", "NMI" },
	[3] = { "breakpoint", "#BP" },
	[4] = { "overflow", "#OF" },
	[5] = { "bound range exceeded", "#BR" },
	[6] = { "invalid opcode", "#UD" },
	[7] = { "device not available", "#NM" },
	[8] = { "double fault", "#DF" },
	[9] = { "coprocessor segment overrun", NULL },
	[10] = { "invalid TSS", "#TS" },
	[11] = { "segment not present", "#NP" },
	[12] = { "stack-segment fault", "#SS" },
	[13] = { "general protection fault", "#GP" },
	[14] = { "page fault", "#PF" },
	[15] = { "reserved exception", NULL },
	[16] = { "x87 floating-point error", "#MF" },
	[17] = { "alignment check", "#AC" },
	[18] = { "machine check", "#MC" },
	[19] = { "SIMD floating-point exception", "#XM" },
	[20] = { "virtualization exception", "#VE" },
	[21] = { "control protection exception", "#CP" },
	[22 ... 27] = { "reserved exception", NULL },
	[28] = { "hypervisor injection exception", "#HV" },
	[29] = { "VMM communication exception", "#VC" },
	[30] = { "security exception", "#SX" },
	[31] = { "reserved exception", NULL },
};

static void (*interrupt_handlers[NR_VECTORS])(struct pt_regs *);
static DEFINE_SPINLOCK(interrupt_handlers_lock);
static uint8_t spurious_reported[NR_VECTORS / 8];
static unsigned long int3_count;
static unsigned long spurious_count;
static int fatal_in_progress;
DEFINE_PER_CPU(unsigned int, nmi_depth);

/* ---- the IDT ------------------------------------------------------ */

static void set_gate(unsigned vector, uint64_t handler, unsigned ist)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = handler & 0xffff;
	g->selector = GDT_KERNEL_CS;
	g->ist = ist & 7;
	g->type_attr = GATE_INTERRUPT;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

void idt_load(void)
{
	struct idt_ptr ptr = {
		.limit = sizeof(idt) - 1,
		.base = (uintptr_t)idt,
	};

	__asm__ __volatile__("lidt %0" : : "m"(ptr) : "memory");
}

void trap_init(void)
{
	/* The TSS first: the IST slots the gates name must exist. */
	gdt_init();
	for (unsigned v = 0; v < NR_VECTORS; v++)
		set_gate(v, isr_stub_table[v], 0);
	idt[X86_TRAP_DF].ist = IST_DOUBLE_FAULT;
	idt[X86_TRAP_NMI].ist = IST_NMI;
	idt[X86_TRAP_MC].ist = IST_MACHINE_CHECK;
	idt_load();
	pr_info("traps: IDT with %d vectors, TSS with IST stacks for #DF, NMI, #MC\n",
		NR_VECTORS);
}

/* ---- registration, for vectors 32..255 ----------------------------- */

int register_interrupt_handler(unsigned vector, void (*fn)(struct pt_regs *))
{
	unsigned long flags;
	int ret = 0;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS || !fn)
		return -EINVAL;
	flags = spin_lock_irqsave(&interrupt_handlers_lock);
	if (interrupt_handlers[vector])
		ret = -EBUSY;
	else
		WRITE_ONCE(interrupt_handlers[vector], fn);
	spin_unlock_irqrestore(&interrupt_handlers_lock, flags);
	return ret;
}

int unregister_interrupt_handler(unsigned vector, void (*fn)(struct pt_regs *))
{
	unsigned long flags;
	int ret = 0;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS)
		return -EINVAL;
	flags = spin_lock_irqsave(&interrupt_handlers_lock);
	if (interrupt_handlers[vector] != fn)
		ret = -EINVAL;
	else
		WRITE_ONCE(interrupt_handlers[vector], NULL);
	spin_unlock_irqrestore(&interrupt_handlers_lock, flags);
	return ret;
}

unsigned long traps_int3_count(void)
{
	return __atomic_load_n(&int3_count, __ATOMIC_RELAXED);
}

unsigned long traps_spurious_count(void)
{
	return __atomic_load_n(&spurious_count, __ATOMIC_RELAXED);
}

/* ---- reporting ----------------------------------------------------- */

static uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

/* The stack this CPU started on: the boot stack, or the one
 * kernel/smp/smpboot.c gave an AP (0 before smp_init records it). */
static void cpu_stack(uint64_t *lo, uint64_t *hi)
{
	*lo = this_cpu_read(cpu_stack_lo);
	*hi = this_cpu_read(cpu_stack_hi);
	if (!*lo) {
		*lo = (uintptr_t)boot_stack_guard + PAGE_SIZE;
		*hi = (uintptr_t)boot_stack_top;
	}
}

bool stack_guard_hit(uint64_t addr)
{
	uint64_t lo, hi;

	cpu_stack(&lo, &hi);
	/* The guard page below the stack, or the very bottom of the stack:
	 * RSP equal to the guard's end means the next push lands in it. */
	return addr >= lo - PAGE_SIZE && addr <= lo;
}

/* The stack addr is on, so a walk never leaves it; a wide default. */
static void stack_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	const struct tss *tss = gdt_current_tss();
	uint64_t stack_lo, stack_hi;

	cpu_stack(&stack_lo, &stack_hi);
	if (addr >= stack_lo && addr < stack_hi) {
		*lo = stack_lo;
		*hi = stack_hi;
		return;
	}
	for (int i = 0; tss && i < IST_COUNT; i++) {
		if (addr < tss->ist[i] && addr >= tss->ist[i] - IST_STACK_SIZE) {
			*lo = tss->ist[i] - IST_STACK_SIZE;
			*hi = tss->ist[i];
			return;
		}
	}
	*lo = HIGHER_HALF_START;
	*hi = ~0UL;
}

/*
 * " [<addr>] name+off/size".  For a return address the symbol is looked
 * up at addr - 1: a call that ends a function (to a noreturn callee)
 * returns to the first byte of the next one.
 */
static void print_address(const char *prefix, uint64_t addr, bool is_return)
{
	uint64_t off, size;
	const char *mod = NULL;
	const char *name = symbol_lookup(addr - is_return, &off, &size, &mod);

	if (name)
		printk(KERN_EMERG "%s[<%016lx>] %s+%#lx/%#lx%s%s%s\n", prefix,
		       (unsigned long)addr, name, (unsigned long)(off + is_return),
		       (unsigned long)size, mod ? " [" : "", mod ? mod : "",
		       mod ? "]" : "");
	else
		printk(KERN_EMERG "%s[<%016lx>] (not kernel text)\n", prefix,
		       (unsigned long)addr);
}

/*
 * Walk the frame-pointer chain: with -fno-omit-frame-pointer every
 * function starts "push rbp; mov rbp, rsp", so [rbp] is the caller's rbp
 * and [rbp + 8] the return address into the caller.  start64 pushes a 0
 * rbp before calling kmain: the chain ends there.
 */
static void walk_frames(uint64_t rbp)
{
	uint64_t lo, hi, prev = 0;
	int depth;

	stack_bounds(rbp, &lo, &hi);
	for (depth = 0; depth < MAX_BACKTRACE_FRAMES; depth++) {
		uint64_t next, ret;

		if (!rbp)
			return;
		if (!IS_ALIGNED(rbp, 8) || rbp < lo || rbp > hi - 16 ||
		    rbp <= prev) {
			printk(KERN_EMERG " (frame pointer %#lx out of place; stopping)\n",
			       (unsigned long)rbp);
			return;
		}
		if (probe_read_u64((const uint64_t *)rbp, &next) ||
		    probe_read_u64((const uint64_t *)(rbp + 8), &ret)) {
			printk(KERN_EMERG " (frame at %#lx unreadable; stopping)\n",
			       (unsigned long)rbp);
			return;
		}
		if (!ret)
			return;
		print_address(" ", ret, true);
		prev = rbp;
		rbp = next;
	}
	printk(KERN_EMERG " (more than %d frames; stopping)\n",
	       MAX_BACKTRACE_FRAMES);
}

void dump_stack_from(uint64_t rip, uint64_t rbp)
{
	printk(KERN_EMERG "Call Trace:\n");
	if (rip)
		print_address(" ", rip, false);
	walk_frames(rbp);
}

noinline void dump_stack(void)
{
	/* Our own frame: the first return address is our caller. */
	printk(KERN_EMERG "Call Trace:\n");
	walk_frames((uintptr_t)__builtin_frame_address(0));
}

static bool is_kernel_text(uint64_t addr)
{
	uint64_t off, size;
	const char *mod;

	return symbol_lookup(addr, &off, &size, &mod) != NULL;
}

/*
 * A fault inside a function's prologue, before "mov rbp, rsp" (gcc may
 * schedule a load or two in between), leaves regs->rbp pointing at the
 * caller's frame, and the frame walk would skip the caller.  Two states
 * are recognisable without guessing:
 *   - RIP at the first byte of a function: [rsp] is the return address;
 *   - "push rbp" done, "mov rbp, rsp" not: [rsp] == rbp, [rsp + 8] is
 *     the return address (a set-up frame never holds its own address).
 * Returns that return address, or 0.
 */
static uint64_t prologue_return_address(const struct pt_regs *regs)
{
	uint64_t off, word0, word1;

	if (!ksym_lookup(regs->rip, &off) || !IS_ALIGNED(regs->rsp, 8) ||
	    regs->rsp < HIGHER_HALF_START || regs->rsp >= regs->rbp ||
	    probe_read_u64((const uint64_t *)regs->rsp, &word0))
		return 0;
	if (off == 0)
		return is_kernel_text(word0) ? word0 : 0;
	if (word0 == regs->rbp &&
	    !probe_read_u64((const uint64_t *)(regs->rsp + 8), &word1) &&
	    is_kernel_text(word1))
		return word1;
	return 0;
}

static void show_trace_regs(const struct pt_regs *regs)
{
	uint64_t ret = prologue_return_address(regs);

	printk(KERN_EMERG "Call Trace:\n");
	if (ret)
		print_address(" ", ret, true);
	walk_frames(regs->rbp);
}

/* "[write, not-present]" and friends: what the error code says. */
static void decode_error(const struct pt_regs *regs, char *buf, size_t len)
{
	uint64_t e = regs->error_code;

	buf[0] = '\0';
	switch (regs->vector) {
	case X86_TRAP_PF:
		snprintf(buf, len, " [%s, %s%s%s%s]",
			 e & (1 << 4) ? "instruction fetch" :
			 e & (1 << 1) ? "write" : "read",
			 e & (1 << 0) ? "protection violation" : "not-present",
			 e & (1 << 2) ? ", user" : "",
			 e & (1 << 3) ? ", reserved bit set" : "",
			 e & (1 << 5) ? ", protection key" : "");
		break;
	case X86_TRAP_TS:
	case X86_TRAP_NP:
	case X86_TRAP_SS:
	case X86_TRAP_GP:
	case X86_TRAP_AC:
		if (!e || regs->vector == X86_TRAP_AC)
			break;
		/* A segment selector error code (SDM 6.13). */
		snprintf(buf, len, " [%s %#lx%s]",
			 e & 2 ? "IDT vector" : e & 4 ? "LDT selector" :
			 "GDT selector",
			 (unsigned long)(e & 2 ? (e >> 3) & 0x1fff : e & 0xfff8),
			 e & 1 ? ", external event" : "");
		break;
	}
}

static void __show_regs(const struct pt_regs *regs)
{
	uint64_t off, size;
	const char *mod = NULL;
	const char *name = symbol_lookup(regs->rip, &off, &size, &mod);

	if (name)
		printk(KERN_EMERG "RIP: %04lx:%s+%#lx/%#lx%s%s%s (%016lx)\n",
		       (unsigned long)regs->cs, name, (unsigned long)off,
		       (unsigned long)size, mod ? " [" : "", mod ? mod : "",
		       mod ? "]" : "", (unsigned long)regs->rip);
	else
		printk(KERN_EMERG "RIP: %04lx:%016lx (not kernel text)\n",
		       (unsigned long)regs->cs, (unsigned long)regs->rip);
	printk(KERN_EMERG "RSP: %04lx:%016lx EFLAGS: %08lx\n",
	       (unsigned long)regs->ss, (unsigned long)regs->rsp,
	       (unsigned long)regs->rflags);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n",
	       (unsigned long)regs->rax, (unsigned long)regs->rbx,
	       (unsigned long)regs->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n",
	       (unsigned long)regs->rdx, (unsigned long)regs->rsi,
	       (unsigned long)regs->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n",
	       (unsigned long)regs->rbp, (unsigned long)regs->r8,
	       (unsigned long)regs->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n",
	       (unsigned long)regs->r10, (unsigned long)regs->r11,
	       (unsigned long)regs->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n",
	       (unsigned long)regs->r13, (unsigned long)regs->r14,
	       (unsigned long)regs->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx\n",
	       (unsigned long)read_cr0(), (unsigned long)read_cr2());
	printk(KERN_EMERG "CR3: %016lx CR4: %016lx\n",
	       (unsigned long)read_cr3(), (unsigned long)read_cr4());
}

void show_regs(const struct pt_regs *regs)
{
	__show_regs(regs);
	show_trace_regs(regs);
}

static void __noreturn fatal_exception(struct pt_regs *regs)
{
	unsigned vector = regs->vector;
	const char *mnemonic = exceptions[vector].mnemonic;
	char decoded[96];

	/* A fault while reporting a fault: say the least, stop. */
	if (__atomic_fetch_add(&fatal_in_progress, 1, __ATOMIC_SEQ_CST)) {
		printk(KERN_EMERG "traps: vector %u at %016lx while reporting an exception\n",
		       vector, (unsigned long)regs->rip);
		machine_panic_halt();
	}
	decode_error(regs, decoded, sizeof(decoded));
	printk(KERN_EMERG "traps: %s%s%s%s vector %u error %#lx%s on CPU %u\n",
	       exceptions[vector].name, mnemonic ? " (" : "",
	       mnemonic ? mnemonic : "", mnemonic ? ")" : "", vector,
	       (unsigned long)regs->error_code, decoded, smp_processor_id());
	if (vector == X86_TRAP_PF)
		printk(KERN_EMERG "traps: page fault address %016lx\n",
		       (unsigned long)read_cr2());
	if (vector == X86_TRAP_DF &&
	    (stack_guard_hit(read_cr2()) || stack_guard_hit(regs->rsp))) {
		uint64_t lo, hi;

		cpu_stack(&lo, &hi);
		printk(KERN_EMERG "traps: kernel stack overflow: the guard page %016lx..%016lx was hit (RSP %016lx, CR2 %016lx)\n",
		       (unsigned long)(lo - PAGE_SIZE), (unsigned long)(lo - 1),
		       (unsigned long)regs->rsp, (unsigned long)read_cr2());
	}
	show_regs(regs);
	panic("Fatal exception");
}

static void spurious_interrupt(const struct pt_regs *regs)
{
	unsigned vector = regs->vector;
	uint8_t bit = 1u << (vector % 8);

	__atomic_fetch_add(&spurious_count, 1, __ATOMIC_RELAXED);
	if (__atomic_fetch_or(&spurious_reported[vector / 8], bit,
			      __ATOMIC_RELAXED) & bit)
		return;
	pr_warn("traps: spurious interrupt on vector %u (no handler registered) on CPU %u; further ones are only counted\n",
		vector, smp_processor_id());
}

/* Called by kernel/entry.asm with every vector's saved registers. */
__used void trap_dispatch(struct pt_regs *regs)
{
	unsigned vector = regs->vector;

	if (vector >= FIRST_EXTERNAL_VECTOR) {
		void (*fn)(struct pt_regs *) =
			READ_ONCE(interrupt_handlers[vector]);

		if (fn)
			fn(regs);
		else
			spurious_interrupt(regs);
		/* A switch asked for by the handler (tick, wake-up IPI). */
		irqentry_exit_cond_resched(regs);
		return;
	}
	if (vector == X86_TRAP_NMI) {
		bool handled;

		this_cpu_inc(nmi_depth);
		handled = nmi_handle(regs);
		this_cpu_dec(nmi_depth);
		if (handled)
			return;
	}
	/* The backtrace's guarded load faulted: resume at its fixup. */
	if ((vector == X86_TRAP_PF || vector == X86_TRAP_GP) &&
	    regs->rip == (uintptr_t)probe_read_u64_load) {
		regs->rip = (uintptr_t)probe_read_u64_fixup;
		return;
	}
	/* int3 leaves RIP after itself: returning resumes the next insn. */
	if (vector == X86_TRAP_BP) {
		__atomic_fetch_add(&int3_count, 1, __ATOMIC_RELAXED);
		return;
	}
	fatal_exception(regs);
}
