/*
 * Recursion: Ackermann, Towers of Hanoi, mutual recursion, permutations,
 * N-queens, a recursive binary tree built from a static pool (insert,
 * height, in-order walk), and deep recursion (stack usage ~200 KiB is too
 * much for the 64 KiB SVC stack, so depth is kept at 2000 small frames).
 */
#include "guest.h"

static u32 ack(u32 m, u32 n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static u32 moves;
static void hanoi(int n, int from, int to, int via)
{
    if (n == 0) return;
    hanoi(n - 1, from, via, to);
    moves++;
    hanoi(n - 1, via, to, from);
}

static int is_odd(u32 n);
static int is_even(u32 n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(u32 n) { return n == 0 ? 0 : is_even(n - 1); }

static u32 perm_count, perm_hash;
static void permute(char *s, int k, int n)
{
    if (k == n) {
        perm_count++;
        u32 h = 0;
        for (int i = 0; i < n; i++) h = h * 31 + (u32)s[i];
        perm_hash ^= h * (perm_count | 1);
        return;
    }
    for (int i = k; i < n; i++) {
        char t = s[k]; s[k] = s[i]; s[i] = t;
        permute(s, k + 1, n);
        t = s[k]; s[k] = s[i]; s[i] = t;
    }
}

static int queens(int row, int n, u32 cols, u32 d1, u32 d2)
{
    if (row == n) return 1;
    int count = 0;
    for (int c = 0; c < n; c++) {
        if ((cols >> c) & 1 || (d1 >> (row + c)) & 1 || (d2 >> (row - c + n)) & 1) continue;
        count += queens(row + 1, n, cols | 1u << c, d1 | 1u << (row + c), d2 | 1u << (row - c + n));
    }
    return count;
}

struct node { int key; struct node *l, *r; };
static struct node pool[512];
static int pool_used;
static struct node *insert(struct node *t, int key)
{
    if (!t) { t = &pool[pool_used++]; t->key = key; t->l = t->r = 0; return t; }
    if (key < t->key) t->l = insert(t->l, key);
    else t->r = insert(t->r, key);
    return t;
}
static int height(const struct node *t)
{
    if (!t) return 0;
    int a = height(t->l), b = height(t->r);
    return 1 + (a > b ? a : b);
}
static int last_key, inorder_ok, inorder_n;
static void walk(const struct node *t)
{
    if (!t) return;
    walk(t->l);
    if (t->key < last_key) inorder_ok = 0;
    last_key = t->key;
    inorder_n++;
    walk(t->r);
}

static u32 deep(u32 n) { return n == 0 ? 0 : 1 + deep(n - 1); }

int main(void)
{
    gt_check("ack-2-3", ack(2, 3), 9);
    gt_check("ack-3-3", ack(3, 3), 61);
    gt_check("ack-3-5", ack(3, 5), 253);
    hanoi(12, 1, 3, 2);
    gt_check("hanoi-12", moves, 4095);
    gt_check("even-1001", is_even(1001), 0);
    gt_check("odd-777", is_odd(777), 1);
    char s[] = "abcdefg";
    permute(s, 0, 7);
    gt_check("permutations-7", perm_count, 5040);
    gt_check_str("permute-restores", s, "abcdefg");
    gt_printf("perm-hash=0x%08x\n", perm_hash);
    gt_check("queens-6", (u32)queens(0, 6, 0, 0, 0), 4);
    gt_check("queens-8", (u32)queens(0, 8, 0, 0, 0), 92);
    struct node *root = 0;
    u32 x = 1;
    for (int i = 0; i < 500; i++) {
        x = x * 1103515245u + 12345u;
        root = insert(root, (int)((x >> 8) % 100000));
    }
    inorder_ok = 1;
    last_key = -1;
    walk(root);
    gt_check("tree-inorder-sorted", (u32)inorder_ok, 1);
    gt_check("tree-count", (u32)inorder_n, 500);
    gt_printf("tree-height=%d\n", height(root));
    gt_check("deep-2000", deep(2000), 2000);
    return gt_finish();
}
