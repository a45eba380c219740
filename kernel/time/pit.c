/*
 * kernel/time/pit.c - the 8254 PIT's channel 2 as a one-shot reference
 * (8254 data sheet: mode 0 "interrupt on terminal count"; port 0x61 is
 * the PC's gate and output register for channel 2).
 *
 * Channel 2 drives the speaker; with the speaker bit off its gate is ours.
 * In mode 0 the output (port 0x61 bit 5) goes high when the count reaches
 * zero, which is all calibration needs: no interrupt.
 */
#include <kernel/io.h>
#include <kernel/time.h>

#define PIT_HZ			1193182ULL
#define PIT_CH2			0x42
#define PIT_MODE		0x43
#define  PIT_CH2_LOHI_MODE0	0xb0
#define PORT_61			0x61
#define  PORT_61_GATE2		0x01
#define  PORT_61_SPEAKER	0x02
#define  PORT_61_OUT2		0x20

void pit_oneshot_start(unsigned int usecs)
{
	uint32_t count = (uint32_t)((uint64_t)usecs * PIT_HZ / USEC_PER_SEC);

	if (count > 0xffff)
		count = 0xffff;
	if (count == 0)
		count = 1;
	/* Gate high, speaker off; then mode 0 and the count, low first. */
	outb(PORT_61, (inb(PORT_61) & ~PORT_61_SPEAKER) | PORT_61_GATE2);
	outb(PIT_MODE, PIT_CH2_LOHI_MODE0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
}

bool pit_oneshot_expired(void)
{
	return inb(PORT_61) & PORT_61_OUT2;
}
