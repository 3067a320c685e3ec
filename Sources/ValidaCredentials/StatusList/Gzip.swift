import CompressNIO
import NIOCore

/// GZIP (RFC 1952), as a W3C Bitstring Status List's `encodedList` requires, through zlib
/// (compress-nio). zlib checks the CRC-32 and the length of what it reads.
public enum Gzip {
    /// Compresses at zlib's best level: a status list is mostly zeros, and its 16 KB of bits
    /// become a few dozen bytes.
    public static func compress(_ data: [UInt8]) -> [UInt8] {
        var input = ByteBuffer(bytes: data)
        do {
            let output = try input.compress(with: .gzip, configuration: .init(compressionLevel: .bestCompression))
            return Array(output.readableBytesView)
        } catch {
            // zlib fails to compress only when out of memory or misconfigured: not a caller's error.
            fatalError("GZIP : zlib n'a pas pu compresser \(data.count) octets (\(error))")
        }
    }

    /// Decompresses one GZIP member. `limit` bounds the output so that a hostile list cannot
    /// exhaust memory.
    public static func decompress(_ data: [UInt8], limit: Int = 16 * 1024 * 1024) throws -> [UInt8] {
        guard data.count >= 18, data[0] == 0x1f, data[1] == 0x8b else {
            throw GzipError("ce n'est pas un flux GZIP (en-tête 1f 8b absent)")
        }
        var input = ByteBuffer(bytes: data)
        let output: [UInt8]
        do {
            output = Array(try input.decompress(with: .gzip, maxSize: limit).readableBytesView)
        } catch let error as CompressNIOError {
            switch error {
            case .bufferOverflow: throw GzipError("données décompressées trop grandes (plus de \(limit) octets)")
            case .corruptData: throw GzipError("données altérées (CRC-32, longueur ou bloc DEFLATE invalide)")
            default: throw GzipError("zlib a échoué (\(error))")
            }
        }
        // zlib stops quietly at the end of its input: a stream cut short decodes in part without
        // an error. A whole member ends with its length (ISIZE), which zlib has checked, and
        // nothing follows it.
        let size = data.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard input.readableBytes == 0, size == UInt32(truncatingIfNeeded: output.count) else {
            throw GzipError("flux GZIP tronqué ou suivi d'octets en trop")
        }
        return output
    }
}

public struct GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { "GZIP : \(message)" }
}
