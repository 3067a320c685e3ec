import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// The holders' declaration (accrochage) from the database: who holds the whole
/// certification by a closed deliberation, their passages as the Caisse des Dépôts' schema
/// wants them, what is missing before a file can be written, and the file itself — written
/// page by page, so memory stays flat however many holders there are. The passages written
/// are recorded, so that the next export declares only new holders.
enum HolderDeclarationExport {
    /// One holder: a candidate awarded the certification by a deliberation.
    struct Holder: Sendable, Hashable {
        var candidateID: UUID
        var juryID: UUID
        var awardDate: CalendarDate
        var declaredAt: Date?
    }

    /// Candidates per page when reading and writing.
    static let pageSize = 500

    /// The holders of `juries` (every closed deliberation when nil), optionally only those
    /// not yet declared. A deliberation still open declares nobody: its decisions are not final.
    static func holders(juries: [UUID]?, onlyUndeclared: Bool, on db: any Database) async throws -> [Holder] {
        var query = DBJury.query(on: db).filter(\.$status == .closed)
        if let juries { query = query.filter(\.$id ~~ juries) }
        let closed = try await query.all().map { $0.id! }
        guard !closed.isEmpty else { return [] }
        let decisions = try await DBDecision.query(on: db).filter(\.$jury.$id ~~ closed)
            .filter(\.$scopeKind == .certification).sort(\.$recordedAt).all()
        let corrected = Set(decisions.compactMap { $0.$corrects.id })
        let declared = Dictionary(
            try await DBHolderDeclaration.query(on: db).filter(\.$jury.$id ~~ closed).all()
                .map { ("\($0.$candidate.id)|\($0.$jury.id)", $0.declaredAt ?? Date()) },
            uniquingKeysWith: { a, _ in a })
        return decisions.filter { !corrected.contains($0.id!) && $0.outcome == .validated }
            .compactMap { decision -> Holder? in
                guard let jury = decision.$jury.id else { return nil }
                let at = declared["\(decision.$candidate.id)|\(jury)"]
                if onlyUndeclared && at != nil { return nil }
                return Holder(
                    candidateID: decision.$candidate.id, juryID: jury,
                    awardDate: decision.decidedOn, declaredAt: at)
            }
    }

    /// The settings, the certification's code and the time: the file's header.
    static func header(settings: AppSettings, certificationCode: String, now: Date) -> HolderDeclarationHeader {
        HolderDeclarationHeader(
            settings: HolderDeclarationSettings(clientID: settings.cdcClientID, contractID: settings.cdcContractID),
            fileID: HolderDeclarationHeader.defaultFileID(certificationCode: certificationCode, createdAt: now),
            createdAt: now, certificationCode: certificationCode)
    }

    /// The certification's RNCP code, from the référentiel of the holders' cohorts.
    static func certificationCode(_ holders: [Holder], store: ReferentialStore, on db: any Database) async throws
        -> String
    {
        guard let first = holders.first, let candidate = try await DBCandidate.find(first.candidateID, on: db) else {
            return ""
        }
        return try await store.entry(candidate.$referential.id, on: db).referential.certification.rncpCode ?? ""
    }

    static func passage(_ candidate: DBCandidate, _ holder: Holder, cohort: DBCohort?, vaeKind: VAEKind?)
        -> HolderPassage
    {
        let identity = HolderIdentity(
            birthName: candidate.birthName, usualName: candidate.usualName,
            firstNames: candidate.firstNames.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init),
            sex: candidate.sex, birthDate: CalendarDate(iso: candidate.birthDate),
            birthPlace: candidate.birthPlaceINSEE.flatMap {
                $0.isEmpty ? nil : BirthPlace.inseeCode($0, communeName: candidate.birthPlace)
            })
        return HolderPassage(
            technicalID: HolderPassage.technicalID(
                candidateID: candidate.id!.uuidString, deliberationID: holder.juryID.uuidString),
            holder: identity, accessRoute: candidate.accessRoute,
            vaeKind: vaeKind,
            awardDate: holder.awardDate, enrolmentDate: cohort?.startsOn.flatMap(CalendarDate.init(iso:)))
    }

    /// Calls `body` with the passages of `holders`, a page at a time.
    static func forEachPage(
        _ holders: [Holder], on db: any Database, _ body: ([(DBCandidate, HolderPassage)]) throws -> Void
    ) async throws {
        var start = 0
        while start < holders.count {
            let page = Array(holders[start..<min(start + pageSize, holders.count)])
            start += pageSize
            let candidates = Dictionary(
                uniqueKeysWithValues: try await DBCandidate.query(on: db)
                    .filter(\.$id ~~ page.map(\.candidateID)).all().map { ($0.id!, $0) })
            let cohorts = Dictionary(
                uniqueKeysWithValues: try await DBCohort.query(on: db)
                    .filter(\.$id ~~ Array(Set(candidates.values.map { $0.$cohort.id }))).all().map { ($0.id!, $0) })
            var kinds: [UUID: VAEKind] = [:]
            for candidate in candidates.values where candidate.accessRoute == .vae {
                kinds[candidate.id!] = try await VAEQuery.kind(candidate: candidate.id!, db: db)
            }
            try body(
                page.compactMap { holder in
                    guard let candidate = candidates[holder.candidateID] else { return nil }
                    return (
                        candidate,
                        passage(
                            candidate, holder, cohort: cohorts[candidate.$cohort.id], vaeKind: kinds[holder.candidateID]
                        )
                    )
                })
        }
    }

    /// Everything that keeps a file from being written: the header's problems and each
    /// holder's, with what to fix.
    static func problems(_ holders: [Holder], settings: AppSettings, certificationCode: String, on db: any Database)
        async throws -> [HolderDeclarationProblem]
    {
        var problems = HolderDeclarationValidator.problems(
            in: header(settings: settings, certificationCode: certificationCode, now: Date()))
        var validator = HolderDeclarationValidator()
        try await forEachPage(holders, on: db) { page in
            for (_, passage) in page { problems += validator.check(passage) }
        }
        return problems
    }

    /// Writes the file to `sink` and records the passages as declared, once the whole file
    /// is written (a failed write declares nobody).
    static func write(
        _ holders: [Holder], settings: AppSettings, certificationCode: String, on db: any Database, now: Date = Date(),
        sink: @escaping (Data) throws -> Void
    ) async throws -> HolderDeclarationSummary {
        let writer = try HolderDeclarationWriter(
            header: header(settings: settings, certificationCode: certificationCode, now: now))
        var stream = HolderDeclarationStream(writer: writer, sink: sink)
        try await forEachPage(holders, on: db) { page in
            for (_, passage) in page { try stream.append(passage) }
        }
        let summary = try stream.finish()
        try await db.transaction { tx in
            var start = 0
            while start < holders.count {
                let page = holders[start..<min(start + pageSize, holders.count)]
                start += pageSize
                let known = Set(
                    try await DBHolderDeclaration.query(on: tx).filter(\.$candidate.$id ~~ page.map(\.candidateID))
                        .all()
                        .map { "\($0.$candidate.id)|\($0.$jury.id)" })
                for holder in page where !known.contains("\(holder.candidateID)|\(holder.juryID)") {
                    try await DBHolderDeclaration(
                        candidateID: holder.candidateID, juryID: holder.juryID,
                        passageID: HolderPassage.technicalID(
                            candidateID: holder.candidateID.uuidString, deliberationID: holder.juryID.uuidString)
                    ).create(on: tx)
                }
            }
        }
        return summary
    }
}
