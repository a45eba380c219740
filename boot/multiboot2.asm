; boot/multiboot2.asm - from GRUB's hand-off to 64-bit C.
;
; GRUB (Multiboot2 specification, section 3.3 "I386 machine state") enters
; here in 32-bit protected mode with paging off, EAX = 0x36d76289 and EBX =
; the physical address of the boot information.  Nothing else about the
; machine is promised: no usable stack, no GDT we may keep, interrupts off.
;
; This file does the least needed to reach C in long mode:
;   1. check the CPU can run 64-bit code (CPUID 0x80000001, LM bit);
;   2. build boot page tables: identity map of the first 4 GiB (so the boot
;      information, wherever GRUB put it below 4 GiB, stays reachable) and
;      the kernel's higher-half window 0xffffffff80000000 -> physical 0;
;   3. enable PAE, long mode (EFER.LME), NX (EFER.NXE when CPUID says so)
;      and paging, load a 64-bit GDT, and far-jump into 64-bit code;
;   4. jump to the higher half, set up the boot stack, call kmain().
; kmain() replaces these page tables with its own (mm/paging.c).

%include "boot/longmode.inc"

%define MB2_MAGIC         0xE85250D6
%define MB2_ARCH_I386     0
%define KERNEL_VMA        0xFFFFFFFF80000000

section .multiboot2
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	; Framebuffer tag (type 5), optional (flags bit 0): on UEFI, where there
	; is no text mode, GRUB hands us the GOP framebuffer; on BIOS grub.cfg
	; keeps EGA text with gfxpayload=text.  0x0x0 means "no preference".
	align 8
	dw 5, 1
	dd 20
	dd 0, 0, 0

	; Module alignment tag (type 6): page-aligned modules (the initrd).
	align 8
	dw 6, 0
	dd 8

	; End tag.
	align 8
	dw 0, 0
	dd 8
mb2_header_end:

section .boot.text progbits alloc exec nowrite
bits 32
global _start32
_start32:
	cli
	cld
	mov esp, boot32_stack_top
	mov edi, eax			; multiboot2 magic, kept for kmain
	mov esi, ebx			; boot information (physical)

	; Long mode available?  CPUID leaf 0x80000001 EDX bit 29.
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode
	mov ebp, edx			; remember bit 20 (NX) for later

	; PML4[0] -> identity PDPT, PML4[511] -> higher-half PDPT.
	mov eax, boot_pdpt_low
	or eax, 0x3
	mov [boot_pml4], eax
	mov eax, boot_pdpt_high
	or eax, 0x3
	mov [boot_pml4 + 511 * 8], eax

	; Identity PDPT: four page directories of 2 MiB pages = 4 GiB.
	; Higher-half PDPT[510] (0xffffffff80000000) -> the first of them.
	xor ecx, ecx
.fill_pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, boot_pd
	or eax, 0x3
	mov [boot_pdpt_low + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jne .fill_pdpt
	mov eax, boot_pd
	or eax, 0x3
	mov [boot_pdpt_high + 510 * 8], eax

	; 2048 PDEs, each a 2 MiB page (PS=1, RW, P); physical address i*2MiB
	; spans two dwords: low = (i << 21) | 0x83, high = i >> 11.
	xor ecx, ecx
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83
	mov [boot_pd + ecx * 8], eax
	mov eax, ecx
	shr eax, 11
	mov [boot_pd + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jne .fill_pd

	mov eax, boot_pml4
	mov cr3, eax

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax

	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	test ebp, 1 << 20
	jz .no_nx
	or eax, EFER_NXE
.no_nx:
	wrmsr

	mov eax, cr0
	or eax, CR0_PG | CR0_WP | CR0_PE
	mov cr0, eax

	lgdt [boot_gdt_ptr]
	jmp 0x08:.long_mode

.no_long_mode:
	; Say so on COM1 and on the VGA text screen, then stop.
	mov esi, no_lm_msg
	mov edi, 0xB8000
.msg_loop:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x4F
	mov [edi], ax
	add edi, 2
	mov dx, 0x3F8
	out dx, al
	jmp .msg_loop
.halt:
	hlt
	jmp .halt

bits 64
.long_mode:
	load_data_segments
	mov rax, start64
	jmp rax

section .boot.data progbits alloc noexec write
align 8
boot_gdt:
	dq 0
	dq 0x00AF9A000000FFFF		; 0x08: 64-bit code, DPL 0
	dq 0x00CF92000000FFFF		; 0x10 (BOOT_DS): data, DPL 0
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt
no_lm_msg:
	db "boot: this CPU cannot run 64-bit code (no long mode); halting", 0

section .boot.bss nobits alloc noexec write
align 4096
boot_pml4:	resb 4096
boot_pdpt_low:	resb 4096
boot_pdpt_high:	resb 4096
boot_pd:	resb 4096 * 4
boot32_stack:	resb 1024
boot32_stack_top:

; The boot CPU's stack.  The page below it is a guard: mm/paging.c leaves
; it unmapped, so running off the end faults instead of corrupting .bss.
section .bss
align 4096
global boot_stack_guard, boot_stack_top
boot_stack_guard:	resb 4096
boot_stack:		resb 16384
boot_stack_top:

section .text
bits 64
extern kmain
global start64
start64:
	mov rsp, boot_stack_top
	xor ebp, ebp			; backtraces stop here
	push rbp
	; edi = magic, esi = boot information: already the SysV arguments.
	call kmain
.hang:
	cli
	hlt
	jmp .hang
