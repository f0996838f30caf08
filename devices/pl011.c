/*
 * ARM PrimeCell UART (PL011), as QEMU's hw/char/pl011.c models it.
 *
 * Register map and bits: ARM PrimeCell UART (PL011) Technical Reference Manual (DDI 0183),
 * chapter 3. Transmission is immediate (the TX FIFO is always empty: TXFE set, TXFF and
 * BUSY clear). Reception polls the input stream without blocking whenever the guest
 * looks at DR, FR, RIS or MIS, filling the RX FIFO (16 entries, or 1 with LCR_H.FEN
 * clear). The interrupt logic follows QEMU: RXRIS is raised when the FIFO holds
 * `read_trigger` (1) characters, TXRIS on every transmitted character, both cleared
 * through UARTICR (RXRIS also by reading the FIFO below the trigger).
 */
#include "devices/devices.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

/* Register offsets (TRM table 3-1). */
enum {
    UARTDR = 0x000,
    UARTRSR = 0x004, /* UARTECR on write */
    UARTFR = 0x018,
    UARTILPR = 0x020,
    UARTIBRD = 0x024,
    UARTFBRD = 0x028,
    UARTLCR_H = 0x02c,
    UARTCR = 0x030,
    UARTIFLS = 0x034,
    UARTIMSC = 0x038,
    UARTRIS = 0x03c,
    UARTMIS = 0x040,
    UARTICR = 0x044,
    UARTDMACR = 0x048,
    UARTPERIPHID0 = 0xfe0, /* ...UARTPCELLID3 at 0xffc */
};

/* UARTFR bits (TRM 3.3.3). */
#define FR_RI 0x100u
#define FR_TXFE 0x80u
#define FR_RXFF 0x40u
#define FR_TXFF 0x20u
#define FR_RXFE 0x10u
#define FR_BUSY 0x08u
#define FR_DCD 0x04u
#define FR_DSR 0x02u
#define FR_CTS 0x01u

/* UARTDR error bits (TRM 3.3.1). */
#define DR_BE (1u << 10)

/* Interrupt bits of UARTIMSC/RIS/MIS/ICR (TRM 3.3.10-3.3.13). */
#define INT_OE (1u << 10)
#define INT_BE (1u << 9)
#define INT_PE (1u << 8)
#define INT_FE (1u << 7)
#define INT_RT (1u << 6)
#define INT_TX (1u << 5)
#define INT_RX (1u << 4)
#define INT_DSR (1u << 3)
#define INT_DCD (1u << 2)
#define INT_CTS (1u << 1)
#define INT_RI (1u << 0)
#define INT_ALL 0x7ffu

/* UARTLCR_H, UARTCR bits. */
#define LCR_FEN (1u << 4)
#define LCR_BRK (1u << 0)
#define CR_OUT2 (1u << 13)
#define CR_OUT1 (1u << 12)
#define CR_RTS (1u << 11)
#define CR_DTR (1u << 10)
#define CR_LBE (1u << 7)

#define PL011_FIFO_DEPTH 16

/* UARTPeriphID0-3, UARTPCellID0-3 (TRM 3.3.16-3.3.23); the same values as QEMU. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct Pl011 {
    FILE *out;
    FILE *in;
    bool in_eof;  /* the input stream reached its end: stop polling it */
    uint32_t flags, lcr, rsr, cr, dmacr, int_enabled, int_level, ilpr, ibrd, fbrd, ifl;
    uint32_t read_fifo[PL011_FIFO_DEPTH];
    unsigned read_pos, read_count, read_trigger;
    bool irq_level;
    IrqLineFn irq_fn;
    void *irq_opaque;
};

static void pl011_update(Pl011 *s)
{
    bool level = (s->int_level & s->int_enabled) != 0;
    if (level != s->irq_level) {
        s->irq_level = level;
        if (s->irq_fn)
            s->irq_fn(s->irq_opaque, level);
    }
}

static unsigned fifo_depth(const Pl011 *s)
{
    return (s->lcr & LCR_FEN) ? PL011_FIFO_DEPTH : 1;
}

static void reset_rx_fifo(Pl011 *s)
{
    s->read_count = 0;
    s->read_pos = 0;
    s->flags &= ~FR_RXFF;
    s->flags |= FR_RXFE;
}

