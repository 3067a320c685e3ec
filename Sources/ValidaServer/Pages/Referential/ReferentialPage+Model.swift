import Fluent
import Foundation
import ValidaCore
import Vapor

/// The référentiel as the people of the certification read it: identity, blocks down to
/// criteria, transversal assessments, VAE, the coverage matrix and the check's findings.
/// Every role may read it; when several versions are loaded, one is chosen by `?version=`.
enum ReferentialPage {
    static let versionParameter = "version"

    struct Version: Sendable, Hashable {
        var id: UUID
        var label: String
    }

    struct Model: Sendable {
        /// Every loaded version, latest first.
        var versions: [Version]
        /// The version shown; nil when none is loaded.
        var selected: UUID?
        var sourceName: String
        var referential: Referential?
        var report: CheckReport?
    }

    static func show(_ request: Request) async throws -> Response {
        var version: UUID?
        if let text: String = request.query[versionParameter], !text.isEmpty {
            guard let id = UUID(uuidString: text) else {
                throw Abort(.notFound, reason: "Cette version du référentiel n'existe pas.")
            }
            version = id
        }
        let model = try await query(version: version, store: request.referentials, on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// The versions and the one to show: `version` when given, else the latest loaded.
    static func query(version: UUID?, store: ReferentialStore, on db: any Database) async throws -> Model {
        let records = try await DBReferential.query(on: db).sort(\.$loadedAt, .descending).all()
        let versions = try records.map { record in
            Version(id: try record.requireID(), label: label(record))
        }
        let chosen: DBReferential?
        if let version {
            guard let record = records.first(where: { $0.id == version }) else {
                throw Abort(.notFound, reason: "Cette version du référentiel n'existe pas.")
            }
            chosen = record
        } else {
            chosen = records.first
        }
        guard let chosen, let id = chosen.id else {
            return Model(versions: [], selected: nil, sourceName: "", referential: nil, report: nil)
        }
        let entry = try await store.entry(id, on: db)
        return Model(
            versions: versions, selected: id, sourceName: chosen.sourceName,
            referential: entry.referential, report: entry.report)
    }

    /// "Version 2025 — RNCP00001 (exemple.yaml, chargé le 03/02/2026)".
    static func label(_ record: DBReferential) -> String {
        var text = "Version \(record.versionID)"
        if let code = record.rncpCode { text += " — \(code)" }
        var origin = record.sourceName
        if let loaded = record.loadedAt { origin += ", chargée le " + FrenchDate.day(loaded) }
        return text + " (\(origin))"
    }

}

/// How the parts of a référentiel are worded on the page.
enum ReferentialText {
    static func work(_ mode: WorkMode?) -> String {
        switch mode {
        case .individual: "Individuelle"
        case .team(let size?):
            size.min == size.max ? "En équipe de \(size.min)" : "En équipe de \(size.min) à \(size.max)"
        case .team(nil): "En équipe (taille non précisée)"
        case nil: RosterText.notSet
        }
    }

    static func deliverable(_ deliverable: Deliverable) -> String {
        var text = deliverable.mode.label
        if let pages = deliverable.pages {
            text +=
                pages.lowerBound == pages.upperBound
                ? ", \(pages.lowerBound) pages" : ", \(pages.lowerBound) à \(pages.upperBound) pages"
        }
        if let minutes = deliverable.durationMinutes {
            text += ", " + duration(minutes)
        }
        return text
    }

    static func duration(_ minutes: Int) -> String {
        guard minutes >= 60 else { return "\(minutes) minutes" }
        let hours = minutes / 60
        let rest = minutes % 60
        return rest == 0 ? "\(hours) h" : "\(hours) h \(rest < 10 ? "0" : "")\(rest)"
    }

    static func deliverables(_ items: [Deliverable]) -> String? {
        items.isEmpty ? nil : items.map(deliverable).joined(separator: " ; ")
    }

    static func yesNo(_ value: Bool) -> String { value ? "Oui" : "Non" }

    /// The non-transversal assessments that assess at least one of a block's competencies.
    static func assessments(of block: Block, in referential: Referential) -> [Assessment] {
        let ids = Set(block.competencies.map(\.id))
        return referential.assessments.filter { assessment in
            !assessment.transversal
                && (assessment.competencies.contains(where: ids.contains)
                    || assessment.criteria.contains { $0.competencies.contains(where: ids.contains) })
        }
    }

    /// The note a matrix row ends with: the gap it shows, if any.
    static func coverageNote(_ matrix: CoverageMatrix, row: Int) -> String? {
        var assessed = false
        var evidenced = false
        for (c, column) in matrix.columns.enumerated() where !column.transversal {
            if let count = matrix.cells[row][c] {
                assessed = true
                evidenced = evidenced || count > 0
            }
        }
        return !assessed ? "Non évaluée" : !evidenced ? "Aucun critère" : nil
    }
}
