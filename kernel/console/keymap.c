/*
 * kernel/console/keymap.c - scan code set 1 into bytes, for the line
 * editor (include/kernel/keymap.h says what each key sends).
 *
 * Pure: compiled into the kernel (kernel/console/i8042.c feeds it what
 * the keyboard sends) and into tests/host/test_keymap.c.
 *
 * The codes are those of Microsoft's "Keyboard Scan Code Specification"
 * (revision 1.3a, 2000), set 1 column, for the US 101/102-key layout.
 * Each byte is classified (classify()) into what kind of key it is; a
 * press then sends that key's bytes (press()) and a release only matters
 * for the modifiers and the lock keys (release()).
 *
 * Simplifications: one layout; no dead keys or compose; Shift does not
 * undo Num Lock on the keypad; Alt prefixes ESC to characters only, not
 * to the arrows' sequences; AltGr is a second Alt.
 */
#include <kernel/keymap.h>
#include <kernel/string.h>

#define ESC		0x1b
#define DEL		0x7f
#define BREAK		0x80	/* make | BREAK: the key was released */
#define PREFIX_E0	0xe0
#define PREFIX_E1	0xe1
#define E1_SEQ_REST	2	/* E1 1D 45 (press) and E1 9D C5 (release) */

/*
 * The character keys, row by row as they lie on the keyboard: their set 1
 * codes follow one another along a row.
 */
static const struct key_row {
	uint8_t first;
	const char *plain;
	const char *shifted;
} rows[] = {
	{ 0x02, "1234567890-=", "!@#$%^&*()_+" },
	{ 0x10, "qwertyuiop[]", "QWERTYUIOP{}" },
	{ 0x1e, "asdfghjkl;'`", "ASDFGHJKL:\"~" },
	{ 0x2b, "\\zxcvbnm,./", "|ZXCVBNM<>?" },
	{ 0x39, " ", " " },
	/* The 102nd key, beside left Shift on ISO keyboards. */
	{ 0x56, "<", ">" },
};

/* The navigation keys, as a VT220 (and xterm) sends them. */
enum nav_key {
	NAV_NONE, NAV_UP, NAV_DOWN, NAV_RIGHT, NAV_LEFT, NAV_HOME, NAV_END,
	NAV_INSERT, NAV_DELETE, NAV_PAGE_UP, NAV_PAGE_DOWN,
};

static const char *const nav_seq[] = {
	[NAV_NONE] = "",
	[NAV_UP] = "\x1b[A",
	[NAV_DOWN] = "\x1b[B",
	[NAV_RIGHT] = "\x1b[C",
	[NAV_LEFT] = "\x1b[D",
	[NAV_HOME] = "\x1b[H",
	[NAV_END] = "\x1b[F",
	[NAV_INSERT] = "\x1b[2~",
	[NAV_DELETE] = "\x1b[3~",
	[NAV_PAGE_UP] = "\x1b[5~",
	[NAV_PAGE_DOWN] = "\x1b[6~",
};

/* The keypad from 7 (0x47) to . (0x53): with Num Lock, and without. */
#define KEYPAD_FIRST	0x47
static const char keypad_num[] = "789-456+1230.";
static const uint8_t keypad_nav[] = {
	NAV_HOME, NAV_UP, NAV_PAGE_UP, NAV_NONE, NAV_LEFT, NAV_NONE,
	NAV_RIGHT, NAV_NONE, NAV_END, NAV_DOWN, NAV_PAGE_DOWN, NAV_INSERT,
	NAV_DELETE,
};

enum key_kind {
	KEY_UNKNOWN,
	KEY_SILENT,	/* known, sends nothing: F1, Scroll Lock, ... */
	KEY_CHAR,	/* value: the row; index: where in it */
	KEY_BYTE,	/* value: the one byte it sends */
	KEY_NAV,	/* value: enum nav_key */
	KEY_KEYPAD,	/* value: code - KEYPAD_FIRST */
	KEY_MODIFIER,	/* value: KEYMAP_LSHIFT ... */
	KEY_CAPS_LOCK,
	KEY_NUM_LOCK,
};

struct key {
	enum key_kind kind;
	uint8_t value;
	uint8_t index;
};

