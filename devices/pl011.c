/*
 * ARM PrimeCell UART (PL011), as QEMU's hw/char/pl011.c models it, with the receive
 * side and the interrupt conditions of the TRM.
 *
 * Register map and bits: ARM PrimeCell UART (PL011) Technical Reference Manual (DDI 0183),
 * chapter 3; interrupts: section 2.9 (UARTRXINTR, UARTRTINTR, UARTTXINTR, UARTINTR).
 *
 * Transmission is immediate: the TX FIFO is always empty (UARTFR.TXFE set, TXFF and
 * BUSY clear) and every character written raises TXRIS, as in QEMU (the FIFO drains to
 * or below any trigger level at once).
 *
 * Reception: characters come from the input stream without blocking, whenever the run
 * loop calls pl011_poll_input and whenever the guest reads UARTDR, UARTFR, UARTRIS or
 * UARTMIS. They go into the RX FIFO (16 entries with UARTLCR_H.FEN set, otherwise a
 * 1-character holding register) and are never lost: input is read only while the FIFO
 * has room. RXRIS is raised when the FIFO fill reaches the UARTIFLS trigger level (1/8
 * to 7/8 of 16 with the FIFO on, 1 character with it off) and cleared when reads take
 * it below that or through UARTICR. The receive timeout (RTRIS: FIFO not empty and no
 * more data for 32 bit periods) is raised when a poll finds the input idle while
 * characters wait in the FIFO, once per arrival or read; it is cleared when the FIFO
 * empties or through UARTICR. QEMU 7.2 instead uses a trigger level of 1 and never
 * raises RTRIS; a driver that enables both RX and RT interrupts (Linux) sees no
 * difference. Like QEMU 7.2, reception does not look at UARTCR.UARTEN/RXE.
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

/* UARTDR error bits (TRM 3.3.1), UARTRSR bits (3.3.2). */
#define DR_BE (1u << 10)
#define RSR_OE 0x8u

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
    bool in_eof;  /* the input stream reached its end (or failed): stop polling it */
    uint32_t lcr, rsr, cr, dmacr, int_enabled, int_level, ilpr, ibrd, fbrd, ifl;
    uint32_t modem; /* UARTFR modem status bits (RI, DCD, DSR, CTS) */
    uint32_t read_fifo[PL011_FIFO_DEPTH];
    unsigned read_pos, read_count;
    bool rt_armed;  /* a character arrived or was read since the receive timeout fired */
    bool irq_level;
    IrqLineFn irq_fn;
    void *irq_opaque;
    Pl011InputFilter filter; /* host bytes pass through it first (console escapes) */
    void *filter_opaque;
};

/* UARTINTR, the combined interrupt: the OR of the masked interrupts (TRM 2.9.6). */
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

/* The RX trigger level (UARTIFLS.RXIFLSEL, TRM 3.3.9): 1/8, 1/4, 1/2, 3/4 or 7/8 of the
 * FIFO (the reserved encodings act as 7/8); one character with the FIFO disabled. */
static unsigned rx_trigger(const Pl011 *s)
{
    static const unsigned level[8] = { 2, 4, 8, 12, 14, 14, 14, 14 };
    if (!(s->lcr & LCR_FEN))
        return 1;
    return level[(s->ifl >> 3) & 7];
}

static uint32_t pl011_flags(const Pl011 *s)
{
    uint32_t fr = FR_TXFE | s->modem;
    if (s->read_count == 0)
        fr |= FR_RXFE;
    if (s->read_count >= fifo_depth(s))
        fr |= FR_RXFF;
    return fr;
}

static void flush_rx_fifo(Pl011 *s)
{
    s->read_count = 0;
    s->read_pos = 0;
    s->rt_armed = false;
    s->int_level &= ~(INT_RX | INT_RT);
}

static void put_fifo(Pl011 *s, uint32_t value)
{
    unsigned depth = fifo_depth(s);
    if (s->read_count >= depth) {
        /* Overrun: the character is lost (TRM 3.3.2, OE). */
        s->rsr |= RSR_OE;
        s->int_level |= INT_OE;
        pl011_update(s);
        return;
    }
    unsigned slot = (s->read_pos + s->read_count) & (depth - 1);
    s->read_fifo[slot] = value;
    s->read_count++;
    s->rt_armed = true;
    if (s->read_count >= rx_trigger(s)) {
        s->int_level |= INT_RX;
        pl011_update(s);
    }
}

/* Read up to max bytes that are available now into buf. Returns the count; sets *idle
 * when the stream had nothing more to give (or ended). A stream without a file
 * descriptor (fmemopen in tests) is read with getc, which does not block either. */
