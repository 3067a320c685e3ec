import Foundation
import ValidaCore

/// What an import from the RNCP export could not settle: every piece of free text that was
/// not split with confidence, and what the export does not hold and the certifier must add.
public struct RNCPImportReport: Sendable, Hashable, Codable {
    /// The fiche imported, `RNCPnnnnn`.
    public var fiche: String
    /// `VERSION_FLUX` of the export.
    public var exportVersion: String?
    /// Pieces of text split without confidence, block by block.
    public var doubts: [RNCPImportDoubt]
    /// What the export leaves open, in French, one sentence each (criteria are never in it).
    public var notes: [String]

    public init(fiche: String, exportVersion: String? = nil, doubts: [RNCPImportDoubt] = [], notes: [String] = []) {
        self.fiche = fiche
        self.exportVersion = exportVersion
        self.doubts = doubts
        self.notes = notes
    }

    /// The report as printed by `valida import rncp`.
    public var text: String {
        var out = "Import de la fiche \(fiche)"
        if let exportVersion { out += " (export RNCP, flux \(exportVersion))" }
        out += "\n"
        if doubts.isEmpty {
            out += "\nToutes les listes de compétences ont été découpées sans ambiguïté.\n"
        } else {
            out +=
                "\nÀ relire : \(doubts.count) passage\(doubts.count > 1 ? "s" : "") découpé\(doubts.count > 1 ? "s" : "") sans certitude\n"
            for doubt in doubts {
                out += "- \(doubt.block) (\(doubt.field)) [\(doubt.kind.rawValue)] : \(doubt.reason)\n"
                if !doubt.text.isEmpty { out += "  texte : « \(Self.shortened(doubt.text)) »\n" }
            }
        }
        if !notes.isEmpty {
            out += "\nÀ compléter par le certificateur :\n"
            for note in notes { out += "- \(note)\n" }
        }
        return out
    }

    static func shortened(_ text: String, limit: Int = 300) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}

/// One piece of free text the import split without confidence.
public struct RNCPImportDoubt: Sendable, Hashable, Codable {
    /// Why the import is unsure, as a stable code.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Text before the first numbered or bulleted item that ends with a colon: left out.
        case introduction
        /// Text before the first item, without number or bullet: kept as a competency.
        case unmarkedItem = "unmarked-item"
        /// Text without number or bullet after a finished item: joined to it.
        case unmarkedContinuation = "unmarked-continuation"
        /// A line break inside a sentence: joined to the item before.
        case brokenSentence = "broken-sentence"
        /// An infinitive starting mid-sentence, or a dash mid-item: maybe two items.
        case possiblyMerged = "possibly-merged"
        /// Several sentences in one item.
        case severalSentences = "several-sentences"
        /// A long text with no separator at all: one item.
        case noSeparator = "no-separator"
        /// No competency at all in the block.
        case emptyList = "empty-list"
        /// A number the file uses twice, renamed to stay unique.
        case renamedID = "renamed-id"
    }

    /// The block's code as in the file (`RNCP34762BC05`), or its place when it has none.
    public var block: String
    /// The element the text comes from, `LISTE_COMPETENCES` …
    public var field: String
    public var kind: Kind
    /// The text concerned, spaces collapsed.
    public var text: String
    /// Why, in French.
    public var reason: String
    /// The competency the text ended up in, when it is one.
    public var competency: String?

    public init(block: String, field: String, kind: Kind, text: String, reason: String, competency: String? = nil) {
        self.block = block
        self.field = field
        self.kind = kind
        self.text = text
        self.reason = reason
        self.competency = competency
    }
}

/// Why an import failed, with the file, and the line and column where the XML says so.
public struct RNCPImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case unreadableFile = "unreadable-file"
        case malformedXML = "malformed-xml"
        case notAnExport = "not-an-export"
        case invalidFicheCode = "invalid-fiche-code"
        case ficheNotFound = "fiche-not-found"
        case invalidFiche = "invalid-fiche"
    }

    public var kind: Kind
    public var file: String
    public var line: Int?
    public var column: Int?
    /// In French.
    public var message: String
    /// For `ficheNotFound`: the codes of the file nearest to the one asked for.
    public var nearbyCodes: [String]

    public init(
        _ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, message: String, nearbyCodes: [String] = []
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.nearbyCodes = nearbyCodes
    }

    /// `file:line:column: erreur : message`, the form of `valida check`.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(place): erreur : \(message)"
    }
}
