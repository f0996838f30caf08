/*
 * PL011 UART: register reads and writes through the physical address space, output to a
 * memory stream, input from another, flags, the interrupt status logic, ID registers.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

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

static void teardown(void)
{
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
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