static unsigned read_available(Pl011 *s, uint8_t *buf, unsigned max, bool *idle)
{
    int fd = fileno(s->in);
    unsigned n = 0;
    *idle = false;
    if (fd < 0) {
        while (n < max) {
            int ch = getc(s->in);
            if (ch == EOF) {
                s->in_eof = true;
                *idle = true;
                break;
            }
            buf[n++] = (uint8_t)ch;
        }
        return n;
    }
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) {
        *idle = true;
        return 0;
    }
    ssize_t r = read(fd, buf, max);
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        *idle = true;
        return 0;
    }
    if (r <= 0) {
        s->in_eof = true; /* end of input, or an error that polling will not cure */
        *idle = true;
        return 0;
    }
    if ((unsigned)r < max)
        *idle = true;
    return (unsigned)r;
}

/* Move whatever input is available into the RX FIFO, then apply the receive timeout
 * (TRM 2.9.3, UARTRTINTR): if the input is idle and characters wait in the FIFO, the
 * timeout fires. In loopback mode the receive input is disconnected (TRM 3.3.8, LBE).
 * Returns the number of characters received. */
static int poll_input(Pl011 *s)
{
    unsigned got = 0;
    bool idle = true;
    if (s->in && !s->in_eof && !(s->cr & CR_LBE)) {
        unsigned room = fifo_depth(s) - s->read_count;
        if (room > 0) {
            uint8_t buf[PL011_FIFO_DEPTH];
            got = read_available(s, buf, room, &idle);
            for (unsigned i = 0; i < got; i++) {
                int c = s->filter ? s->filter(s->filter_opaque, buf[i]) : buf[i];
                if (c >= 0)
                    put_fifo(s, (uint8_t)c);
            }
        } else {
            idle = false; /* full: whatever else is waiting stays in the host */
        }
    }
    if (idle && s->read_count > 0 && s->rt_armed) {
        s->rt_armed = false;
        s->int_level |= INT_RT;
        pl011_update(s);
    }
    return (int)got;
}

/* Loopback of the modem control outputs to the status inputs (TRM 3.3.8, LBE), as QEMU. */
static void loopback_mdmctrl(Pl011 *s)
{
    if (!(s->cr & CR_LBE))
        return;
    uint32_t fr = 0;
    fr |= (s->cr & CR_OUT2) ? FR_RI : 0;
    fr |= (s->cr & CR_OUT1) ? FR_DCD : 0;
    fr |= (s->cr & CR_RTS) ? FR_CTS : 0;
    fr |= (s->cr & CR_DTR) ? FR_DSR : 0;
    uint32_t il = s->int_level & ~(INT_DSR | INT_DCD | INT_CTS | INT_RI);
    il |= (fr & FR_DSR) ? INT_DSR : 0;
    il |= (fr & FR_DCD) ? INT_DCD : 0;
    il |= (fr & FR_CTS) ? INT_CTS : 0;
    il |= (fr & FR_RI) ? INT_RI : 0;
    s->modem = fr;
    s->int_level = il;
    pl011_update(s);
}

/* UARTDR read (TRM 3.3.1): the oldest character with its error bits [11:8]; 0 when the
 * FIFO is empty. */
static uint32_t read_dr(Pl011 *s)
{
    poll_input(s);
    uint32_t c = 0;
    if (s->read_count > 0) {
        c = s->read_fifo[s->read_pos];
        s->read_count--;
        s->read_pos = (s->read_pos + 1) & (fifo_depth(s) - 1);
        s->rt_armed = true;
    }
    if (s->read_count < rx_trigger(s))
        s->int_level &= ~INT_RX;
    if (s->read_count == 0)
        s->int_level &= ~INT_RT;
    s->rsr = (c >> 8) & 0xf;
    pl011_update(s);
    return c;
}

static uint32_t pl011_reg_read(Pl011 *s, uint32_t reg)
{
    switch (reg) {
    case UARTDR: return read_dr(s);
    case UARTRSR: return s->rsr;
    case UARTFR: poll_input(s); return pl011_flags(s);
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
        /* Enabling or disabling the FIFOs flushes them (as QEMU). */
        if ((s->lcr ^ value) & LCR_FEN)
            flush_rx_fifo(s);
        if (((s->lcr ^ value) & LCR_BRK) && (value & LCR_BRK) && (s->cr & CR_LBE))
            put_fifo(s, DR_BE);
        s->lcr = value & 0xff;
        pl011_update(s);
        break;
    case UARTCR:
        s->cr = value & 0xffff;
        loopback_mdmctrl(s);
        break;
    case UARTIFLS:
        s->ifl = value & 0x3f;
        if (s->read_count >= rx_trigger(s))
            s->int_level |= INT_RX;
        pl011_update(s);
        break;
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
    s->ifl = 0x12;
    s->cr = 0x300;
    s->modem = 0;
    flush_rx_fifo(s);
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

void pl011_set_input_filter(Pl011 *s, Pl011InputFilter fn, void *opaque)
{
    s->filter = fn;
    s->filter_opaque = opaque;
}

int pl011_poll_input(Pl011 *s)
{
    return poll_input(s);
}

int pl011_input_fd(const Pl011 *s)
{
    if (!s->in || s->in_eof || (s->cr & CR_LBE) || s->read_count >= fifo_depth(s))
        return -1;
    return fileno(s->in);
}
