/*
 * code_buffer: the executable memory that translated code is written into.
 *
 * One anonymous mapping, readable, writable and executable at the same address (RWX):
 * the emitter writes instructions where they will run, so rel32 displacements are
 * computed once, and patching a chained jump is a single store. (A dual mapping, one
 * RW view and one RX view of a memfd, would give W^X at the cost of translating every
 * patch address; that can be added behind this interface later.)
 *
 * Emitters write whole instructions only: an instruction is assembled in a 15-byte
 * scratch area and copied in if it fits, otherwise nothing is written and the sticky
 * `overflow` flag is set. So nothing is ever written past the end, no guard margin is
 * needed, and the caller checks `code_buffer_ok()` once after emitting a block (on
 * overflow: reset the buffer, i.e. flush all translations, and translate again).
 * x86 keeps instruction fetch coherent with stores (SDM Vol. 3A 8.1.3, self- and
 * cross-modifying code), so no cache maintenance is needed after writing.
 */
#ifndef ARMVM_BACKEND_X86_64_CODE_BUFFER_H
#define ARMVM_BACKEND_X86_64_CODE_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct CodeBuffer {
    uint8_t *base;  /* start of the mapping */
    size_t size;    /* bytes usable, at most CODE_BUFFER_MAX_SIZE */
    uint8_t *ptr;   /* next byte to write */
    bool overflow;  /* sticky: an instruction did not fit; nothing was written for it */
    bool error;     /* sticky: an emitter was misused (bad operand, out-of-range branch) */
} CodeBuffer;

/* Offsets inside a buffer are kept in int32_t (labels), so a buffer is below 2 GiB. */
#define CODE_BUFFER_MAX_SIZE ((size_t)1 << 30)

/* Map `size` bytes (rounded up to pages) of RWX memory, filled with INT3. The mapping is
 * placed near the emulator's own code when the kernel allows it, so that calls from
 * translated code to C helpers usually fit in a rel32. NULL on failure or bad size. */
CodeBuffer *code_buffer_create(size_t size);
void code_buffer_destroy(CodeBuffer *cb);

/* Flush: forget all code (refill what was written with INT3), clear the flags. */
void code_buffer_reset(CodeBuffer *cb);

/* Roll back to an earlier write pointer `mark` (e.g. drop a half-emitted block) and
 * clear the flags. The bytes after `mark` are poisoned with INT3. */
void code_buffer_rewind(CodeBuffer *cb, uint8_t *mark);

/* Append raw bytes as one unit (all or nothing). Returns where they went, or NULL and
 * sets `overflow`. */
uint8_t *code_buffer_put(CodeBuffer *cb, const void *bytes, size_t n);

static inline uint8_t *code_buffer_ptr(const CodeBuffer *cb) { return cb->ptr; }

static inline size_t code_buffer_remaining(const CodeBuffer *cb)
{
    return (size_t)(cb->base + cb->size - cb->ptr);
}

static inline bool code_buffer_ok(const CodeBuffer *cb) { return !cb->overflow && !cb->error; }

#endif
