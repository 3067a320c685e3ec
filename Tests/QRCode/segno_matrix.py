"""Prints segno's QR code for each payload given in hex: byte mode, level M, no error boost.

One block per payload: a line "version mask", then one line of 0/1 per row (no quiet zone).
The reference for Tests/ValidaCoreTests/Text/QRCodeTests.swift.

One departure from segno, on purpose: segno 1.6 adds eight padding bits (a 0x00 codeword)
when the bit stream after the terminator already ends on a codeword boundary, which in byte
mode is always; ISO/IEC 18004 (7.4.10) adds padding bits only when it does not, then the pad
codewords 0xEC 0x11. Both symbols read the same (a reader stops at the terminator), but the
modules differ, so the reference follows the standard there and is segno everywhere else
(Reed-Solomon, placement, masks and their penalties, format and version information).
"""
import sys

import segno
from segno import consts, encoder


def write_padding_bits(buff, version, length):
    if version not in (consts.VERSION_M1, consts.VERSION_M3) and length % 8:
        buff.extend([0] * (8 - length % 8))


encoder.write_padding_bits = write_padding_bits

for payload in sys.argv[1:]:
    code = segno.make(bytes.fromhex(payload), error="m", mode="byte", boost_error=False, micro=False)
    print(code.version, code.mask)
    for row in code.matrix:
        print("".join(str(bit) for bit in row))