static struct key key_of(enum key_kind kind, uint8_t value)
{
	return (struct key){ .kind = kind, .value = value };
}

/* The keys without the prefix E0, their code without the break bit. */
static struct key classify_plain(uint8_t code)
{
	for (size_t r = 0; r < ARRAY_SIZE(rows); r++) {
		size_t len = strlen(rows[r].plain);

		if (code >= rows[r].first && code < rows[r].first + len)
			return (struct key){
				.kind = KEY_CHAR,
				.value = (uint8_t)r,
				.index = (uint8_t)(code - rows[r].first),
			};
	}
	switch (code) {
	case 0x01: return key_of(KEY_BYTE, ESC);
	case 0x0e: return key_of(KEY_BYTE, DEL);	/* Backspace */
	case 0x0f: return key_of(KEY_BYTE, '\t');
	case 0x1c: return key_of(KEY_BYTE, '\r');
	case 0x37: return key_of(KEY_BYTE, '*');	/* keypad */
	case 0x1d: return key_of(KEY_MODIFIER, KEYMAP_LCTRL);
	case 0x2a: return key_of(KEY_MODIFIER, KEYMAP_LSHIFT);
	case 0x36: return key_of(KEY_MODIFIER, KEYMAP_RSHIFT);
	case 0x38: return key_of(KEY_MODIFIER, KEYMAP_LALT);
	case 0x3a: return key_of(KEY_CAPS_LOCK, 0);
	case 0x45: return key_of(KEY_NUM_LOCK, 0);
	case 0x3b ... 0x44:	/* F1 - F10 */
	case 0x46:		/* Scroll Lock */
	case 0x54:		/* SysRq: Alt + Print Screen */
	case 0x57:		/* F11 */
	case 0x58:		/* F12 */
		return key_of(KEY_SILENT, 0);
	case KEYPAD_FIRST ... KEYPAD_FIRST + sizeof(keypad_num) - 2:
		return key_of(KEY_KEYPAD, code - KEYPAD_FIRST);
	}
	return key_of(KEY_UNKNOWN, 0);
}

/* The keys after E0: the 101-key keyboard's additions. */
static struct key classify_e0(uint8_t code)
{
	switch (code) {
	case 0x1c: return key_of(KEY_BYTE, '\r');	/* keypad Enter */
	case 0x35: return key_of(KEY_BYTE, '/');	/* keypad / */
	case 0x1d: return key_of(KEY_MODIFIER, KEYMAP_RCTRL);
	case 0x38: return key_of(KEY_MODIFIER, KEYMAP_RALT);
	case 0x47: return key_of(KEY_NAV, NAV_HOME);
	case 0x48: return key_of(KEY_NAV, NAV_UP);
	case 0x49: return key_of(KEY_NAV, NAV_PAGE_UP);
	case 0x4b: return key_of(KEY_NAV, NAV_LEFT);
	case 0x4d: return key_of(KEY_NAV, NAV_RIGHT);
	case 0x4f: return key_of(KEY_NAV, NAV_END);
	case 0x50: return key_of(KEY_NAV, NAV_DOWN);
	case 0x51: return key_of(KEY_NAV, NAV_PAGE_DOWN);
	case 0x52: return key_of(KEY_NAV, NAV_INSERT);
	case 0x53: return key_of(KEY_NAV, NAV_DELETE);
	/* The "fake shifts" a keyboard sends around the navigation keys
	 * (so that an old driver sees Shift up while Num Lock is on):
	 * ignored, so Shift stays what the fingers hold. */
	case 0x2a:
	case 0x36:
	case 0x37:		/* Print Screen */
	case 0x46:		/* Ctrl + Pause: Break */
	case 0x5b:		/* left Windows */
	case 0x5c:		/* right Windows */
	case 0x5d:		/* Menu */
	case 0x5e:		/* ACPI Power, Sleep, Wake */
	case 0x5f:
	case 0x63:
		return key_of(KEY_SILENT, 0);
	}
	return key_of(KEY_UNKNOWN, 0);
}

static int put_str(char *out, const char *s)
{
	size_t n = strlen(s);

	memcpy(out, s, n);
	return (int)n;
}

/* Ctrl with a letter or one of @ [ \ ] ^ _ (and space): the control
 * character a terminal sends; other characters stay as they are. */
