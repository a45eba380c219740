/*
 * tests/fuzz/fuzz_cmdline.c - libFuzzer target for the command line:
 * the word splitter and the typed boot parameters (kernel/cmdline.c),
 * the kernel's glue that gives every declared parameter its value and
 * reports the rest (kernel/params.c), and the module parameters read
 * from the same line and from a load's own words (kernel/module/
 * params.c, parse_args()), all compiled unchanged.
 *
 * The input is the command line GRUB passes, as text; a NUL byte in it
 * ends the line, and what follows the first NUL is a load's parameters
 * ("modprobe kvm_intel nested=1 ...": parse_args()'s uargs).  Each
 * input runs what a boot runs: kernel_cmdline_init(), then
 * kernel_cmdline_report_unknown() and boot_params_print() (the params=1
 * listing), then parse_args() for two modules.
 *
 * Host shims, as small as the code allows:
 *   - the parameter table: BOOT_PARAM_*() put their descriptions in the
 *     section .kernel_params, which the kernel's linker script gathers.
 *     Here __BOOT_PARAM() is redefined to use a section with a C name,
 *     fuzz_boot_params, whose bounds the host linker provides as
 *     __start_/__stop_fuzz_boot_params (and which ASan leaves without
 *     redzones, so the descriptions lie back to back as in the kernel).
 *     params.c's own two parameters land there, and so do the stand-ins
 *     below: one of each type and shape the kernel declares (flags,
 *     numbers with bounds, a dotted key, strings free or checked by a
 *     take() function).  The kernel's other declarations live in files
 *     that need the whole kernel; these are their shapes, not them.
 *   - printk() formats into a buffer (formatting every message, so a
 *     bad argument is still caught) and drops it; kstrdup() is strdup(),
 *     and fail.alloc's load_alloc_fails() fails nothing.
 *   - two modules with a parameter of each type (int, uint, bool,
 *     charp), for parse_args().
 *
 * Checked: the words lie inside the parsed copy, keys are never empty,
 * a line without quotes gives the words a plain split at white space
 * gives (and E2BIG when it is too long or has too many),
 * each numeric parameter ends up within its bounds, a checked string
 * parameter holds a value its take() accepted (or its default), and
 * cmdline_parse_ulong() agrees with the C library's strtoull() on plain
 * decimal and hex numbers with and without a K/M/G suffix.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>

#include <kernel/cmdline.h>
#include <kernel/module.h>
#include <kernel/moduleparam.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include "../../kernel/module/internal.h"

#include "fuzz.h"

#undef __BOOT_PARAM
#define __BOOT_PARAM(ident, ...)					\
	static const struct boot_param __bparam_##ident __used		\
	__section("fuzz_boot_params") __aligned(8) = { __VA_ARGS__ }
#define __kernel_params_start	__start_fuzz_boot_params
#define __kernel_params_end	__stop_fuzz_boot_params

int console_loglevel;

int printk(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return n;
}

char *kstrdup(const char *s)
{
	return strdup(s);
}

/* fail.alloc (kernel/module/fault_inject.c) fails nothing here. */
bool load_alloc_fails(struct load_state *ls, const char *what)
{
	(void)ls;
	(void)what;
	return false;
}

#include "../../kernel/cmdline.c"
#include "../../kernel/params.c"

int parse_args(struct load_state *ls, const char *uargs);

/* ---- stand-ins for the kernel's declarations (see above) -------------- */

static bool take_choice(const char *value)
{
	return !strcmp(value, "parallel") || !strcmp(value, "serial");
}

static bool take_module_count(const char *value)
{
	const char *colon = strchr(value, ':');
	unsigned long n;

	return colon && colon != value && !cmdline_parse_ulong(colon + 1, &n);
}

BOOT_PARAM_FLAG(fuzz_poweroff, "poweroff", "a flag");
BOOT_PARAM_FLAG(fuzz_dotted_flag, "spinlock.ticket", "a dotted flag");
BOOT_PARAM_UINT(fuzz_maxcpus, "maxcpus", 1024, 0, 1024, "a bounded number");
BOOT_PARAM_UINT(fuzz_reserve, "percpu.reserve", 8192, 0, 1UL << 20,
		"a dotted number, K/M suffixes in range");
BOOT_PARAM_UINT(fuzz_rounds, "storm.rounds", 1, 1, 10000, "a number from 1");
BOOT_PARAM_UINT(fuzz_jitter, "storm.jitter", 0, 0, 1000000, "a large range");
BOOT_PARAM_UINT(fuzz_full, "fuzz.full", 0, 0, ~0UL, "the whole range");
BOOT_PARAM_STRING(fuzz_list, "storm", NULL, NULL, NULL, "free text");
BOOT_PARAM_STRING(fuzz_choice, "smpboot", "parallel", take_choice,
		  "parallel|serial", "a choice");
BOOT_PARAM_STRING(fuzz_spec, "fail.init", NULL, take_module_count,
		  "<module>:<n>", "a checked spec");

/* ---- modules for parse_args() ------------------------------------------ */

static int p_int;
static unsigned int p_uint;
static bool p_bool;
static char *p_charp;

static const struct kernel_param module_params[] = {
	{ .name = "nested", .type = PARAM_INT, .arg = &p_int },
	{ .name = "count", .type = PARAM_UINT, .arg = &p_uint },
	{ .name = "ept", .type = PARAM_BOOL, .arg = &p_bool },
	{ .name = "name", .type = PARAM_CHARP, .arg = &p_charp },
};

