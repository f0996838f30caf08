#!/usr/bin/env bash
# run-random.sh ARMVM [--seed S] [--programs P] [--cases N] [--max-len L]
#               [--engines "interp jit"] [--qemu|--no-qemu] [--only K [--drop I,J]]
#               [--no-shrink] [--keep-going] [-j J] [--keep DIR]
#               [--user | --mode privileged|user|alternate] [--avoid REGEX]
#
# Random-instruction differential test (see README.md): generates P guest
# programs of N random A32 cases each (seeds S .. S+P-1), builds them with
# arm-none-eabi-gcc, runs them under every armvm engine in --engines (default
# $ARMVM_ENGINES, else "interp") and under qemu-system-arm (default when it
# is installed and $ARMVM_NO_QEMU is unset), and compares the outputs case by
# case, the exit statuses, and the guest instruction counts of the armvm
# engines.  On a mismatch it prints the first differing case (listing,
# initial state, both results) and a minimised reproducer.  With --user the
# cases run in User mode (--mode alternate: every other program does).  The
# work is done by random_diff.py (python3, standard library only).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "FAILED: python3 not found" >&2; exit 1; }
exec python3 "$here/random_diff.py" "$@"
