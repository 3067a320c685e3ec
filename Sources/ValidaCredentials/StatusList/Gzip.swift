import Foundation

/// GZIP (RFC 1952) without zlib: Foundation on Linux has no compression API, and the package
/// may not add one. Writing uses DEFLATE *stored* blocks (RFC 1951 §3.2.4, no compression):
/// every GZIP reader accepts them, and a status list is small (16 KB of bits). Reading
/// accepts stored blocks and also fixed and dynamic Huffman blocks, so a list compressed by
/// another tool reads too.
public enum Gzip {
    /// The largest payload of one stored block.
    static let storedBlockLimit = 65_535

    public static func compress(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]  // magic, deflate, no flags, no mtime, OS unknown
        var offset = 0
        repeat {
            let count = min(storedBlockLimit, data.count - offset)
            let isLast = offset + count == data.count
            out.append(isLast ? 1 : 0)  // BFINAL, BTYPE 00; the rest of the byte is padding
            out.append(contentsOf: littleEndian(UInt32(count), bytes: 2))
            out.append(contentsOf: littleEndian(UInt32(~UInt16(count)), bytes: 2))
            out.append(contentsOf: data[offset..<offset + count])
            offset += count
        } while offset < data.count
        out.append(contentsOf: littleEndian(CRC32.checksum(data), bytes: 4))
        out.append(contentsOf: littleEndian(UInt32(truncatingIfNeeded: data.count), bytes: 4))
        return out
    }

    /// Decompresses one GZIP member, checking its CRC-32 and length. `limit` bounds the output
    /// so a hostile list cannot exhaust memory.
    public static func decompress(_ data: [UInt8], limit: Int = 16 * 1024 * 1024) throws -> [UInt8] {
        guard data.count >= 18, data[0] == 0x1f, data[1] == 0x8b else {
            throw GzipError("ce n'est pas un flux GZIP (en-tête 1f 8b absent)")
        }
        guard data[2] == 8 else { throw GzipError("méthode de compression \(data[2]) inconnue (8 = DEFLATE attendu)") }
        let flags = data[3]
        var position = 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard position + 2 <= data.count else { throw GzipError("en-tête GZIP tronqué") }
            position += 2 + Int(data[position]) + Int(data[position + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while position < data.count, data[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 0x02 != 0 { position += 2 }  // FHCRC
        guard position <= data.count - 8 else { throw GzipError("en-tête GZIP tronqué") }

        var inflater = Inflater(input: data, position: position, limit: limit)
        let output = try inflater.run()
        let trailer = (inflater.bytePosition, inflater.bytePosition + 8)
        guard trailer.1 <= data.count else { throw GzipError("fin du flux GZIP manquante (CRC-32 et longueur)") }
        let crc = readLittleEndian(data, at: trailer.0)
        let size = readLittleEndian(data, at: trailer.0 + 4)
        guard crc == CRC32.checksum(output) else { throw GzipError("CRC-32 incorrect : données altérées") }
        guard size == UInt32(truncatingIfNeeded: output.count) else {
            throw GzipError("longueur incorrecte : \(output.count) octets lus, \(size) annoncés")
        }
        return output
    }

    static func littleEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    static func readLittleEndian(_ data: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[offset + $1]) << (8 * UInt32($1)) }
    }
}

public struct GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { "GZIP : \(message)" }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as GZIP's trailer uses.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func checksum(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
