import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Operations: schools and cohorts")
struct SchoolOperationsTests {
    @Test("the school page and the API refuse the same school with the same French message, and store nothing")
    func sameSchoolRule() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let both = try await BothWays.make(app, w.manager)
            let long = String(repeating: "é", count: 201)
            for (name, message) in [
                ("ecole de l’EXEMPLE", "Une école porte déjà le nom « ecole de l’EXEMPLE »."),
                (long, "Le nom de l'école ne doit pas dépasser 200 caractères."),
                ("  ", "Indiquez le nom de l'école."),
            ] {
                try await both.expectSameRefusal(
                    page: SiteRoute.schools.path, form: ["name": name], api: "/api/v1/schools",
                    json: #"{"name":"\#(name)"}"#, field: "name", message: message)
            }
            #expect(try await DBSchool.query(on: app.db).count() == 2)
            #expect(try await auditEntries(app, "school-created").isEmpty)
        }
    }

    @Test("the cohort form and the API refuse the same cohort with the same French message, and store nothing")
    func sameCohortRule() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let both = try await BothWays.make(app, w.manager)
            let page = SiteRoute.schoolCohorts(w.school.id).path
            let api = "/api/v1/schools/\(w.school.id!)/cohorts"
            let version = w.referential.id!.uuidString
            let good = ["referential": version, "startsOn": "01/09/2026", "endsOn": "30/06/2027"]
            // Dates are no longer optional through the API.
            try await both.expectSameRefusal(
                page: page, formPage: SiteRoute.school(w.school.id).path,
                form: ["cohortName": "Promotion 2027", "referential": version], api: api,
                json: #"{"name":"Promotion 2027"}"#, field: "startsOn",
                message: "Indiquez la date de début (JJ/MM/AAAA).")
            try await both.expectSameRefusal(
                page: page, formPage: SiteRoute.school(w.school.id).path,
                form: good.merging(["cohortName": "PROMOTION 2026"]) { $1 }, api: api,
                json: #"{"name":"PROMOTION 2026","startsOn":"2026-09-01","endsOn":"2027-06-30"}"#, field: "name",
                message: "L'école a déjà une promotion nommée « PROMOTION 2026 ».")
            try await both.expectSameRefusal(
                page: page, formPage: SiteRoute.school(w.school.id).path,
                form: good.merging(["cohortName": String(repeating: "x", count: 201)]) { $1 }, api: api,
                json:
                    #"{"name":"\#(String(repeating: "x", count: 201))","startsOn":"2026-09-01","endsOn":"2027-06-30"}"#,
                field: "name", message: "Le nom de la promotion ne doit pas dépasser 200 caractères.")
            #expect(try await DBCohort.query(on: app.db).filter(\.$school.$id == w.school.id!).count() == 1)
            // Both ways accept good input, in either day format through the API.
            #expect(
                try await both.browser.post(page, good.merging(["cohortName": "Promotion A"]) { $1 }).status
                    == .seeOther)
            let created = try await APITests.send(
                app, .POST, api, token: both.token,
                json: #"{"name":"Promotion B","startsOn":"01/09/2026","endsOn":"2027-06-30"}"#)
            #expect(created.status == .created)
            #expect(try APITests.object(created)["startsOn"] as? String == "2026-09-01")
            #expect(try await auditEntries(app, "cohort-created").count == 2)
        }
    }

    @Test("the school operations: stored with an audit entry in the same write, refused without either")
    func operations() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let made = try await SchoolOperations.create(
                .init(name: " École Neuve ", city: " Nantes ", siret: "123 456 789 00012"), by: w.manager, on: app.db
            ).get()
            #expect(made.name == "École Neuve" && made.city == "Nantes" && made.siret == "12345678900012")
            let entry = try #require(try await auditEntries(app, "school-created").first)
            #expect(entry.subjectID == made.id!.uuidString && entry.actorName == w.manager.displayName)
            // Editing keeps its own name free, and refuses another school's.
            let renamed = try await SchoolOperations.update(
                made, with: .init(name: "ÉCOLE NEUVE", siret: "12345678901234"), by: w.manager, on: app.db)
            #expect(try renamed.get().name == "ÉCOLE NEUVE")
            let refused = try await SchoolOperations.update(
                made, with: .init(name: "institut du large", siret: "12"), by: w.manager, on: app.db)
            guard case .failure(let refusal) = refused else {
                Issue.record("a taken name and a short SIRET must be refused")
                return
            }
            #expect(refusal[.name] == "Une école porte déjà le nom « institut du large ».")
            #expect(refusal[.siret] == "Le SIRET « 12 » n'est pas valide : il compte exactement 14 chiffres.")
            #expect(made.name == "ÉCOLE NEUVE", "a refused edit leaves the record as stored")
            #expect(try await DBSchool.find(made.id, on: app.db)?.name == "ÉCOLE NEUVE")
            #expect(try await auditEntries(app, "school-updated").count == 1)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }
}
