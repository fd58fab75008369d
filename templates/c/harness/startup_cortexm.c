/*
 * lstmc test harness: vector table and reset handler for the Cortex-M images
 * lstmc builds to verify generated C under qemu-system-arm. Linked with
 * cortexm.ld, `-nostartfiles` and newlib's semihosting library (rdimon), so
 * stdout and stderr are the host's and the value `main` returns (or passes to
 * `exit`) becomes qemu's exit status (semihosting SYS_EXIT_EXTENDED).
 *
 * This file is part of lstmc's verification machinery, not of the generated
 * code: a real firmware keeps its own startup code.
 */
#include <stdint.h>
#include <stdlib.h>

extern int main(void);
extern void initialise_monitor_handles(void);

extern uint32_t __StackTop;
extern uint32_t __data_start__, __data_end__, __data_load__;
extern uint32_t __bss_start__, __bss_end__;

void Reset_Handler(void) __attribute__((noreturn));
void Fault_Handler(void) __attribute__((naked, noreturn));
void Fault_Report(const uint32_t *frame, uint32_t exc_return) __attribute__((noreturn, used));

/* Semihosting: `bkpt 0xab` with the operation in r0 and its argument in r1. */
static uint32_t semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

enum {
  SYS_WRITE0 = 0x04,
  SYS_EXIT = 0x18,
  SYS_EXIT_EXTENDED = 0x20,
  ADP_Stopped_ApplicationExit = 0x20026,
  ADP_Stopped_RunTimeErrorUnknown = 0x20023
};

/* `exit` runs newlib's __libc_fini_array, which calls _fini; the crti/crtn
   objects that usually define it are not linked (`-nostartfiles`). */
__attribute__((weak)) void _init(void) {}
__attribute__((weak)) void _fini(void) {}

/* Runs before anything else: no float code, no library calls until the FPU is on. */
void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* Full access to coprocessors 10 and 11 (the FPU), before any float code. */
  volatile uint32_t *const cpacr = (volatile uint32_t *)0xE000ED88u;
  *cpacr |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  const uint32_t *source = &__data_load__;
  for (uint32_t *word = &__data_start__; word < &__data_end__;) *word++ = *source++;
  for (uint32_t *word = &__bss_start__; word < &__bss_end__;) *word++ = 0;
  initialise_monitor_handles();
  exit(main());
}

static char *append(char *out, const char *text) {
  while (*text) *out++ = *text++;
  return out;
}

static char *append_hex(char *out, uint32_t value) {
  static const char digits[] = "0123456789abcdef";
  *out++ = '0';
  *out++ = 'x';
  for (int shift = 28; shift >= 0; shift -= 4) *out++ = digits[(value >> shift) & 0xFu];
  return out;
}

/* A fault, or an interrupt nobody expects: say so on the debug console and
   stop qemu with status 134 instead of spinning until the timeout. */
void Fault_Report(const uint32_t *frame, uint32_t exc_return) {
  (void)exc_return;
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  char message[160];
  char *out = append(message, "lstmc harness: fault, exception ");
  out = append_hex(out, ipsr & 0x1FFu);
  out = append(out, " at pc ");
  out = append_hex(out, frame[6]);
#if !defined(__ARM_ARCH_6M__)
  out = append(out, " cfsr ");
  out = append_hex(out, *(volatile uint32_t *)0xE000ED28u);
#endif
  out = append(out, "\n");
  *out = 0;
  semihost(SYS_WRITE0, message);
  /* qemu passes the subcode on as its exit status only for ApplicationExit. */
  const uint32_t block[2] = {ADP_Stopped_ApplicationExit, 134};
  semihost(SYS_EXIT_EXTENDED, block);
  semihost(SYS_EXIT, (const void *)ADP_Stopped_RunTimeErrorUnknown);
  for (;;) {
  }
}

/* Passes the stacked exception frame (main or process stack) to Fault_Report. */
void Fault_Handler(void) {
  __asm__ volatile(
    "mov r1, lr\n\t"
    "movs r0, #4\n\t"
    "tst r0, r1\n\t"
    "bne 1f\n\t"
    "mrs r0, msp\n\t"
    "b 2f\n"
    "1:\n\t"
    "mrs r0, psp\n"
    "2:\n\t"
    "ldr r2, =Fault_Report\n\t"
    "bx r2\n\t"
    ".ltorg");
}

/* The core's exceptions: the initial stack pointer, then 15 handlers
   (lstmc's test programs use no peripheral interrupts). */
struct vector_table {
  uint32_t *stack_top;
  void (*handlers[15])(void);
};

__attribute__((section(".vectors"), used)) static const struct vector_table vectors = {
  &__StackTop,
  {
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0, 0, 0, 0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor */
    0,
    Fault_Handler, /* PendSV */
    Fault_Handler, /* SysTick */
  },
};
