# Makefile - build, boot and test the kernel.  `make help` lists targets.
#
# Linux's conventions: CROSS_COMPILE=x86_64-linux-gnu- (or x86_64-elf-),
# CC=clang, V=1 for full commands, O=dir for the build folder (default
# build/).  Everything generated goes under $(O); the source tree stays
# clean.

O		?= build
SMP		?= 4
MEM		?= 512M
FIRMWARE	?= bios
BOOT		?= cd
CMDLINE		?=
INITRD_EXTRA	?=
# QEMU's accelerator (tools/run-qemu.sh --accel): tcg, kvm or auto (KVM
# when a short boot under it passes, tools/kvm-check.sh).  Unset, the
# tests and the figures use tcg, the same on every host, and make run
# uses auto.  $(call accel,DEFAULT) is the choice for one target.
ACCEL		?=
accel		= $(or $(ACCEL),$(1))

ifeq ($(V),1)
Q :=
else
Q := @
endif
# $(call quiet,TAG,WHAT): a recipe's one line in Linux's short form,
# "  CC      kernel/main.c"; nothing under V=1, which shows the command.
quiet		= @$(if $(Q),printf '  %-7s %s\n' '$(1)' '$(2)')

ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
LD		:= $(CROSS_COMPILE)ld
NM		:= $(CROSS_COMPILE)nm
OBJCOPY		:= $(CROSS_COMPILE)objcopy
OBJDUMP		:= $(CROSS_COMPILE)objdump
NASM		?= nasm
HOSTCC		?= cc
PYTHON		?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

# Freestanding kernel code: no libc, no red zone (interrupts would trash
# it), no SSE registers (not saved on interrupts), the kernel code model
# (everything in the top 2 GiB), frame pointers for backtraces (and no
# sibling calls: a tail call "jmp" leaves its caller out of the chain).
# No function's frame may pass 1 KiB of the 16 KiB thread stack
# (-Wframe-larger-than, an error with -Werror); -fstack-usage writes each
# function's frame into a .su file beside its object, which
# tools/stackcheck.py reads for the deepest chains.
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -nostdlib -fno-builtin -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -mcmodel=kernel \
	-fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-stack-protector -fno-common -fstack-usage -Wframe-larger-than=1024 \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-Iinclude -MMD -MP
ifneq ($(findstring clang,$(CC)),)
KERNEL_CFLAGS += --target=x86_64-unknown-none-elf
endif
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T linker.ld

# The host builds of kernel code (tests, tools, the fuzzer, the benchmark)
# share the kernel's C dialect, warnings and headers, with -DHOST_TEST;
# the tests and tools add the sanitizers.
HOST_BASE_CFLAGS := -std=gnu11 -g -Wall -Wextra -Werror -Iinclude -DHOST_TEST
HOST_CFLAGS := $(HOST_BASE_CFLAGS) -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP

