/// What an evidence file of a VAE dossier may be: a PDF, an image, or an office document,
/// recognised by its content (its first bytes) and not by its name alone, with a name that
/// cannot point anywhere on the server's disk.
public enum EvidenceType: String, Sendable, Hashable, Codable, CaseIterable {
    case pdf
    case png
    case jpeg
    /// A ZIP-based office document: docx, xlsx, pptx, odt, ods, odp.
    case officeZIP = "office-zip"
    /// A legacy OLE office document: doc, xls, ppt.
    case officeLegacy = "office-legacy"

    /// The extensions that may carry this content.
    public var extensions: Set<String> {
        switch self {
        case .pdf: ["pdf"]
        case .png: ["png"]
        case .jpeg: ["jpg", "jpeg"]
        case .officeZIP: ["docx", "xlsx", "pptx", "odt", "ods", "odp"]
        case .officeLegacy: ["doc", "xls", "ppt"]
        }
    }

    /// The content type a file of this type and extension is served with.
    public static func mediaType(extension ext: String) -> String {
        switch ext.lowercased() {
        case "pdf": "application/pdf"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case "odt": "application/vnd.oasis.opendocument.text"
        case "ods": "application/vnd.oasis.opendocument.spreadsheet"
        case "odp": "application/vnd.oasis.opendocument.presentation"
        case "doc": "application/msword"
        case "xls": "application/vnd.ms-excel"
        case "ppt": "application/vnd.ms-powerpoint"
        default: "application/octet-stream"
        }
    }

    static let signatures: [(EvidenceType, [UInt8])] = [
        (.pdf, Array("%PDF-".utf8)),
        (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        (.jpeg, [0xFF, 0xD8, 0xFF]),
        (.officeZIP, [0x50, 0x4B, 0x03, 0x04]),
        (.officeLegacy, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
    ]

    /// The type the content's first bytes announce, if any allowed one.
    public static func detect(_ prefix: some Collection<UInt8>) -> EvidenceType? {
        let head = Array(prefix.prefix(8))
        return signatures.first { head.starts(with: $0.1) }?.0
    }
}

public enum EvidenceFileError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case tooLarge(size: Int, limit: Int)
    case badName(String, reason: String)
    case extensionNotAllowed(String)
    case contentNotAllowed(name: String)
    case contentMismatch(name: String, detected: EvidenceType)
    /// Starts like an office document but is not a readable one.
    case damagedArchive(name: String)

    public var description: String {
        switch self {
        case .empty: "le fichier est vide"
        case .tooLarge(let size, let limit):
            "le fichier pèse \(megabytes(size)) Mo : la limite est de \(megabytes(limit)) Mo par fichier"
        case .badName(let name, let reason): "nom de fichier refusé « \(printable(name)) » : \(reason)"
        case .extensionNotAllowed(let name):
            "« \(printable(name)) » : seuls les PDF, images PNG ou JPEG et documents bureautiques (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt) sont acceptés"
        case .contentNotAllowed(let name):
            "« \(printable(name)) » : son contenu n'est ni un PDF, ni une image PNG ou JPEG, ni un document bureautique"
        case .contentMismatch(let name, let detected):
            "« \(printable(name)) » : son contenu (\(detected.rawValue)) ne correspond pas à son extension"
        case .damagedArchive(let name):
            "« \(printable(name)) » n'est pas un document bureautique lisible : le fichier est incomplet ou abîmé"
        }
    }

    private func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024)
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10),\(tenths % 10)"
    }

    /// The name without its control characters, to show it safely in a message.
    private func printable(_ name: String) -> String {
        String(name.unicodeScalars.filter { !$0.properties.generalCategory.isControl }.map(Character.init).prefix(80))
    }
}

extension Unicode.GeneralCategory {
    var isControl: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}

public enum EvidenceFileCheck {
    /// The largest file accepted: a scanned document, not a video.
    public static let maxSize = 8 * 1024 * 1024

    /// Checks a file's name, size and content, and returns the type its content shows.
    public static func check(name: String, size: Int, prefix: some Collection<UInt8>, limit: Int = maxSize)
        throws(EvidenceFileError) -> EvidenceType
    {
        try checkName(name)
        guard size > 0 else { throw .empty }
        guard size <= limit else { throw .tooLarge(size: size, limit: limit) }
        let ext = fileExtension(name)
        guard EvidenceType.allCases.contains(where: { $0.extensions.contains(ext) }) else {
            throw .extensionNotAllowed(name)
        }
        guard let detected = EvidenceType.detect(prefix) else { throw .contentNotAllowed(name: name) }
        guard detected.extensions.contains(ext) else { throw .contentMismatch(name: name, detected: detected) }
        return detected
    }

    /// Refuses a name that is empty, too long, a path, or carries control characters.
    public static func checkName(_ name: String) throws(EvidenceFileError) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw .badName(name, reason: "le nom est vide") }
        if name.count > 200 { throw .badName(name, reason: "le nom dépasse 200 caractères") }
        if name.contains("/") || name.contains("\\") {
            throw .badName(name, reason: "un nom de fichier ne contient pas de chemin")
        }
        if name.contains("..") { throw .badName(name, reason: "« .. » n'est pas permis dans un nom de fichier") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory.isControl }) {
            throw .badName(name, reason: "le nom contient des caractères de contrôle")
        }
    }

    /// The lowercased extension, or "" when there is none.
    public static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}
