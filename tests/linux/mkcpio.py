#!/usr/bin/env python3
"""mkcpio.py OUT INIT - write the initramfs of the Linux boot test.

A "newc" cpio archive (the format the kernel unpacks into its rootfs, see the kernel's
Documentation/driver-api/early-userspace/buffer-format.rst) holding:

    /dev            directory
    /dev/console    character device 5:1 (the kernel opens it for /init's stdio)
    /proc           directory (init mounts procfs there)
    /init           the test program INIT, mode 0755

Every entry belongs to root and has mtime 0, so the archive is the same bit for bit
for the same INIT. Only the Python standard library is needed (no cpio tool).
"""
import stat
import sys


def entry(ino, name, mode, data=b"", rdev=(0, 0), nlink=1):
    """One newc record: 110-byte ASCII header, NUL-terminated name and data, each
    padded to a multiple of 4 bytes."""
    name_b = name.encode() + b"\0"
    fields = [
        ino, mode, 0, 0, nlink, 0, len(data),  # ino mode uid gid nlink mtime filesize
        0, 0, rdev[0], rdev[1],                # devmajor devminor rdevmajor rdevminor
        len(name_b), 0,                        # namesize check
    ]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = hdr + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkcpio.py OUT INIT")
    out_path, init_path = sys.argv[1], sys.argv[2]
    with open(init_path, "rb") as f:
        init = f.read()
    if init[:4] != b"\x7fELF":
        sys.exit("mkcpio.py: %s is not an ELF file" % init_path)
    records = [
        entry(1, ".", stat.S_IFDIR | 0o755, nlink=2),
        entry(2, "dev", stat.S_IFDIR | 0o755, nlink=2),
        entry(3, "dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1)),
        entry(4, "proc", stat.S_IFDIR | 0o555, nlink=2),
        entry(5, "init", stat.S_IFREG | 0o755, data=init),
        entry(0, "TRAILER!!!", 0),
    ]
    blob = b"".join(records)
    blob += b"\0" * (-len(blob) % 512)  # cpio's customary block padding
    with open(out_path, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main()