KERNEL_C_SRCS	:= $(wildcard kernel/*.c kernel/*/*.c mm/*.c)
# boot/trampoline.asm is not an ELF object: it is a flat binary the
# kernel copies below 1 MiB for the APs (see the rule further down).
KERNEL_ASM_SRCS	:= $(filter-out boot/trampoline.asm,$(wildcard boot/*.asm kernel/*.asm))
KERNEL_OBJS	:= $(KERNEL_C_SRCS:%.c=$(O)/%.o) $(KERNEL_ASM_SRCS:%.asm=$(O)/%.o) \
		   $(O)/font.o $(O)/boot/trampoline.o

KERNEL		:= $(O)/kernel.elf
INITRD		:= $(O)/initrd.cpio
# The hostile modules and their MANIFEST (tests/hostile/mkhostile.py).
HOSTILE		:= $(O)/hostile/MANIFEST
ISO		:= $(O)/mkernel.iso

HOST_TEST_SRCS	:= $(wildcard tests/host/test_*.c)
HOST_TESTS	:= $(HOST_TEST_SRCS:tests/host/%.c=$(O)/host/%)

.PHONY: all kernel modules iso initrd run test test-host test-qemu help clean deps \
	test-long test-bochs test-kvm deps-bochs fuzz fuzz-long bench bench-smp trace compare monitor \
	check-format compare-linux test-real

all: iso

help:
	@echo 'Targets:'
	@echo '  make run        build and boot in QEMU (installs missing tools)'
	@echo '  make test       host unit tests and QEMU boot tests; ends "N passed, N failed"'
	@echo '  make test-host  only the host unit tests (ASan/UBSan)'
	@echo '  make test-qemu  only the QEMU boot tests'
	@echo '  make test-long  slow boots: 255 CPUs, bochs with an x2APIC, Linux beside ours,'
	@echo '                  a 1000-round storm soak, 200 damaged initrds; and make test-real'
	@echo '  make test-real  the loader relocates every module of Debian'"'"'s linux-image'
	@echo '                  (fetched) as GNU ld does, byte for byte (tools/ldoracle.py)'
	@echo '  make test-bochs only the bochs x2APIC boots'
	@echo '  make test-kvm   SMP, x2APIC and storm boots under KVM (skipped where KVM fails)'
	@echo '  make fuzz       fuzz FUZZ_TARGET (module; all: each) for FUZZ_SECONDS (60)'
	@echo '  make fuzz-long  every fuzz target for FUZZ_RUNS (10000000) runs, or'
	@echo '                  FUZZ_LONG_SECONDS each; a table of the figures'
	@echo '  make bench      time the per-CPU chunk allocator on the host (not a test)'
	@echo '  make bench-smp  boot 1, 8, 64, 255 CPUs under each generation: a table of times'
	@echo '  make trace      boot the storm with trace=1 at SMP CPUs under LOADER;'
	@echo '                  draw $(O)/trace-<mode>.svg/.png (tools/trace2svg.py)'
	@echo '                  and $(O)/trace-<mode>-timeline.svg/.png (tools/timeline.py)'
	@echo '  make compare    boot the storm for each loader at 1..64 CPUs (slow);'
	@echo '                  $(O)/compare.md/.svg/.png (tools/compare.py)'
	@echo '  make compare-linux  Debian'"'"'s Linux 6.1 and ours, N concurrent kvm loads,'
	@echo '                  at LINUX_CPUS CPUs (fetches packages; tools/compare-linux.py)'
	@echo '  make monitor    boot with the monitor on this terminal (Ctrl-A X quits)'
	@echo '  make iso        the hybrid BIOS/UEFI, CD/USB image: $(ISO)'
	@echo '  make kernel     the kernel ELF: $(KERNEL)'
	@echo '  make modules    the demo modules: $(O)/modules/*.ko'
	@echo '  make initrd     the initrd: $(INITRD)'
	@echo '  make deps       install the Debian packages the build and tests need'
	@echo '  make clean      remove $(O)/'
	@echo 'Variables:'
	@echo '  SMP=4 MEM=512M FIRMWARE=bios|uefi BOOT=cd|usb CMDLINE="..."'
	@echo '  GFXPAYLOAD=1024x768x16 (BIOS: a framebuffer instead of VGA text)'
	@echo '  VGA=std|bochs-display|ramfb  the graphics card (with GFXPAYLOAD=800x600x32:'
	@echo '                  rows longer than their pixels)'
	@echo '  ACCEL=tcg|kvm|auto  QEMU'"'"'s accelerator (make run: auto; the rest: tcg)'
	@echo '  INITRD_EXTRA=dir  add dir'"'"'s tree to the initrd'
	@echo '  LOADER=legacy|seed|unformed|idempotent (make trace; default unformed)'
	@echo '  STORM_MODES="$(STORM_LOADERS)" STORM_CPUS="$(STORM_CPUS)" (make compare)'
	@echo '  LINUX_CPUS="$(LINUX_CPUS)" (make compare-linux)'
	@echo '  CC=clang CROSS_COMPILE=x86_64-linux-gnu- O=builddir V=1'

deps:
	$(Q)tools/deps.sh

# ---- the kernel -------------------------------------------------------

kernel: $(KERNEL)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(O)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(call quiet,NASM,$<)
	$(Q)$(NASM) -f elf64 -g -F dwarf -MD $(@:.o=.d) -MP $< -o $@

# The console font: GRUB's Unifont turned into C (tools/pf2font.py).
FONT_PF2	?= /usr/share/grub/unicode.pf2

$(O)/font.c: tools/pf2font.py $(wildcard $(FONT_PF2))
	@mkdir -p $(dir $@)
	@test -f $(FONT_PF2) || { echo "error: font $(FONT_PF2) is missing:" \
		"install grub-common (make deps) or set FONT_PF2=file.pf2" >&2; exit 1; }
	$(call quiet,FONT,$@)
	$(Q)$(PYTHON) tools/pf2font.py $(FONT_PF2) $@

# The AP trampoline: assembled flat (no relocations, no ELF), then wrapped
# into an object whose read-only data is the blob, between the symbols
# _binary_trampoline_bin_start and _binary_trampoline_bin_end.  Its -MD
# list goes to trampoline.d, which the kernel objects' -include reads.
$(O)/boot/trampoline.bin: boot/trampoline.asm
	@mkdir -p $(dir $@)
	$(call quiet,NASM,$< (flat))
	$(Q)$(NASM) -f bin -MD $(@:.bin=.d) -MP $< -o $@

# NASM 2.16.01 (Debian 12's) leaves %include'd files out of the -MD list
# (fixed in 2.16.02), so the two ways up to long mode name theirs here.
$(O)/boot/multiboot2.o $(O)/boot/trampoline.bin: boot/longmode.inc

$(O)/boot/trampoline.o: $(O)/boot/trampoline.bin
	$(Q)cd $(O)/boot && $(OBJCOPY) -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.rodata.trampoline,alloc,load,readonly,data,contents \
		trampoline.bin trampoline.o

$(O)/font.o: $(O)/font.c
	$(call quiet,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -Ikernel/console -c $< -o $@

# Two links: the first with an empty symbol table gives the final text
# addresses (the table is the last thing in rodata, so filling it in moves
# no code); tools/ksyms.sh turns them into the table for the second.
$(O)/ksyms0.o: tools/ksyms.sh
	@mkdir -p $(O)
	$(Q)tools/ksyms.sh /dev/null > $(O)/ksyms0.c
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $(O)/ksyms0.c -o $@

$(KERNEL): $(KERNEL_OBJS) $(O)/ksyms0.o linker.ld tools/ksyms.sh
	$(call quiet,LD,$@)
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $(O)/kernel.tmp $(KERNEL_OBJS) $(O)/ksyms0.o
	$(Q)$(NM) -n -S $(O)/kernel.tmp | tools/ksyms.sh - > $(O)/ksyms.c
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $(O)/ksyms.c -o $(O)/ksyms.o
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(O)/ksyms.o
	$(Q)tools/ksyms-check.sh $(NM) $(O)/kernel.tmp $@

-include $(KERNEL_OBJS:.o=.d)

# ---- modules ------------------------------------------------------------
#
# Each folder modules/<name>/ holds one module's C files (docs/modules.md):
#   1. each .c is compiled with the kernel's flags and -DMODULE (the same
#      code model, no red zone, no SSE: a module runs as kernel code);
#   2. the objects are joined with `ld -r` into $(O)/modules/<name>.o;
#   3. tools/modpost.py reads all of those and the kernel's exports and
#      writes <name>.mod.c: the struct module descriptor and the .modinfo
#      strings name= and depends= (the modules whose exports it uses);
#   4. `ld -r` joins <name>.o and <name>.mod.o into <name>.ko, without
#      debug sections (Linux's INSTALL_MOD_STRIP=1): the loader only needs
#      the symbol table.
MODULE_NAMES	:= $(sort $(patsubst modules/%/,%,$(dir $(wildcard modules/*/*.c))))
MODULE_KOS	:= $(MODULE_NAMES:%=$(O)/modules/%.ko)
MODULE_CFLAGS	:= $(KERNEL_CFLAGS) -DMODULE
STORM_CONF	:= modules/storm.conf

