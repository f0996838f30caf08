/*
 * Load maps: the parts of guest RAM that loaded images occupy.
 */
#include "devices/devices.h"

void load_map_add(LoadMap *map, uint64_t start, uint64_t end)
{
    if (!map || end <= start)
        return;
    if (map->n < LOAD_MAP_MAX) {
        map->start[map->n] = start;
        map->end[map->n] = end;
        map->n++;
        return;
    }
    int last = LOAD_MAP_MAX - 1;
    if (start < map->start[last])
        map->start[last] = start;
    if (end > map->end[last])
        map->end[last] = end;
}

/* Sweep upwards from base: skip the ranges that cover the current position, then the free
 * space runs up to the next range start. O(n^2) on at most LOAD_MAP_MAX ranges. */
void load_map_largest_gap(const LoadMap *map, uint64_t base, uint64_t size, uint64_t *gap_start,
                          uint64_t *gap_end)
{
    const uint64_t limit = base + size;
    uint64_t best_start = base, best_len = 0;
    uint64_t pos = base;
    int n = map ? map->n : 0;

    while (pos < limit) {
        /* Skip every range that covers pos. */
        bool moved = true;
        while (moved) {
            moved = false;
            for (int i = 0; i < n; i++) {
                if (map->start[i] <= pos && map->end[i] > pos) {
                    pos = map->end[i];
                    moved = true;
                }
            }
        }
        if (pos >= limit)
            break;
        /* The gap runs to the next range start above pos (or the limit). */
        uint64_t next = limit;
        for (int i = 0; i < n; i++)
            if (map->start[i] > pos && map->start[i] < next)
                next = map->start[i];
        if (next - pos > best_len) {
            best_start = pos;
            best_len = next - pos;
        }
        pos = next;
    }
    *gap_start = best_start;
    *gap_end = best_start + best_len;
}
