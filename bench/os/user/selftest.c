/*
 * selftest.c - the "test" workload: checks of the kernel's IPC, pager,
 * scheduler and fault isolation, one line each ("ok: ..." or "FAIL: ...").
 * Only this task prints (besides the kernel's lines about tasks it kills),
 * and nothing printed depends on timing, so the output is the same on
 * every emulator.  Exit status 0 when everything passed.
 */
#include "user.h"

static u32 checks, failures;

static void check(const char *name, int ok)
{
    checks++;
    if (ok) {
        printf("ok: %s\n", name);
    } else {
        failures++;
        printf("FAIL: %s\n", name);
    }
}

static void check_eq(const char *name, u32 got, u32 want)
{
    checks++;
    if (got == want) {
        printf("ok: %s\n", name);
    } else {
        failures++;
        printf("FAIL: %s: got 0x%x, want 0x%x\n", name, got, want);
    }
}

static int msg_eq(const struct msg *m, u32 a, u32 b, u32 c, u32 d)
{
    return m->w[0] == a && m->w[1] == b && m->w[2] == c && m->w[3] == d;
}

/* Runs fn(a0, a1, a2) as a task and returns its exit status. */
static u32 run_task(task_fn fn, u32 a0, u32 a1, u32 a2)
{
    int tid = spawn(fn, a0, a1, a2);
    u32 status = 0xdeadbeef;
    if (tid < 0 || join(tid, &status) != 0)
        return 0xdeadbeef;
    return status;
}

/* Words of the shared window the tests use. */
enum { SH_ISOLATION, SH_STOP, SH_COUNT0, SH_COUNT1 };

/* ---- IPC ------------------------------------------------------------------------ */
#define ECHO_STOP 0xdead0000u

/* Replies (a + 1, b * 2, ~c, requests served << 16 | caller's tid) to
 * (a, b, c, _); ends on a = ECHO_STOP with the number served. */
static int echo_server(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    struct msg m;
    u32 served = 0;
    int from = recv(TID_ANY, &m);
    while (from > 0 && m.w[0] != ECHO_STOP) {
        served++;
        m.w[0] = m.w[0] + 1;
        m.w[1] = m.w[1] * 2;
        m.w[2] = ~m.w[2];
        m.w[3] = served << 16 | (u32)from;
        from = reply_wait(from, &m);
    }
    if (from > 0)
        reply(from, &m);
    return served;
}

/* Receives one message, sends (sender, sum of its words, own tid, 0x5eed)
 * back to the sender, exits with 7. */
static int sink(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    struct msg m;
    int from = recv(TID_ANY, &m);
    struct msg r = { { (u32)from, m.w[0] + m.w[1] + m.w[2] + m.w[3], (u32)my_tid(), 0x5eed } };
    if (from < 0 || send(from, &r) != 0)
        return 1;
    return 7;
}

/* Sends count messages (tag, i, 0, 0) to parent. */
static int tagged_sender(u32 tag, u32 parent, u32 count)
{
    for (u32 i = 0; i < count; i++) {
        struct msg m = { { tag, i, 0, 0 } };
        if (send(parent, &m) != 0)
            return 1;
    }
    return 0;
}

/* Receives one message and ends without replying: exits with 5 (mode 0)
 * or dies writing to address 0 (mode 1). */
static int dropper(u32 mode, u32 a1, u32 a2)
{
    (void)a1, (void)a2;
    struct msg m;
    recv(TID_ANY, &m);
    if (mode == 1)
        *(volatile u32 *)0 = 1;
    return 5;
}

