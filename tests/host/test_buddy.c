/*
 * tests/host/test_buddy.c - the buddy allocator (mm/buddy.c) against a
 * brute-force model.
 *
 * The model is one byte per page: free, allocated, or unmanaged.  Long
 * random sequences of allocations (random orders) and frees run against
 * both; after every step the allocator's answer must be possible (aligned,
 * managed, all pages free in the model), its free count exact, and its
 * free lists must describe exactly the model's free pages.  When
 * everything is freed, the lists must be back to the blocks they held at
 * the start (full coalescing).  Mistaken frees must be reported and change
 * nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/buddy.c"

enum { M_UNMANAGED, M_FREE, M_USED };

#define BASE_PFN	0x1000	/* not zero, so indices and pfns differ */
#define NPAGES		6000

struct harness {
	struct buddy b;
	struct page *pages;
	uint8_t model[NPAGES];
	uint64_t model_free;
};

struct alloc_rec {
	uint64_t pfn;
	unsigned int order;
};

static void add(struct harness *h, uint64_t s, uint64_t e)
{
	uint64_t n = buddy_add_range(&h->b, BASE_PFN + s, BASE_PFN + e);
	uint64_t expect = 0;

	for (uint64_t i = s; i < e && i < NPAGES; i++) {
		if (h->model[i] == M_UNMANAGED) {
			h->model[i] = M_FREE;
			h->model_free++;
			expect++;
		}
	}
	assert_int_equal(n, expect);
}

static struct harness *setup_harness(void)
{
	struct harness *h = calloc(1, sizeof(*h));

	h->pages = malloc(NPAGES * sizeof(struct page));
	buddy_init(&h->b, h->pages, BASE_PFN, NPAGES);
	/* Holes, an odd start, an unaligned end, an overlapping add. */
	add(h, 3, 1000);
	add(h, 1200, 4097);
	add(h, 4000, 5999);
	add(h, 900, 1100);
	return h;
}

static void free_harness(struct harness *h)
{
	free(h->pages);
	free(h);
}

/* The free lists must describe exactly the model's free pages. */
static void check_lists(struct harness *h)
{
	static uint8_t seen[NPAGES];
	uint64_t total = 0;

	memset(seen, 0, sizeof(seen));
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		uint64_t blocks = 0;
		uint32_t prev = BUDDY_NONE;

		for (uint32_t i = h->b.free_head[o]; i != BUDDY_NONE;
		     i = h->pages[i].next) {
			uint64_t pfn = BASE_PFN + i;

			assert_true(h->pages[i].flags & PG_buddy);
			assert_int_equal(h->pages[i].order, o);
			assert_int_equal(h->pages[i].prev, prev);
			assert_int_equal(pfn & ((1ULL << o) - 1), 0);
			assert_true(i + (1ULL << o) <= NPAGES);
			for (uint64_t k = i; k < i + (1ULL << o); k++) {
				assert_int_equal(h->model[k], M_FREE);
				assert_int_equal(seen[k], 0);
				seen[k] = 1;
			}
			/* A free block's free buddy would have been merged. */
			if (o < MAX_ORDER) {
				uint64_t bud = pfn ^ (1ULL << o);

				if (pfn_valid(&h->b, bud)) {
					struct page *bp = pfn_page(&h->b, bud);

					assert_false((bp->flags & PG_buddy) &&
						     bp->order == o);
				}
			}
			prev = i;
			blocks++;
			total += 1ULL << o;
		}
		assert_int_equal(blocks, h->b.nr_free[o]);
	}
	assert_int_equal(total, h->model_free);
	assert_int_equal(h->b.free_pages, h->model_free);
	for (uint64_t k = 0; k < NPAGES; k++)
		assert_int_equal(seen[k], h->model[k] == M_FREE);
}

static bool model_can_fit(struct harness *h, unsigned int order)
{
	/* Could any aligned block of this order be wholly free? */
	for (uint64_t pfn = BASE_PFN; pfn + (1ULL << order) <=
	     BASE_PFN + NPAGES; pfn += 1ULL << order) {
		bool ok = true;

		for (uint64_t k = 0; k < (1ULL << order) && ok; k++)
			ok = h->model[pfn - BASE_PFN + k] == M_FREE;
		if (ok)
			return true;
	}
	return false;
}

static void test_initial_state(void **state)
{
	struct harness *h = setup_harness();

	(void)state;
	check_lists(h);
	assert_int_equal(h->b.managed_pages, h->model_free);
	free_harness(h);
}

