/* Shared by entry.S and harness.c; gen_random.py has the same value
 * (BUF_BYTES) and emits it as rt_gen_buf_bytes, which rt_main checks. */
#define RT_BUF_BYTES 1024

/* RT_USER (0 or 1, set with -DRT_USER=1 by random_diff.py for
 * gen_random.py --user programs, which emit rt_gen_user = 1, checked by
 * rt_main): case bodies run in User mode. */
#ifndef RT_USER
#define RT_USER 0
#endif
/* The CPSR a user-mode case starts with, besides its NZCVQ/GE: User mode
 * (0x10), F, I and A masked (0x1c0; A as after reset, like the privileged
 * variant), ARM state, little-endian. */
#define RT_USER_PSR 0x1d0
/* The SVC immediate that ends a user-mode case (not 0x123456: semihosting). */
#define RT_END_SVC 0x5e5e
/* The CPSR bits printed for each case: NZCVQ (31:27) and GE (19:16); in user
 * mode also E, A, I, F, T and M (9:0), read from SPSR_svc at the end. */
#if RT_USER
#define RT_PSR_MASK 0xf80f03ffu
#else
#define RT_PSR_MASK 0xf80f0000u
#endif
