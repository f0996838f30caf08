/*
 * PL011 UART: register reads and writes through the physical address space, output to a
 * memory stream, input from another or from a pipe (pl011_poll_input, pl011_input_fd),
 * flags, the RX FIFO and trigger levels, the receive, receive-timeout and transmit
 * interrupts, the combined output, ID registers.
 */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/devices.h"

#define UART VIRT_UART_BASE
enum {
    DR = 0x00, RSR = 0x04, FR = 0x18, ILPR = 0x20, IBRD = 0x24, FBRD = 0x28, LCR_H = 0x2c,
    CR = 0x30, IFLS = 0x34, IMSC = 0x38, RIS = 0x3c, MIS = 0x40, ICR = 0x44, DMACR = 0x48,
};
#define FR_TXFE 0x80u
#define FR_RXFF 0x40u
#define FR_TXFF 0x20u
#define FR_RXFE 0x10u
#define FR_BUSY 0x08u
#define INT_OE 0x400u
#define INT_RT 0x40u
#define INT_TX 0x20u
#define INT_RX 0x10u

static PhysMem mem;
static Pl011 *uart;
static char *out_buf;
static size_t out_len;
static FILE *out;
static FILE *in;
static int irq_calls;
static bool irq_last;

static void on_irq(void *opaque, bool level)
{
    (void)opaque;
    irq_calls++;
    irq_last = level;
}

/* Build a UART whose input is the given bytes (NULL: no input stream). */
static void make_uart(const char *input, size_t input_len)
{
    char err[256];
    ck_assert_int_eq(physmem_init(&mem, VIRT_RAM_BASE, 1u << 20, err, sizeof err), 0);
    out = open_memstream(&out_buf, &out_len);
    ck_assert_ptr_nonnull(out);
    in = input ? fmemopen((void *)input, input_len, "r") : NULL;
    uart = pl011_create(out, in);
    ck_assert_ptr_nonnull(uart);
    ck_assert_int_eq(pl011_map(uart, &mem, UART), 0);
    irq_calls = 0;
    pl011_set_irq(uart, on_irq, NULL);
}

static int pipe_wr = -1;

/* Build a UART whose input is the read end of a pipe; pipe_wr is the write end. */
static void make_uart_pipe(void)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pipe_wr = fds[1];
    FILE *f = fdopen(fds[0], "r");
    ck_assert_ptr_nonnull(f);
    char err[256];
    ck_assert_int_eq(physmem_init(&mem, VIRT_RAM_BASE, 1u << 20, err, sizeof err), 0);
    out = open_memstream(&out_buf, &out_len);
    ck_assert_ptr_nonnull(out);
    in = f;
    uart = pl011_create(out, in);
    ck_assert_ptr_nonnull(uart);
    ck_assert_int_eq(pl011_map(uart, &mem, UART), 0);
    irq_calls = 0;
    pl011_set_irq(uart, on_irq, NULL);
}

static void send(const char *bytes)
{
    size_t n = strlen(bytes);
    ck_assert_int_eq(write(pipe_wr, bytes, n), (ssize_t)n);
}

static void teardown(void)
{
    if (pipe_wr >= 0)
        close(pipe_wr);
    pipe_wr = -1;
    pl011_destroy(uart);
    uart = NULL;
    physmem_destroy(&mem);
    fclose(out);
    free(out_buf);
    out_buf = NULL;
    if (in)
        fclose(in);
    in = NULL;
}

static uint32_t rd(uint32_t off)
{
    uint64_t v = 0xdeadbeef;
    ck_assert_int_eq(physmem_read(&mem, UART + off, 4, &v), MEM_OK);
    return (uint32_t)v;
}

static void wr(uint32_t off, uint32_t v)
{
    ck_assert_int_eq(physmem_write(&mem, UART + off, 4, v), MEM_OK);
}

START_TEST(test_reset_values_and_ids)
{
    make_uart(NULL, 0);
    ck_assert_uint_eq(rd(FR), FR_TXFE | FR_RXFE);
    ck_assert_uint_eq(rd(CR), 0x300);
    ck_assert_uint_eq(rd(IFLS), 0x12);
    ck_assert_uint_eq(rd(LCR_H), 0);
    ck_assert_uint_eq(rd(IMSC), 0);
    ck_assert_uint_eq(rd(RIS), 0);
    ck_assert_uint_eq(rd(MIS), 0);
    static const uint32_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 8; i++)
        ck_assert_uint_eq(rd(0xfe0 + 4 * i), ids[i]);
    /* byte access to an ID register */
    uint64_t v;
    ck_assert_int_eq(physmem_read(&mem, UART + 0xff0, 1, &v), MEM_OK);
    ck_assert_uint_eq(v, 0x0d);
    /* unknown offsets read as zero, writes are ignored */
    wr(0x80, 0x1234);
    ck_assert_uint_eq(rd(0x80), 0);
    ck_assert_uint_eq(rd(0xffc - 0x40), 0);
    /* the register block is 4 KiB: just past it is nothing */
    ck_assert_int_eq(physmem_read(&mem, UART + 0x1000, 4, &v), MEM_BUS_ERROR);
    ck_assert(!pl011_irq_level(uart));
}
END_TEST