static void test_ipc(int echo)
{
    int me = my_tid();
    struct msg m = { { 1, 2, 3, 4 } };
    int r = call(echo, &m);
    check("ipc: call gets the reply of reply_wait",
          r == 0 && msg_eq(&m, 2, 4, ~3u, 1u << 16 | (u32)me));

    u32 bad = 0;
    for (u32 i = 0; i < 1000; i++) {
        struct msg q = { { i, i * 7, i ^ 0x55, 0 } };
        if (call(echo, &q) != 0 || !msg_eq(&q, i + 1, i * 14, ~(i ^ 0x55), (i + 2) << 16 | (u32)me))
            bad++;
    }
    check_eq("ipc: 1000 calls answered in order", bad, 0);

    int s = spawn(sink, 0, 0, 0);
    struct msg out = { { 10, 20, 30, 40 } };
    r = send(s, &out);
    check_eq("ipc: send returns 0 once received", r, 0);
    struct msg in;
    r = recv(s, &in);
    check("ipc: recv names the sender and gets its message",
          r == s && msg_eq(&in, (u32)me, 100, (u32)s, 0x5eed));
    u32 status = 0;
    r = join(s, &status);
    check("ipc: join returns the exit status", r == 0 && status == 7);

    /* two senders queue on us: receiving from a given task picks its
     * messages, in the order it sent them, whoever queued first */
    int s1 = spawn(tagged_sender, 1, me, 2);
    int s2 = spawn(tagged_sender, 2, me, 2);
    struct msg a, b, c, d;
    int ra = recv(s2, &a), rb = recv(s2, &b), rc = recv(s1, &c), rd = recv(s1, &d);
    check("ipc: recv from a given task, in its order",
          ra == s2 && rb == s2 && rc == s1 && rd == s1 && msg_eq(&a, 2, 0, 0, 0) &&
          msg_eq(&b, 2, 1, 0, 0) && msg_eq(&c, 1, 0, 0, 0) && msg_eq(&d, 1, 1, 0, 0));
    u32 st1 = 1, st2 = 1;
    join(s1, &st1);
    join(s2, &st2);
    check("ipc: both senders finished", st1 == 0 && st2 == 0);

    /* errors */
    const int nobody = 0x7fff0000;
    check_eq("ipc: send to no task", (u32)send(nobody, &m), (u32)E_NOTASK);
    check_eq("ipc: send to oneself", (u32)send(me, &m), (u32)E_INVAL);
    check_eq("ipc: recv from no task", (u32)recv(nobody, &m), (u32)E_NOTASK);
    check_eq("ipc: call to a finished task", (u32)call(s, &m), (u32)E_NOTASK);
    check_eq("ipc: reply to a task not calling us", (u32)reply(echo, &m), (u32)E_NOTWAITING);
    check_eq("ipc: reply_wait with a bad reply", (u32)reply_wait(echo, &m), (u32)E_NOTWAITING);
    check_eq("sys: unknown system call", (u32)syscall_raw(99, 0), (u32)E_INVAL);
    check_eq("sys: join oneself", (u32)join(me, NULL), (u32)E_INVAL);
    check_eq("sys: join no task", (u32)join(nobody, NULL), (u32)E_NOTASK);
    check_eq("sys: write from kernel memory", (u32)sys_write((const char *)0x40100000, 4),
             (u32)E_FAULT);
    check_eq("sys: write from the heap end", (u32)sys_write((const char *)(USER_HEAP_BASE + USER_HEAP_SIZE - 2), 4),
             (u32)E_FAULT);

    /* the partner ends while we wait on it */
    int dr = spawn(dropper, 0, 0, 0);
    m = (struct msg){ { 1, 2, 3, 4 } };
    check_eq("ipc: call to a server that exits without replying", (u32)call(dr, &m), (u32)E_DEAD);
    status = 0;
    join(dr, &status);
    check_eq("ipc: ... its exit status", status, 5);
    dr = spawn(dropper, 1, 0, 0);
    check_eq("ipc: call to a server killed before replying", (u32)call(dr, &m), (u32)E_DEAD);
    join(dr, &status);
    check_eq("ipc: ... killed by a data abort", status, KILLED_DABT);
}

/* ---- the pager -------------------------------------------------------------------- */
#define PAGER_PAGES 1024

static void test_pager(void)
{
    volatile u32 *mem = heap_alloc(PAGER_PAGES * PAGE_SIZE);
    u32 faults = info(INFO_FAULTS), pages = info(INFO_PAGES);
    u32 nonzero = 0;
    for (u32 p = 0; p < PAGER_PAGES; p++)           /* first touch: a read */
        for (u32 i = 0; i < PAGE_SIZE / 4; i += 61)
            nonzero |= mem[p * 1024 + i];
    check_eq("pager: 1024 fresh pages read as zeros", nonzero, 0);
    for (u32 p = 0; p < PAGER_PAGES; p++)
        for (u32 i = 0; i < PAGE_SIZE / 4; i += 16)
            mem[p * 1024 + i] = p * 0x10001u ^ i;
    u32 bad = 0;
    for (u32 p = 0; p < PAGER_PAGES; p++)
        for (u32 i = 0; i < PAGE_SIZE / 4; i += 16)
            bad += mem[p * 1024 + i] != (p * 0x10001u ^ i);
    check_eq("pager: ... written and read back", bad, 0);
    faults = info(INFO_FAULTS) - faults;
    pages = info(INFO_PAGES) - pages;
    check("pager: ... one page fault each", faults >= PAGER_PAGES && faults <= PAGER_PAGES + 2 &&
                                            pages == faults);
}

/* Recursion with 4 KiB frames: the stack grows on demand.  Returns
 * 1 + 4 * (1 + 2 + ... + depth). */
static u32 deep(u32 depth)
{
    volatile u32 frame[1024];
    frame[0] = depth;
    frame[1023] = 3 * depth;
    if (depth == 0)
        return 1;
    return deep(depth - 1) + frame[0] + frame[1023];
}

