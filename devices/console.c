/*
 * The host terminal as the guest's console, as with QEMU's -nographic: raw mode while the
 * guest runs (every key goes to the guest's UART, Ctrl-C included) and an escape key,
 * Ctrl-A, for the emulator itself.
 */
#include "devices/console.h"

#include <unistd.h>

void console_open(Console *con, FILE *in, ArmCpu *cpu, FILE *err)
{
    *con = (Console){ .fd = -1, .cpu = cpu, .err = err };
    int fd = in ? fileno(in) : -1;
    if (fd < 0 || !isatty(fd) || tcgetattr(fd, &con->saved) != 0)
        return;
    struct termios raw = con->saved;
    raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    raw.c_cflag |= CS8;
    raw.c_oflag |= OPOST; /* keep "\n" -> "\r\n" for the emulator's own messages */
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &raw) == 0) {
        con->fd = fd;
        con->raw = true;
    }
}

void console_close(Console *con)
{
    if (con->raw)
        tcsetattr(con->fd, TCSANOW, &con->saved);
    con->raw = false;
}

int console_filter(void *opaque, uint8_t c)
{
    Console *con = opaque;
    if (!con->escape) {
        if (c == CONSOLE_ESCAPE) {
            con->escape = true;
            return -1;
        }
        return c;
    }
    con->escape = false;
    switch (c) {
    case 'x':
    case 'X':
        if (con->err)
            fprintf(con->err, "\r\narmvm: terminated (Ctrl-A x)\r\n");
        if (con->cpu)
            con->cpu->exit_request = 1;
        return -1;
    case 'h':
    case 'H':
    case '?':
        if (con->err)
            fprintf(con->err, "\r\nC-a h    print this help\r\n"
                              "C-a x    exit armvm\r\n"
                              "C-a C-a  send C-a to the guest\r\n");
        return -1;
    case CONSOLE_ESCAPE:
        return CONSOLE_ESCAPE;
    default:
        return c; /* not an escape: the key goes to the guest, the Ctrl-A does not */
    }
}
