import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

/// The Caisse des Dépôts' return of a declaration: imported once, each holder's status on the
/// declaration page, the rejected holder corrected and declared again alone; malformed or
/// foreign files refused with where and what; the home page's 2-month warning counts.
@Suite("Juries: the declaration's return (Caisse des Dépôts)")
struct HolderDeclarationReturnTests {
    /// A closed deliberation where Léa and the second candidate hold the whole certification.
    static func closedWithTwo(_ app: Application) async throws -> DeliberationTests.World {
        let w = try await DeliberationTests.world(app)
        try await DeliberationTests.settings(app)
        let store = app.referentials
        for candidate in w.f.candidates.prefix(2) {
            candidate.birthPlaceINSEE = "69123"
            try await candidate.save(on: app.db)
            for scope in [DecisionScope.block("BC01"), .requirement("TP"), .certification] {
                try await Deliberating.record(
                    .init(scope: scope, outcome: .validated, justification: "Dossier examiné par le jury"),
                    candidate: candidate.id!, juryID: w.juryID, actor: w.president, referentials: store, on: app.db)
            }
        }
        _ = try await Deliberating.adoptComputed(juryID: w.juryID, actor: w.president, referentials: store, on: app.db)
        _ = try await Deliberating.close(
            juryID: w.juryID, actor: w.president, referentials: store, settings: try await AppSettings.load(on: app.db),
            on: app.db)
        return w
    }

    static func passage(_ candidate: DBCandidate, _ w: DeliberationTests.World) -> String {
        HolderPassage.technicalID(candidateID: candidate.id!.uuidString, deliberationID: w.juryID.uuidString)
    }

