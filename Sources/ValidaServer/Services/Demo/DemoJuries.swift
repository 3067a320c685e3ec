import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// The demo's juries: last year's cohort, fully rated, whose deliberation is closed — with
/// its decisions, minutes, documents and verification codes — and this year's jury, open,
/// for the current cohorts. Written in the seeding transaction, through the same operations
/// the pages use (adopting computed results, closing), so the demo shows what the app does.
enum DemoJuries {
    static let pastCohortName = "Promotion 2025"
    static let pastJuryName = "Jury de juillet 2025"
    static let currentJuryName = "Jury de juillet 2026"

    /// The certifier's settings for the demo.
    static let settings = AppSettings(
        certifierName: DemoPeople.schools[0].name, deliveryPlace: DemoPeople.schools[0].city,
        signatoryName: "Hélène Garnier", signatoryTitle: "Responsable de la certification",
        cdcClientID: "DEMO0001", cdcContractID: "DEMO-CONTRAT-01", publicBaseURL: "")

    /// The seed référentiel states no title, level, NSF code nor registration: the demo fills
    /// them with values marked as the demo's own, so that diplomas carry every mention.
    static func completed(_ referential: Referential) -> Referential {
        var r = referential
        var c = r.certification
        if c.title == nil { c.title = "Manager du marketing digital (certification de démonstration)" }
        if c.rncpCode == nil { c.rncpCode = "RNCP99999" }
        if c.level == nil { c.level = 7 }
        if c.nsfCodes.isEmpty { c.nsfCodes = ["312"] }
        if c.registrationDate == nil { c.registrationDate = CalendarDate(year: 2024, month: 3, day: 28) }
        if c.certifiers.isEmpty {
            c.certifiers = [Certifier(name: DemoPeople.schools[0].name, siret: DemoPeople.schools[0].siret)]
        }
        r.certification = c
        for i in r.blocks.indices where r.blocks[i].code == nil {
            r.blocks[i].code = "\(c.rncpCode!)BC\(String(format: "%02d", i + 1))"
        }
        return r
    }

    /// A second jury member, besides the demo's jury account.
    static let otherMember = (name: "Claire Vidal", email: "claire.vidal@demo.test")

    static func write(past: DemoPlan, referentialID: UUID, passwordHash: String, on db: any Database) async throws {
        try await settings.save(on: db)
        guard let school = try await DBSchool.query(on: db).filter(\.$name == DemoPeople.schools[0].name).first(),
            let president = try await DBUser.query(on: db).filter(\.$email == Demo.juryEmail).first()
        else {
            throw Abort(.internalServerError, reason: "démonstration incomplète : école ou jury manquant")
        }
        let member = DBUser(
            email: otherMember.email, displayName: otherMember.name, passwordHash: passwordHash, role: .juryMember)
        try await member.create(on: db)
        let evaluatorRows = try await DBUser.query(on: db).filter(\.$email ~~ DemoPeople.evaluators.map(\.email)).all()
        let evaluators = DemoPeople.evaluators.compactMap { e in evaluatorRows.first { $0.email == e.email } }

        // Last year's cohort, every grid rated.
        let cohort = DBCohort(
            id: UUID(), schoolID: school.id!, referentialID: referentialID, name: pastCohortName,
            startsOn: "2024-09-02", endsOn: "2025-07-11")
        try await cohort.create(on: db)
        let writer = DemoWriter(plan: past, referentialID: referentialID, passwordHash: passwordHash, db: db)
        let candidates = past.candidates.map {
            DBCandidate(
                id: UUID(), schoolID: school.id!, cohortID: cohort.id!, referentialID: referentialID, identity: $0)
        }
        try await writer.insert(candidates)
        let teams = try await writer.writeTeams(cohort: cohort, candidates: candidates)
        try await writer.writeSessionsAndGrids(
            cohort: cohort, candidates: candidates, teams: teams, evaluators: evaluators)

        let store = ReferentialStore()
        let pastJury = try await jury(
            pastJuryName, on: CalendarDate(year: 2025, month: 7, day: 4)!,
            place: school.city ?? DemoPeople.schools[0].city, cohorts: [cohort],
            president: president, member: member, db: db)
        _ = try await Deliberating.adoptComputed(juryID: pastJury.id!, actor: president, referentials: store, on: db)
        _ = try await Deliberating.close(
            juryID: pastJury.id!, actor: president, referentials: store, settings: settings, on: db,
            now: DemoPlanner.instant(CalendarDate(year: 2025, month: 7, day: 4)!, plusDays: 0, minutes: 8 * 60))

        // This year's jury, open, on both current cohorts.
        let current = try await DBCohort.query(on: db).filter(
            \.$name ~~ [DemoWriter.firstCohortName, DemoWriter.secondCohortName, DemoScale.cohortName]
        ).all()
        _ = try await jury(
            currentJuryName, on: CalendarDate(year: 2026, month: 7, day: 8)!,
            place: school.city ?? DemoPeople.schools[0].city, cohorts: current,
            president: president, member: member, db: db)
    }

    static func jury(
        _ name: String, on date: CalendarDate, place: String, cohorts: [DBCohort], president: DBUser, member: DBUser,
        db: any Database
    ) async throws -> DBJury {
        let jury = DBJury(kind: .deliberation, name: name, place: place, meetsOn: date)
        try await jury.create(on: db)
        for cohort in cohorts { try await jury.$cohorts.attach(cohort, on: db) }
        try await DBJuryMember(juryID: jury.id!, userID: president.id!, role: .president, qualities: [.qualified])
            .create(on: db)
        try await DBJuryMember(juryID: jury.id!, userID: member.id!, role: .member, qualities: [.professional]).create(
            on: db)
        return jury
    }
}
