import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Loading what a roster page is about. A missing record is a French 404; access itself is
/// decided before the handler runs, by the rule its route declares (`SiteRoute.access`).
enum RosterAccess {
    static func school(_ request: Request) async throws -> DBSchool {
        guard let school = try await DBSchool.find(try request.id(.school), on: request.db) else {
            throw Abort(.notFound, reason: "Cette école n'existe pas.")
        }
        return school
    }

    static func cohort(_ request: Request) async throws -> DBCohort {
        guard let cohort = try await DBCohort.find(try request.id(.cohort), on: request.db) else {
            throw Abort(.notFound, reason: "Cette promotion n'existe pas.")
        }
        return cohort
    }

    static func candidate(_ request: Request) async throws -> DBCandidate {
        guard let candidate = try await DBCandidate.find(try request.id(.candidate), on: request.db) else {
            throw Abort(.notFound, reason: "Ce candidat n'existe pas.")
        }
        return candidate
    }

    static func school(of cohort: DBCohort) -> String { cohort.$school.id.uuidString }

    static func resource(_ candidate: DBCandidate) -> Resource {
        .candidate(id: candidate.id?.uuidString ?? "", school: candidate.$school.id.uuidString)
    }
}

/// Words and small computations the roster pages share.
enum RosterText {
    static let notSet = "non renseigné"

    /// How names and addresses are compared in a search: lower case, no accents, single
    /// spaces, typographic apostrophes made plain, so "Helene" finds "Hélène".
    static func fold(_ text: String) -> String {
        text.folding(
            options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR")
        )
        .replacingOccurrences(of: "’", with: "'")
        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether every word of a search is somewhere in the candidate's names or address.
    static func matches(_ candidate: DBCandidate, words: [String]) -> Bool {
        guard !words.isEmpty else { return true }
        let haystack = fold(
            [candidate.birthName, candidate.usualName ?? "", candidate.firstNames, candidate.email].joined(
                separator: " "))
        return words.allSatisfy { haystack.contains($0) }
    }

    static func searchWords(_ query: String?) -> [String] {
        fold(query ?? "").split(separator: " ").map(String.init)
    }

    /// Candidates in the order of a French list: by (usual) name, then first names.
    static func byName(_ candidates: [DBCandidate]) -> [DBCandidate] {
        candidates.sorted { DBCandidate.byName($0, $1) || (!DBCandidate.byName($1, $0) && $0.email < $1.email) }
    }

    /// A stored ISO day as a French page shows it.
    static func day(_ iso: String?) -> String {
        iso.flatMap(CalendarDate.init(iso:))?.french ?? notSet
    }

    /// "3 candidats", "1 candidat", "aucun candidat", "aucune école".
    static func count(_ n: Int, _ singular: String, feminine: Bool = false) -> String {
        n == 0 ? "\(feminine ? "aucune" : "aucun") \(singular)" : "\(n) \(n == 1 ? singular : singular + "s")"
    }

    /// Text typed in a form: trimmed, nil when empty.
    static func trimmed(_ text: String?) -> String? {
        let value = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// A description list of label → value, a missing value shown as "non renseigné".
    static func details(_ rows: [(String, String?)]) -> Node<HTML.BodyContext> {
        .dl(
            .forEach(rows) { label, value in
                .group(.dt(.text(label)), .dd(.text(value ?? notSet)))
            })
    }
}