START_TEST(test_transmit)
{
    make_uart(NULL, 0);
    wr(DR, 'h');
    ck_assert_int_eq(physmem_write(&mem, UART + DR, 1, 'i'), MEM_OK); /* strb */
    wr(DR, 0x10a); /* only the low 8 bits go out */
    ck_assert_uint_eq(out_len, 3);
    ck_assert_int_eq(memcmp(out_buf, "hi\n", 3), 0);
    /* TX never fills or stays busy */
    uint32_t fr = rd(FR);
    ck_assert_uint_eq(fr & (FR_TXFF | FR_BUSY), 0);
    ck_assert_uint_eq(fr & FR_TXFE, FR_TXFE);
    /* writes to FR are ignored */
    wr(FR, 0xffff);
    ck_assert_uint_eq(rd(FR), FR_TXFE | FR_RXFE);
}
END_TEST

START_TEST(test_receive)
{
    static const char input[] = "ab";
    make_uart(input, 2);
    /* FIFOs off: one character at a time */
    ck_assert_uint_eq(rd(FR) & FR_RXFE, 0);
    ck_assert_uint_eq(rd(FR) & FR_RXFF, FR_RXFF); /* a 1-entry FIFO is full */
    ck_assert_uint_eq(rd(RIS) & INT_RX, INT_RX);
    ck_assert_uint_eq(rd(DR), 'a');
    ck_assert_uint_eq(rd(DR), 'b');
    ck_assert_uint_eq(rd(FR) & FR_RXFE, FR_RXFE);
    ck_assert_uint_eq(rd(RIS) & INT_RX, 0);
    /* empty: DR reads 0 and RXFE stays set */
    ck_assert_uint_eq(rd(DR), 0);
    ck_assert_uint_eq(rd(FR) & FR_RXFE, FR_RXFE);
    ck_assert_uint_eq(rd(RSR), 0);
}
END_TEST

START_TEST(test_receive_fifo)
{
    static const char input[] = "0123456789abcdefXYZ";
    make_uart(input, 19);
    wr(LCR_H, 0x70); /* 8 bits, FIFOs enabled */
    ck_assert_uint_eq(rd(LCR_H), 0x70);
    uint32_t fr = rd(FR);
    ck_assert_uint_eq(fr & (FR_RXFE | FR_RXFF), FR_RXFF); /* 16 entries filled */
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(rd(DR), (uint8_t)input[i]);
    ck_assert_uint_eq(rd(DR), 'X');
    ck_assert_uint_eq(rd(DR), 'Y');
    ck_assert_uint_eq(rd(DR), 'Z');
    ck_assert_uint_eq(rd(FR) & FR_RXFE, FR_RXFE);
}
END_TEST

START_TEST(test_interrupts)
{
    make_uart(NULL, 0);
    ck_assert_int_eq(irq_calls, 1); /* pl011_set_irq reports the current level */
    ck_assert(!irq_last);
    wr(DR, 'x');
    ck_assert_uint_eq(rd(RIS), INT_TX);
    ck_assert_uint_eq(rd(MIS), 0);
    ck_assert(!pl011_irq_level(uart));
    wr(IMSC, INT_TX | INT_RX);
    ck_assert_uint_eq(rd(IMSC), INT_TX | INT_RX);
    ck_assert_uint_eq(rd(MIS), INT_TX);
    ck_assert(pl011_irq_level(uart));
    ck_assert(irq_last);
    wr(ICR, INT_TX);
    ck_assert_uint_eq(rd(RIS), 0);
    ck_assert_uint_eq(rd(MIS), 0);
    ck_assert(!pl011_irq_level(uart));
    ck_assert(!irq_last);
    /* masking an active interrupt lowers the line without clearing RIS */
    wr(DR, 'y');
    ck_assert(pl011_irq_level(uart));
    wr(IMSC, 0);
    ck_assert(!pl011_irq_level(uart));
    ck_assert_uint_eq(rd(RIS), INT_TX);
    /* RIS and MIS are read-only */
    wr(RIS, 0);
    ck_assert_uint_eq(rd(RIS), INT_TX);
}
END_TEST