    static func returnXML(accepted: String, rejected: String, reason: String) -> Data {
        Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <compteRenduTraitement dateTraitement="2026-08-20">
              <passage><idTechnique>\(accepted)</idTechnique><statut>ACCEPTE</statut></passage>
              <passage>
                <idTechnique>\(rejected)</idTechnique>
                <statut>REJETE</statut>
                <motif>\(reason)</motif>
              </passage>
            </compteRenduTraitement>
            """.utf8)
    }

    @Test("a return with one rejection: imported, shown, corrected, declared again alone, the same file refused")
    func roundTrip() async throws {
        try await withTestApp { app in
            let w = try await Self.closedWithTwo(app)
            let (lea, other) = (w.f.candidates[0], w.f.candidates[1])
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("acc-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: url) }
            guard
                case .written(let count, _) = try await ServerRuntime.exportHolderDeclaration(
                    to: url, includeDeclared: false, on: app)
            else {
                Issue.record("expected the declaration file")
                return
            }
            #expect(count == 2)

            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            var page = pageText(try await manager.get(SiteRoute.juryHolderDeclaration(w.juryID).path))
            #expect(page.components(separatedBy: "en attente du retour").count == 3)

            // The return: Léa accepted, the other rejected (with an attacker's reason, shown escaped).
            let reason = "Lieu de naissance inconnu \"><iframe src=file:///etc/passwd>"
            let file = Self.returnXML(
                accepted: Self.passage(lea, w), rejected: Self.passage(other, w),
                reason: reason.replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(
                    of: "<", with: "&lt;"
                )
                .replacingOccurrences(of: ">", with: "&gt;"))
            try await manager.get(SiteRoute.holderDeclarationReturns.path)
            let imported = try await manager.upload(
                SiteRoute.holderDeclarationReturns.path, filename: "CR_accrochage.xml", data: file)
            #expect(imported.status == .seeOther)
            let returns = try await manager.get(SiteRoute.holderDeclarationReturns.path)
            #expect(pageText(returns).contains("1 passage(s) accepté(s), 1 rejeté(s)"))
            #expect(pageText(returns).contains(other.sortName))
            #expect(pageText(returns).contains(reason))
            #expect(!returns.body.string.contains("<iframe"))

            let declaration = try await manager.get(SiteRoute.juryHolderDeclaration(w.juryID).path)
            page = pageText(declaration)
            #expect(page.contains("accepté (retour du 20/08/2026)"))
            #expect(page.contains("rejeté (retour du 20/08/2026) : \(reason)"))
            #expect(page.contains("Rejetés par la Caisse des Dépôts (1)"))
            #expect(!declaration.body.string.contains("<iframe"))
            let managerHome = pageText(try await manager.get(SiteRoute.home.path))
            #expect(
                managerHome.contains("Titulaires rejetés par la Caisse des Dépôts, à corriger et déclarer à nouveau"))
            #expect(declaration.body.string.contains(SiteRoute.candidateEdit(other.id!).path))

            // The same file again: refused, nothing changes.
            try await manager.get(SiteRoute.holderDeclarationReturns.path)
            let again = try await manager.upload(
                SiteRoute.holderDeclarationReturns.path, filename: "copie.xml", data: file)
            #expect(again.status == .unprocessableEntity)
            #expect(pageText(again).contains("copie.xml : ce fichier de retour a déjà été importé"))
            #expect(try await DBHolderDeclarationReturn.query(on: app.db).count() == 1)

            // Corrected, then declared again: a file with only the rejected holder.
            other.birthPlaceINSEE = "75056"
            try await other.save(on: app.db)
            try await manager.get(SiteRoute.juryHolderDeclaration(w.juryID).path)
            let redeclared = try await manager.post(SiteRoute.juryHolderDeclarationRejectedFile(w.juryID).path, [:])
            #expect(redeclared.status == .ok)
            let xml = redeclared.body.string
            #expect(xml.contains(Self.passage(other, w)))
            #expect(!xml.contains(Self.passage(lea, w)))
            #expect(xml.contains("75056"))
            let newFile = FileManager.default.temporaryDirectory.appendingPathComponent(
                "acc-rejetes-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: newFile) }
            try Data(xml.utf8).write(to: newFile)
            try HolderDeclarationExportTests.validate(newFile)

            page = pageText(try await manager.get(SiteRoute.juryHolderDeclaration(w.juryID).path))
            #expect(page.contains("déclaré à nouveau le"))
            #expect(!page.contains("Rejetés par la Caisse des Dépôts"))
            // Nobody rejected is left: a second post writes nothing.
            let none = try await manager.post(SiteRoute.juryHolderDeclarationRejectedFile(w.juryID).path, [:])
            #expect(none.status == .seeOther)

            let actions = try await DBAuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("holder-declaration-return-imported"))
            #expect(actions.contains("holder-declaration-redeclared"))

            // The next return accepts them: the status follows the latest file.
            let second = Data(
                "idTechnique;statut;motif\n\(Self.passage(other, w));ACCEPTE;\n".utf8)
            let csvURL = FileManager.default.temporaryDirectory.appendingPathComponent("cr-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: csvURL) }
            try second.write(to: csvURL)
            #expect(
                try await ServerRuntime.importHolderDeclarationReturn(csvURL, on: app)
                    == .imported(
                        accepted: 1, rejected: 0))
            page = pageText(try await manager.get(SiteRoute.juryHolderDeclaration(w.juryID).path))
            #expect(page.components(separatedBy: "accepté (retour du").count == 3)

            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            #expect(try await coordinator.get(SiteRoute.holderDeclarationReturns.path).status == .forbidden)
        }
    }

    @Test("a malformed file and a file naming passages Valida never declared: refused with line and field")
    func refusedFiles() async throws {
        try await withTestApp { app in
            let w = try await Self.closedWithTwo(app)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("acc-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: url) }
            _ = try await ServerRuntime.exportHolderDeclaration(to: url, includeDeclared: false, on: app)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)

            try await manager.get(SiteRoute.holderDeclarationReturns.path)
            let malformed = try await manager.upload(
                SiteRoute.holderDeclarationReturns.path, filename: "retour.csv",
                data: Data("idTechnique;statut;motif\n\(Self.passage(w.f.candidates[0], w));REJETE;\n".utf8))
            #expect(malformed.status == .unprocessableEntity)
            #expect(
                pageText(malformed).contains(
                    "retour.csv, ligne 2, champ « motif » : un passage rejeté doit donner son motif"))

            try await manager.get(SiteRoute.holderDeclarationReturns.path)
            let foreign = try await manager.upload(
                SiteRoute.holderDeclarationReturns.path, filename: "autre.xml",
                data: Self.returnXML(
                    accepted: Self.passage(w.f.candidates[0], w), rejected: "inconnu:\(UUID().uuidString)",
                    reason: "x"))
            #expect(foreign.status == .unprocessableEntity)
            #expect(pageText(foreign).contains("autre.xml, ligne 4, champ « idTechnique » : aucun passage déclaré"))

            try await manager.get(SiteRoute.holderDeclarationReturns.path)
            let empty = try await manager.upload(
                SiteRoute.holderDeclarationReturns.path, filename: "vide.xml", data: Data())
            #expect(empty.status == .unprocessableEntity)
            #expect(pageText(empty).contains("Choisissez le fichier de retour à importer."))

            #expect(try await DBHolderDeclarationReturn.query(on: app.db).count() == 0)
            #expect(try await DBHolderDeclarationOutcome.query(on: app.db).count() == 0)
        }
    }

    @Test("the 2-month warning counts holders undeclared after 2 months, and those past the 3-month deadline")
    func dueWarning() async throws {
        try await withTestApp { app in
            let w = try await Self.closedWithTwo(app)
            let holders = try await HolderDeclarationExport.holders(
                juries: [w.juryID], onlyUndeclared: true, on: app.db)
            let awarded = try #require(holders.first?.awardDate)
            func on(_ months: Int, plusDays days: Int) -> CalendarDate {
                var day = awarded
                for _ in 0..<months { day = HolderDeclarationDue.day(day, minusMonths: -1) }
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC")!
                let date = calendar.date(
                    byAdding: .day, value: days,
                    to: calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!)!
                let c = calendar.dateComponents([.year, .month, .day], from: date)
                return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
            }
            #expect(
                try await HolderDeclarationDue.counts(today: on(2, plusDays: 0), on: app.db)
                    == .init(due: 0, overdue: 0))
            #expect(
                try await HolderDeclarationDue.counts(today: on(2, plusDays: 1), on: app.db)
                    == .init(due: 2, overdue: 0))
            let late = try await HolderDeclarationDue.counts(today: on(3, plusDays: 1), on: app.db)
            #expect(late == .init(due: 2, overdue: 2))
            #expect(
                HolderDeclarationDue.warning(late)
                    == "2 titulaire(s) certifié(s) il y a plus de 2 mois ne sont pas encore déclarés à la Caisse des Dépôts (délai : 3 mois), dont 2 au-delà du délai."
            )
            #expect(HolderDeclarationDue.warning(.init(due: 0, overdue: 0)) == nil)
            // The manager's home line: urgent once some are past the deadline, linked to the juries.
            let scope = HomeTodoScope(
                user: try await CurrentUser.load(w.people.manager, on: app.db), db: app.db,
                referentials: app.referentials, today: on(3, plusDays: 1))
            let items = try await HolderDeclarationDue.homeItems(scope)
            #expect(items.map(\.count) == [2])
            #expect(items.first?.tone == .urgent && items.first?.link == .juries)
            let early = try await HolderDeclarationDue.homeItems(
                HomeTodoScope(
                    user: scope.user, db: app.db, referentials: app.referentials, today: on(2, plusDays: 1)))
            #expect(early.first?.tone == .todo)
            #expect(
                try await HolderDeclarationDue.homeItems(
                    HomeTodoScope(
                        user: scope.user, db: app.db, referentials: app.referentials, today: on(2, plusDays: 0))
                )
                .isEmpty)
            // On the real home page, whose day is today's (the deliberation is dated July 2026).
            if HolderDeclarationDue.day(DateInput.today, minusMonths: 2) > awarded {
                let home = pageText(try await TestBrowser.signedIn(app, w.people.manager).get(SiteRoute.home.path))
                #expect(home.contains("pas encore déclarés à la Caisse des Dépôts"))
            }
            // Declared: nobody is due any more.
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("acc-\(UUID().uuidString).xml")
            defer { try? FileManager.default.removeItem(at: url) }
            _ = try await ServerRuntime.exportHolderDeclaration(to: url, includeDeclared: false, on: app)
            #expect(
                try await HolderDeclarationDue.counts(today: on(3, plusDays: 1), on: app.db)
                    == .init(due: 0, overdue: 0))
            #expect(
                HolderDeclarationDue.day(CalendarDate(iso: "2026-05-31")!, minusMonths: 3)
                    == CalendarDate(iso: "2026-02-28"))
            #expect(
                HolderDeclarationDue.day(CalendarDate(iso: "2026-01-15")!, minusMonths: 2)
                    == CalendarDate(iso: "2025-11-15"))
        }
    }
}