modules: $(MODULE_KOS)

$(O)/modules/%.o: modules/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC [M],$<)
	$(Q)$(CC) $(MODULE_CFLAGS) \
		-DKBUILD_MODNAME='"$(notdir $(patsubst %/,%,$(dir $<)))"' -c $< -o $@

define module_rules
$(1)_OBJS := $$(patsubst modules/%.c,$$(O)/modules/%.o,$$(wildcard modules/$(1)/*.c))
$$(O)/modules/$(1).o: $$($(1)_OBJS)
	$$(Q)$$(LD) -r -o $$@ $$^
$$(O)/modules/$(1).ko: $$(O)/modules/$(1).o $$(O)/modules/$(1).mod.o
	$$(call quiet,LD [M],$$@)
	$$(Q)$$(LD) -r --strip-debug -o $$@ $$^
-include $$($(1)_OBJS:.o=.d)
endef
$(foreach m,$(MODULE_NAMES),$(eval $(call module_rules,$(m))))

$(O)/modules/.modpost: $(MODULE_NAMES:%=$(O)/modules/%.o) $(KERNEL) tools/modpost.py
	$(call quiet,MODPOST,$(words $(MODULE_NAMES)) modules)
	$(Q)$(PYTHON) tools/modpost.py --objdump $(OBJDUMP) --kernel $(KERNEL) \
		--out $(O)/modules $(MODULE_NAMES:%=$(O)/modules/%.o)
	@touch $@

$(O)/modules/%.mod.c: $(O)/modules/.modpost
	@test -f $@
# Generated sources worth keeping to read (and to spare a rebuild).
.SECONDARY: $(MODULE_NAMES:%=$(O)/modules/%.mod.c)

$(O)/modules/%.mod.o: $(O)/modules/%.mod.c
	$(Q)$(CC) $(MODULE_CFLAGS) -c $< -o $@

-include $(MODULE_NAMES:%=$(O)/modules/%.mod.d)

# ---- initrd and ISO ----------------------------------------------------

initrd: $(INITRD)

# The staging folder is rebuilt each time: it is cheap and never stale.
# The modules go to lib/modules/, modules/storm.conf to etc/storm.conf,
# the hostile modules and their MANIFEST to test/hostile/.
.PHONY: $(INITRD)
$(INITRD): $(MODULE_KOS) $(STORM_CONF) $(HOSTILE)
	$(Q)MODULES_DIR=$(O)/modules STORM_CONF=$(STORM_CONF) \
		HOSTILE_DIR=$(dir $(HOSTILE)) \
		tools/mkinitrd.sh $@ $(O)/initrd-root "$(INITRD_EXTRA)"

iso: $(ISO)

# GFXPAYLOAD=WxHxBPP: under BIOS, a VBE framebuffer of that mode instead
# of VGA text (tools/mkiso.sh), e.g. make run GFXPAYLOAD=1024x768x16.
GFXPAYLOAD	?=
# VGA=std|bochs-display|ramfb: the graphics card (tools/run-qemu.sh
# --display); with GFXPAYLOAD=800x600x32 the last two give rows longer
# than their pixels.
VGA		?= std
.PHONY: $(ISO)
$(ISO): $(KERNEL) $(INITRD)
	$(Q)GFXPAYLOAD=$(GFXPAYLOAD) tools/mkiso.sh $@ $(KERNEL) $(INITRD) "$(CMDLINE)"

# ---- running -----------------------------------------------------------

run: deps
	$(Q)$(MAKE) --no-print-directory iso CMDLINE="poweroff $(CMDLINE)"
	$(Q)tools/run-qemu.sh --iso $(ISO) --smp $(SMP) --mem $(MEM) \
		--firmware $(FIRMWARE) --boot $(BOOT) --display $(VGA) \
		--accel $(call accel,auto) --cache $(O)/accel

# The monitor on this terminal: the serial line and QEMU's own monitor
# share it (tools/run-qemu.sh --console mon); `exit` at the prompt powers
# off, and QEMU ends with it.
monitor: deps
	$(Q)$(MAKE) --no-print-directory iso CMDLINE="poweroff monitor $(CMDLINE)"
	@echo 'make monitor: this terminal is the serial line; type help at the mkernel> prompt.'
	@echo 'make monitor: Ctrl-A X quits QEMU, Ctrl-A C switches to its monitor and back;'
	@echo 'make monitor: Ctrl-C goes to the kernel (cancels a line, stops a storm between rounds).'
	$(Q)tools/run-qemu.sh --iso $(ISO) --smp $(SMP) --mem $(MEM) \
		--firmware $(FIRMWARE) --boot $(BOOT) --display $(VGA) --console mon \
		--accel $(call accel,auto) --cache $(O)/accel

# ---- tests -------------------------------------------------------------

$(O)/host/%: tests/host/%.c
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$<)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $< -o $@ -lcmocka

-include $(HOST_TESTS:=.d)

# ---- the module loader's pure core on the host --------------------------
# kocheck runs kernel/module/elf.c and reloc.c over .ko files; the hostile
# modules are damaged copies of tests/hostile/valid.c, plus the other
# tests/hostile/*.c that only the kernel's loader can refuse, all built
# with the kernel's module flags (without debug info, as the demo modules
# are stripped of it); the fuzzer drives the same code, and the initrd
# carries them for the suite module_hostile (docs/modules.md).

KOCHECK		:= $(O)/host/kocheck
KOCHECK_SRCS	:= tools/kocheck/main.c tools/kocheck/kocheck.c tools/kocheck/explain.c \
		   tools/kocheck/dump.c
MODULE_CORE	:= kernel/module/elf.c kernel/module/reloc.c \
		   include/kernel/module_elf.h include/kernel/elf.h \
		   include/kernel/module.h include/kernel/mm.h
HOSTILE_OBJS	:= $(patsubst tests/hostile/%.c,$(O)/hostile-obj/%.o,$(wildcard tests/hostile/*.c))
# gcc whatever CC is: mkhostile.py damages the layout GNU as writes (a
# .shstrtab of its own, .rodata), and the expected refusals name it;
# clang's objects share one .strtab.  The result loads in either kernel.
HOSTILE_CC	?= $(CROSS_COMPILE)gcc
HOSTILE_CFLAGS	:= $(filter-out -g --target=%,$(MODULE_CFLAGS))

$(KOCHECK): $(KOCHECK_SRCS) tools/kocheck/kocheck.h $(MODULE_CORE)
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$@)
	$(Q)$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(KOCHECK_SRCS) -o $@

# acpicheck runs kernel/acpi/tables.c, madt.c and s5.c, compiled as
# they are, over real machines' tables (../shared/acpi-corpus); built
# like kocheck, under ASan and UBSan, which is what its test wants.
ACPICHECK	:= $(O)/host/acpicheck
ACPI_CORE	:= kernel/acpi/tables.c kernel/acpi/madt.c kernel/acpi/s5.c
ACPICHECK_SRCS	:= tools/acpicheck/acpicheck.c $(ACPI_CORE)

$(ACPICHECK): $(ACPICHECK_SRCS) include/kernel/acpi.h include/kernel/madt.h
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$@)
	$(Q)$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(ACPICHECK_SRCS) -o $@

$(O)/hostile-obj/%.o: tests/hostile/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC [M],$<)
	$(Q)$(HOSTILE_CC) $(HOSTILE_CFLAGS) -c $< -o $@

-include $(HOSTILE_OBJS:.o=.d)

# Made afresh: a file a past version made must not linger in the initrd.
$(HOSTILE): $(HOSTILE_OBJS) tests/hostile/mkhostile.py
	$(call quiet,HOSTILE,$(dir $@))
	$(Q)rm -rf $(dir $@)
	$(Q)$(PYTHON) tests/hostile/mkhostile.py $(O)/hostile-obj/valid.o $(dir $@) \
		$(filter-out %/valid.o,$(HOSTILE_OBJS))

$(O)/host/test_module_elf: $(HOSTILE)
$(O)/host/test_module_elf: HOST_CFLAGS += -DHOSTILE_DIR='"$(abspath $(O)/hostile)"'

# ---- fuzzing: a libFuzzer target per parser of outside bytes -------------
# tests/fuzz/fuzz_<target>.c runs the kernel's own parser (docs/testing.md
# lists them): built with clang -fsanitize=fuzzer,address,undefined, each
# with the kernel files it compiles beside it (FUZZ_SRCS_<target>) and
# those it #includes (FUZZ_DEPS_<target>).  tests/fuzz/fuzz.py runs them:
# the seeds of tests/fuzz/corpus/<target>/ and those added at run time,
# the figures, the crashers kept in tests/fuzz/regressions/<target>/.
FUZZ_CC		?= clang
FUZZ_TARGETS	:= $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZERS		:= $(FUZZ_TARGETS:%=$(O)/fuzz/fuzz_%)
FUZZER		:= $(O)/fuzz/fuzz_module
FUZZ_CFLAGS	:= $(filter-out -MMD -MP,$(HOST_CFLAGS)) -fsanitize=fuzzer
# make fuzz: one target (or all) for FUZZ_SECONDS; make fuzz-long: each
# target for FUZZ_RUNS executions, or FUZZ_LONG_SECONDS each when set,
# FUZZ_JOBS targets at a time.
FUZZ_TARGET	?= module
FUZZ_SECONDS	?= 60
FUZZ_RUNS	?= 10000000
FUZZ_LONG_SECONDS ?=
FUZZ_JOBS	?= 1

FUZZ_SRCS_module	:= tools/kocheck/kocheck.c
FUZZ_DEPS_module	:= tools/kocheck/kocheck.h $(MODULE_CORE)
FUZZ_DEPS_cpio		:= kernel/cpio.c
FUZZ_SRCS_cmdline	:= kernel/module/params.c
FUZZ_DEPS_cmdline	:= kernel/cmdline.c kernel/params.c
FUZZ_SRCS_multiboot2	:= kernel/acpi/tables.c
FUZZ_DEPS_multiboot2	:= kernel/multiboot2.c
FUZZ_SRCS_madt		:= kernel/acpi/tables.c kernel/acpi/madt.c
FUZZ_SRCS_fadt		:= kernel/acpi/tables.c
FUZZ_SRCS_s5		:= kernel/acpi/tables.c kernel/acpi/s5.c
FUZZ_SRCS_acpi_walk	:= $(ACPI_CORE)
FUZZ_SRCS_storm_list	:= kernel/module/storm_list.c
FUZZ_DEPS_storm_list	:= kernel/module/storm_list.h
FUZZ_SRCS_monitor	:= kernel/monitor/line.c kernel/monitor/parse.c
FUZZ_DEPS_monitor	:= $(O)/fuzz/monitor_cmds.h kernel/monitor/monitor.h
FUZZ_CFLAGS_monitor	:= -I$(O)/fuzz

define fuzz_rules
$$(O)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRCS_$(1)) $$(FUZZ_DEPS_$(1)) \
		$$(wildcard tests/fuzz/*.h include/kernel/*.h)
	@mkdir -p $$(dir $$@)
	$$(call quiet,FUZZCC,$$@)
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(FUZZ_CFLAGS_$(1)) $$< $$(FUZZ_SRCS_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))

# The monitor's commands, read out of their MONITOR_COMMAND()s.
$(O)/fuzz/monitor_cmds.h: tests/fuzz/monitor_cmds.py $(wildcard kernel/monitor/*.c)
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tests/fuzz/monitor_cmds.py $(wildcard kernel/monitor/*.c) > $@.tmp
	$(Q)mv $@.tmp $@

# What the runs add to the seeds: the built and hostile modules, our
# initrd (and ../shared/acpi-corpus, when it is there).
FUZZ_INPUTS	:= $(FUZZERS) $(HOSTILE) $(MODULE_KOS) $(INITRD)

# FUZZ_TARGET=all for every target; crashers are kept as regressions.
fuzz: $(FUZZ_INPUTS)
	$(Q)$(PYTHON) tests/fuzz/fuzz.py --build $(O) run --seconds $(FUZZ_SECONDS) \
		$(if $(filter all,$(FUZZ_TARGET)),$(FUZZ_TARGETS),$(FUZZ_TARGET))

fuzz-long: $(FUZZ_INPUTS)
	$(Q)$(PYTHON) tests/fuzz/fuzz.py --build $(O) run \
		$(if $(FUZZ_LONG_SECONDS),--seconds $(FUZZ_LONG_SECONDS),--runs $(FUZZ_RUNS)) \
		--jobs $(FUZZ_JOBS) --fresh --table $(FUZZ_TARGETS)

test-host: $(HOST_TESTS) $(KOCHECK) $(ACPICHECK) $(HOSTILE) $(FUZZERS) $(KERNEL) $(MODULE_KOS)
	$(Q)$(PYTHON) tests/run.py --build $(O) --host-only

test-qemu: $(KERNEL) $(INITRD)
	$(Q)$(PYTHON) tests/run.py --build $(O) --qemu-only --accel $(call accel,tcg)

test: deps
	$(Q)$(MAKE) --no-print-directory $(KERNEL) $(INITRD) $(HOST_TESTS) \
		$(KOCHECK) $(ACPICHECK) $(HOSTILE) $(FUZZERS)
	$(Q)$(PYTHON) tests/run.py --build $(O) --accel $(call accel,tcg)

# Slow boots, not in `make test`: 255 CPUs (QEMU's TCG limit) and bochs
# with an x2APIC (which QEMU's TCG lacks); and test-real's oracle.
test-long: deps-bochs
	$(Q)$(MAKE) --no-print-directory $(KERNEL) $(INITRD) $(KOCHECK)
	$(Q)$(PYTHON) tests/run.py --build $(O) --long --accel $(call accel,tcg)

# The relocation oracle over every module of Debian's linux-image (about
# 4,000; fetched with apt-get download into $(O)/compare-linux/debs/ and
# read from the package): GNU ld links each one at the addresses kocheck
# --dump gave it, and every loaded byte must be the loader's
# (tools/ldoracle.py, tests/oracle_check.py).  make test runs it over the
# built and hostile modules, and a dozen of Debian's when the package is
# there.
test-real: deps
	$(Q)$(MAKE) --no-print-directory $(KOCHECK)
	$(Q)$(PYTHON) tests/run.py --build $(O) --real

test-bochs: deps-bochs
	$(Q)$(MAKE) --no-print-directory $(KERNEL) $(INITRD)
	$(Q)$(PYTHON) tests/run.py --build $(O) --bochs

# Under KVM, where it works: -cpu host has an x2APIC, which QEMU's TCG
# lacks.  A short boot first tells whether KVM runs our image; where it
# does not, every check is reported skipped, with the reason.
test-kvm: deps
	$(Q)$(MAKE) --no-print-directory $(KERNEL) $(INITRD)
	$(Q)$(PYTHON) tests/run.py --build $(O) --kvm

# Benchmarks: timing figures, never pass/fail.  Optimised, no sanitizers.
BENCH_CFLAGS := $(HOST_BASE_CFLAGS) -O2 -MMD -MP

$(O)/tools/percpu-bench: tools/percpu-bench.c
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC,$<)
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) $< -o $@

-include $(O)/tools/percpu-bench.d

bench: $(O)/tools/percpu-bench
	$(Q)$(O)/tools/percpu-bench

# CPUs 1, 8, 64 and 255, each generation's storm, one boot at a time
# (BENCH_CPUS= for others): wall, bring-up and elapsed_us in a table.
BENCH_CPUS	?= 1,8,64,255
bench-smp: deps kernel initrd
	$(Q)$(PYTHON) tools/bench-smp.py --build $(O) --cpus $(BENCH_CPUS) \
		--accel $(call accel,tcg) --out $(O)/bench-smp.md

# ---- the storm: one boot traced, and the generations compared ----------
#
# Every boot runs the storm: each CPU loads etc/storm.conf's modules at the
# same moment under one loader= generation, and the kernel prints the
# storm line; trace=1 adds each CPU's steps.  Each command line gets its
# own image (the iso target under another ISO= name), booted without a
# window under a time bound that grows with the CPUs: tests/boots.py's
# boot_timeout(), the one the tests use.
# Figures, not tests: a load that fails here is the story, not a bug.
STORM_LOADERS	:= legacy seed unformed idempotent
LOADER		?= unformed
STORM_MODES	?= $(STORM_LOADERS)
STORM_CPUS	?= 1 2 4 8 16 32 64
# 64 CPUs want more than the default 512M; MEM= given still wins.
STORM_MEM	:= $(if $(filter default file,$(origin MEM)),1G,$(MEM))
TRACE		:= $(O)/trace-$(LOADER)
COMPARE_LOGS	= $(foreach m,$(STORM_MODES),$(foreach n,$(STORM_CPUS),$(O)/compare/$(m)-smp$(n).log))

# $(call storm_image,ISO,MODE,MORE_CMDLINE)
storm_image = $(MAKE) --no-print-directory iso ISO=$(1) \
	CMDLINE="$(strip poweroff isa_debug_exit loader=$(2) $(3) $(CMDLINE))"
# $(call storm_boot,ISO,CPUS,LOG): the serial log to LOG; QEMU's status.
storm_boot = env -u DISPLAY -u WAYLAND_DISPLAY timeout -k 10 $$($(PYTHON) tests/boots.py --timeout bios $(2)) \
	tools/run-qemu.sh --iso $(1) --smp $(2) --mem $(STORM_MEM) --debug-exit \
	--accel $(call accel,tcg) --cache $(O)/accel > $(3)

trace: deps
	@case ' $(STORM_LOADERS) ' in *' $(LOADER) '*) ;; *) \
		echo "trace: LOADER='$(LOADER)': one of $(STORM_LOADERS)" >&2; \
		exit 1 ;; esac
	$(Q)$(call storm_image,$(TRACE).iso,$(LOADER),trace=1)
	@echo '  STORM   loader=$(LOADER) SMP=$(SMP) trace=1 > $(TRACE).log'
	$(Q)$(call storm_boot,$(TRACE).iso,$(SMP),$(TRACE).log) || { \
		echo "trace: the boot failed (status $$?): see $(TRACE).log" >&2; exit 1; }
	$(Q)$(PYTHON) tools/trace2svg.py $(TRACE).log $(TRACE)
	$(Q)$(PYTHON) tools/timeline.py $(TRACE).log $(TRACE)-timeline

# A boot that fails is reported and the others go on; compare.py lists it
# without figures and exits non-zero.
compare: deps
	$(Q)mkdir -p $(O)/compare
	$(Q)for m in $(STORM_MODES); do \
		$(call storm_image,$(O)/compare/$$m.iso,$$m,) || exit 1; \
		for n in $(STORM_CPUS); do \
			echo "  STORM   loader=$$m SMP=$$n > $(O)/compare/$$m-smp$$n.log"; \
			$(call storm_boot,$(O)/compare/$$m.iso,$$n,$(O)/compare/$$m-smp$$n.log) || \
				echo "compare: loader=$$m SMP=$$n: the boot failed (status $$?)" >&2; \
		done; \
	done
	$(Q)$(PYTHON) tools/compare.py --out $(O)/compare $(COMPARE_LOGS)

# ---- Debian's Linux beside ours ------------------------------------------
#
# The same storm of kvm loads under Debian's Linux 6.1 (its linux-image
# and busybox-static, fetched by apt-get download into $(O)/compare-linux/
# debs/) and under ours (loader=unformed storm=kvm), in the same QEMU, at
# each of LINUX_CPUS; one table.  Figures, not a test (make test-long
# checks the outcomes at 8 CPUs).
LINUX_CPUS	?= 1 8 32 64

compare-linux: deps
	$(Q)$(MAKE) --no-print-directory $(KERNEL) $(INITRD)
	$(Q)$(PYTHON) tools/compare-linux.py --build $(O) --cpus "$(LINUX_CPUS)" \
		--mem $(STORM_MEM) --cmdline "$(CMDLINE)" --json $(O)/compare-linux/table.json

deps-bochs: deps
	$(Q)tools/deps.sh bochs

check-format:
	$(Q)clang-format --dry-run --Werror $(KERNEL_C_SRCS) $(wildcard include/kernel/*.h)

clean:
	rm -rf $(O)
