/*
 * PL011 UART interrupts (UART0 at 0x09000000, SPI 1 = interrupt ID 33 on
 * "virt"): peripheral/cell ID registers, flags with the receive FIFO empty,
 * the mask (IMSC), raw (RIS) and masked (MIS) interrupt status and the
 * clear register (ICR) for the transmit interrupt, the interrupt level in
 * the GIC following MIS, and a line of text sent one character per TX
 * interrupt by the IRQ handler.  The receive side cannot be driven by the
 * test: only "nothing received" is checked.
 *
 * The emulators send characters at once, so the TX interrupt is raised as
 * soon as a character has been written to an empty FIFO.
 */
#include "it.h"

static const char line[] = "uart: this line was sent by the TX interrupt handler\n";
static volatile u32 pos, hook_mis;

static void tx_hook(u32 iar)
{
    if ((iar & 0x3ff) != SPI_UART0)
        return;
    u32 mis = it_rd(UART_MIS);
    hook_mis |= mis;
    if (mis & UART_INT_TX) {
        if (line[pos]) {
            it_wr(UART_DR, (u8)line[pos++]);
        } else {
            it_wr(UART_ICR, UART_INT_TX);
            it_wr(UART_IMSC, 0);
        }
    }
}

int main(void)
{
    mt_install();
    it_install();
    if (!it_gic_present())
        return gt_finish();
    it_gic_init();

    static const u8 ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    u32 idok = 1;
    for (u32 i = 0; i < 4; i++)
        if (it_rd(UART_PERIPHID(i)) != ids[i] || it_rd(UART_CELLID(i)) != ids[4 + i])
            idok = 0;
    if (!gt_check("pl011-id-registers", idok, 1))
        return gt_finish();

    it_wr(UART_CR, 0x301);                  /* UARTEN, TXE, RXE */
    it_wr(UART_IMSC, 0);
    it_wr(UART_ICR, 0x7ff);
    mt_dsb();
    gt_check("fr-tx-empty-rx-empty", it_rd(UART_FR) & 0xb8, 0x90);
    gt_check("ris-after-icr", it_rd(UART_RIS) & (UART_INT_TX | UART_INT_RX | UART_INT_RT), 0);
    gt_check("imsc-readback", (it_wr(UART_IMSC, UART_INT_TX | UART_INT_RX), it_rd(UART_IMSC)),
             UART_INT_TX | UART_INT_RX);
    it_wr(UART_IMSC, 0);

    /* TX interrupt raised by sending a character; MIS = RIS & IMSC */
    for (const char *c = "uart: polled output\n"; *c; c++)
        it_wr(UART_DR, (u8)*c);
    mt_dsb();
    gt_check("ris-tx-after-write", it_rd(UART_RIS) & UART_INT_TX, UART_INT_TX);
    gt_check("mis-tx-masked", it_rd(UART_MIS), 0);
    it_gic_enable(SPI_UART0);
    gt_check("gic-not-pending-while-masked", it_gic_pending(SPI_UART0), 0);
    it_wr(UART_IMSC, UART_INT_TX);
    mt_dsb();
    gt_check("mis-tx-unmasked", it_rd(UART_MIS), UART_INT_TX);
    gt_check("gic-pending-when-unmasked", it_gic_pending(SPI_UART0), 1);
    it_wr(UART_ICR, UART_INT_TX);
    mt_dsb();
    gt_check("ris-tx-cleared", it_rd(UART_RIS) & UART_INT_TX, 0);
    gt_check("mis-tx-cleared", it_rd(UART_MIS), 0);
    gt_check("gic-not-pending-after-icr", it_gic_pending(SPI_UART0), 0);
    it_wr(UART_IMSC, 0);

    /* interrupt-driven output of one line */
    it_reset();
    it.hook = tx_hook;
    pos = 0;
    hook_mis = 0;
    it_wr(UART_DR, (u8)line[pos++]);
    it_wr(UART_IMSC, UART_INT_TX);
    mt_dsb();
    it_irq_on();
    for (u32 i = 0; i < 1000000 && it_rd(UART_IMSC); i++)
        ;
    it_irq_off();
    gt_check("tx-irq-line-sent", pos, sizeof line - 1);
    gt_check("tx-irq-count", it.count, sizeof line - 1);
    gt_check("tx-irq-id", it.ids[0], SPI_UART0);
    gt_check("tx-irq-mis-seen", hook_mis, UART_INT_TX);
    gt_check("tx-irq-gic-idle", it_gic_pending(SPI_UART0) | it_gic_active(SPI_UART0), 0);

    /* nothing was received */
    gt_check("rx-nothing", it_rd(UART_RIS) & (UART_INT_RX | UART_INT_RT), 0);
    gt_check("rx-fifo-empty", it_rd(UART_FR) & 0x10, 0x10);
    it_gic_disable(SPI_UART0);
    return gt_finish();
}
