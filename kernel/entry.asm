; kernel/entry.asm - the first instructions of every exception and
; interrupt, and the way back (Intel SDM Vol. 3A, 6.14 "Exception and
; Interrupt Handling in 64-bit Mode").
;
; On an interrupt or exception the CPU (in 64-bit mode, staying at CPL 0)
; aligns RSP down to 16 bytes - or switches to an IST stack when the gate
; names one - and pushes SS, RSP, RFLAGS, CS, RIP and, for a few
; exceptions only, an error code.  So that one common path can handle
; every vector, each stub below makes the frame uniform: it pushes a dummy
; error code 0 when the CPU did not push one, then the vector number, and
; jumps to isr_common, which pushes the general registers.  The result is
; a struct pt_regs (include/kernel/traps.h), lowest address first:
;
;	r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax
;	vector error_code | rip cs rflags rsp ss  (pushed by the CPU)
;
; Size: 5 CPU words + 2 + 15 = 22 quadwords = 176 bytes, a multiple of 16,
; so RSP stays 16-byte aligned for the call into C, as the SysV ABI wants.
;
; It also holds probe_read_u64(), a load that is allowed to fault: the
; backtrace code reads stack words through it, and the #PF/#GP handler
; resumes it at its fixup label (as Linux's exception tables do).

bits 64
section .text

extern trap_dispatch

; Vectors for which the CPU pushes an error code (SDM table 6-1).
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			   (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro ISR_STUB 1
align 16
isr_stub_%1:
%if HAS_ERROR_CODE(%1) == 0
	push 0				; dummy error code
%endif
	push %1				; vector
	jmp isr_common
%endmacro

%assign vec 0
%rep 256
ISR_STUB vec
%assign vec vec + 1
%endrep

align 16
global isr_common
isr_common:
	cld
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp			; struct pt_regs *
	; A frame record for the interrupted code (saved RBP, then its RIP),
	; so a backtrace taken inside a handler walks on into the code that
	; was interrupted.  16 bytes: the alignment is kept.
	push qword [rdi + 17 * 8]	; regs->rip
	push qword [rdi + 8 * 8]	; regs->rbp
	mov rbp, rsp
	call trap_dispatch
	add rsp, 16
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16			; vector and error code
	iretq

; The stubs' addresses, for the IDT (kernel/traps.c).
section .rodata
align 8
global isr_stub_table
isr_stub_table:
%assign vec 0
%rep 256
	dq isr_stub_ %+ vec
%assign vec vec + 1
%endrep

; int probe_read_u64(const uint64_t *addr, uint64_t *out):
; 0 and *out = *addr, or -14 (-EFAULT) when the load faults.
section .text
align 16
global probe_read_u64, probe_read_u64_load, probe_read_u64_fixup
probe_read_u64:
probe_read_u64_load:
	mov rax, [rdi]
	mov [rsi], rax
	xor eax, eax
	ret
probe_read_u64_fixup:
	mov eax, -14
	ret
