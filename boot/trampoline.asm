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
; fills in before the first STARTUP IPI.
;
; Every AP runs this same page, possibly all at once (smpboot=parallel,
; as Linux 6.5's parallel bring-up): nothing in the block is per AP.  In
; long mode each AP finds its own CPU number by looking its APIC ID (from
; CPUID) up in the kernel's table, then takes its stack from the table
; of stacks and marks itself started, before it jumps to the C entry.
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
p_entry:	dq 0		; 64-bit C entry: void ap_entry(unsigned cpu)
p_apicids:	dq 0		; uint32_t[count]: CPU number -> APIC ID
p_stacks:	dq 0		; uint64_t[count]: initial RSP, 0: do not start
p_started:	dq 0		; uint8_t[count]: the AP sets its byte to 1
p_count:	dd 0		; entries in the three tables
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
	mov r9, rbx			; the base: CPUID overwrites EBX

	; Who am I: the APIC ID as CPUID reports it, leaf 0xB's 32-bit
	; x2APIC ID where the CPU has that leaf (EBX != 0), else leaf 1's
	; 8 bits (kernel/apic/lapic.c, cpuid_initial_apic_id(), the same).
	xor eax, eax
	cpuid
	cmp eax, 0xb
	jb .leaf1
	mov eax, 0xb
	xor ecx, ecx
	cpuid
	test ebx, ebx
	jz .leaf1
	mov r8d, edx
	jmp .lookup
.leaf1:
	mov eax, 1
	cpuid
	shr ebx, 24
	mov r8d, ebx

	; Its index in the kernel's table is its CPU number.
.lookup:
	mov rsi, [r9 + p_apicids]
	mov ecx, [r9 + p_count]
	xor edi, edi
.find:
	cmp edi, ecx
	jae .lost
	cmp [rsi + rdi * 4], r8d
	je .found
	inc edi
	jmp .find
.found:
	mov rax, [r9 + p_stacks]
	mov rsp, [rax + rdi * 8]
	test rsp, rsp
	jz .lost			; not asked to start (no stack for it)
	mov rax, [r9 + p_started]
	mov byte [rax + rdi], 1		; tell the BSP: running, and who
	mov rax, [r9 + p_entry]
	xor ebp, ebp			; backtraces stop here
	push rbp
	jmp rax				; ap_entry(cpu): RDI is the number

	; An APIC ID the kernel does not know, or a CPU it did not ask for:
	; stop here for good, touching nothing.  The BSP names every CPU it
	; asked for that never said it started.
.lost:
	cli
	hlt
	jmp .lost
trampoline_end:
