/*
 * backend-x86_64: armvm IR to x86-64 machine code.
 *
 * Today this folder holds the foundation of the backend: the executable code buffer
 * (code_buffer.h) and the x86-64 instruction emitter (x86_emit.h). The IR compiler
 * that uses them (`--engine jit`) is the translator issue's work.
 */
#ifndef ARMVM_BACKEND_X86_64_H
#define ARMVM_BACKEND_X86_64_H

#include "backend-x86_64/code_buffer.h"
#include "backend-x86_64/x86_emit.h"

#endif
