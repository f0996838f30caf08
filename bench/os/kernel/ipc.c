/*
 * ipc.c - synchronous message passing.
 *
 * A message is four words, r1-r4.  It is never buffered in the kernel: a
 * sender that finds no receiver waiting blocks with the message still in
 * its saved registers, queued (FIFO) on the destination's send queue, and
 * the receiver copies it from there when it gets to SYS_RECV.
 *
 *   send     deliver to the destination if it waits for us (or for anyone),
 *            else block in its send queue; r0 = 0 once delivered
 *   recv     take the first queued sender (or the given one), else block
 *            until one comes; r0 = sender's tid
 *   call     send, then wait for the destination's reply (r1-r4)
 *   reply    to a task blocked in call on us; never blocks
 *   reply_wait  reply, then recv from anyone: a server's whole loop
 *
 * When a task ends, every task blocked on it (sending to it, waiting for
 * its reply, receiving from it in particular) gets E_DEAD.
 */
#include "kernel.h"

static void copy_message(struct task *to, const struct task *from)
{
    to->ctx.r[1] = from->ctx.r[1];
    to->ctx.r[2] = from->ctx.r[2];
    to->ctx.r[3] = from->ctx.r[3];
    to->ctx.r[4] = from->ctx.r[4];
}

/* The sender's message has been delivered: a plain send completes, a call
 * goes on to wait for the reply. */
static void sent(struct task *sender, struct task *receiver)
{
    if (sender->calling) {
        block(sender, T_REPLY_WAIT, receiver->tid);
    } else {
        sender->ctx.r[0] = 0;
        if (sender != current)
            make_ready(sender);
    }
}

/* SYS_SEND (calling = 0) and SYS_CALL (calling = 1) from the current task. */
void ipc_send(struct task *t, int dest, int calling)
{
    struct task *d = task_lookup(dest);
    if (!d) {
        t->ctx.r[0] = E_NOTASK;
        return;
    }
    if (d == t) {
        t->ctx.r[0] = E_INVAL;
        return;
    }
    t->calling = calling;
    if (d->state == T_RECEIVING && (d->wait_tid == TID_ANY || d->wait_tid == t->tid)) {
        copy_message(d, t);
        d->ctx.r[0] = t->tid;
        make_ready(d);
        sent(t, d);
        return;
    }
    block(t, T_SENDING, dest);
    t->next = NULL;
    if (d->send_tail)
        d->send_tail->next = t;
    else
        d->send_head = t;
    d->send_tail = t;
}

/* Removes and returns the first task in t's send queue (from == TID_ANY)
 * or the first one with the given tid; NULL if there is none. */
static struct task *take_sender(struct task *t, int from)
{
    struct task *prev = NULL;
    for (struct task *s = t->send_head; s; prev = s, s = s->next) {
        if (from != TID_ANY && s->tid != from)
            continue;
        if (prev)
            prev->next = s->next;
        else
            t->send_head = s->next;
        if (t->send_tail == s)
            t->send_tail = prev;
        s->next = NULL;
        return s;
    }
    return NULL;
}

/* SYS_RECV (and the second half of SYS_REPLY_WAIT) from the current task. */
void ipc_recv(struct task *t, int from)
{
    if (from != TID_ANY) {
        if (from == t->tid) {
            t->ctx.r[0] = E_INVAL;
            return;
        }
        if (!task_lookup(from)) {
            t->ctx.r[0] = E_NOTASK;
            return;
        }
    }
    struct task *s = take_sender(t, from);
    if (!s) {
        block(t, T_RECEIVING, from);
        return;
    }
    copy_message(t, s);
    t->ctx.r[0] = s->tid;
    sent(s, t);
}

/* SYS_REPLY: returns the caller's r0. */
int ipc_reply(struct task *t, int dest)
{
    struct task *d = task_lookup(dest);
    if (!d)
        return E_NOTASK;
    if (d->state != T_REPLY_WAIT || d->wait_tid != t->tid)
        return E_NOTWAITING;
    copy_message(d, t);
    d->ctx.r[0] = 0;
    make_ready(d);
    return 0;
}

static void wake_dead_partner(struct task *u)
{
    u->ctx.r[0] = E_DEAD;
    make_ready(u);
}

/* dead has ended: fail everything that waits on it. */
void ipc_partner_ended(struct task *dead)
{
    struct task *s;
    while ((s = take_sender(dead, TID_ANY)) != NULL)
        wake_dead_partner(s);
    tasks_waiting_on(dead, wake_dead_partner);
}
