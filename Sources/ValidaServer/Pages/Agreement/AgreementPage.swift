import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// « Accord entre évaluateurs »: from the double-marked grids whose two markings are handed
/// in, per assessment and criterion the agreement table and Cohen's kappa (computed by the
/// core, `RaterAgreement`), and each evaluator's rate of « met » against their partners'.
/// Filtered by référentiel version, assessment and school with a plain GET form.
enum AgreementPage {
    struct Filter: Sendable, Hashable {
        var version: UUID?
        var assessment: String?
        var school: UUID?
    }

    struct Section: Sendable {
        var title: String
        var scaleLabel: String
        var criteria: [(text: String, agreement: RaterAgreement.CriterionAgreement)]
        var evaluators: [(name: String, rate: RaterAgreement.EvaluatorMetRate)]
        var grids: Int
        var skipped: Int
    }

    struct Model: Sendable {
        var filter: Filter
        var versions: [(id: UUID, label: String)]
        var assessments: [(id: String, label: String)]
        var schools: [(id: UUID, label: String)]
        var sections: [Section]
        var pairedGrids: Int
    }

    static func show(_ request: Request) async throws -> Response {
        let filter = Filter(
            version: (try? request.query.get(String.self, at: "version")).flatMap(UUID.init(uuidString:)),
            assessment: (try? request.query.get(String.self, at: "assessment")).flatMap { $0.isEmpty ? nil : $0 },
            school: (try? request.query.get(String.self, at: "school")).flatMap(UUID.init(uuidString:)))
        let model = try await query(filter, store: request.referentials, on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// Every grid whose first and second markings are both handed in, within the filter.
    static func query(_ filter: Filter, store: ReferentialStore, on db: any Database) async throws -> Model {
        let versions = try await DBReferential.query(on: db).all()
        let schools = try await DBSchool.query(on: db).sort(\.$name).all()
        var cohortQuery = DBCohort.query(on: db)
        if let version = filter.version { cohortQuery = cohortQuery.filter(\.$referential.$id == version) }
        if let school = filter.school { cohortQuery = cohortQuery.filter(\.$school.$id == school) }
        let cohorts = try await cohortQuery.all()
        let cohortByID = Dictionary(uniqueKeysWithValues: cohorts.map { ($0.id!, $0) })
        var sessionQuery = DBAssessmentSession.query(on: db)
        sessionQuery = sessionQuery.filter(\.$cohort.$id ~~ Array(cohortByID.keys))
        if let assessment = filter.assessment { sessionQuery = sessionQuery.filter(\.$assessmentID == assessment) }
        let sessions = cohortByID.isEmpty ? [] : try await sessionQuery.all()
        let doubled = Set(
            sessions.isEmpty
                ? []
                : try await DBDoubleMarkingSession.query(on: db).filter(\.$session.$id ~~ sessions.map { $0.id! }).all()
                    .map { $0.$session.id })
        let sessionByID = Dictionary(
            uniqueKeysWithValues: sessions.filter { doubled.contains($0.id!) }.map { ($0.id!, $0) })
        let grids =
            sessionByID.isEmpty
            ? [] : try await DBGrid.query(on: db).filter(\.$session.$id ~~ Array(sessionByID.keys)).all()
        let gridByID = Dictionary(uniqueKeysWithValues: grids.map { ($0.id!, $0) })
        let markings =
            grids.isEmpty
            ? []
            : try await DBMarking.query(on: db).filter(\.$grid.$id ~~ Array(gridByID.keys))
                .filter(\.$status == .submitted).all().filter { $0.role != .third }
        let ratings =
            markings.isEmpty
            ? [] : try await DBMarkingRating.query(on: db).filter(\.$marking.$id ~~ markings.map { $0.id! }).all()
        let ratingsByMarking = Dictionary(grouping: ratings) { $0.$marking.id }

        var pairs: [RaterAgreement.PairedRating] = []
        var scales: [String: Scale] = [:]
        var order: [String: [String]] = [:]
        var titles: [String: (String, String)] = [:]
        var texts: [String: [String: String]] = [:]
        var gridsBySection: [String: Int] = [:]
        var pairedGrids = 0
        for (gridID, marks) in Dictionary(grouping: markings, by: { $0.$grid.id }) {
            guard let a = DoubleMarking.marker(.first, in: marks), let b = DoubleMarking.marker(.second, in: marks),
                let grid = gridByID[gridID], let session = sessionByID[grid.$session.id],
                let cohort = cohortByID[session.$cohort.id]
            else { continue }
            let entry = try await store.entry(cohort.$referential.id, on: db)
            guard let assessment = entry.referential.assessment(session.assessmentID),
                let scale = entry.referential.scale(assessment.scale)
            else { continue }
            let key = "\(cohort.$referential.id.uuidString)|\(assessment.id)"
            scales[key] = scale
            order[key] = assessment.criteria.map(\.id)
            texts[key] = Dictionary(uniqueKeysWithValues: assessment.criteria.map { ($0.id, "\($0.id) — \($0.text)") })
            let version = versions.first { $0.id == cohort.$referential.id }
            titles[key] = (
                "\(AssessmentText.assessment(assessment)) (version \(version?.versionID ?? "?"))", scale.label
            )
            gridsBySection[key, default: 0] += 1
            pairedGrids += 1
            let first = DoubleMarking.values(ratingsByMarking[a.id!] ?? [])
            let second = DoubleMarking.values(ratingsByMarking[b.id!] ?? [])
            for (k, v1) in first {
                guard let v2 = second[k] else { continue }
                pairs.append(
                    .init(
                        assessment: key, criterion: k.criterion,
                        item: "\(gridID.uuidString)|\(k.member?.uuidString ?? "")",
                        first: .init(evaluator: a.$evaluator.id.uuidString, value: v1),
                        second: .init(evaluator: b.$evaluator.id.uuidString, value: v2)))
            }
        }
        let report = RaterAgreement.report(pairs, scales: scales, criteriaOrder: order)
        let evaluatorIDs = Set(report.flatMap { $0.evaluators.compactMap { UUID(uuidString: $0.evaluator) } })
        let names =
            evaluatorIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await DBUser.query(on: db).filter(\.$id ~~ Array(evaluatorIDs)).all().map {
                    ($0.id!.uuidString, $0.displayName)
                })
        let sections = report.map { a in
            Section(
                title: titles[a.assessment]?.0 ?? a.assessment, scaleLabel: titles[a.assessment]?.1 ?? "",
                criteria: a.criteria.map { (texts[a.assessment]?[$0.criterion] ?? $0.criterion, $0) },
                evaluators: a.evaluators.map { (names[$0.evaluator] ?? "?", $0) }.sorted { $0.0 < $1.0 },
                grids: gridsBySection[a.assessment] ?? 0, skipped: a.skipped)
        }.sorted { $0.title < $1.title }
        var assessmentOptions: [String: String] = [:]
        for version in versions where filter.version == nil || version.id == filter.version {
            guard let entry = try? await store.entry(version.id!, on: db) else { continue }
            for a in entry.referential.assessments { assessmentOptions[a.id] = AssessmentText.assessment(a) }
        }
        return Model(
            filter: filter,
            versions: versions.map { (id: $0.id!, label: "\($0.title ?? "Référentiel") — version \($0.versionID)") },
            assessments: assessmentOptions.sorted { $0.key < $1.key }.map { (id: $0.key, label: $0.value) },
            schools: schools.map { (id: $0.id!, label: $0.name) }, sections: sections, pairedGrids: pairedGrids)
    }
}
