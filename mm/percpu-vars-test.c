/*
 * mm/percpu-vars-test.c - KTAP suite "percpu": per-CPU variables as the
 * running kernel sees them, after setup_per_cpu_areas().
 *
 * Only the boot CPU exists today, so the N-CPU arithmetic is also checked
 * on a scratch instance: three units made with kmalloc, filled by the same
 * pcpu_fill_offsets() the real setup uses.  The pure layout arithmetic is
 * tested on the host too (tests/host/test_percpu_layout.c).
 */
#include <kernel/cmdline.h>
#include <kernel/io.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>

static DEFINE_PER_CPU(uint8_t, pcpu_test_u8);
static DEFINE_PER_CPU(uint16_t, pcpu_test_u16);
static DEFINE_PER_CPU(uint32_t, pcpu_test_u32);
static DEFINE_PER_CPU(uint64_t, pcpu_test_u64);
static DEFINE_PER_CPU(unsigned int, pcpu_test_marker) = 0x5eed1234;

#define SCRATCH_CPUS	3

static size_t template_offset(const void *var)
{
	return (size_t)((const char *)var - __per_cpu_start);
}

static void test_unit_distance(struct ktest *t)
{
	unsigned int a, b;

	for_each_possible_cpu(a) {
		char *pa = (char *)per_cpu_ptr(&pcpu_test_u32, a);

		KTEST_EXPECT_TRUE(t, pcpu_unit_base[a] != NULL);
		KTEST_EXPECT_EQ(t, pa, (char *)pcpu_unit_base[a] +
				       template_offset(&pcpu_test_u32));
		for_each_possible_cpu(b) {
			char *pb = (char *)per_cpu_ptr(&pcpu_test_u32, b);

			KTEST_EXPECT_EQ(t, pa - pb,
					(long)(__per_cpu_offset[a] -
					       __per_cpu_offset[b]));
		}
	}
}

static void test_scratch_instance(struct ktest *t)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);
	unsigned long offsets[SCRATCH_CPUS];
	void *units[SCRATCH_CPUS] = { NULL };
	unsigned int c;

	for (c = 0; c < SCRATCH_CPUS; c++) {
		units[c] = kmalloc(size);
		if (!units[c]) {
			ktest_fail(t, __FILE__, __LINE__, "kmalloc(%zu)", size);
			goto out;
		}
		memcpy(units[c], __per_cpu_start, size);
	}
	pcpu_fill_offsets(offsets, units, SCRATCH_CPUS, __per_cpu_start);
	for (c = 0; c < SCRATCH_CPUS; c++) {
		unsigned int *m = SHIFT_PERCPU_PTR(&pcpu_test_marker,
						   offsets[c]);

		KTEST_EXPECT_EQ(t, (char *)m, (char *)units[c] +
				template_offset(&pcpu_test_marker));
		KTEST_EXPECT_EQ(t, *m, 0x5eed1234);
		*m = c;		/* each scratch CPU's own copy */
	}
	for (c = 0; c < SCRATCH_CPUS; c++) {
		unsigned int *m = SHIFT_PERCPU_PTR(&pcpu_test_marker,
						   offsets[c]);

		KTEST_EXPECT_EQ(t, *m, c);
		KTEST_EXPECT_EQ(t, (long)(offsets[c] - offsets[0]),
				(char *)units[c] - (char *)units[0]);
	}
out:
	for (c = 0; c < SCRATCH_CPUS; c++)
		kfree(units[c]);
}

static void test_first_chunk_layout(struct ktest *t)
{
	const struct pcpu_layout *l = &pcpu_first_chunk_layout;

	KTEST_EXPECT_TRUE(t, l->static_size >=
			  (size_t)(__per_cpu_end - __per_cpu_start));
	/* percpu.reserve= (within 1 MiB), else Linux's default. */
	KTEST_EXPECT_EQ(t, l->reserved_size,
			ALIGN_UP(percpu_reserve, 4UL));
	KTEST_EXPECT_TRUE(t, l->dyn_size >= PERCPU_DYNAMIC_RESERVE);
	KTEST_EXPECT_EQ(t, l->static_size + l->reserved_size + l->dyn_size,
			l->unit_size);
	KTEST_EXPECT_EQ(t, l->unit_size, PAGE_SIZE << l->unit_order);
}

