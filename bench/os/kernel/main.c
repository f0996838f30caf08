/*
 * main.c - boot and the single entry point from user mode.
 */
#include "kernel.h"

void kmain(void)
{
    console_init();
    mm_init();                          /* MMU on: the kernel's mappings */
    user_image_init();                  /* the program every task runs */
    syscall_init();                     /* the command line */
    tasks_init();
    static const u32 init_args[4] = { 0, 0, 0, 0 };      /* function 0: main() */
    if (!task_create(user_image_entry(), init_args))
        panic("cannot create the first task");
    irq_init();                         /* the scheduler tick starts */
    schedule();
}

/* entry.S calls this with the interrupted task's registers saved in
 * current->ctx.  It never returns: schedule() resumes a task. */
void kernel_entry(u32 kind)
{
    struct task *t = current;
    switch (kind) {
    case EXC_SVC:
        syscall(t);
        break;
    case EXC_IRQ:
        irq_handler();
        break;
    case EXC_DABT:
        data_abort(t);
        break;
    case EXC_PABT:
        prefetch_abort(t);
        break;
    case EXC_UND:
        undefined_instruction(t);
        break;
    }
    schedule();
}
