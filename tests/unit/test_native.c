/*
 * native/: sandboxes over guest RAM and the fault handler. A mapped guest page is the
 * same memory as guest RAM; unmapped, read-only and beyond-RAM pages are never
 * reachable; faults inside a sandbox go to the resolver, which may map and retry.
 */
#include <check.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "native/native.h"

#define RAM_BASE 0x40000000u
#define RAM_SIZE (1u << 20)

static PhysMem pm;
static NativeSpace ns;

static void setup(void)
{
    char err[256];
    ck_assert_int_eq(physmem_init(&pm, RAM_BASE, RAM_SIZE, err, sizeof err), 0);
    ck_assert_int_eq(native_init(&ns, &pm, 2, err, sizeof err), 0);
}

static void teardown(void)
{
    native_destroy(&ns);
    physmem_destroy(&pm);
}

START_TEST(test_map_is_guest_ram)
{
    Sandbox *sb = native_sandbox_for(&ns, 1);
    ck_assert(native_map_page(&ns, sb, 0x8000, RAM_BASE + 0x3000, NATIVE_MAP_WRITE));
    volatile uint32_t *p = (volatile uint32_t *)(sb->base + 0x8010);
    *p = 0xdeadbeef;
    uint64_t v;
    ck_assert_int_eq(physmem_read(&pm, RAM_BASE + 0x3010, 4, &v), MEM_OK);
    ck_assert_uint_eq(v, 0xdeadbeef);
    ck_assert_int_eq(physmem_write(&pm, RAM_BASE + 0x3ffc, 4, 0x12345678), MEM_OK);
    ck_assert_uint_eq(*(volatile uint32_t *)(sb->base + 0x8ffc), 0x12345678);
    /* the same RAM page at two guest addresses (aliases) */
    ck_assert(native_map_page(&ns, sb, 0xfffff000u, RAM_BASE + 0x3000, 0));
    ck_assert_uint_eq(*(volatile uint32_t *)(sb->base + 0xfffff010u), 0xdeadbeef);
    ck_assert_uint_eq(sb->mapped_pages, 2);
}
END_TEST

START_TEST(test_map_refuses_what_is_not_ram)
{
    Sandbox *sb = native_sandbox_for(&ns, 1);
    ck_assert(!native_map_page(&ns, sb, 0x1000, RAM_BASE + RAM_SIZE, NATIVE_MAP_WRITE));  /* past RAM */
    ck_assert(!native_map_page(&ns, sb, 0x1000, RAM_BASE - 0x1000, NATIVE_MAP_WRITE));    /* below RAM */
    ck_assert(!native_map_page(&ns, sb, 0x1000, 0x09000000, NATIVE_MAP_WRITE));           /* a device */
    ck_assert(!native_map_page(&ns, sb, 0x1004, RAM_BASE, NATIVE_MAP_WRITE));             /* unaligned */
    ck_assert(!native_map_page(&ns, sb, 0x1000, RAM_BASE + 4, NATIVE_MAP_WRITE));
    ck_assert_uint_eq(sb->mapped_pages, 0);
}
END_TEST

START_TEST(test_recycling_is_lru)
{
    Sandbox *a = native_sandbox_for(&ns, 10);
    Sandbox *b = native_sandbox_for(&ns, 20);
    ck_assert_ptr_ne(a, b);
    ck_assert(native_map_page(&ns, a, 0x1000, RAM_BASE, NATIVE_MAP_WRITE));
    ck_assert_ptr_eq(native_sandbox_for(&ns, 10), a); /* a is now the most recent */
    Sandbox *c = native_sandbox_for(&ns, 30);         /* recycles b, not a */
    ck_assert_ptr_eq(c, b);
    ck_assert_uint_eq(ns.stats.recycles, 1);
    ck_assert_uint_eq(a->mapped_pages, 1);
    ck_assert_uint_eq(a->key, 10);
    ck_assert_uint_eq(c->key, 30);
}
END_TEST

/* ---- faults ---- */

static sigjmp_buf crash_jmp;
static volatile int resolves; /* changed by the signal handler */
static volatile bool resolver_maps;
static volatile uint32_t last_va;
static volatile bool last_write;

static bool resolver(void *opaque, NativeFault *f)
{
    NativeSpace *space = opaque;
    resolves++;
    last_va = f->va;
    last_write = f->write;
    if (!resolver_maps)
        siglongjmp(crash_jmp, 1); /* a "guest abort": leave the faulting access */
    return native_map_page(space, f->sb, f->va & ~(PHYS_PAGE_SIZE - 1), RAM_BASE + 0x5000,
                           f->write ? NATIVE_MAP_WRITE : 0);
}