static struct module fuzz_modules[2];

/* ---- checks ------------------------------------------------------------- */

/* strtoull() as the model of cmdline_parse_ulong() where both apply:
 * [0x]digits[K|M|G], nothing else.  -1: not a plain number. */
static int model_ulong(const char *s, unsigned long *out)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s, *p = digits;
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
		p++;
	if (p == digits)
		return -1;
	if (*p) {
		if (p[1])
			return -1;
		switch (*p) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: return -1;
		}
	}
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno == ERANGE || v > ~0UL || (shift && v > (~0UL >> shift)))
		return -ERANGE;
	*out = (unsigned long)v << shift;
	return 0;
}

static void check_ulong(const char *s)
{
	unsigned long got = 0, want = 0;
	int ret = cmdline_parse_ulong(s, &got), model = model_ulong(s, &want);

	if (model == -1)
		return;
	fuzz_check(ret == model);
	fuzz_check(ret || got == want);
}

/*
 * Without quotes, the words are the text split at spaces, tabs, CR and
 * LF, each a key up to its first '=' and the value after it: the
 * splitting done again here, simply, and compared.
 */
static void check_words(const char *text, int ret)
{
	size_t len = strlen(text);
	int n = 0;

	if (strchr(text, '"'))
		return;
	if (len >= CMDLINE_MAX_LEN) {
		fuzz_check(ret == -E2BIG && kernel_cmdline.count == 0);
		return;
	}
	for (const char *p = text; *p;) {
		size_t word, key;

		p += strspn(p, " \t\r\n");
		if (!*p)
			break;
		word = strcspn(p, " \t\r\n");
		key = strcspn(p, "= \t\r\n");
		if (n == CMDLINE_MAX_PARAMS) {
			fuzz_check(ret == -E2BIG);
			return;
		}
		if (key == 0) {
			fuzz_check(ret == -EINVAL && kernel_cmdline.count == n);
			return;
		}
		fuzz_check(n < kernel_cmdline.count);
		fuzz_check(strlen(kernel_cmdline.params[n].key) == key &&
			   !memcmp(kernel_cmdline.params[n].key, p, key));
		if (key == word) {
			fuzz_check(kernel_cmdline.params[n].value == NULL);
		} else {
			const char *v = kernel_cmdline.params[n].value;

			fuzz_check(v && strlen(v) == word - key - 1 &&
				   !memcmp(v, p + key + 1, word - key - 1));
		}
		n++;
		p += word;
	}
	fuzz_check(ret == 0 && kernel_cmdline.count == n);
}

static bool in_buf(const char *p)
{
	return p >= kernel_cmdline.buf &&
	       p < kernel_cmdline.buf + sizeof(kernel_cmdline.buf);
}

static void check_params(void)
{
	fuzz_check(kernel_cmdline.count >= 0 &&
		   kernel_cmdline.count <= CMDLINE_MAX_PARAMS);
	for (int i = 0; i < kernel_cmdline.count; i++) {
		const struct cmdline_param *cp = &kernel_cmdline.params[i];

		fuzz_check(in_buf(cp->key) && *cp->key);
		fuzz_check(!cp->value || in_buf(cp->value));
		if (cp->value)
			check_ulong(cp->value);
	}
	for_each_boot_param(p) {
		const char *s;

		switch (p->type) {
		case BOOT_PARAM_FLAG:
			break;
		case BOOT_PARAM_UINT:
			fuzz_check(*(unsigned long *)p->var >= p->min &&
				   *(unsigned long *)p->var <= p->max);
			break;
		case BOOT_PARAM_STRING:
			/* The value given (a bare key gives cmdline_find()'s
			 * "", not a word of the copy), or the default. */
			s = *(const char **)p->var;
			fuzz_check(s == p->def_str || ((in_buf(s) || !*s) &&
				   (!p->take || p->take(s))));
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	const char *uargs, *why;

	if (!text)
		return 0;
	uargs = memchr(data, '\0', size) ? text + strlen(text) + 1 : NULL;
	nr_bad_values = 0;	/* a boot parses its line once */
	kernel_cmdline_init(text);
	check_params();
	/* The splitting alone, with its result (kernel_cmdline_init() only
	 * reports it); the same words again. */
	check_words(text, cmdline_parse(&kernel_cmdline, text, &why));
	kernel_cmdline_report_unknown();
	boot_params_print();
	boot_param_given(&fuzz_maxcpus);

	for (size_t i = 0; i < ARRAY_SIZE(fuzz_modules); i++) {
		struct module *mod = &fuzz_modules[i];

		memset(mod, 0, sizeof(*mod));
		strlcpy(mod->name, i ? "kvm" : "kvm_intel", sizeof(mod->name));
		mod->kp = module_params;
		mod->num_kp = ARRAY_SIZE(module_params);
		p_charp = NULL;
		/* A charp points into the line, into the load's copy of its
		 * words, or (a bare key) at "". */
		if (!parse_args(&(struct load_state){ .mod = mod }, uargs) && p_charp)
			fuzz_check(in_buf(p_charp) || !*p_charp ||
				   (mod->args && p_charp >= mod->args &&
				    p_charp <= mod->args + strlen(uargs)));
		free(mod->args);
	}
	free(text);
	return 0;
}
