/*
 * The executable code buffer (see code_buffer.h).
 */
#include "backend-x86_64/code_buffer.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define INT3 0xcc
#define NEAR_GAP ((uintptr_t)64 << 20) /* keep this far below the emulator's code */

/* An address just below our own text, so that rel32 calls to C helpers reach. It is a
 * hint only: mmap without MAP_FIXED falls back to any free range. */
static void *near_code_hint(size_t len)
{
    uintptr_t text = (uintptr_t)&code_buffer_create & ~(uintptr_t)0x1fffff;
    if (text < len + 2 * NEAR_GAP)
        return NULL;
    return (void *)(text - NEAR_GAP - len);
}

CodeBuffer *code_buffer_create(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (size == 0 || size > CODE_BUFFER_MAX_SIZE)
        return NULL;
    size_t len = (size + page - 1) & ~(page - 1);
    CodeBuffer *cb = calloc(1, sizeof *cb);
    if (!cb)
        return NULL;
    void *mem = mmap(near_code_hint(len), len, PROT_READ | PROT_WRITE | PROT_EXEC,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        free(cb);
        return NULL;
    }
    /* Not filled with INT3 up front: that would touch every page of the buffer (64 MiB
     * at start-up, most of which a short run never uses). Nothing jumps past what was
     * emitted; what is rewound is filled with INT3 (code_buffer_rewind). */
    cb->base = cb->ptr = mem;
    cb->size = len;
    return cb;
}

void code_buffer_destroy(CodeBuffer *cb)
{
    if (!cb)
        return;
    munmap(cb->base, cb->size);
    free(cb);
}

void code_buffer_rewind(CodeBuffer *cb, uint8_t *mark)
{
    if (mark < cb->base || mark > cb->ptr)
        mark = cb->base;
    memset(mark, INT3, (size_t)(cb->ptr - mark));
    cb->ptr = mark;
    cb->overflow = cb->error = false;
}

void code_buffer_reset(CodeBuffer *cb) { code_buffer_rewind(cb, cb->base); }

uint8_t *code_buffer_put(CodeBuffer *cb, const void *bytes, size_t n)
{
    if (n > code_buffer_remaining(cb)) {
        cb->overflow = true;
        return NULL;
    }
    uint8_t *at = cb->ptr;
    memcpy(at, bytes, n);
    cb->ptr += n;
    return at;
}