static u32 data_word = 0x600dda7a;      /* .data: comes from the program image */
static u32 bss_word;                    /* .bss: zero */

static int isolation_child(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    u32 ok = data_word == 0x600dda7a && bss_word == 0;
    data_word = 0xbad;
    bss_word = 0xbad;
    u32 *heap = heap_alloc(4);
    ok &= *heap == 0;
    *heap = 0xbad;
    SHARED[SH_ISOLATION] = 0xfeed0000u | ok;
    return ok ? 0 : 1;
}

static void test_memory(void)
{
    check_eq("pager: the stack grows to 512 KiB", deep(128), 1 + 4 * (128 * 129 / 2));
    data_word = 0x11111111;
    bss_word = 0x22222222;
    u32 *heap = heap_alloc(4);
    *heap = 0x33333333;
    SHARED[SH_ISOLATION] = 0;
    u32 status = run_task(isolation_child, 0, 0, 0);
    check_eq("memory: a new task gets its own fresh data, bss and heap", status, 0);
    check("memory: its writes do not reach ours",
          data_word == 0x11111111 && bss_word == 0x22222222 && *heap == 0x33333333);
    check_eq("memory: the shared window is shared", SHARED[SH_ISOLATION], 0xfeed0001u);
}

/* ---- preemption ------------------------------------------------------------------- */
static int spinner(u32 index, u32 a1, u32 a2)
{
    (void)a1, (void)a2;
    while (!SHARED[SH_STOP])
        SHARED[SH_COUNT0 + index]++;
    return 0;
}

/* Two tasks that never block nor yield, and this one watching them: all
 * three run only thanks to the timer tick. */
static void test_preemption(void)
{
    SHARED[SH_STOP] = 0;
    SHARED[SH_COUNT0] = SHARED[SH_COUNT1] = 0;
    int a = spawn(spinner, 0, 0, 0), b = spawn(spinner, 1, 0, 0);
    u32 rounds = 0;
    for (u32 round = 0; round < 3; round++) {
        u32 c0 = SHARED[SH_COUNT0], c1 = SHARED[SH_COUNT1];
        u32 start = info(INFO_TICKS);
        for (u32 spin = 1;; spin++) {
            if (SHARED[SH_COUNT0] != c0 && SHARED[SH_COUNT1] != c1) {
                rounds++;
                break;
            }
            if (spin % 4096 == 0 && info(INFO_TICKS) - start > 2000)
                break;                  /* 2 s: preemption does not work */
        }
    }
    SHARED[SH_STOP] = 1;
    u32 sa = 1, sb = 1;
    join(a, &sa);
    join(b, &sb);
    check_eq("preemption: two spinning tasks both advance, three times", rounds, 3);
    check("preemption: ... and stop when told", sa == 0 && sb == 0);
}

/* ---- fault isolation -------------------------------------------------------------- */
typedef void (*void_fn)(void);

static int bad_read_kernel(u32 a0, u32 a1, u32 a2)
{
    (void)a1, (void)a2;
    return *(volatile u32 *)(0x40100000 + a0);
}
static int bad_write_null(u32 a0, u32 a1, u32 a2)
{
    (void)a1, (void)a2;
    *(volatile u32 *)a0 = 1;
    return 0;
}
static int bad_write_code(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    *(volatile u32 *)(void *)bad_write_code = 0;
    return 0;
}
static int bad_read_heap_end(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    return *(volatile u32 *)(USER_HEAP_BASE + USER_HEAP_SIZE);
}
static int bad_write_uart(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    *(volatile u32 *)0x09000000 = 'X';
    return 0;
}
static int bad_exec_heap(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    u32 *code = heap_alloc(4);
    *code = 0xe12fff1e;                 /* bx lr */
    ((void_fn)code)();
    return 0;
}
static int bad_exec_kernel(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    ((void_fn)0x40100000)();
    return 0;
}
static int bad_undefined(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    __asm__ volatile(".word 0xe7f000f0");       /* UDF #0 */
    return 0;
}
static int bad_privileged(u32 a0, u32 a1, u32 a2)
{
    (void)a0, (void)a1, (void)a2;
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" :: "r"(0));   /* SCTLR = 0 */
    return 0;
}
static u32 bottomless(u32 depth)
{
    volatile u32 frame[1024];
    frame[0] = depth;
    if (depth > 100000)                 /* never: 400 MiB */
        return 0;
    return bottomless(depth + 1) + frame[0];
}
static int bad_stack_overflow(u32 a0, u32 a1, u32 a2)
{
    (void)a1, (void)a2;
    return bottomless(a0);
}