static void put_fifo(Pl011 *s, uint32_t value)
{
    unsigned depth = fifo_depth(s);
    if (s->read_count >= depth) {
        /* Overrun: the character is lost (TRM 3.3.2, OE). */
        s->rsr |= 0x8;
        s->int_level |= INT_OE;
        pl011_update(s);
        return;
    }
    unsigned slot = (s->read_pos + s->read_count) & (depth - 1);
    s->read_fifo[slot] = value;
    s->read_count++;
    s->flags &= ~FR_RXFE;
    if (s->read_count == depth)
        s->flags |= FR_RXFF;
    if (s->read_count == s->read_trigger) {
        s->int_level |= INT_RX;
        pl011_update(s);
    }
}

/* Move whatever input is available into the RX FIFO, without blocking. A stream without
 * a file descriptor (fmemopen in tests) is read with getc, which does not block either. In
 * loopback mode the receive input is disconnected (TRM 3.3.8, LBE). */
static void poll_input(Pl011 *s)
{
    if (!s->in || s->in_eof || (s->cr & CR_LBE))
        return;
    int fd = fileno(s->in);
    while (s->read_count < fifo_depth(s)) {
        uint8_t c;
        if (fd >= 0) {
            struct pollfd p = { .fd = fd, .events = POLLIN };
            if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
                return;
            ssize_t n = read(fd, &c, 1);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return;
            if (n <= 0) {
                s->in_eof = true;
                return;
            }
        } else {
            int ch = getc(s->in);
            if (ch == EOF) {
                s->in_eof = true;
                return;
            }
            c = (uint8_t)ch;
        }
        put_fifo(s, c);
    }
}

/* Loopback of the modem control outputs to the status inputs (TRM 3.3.8, LBE), as QEMU. */
static void loopback_mdmctrl(Pl011 *s)
{
    if (!(s->cr & CR_LBE))
        return;
    uint32_t fr = s->flags & ~(FR_RI | FR_DCD | FR_DSR | FR_CTS);
    fr |= (s->cr & CR_OUT2) ? FR_RI : 0;
    fr |= (s->cr & CR_OUT1) ? FR_DCD : 0;
    fr |= (s->cr & CR_RTS) ? FR_CTS : 0;
    fr |= (s->cr & CR_DTR) ? FR_DSR : 0;
    uint32_t il = s->int_level & ~(INT_DSR | INT_DCD | INT_CTS | INT_RI);
    il |= (fr & FR_DSR) ? INT_DSR : 0;
    il |= (fr & FR_DCD) ? INT_DCD : 0;
    il |= (fr & FR_CTS) ? INT_CTS : 0;
    il |= (fr & FR_RI) ? INT_RI : 0;
    s->flags = fr;
    s->int_level = il;
    pl011_update(s);
}

static uint32_t pl011_reg_read(Pl011 *s, uint32_t reg)
{
    switch (reg) {
    case UARTDR: {
        poll_input(s);
        s->flags &= ~FR_RXFF;
        uint32_t c = 0;
        if (s->read_count > 0) {
            c = s->read_fifo[s->read_pos];
            s->read_count--;
            s->read_pos = (s->read_pos + 1) & (fifo_depth(s) - 1);
        }
        if (s->read_count == 0)
            s->flags |= FR_RXFE;
        if (s->read_count == s->read_trigger - 1)
            s->int_level &= ~INT_RX;
        s->rsr = (c >> 8) & 0xf;
        pl011_update(s);
        return c;
    }
    case UARTRSR: return s->rsr;
    case UARTFR: poll_input(s); return s->flags;
    case UARTILPR: return s->ilpr;
    case UARTIBRD: return s->ibrd;
    case UARTFBRD: return s->fbrd;
    case UARTLCR_H: return s->lcr;
    case UARTCR: return s->cr;
    case UARTIFLS: return s->ifl;
    case UARTIMSC: return s->int_enabled;
    case UARTRIS: poll_input(s); return s->int_level;
    case UARTMIS: poll_input(s); return s->int_level & s->int_enabled;
    case UARTDMACR: return s->dmacr;
    default:
        if (reg >= UARTPERIPHID0 && reg <= 0xffc)
            return pl011_id[(reg - UARTPERIPHID0) >> 2];
        return 0; /* reserved: reads as zero */
    }
}

