/* PLACEHOLDER: replaced by the mm work. */
#include <kernel/mm.h>
void mm_init(const struct boot_info *bi) { (void)bi; }
