#!/usr/bin/env python3
"""reference.py WORKLOAD [ARGS...]

Prints the RESULT line(s) that bench/os's workload prints for the same
command line, computed on the host with independent code (the primes with a
sieve of Eratosthenes instead of trial division), so that the tests know
the expected checksums without taking them from an emulator.  Meant for
small sizes: the fractal in pure Python is slow.

    reference.py primes 10000         ->  RESULT primes checksum=0x...
"""
import sys

MASK = 0xFFFFFFFF
FNV_INIT = 0x811C9DC5

# The defaults of user/main.c, and the sizes of "all".
PRIMES_DEFAULT = 8000000
PINGPONG_DEFAULT = 1000000
FRACTAL_DEFAULT = (800, 600, 2000)
ALL = (("primes", (300000,)), ("pingpong", (5000,)), ("fractal", (160, 120, 256)))


def fnv(h, word):
    return ((h ^ word) * 0x01000193) & MASK


def primes(n):
    count = total = mix = 0
    if n > 2:
        sieve = bytearray([1]) * n
        sieve[0] = sieve[1] = 0
        for p in range(2, int(n ** 0.5) + 1):
            if sieve[p]:
                sieve[p * p::p] = bytearray(len(range(p * p, n, p)))
        for p in range(n):
            if sieve[p]:
                count += 1
                total += p
                mix ^= (p * 0x9E3779B1) & MASK
    h = FNV_INIT
    for word in (count, total & MASK, total >> 32, mix):
        h = fnv(h, word)
    return h


def pingpong(rounds):
    acc = FNV_INIT
    for i in range(rounds):
        a, b, c = i, acc, i ^ 0x5A5A5A5A
        reply_b = ((b ^ c) * 0x01000193) & MASK
        reply_c = (c + a) & MASK
        acc = (reply_b + reply_c) & MASK
    return acc


def fractal(width, height, maxit):
    xmin, xwidth = -0x24000000, 0x30000000     # [-2.25, 0.75] in Q4.28
    ymin, yheight = -0x14000000, 0x28000000    # [-1.25, 1.25]
    four = 4 << 56
    dx, dy = xwidth // width, yheight // height
    h = FNV_INIT
    for row in range(height):
        cy = ymin + row * dy
        for col in range(width):
            cx = xmin + col * dx
            x = y = 0
            i = 0
            while i < maxit:
                xx, yy = x * x, y * y
                if xx + yy > four:
                    break
                y = ((x * y) >> 27) + cy
                x = ((xx - yy) >> 28) + cx
                i += 1
            h = fnv(h, i)
    return h


def result(name, args):
    if name == "primes":
        (n,) = args or (PRIMES_DEFAULT,)
        return primes(n)
    if name == "pingpong":
        (m,) = args or (PINGPONG_DEFAULT,)
        return pingpong(m)
    if name == "fractal":
        w, h, it = (list(args) + list(FRACTAL_DEFAULT)[len(args):])
        return fractal(w, h, it)
    if name == "test":
        return 0                                # the number of failed checks
    return None


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    name, args = argv[0], tuple(int(a, 0) for a in argv[1:])
    runs = ALL if name == "all" else ((name, args),)
    for run_name, run_args in runs:
        value = result(run_name, run_args)
        if value is not None:
            print(f"RESULT {run_name} checksum=0x{value:08x}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