static void pl011_reg_write(Pl011 *s, uint32_t reg, uint32_t value)
{
    switch (reg) {
    case UARTDR: {
        /* Like QEMU, transmit whatever UARTCR.UARTEN/TXE say. */
        uint8_t ch = (uint8_t)value;
        if (s->out) {
            fputc(ch, s->out);
            fflush(s->out);
        }
        if (s->cr & CR_LBE)
            put_fifo(s, ch);
        s->int_level |= INT_TX;
        pl011_update(s);
        break;
    }
    case UARTRSR: s->rsr = 0; break; /* UARTECR: any write clears the errors */
    case UARTILPR: s->ilpr = value & 0xff; break;
    case UARTIBRD: s->ibrd = value & 0xffff; break;
    case UARTFBRD: s->fbrd = value & 0x3f; break;
    case UARTLCR_H:
        if ((s->lcr ^ value) & LCR_FEN) {
            /* Enabling or disabling the FIFOs flushes them (as QEMU). */
            reset_rx_fifo(s);
            s->flags &= ~FR_TXFF;
            s->flags |= FR_TXFE;
        }
        if (((s->lcr ^ value) & LCR_BRK) && (value & LCR_BRK) && (s->cr & CR_LBE))
            put_fifo(s, DR_BE);
        s->lcr = value & 0xff;
        break;
    case UARTCR:
        s->cr = value & 0xffff;
        loopback_mdmctrl(s);
        break;
    case UARTIFLS: s->ifl = value & 0x3f; break;
    case UARTIMSC:
        s->int_enabled = value & INT_ALL;
        pl011_update(s);
        break;
    case UARTICR:
        s->int_level &= ~value;
        pl011_update(s);
        break;
    case UARTDMACR: s->dmacr = value & 0x7; break;
    default: break; /* UARTFR, RIS, MIS, ID registers, reserved: writes ignored */
    }
}

/* Sub-word accesses address the byte lanes of the 32-bit register that contains them
 * (the registers are word registers; a byte store to UARTDR is the common case). */
static MemStatus pl011_mmio_read(void *opaque, uint32_t offset, unsigned size, uint32_t *value)
{
    Pl011 *s = opaque;
    uint32_t v = pl011_reg_read(s, offset & ~3u);
    unsigned shift = (offset & 3u) * 8;
    v >>= shift;
    if (size < 4)
        v &= (1u << (size * 8)) - 1;
    *value = v;
    return MEM_OK;
}

static MemStatus pl011_mmio_write(void *opaque, uint32_t offset, unsigned size, uint32_t value)
{
    Pl011 *s = opaque;
    if (size < 4)
        value &= (1u << (size * 8)) - 1;
    pl011_reg_write(s, offset & ~3u, value << ((offset & 3u) * 8));
    return MEM_OK;
}

static const MmioOps pl011_ops = {
    .read = pl011_mmio_read,
    .write = pl011_mmio_write,
};

/* Reset values (TRM table 3-1; UARTCR 0x300 = TXE|RXE as QEMU). */
void pl011_reset(Pl011 *s)
{
    s->lcr = s->rsr = s->dmacr = 0;
    s->int_enabled = s->int_level = 0;
    s->ilpr = s->ibrd = s->fbrd = 0;
    s->read_trigger = 1;
    s->ifl = 0x12;
    s->cr = 0x300;
    s->flags = FR_TXFE;
    reset_rx_fifo(s);
    pl011_update(s);
}

Pl011 *pl011_create(FILE *out, FILE *in)
{
    Pl011 *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->out = out;
    s->in = in;
    pl011_reset(s);
    return s;
}

void pl011_destroy(Pl011 *s)
{
    free(s);
}

int pl011_map(Pl011 *s, PhysMem *mem, PhysAddr base)
{
    return physmem_add_mmio(mem, base, VIRT_UART_SIZE, &pl011_ops, s, "pl011");
}

void pl011_set_irq(Pl011 *s, IrqLineFn fn, void *opaque)
{
    s->irq_fn = fn;
    s->irq_opaque = opaque;
    if (fn)
        fn(opaque, s->irq_level);
}

bool pl011_irq_level(const Pl011 *s)
{
    return s->irq_level;
}