START_TEST(test_rx_interrupt_and_loopback)
{
    make_uart(NULL, 0);
    wr(IMSC, INT_RX);
    /* loopback: transmitted characters are received */
    wr(CR, 0x381); /* UARTEN | LBE | TXE | RXE */
    wr(DR, 'q');
    ck_assert_uint_eq(rd(RIS) & INT_RX, INT_RX);
    ck_assert(pl011_irq_level(uart));
    ck_assert_uint_eq(rd(DR), 'q');
    ck_assert_uint_eq(rd(RIS) & INT_RX, 0); /* reading below the trigger clears RXRIS */
    ck_assert(!pl011_irq_level(uart));
    ck_assert_uint_eq(out_len, 1); /* and it still went out */
    /* modem control loopback: RTS -> CTS, DTR -> DSR */
    wr(CR, 0x381 | (1u << 11) | (1u << 10));
    ck_assert_uint_eq(rd(FR) & 0x3, 0x3);
}
END_TEST

START_TEST(test_other_registers)
{
    make_uart(NULL, 0);
    wr(IBRD, 0x12345);
    ck_assert_uint_eq(rd(IBRD), 0x2345); /* 16 bits */
    wr(FBRD, 0xff);
    ck_assert_uint_eq(rd(FBRD), 0x3f); /* 6 bits */
    wr(ILPR, 0x1ff);
    ck_assert_uint_eq(rd(ILPR), 0xff);
    wr(IFLS, 0x3f);
    ck_assert_uint_eq(rd(IFLS), 0x3f);
    wr(DMACR, 0x7);
    ck_assert_uint_eq(rd(DMACR), 0x7);
    wr(CR, 0x301);
    ck_assert_uint_eq(rd(CR), 0x301);
    /* UARTECR: any write clears the error status */
    wr(RSR, 0xff);
    ck_assert_uint_eq(rd(RSR), 0);
    pl011_reset(uart);
    ck_assert_uint_eq(rd(CR), 0x300);
    ck_assert_uint_eq(rd(IBRD), 0);
}
END_TEST


START_TEST(test_pipe_poll_input)
{
    make_uart_pipe();
    int fd = pl011_input_fd(uart);
    ck_assert_int_eq(fd, fileno(in));
    ck_assert_int_eq(pl011_poll_input(uart), 0); /* nothing yet, does not block */
    ck_assert_uint_eq(rd(FR), FR_TXFE | FR_RXFE);
    wr(LCR_H, 0x70); /* FIFOs on */
    send("hello");
    ck_assert_int_eq(pl011_poll_input(uart), 5);
    ck_assert_uint_eq(rd(FR) & (FR_RXFE | FR_RXFF), 0);
    ck_assert_int_eq(pl011_poll_input(uart), 0);
    /* fill the FIFO: 16 characters are taken, the rest waits in the pipe */
    send("0123456789abcdefXY");
    ck_assert_int_eq(pl011_poll_input(uart), 11);
    ck_assert_uint_eq(rd(FR) & FR_RXFF, FR_RXFF);
    ck_assert_int_eq(pl011_input_fd(uart), -1); /* full: nothing to wait for */
    ck_assert_int_eq(pl011_poll_input(uart), 0);
    const char *want = "hello0123456789abcdefXY";
    for (int i = 0; want[i]; i++)
        ck_assert_uint_eq(rd(DR), (uint8_t)want[i]); /* DR reads refill the FIFO */
    ck_assert_uint_eq(rd(FR) & FR_RXFE, FR_RXFE);
    ck_assert_uint_eq(rd(RSR), 0);
    ck_assert_int_eq(pl011_input_fd(uart), fd);
    /* end of input: stop polling */
    close(pipe_wr);
    pipe_wr = -1;
    ck_assert_int_eq(pl011_poll_input(uart), 0);
    ck_assert_int_eq(pl011_input_fd(uart), -1);
    ck_assert_uint_eq(rd(FR) & FR_RXFE, FR_RXFE);
}
END_TEST

START_TEST(test_rx_trigger_levels)
{
    make_uart_pipe();
    wr(IMSC, INT_RX);
    /* FIFO off: one character raises RXRIS */
    send("a");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS) & INT_RX, INT_RX);
    ck_assert(irq_last);
    ck_assert_uint_eq(rd(DR), 'a');
    ck_assert(!irq_last);
    /* FIFO on, IFLS reset value 0x12: RX at 1/2 = 8 characters */
    wr(LCR_H, 0x70);
    send("1234567");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS) & INT_RX, 0);
    ck_assert(!irq_last);
    send("8");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS) & INT_RX, INT_RX);
    ck_assert(irq_last);
    /* reading below the trigger clears it */
    ck_assert_uint_eq(rd(DR), '1');
    ck_assert_uint_eq(rd(RIS) & INT_RX, 0);
    ck_assert(!irq_last);
    /* lowering the trigger to 1/8 (2 characters) raises it again */
    wr(IFLS, 0x00);
    ck_assert_uint_eq(rd(IFLS), 0);
    ck_assert_uint_eq(rd(RIS) & INT_RX, INT_RX);
    /* UARTICR clears it while the FIFO stays above the trigger */
    wr(ICR, INT_RX);
    ck_assert_uint_eq(rd(RIS) & INT_RX, 0);
    ck_assert(!irq_last);
    /* 3/4 = 12, 7/8 = 14 */
    for (int i = 0; i < 7; i++)
        rd(DR);
    wr(IFLS, 0x18);
    send("abcdefghijk"); /* 11 */
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS) & INT_RX, 0);
    send("l");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS) & INT_RX, INT_RX);
    wr(LCR_H, 0x60); /* FIFO off: flushed */
    ck_assert_uint_eq(rd(FR) & FR_RXFE, FR_RXFE);
    ck_assert_uint_eq(rd(RIS) & (INT_RX | INT_RT), 0);
    wr(LCR_H, 0x70);
    wr(IFLS, 0x20);
    send("ABCDEFGHIJKLM"); /* 13 < 14 */
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS) & INT_RX, 0);
    send("N");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS) & INT_RX, INT_RX);
}
END_TEST

