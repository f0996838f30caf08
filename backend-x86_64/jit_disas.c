/*
 * Host code disassembly for debug output (-d out_asm), through capstone.
 */
#include "backend-x86_64/backend-x86_64.h"

#include <capstone.h>
#include <inttypes.h>

void jit_disas(const void *code, size_t size, FILE *out)
{
    csh handle;
    cs_insn *insn;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        fprintf(out, "  (capstone cannot open x86-64)\n");
        return;
    }
    size_t n = cs_disasm(handle, code, size, (uint64_t)(uintptr_t)code, 0, &insn);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "  0x%012" PRIx64 ":  %-7s %s\n", insn[k].address, insn[k].mnemonic,
                insn[k].op_str);
    if (n)
        cs_free(insn, n);
    cs_close(&handle);
    fprintf(out, "  (%zu host instructions, %zu bytes)\n", n, size);
}
