/*
 * The console's escape key (devices/console.c): Ctrl-A x stops the machine, Ctrl-A Ctrl-A
 * sends one Ctrl-A, everything else reaches the guest; and raw mode on a pseudo-terminal,
 * restored at the end.
 */
#include <check.h>
#include <pty.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "devices/console.h"

START_TEST(test_escape_keys)
{
    ArmCpu cpu = { 0 };
    Console con;
    FILE *err = tmpfile();
    console_open(&con, NULL, &cpu, err);
    ck_assert(!con.raw);
    ck_assert_int_eq(console_filter(&con, 'a'), 'a');
    ck_assert_int_eq(console_filter(&con, 3), 3); /* Ctrl-C goes to the guest */
    ck_assert_int_eq(console_filter(&con, CONSOLE_ESCAPE), -1);
    ck_assert_int_eq(console_filter(&con, CONSOLE_ESCAPE), CONSOLE_ESCAPE);
    ck_assert_int_eq(console_filter(&con, CONSOLE_ESCAPE), -1);
    ck_assert_int_eq(console_filter(&con, 'q'), 'q'); /* not an escape: the key passes */
    ck_assert_int_eq(console_filter(&con, CONSOLE_ESCAPE), -1);
    ck_assert_int_eq(console_filter(&con, 'h'), -1);
    ck_assert_int_eq(cpu.exit_request, 0);
    ck_assert_int_eq(console_filter(&con, CONSOLE_ESCAPE), -1);
    ck_assert_int_eq(console_filter(&con, 'x'), -1);
    ck_assert_int_eq(cpu.exit_request, 1);
    ck_assert_int_gt(ftell(err), 0);
    console_close(&con);
    fclose(err);
}
END_TEST

START_TEST(test_raw_mode_on_a_terminal)
{
    int master, slave;
    if (openpty(&master, &slave, NULL, NULL, NULL) != 0)
        return; /* no pseudo-terminals here: nothing to check */
    FILE *in = fdopen(slave, "r");
    ck_assert_ptr_nonnull(in);
    struct termios before, during, after;
    ck_assert_int_eq(tcgetattr(slave, &before), 0);
    ck_assert(before.c_lflag & ICANON);
    ArmCpu cpu = { 0 };
    Console con;
    console_open(&con, in, &cpu, NULL);
    ck_assert(con.raw);
    ck_assert_int_eq(tcgetattr(slave, &during), 0);
    ck_assert(!(during.c_lflag & (ICANON | ECHO | ISIG)));
    console_close(&con);
    ck_assert_int_eq(tcgetattr(slave, &after), 0);
    ck_assert(after.c_lflag & ICANON);
    ck_assert(after.c_lflag & ECHO);
    fclose(in);
    close(master);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("console");
    TCase *tc = tcase_create("console");
    tcase_add_test(tc, test_escape_keys);
    tcase_add_test(tc, test_raw_mode_on_a_terminal);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