START_TEST(test_rx_timeout)
{
    make_uart_pipe();
    wr(LCR_H, 0x70);
    wr(IMSC, INT_RX | INT_RT);
    send("ab"); /* below the trigger of 8 */
    ck_assert_int_eq(pl011_poll_input(uart), 2);
    /* the input went idle with characters waiting: receive timeout */
    ck_assert_uint_eq(rd(RIS), INT_RT);
    ck_assert_uint_eq(rd(MIS), INT_RT);
    ck_assert(irq_last);
    ck_assert_uint_eq(rd(DR), 'a');
    ck_assert_uint_eq(rd(RIS) & INT_RT, INT_RT);
    ck_assert_uint_eq(rd(DR), 'b'); /* emptying the FIFO clears it */
    ck_assert_uint_eq(rd(RIS), 0);
    ck_assert(!irq_last);
    /* no input waiting: no timeout */
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS), 0);
    /* cleared through UARTICR, it does not come back without new activity */
    send("c");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS), INT_RT);
    wr(ICR, INT_RT);
    ck_assert_uint_eq(rd(RIS), 0);
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS), 0);
    ck_assert(!irq_last);
    send("d");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS), INT_RT);
    ck_assert_uint_eq(rd(DR), 'c');
    ck_assert_uint_eq(rd(DR), 'd');
    ck_assert_uint_eq(rd(RIS), 0);
    /* masked: RIS shows it, the line stays low */
    wr(IMSC, 0);
    send("e");
    pl011_poll_input(uart);
    ck_assert_uint_eq(rd(RIS), INT_RT);
    ck_assert_uint_eq(rd(MIS), 0);
    ck_assert(!pl011_irq_level(uart));
}
END_TEST

START_TEST(test_tx_interrupt_and_overrun)
{
    make_uart(NULL, 0);
    wr(IMSC, INT_TX);
    ck_assert(!irq_last);
    wr(DR, 'a');
    ck_assert(irq_last);
    ck_assert_uint_eq(rd(MIS), INT_TX);
    wr(ICR, INT_TX);
    ck_assert(!irq_last);
    wr(DR, 'b');
    ck_assert(irq_last);
    wr(ICR, 0x7ff);
    /* loopback into a full FIFO: overrun, the character is lost */
    wr(IMSC, INT_OE);
    wr(CR, 0x381);
    wr(DR, '1');
    ck_assert_uint_eq(rd(FR) & FR_RXFF, FR_RXFF); /* 1-entry holding register */
    wr(DR, '2');
    ck_assert_uint_eq(rd(RIS) & INT_OE, INT_OE);
    ck_assert(irq_last);
    ck_assert_uint_eq(rd(RSR) & 0x8, 0x8);
    ck_assert_uint_eq(rd(DR), '1');
    ck_assert_uint_eq(rd(FR) & FR_RXFE, FR_RXFE);
    wr(RSR, 0);
    wr(ICR, INT_OE);
    ck_assert(!irq_last);
    ck_assert_uint_eq(out_len, 4);
    /* loopback disconnects the host input */
    ck_assert_int_eq(pl011_input_fd(uart), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pl011");
    TCase *tc = tcase_create("registers");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_reset_values_and_ids);
    tcase_add_test(tc, test_transmit);
    tcase_add_test(tc, test_receive);
    tcase_add_test(tc, test_receive_fifo);
    tcase_add_test(tc, test_interrupts);
    tcase_add_test(tc, test_rx_interrupt_and_loopback);
    tcase_add_test(tc, test_other_registers);
    tcase_add_test(tc, test_pipe_poll_input);
    tcase_add_test(tc, test_rx_trigger_levels);
    tcase_add_test(tc, test_rx_timeout);
    tcase_add_test(tc, test_tx_interrupt_and_overrun);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