static char ctrl_of(char c)
{
	if (c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 1);
	if (c >= '@' && c <= '_')
		return (char)(c & 0x1f);
	if (c == ' ')
		return 0;
	return c;
}

static int put_char(const struct keymap_state *km, char c, char *out)
{
	int n = 0;

	if (km->held & KEYMAP_CTRL)
		c = ctrl_of(c);
	if (km->held & KEYMAP_ALT)
		out[n++] = ESC;
	out[n++] = c;
	return n;
}

static int press(struct keymap_state *km, struct key key, char *out)
{
	const struct key_row *row;
	bool shift;
	char c;

	switch (key.kind) {
	case KEY_CHAR:
		row = &rows[key.value];
		c = row->plain[key.index];
		shift = km->held & KEYMAP_SHIFT;
		/* Caps Lock turns letters only, and Shift turns them back. */
		if (c >= 'a' && c <= 'z' && km->caps_lock)
			shift = !shift;
		return put_char(km, shift ? row->shifted[key.index] : c, out);
	case KEY_BYTE:
		out[0] = (char)key.value;
		return 1;
	case KEY_NAV:
		return put_str(out, nav_seq[key.value]);
	case KEY_KEYPAD:
		if (km->num_lock)
			return put_char(km, keypad_num[key.value], out);
		if (keypad_nav[key.value] != NAV_NONE)
			return put_str(out, nav_seq[keypad_nav[key.value]]);
		if (keypad_num[key.value] == '5')
			return 0;
		return put_char(km, keypad_num[key.value], out);	/* - + */
	case KEY_MODIFIER:
		km->held |= key.value;
		return 0;
	case KEY_CAPS_LOCK:
		/* Held, it repeats: only the first press toggles. */
		if (!km->caps_down)
			km->caps_lock = !km->caps_lock;
		km->caps_down = true;
		return 0;
	case KEY_NUM_LOCK:
		if (!km->num_down)
			km->num_lock = !km->num_lock;
		km->num_down = true;
		return 0;
	case KEY_SILENT:
	case KEY_UNKNOWN:
		break;
	}
	return 0;
}

static void release(struct keymap_state *km, struct key key)
{
	switch (key.kind) {
	case KEY_MODIFIER:
		km->held &= (uint8_t)~key.value;
		break;
	case KEY_CAPS_LOCK:
		km->caps_down = false;
		break;
	case KEY_NUM_LOCK:
		km->num_down = false;
		break;
	default:
		break;
	}
}

/* Bytes the keyboard sends that are not keys: its replies to commands,
 * and "key detection error or buffer overrun". */
static bool is_reply(uint8_t code)
{
	switch (code) {
	case 0x00:		/* error / overrun */
	case 0xee:		/* echo */
	case 0xfa:		/* ACK */
	case 0xfc:		/* self-test failed */
	case 0xfd:
	case 0xfe:		/* resend */
	case 0xff:		/* error / overrun */
		return true;
	}
	return false;
}

void keymap_init(struct keymap_state *km)
{
	memset(km, 0, sizeof(*km));
	km->num_lock = true;
}

int keymap_feed(struct keymap_state *km, uint8_t code, char out[KEYMAP_MAX_OUT])
{
	bool after_e0 = km->e0;
	struct key key;

	/* Pause: the rest of its sequence means nothing more. */
	if (km->e1_skip) {
		km->e1_skip--;
		return 0;
	}
	km->e0 = false;
	if (code == PREFIX_E0) {
		km->e0 = true;
		return 0;
	}
	if (code == PREFIX_E1) {
		km->e1_skip = E1_SEQ_REST;
		return 0;
	}
	if (is_reply(code))
		return 0;
	if (after_e0)
		key = classify_e0(code & ~BREAK);
	else
		key = classify_plain(code & ~BREAK);
	if (key.kind == KEY_UNKNOWN)
		return KEYMAP_UNKNOWN;
	if (code & BREAK) {
		release(km, key);
		return 0;
	}
	return press(km, key, out);
}

uint8_t keymap_leds(const struct keymap_state *km)
{
	return (km->caps_lock ? KEYMAP_LED_CAPS : 0) |
	       (km->num_lock ? KEYMAP_LED_NUM : 0);
}