START_TEST(test_faults_reach_the_resolver)
{
    char err[256];
    ck_assert_int_eq(native_signals_install(err, sizeof err), 0);
    native_set_active(&ns, resolver, &ns);
    Sandbox *sb = native_sandbox_for(&ns, 1);
    resolves = 0;

    /* a shadow fault: mapped on demand, the store is retried and lands in RAM */
    resolver_maps = true;
    *(volatile uint32_t *)(sb->base + 0x7004) = 77;
    ck_assert_int_eq(resolves, 1);
    ck_assert_uint_eq(last_va, 0x7004);
    ck_assert(last_write);
    uint64_t v;
    ck_assert_int_eq(physmem_read(&pm, RAM_BASE + 0x5004, 4, &v), MEM_OK);
    ck_assert_uint_eq(v, 77);

    /* unmapped again: the next access faults again */
    native_unmap_page(&ns, sb, 0x7000);
    resolver_maps = false;
    if (sigsetjmp(crash_jmp, 1) == 0) {
        (void)*(volatile uint32_t *)(sb->base + 0x7008);
        ck_abort_msg("an unmapped page was readable");
    }
    ck_assert_int_eq(resolves, 2);
    ck_assert(!last_write);

    /* read-only: reading works, writing faults */
    ck_assert(native_map_page(&ns, sb, 0x9000, RAM_BASE + 0x5000, 0));
    ck_assert_uint_eq(*(volatile uint32_t *)(sb->base + 0x9004), 77);
    if (sigsetjmp(crash_jmp, 1) == 0) {
        *(volatile uint32_t *)(sb->base + 0x9004) = 1;
        ck_abort_msg("a read-only page was writable");
    }
    ck_assert_int_eq(resolves, 3);
    ck_assert(last_write);

    /* after a flush of the sandbox nothing is reachable */
    native_unmap_all(&ns, sb);
    if (sigsetjmp(crash_jmp, 1) == 0) {
        (void)*(volatile uint32_t *)(sb->base + 0x9004);
        ck_abort_msg("a page survived the flush");
    }
    ck_assert_int_eq(resolves, 4);
    native_set_active(NULL, NULL, NULL);
}
END_TEST

/* Translated code was made from a RAM page: its writable mappings become read-only (in
 * every sandbox), reads still work, and writes fault. */
START_TEST(test_protect_ram_page)
{
    char err[256];
    ck_assert_int_eq(native_signals_install(err, sizeof err), 0);
    native_set_active(&ns, resolver, &ns);
    Sandbox *a = native_sandbox_for(&ns, 1), *b = native_sandbox_for(&ns, 2);
    ck_assert(native_map_page(&ns, a, 0x4000, RAM_BASE + 0x6000, NATIVE_MAP_WRITE));
    ck_assert(native_map_page(&ns, b, 0x8000, RAM_BASE + 0x6000, NATIVE_MAP_WRITE));
    *(volatile uint32_t *)(a->base + 0x4000) = 5;
    native_protect_ram_page(&ns, RAM_BASE + 0x6000);
    ck_assert_uint_eq(ns.stats.protects, 2);
    ck_assert_uint_eq(*(volatile uint32_t *)(b->base + 0x8000), 5);
    resolver_maps = false;
    resolves = 0;
    if (sigsetjmp(crash_jmp, 1) == 0) {
        *(volatile uint32_t *)(a->base + 0x4000) = 6;
        ck_abort_msg("a protected page was writable");
    }
    if (sigsetjmp(crash_jmp, 1) == 0) {
        *(volatile uint32_t *)(b->base + 0x8004) = 6;
        ck_abort_msg("a protected page was writable in the other sandbox");
    }
    ck_assert_int_eq(resolves, 2);
    /* a stale reverse-map entry (the mapping was replaced) protects nothing else */
    ck_assert(native_map_page(&ns, a, 0x5000, RAM_BASE + 0x7000, NATIVE_MAP_WRITE));
    native_unmap_page(&ns, a, 0x5000);
    ck_assert(native_map_page(&ns, a, 0x5000, RAM_BASE + 0x8000, NATIVE_MAP_WRITE));
    native_protect_ram_page(&ns, RAM_BASE + 0x7000);
    *(volatile uint32_t *)(a->base + 0x5000) = 7; /* still writable */
    ck_assert_uint_eq(ns.stats.protects, 2);
    native_set_active(NULL, NULL, NULL);
}
END_TEST

