/*
 * pingpong.c - the "pingpong" workload: M round trips between two tasks,
 * each a SYS_CALL from the pinger and a SYS_REPLY_WAIT from the ponger
 * (two address-space switches per round trip).  Transition-bound.
 *
 * Round trip i: the pinger sends (i, acc, i ^ 0x5a5a5a5a, 0); the ponger
 * answers (a + 1, (b ^ c) * 0x01000193, c + a, its count of requests) for
 * the message (a, b, c, _); the pinger checks the first and last words and
 * sets acc = second + third word of the reply.  acc starts at 0x811c9dc5
 * and its final value is the checksum (bench/os/reference.py).
 */
#include "user.h"

#define OP_PING 0
#define OP_STOP 1

static int ponger(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    struct msg m;
    u32 served = 0;
    int from = recv(TID_ANY, &m);
    while (from > 0 && m.w[3] == OP_PING) {
        u32 a = m.w[0], b = m.w[1], c = m.w[2];
        m.w[0] = a + 1;
        m.w[1] = (b ^ c) * 0x01000193u;
        m.w[2] = c + a;
        m.w[3] = served++;
        from = reply_wait(from, &m);
    }
    if (from <= 0)
        return -1;
    reply(from, &m);                    /* the stop request */
    return served;
}

static int pinger(u32 rounds, u32 server, u32 parent)
{
    u32 acc = FNV_INIT, errors = 0;
    for (u32 i = 0; i < rounds; i++) {
        struct msg m = { { i, acc, i ^ 0x5a5a5a5au, OP_PING } };
        if (call(server, &m) != 0 || m.w[0] != i + 1 || m.w[3] != i)
            errors++;
        acc = m.w[1] + m.w[2];
    }
    struct msg stop = { { 0, 0, 0, OP_STOP } };
    if (call(server, &stop) != 0)
        errors++;
    struct msg result = { { acc, errors, rounds, 0 } };
    return send(parent, &result) == 0 ? 0 : 1;
}

int run_pingpong(u32 rounds)
{
    int me = my_tid();
    int pong = spawn(ponger, 0, 0, 0);
    int ping = pong < 0 ? pong : spawn(pinger, rounds, pong, me);
    if (ping < 0) {
        printf("FAIL: pingpong: spawn: %d\n", ping);
        return 1;
    }
    struct msg m = { { 0, 0, 0, 0 } };
    u32 ping_status = 1, pong_status = 0;
    int got = recv(ping, &m);
    join(ping, &ping_status);
    join(pong, &pong_status);
    if (got != ping || m.w[1] != 0 || ping_status != 0 || pong_status != rounds) {
        printf("FAIL: pingpong: errors %u, ponger served %u of %u\n", m.w[1], pong_status, rounds);
        return 1;
    }
    printf("pingpong: %u round trips\n", rounds);
    printf("RESULT pingpong checksum=0x%08x\n", m.w[0]);
    return 0;
}
