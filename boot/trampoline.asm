; boot/trampoline.asm - where an application processor (AP) starts.
;
; A CPU woken by INIT and STARTUP IPIs (Intel SDM Vol. 3A, 10.4 "MP
; initialization", and 11.6.1 for the STARTUP IPI) begins in 16-bit real
; mode at physical address VV000h, where VV is the IPI's vector: CS = VV00h,
; IP = 0.  So this code must sit on a page below 1 MiB and cannot know that
; page's address when it is assembled.  It is a flat binary (nasm -f bin)
; with no relocations: it reads its own base from CS, patches its three
; absolute pointers (the GDT base and two far-jump targets) itself, and
; takes everything else from the parameter block that kernel/smp/smpboot.c
; fills in before each STARTUP IPI.
;
; The way up is the boot CPU's way (boot/multiboot2.asm), in miniature:
; real mode -> protected mode -> PAE + long mode + paging -> 64-bit code,
; then a jump to the kernel's C entry for APs with its own stack.  The page
; tables (params.cr3, built by smpboot.c below 4 GiB) map this page at its
; own address and the kernel in the higher half.

%include "boot/longmode.inc"

bits 16
section .text
org 0

trampoline_start:
	jmp short real_mode_entry

; The parameter block at offset 16.  struct trampoline_params in
; kernel/smp/smpboot.c has the same layout; 'magic' lets the C side check
; that the two agree before it trusts the offsets.
align 16
params:
p_cr3:		dq 0		; page tables to start with (< 4 GiB)
p_efer:		dq 0		; EFER value: LME, and NXE if the BSP has it
p_stack:	dq 0		; the AP's initial RSP (top of its stack)
p_entry:	dq 0		; 64-bit C entry: void ap_entry(unsigned cpu)
p_cpu:		dq 0		; logical CPU number, passed in RDI
p_started:	dd 0		; set to 1 by the AP as soon as it runs
p_magic:	dd 0x504d5254	; 'TRMP'

align 8
gdt:
	dq 0
	dq 0x00CF9A000000FFFF	; 0x08: 32-bit code, flat
	dq 0x00CF92000000FFFF	; 0x10 (BOOT_DS): data, flat
	dq 0x00AF9A000000FFFF	; 0x18: 64-bit code
gdt_end:
gdt_ptr:
	dw gdt_end - gdt - 1
	dd 0			; linear base, patched below
pm32_ptr:
	dd 0			; linear address of pm32, patched below
	dw 0x08
lm64_ptr:
	dd 0			; linear address of lm64, patched below
	dw 0x18

real_mode_entry:
	cli
	cld
	mov ax, cs
	mov ds, ax
	movzx ebx, ax
	shl ebx, 4			; EBX = linear base of this page

	mov dword [p_started], 1	; tell the BSP: the STARTUP IPI arrived

	lea eax, [ebx + gdt]
	mov [gdt_ptr + 2], eax
	lea eax, [ebx + pm32]
	mov [pm32_ptr], eax
	lea eax, [ebx + lm64]
	mov [lm64_ptr], eax

	lgdt [gdt_ptr]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	jmp far dword [pm32_ptr]

bits 32
pm32:
	load_data_segments

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, [ebx + p_cr3]
	mov cr3, eax
	mov ecx, MSR_EFER
	mov eax, [ebx + p_efer]
	mov edx, [ebx + p_efer + 4]
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	jmp far dword [ebx + lm64_ptr]

bits 64
lm64:
	load_data_segments		; FS and GS: null again
	mov rsp, [rbx + p_stack]
	mov rdi, [rbx + p_cpu]
	mov rax, [rbx + p_entry]
	xor ebp, ebp			; backtraces stop here
	push rbp
	jmp rax
trampoline_end:
