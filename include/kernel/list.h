/*
 * include/kernel/list.h - circular doubly linked lists, and their RCU
 * variants (Linux: include/linux/list.h, include/linux/rculist.h).
 *
 * A list is a struct list_head embedded in each element; the head is one
 * more list_head that is never an element.  An empty list's head points
 * at itself both ways, so insertion and removal never test for NULL:
 *
 *	head <-> a <-> b <-> c <-> (back to head)
 *
 * container_of() turns a list_head pointer back into its element.
 *
 * The _rcu forms let readers walk a list while one writer (holding the
 * writer's lock) changes it.  A reader sees either the old or the new
 * list, never a half-made element, because:
 *   - list_add_rcu() fills in the new element's pointers first and only
 *     then publishes it with a release store of the predecessor's ->next
 *     (rcu_assign_pointer), so whoever loads that pointer sees the fields;
 *   - list_del_rcu() unlinks the element but leaves its ->next alone, so a
 *     reader standing on it still finds its way on; the element may be
 *     freed only after synchronize_rcu() (kernel/rcu/update.c);
 *   - list_for_each_entry_rcu() loads each ->next once (READ_ONCE, a
 *     dependency-ordered load, which x86 and every CPU but Alpha keeps in
 *     order).
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <kernel/compiler.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

/* Poison left in a deleted element's pointers: a use faults loudly. */
#define LIST_POISON1		((struct list_head *)0xdead000000000100UL)
#define LIST_POISON2		((struct list_head *)0xdead000000000122UL)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	list->prev = list;
}

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	WRITE_ONCE(prev->next, new);
}

/* Insert after head (a stack). */
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}

/* Insert before head, at the end (a queue). */
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}

static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	WRITE_ONCE(prev->next, next);
}

static inline void list_del(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

/* Unlink and make the entry an empty list of its own (list_empty true). */
static inline void list_del_init(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	INIT_LIST_HEAD(entry);
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

/* Empty, and no other CPU is half-way through changing it. */
static inline bool list_empty_careful(const struct list_head *head)
{
	struct list_head *next = READ_ONCE(head->next);

	return next == head && next == READ_ONCE(head->prev);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member)				\
	list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member)					\
	list_entry((pos)->member.next, __typeof__(*(pos)), member)

#define list_for_each(pos, head)					\
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define list_for_each_entry(pos, head, member)				\
	for ((pos) = list_first_entry(head, __typeof__(*(pos)), member); \
	     &(pos)->member != (head);					\
	     (pos) = list_next_entry(pos, member))

/* As list_for_each_entry, but pos may be deleted inside the loop. */
#define list_for_each_entry_safe(pos, n, head, member)			\
	for ((pos) = list_first_entry(head, __typeof__(*(pos)), member), \
	     (n) = list_next_entry(pos, member);			\
	     &(pos)->member != (head);					\
	     (pos) = (n), (n) = list_next_entry(n, member))

/* ---- RCU ------------------------------------------------------------ */

/* Publish p: every store before it is visible to whoever loads it. */
#define rcu_assign_pointer(p, v)					\
	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
/* Load a pointer a writer may be publishing (see the header comment). */
#define rcu_dereference(p)	READ_ONCE(p)

static inline void __list_add_rcu(struct list_head *new,
				  struct list_head *prev,
				  struct list_head *next)
{
	new->next = next;
	new->prev = prev;
	rcu_assign_pointer(prev->next, new);
	next->prev = new;
}

static inline void list_add_rcu(struct list_head *new, struct list_head *head)
{
	__list_add_rcu(new, head, head->next);
}

static inline void list_add_tail_rcu(struct list_head *new,
				     struct list_head *head)
{
	__list_add_rcu(new, head->prev, head);
}

/* Unlink; ->next is kept for readers still on the entry (no poison). */
static inline void list_del_rcu(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	entry->prev = LIST_POISON2;
}

#define list_entry_rcu(ptr, type, member)				\
	container_of(READ_ONCE(ptr), type, member)

#define list_for_each_entry_rcu(pos, head, member)			\
	for ((pos) = list_entry_rcu((head)->next, __typeof__(*(pos)), member); \
	     &(pos)->member != (head);					\
	     (pos) = list_entry_rcu((pos)->member.next,		\
				    __typeof__(*(pos)), member))

#endif
