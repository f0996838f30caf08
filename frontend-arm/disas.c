/*
 * A32 disassembly for debug output (-d in_asm), through capstone.
 */
#include "frontend-arm/frontend-arm.h"

#include <capstone.h>
#include <stdio.h>
#include <string.h>

void arm_disas(uint32_t pc, uint32_t insn, char *buf, size_t len)
{
    csh handle;
    cs_insn *ci;
    uint8_t code[4] = { (uint8_t)insn, (uint8_t)(insn >> 8), (uint8_t)(insn >> 16), (uint8_t)(insn >> 24) };
    if (cs_open(CS_ARCH_ARM, CS_MODE_ARM, &handle) != CS_ERR_OK) {
        snprintf(buf, len, ".word 0x%08x", insn);
        return;
    }
    if (cs_disasm(handle, code, sizeof(code), pc, 1, &ci) == 1) {
        snprintf(buf, len, "%s %s", ci->mnemonic, ci->op_str);
        cs_free(ci, 1);
    } else {
        snprintf(buf, len, ".word 0x%08x (undefined)", insn);
    }
    cs_close(&handle);
}
