/*
 * The guest physical address space: RAM in a memfd plus MMIO regions.
 */
#include "softmmu/softmmu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int physmem_init(PhysMem *pm, PhysAddr ram_base, uint64_t ram_size, char *err, size_t errlen)
{
    memset(pm, 0, sizeof(*pm));
    pm->ram_fd = -1;
    if (ram_size == 0 || (ram_size & (PHYS_PAGE_SIZE - 1)) || (ram_base & (PHYS_PAGE_SIZE - 1))) {
        snprintf(err, errlen, "RAM size must be a non-zero multiple of %u bytes", PHYS_PAGE_SIZE);
        return -1;
    }
    int fd = memfd_create("armvm-guest-ram", MFD_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create guest RAM: %s", strerror(errno));
        return -1;
    }
    if (ftruncate(fd, (off_t)ram_size) != 0) {
        snprintf(err, errlen, "cannot size guest RAM to %llu bytes: %s",
                 (unsigned long long)ram_size, strerror(errno));
        close(fd);
        return -1;
    }
    void *p = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        snprintf(err, errlen, "cannot map guest RAM: %s", strerror(errno));
        close(fd);
        return -1;
    }
    pm->code_pages = calloc(ram_size >> PHYS_PAGE_BITS, 1);
    if (!pm->code_pages) {
        munmap(p, ram_size);
        close(fd);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pm->ram = p;
    pm->ram_fd = fd;
    pm->ram_base = ram_base;
    pm->ram_size = ram_size;
    return 0;
}

void physmem_destroy(PhysMem *pm)
{
    if (pm->ram)
        munmap(pm->ram, pm->ram_size);
    if (pm->ram_fd >= 0)
        close(pm->ram_fd);
    free(pm->code_pages);
    memset(pm, 0, sizeof(*pm));
    pm->ram_fd = -1;
}

static bool ranges_overlap(PhysAddr a, uint64_t alen, PhysAddr b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

int physmem_add_mmio(PhysMem *pm, PhysAddr base, uint64_t size, const MmioOps *ops, void *opaque,
                     const char *name)
{
    if (pm->n_mmio >= PHYSMEM_MAX_MMIO || size == 0 || ranges_overlap(base, size, pm->ram_base, pm->ram_size))
        return -1;
    for (int i = 0; i < pm->n_mmio; i++)
        if (ranges_overlap(base, size, pm->mmio[i].base, pm->mmio[i].size))
            return -1;
    pm->mmio[pm->n_mmio++] = (MmioRegion){ base, size, ops, opaque, name };
    return 0;
}

const MmioRegion *physmem_find_mmio(const PhysMem *pm, PhysAddr pa)
{
    for (int i = 0; i < pm->n_mmio; i++)
        if (pa - pm->mmio[i].base < pm->mmio[i].size)
            return &pm->mmio[i];
    return NULL;
}

uint8_t *physmem_ram_ptr(PhysMem *pm, PhysAddr pa, uint64_t len)
{
    uint64_t off = pa - pm->ram_base;
    if (pa < pm->ram_base || off > pm->ram_size || len > pm->ram_size - off)
        return NULL;
    return pm->ram + off;
}

MemStatus physmem_read(PhysMem *pm, PhysAddr pa, unsigned size, uint64_t *value)
{
    uint8_t *p = physmem_ram_ptr(pm, pa, size);
    if (p) {
        switch (size) {
        case 1: *value = *p; return MEM_OK;
        case 2: { uint16_t v; memcpy(&v, p, 2); *value = v; return MEM_OK; }
        case 4: { uint32_t v; memcpy(&v, p, 4); *value = v; return MEM_OK; }
        case 8: { uint64_t v; memcpy(&v, p, 8); *value = v; return MEM_OK; }
        default: break;
        }
        pm->bus_errors++;
        return MEM_BUS_ERROR;
    }
    const MmioRegion *r = physmem_find_mmio(pm, pa);
    if (r && size <= 4 && pa - r->base + size <= r->size && r->ops->read) {
        uint32_t v = 0;
        MemStatus s = r->ops->read(r->opaque, (uint32_t)(pa - r->base), size, &v);
        *value = v;
        if (s != MEM_OK)
            pm->bus_errors++;
        return s;
    }
    pm->bus_errors++;
    return MEM_BUS_ERROR;
}

MemStatus physmem_write(PhysMem *pm, PhysAddr pa, unsigned size, uint64_t value)
{
    uint8_t *p = physmem_ram_ptr(pm, pa, size);
    if (p) {
        if (pm->code_write_fn && pm->code_pages[(pa - pm->ram_base) >> PHYS_PAGE_BITS])
            pm->code_write_fn(pm->code_write_opaque, pa & ~(PhysAddr)(PHYS_PAGE_SIZE - 1));
        switch (size) {
        case 1: *p = (uint8_t)value; return MEM_OK;
        case 2: { uint16_t v = (uint16_t)value; memcpy(p, &v, 2); return MEM_OK; }
        case 4: { uint32_t v = (uint32_t)value; memcpy(p, &v, 4); return MEM_OK; }
        case 8: memcpy(p, &value, 8); return MEM_OK;
        default: break;
        }
        pm->bus_errors++;
        return MEM_BUS_ERROR;
    }
    const MmioRegion *r = physmem_find_mmio(pm, pa);
    if (r && size <= 4 && pa - r->base + size <= r->size && r->ops->write) {
        MemStatus s = r->ops->write(r->opaque, (uint32_t)(pa - r->base), size, (uint32_t)value);
        if (s != MEM_OK)
            pm->bus_errors++;
        return s;
    }
    pm->bus_errors++;
    return MEM_BUS_ERROR;
}

/* Invalidate translations of every code page in [pa, pa+len) before it is overwritten. */
static void notify_code_range(PhysMem *pm, PhysAddr pa, uint64_t len)
{
    if (!pm->code_write_fn || len == 0)
        return;
    uint64_t first = (pa - pm->ram_base) >> PHYS_PAGE_BITS;
    uint64_t last = (pa - pm->ram_base + len - 1) >> PHYS_PAGE_BITS;
    for (uint64_t pg = first; pg <= last; pg++)
        if (pm->code_pages[pg])
            pm->code_write_fn(pm->code_write_opaque, pm->ram_base + (pg << PHYS_PAGE_BITS));
}

int physmem_copy_to_guest(PhysMem *pm, PhysAddr pa, const void *src, uint64_t len)
{
    uint8_t *p = physmem_ram_ptr(pm, pa, len);
    if (!p)
        return -1;
    notify_code_range(pm, pa, len);
    memcpy(p, src, len);
    return 0;
}

int physmem_copy_from_guest(PhysMem *pm, void *dst, PhysAddr pa, uint64_t len)
{
    uint8_t *p = physmem_ram_ptr(pm, pa, len);
    if (!p)
        return -1;
    memcpy(dst, p, len);
    return 0;
}

void physmem_set_code_write_fn(PhysMem *pm, CodeWriteFn fn, void *opaque)
{
    pm->code_write_fn = fn;
    pm->code_write_opaque = opaque;
}

void physmem_mark_code_page(PhysMem *pm, PhysAddr pa)
{
    if (physmem_ram_ptr(pm, pa, 1))
        pm->code_pages[(pa - pm->ram_base) >> PHYS_PAGE_BITS] = 1;
}

void physmem_clear_code_page(PhysMem *pm, PhysAddr pa)
{
    if (physmem_ram_ptr(pm, pa, 1))
        pm->code_pages[(pa - pm->ram_base) >> PHYS_PAGE_BITS] = 0;
}