/* One writable alias of a RAM page per sandbox; read-only aliases are fine. */
START_TEST(test_writable_alias_refused)
{
    Sandbox *a = native_sandbox_for(&ns, 1);
    ck_assert(native_map_page(&ns, a, 0x4000, RAM_BASE + 0x6000, NATIVE_MAP_WRITE));
    ck_assert(!native_map_page(&ns, a, 0x9000, RAM_BASE + 0x6000, NATIVE_MAP_WRITE));
    ck_assert(native_map_page(&ns, a, 0x9000, RAM_BASE + 0x6000, 0));
    ck_assert(native_map_page(&ns, a, 0x4000, RAM_BASE + 0x6000, NATIVE_MAP_WRITE)); /* again */
    native_unmap_page(&ns, a, 0x4000);
    ck_assert(native_map_page(&ns, a, 0x9000, RAM_BASE + 0x6000, NATIVE_MAP_WRITE));
    ck_assert_uint_eq(a->mapped_pages, 1);
}
END_TEST

/* Unmapping a range, or only its global pages; unmapping nothing costs nothing. */
START_TEST(test_unmap_range)
{
    Sandbox *a = native_sandbox_for(&ns, 1);
    ck_assert(native_map_page(&ns, a, 0x100000, RAM_BASE, 0));
    ck_assert(native_map_page(&ns, a, 0x101000, RAM_BASE + 0x1000, NATIVE_MAP_GLOBAL));
    ck_assert(native_map_page(&ns, a, 0x200000, RAM_BASE + 0x2000, 0));
    uint64_t unmaps = ns.stats.unmaps;
    native_unmap_range(&ns, a, 0x100000, 0x100000, true);
    ck_assert_uint_eq(ns.stats.unmaps, unmaps + 1);
    ck_assert_uint_eq(a->pte[0x101], 0);
    ck_assert_uint_ne(a->pte[0x100], 0);
    native_unmap_range(&ns, a, 0x100000, 0x100000, false);
    ck_assert_uint_eq(a->pte[0x100], 0);
    ck_assert_uint_eq(a->mapped_pages, 1);
    native_unmap_page(&ns, a, 0x300000); /* not mapped */
    ck_assert_uint_eq(ns.stats.unmaps, unmaps + 2);
    native_unmap_all(&ns, a);
    ck_assert_uint_eq(a->pte[0x200], 0);
    ck_assert_uint_eq(a->mapped_pages, 0);
}
END_TEST

/* Run `fn` in a child whose stderr goes to a pipe; returns how it ended and what it said. */
static int crash_child(void (*fn)(void), char *said, size_t len)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        fn();
        _exit(0);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    char drain[256];
    while ((r = n + 1 < len ? read(fds[0], said + n, len - 1 - n)
                            : read(fds[0], drain, sizeof drain)) > 0)
        if (n + 1 < len)
            n += (size_t)r;
    said[n] = 0;
    close(fds[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return status;
}

static bool refuse(void *opaque, NativeFault *f)
{
    (void)opaque;
    (void)f;
    return false;
}

static void touch_host_memory(void)
{
    char err[256];
    if (native_signals_install(err, sizeof err) != 0)
        _exit(2);
    native_set_active(&ns, refuse, NULL);
    volatile uintptr_t where = 0x10; /* not in a sandbox (hidden from the compiler) */
    (void)*(volatile uint32_t *)where;
}

static void unresolved_sandbox_fault(void)
{
    char err[256];
    if (native_signals_install(err, sizeof err) != 0)
        _exit(2);
    native_set_active(&ns, refuse, NULL);
    Sandbox *sb = native_sandbox_for(&ns, 1);
    (void)*(volatile uint32_t *)(sb->base + 0x1000);
}

/* Died of the signal (or, in a sanitizer build, the sanitizer's handler that was there
 * before ours reported it and exited with an error). */
static bool crashed(int status)
{
    return WIFSIGNALED(status) ||
           (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 2);
}

/* A fault outside every sandbox, or one the resolver cannot handle, is a crash of armvm:
 * it says so, then dies of the signal (the default action), never silently goes on. */
START_TEST(test_real_crash_is_reported)
{
    char said[512];
    int status = crash_child(touch_host_memory, said, sizeof said);
    ck_assert_msg(crashed(status), "status %#x, said: %s", status, said);
    ck_assert_msg(strstr(said, "armvm: internal error: segmentation fault at host address "
                               "0x0000000000000010"), "said: %s", said);
    ck_assert(strstr(said, "not a guest access"));
    status = crash_child(unresolved_sandbox_fault, said, sizeof said);
    ck_assert_msg(crashed(status), "status %#x, said: %s", status, said);
    ck_assert_msg(strstr(said, "armvm: internal error"), "said: %s", said);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("native");
    TCase *tc = tcase_create("sandbox");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_map_is_guest_ram);
    tcase_add_test(tc, test_map_refuses_what_is_not_ram);
    tcase_add_test(tc, test_recycling_is_lru);
    tcase_add_test(tc, test_writable_alias_refused);
    tcase_add_test(tc, test_unmap_range);
    tcase_add_test(tc, test_protect_ram_page);
    tcase_add_test(tc, test_real_crash_is_reported);
    tcase_add_test(tc, test_faults_reach_the_resolver);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