static void test_kills(int echo)
{
    static const struct {
        const char *name;
        task_fn fn;
        u32 status;
    } bad[] = {
        { "kill: user read of kernel memory", bad_read_kernel, KILLED_DABT },
        { "kill: write to address 0", bad_write_null, KILLED_DABT },
        { "kill: write to the program's code", bad_write_code, KILLED_DABT },
        { "kill: read past the heap window", bad_read_heap_end, KILLED_DABT },
        { "kill: user write to the UART", bad_write_uart, KILLED_DABT },
        { "kill: execute from the heap", bad_exec_heap, KILLED_PABT },
        { "kill: jump into the kernel", bad_exec_kernel, KILLED_PABT },
        { "kill: undefined instruction", bad_undefined, KILLED_UNDEF },
        { "kill: privileged instruction", bad_privileged, KILLED_UNDEF },
        { "kill: stack overflow past 1 MiB", bad_stack_overflow, KILLED_DABT },
    };
    u32 echo_ok = 0;
    for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
        check_eq(bad[i].name, run_task(bad[i].fn, 0, 0, 0), bad[i].status);
        struct msg m = { { i, 0, 0, 0 } };
        if (call(echo, &m) == 0 && m.w[0] == i + 1)
            echo_ok++;
    }
    check_eq("kill: the others go on (a server answers after each kill)", echo_ok,
             ARRAY_SIZE(bad));
}

/* ---- many tasks -------------------------------------------------------------------- */
/* Waits for a word from parent, fills 8 pages of its heap with values of
 * its own, yields a few times (other tasks run in between), checks them
 * and replies with their sum. */
static int worker(u32 seed, u32 a1, u32 a2)
{
    (void)a1, (void)a2;
    struct msg m;
    int from = recv(TID_ANY, &m);
    u32 *mem = heap_alloc(8 * PAGE_SIZE);
    for (u32 i = 0; i < 8 * PAGE_SIZE / 4; i += 8)
        mem[i] = seed * 1000003u + i + m.w[0];
    for (u32 k = 0; k < 4; k++)
        yield();
    u32 sum = 0;
    for (u32 i = 0; i < 8 * PAGE_SIZE / 4; i += 8) {
        if (mem[i] != seed * 1000003u + i + m.w[0])
            return 1;
        sum += mem[i];
    }
    m.w[0] = sum;
    reply(from, &m);
    return 0;
}

static u32 worker_sum(u32 seed, u32 word)
{
    u32 sum = 0;
    for (u32 i = 0; i < 8 * PAGE_SIZE / 4; i += 8)
        sum += seed * 1000003u + i + word;
    return sum;
}

static int trivial(u32 a0, u32 a1, u32 a2)
{
    (void)a1, (void)a2;
    return a0 * 3;
}

static void test_many(void)
{
    /* The kernel has 16 task slots: with this task and the echo server,
     * 14 more fill them (16 address spaces alive at once). */
    enum { N = 14 };
    int tid[N];
    for (u32 i = 0; i < N; i++)
        tid[i] = spawn(worker, i, 0, 0);
    check_eq("tasks: no 17th task", (u32)spawn(trivial, 0, 0, 0), (u32)E_NOMEM);
    u32 bad = 0;
    for (u32 i = 0; i < N; i++) {
        struct msg m = { { 100 + i, 0, 0, 0 } };
        if (call(tid[i], &m) != 0 || m.w[0] != worker_sum(i, 100 + i))
            bad++;
    }
    for (u32 i = 0; i < N; i++) {
        u32 status = 1;
        if (join(tid[i], &status) != 0 || status != 0)
            bad++;
    }
    check_eq("tasks: 16 at once, each with its own memory", bad, 0);

    /* 40 tasks one after the other: slots and ASIDs are reused, memory
     * comes back (measured on the second 20: the first ones may still
     * map pages of this task's code and stack) */
    bad = 0;
    u32 free_before = 0;
    for (u32 i = 0; i < 40; i++) {
        if (i == 20)
            free_before = info(INFO_FREE);
        if (run_task(trivial, i, 0, 0) != i * 3)
            bad++;
    }
    check_eq("tasks: 40 in a row, exit statuses", bad, 0);
    check_eq("tasks: ... their memory is freed", info(INFO_FREE), free_before);
}

int run_selftest(void)
{
    int echo = spawn(echo_server, 0, 0, 0);
    test_ipc(echo);
    test_pager();
    test_memory();
    test_preemption();
    test_kills(echo);
    test_many();
    struct msg stop = { { ECHO_STOP, 0, 0, 0 } };
    u32 served = 0;
    call(echo, &stop);
    join(echo, &served);
    check_eq("ipc: the server served every call", served, 1 + 1000 + 10);
    printf("test: %u checks, %u failures\n", checks, failures);
    printf("RESULT test checksum=0x%08x\n", failures);
    return failures ? 1 : 0;
}
