/// The tables of ISO/IEC 18004 that a byte-mode QR code of error correction level M, versions
/// 1 to 10, needs (enough for an `otpauth://` link of up to 213 bytes), and the arithmetic of
/// its Reed-Solomon codes.
enum QRCodeTables {
    /// How a version's codewords are split into blocks: each block gets `ecPerBlock` error
    /// correction codewords; `groups` lists (number of blocks, data codewords per block).
    struct Blocks: Sendable {
        let ecPerBlock: Int
        let groups: [(count: Int, data: Int)]

        var dataCodewords: Int { groups.reduce(0) { $0 + $1.count * $1.data } }
    }

    static let maximumVersion = 10

    /// Level M, versions 1 to 10 (Table 9).
    static let levelM: [Blocks] = [
        Blocks(ecPerBlock: 10, groups: [(1, 16)]),
        Blocks(ecPerBlock: 16, groups: [(1, 28)]),
        Blocks(ecPerBlock: 26, groups: [(1, 44)]),
        Blocks(ecPerBlock: 18, groups: [(2, 32)]),
        Blocks(ecPerBlock: 24, groups: [(2, 43)]),
        Blocks(ecPerBlock: 16, groups: [(4, 27)]),
        Blocks(ecPerBlock: 18, groups: [(4, 31)]),
        Blocks(ecPerBlock: 22, groups: [(2, 38), (2, 39)]),
        Blocks(ecPerBlock: 22, groups: [(3, 36), (2, 37)]),
        Blocks(ecPerBlock: 26, groups: [(4, 43), (1, 44)]),
    ]

    /// The centres of the alignment patterns, by version (Annex E); none for version 1.
    static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    /// Bits left over after the last codeword, by version (7.6).
    static func remainderBits(_ version: Int) -> Int { (2...6).contains(version) ? 7 : 0 }

    /// The 15 bits of format information for level M (bits 00) and `mask`: a BCH(15,5) code
    /// XORed with 101010000010010 (7.9.1).
    static func formatBits(mask: Int) -> Int {
        let data = (0b00 << 3) | mask
        var remainder = data << 10
        for bit in stride(from: 14, through: 10, by: -1) where remainder & (1 << bit) != 0 {
            remainder ^= 0x537 << (bit - 10)
        }
        return ((data << 10) | remainder) ^ 0x5412
    }

    /// The 18 bits of version information (versions 7 and up): a BCH(18,6) code (7.10).
    static func versionBits(_ version: Int) -> Int {
        var remainder = version << 12
        for bit in stride(from: 17, through: 12, by: -1) where remainder & (1 << bit) != 0 {
            remainder ^= 0x1F25 << (bit - 12)
        }
        return (version << 12) | remainder
    }

    // MARK: - GF(256), polynomial x^8 + x^4 + x^3 + x^2 + 1

    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        for i in 255..<512 { table[i] = table[i - 255] }
        return table
    }()

    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0 || b == 0 ? 0 : exp[log[Int(a)] + log[Int(b)]]
    }

    /// The generator polynomial of degree `degree`, (x - α^0)…(x - α^(degree-1)), its
    /// coefficients from the highest power down, the leading 1 left out.
    static func generator(degree: Int) -> [UInt8] {
        var poly: [UInt8] = [1]
        for i in 0..<degree {
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for (j, coefficient) in poly.enumerated() {
                next[j] ^= coefficient
                next[j + 1] ^= multiply(coefficient, exp[i])
            }
            poly = next
        }
        return Array(poly.dropFirst())
    }

    /// The error correction codewords of `data`: the remainder of data·x^n divided by the
    /// generator of degree n.
    static func errorCorrection(_ data: [UInt8], count: Int) -> [UInt8] {
        let generator = generator(degree: count)
        var remainder = [UInt8](repeating: 0, count: count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            if factor != 0 {
                for i in 0..<count { remainder[i] ^= multiply(generator[i], factor) }
            }
        }
        return remainder
    }
}