static void test_read_write(struct ktest *t)
{
	unsigned int cpu = smp_processor_id();

	this_cpu_write(pcpu_test_u8, 0xa5);
	this_cpu_write(pcpu_test_u16, 0xbeef);
	this_cpu_write(pcpu_test_u32, 0xdeadbeef);
	this_cpu_write(pcpu_test_u64, 0x0123456789abcdefULL);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u8), 0xa5);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u16), 0xbeef);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u32), 0xdeadbeef);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u64),
			0x0123456789abcdefULL);
	KTEST_EXPECT_EQ(t, per_cpu(pcpu_test_u8, cpu), 0xa5);
	KTEST_EXPECT_EQ(t, per_cpu(pcpu_test_u16, cpu), 0xbeef);
	KTEST_EXPECT_EQ(t, per_cpu(pcpu_test_u32, cpu), 0xdeadbeef);
	KTEST_EXPECT_EQ(t, per_cpu(pcpu_test_u64, cpu),
			0x0123456789abcdefULL);
	KTEST_EXPECT_EQ(t, this_cpu_ptr(&pcpu_test_u64),
			per_cpu_ptr(&pcpu_test_u64, cpu));
	/* And the other way: a store through the pointer, read by %gs. */
	*per_cpu_ptr(&pcpu_test_u32, cpu) = 42;
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u32), 42);
}

static void test_add_inc(struct ktest *t)
{
	this_cpu_write(pcpu_test_u8, 250);
	this_cpu_add(pcpu_test_u8, 10);		/* wraps at 8 bits */
	this_cpu_inc(pcpu_test_u8);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u8), 5);

	this_cpu_write(pcpu_test_u16, 0xfffe);
	this_cpu_inc(pcpu_test_u16);
	this_cpu_inc(pcpu_test_u16);		/* wraps at 16 bits */
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u16), 0);

	this_cpu_write(pcpu_test_u32, 0xffffffff);
	this_cpu_add(pcpu_test_u32, 3);
	this_cpu_dec(pcpu_test_u32);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u32), 1);

	this_cpu_write(pcpu_test_u64, 0xffffffffULL);
	this_cpu_inc(pcpu_test_u64);		/* carries past 32 bits */
	this_cpu_add(pcpu_test_u64, 0x100000000ULL);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_u64), 0x200000000ULL);
}

static void test_template_unchanged(struct ktest *t)
{
	this_cpu_write(pcpu_test_marker, 7);
	KTEST_EXPECT_EQ(t, this_cpu_read(pcpu_test_marker), 7);
	/* The plain name, without %gs, is the template in the image. */
	KTEST_EXPECT_EQ(t, READ_ONCE(pcpu_test_marker), 0x5eed1234);
}

static void test_boot_cpu(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, smp_processor_id(), 0);
	KTEST_EXPECT_NE(t, __per_cpu_offset[0], 0);
	KTEST_EXPECT_EQ(t, rdmsr(MSR_GS_BASE), __per_cpu_offset[0]);
	KTEST_EXPECT_EQ(t, this_cpu_read(this_cpu_off), __per_cpu_offset[0]);
	KTEST_EXPECT_TRUE(t, cpu_possible(0));
	KTEST_EXPECT_TRUE(t, cpu_online(0));
	KTEST_EXPECT_EQ(t, num_possible_cpus(), nr_cpu_ids);
	KTEST_EXPECT_FALSE(t, cpu_possible(NR_CPUS));
}

static struct ktest_case percpu_cases[] = {
	KTEST_CASE(test_unit_distance),
	KTEST_CASE(test_scratch_instance),
	KTEST_CASE(test_first_chunk_layout),
	KTEST_CASE(test_read_write),
	KTEST_CASE(test_add_inc),
	KTEST_CASE(test_template_unchanged),
	KTEST_CASE(test_boot_cpu),
	{}
};
KTEST_SUITE(percpu, percpu_cases);
