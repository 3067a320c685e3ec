import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Partner authorisations from the pages and the operations: cohorts and sessions outside
/// them refused in French, the agreement's file rules, who may read and change them.
@Suite("Partner authorisations: pages, cohorts and sessions refused outside, agreements")
struct PartnerAuthorizationPagesTests {
    static let pdf = Data("%PDF-1.4 convention d'habilitation".utf8)

    /// The seed référentiel (four blocks) and a cohort of the other school on it.
    static func seedCohort(_ app: Application, _ w: RosterWorld) async throws -> (DBReferential, DBCohort) {
        let seed = try SeedReferential.embedded.read()
        let version = try await ReferentialStore.store(yaml: seed.yaml, sourceName: seed.sourceName, on: app.db)
        let cohort = DBCohort(
            schoolID: w.otherSchool.id!, referentialID: version.id!, name: "Promotion Seed", startsOn: "2026-09-01",
            endsOn: "2027-06-30")
        try await cohort.create(on: app.db)
        return (version, cohort)
    }

    @Test(
        "a cohort outside the school's authorisations is refused naming the school, version and days; inside is accepted"
    )
    func cohortRefused() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let manager = try await rosterBrowser(app, w.manager)
            let version = w.referential.id!.uuidString
            let cohorts = SiteRoute.schoolCohorts(w.otherSchool.id).path
            try await manager.get(SiteRoute.school(w.otherSchool.id).path)
            let form = [
                "cohortName": "Promotion 2027", "referential": version, "startsOn": "01/09/2026",
                "endsOn": "30/06/2027",
            ]
            let refused = try await manager.post(cohorts, form)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                pageText(refused).contains(
                    "L'école « Institut du Large » n'est pas habilitée pour la version « 2025 » du référentiel "
                        + "du 01/09/2026 au 30/06/2027 : aucune habilitation ne couvre le 01/09/2026. "
                        + "Elle n'a aucune habilitation pour cette version."))
            #expect(try await DBCohort.query(on: app.db).filter(\.$name == "Promotion 2027").count() == 0)
            // The certifier records an agreement from the page.
            try await manager.get(SiteRoute.schoolAuthorizations(w.otherSchool.id).path)
            let created = try await manager.post(
                SiteRoute.schoolAuthorizations(w.otherSchool.id).path,
                ["referential": version, "whole": "on", "startsOn": "01/09/2026", "endsOn": "31/08/2028"])
            #expect(created.status == .seeOther)
            #expect(try await auditEntries(app, "partner-authorization-created").count == 1)
            try await manager.get(SiteRoute.school(w.otherSchool.id).path)
            #expect(try await manager.post(cohorts, form).status == .seeOther)
            // One day past the agreement is refused, and says what the school holds.
            try await manager.get(SiteRoute.school(w.otherSchool.id).path)
            let late = try await manager.post(
                cohorts, form.merging(["cohortName": "Promotion 2028", "endsOn": "01/09/2028"]) { $1 })
            #expect(late.status == .unprocessableEntity)
            #expect(
                pageText(late).contains(
                    "aucune habilitation ne couvre le 01/09/2028. Ses habilitations pour cette version : "
                        + "du 01/09/2026 au 31/08/2028 (certification complète)."))
            // The API refuses it alike.
            let cohortCount = try await DBCohort.query(on: app.db).count()
            let result = try await CohortOperations.create(
                .init(name: "Promotion API", referential: version, startsOn: "2028-09-01", endsOn: "2029-06-30"),
                school: w.otherSchool.id!, by: w.manager, on: app.db)
            guard case .failure(let refusal) = result else {
                Issue.record("a cohort outside the authorisation must be refused")
                return
            }
            #expect(refusal[.referential]?.contains("aucune habilitation ne couvre le 01/09/2028") == true)
            #expect(try await DBCohort.query(on: app.db).count() == cohortCount)
        }
    }

    @Test("a session on a block the school is not authorised for is refused; on an authorised block it is created")
    func sessionRefused() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let (version, cohort) = try await Self.seedCohort(app, w)
            let made = try await PartnerAuthorizationOperations.create(
                .init(
                    referential: version.id!.uuidString, blocks: ["BC01", "BC02"], startsOn: "2026-01-01",
                    endsOn: "2027-12-31"),
                school: w.otherSchool.id!, by: w.manager, referentials: app.referentials, on: app.db)
            #expect(try made.get().scope == .blocks(["BC01", "BC02"]))
            let entry = try await app.referentials.entry(version.id!, on: app.db)
            func session(_ assessment: String, _ from: String = "2027-03-01", _ to: String = "2027-03-02")
                async throws -> SessionCreation.Outcome
            {
                try await SessionCreation.create(
                    .init(assessment: assessment, attempt: "1", startsOn: from, endsOn: to), cohort: cohort,
                    entry: entry, by: w.manager, on: app.db)
            }
            let blockOf = { (id: String) in
                PartnerAuthorization.needs(of: entry.referential.assessment(id)!, in: entry.referential)
            }
            #expect(blockOf("E1.1") == [.block("BC01")])
            #expect(blockOf("E3.1") == [.block("BC03")])
            let inside = try await session("E1.1")
            #expect(try inside.get().grids >= 0)
            guard case .failure(let refusal) = try await session("E3.1") else {
                Issue.record("a session on BC03 must be refused")
                return
            }
            let title = entry.referential.blocks.first { $0.id == "BC03" }!.title
            #expect(
                refusal[.assessment]
                    == "L'école « Institut du Large » n'est pas habilitée pour le bloc BC03 « \(title) » de la version « 1 » "
                    + "du référentiel du 01/03/2027 au 02/03/2027 : aucune habilitation ne couvre le 01/03/2027. "
                    + "Ses habilitations pour cette version : du 01/01/2026 au 31/12/2027 (blocs BC01, BC02). "
                    + "Le responsable de certification les enregistre sur la page de l'école.")
            // An authorised block, after the agreement's end.
            guard case .failure(let late) = try await session("E1.1", "2027-12-31", "2028-01-02") else {
                Issue.record("a session past the agreement must be refused")
                return
            }
            #expect(late[.assessment]?.contains("aucune habilitation ne couvre le 01/01/2028") == true)
            let sessions = try await DBAssessmentSession.query(on: app.db).filter(\.$cohort.$id == cohort.id!).all()
            #expect(sessions.map(\.assessmentID) == ["E1.1"])
            // The session page's form shows the refusal too.
            let manager = try await rosterBrowser(app, w.manager)
            try await manager.get(SiteRoute.cohortSessions(cohort.id).path)
            let page = try await manager.post(
                SiteRoute.cohortSessions(cohort.id).path,
                ["assessment": "E3.1", "attempt": "1", "startsOn": "01/03/2027", "endsOn": "02/03/2027"])
            #expect(page.status == .unprocessableEntity)
            #expect(pageText(page).contains("n'est pas habilitée pour le bloc BC03"))
        }
    }

    @Test("the migration gives each school an authorisation spanning the cohorts and sessions it already runs")
    func migrationCoversExisting() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            try await DBPartnerAuthorization.query(on: app.db).delete()
            let session = DBAssessmentSession(
                cohortID: w.otherCohort.id!, assessmentID: "TP", startsOn: "2026-06-15", endsOn: "2026-07-03")
            try await session.create(on: app.db)
            let today = CalendarDate(iso: "2026-12-01")!
            try await M046CreatePartnerAuthorizations.coverExisting(on: app.db, today: today)
            let rows = try await DBPartnerAuthorization.query(on: app.db).all()
            #expect(rows.count == 2)
            let other = try #require(rows.first { $0.$school.id == w.otherSchool.id })
            #expect(other.scope == .wholeCertification && other.$referential.id == w.referential.id)
            #expect((other.startsOn, other.endsOn) == ("2025-09-01", "2026-07-03"))
            // The fixture's cohort has no dates: the migration's day.
            let own = try #require(rows.first { $0.$school.id == w.school.id })
            #expect((own.startsOn, own.endsOn) == ("2026-12-01", "2026-12-01"))
        }
    }

    @Test("the agreement: a PDF by its content, no path, within the size; stored under Valida's name, replaced cleanly")
    func agreementRules() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let row = try #require(try await DBPartnerAuthorization.query(on: app.db).first())
            let manager = try await rosterBrowser(app, w.manager)
            let path = SiteRoute.partnerAuthorizationAgreement(row.id).path
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0])
            for (name, data, message) in [
                ("convention.pdf", png, "convention.pdf"),
                ("photo.png", png, "la convention d'habilitation se dépose en PDF"),
                ("../convention.pdf", Self.pdf, "un nom de fichier ne contient pas de chemin"),
                ("vide.pdf", Data(), "le fichier est vide"),
                ("énorme.pdf", Self.pdf + Data(count: EvidenceFileCheck.maxSize), "la limite est de 8 Mo par fichier"),
            ] {
                try await manager.get(SiteRoute.partnerAuthorization(row.id).path)
                let refused = try await manager.upload(path, filename: name, data: data)
                #expect(refused.status == .unprocessableEntity, "\(name)")
                #expect(pageText(refused).contains(message), "\(name)")
            }
            #expect(app.agreementStorage.storedNames().isEmpty, "nothing written for a refused file")
            try await manager.get(SiteRoute.partnerAuthorization(row.id).path)
            #expect(try await manager.upload(path, filename: "convention 2026.pdf", data: Self.pdf).status == .seeOther)
            let stored = try #require(try await DBPartnerAuthorization.find(row.id, on: app.db))
            #expect(stored.agreementName == "convention 2026.pdf" && stored.agreementSize == Self.pdf.count)
            #expect(app.agreementStorage.storedNames() == [stored.agreementStored!])
            #expect(UUID(uuidString: stored.agreementStored!) != nil, "a name Valida chooses")
            let download = try await manager.get(path)
            #expect(download.status == .ok && Data(download.body.readableBytesView) == Self.pdf)
            #expect(download.headers.first(name: .contentType) == "application/pdf")
            // A new agreement replaces the old file; no temporary file is left.
            try await manager.get(SiteRoute.partnerAuthorization(row.id).path)
            let second = Data("%PDF-1.7 avenant".utf8)
            #expect(try await manager.upload(path, filename: "avenant.pdf", data: second).status == .seeOther)
            let replaced = try #require(try await DBPartnerAuthorization.find(row.id, on: app.db))
            #expect(app.agreementStorage.storedNames() == [replaced.agreementStored!])
            #expect(try app.agreementStorage.read(stored: replaced.agreementStored!) == second)
            #expect(try await auditEntries(app, "partner-authorization-agreement").count == 2)
        }
    }

    @Test(
        "the school's coordinator reads its authorisations and agreement; another school's cannot; only the certifier writes"
    )
    func access() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let row = try #require(try await DBPartnerAuthorization.query(on: app.db).first())
            let list = SiteRoute.schoolAuthorizations(w.school.id).path
            let one = SiteRoute.partnerAuthorization(row.id).path
            try await expectAccess(
                app, list,
                [
                    (w.manager, .ok), (w.coordinator, .ok), (w.otherCoordinator, .forbidden), (w.jury, .forbidden),
                    (w.evaluator, .forbidden), (w.candidate, .forbidden),
                ])
            try await expectAccess(app, one, [(w.coordinator, .ok), (w.otherCoordinator, .forbidden)])
            let coordinator = try await rosterBrowser(app, w.coordinator)
            let page = try await coordinator.get(list)
            #expect(pageText(page).contains("Certification complète"))
            #expect(!page.body.string.contains("Nouvelle habilitation"), "no form for the coordinator")
            try await coordinator.get(SiteRoute.school(w.school.id).path)
            for (path, form) in [
                (
                    list,
                    [
                        "referential": w.referential.id!.uuidString, "whole": "on", "startsOn": "01/01/2030",
                        "endsOn": "01/01/2031",
                    ]
                ),
                (one, ["startsOn": "01/01/2001", "endsOn": "01/01/2002"]),
                (SiteRoute.partnerAuthorizationEnd(row.id).path, [:]),
            ] {
                #expect(try await coordinator.post(path, form).status == .forbidden, "\(path)")
            }
            #expect(
                try await coordinator.upload(
                    SiteRoute.partnerAuthorizationAgreement(row.id).path, filename: "c.pdf", data: Self.pdf
                ).status == .forbidden)
            let other = try await rosterBrowser(app, w.otherCoordinator)
            #expect(try await other.get(SiteRoute.partnerAuthorizationAgreement(row.id).path).status == .forbidden)
            #expect(try await other.post(one, ["startsOn": "01/01/2001", "endsOn": "01/01/2002"]).status == .forbidden)
            #expect(try await DBPartnerAuthorization.query(on: app.db).count() == 1)
            #expect((try await DBPartnerAuthorization.find(row.id, on: app.db))?.startsOn == "2000-01-01")
            // The certifier changes the dates, then ends it early; each refused input is named.
            let manager = try await rosterBrowser(app, w.manager)
            try await manager.get(one)
            let wrong = try await manager.post(one, ["startsOn": "01/01/2030", "endsOn": "01/01/2029"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(pageText(wrong).contains("La date de fin (01/01/2029) précède la date de début (01/01/2030)."))
            #expect(
                try await manager.post(one, ["startsOn": "01/01/2020", "endsOn": "31/12/2030"]).status == .seeOther)
            try await manager.get(one)
            let tooLate = try await manager.post(
                SiteRoute.partnerAuthorizationEnd(row.id).path, ["endsEarly": "01/01/2031"])
            #expect(tooLate.status == .unprocessableEntity)
            #expect(pageText(tooLate).contains("L'habilitation se termine déjà le 31/12/2030"))
            try await manager.get(one)
            #expect(
                try await manager.post(SiteRoute.partnerAuthorizationEnd(row.id).path, ["endsEarly": "30/06/2026"])
                    .status
                    == .seeOther)
            let ended = try #require(try await DBPartnerAuthorization.find(row.id, on: app.db))
            #expect(ended.endsOn == "2026-06-30" && ended.endedAt != nil)
            #expect(try await auditEntries(app, "partner-authorization-dates").count == 1)
            #expect(try await auditEntries(app, "partner-authorization-ended").count == 1)
        }
    }

    @Test(
        "the home page warns 60 days before an authorisation ends unrenewed: the certifier of all, a coordinator of theirs"
    )
    func homeWarning() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let today = DateInput.today
            let fixture = try #require(try await DBPartnerAuthorization.query(on: app.db).first())
            fixture.endsOn = today.adding(days: 30).iso
            try await fixture.save(on: app.db)
            let other = DBPartnerAuthorization(
                schoolID: w.otherSchool.id!, referentialID: w.referential.id!, scope: .blocks(["BC01"]),
                startsOn: CalendarDate(iso: "2024-01-01")!, endsOn: today.adding(days: 61))
            try await other.create(on: app.db)
            func lines(_ user: DBUser, on day: CalendarDate = today) async throws -> [HomeTodoItem] {
                try await PartnerAuthorizationHomeItems.ending(
                    HomeTodoScope(
                        user: try await CurrentUser.load(user, on: app.db), db: app.db, referentials: app.referentials,
                        today: day))
            }
            let manager = try await lines(w.manager)
            #expect(manager.count == 1, "day 61 is not yet warned of")
            #expect(manager.first?.link == .partnerAuthorization(fixture.id))
            #expect(manager.first?.tone == .todo)
            #expect(
                manager.first?.label
                    == "Habilitation qui se termine : « École de l'Exemple », version 2025 (certification complète)")
            #expect(manager.first?.detail?.hasPrefix("Fin le \(today.adding(days: 30).french), dans 30 jours") == true)
            #expect(try await lines(w.coordinator).count == 1)
            #expect(try await lines(w.otherCoordinator).isEmpty, "another school's agreement")
            // A day later the other school's enters the 60 days; its coordinator sees it alone.
            #expect(try await lines(w.manager, on: today.adding(days: 1)).count == 2)
            let theirs = try await lines(w.otherCoordinator, on: today.adding(days: 1))
            #expect(theirs.map(\.link) == [.partnerAuthorization(other.id)])
            // Fifteen days before the end, the line is urgent; renewed, it goes.
            #expect(try await lines(w.manager, on: today.adding(days: 15)).first?.tone == .urgent)
            try await DBPartnerAuthorization(
                schoolID: w.school.id!, referentialID: w.referential.id!, scope: .wholeCertification,
                startsOn: today.adding(days: 31), endsOn: today.adding(days: 1200)
            ).create(on: app.db)
            #expect(try await lines(w.manager).isEmpty)
            #expect(try await lines(w.coordinator).isEmpty)
            // On the home page itself, through the to-do list.
            fixture.endsOn = today.adding(days: 10).iso
            try await fixture.save(on: app.db)
            try await DBPartnerAuthorization.query(on: app.db).filter(\.$startsOn == today.adding(days: 31).iso)
                .delete()
            let home = try await rosterBrowser(app, w.coordinator).get(SiteRoute.home.path)
            #expect(pageText(home).contains("Habilitation qui se termine : « École de l'Exemple »"))
            #expect(home.body.string.contains(SiteRoute.partnerAuthorization(fixture.id).path))
            let elsewhere = try await rosterBrowser(app, w.otherCoordinator).get(SiteRoute.home.path)
            #expect(!pageText(elsewhere).contains("Habilitation qui se termine"))
        }
    }

    @Test("a hostile school name and file name come back as text on the pages and in the refusals")
    func escaping() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let payload = #""><iframe src=file:///etc/passwd>"#
            w.otherSchool.name = "Large " + payload
            try await w.otherSchool.save(on: app.db)
            let manager = try await rosterBrowser(app, w.manager)
            try await manager.get(SiteRoute.school(w.otherSchool.id).path)
            let refused = try await manager.post(
                SiteRoute.schoolCohorts(w.otherSchool.id).path,
                [
                    "cohortName": "P " + payload, "referential": w.referential.id!.uuidString, "startsOn": "01/09/2026",
                    "endsOn": "30/06/2027",
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(pageText(refused).contains("L'école « Large \(payload) » n'est pas habilitée"))
            #expect(!refused.body.string.contains("<iframe"))
            try await manager.get(SiteRoute.schoolAuthorizations(w.otherSchool.id).path)
            let bad = try await manager.post(
                SiteRoute.schoolAuthorizations(w.otherSchool.id).path,
                ["referential": w.referential.id!.uuidString, "blocks": payload, "startsOn": payload, "endsOn": "x"])
            #expect(bad.status == .unprocessableEntity)
            #expect(!bad.body.string.contains("<iframe"))
            #expect(pageText(bad).contains("n'a pas de bloc"))
            let row = try #require(try await DBPartnerAuthorization.query(on: app.db).first())
            row.agreementName = payload + ".pdf"
            try await row.save(on: app.db)
            let fixtureList = try await manager.get(SiteRoute.schoolAuthorizations(w.school.id).path)
            #expect(pageText(fixtureList).contains(payload + ".pdf"))
            #expect(!fixtureList.body.string.contains("<iframe"))
            let upload = try await manager.upload(
                SiteRoute.partnerAuthorizationAgreement(row.id).path, filename: payload + ".pdf", data: Self.pdf)
            #expect(upload.status == .unprocessableEntity)
            #expect(!upload.body.string.contains("<iframe"))
            for path in [
                SiteRoute.partnerAuthorization(row.id).path, SiteRoute.schoolAuthorizations(w.otherSchool.id).path,
            ] {
                let page = try await manager.get(path)
                #expect(page.status == .ok && !page.body.string.contains("<iframe"), "\(path)")
            }
        }
    }
}
