/*
 * console.c - output on the PL011 UART of the "virt" board, polled.
 */
#include "kernel.h"

#define UART_DR     (UART0_BASE + 0x00)
#define UART_FR     (UART0_BASE + 0x18)
#define UART_LCR_H  (UART0_BASE + 0x2c)
#define UART_CR     (UART0_BASE + 0x30)
#define UART_IMSC   (UART0_BASE + 0x38)
#define FR_TXFF     (1u << 5)           /* transmit FIFO full */

void console_init(void)
{
    mmio_write(UART_CR, 0);             /* disable while configuring */
    mmio_write(UART_IMSC, 0);           /* no interrupts: we poll */
    mmio_write(UART_LCR_H, 0x70);       /* 8 bits, FIFOs on */
    mmio_write(UART_CR, 0x301);         /* UART, TX and RX enabled */
}

void console_putc(char c)
{
    while (mmio_read(UART_FR) & FR_TXFF)
        ;
    mmio_write(UART_DR, (u8)c);
}

void console_write(const char *s, u32 len)
{
    for (u32 i = 0; i < len; i++)
        console_putc(s[i]);
}

static void kprintf_out(void *ctx, char c)
{
    (void)ctx;
    console_putc(c);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vformat(kprintf_out, NULL, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    kprintf("kernel panic: ");
    va_start(ap, fmt);
    vformat(kprintf_out, NULL, fmt, ap);
    va_end(ap);
    kprintf("\n");
    semihost_exit(100);
}