static void run_random(unsigned int seed, int steps)
{
	struct harness *h = setup_harness();
	struct alloc_rec *live = calloc(NPAGES, sizeof(*live));
	uint64_t initial_nr_free[MAX_ORDER + 1];
	int nlive = 0;

	srand(seed);
	memcpy(initial_nr_free, h->b.nr_free, sizeof(initial_nr_free));
	for (int step = 0; step < steps; step++) {
		/* Phases: mostly allocate, then mostly free, repeatedly. */
		bool alloc_phase = (step / 500) % 2 == 0;
		bool do_alloc = nlive == 0 ||
				(rand() % 100) < (alloc_phase ? 70 : 30);

		if (do_alloc) {
			/* Small orders more often, as in real use. */
			unsigned int order = (unsigned int)(rand() % 4 == 0 ?
				rand() % (MAX_ORDER + 1) : rand() % 3);
			uint64_t pfn = buddy_alloc(&h->b, order);

			if (pfn == BUDDY_NO_PAGE) {
				assert_false(model_can_fit(h, order));
			} else {
				assert_int_equal(pfn & ((1ULL << order) - 1), 0);
				assert_true(pfn >= BASE_PFN);
				assert_true(pfn + (1ULL << order) <=
					    BASE_PFN + NPAGES);
				for (uint64_t k = 0; k < (1ULL << order); k++) {
					uint8_t *m = &h->model[pfn - BASE_PFN + k];

					assert_int_equal(*m, M_FREE);
					*m = M_USED;
				}
				h->model_free -= 1ULL << order;
				live[nlive++] = (struct alloc_rec){ pfn, order };
			}
		} else {
			int i = rand() % nlive;
			struct alloc_rec r = live[i];

			assert_int_equal(buddy_free(&h->b, r.pfn, r.order),
					 BUDDY_OK);
			for (uint64_t k = 0; k < (1ULL << r.order); k++)
				h->model[r.pfn - BASE_PFN + k] = M_FREE;
			h->model_free += 1ULL << r.order;
			live[i] = live[--nlive];
		}
		check_lists(h);
	}
	while (nlive > 0) {
		struct alloc_rec r = live[--nlive];

		assert_int_equal(buddy_free(&h->b, r.pfn, r.order), BUDDY_OK);
		for (uint64_t k = 0; k < (1ULL << r.order); k++)
			h->model[r.pfn - BASE_PFN + k] = M_FREE;
		h->model_free += 1ULL << r.order;
	}
	check_lists(h);
	/* Fully coalesced: the same blocks as at the start. */
	assert_memory_equal(initial_nr_free, h->b.nr_free,
			    sizeof(initial_nr_free));
	free(live);
	free_harness(h);
}

static void test_random_sequences(void **state)
{
	(void)state;
	for (unsigned int seed = 1; seed <= 8; seed++)
		run_random(seed, 4000);
}

static void test_exhaust_and_refill(void **state)
{
	struct harness *h = setup_harness();
	uint64_t total = h->b.free_pages, got = 0, pfn;
	uint64_t *pfns = malloc(NPAGES * sizeof(*pfns));

	(void)state;
	while ((pfn = buddy_alloc(&h->b, 0)) != BUDDY_NO_PAGE)
		pfns[got++] = pfn;
	assert_int_equal(got, total);
	assert_int_equal(h->b.free_pages, 0);
	for (uint64_t i = 0; i < got; i++)
		assert_int_equal(buddy_free(&h->b, pfns[i], 0), BUDDY_OK);
	assert_int_equal(h->b.free_pages, total);
	free(pfns);
	free_harness(h);
}

static void test_bad_frees(void **state)
{
	struct harness *h = setup_harness();
	uint64_t pfn, before;

	(void)state;
	pfn = buddy_alloc(&h->b, 2);
	assert_true(pfn != BUDDY_NO_PAGE);
	before = h->b.free_pages;
	/* Inside an allocated block; wrong order. */
	assert_int_equal(buddy_free(&h->b, pfn + 1, 0), BUDDY_NOT_HEAD);
	assert_int_equal(buddy_free(&h->b, pfn, 1), BUDDY_BAD_ORDER);
	assert_int_equal(buddy_free(&h->b, pfn, MAX_ORDER + 1),
			 BUDDY_UNMANAGED);
	assert_int_equal(h->b.free_pages, before);
	assert_int_equal(buddy_free(&h->b, pfn, 2), BUDDY_OK);
	before = h->b.free_pages;
	/* Double free: the block was merged away, still detected. */
	assert_int_equal(buddy_free(&h->b, pfn, 2), BUDDY_DOUBLE_FREE);
	assert_int_equal(buddy_free(&h->b, pfn + 2, 0), BUDDY_DOUBLE_FREE);
	assert_int_equal(h->b.free_pages, before);
	/* Unmanaged: a hole, below the array, above it. */
	assert_int_equal(buddy_free(&h->b, BASE_PFN + 1100, 0),
			 BUDDY_UNMANAGED);
	assert_int_equal(buddy_free(&h->b, BASE_PFN - 1, 0), BUDDY_UNMANAGED);
	assert_int_equal(buddy_free(&h->b, BASE_PFN + NPAGES, 0),
			 BUDDY_UNMANAGED);
	assert_int_equal(h->b.free_pages, before);
	assert_string_equal(buddy_strerror(BUDDY_DOUBLE_FREE), "double free");
	free_harness(h);
}

static void test_order_too_big(void **state)
{
	struct harness *h = setup_harness();

	(void)state;
	assert_int_equal(buddy_alloc(&h->b, MAX_ORDER + 1), BUDDY_NO_PAGE);
	free_harness(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_state),
		cmocka_unit_test(test_random_sequences),
		cmocka_unit_test(test_exhaust_and_refill),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_order_too_big),
	};

	return cmocka_run_group_tests_name("buddy", tests, NULL, NULL);
}
