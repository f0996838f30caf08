/*
 * Internal to devices: the host terminal as the guest's console (console.c).
 */
#ifndef ARMVM_DEVICES_CONSOLE_H
#define ARMVM_DEVICES_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <termios.h>

#include "frontend-arm/frontend-arm.h"

#define CONSOLE_ESCAPE 0x01 /* Ctrl-A, as QEMU's -nographic */

typedef struct Console {
    bool raw;            /* fd is a terminal we put in raw mode */
    int fd;
    struct termios saved;
    bool escape;         /* the escape key was the last byte */
    ArmCpu *cpu;         /* asked to stop by Ctrl-A x */
    FILE *err;           /* where the escape help and messages go */
} Console;

/* Use `in` as the console: when it is a terminal, put it in raw mode (no line editing,
 * no echo, no signals: Ctrl-C goes to the guest) until console_close. */
void console_open(Console *con, FILE *in, ArmCpu *cpu, FILE *err);
void console_close(Console *con);
/* The input filter for the UART (Pl011InputFilter): Ctrl-A x stops the machine, Ctrl-A h
 * prints the keys, Ctrl-A Ctrl-A sends one Ctrl-A; other bytes pass. */
int console_filter(void *opaque, uint8_t c);

#endif
