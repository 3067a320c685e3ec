/// A QR code (ISO/IEC 18004) of bytes: byte mode, error correction level M (15 % of the
/// symbol may be lost), the smallest of versions 1 to 10 that holds the bytes, and the data
/// mask of lowest penalty. Made for the `otpauth://` link of two-factor enrolment, drawn by
/// the server as SVG; no library of ours does this.
public struct QRCode: Sendable, Equatable {
    /// 1 to 10: the symbol is 17 + 4 × version modules wide.
    public let version: Int
    /// The data mask chosen, 0 to 7.
    public let mask: Int
    /// Rows of modules, top to bottom; `true` is dark. No quiet zone.
    public let modules: [[Bool]]

    public var size: Int { modules.count }

    public enum Failure: Error, Equatable, Sendable {
        /// More bytes than a version-10 symbol at level M holds.
        case tooLong(bytes: Int, maximum: Int)
    }

    public init(_ text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    public init(bytes: [UInt8]) throws {
        guard let version = Self.smallestVersion(for: bytes.count) else {
            throw Failure.tooLong(bytes: bytes.count, maximum: Self.capacity(QRCodeTables.maximumVersion))
        }
        let codewords = Self.codewords(bytes, version: version)
        var matrix = QRMatrix(version: version)
        matrix.placeFunctionPatterns()
        matrix.placeData(Self.bits(codewords, version: version))
        var best: (score: Int, mask: Int, matrix: QRMatrix)?
        for mask in 0..<8 {
            var candidate = matrix
            candidate.applyMask(mask)
            // Scored before the format and version information are written (7.8.3).
            let score = QRPenalty.score(candidate.dark, size: candidate.size)
            if best == nil || score < best!.score { best = (score, mask, candidate) }
        }
        var chosen = best!.matrix
        chosen.placeFormatAndVersion(mask: best!.mask)
        self.version = version
        self.mask = best!.mask
        self.modules = chosen.rows
    }

    /// The bytes a version holds in byte mode: its data bits less the mode (4 bits) and the
    /// length (8 bits up to version 9, 16 from 10).
    static func capacity(_ version: Int) -> Int {
        let bits = QRCodeTables.levelM[version - 1].dataCodewords * 8
        return (bits - 4 - lengthBits(version)) / 8
    }

    static func lengthBits(_ version: Int) -> Int { version < 10 ? 8 : 16 }

    static func smallestVersion(for count: Int) -> Int? {
        (1...QRCodeTables.maximumVersion).first { capacity($0) >= count }
    }

    /// Data codewords (mode, length, bytes, terminator, padding), then each block's error
    /// correction, interleaved as 7.6 says.
    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let blocks = QRCodeTables.levelM[version - 1]
        let capacityBits = blocks.dataCodewords * 8
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, lengthBits(version))
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, capacityBits - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(0) { ($0 << 1) | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while data.count < blocks.dataCodewords {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        var dataBlocks: [[UInt8]] = []
        var offset = 0
        for group in blocks.groups {
            for _ in 0..<group.count {
                dataBlocks.append(Array(data[offset..<offset + group.data]))
                offset += group.data
            }
        }
        let ecBlocks = dataBlocks.map { QRCodeTables.errorCorrection($0, count: blocks.ecPerBlock) }
        var result: [UInt8] = []
        for i in 0..<(dataBlocks.map(\.count).max() ?? 0) {
            for block in dataBlocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<blocks.ecPerBlock {
            for block in ecBlocks { result.append(block[i]) }
        }
        return result
    }

    static func bits(_ codewords: [UInt8], version: Int) -> [Bool] {
        var bits: [Bool] = []
        bits.reserveCapacity(codewords.count * 8 + 7)
        for byte in codewords {
            for shift in stride(from: 7, through: 0, by: -1) { bits.append((byte >> UInt8(shift)) & 1 == 1) }
        }
        bits += [Bool](repeating: false, count: QRCodeTables.remainderBits(version))
        return bits
    }
}

/// The symbol while it is built: each module dark or light, and whether it belongs to a
/// function pattern (which data and masks leave alone).
struct QRMatrix: Sendable {
    let version: Int
    let size: Int
    var dark: [Bool]
    var function: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = [Bool](repeating: false, count: size * size)
        function = [Bool](repeating: false, count: size * size)
    }

    var rows: [[Bool]] { (0..<size).map { Array(dark[$0 * size..<($0 + 1) * size]) } }

    private mutating func set(_ row: Int, _ column: Int, _ value: Bool) {
        dark[row * size + column] = value
        function[row * size + column] = true
    }

    /// Finders with their separators, timing, alignment, and the format and version areas
    /// reserved (light until the mask is chosen, the dark module included).
    mutating func placeFunctionPatterns() {
        for (top, left) in [(0, 0), (0, size - 7), (size - 7, 0)] {
            for r in -1...7 {
                for c in -1...7 {
                    let row = top + r
                    let column = left + c
                    guard (0..<size).contains(row), (0..<size).contains(column) else { continue }
                    let ring = max(abs(r - 3), abs(c - 3))
                    set(row, column, ring != 2 && ring != 4)
                }
            }
        }
        for i in 8..<(size - 8) {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        let centres = QRCodeTables.alignment[version - 1]
        if let first = centres.first, let last = centres.last {
            for row in centres {
                for column in centres {
                    // Not over the finders.
                    if (row == first && column == first) || (row == first && column == last)
                        || (row == last && column == first)
                    {
                        continue
                    }
                    for r in -2...2 {
                        for c in -2...2 { set(row + r, column + c, max(abs(r), abs(c)) != 1) }
                    }
                }
            }
        }
        for i in 0...8 where i != 6 {
            set(8, i, false)
            set(i, 8, false)
        }
        for i in 0..<8 {
            set(8, size - 1 - i, false)
            set(size - 1 - i, 8, false)
        }
        if version >= 7 {
            for i in 0..<6 {
                for j in 0..<3 {
                    set(i, size - 11 + j, false)
                    set(size - 11 + j, i, false)
                }
            }
        }
    }

    /// The bits in two-module columns, from the bottom right, up then down alternately,
    /// skipping the vertical timing column (7.7.3).
    mutating func placeData(_ bits: [Bool]) {
        var index = 0
        for start in stride(from: size - 1, to: 0, by: -2) {
            let right = start <= 6 ? start - 1 : start
            for vertical in 0..<size {
                for z in 0..<2 {
                    let column = right - z
                    var upwards = (right & 2) == 0
                    if column < 6 { upwards.toggle() }
                    let row = upwards ? size - 1 - vertical : vertical
                    guard !function[row * size + column] else { continue }
                    dark[row * size + column] = index < bits.count ? bits[index] : false
                    index += 1
                }
            }
        }
    }

    mutating func applyMask(_ mask: Int) {
        for row in 0..<size {
            for column in 0..<size where !function[row * size + column] && Self.masks(mask, row, column) {
                dark[row * size + column].toggle()
            }
        }
    }

    /// The eight data masks of 7.8.2, on row `i` and column `j`.
    static func masks(_ mask: Int, _ i: Int, _ j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }

    /// Format information around the finders (bit 0 first), the dark module, and version
    /// information for versions 7 and up.
    mutating func placeFormatAndVersion(mask: Int) {
        let format = QRCodeTables.formatBits(mask: mask)
        func bit(_ n: Int) -> Bool { (format >> n) & 1 == 1 }
        for i in 0..<8 {
            // Upper left: bits 0-7 down column 8 (skipping the timing row), bits 14-7 along row 8.
            let vertical = i < 6 ? i : i + 1
            let horizontal = i < 6 ? i : i + 1
            dark[vertical * size + 8] = bit(i)
            dark[8 * size + horizontal] = bit(14 - i)
            // Upper right: bits 0-7 along row 8; lower left: bits 14-7 up column 8.
            dark[8 * size + size - 1 - i] = bit(i)
            dark[(size - 1 - i) * size + 8] = bit(14 - i)
        }
        dark[(size - 8) * size + 8] = true
        guard version >= 7 else { return }
        let info = QRCodeTables.versionBits(version)
        for i in 0..<6 {
            for j in 0..<3 {
                let value = (info >> (i * 3 + j)) & 1 == 1
                dark[(size - 11 + j) * size + i] = value
                dark[i * size + size - 11 + j] = value
            }
        }
    }
}
