/*
 * include/kernel/elf.h - the ELF64 structures and constants the module
 * loader reads.
 *
 * From the System V ABI (gABI, "Object Files") and its x86-64 supplement
 * (psABI section 4, relocation types in table 4.9).  Linux keeps these in
 * include/uapi/linux/elf.h; the names are the standard ones so that a
 * reader can hold our code beside readelf's output.  Only what a loader of
 * relocatable objects needs is here: no program headers, no dynamic
 * section.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <kernel/compiler.h>

typedef uint64_t Elf64_Addr;
typedef uint64_t Elf64_Off;
typedef uint16_t Elf64_Half;
typedef uint32_t Elf64_Word;
typedef int32_t Elf64_Sword;
typedef uint64_t Elf64_Xword;
typedef int64_t Elf64_Sxword;

#define EI_NIDENT	16
#define EI_MAG0		0
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFMAG		"\177ELF"
#define SELFMAG		4
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_REL		1
#define EM_X86_64	62

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type;
	Elf64_Half e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;
	Elf64_Off e_phoff;
	Elf64_Off e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize;
	Elf64_Half e_phentsize;
	Elf64_Half e_phnum;
	Elf64_Half e_shentsize;
	Elf64_Half e_shnum;
	Elf64_Half e_shstrndx;
} Elf64_Ehdr;

/* Section types and flags. */
#define SHT_NULL	0
#define SHT_PROGBITS	1
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_RELA	4
#define SHT_NOBITS	8
#define SHT_REL		9
#define SHF_WRITE	0x1
#define SHF_ALLOC	0x2
#define SHF_EXECINSTR	0x4

/* Special section indices. */
#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00
#define SHN_ABS		0xfff1
#define SHN_COMMON	0xfff2
#define SHN_XINDEX	0xffff

typedef struct {
	Elf64_Word sh_name;
	Elf64_Word sh_type;
	Elf64_Xword sh_flags;
	Elf64_Addr sh_addr;
	Elf64_Off sh_offset;
	Elf64_Xword sh_size;
	Elf64_Word sh_link;
	Elf64_Word sh_info;
	Elf64_Xword sh_addralign;
	Elf64_Xword sh_entsize;
} Elf64_Shdr;

/* Symbols. */
#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STB_WEAK	2
#define STT_NOTYPE	0
#define STT_OBJECT	1
#define STT_FUNC	2
#define STT_SECTION	3
#define STT_FILE	4
#define ELF64_ST_BIND(i)	((i) >> 4)
#define ELF64_ST_TYPE(i)	((i) & 0xf)
#define ELF64_ST_INFO(b, t)	(((b) << 4) | ((t) & 0xf))

typedef struct {
	Elf64_Word st_name;
	unsigned char st_info;
	unsigned char st_other;
	Elf64_Half st_shndx;
	Elf64_Addr st_value;
	Elf64_Xword st_size;
} Elf64_Sym;

/* Relocations with explicit addends (the only kind x86-64 uses). */
#define ELF64_R_SYM(i)		((i) >> 32)
#define ELF64_R_TYPE(i)		((i) & 0xffffffffUL)
#define ELF64_R_INFO(s, t)	(((uint64_t)(s) << 32) | ((t) & 0xffffffffUL))

typedef struct {
	Elf64_Addr r_offset;
	Elf64_Xword r_info;
	Elf64_Sxword r_addend;
} Elf64_Rela;

/* x86-64 relocation types (psABI table 4.9): S symbol, A addend, P place. */
#define R_X86_64_NONE	0	/* none */
#define R_X86_64_64	1	/* word64: S + A */
#define R_X86_64_PC32	2	/* word32: S + A - P, sign-extended */
#define R_X86_64_PLT32	4	/* word32: L + A - P (L = S in a kernel) */
#define R_X86_64_32	10	/* word32: S + A, zero-extended */
#define R_X86_64_32S	11	/* word32: S + A, sign-extended */
#define R_X86_64_PC64	24	/* word64: S + A - P */

#endif
