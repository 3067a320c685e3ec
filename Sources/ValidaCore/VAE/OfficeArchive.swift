/// The structure of a ZIP-based office document, read from its bytes: a file that only
/// starts like a ZIP (`PK\u{3}\u{4}` and garbage) is not one. Checked: the end-of-central-
/// directory record, a central directory inside the file whose entries each point to a
/// local header, and the entry the format requires — `[Content_Types].xml` for Office Open
/// XML (docx, xlsx, pptx), `mimetype` for OpenDocument (odt, ods, odp).
public enum OfficeArchive {
    /// The entry names of the archive's central directory, or nil when the bytes are not a
    /// well-formed ZIP archive.
    public static func entryNames(_ bytes: [UInt8]) -> [String]? {
        let count = bytes.count
        guard count >= 22 else { return nil }
        func u16(_ at: Int) -> Int? { at >= 0 && at + 2 <= count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= count else { return nil }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        // The end record is in the last 22 + 65,535 (comment) bytes, searched from the end.
        var end: Int?
        var at = count - 22
        while at >= max(0, count - 22 - 65_535) {
            if u32(at) == 0x0605_4B50 {
                end = at
                break
            }
            at -= 1
        }
        guard let end, let entries = u16(end + 10), let size = u32(end + 12), let offset = u32(end + 16),
            entries > 0, entries != 0xFFFF, size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF,
            offset + size <= end
        else { return nil }
        var names: [String] = []
        var position = offset
        for _ in 0..<entries {
            guard u32(position) == 0x0201_4B50, let nameLength = u16(position + 28), let extra = u16(position + 30),
                let comment = u16(position + 32), let local = u32(position + 42),
                position + 46 + nameLength <= offset + size, u32(local) == 0x0403_4B50
            else { return nil }
            names.append(String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self))
            position += 46 + nameLength + extra + comment
        }
        guard position <= offset + size else { return nil }
        return names
    }

    /// The entry a document with this extension must hold.
    public static func requiredEntry(extension ext: String) -> String? {
        switch ext.lowercased() {
        case "docx", "xlsx", "pptx": "[Content_Types].xml"
        case "odt", "ods", "odp": "mimetype"
        default: nil
        }
    }

    /// Whether `bytes` are a readable office document of the extension's format.
    public static func isWellFormed(_ bytes: [UInt8], extension ext: String) -> Bool {
        guard let names = entryNames(bytes) else { return false }
        guard let required = requiredEntry(extension: ext) else { return true }
        return names.contains(required)
    }
}

extension EvidenceFileCheck {
    /// Checks a whole file: name, size, first bytes (`check(name:size:prefix:)`), and for an
    /// office archive its structure, so that a file merely starting like one is refused.
    public static func check(name: String, data: some Collection<UInt8>, limit: Int = maxSize) throws(EvidenceFileError)
        -> EvidenceType
    {
        let detected = try check(name: name, size: data.count, prefix: data.prefix(8), limit: limit)
        if detected == .officeZIP, !OfficeArchive.isWellFormed(Array(data), extension: fileExtension(name)) {
            throw .damagedArchive(name: name)
        }
        return detected
    }
}
