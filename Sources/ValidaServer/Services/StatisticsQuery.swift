import Fluent
import Foundation
import ValidaCore
import Vapor

/// Gathers the statistics' records from the database: one per person per closed
/// deliberation (a cohort's jury or a VAE jury), from the decisions standing once
/// corrections are applied — the same ones the holders' declaration reads — and one per VAE
/// request past its draft for the funnel. The counting itself is the core's (`Statistics`).
enum StatisticsQuery {
    struct Data: Sendable {
        var records: [StatisticsRecord]
        var funnel: [VAEFunnelRecord]
        /// School names by id, of the schools counted.
        var schools: [String: String]
        /// Référentiel version ids, block ids in référentiel order, competency and criterion texts.
        var versions: [String]
        var blocks: [String]
        var labels: [String: String]
        var juries: [String: DBJury]
    }

    /// `school`: only that school's candidates are read (a coordinator's figures).
    static func load(school: UUID?, referentials: ReferentialStore, on db: any Database) async throws -> Data {
        let juries = try await DBJury.query(on: db).filter(\.$status == .closed).all()
        let juryByID = Dictionary(uniqueKeysWithValues: juries.map { ($0.id!, $0) })
        // Through SQLKit: Fluent's per-row decoding was most of the time.
        let decisions = try await BulkRows.decisions(juries: juries.map { $0.id! }, on: db)
        let standing = standingDecisions(decisions)
        var query = DBCandidate.query(on: db)
        if let school { query = query.filter(\.$school.$id == school) }
        let requests = try await DBVAERequest.query(on: db).filter(\.$status != .draft).all()
        let wanted = Set(standing.keys.map(\.candidate)).union(requests.map { $0.$candidate.id })
        let candidates = wanted.isEmpty ? [] : try await query.filter(\.$id ~~ Array(wanted)).all()
        let candidateByID = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id!, $0) })
        let schools = Dictionary(
            uniqueKeysWithValues: try await DBSchool.query(on: db).all().map { ($0.id!.uuidString, $0.name) })
        let accommodations = Dictionary(
            grouping: try await DBAccommodation.query(on: db).filter(\.$status == .granted).all(),
            by: { $0.$candidate.id })

        // What the ratings say, per candidate: assessed, competencies acquired, criteria met.
        var ratings: [UUID: Ratings] = [:]
        var versionOf: [UUID: String] = [:]
        var blocks: [String] = []
        var labels: [String: String] = [:]
        for (referentialID, group) in Dictionary(grouping: candidates, by: { $0.$referential.id }) {
            let entry = try await referentials.entry(referentialID, on: db)
            let referential = entry.referential
            for block in referential.blocks where !blocks.contains(block.id) {
                blocks.append(block.id)
                labels[block.id] = block.title
            }
            for competency in referential.competencies { labels[competency.id] = competency.text }
            for criterion in referential.assessments.flatMap(\.criteria) { labels[criterion.id] = criterion.text }
            let criteriaOf = Dictionary(
                grouping: referential.assessments.flatMap(\.criteria).flatMap { c in c.competencies.map { ($0, c.id) }
                },
                by: \.0
            ).mapValues { $0.map(\.1) }
            for candidate in group { versionOf[candidate.id!] = referential.version.id }
            for (candidate, record) in try await ResultsQuery.records(for: group, referential: referential, on: db) {
                ratings[candidate.id!] = Ratings(
                    record, report: entry.engine.report(for: record), criteriaOf: criteriaOf)
            }
        }

        var records: [StatisticsRecord] = []
        for (key, scopes) in standing {
            guard let candidate = candidateByID[key.candidate], let jury = juryByID[key.jury] else { continue }
            let rated = ratings[key.candidate] ?? Ratings()
            records.append(
                StatisticsRecord(
                    person: key.candidate.uuidString, deliberation: key.jury.uuidString, isVAEJury: jury.kind == .vae,
                    deliberationDate: date(of: jury), version: versionOf[key.candidate] ?? "",
                    school: candidate.$school.id.uuidString, accessRoute: candidate.accessRoute, sex: candidate.sex,
                    assessed: jury.kind == .vae || rated.assessed,
                    certified: scopes[.certification]?.outcome == .validated,
                    blocks: scopes.reduce(into: [:]) { blocks, entry in
                        if case .block(let id) = entry.key, entry.value.outcome != .deferred {
                            blocks[id] = entry.value.outcome == .validated
                        }
                    },
                    competencies: jury.kind == .vae ? [:] : rated.competencies,
                    criteria: jury.kind == .vae ? [:] : rated.criteria,
                    accommodations: (accommodations[key.candidate] ?? []).map(\.core)))
        }
        records.sort {
            ($0.deliberationDate, $0.deliberation, $0.person) < ($1.deliberationDate, $1.deliberation, $1.person)
        }
        let byKey = Dictionary(
            records.map { ("\($0.person)|\($0.deliberation)", $0) }, uniquingKeysWith: { a, _ in a })
        let funnel = requests.compactMap { request -> VAEFunnelRecord? in
            guard let candidate = candidateByID[request.$candidate.id] else { return nil }
            let jury = request.$jury.id.flatMap { juryByID[$0] }
            let decided =
                request.status == .juryDecided
                ? jury.flatMap { byKey["\(request.$candidate.id.uuidString)|\($0.id!.uuidString)"] } : nil
            return VAEFunnelRecord(
                person: candidate.id!.uuidString, version: versionOf[candidate.id!] ?? "",
                school: candidate.$school.id.uuidString, sex: candidate.sex,
                year: decided?.year ?? request.submittedAt.map { Deliberating.day($0).year },
                admissible: [.admissible, .dossierSubmitted, .juryDecided].contains(request.status),
                outcome: decided?.outcome)
        }
        let counted = Set(records.map(\.school)).union(funnel.map(\.school))
        return Data(
            records: records, funnel: funnel, schools: schools.filter { counted.contains($0.key) },
            versions: Array(Set(versionOf.values)).sorted(), blocks: blocks, labels: labels,
            juries: Dictionary(uniqueKeysWithValues: juries.map { ($0.id!.uuidString, $0) }))
    }

    struct Key: Hashable {
        var candidate: UUID
        var jury: UUID
    }

    /// Per person and jury, the decision standing on each scope: corrected ones left out,
    /// the latest recorded kept.
    static func standingDecisions(_ decisions: [DBDecision]) -> [Key: [DecisionScope: DBDecision]] {
        let corrected = Set(decisions.compactMap { $0.$corrects.id })
        var standing: [Key: [DecisionScope: DBDecision]] = [:]
        for decision in decisions where !corrected.contains(decision.id!) {
            guard let jury = decision.$jury.id else { continue }
            let key = Key(candidate: decision.$candidate.id, jury: jury)
            if let known = standing[key]?[decision.scope],
                (known.recordedAt ?? .distantPast) > (decision.recordedAt ?? .distantPast)
            {
                continue
            }
            standing[key, default: [:]][decision.scope] = decision
        }
        return standing
    }

    /// The meeting date, else the day it closed.
    static func date(of jury: DBJury) -> CalendarDate {
        jury.meetingDate ?? Deliberating.day(jury.closedAt ?? Date())
    }

    /// What a candidate's submitted grids say, read from the engine's report.
    struct Ratings {
        var assessed = false
        var competencies: [String: Bool] = [:]
        var criteria: [String: Bool] = [:]

        init() {}

        init(_ record: CandidateRecord, report: CandidateReport, criteriaOf: [String: [String]]) {
            assessed = record.grids.contains { $0.status == .submitted }
            for competency in report.competencies {
                switch competency.status {
                case .acquired: competencies[competency.id] = true
                case .notAcquired: competencies[competency.id] = false
                case .incomplete, .unassessable: break
                }
                let unmet = Set(competency.unmet.map(\.criterion))
                let missing = Set(competency.missing.map(\.criterion))
                for criterion in criteriaOf[competency.id] ?? [] where !missing.contains(criterion) {
                    criteria[criterion] = !unmet.contains(criterion)
                }
            }
            if !assessed { criteria = [:] }
        }
    }
}
