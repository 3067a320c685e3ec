import Foundation
import ValidaCore

/// A W3C Bitstring Status List: one bit per issued credential, bit `i` set when credential
/// number `i` is revoked. Index 0 is the most significant bit of the first byte, as the spec
/// says. The list has at least 131,072 entries (16 KB) so that one revoked bit does not tell
/// who was revoked.
public struct BitstringStatusList: Sendable, Hashable {
    public static let minimumCount = 131_072

    public let statusPurpose: String
    private var bytes: [UInt8]

    /// A list with every entry clear. `count` is rounded up to a whole byte and to the minimum.
    public init(count: Int = minimumCount, statusPurpose: String = "revocation") {
        let entries = max(count, Self.minimumCount)
        self.bytes = [UInt8](repeating: 0, count: (entries + 7) / 8)
        self.statusPurpose = statusPurpose
    }

    /// Decodes an `encodedList`: multibase base64url (`u` prefix; accepted without it, as older
    /// lists wrote), then GZIP.
    public init(encodedList: String, statusPurpose: String = "revocation") throws {
        let text = encodedList.hasPrefix("u") ? String(encodedList.dropFirst()) : encodedList
        guard let compressed = Base64URL.decode(text) else {
            throw CredentialError(field: "encodedList", message: "ce n'est pas du base64url valide")
        }
        let bits: [UInt8]
        do {
            bits = try Gzip.decompress(compressed)
        } catch let error as GzipError {
            throw CredentialError(field: "encodedList", message: error.description)
        }
        guard bits.count * 8 >= Self.minimumCount else {
            throw CredentialError(
                field: "encodedList",
                message: "liste trop courte : \(bits.count * 8) entrées, au moins \(Self.minimumCount) attendues")
        }
        self.bytes = bits
        self.statusPurpose = statusPurpose
    }

    /// How many entries the list holds.
    public var count: Int { bytes.count * 8 }

    /// The raw bitstring (before compression).
    public var bitstring: [UInt8] { bytes }

    public func isRevoked(_ index: Int) throws -> Bool {
        try check(index)
        return bytes[index / 8] & Self.mask(index) != 0
    }

    public mutating func revoke(_ index: Int) throws {
        try check(index)
        bytes[index / 8] |= Self.mask(index)
    }

    public mutating func clear(_ index: Int) throws {
        try check(index)
        bytes[index / 8] &= ~Self.mask(index)
    }

    /// Sets or clears one entry.
    public mutating func setRevoked(_ revoked: Bool, at index: Int) throws {
        if revoked { try revoke(index) } else { try clear(index) }
    }

    /// The indexes of every revoked entry, ascending.
    public var revokedIndexes: [Int] {
        bytes.indices.flatMap { byte in
            bytes[byte] == 0
                ? []
                : (0..<8).compactMap { bit in
                    bytes[byte] & (0x80 >> UInt8(bit)) != 0 ? byte * 8 + bit : nil
                }
        }
    }

    /// The `encodedList` value: `u` + base64url (no padding) of the GZIP of the bitstring.
    public func encoded() -> String {
        "u" + Base64URL.encode(Gzip.compress(bytes))
    }

    private func check(_ index: Int) throws {
        guard index >= 0, index < count else {
            throw CredentialError(
                field: "statusListIndex", message: "index \(index) hors de la liste (0 à \(count - 1))")
        }
    }

    private static func mask(_ index: Int) -> UInt8 { 0x80 >> UInt8(index % 8) }
}
