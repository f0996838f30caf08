/* Shared by entry.S and harness.c; gen_random.py has the same value
 * (BUF_BYTES) and emits it as rt_gen_buf_bytes, which rt_main checks. */
#define RT_BUF_BYTES 1024
