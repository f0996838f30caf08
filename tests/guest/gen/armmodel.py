"""Reference model of ARMv7-A A32 integer semantics used to compute the
expected results of the generated guest tests (independently of QEMU)."""

M32 = 0xFFFFFFFF
M64 = (1 << 64) - 1

N, Z, C, V, Q = 1 << 31, 1 << 30, 1 << 29, 1 << 28, 1 << 27


def bit(x, n):
    return (x >> n) & 1


def s32(x):
    x &= M32
    return x - (1 << 32) if x >> 31 else x


def s16(x):
    x &= 0xFFFF
    return x - 0x10000 if x >> 15 else x


def s8(x):
    x &= 0xFF
    return x - 0x100 if x >> 7 else x


def s64(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x


def ror(x, n):
    n %= 32
    return ((x >> n) | (x << (32 - n))) & M32 if n else x


# ---- shifter ---------------------------------------------------------------
def shift_c(x, kind, amount, cin):
    """Shift with carry (the ARM ARM Shift_C), amount already decoded."""
    if amount == 0 and kind != "rrx":
        return x, cin
    if kind == "lsl":
        if amount > 32:
            return 0, 0
        r = (x << amount)
        return r & M32, bit(r, 32)
    if kind == "lsr":
        if amount > 32:
            return 0, 0
        return (x >> amount) & M32, bit(x, amount - 1)
    if kind == "asr":
        if amount >= 32:
            return (M32 if bit(x, 31) else 0), bit(x, 31)
        return (s32(x) >> amount) & M32, bit(x, amount - 1)
    if kind == "ror":
        a = amount % 32
        r = ror(x, a)
        return r, bit(r, 31)
    if kind == "rrx":
        return ((cin << 31) | (x >> 1)) & M32, x & 1
    raise ValueError(kind)


def shift_imm(x, kind, imm, cin):
    """Immediate shift as written in assembly: lsr/asr #32 allowed."""
    return shift_c(x, kind, imm, cin)


def shift_reg(x, kind, rs, cin):
    """Register-controlled shift: only the bottom byte of Rs counts."""
    amount = rs & 0xFF
    if kind == "ror":
        if amount == 0:
            return x, cin
        a = amount % 32
        if a == 0:
            return x, bit(x, 31)
        return shift_c(x, "ror", a, cin)
    return shift_c(x, kind, amount, cin)


def imm_rot(imm8, rot, cin):
    """Modified immediate imm8 ror (2*rot) and its carry out."""
    v = ror(imm8, 2 * rot)
    return v, (bit(v, 31) if rot else cin)


# ---- data processing -------------------------------------------------------
def add_with_carry(x, y, c):
    u = x + y + c
    s = s32(x) + s32(y) + c
    r = u & M32
    return r, int(u > M32), int(s32(r) != s)


LOGIC = {"and", "eor", "orr", "bic", "mov", "mvn", "tst", "teq"}
TESTS = {"tst", "teq", "cmp", "cmn"}


def dp(op, a, b, psr, shifter_c):
    """Return (result or None, new psr) for a flag-setting op; a = Rn."""
    c = bit(psr, 29)
    if op in LOGIC:
        r = {"and": a & b, "eor": a ^ b, "orr": a | b, "bic": a & ~b & M32,
             "mov": b, "mvn": ~b & M32, "tst": a & b, "teq": a ^ b}[op]
        nc, nv = shifter_c, bit(psr, 28)
    else:
        x, y, cc = {"add": (a, b, 0), "adc": (a, b, c),
                    "sub": (a, ~b & M32, 1), "sbc": (a, ~b & M32, c),
                    "rsb": (b, ~a & M32, 1), "rsc": (b, ~a & M32, c),
                    "cmp": (a, ~b & M32, 1), "cmn": (a, b, 0)}[op]
        r, nc, nv = add_with_carry(x, y, cc)
    npsr = psr & ~(N | Z | C | V) & M32
    npsr |= (N if bit(r, 31) else 0) | (Z if r == 0 else 0)
    npsr |= (C if nc else 0) | (V if nv else 0)
    return (None if op in TESTS else r), npsr


def nz(psr, r, width=32):
    psr &= ~(N | Z) & M32
    if bit(r, width - 1):
        psr |= N
    if r == 0:
        psr |= Z
    return psr


# ---- saturation ------------------------------------------------------------
def sat_s(x, n):
    hi, lo = (1 << (n - 1)) - 1, -(1 << (n - 1))
    if x > hi:
        return hi, True
    if x < lo:
        return lo, True
    return x, False


def sat_u(x, n):
    hi = (1 << n) - 1
    if x > hi:
        return hi, True
    if x < 0:
        return 0, True
    return x, False


# ---- halves / bytes --------------------------------------------------------
def halves(x):
    return [x & 0xFFFF, (x >> 16) & 0xFFFF]


def bytes4(x):
    return [(x >> (8 * i)) & 0xFF for i in range(4)]


def from_halves(h):
    return (h[0] & 0xFFFF) | ((h[1] & 0xFFFF) << 16)


def from_bytes(b):
    r = 0
    for i, v in enumerate(b):
        r |= (v & 0xFF) << (8 * i)
    return r


def parallel(prefix, op, a, b, psr):
    """Parallel add/subtract. Returns (result, psr)."""
    signed = prefix in ("s", "q", "sh")
    if op in ("add16", "sub16", "asx", "sax"):
        w, ext = 16, (s16 if signed else (lambda v: v & 0xFFFF))
        ah, bh = [ext(v) for v in halves(a)], [ext(v) for v in halves(b)]
        if op == "add16":
            raw = [ah[0] + bh[0], ah[1] + bh[1]]
            kinds = ["add", "add"]
        elif op == "sub16":
            raw = [ah[0] - bh[0], ah[1] - bh[1]]
            kinds = ["sub", "sub"]
        elif op == "asx":
            raw = [ah[0] - bh[1], ah[1] + bh[0]]
            kinds = ["sub", "add"]
        else:  # sax
            raw = [ah[0] + bh[1], ah[1] - bh[0]]
            kinds = ["add", "sub"]
        lanes, per = 2, 2
    else:
        w, ext = 8, (s8 if signed else (lambda v: v & 0xFF))
        ab, bb = [ext(v) for v in bytes4(a)], [ext(v) for v in bytes4(b)]
        if op == "add8":
            raw = [ab[i] + bb[i] for i in range(4)]
            kinds = ["add"] * 4
        else:
            raw = [ab[i] - bb[i] for i in range(4)]
            kinds = ["sub"] * 4
        lanes, per = 4, 1
    res = []
    ge = []
    for r, k in zip(raw, kinds):
        if prefix == "s":
            res.append(r)
            ge.append(r >= 0)
        elif prefix == "u":
            res.append(r)
            ge.append(r >= (1 << w) if k == "add" else r >= 0)
        elif prefix == "q":
            res.append(sat_s(r, w)[0])
        elif prefix == "uq":
            res.append(sat_u(r, w)[0])
        elif prefix in ("sh", "uh"):
            res.append(r >> 1)
    out = from_halves(res) if w == 16 else from_bytes(res)
    if prefix in ("s", "u"):
        g = 0
        for i, flag in enumerate(ge):
            if flag:
                g |= ((1 << per) - 1) << (i * per)
        psr = (psr & ~(0xF << 16) & M32) | (g << 16)
    return out, psr


def clz(x):
    n = 0
    for i in range(31, -1, -1):
        if bit(x, i):
            break
        n += 1
    return n


def rbit(x):
    return int("{:032b}".format(x)[::-1], 2)
