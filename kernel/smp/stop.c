/*
 * kernel/smp/stop.c - stopping the other CPUs on panic, and NMI
 * backtraces (Linux: arch/x86/kernel/smp.c native_stop_other_cpus(),
 * lib/nmi_backtrace.c).
 *
 * Why an NMI: the CPUs to stop may be spinning with interrupts off (that
 * may be why we panic), and only a non-maskable interrupt reaches them
 * (Intel SDM Vol. 3A, 6.7 "Nonmaskable Interrupt", 11.6.1 delivery mode
 * NMI).  The NMI gate runs on its own IST stack, so it works whatever the
 * interrupted stack looks like.
 *
 *	panicking CPU                     every other CPU
 *	"Kernel panic - not syncing"
 *	stop_requested = true
 *	NMI to each  ------------------>  nmi_handle(): take stop_report_lock,
 *	wait until all counted, or 1 s    "CPU n: stopped at RIP sym+off",
 *	with nothing printed              registers, Call Trace; release;
 *	"---[ end Kernel panic ..."       count itself; halt for good
 *
 * The stopped CPUs print one at a time under stop_report_lock; the
 * panicking CPU prints nothing while it waits.  One of them may have been
 * cut in the middle of printk(), holding console_lock for ever: in panic
 * mode kernel/printk.c takes console_lock with a bounded wait and then
 * writes without it (it "busts" the lock), so nobody hangs on it.
 *
 * trigger_cpu_backtrace() is the watchdog's: an NMI that makes the CPU
 * print its state and return to whatever it was doing.
 *
 * Simplification: a CPU that is already inside an NMI handler when the
 * stop NMI comes cannot take it (NMIs are blocked until its iret); the
 * panicking CPU stops waiting for it after STOP_WAIT_MS and says so.
 */
#include <kernel/apic.h>
#include <kernel/io.h>
#include <kernel/ksyms.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/traps.h>

/*
 * Without any progress.  A real CPU answers the NMI in microseconds; an
 * emulated one on a busy host may not run at all for seconds (TCG CPUs
 * on two host cores that other QEMUs also want: at a load of 5, bounds
 * of 3 s, then 4 s in all, cut the report of one CPU in three runs).
 * The wait costs only when a CPU never answers, so it is generous.
 */
#define STOP_WAIT_MS	10000
#define STOP_CAP_PER_CPU_MS	6000

static bool stop_requested;
static unsigned int cpus_stopped;
static DEFINE_SPINLOCK(stop_report_lock);
static DEFINE_PER_CPU(unsigned int, nmi_backtrace_request);

static void send_nmi(unsigned int cpu)
{
	apic_icr_write(APIC_DM_NMI | APIC_INT_ASSERT, per_cpu(cpu_apic_id, cpu));
}

static void print_stopped_at(unsigned int cpu, const struct pt_regs *regs)
{
	uint64_t off, size;
	const char *name = ksym_lookup_size(regs->rip, &off, &size);

	if (name)
		pr_emerg("CPU %u: stopped at RIP %s+%#lx/%#lx\n", cpu, name,
			 (unsigned long)off, (unsigned long)size);
	else
		pr_emerg("CPU %u: stopped at RIP %016lx (not kernel text)\n",
			 cpu, (unsigned long)regs->rip);
}

static void __noreturn stop_this_cpu(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();

	spin_lock(&stop_report_lock);
	print_stopped_at(cpu, regs);
	show_regs(regs);
	spin_unlock(&stop_report_lock);
	__atomic_fetch_add(&cpus_stopped, 1, __ATOMIC_RELEASE);
	/* NMIs stay blocked: we never iret.  Interrupts are off. */
	for (;;)
		halt();
}

bool nmi_handle(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();

	if (READ_ONCE(stop_requested) && READ_ONCE(panic_cpu) != (int)cpu)
		stop_this_cpu(regs);
	if (READ_ONCE(*this_cpu_ptr(&nmi_backtrace_request))) {
		pr_emerg("NMI backtrace for cpu %u\n", cpu);
		show_regs(regs);
		__atomic_store_n(this_cpu_ptr(&nmi_backtrace_request), 0,
				 __ATOMIC_RELEASE);
		return true;
	}
	return false;
}

void smp_send_stop(void)
{
	unsigned int me = smp_processor_id(), cpu, others = 0, seen = 0;
	uint64_t start, last_progress;
	size_t last_logged = printk_bytes_logged();

	if (num_online_cpus() <= 1)
		return;
	WRITE_ONCE(stop_requested, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		send_nmi(cpu);
		others++;
	}
	/*
	 * The wait ends STOP_WAIT_MS after the last sign of life, not after
	 * the NMIs: a report can take longer than that to draw on a slow
	 * framebuffer.  Progress is a CPU counting itself or any text
	 * logged.  An absolute cap keeps it bounded whatever happens.
	 */
	start = last_progress = ktime_get_ns();
	for (;;) {
		unsigned int now = __atomic_load_n(&cpus_stopped,
						   __ATOMIC_ACQUIRE);
		size_t logged = printk_bytes_logged();
		uint64_t t = ktime_get_ns();

		if (now >= others)
			break;
		if (now != seen || logged != last_logged) {
			seen = now;
			last_logged = logged;
			last_progress = t;
		}
		if (t - last_progress > STOP_WAIT_MS * 1000000ULL ||
		    t - start > (others + 1) * STOP_CAP_PER_CPU_MS * 1000000ULL)
			break;
		cpu_relax();
	}
	seen = __atomic_load_n(&cpus_stopped, __ATOMIC_ACQUIRE);
	pr_emerg("smp: stopped %u of %u other CPUs%s\n", seen, others,
		 seen < others ?
		 " (the rest did not finish within " __stringify(STOP_WAIT_MS) " ms of the last progress)" :
		 "");
}

bool trigger_cpu_backtrace(unsigned int cpu, unsigned int timeout_ms)
{
	unsigned int *req = per_cpu_ptr(&nmi_backtrace_request, cpu);
	uint64_t start;

	if (!cpu_online(cpu))
		return false;
	if (cpu == smp_processor_id()) {
		pr_emerg("NMI backtrace for cpu %u\n", cpu);
		dump_stack();
		return true;
	}
	__atomic_store_n(req, 1, __ATOMIC_RELEASE);
	send_nmi(cpu);
	start = ktime_get_ns();
	while (__atomic_load_n(req, __ATOMIC_ACQUIRE)) {
		if (ktime_get_ns() - start > timeout_ms * 1000000ULL)
			return false;
		cpu_relax();
	}
	return true;
}
