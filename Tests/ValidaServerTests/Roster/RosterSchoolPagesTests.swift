import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Roster: schools and cohorts")
struct RosterSchoolPagesTests {
    @Test("the schools list: manager and jury see all, a coordinator goes to their school, others are refused")
    func list() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            try await expectAccess(
                app, SiteRoute.schools.path,
                [
                    (w.manager, .ok), (w.jury, .ok), (w.coordinator, .seeOther), (w.evaluator, .forbidden),
                    (w.candidate, .forbidden),
                ])
            let coordinator = try await rosterBrowser(app, w.otherCoordinator)
            let redirect = try await coordinator.get(SiteRoute.schools.path)
            #expect(redirect.headers.first(name: .location) == SiteRoute.school(w.otherSchool.id).path)
            let page = rosterText(try await rosterBrowser(app, w.jury).get(SiteRoute.schools.path))
            #expect(page.contains("École de l'Exemple"))
            #expect(page.contains("Institut du Large"))
            #expect(!page.contains("Ajouter une école"), "the jury reads, it does not create")
            let manager = rosterText(try await rosterBrowser(app, w.manager).get(SiteRoute.schools.path))
            #expect(manager.contains("Ajouter une école"))
            #expect(manager.contains("<label for=\"siret\">SIRET</label>"))
        }
    }

    @Test("creating a school: good input stored, bad input refused with 422, a French message and nothing stored")
    func createSchool() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.manager)
            try await browser.get(SiteRoute.schools.path)
            let before = try await DBSchool.query(on: app.db).count()
            for (form, message) in [
                (["name": "  ", "city": "Nantes"], "Indiquez le nom de l'école."),
                (["name": "ÉCOLE DE L'EXEMPLE"], "Une école porte déjà le nom « ÉCOLE DE L'EXEMPLE »."),
                (
                    ["name": "École Neuve", "siret": "1234"],
                    "Le SIRET « 1234 » n'est pas valide : il compte exactement 14 chiffres."
                ),
            ] {
                let response = try await browser.post(SiteRoute.schools.path, form)
                #expect(response.status == .unprocessableEntity)
                #expect(rosterText(response).contains(message))
                #expect(rosterText(response).contains("aria-invalid=\"true\""))
            }
            #expect(try await DBSchool.query(on: app.db).count() == before)
            let created = try await browser.post(
                SiteRoute.schools.path, ["name": " École Neuve ", "city": "Nantes", "siret": "123 456 789 00012"])
            #expect(created.status == .seeOther)
            let school = try #require(try await DBSchool.query(on: app.db).filter(\.$name == "École Neuve").first())
            #expect(school.city == "Nantes" && school.siret == "12345678900012")
            #expect(created.headers.first(name: .location) == SiteRoute.school(school.id).path)
            // Only the manager creates schools.
            for user in [w.jury, w.coordinator] {
                let other = try await rosterBrowser(app, user)
                try await other.get(SiteRoute.home.path)
                #expect(try await other.post(SiteRoute.schools.path, ["name": "École Pirate"]).status == .forbidden)
            }
            #expect(try await DBSchool.query(on: app.db).filter(\.$name == "École Pirate").count() == 0)
        }
    }

    @Test("a school's page: its own coordinator, the manager and the jury; not another school's coordinator")
    func schoolPage() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let path = SiteRoute.school(w.school.id).path
            try await expectAccess(
                app, path,
                [
                    (w.manager, .ok), (w.jury, .ok), (w.coordinator, .ok),
                    (w.otherCoordinator, .forbidden), (w.evaluator, .forbidden), (w.candidate, .forbidden),
                ])
            let page = rosterText(try await rosterBrowser(app, w.coordinator).get(path))
            #expect(page.contains("<a href=\"\(SiteRoute.cohort(w.cohort.id).path)\">Promotion 2026</a>"))
            #expect(page.contains("<a href=\"\(SiteRoute.cohortCandidates(w.cohort.id).path)\">3 candidats</a>"))
            #expect(page.contains("Modifier les informations de l'école"))
            #expect(page.contains("Ouvrir une promotion"))
            let jury = rosterText(try await rosterBrowser(app, w.jury).get(path))
            #expect(!jury.contains("Ouvrir une promotion") && !jury.contains("Modifier les informations"))
            #expect(try await rosterBrowser(app, w.manager).get(SiteRoute.school(UUID()).path).status == .notFound)
        }
    }

    @Test("editing a school: its coordinator may, another school's may not; bad input is refused")
    func editSchool() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let path = SiteRoute.school(w.school.id).path
            let other = try await rosterBrowser(app, w.otherCoordinator)
            try await other.get(SiteRoute.home.path)
            #expect(try await other.post(path, ["name": "Volée", "city": "", "siret": ""]).status == .forbidden)
            let browser = try await rosterBrowser(app, w.coordinator)
            try await browser.get(path)
            let bad = try await browser.post(
                path, ["name": "Institut du Large", "city": "Lyon", "siret": "1234567890123A"])
            #expect(bad.status == .unprocessableEntity)
            #expect(rosterText(bad).contains("Une école porte déjà le nom « Institut du Large »."))
            #expect(rosterText(bad).contains("Le SIRET « 1234567890123A » n'est pas valide"))
            #expect(rosterText(bad).contains("Le formulaire contient 2 erreurs"))
            let unchanged = try #require(try await DBSchool.find(w.school.id, on: app.db))
            #expect(unchanged.name == "École de l'Exemple" && unchanged.siret == nil)
            // Keeping its own name is not a duplicate.
            let saved = try await browser.post(
                path, ["name": "École de l'Exemple", "city": "Villeurbanne", "siret": "12345678900012"])
            #expect(saved.status == .seeOther)
            let school = try #require(try await DBSchool.find(w.school.id, on: app.db))
            #expect(school.city == "Villeurbanne" && school.siret == "12345678900012")
            #expect(
                rosterText(try await browser.get(path)).contains("Les informations de l'école ont été enregistrées."))
        }
    }

    @Test("opening a cohort: a unique name, a version, dates JJ/MM/AAAA with the end not before the start")
    func createCohort() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let path = SiteRoute.schoolCohorts(w.school.id).path
            let version = w.referential.id!.uuidString
            let browser = try await rosterBrowser(app, w.coordinator)
            try await browser.get(SiteRoute.school(w.school.id).path)
            let cases: [([String: String], String)] = [
                (
                    ["cohortName": "", "referential": version, "startsOn": "01/09/2026", "endsOn": "30/06/2027"],
                    "Indiquez le nom de la promotion."
                ),
                (
                    [
                        "cohortName": "promotion 2026", "referential": version, "startsOn": "01/09/2026",
                        "endsOn": "30/06/2027",
                    ],
                    "L'école a déjà une promotion nommée « promotion 2026 »."
                ),
                (
                    [
                        "cohortName": "Promotion 2027", "referential": UUID().uuidString, "startsOn": "01/09/2026",
                        "endsOn": "30/06/2027",
                    ],
                    "Choisissez une version du référentiel parmi celles proposées."
                ),
                (
                    [
                        "cohortName": "Promotion 2027", "referential": version, "startsOn": "1er septembre",
                        "endsOn": "30/06/2027",
                    ],
                    "La date de début « 1er septembre » n'est pas une date valide au format JJ/MM/AAAA."
                ),
                (
                    [
                        "cohortName": "Promotion 2027", "referential": version, "startsOn": "01/09/2026",
                        "endsOn": "31/06/2027",
                    ],
                    "La date de fin « 31/06/2027 » n'existe pas : juin 2027 n'a que 30 jours."
                ),
                (
                    [
                        "cohortName": "Promotion 2027", "referential": version, "startsOn": "01/09/2026",
                        "endsOn": "30/06/2026",
                    ],
                    "La date de fin (30/06/2026) précède la date de début (01/09/2026)."
                ),
            ]
            for (form, message) in cases {
                let response = try await browser.post(path, form)
                #expect(response.status == .unprocessableEntity, "\(form)")
                #expect(rosterText(response).contains(message), "\(form)")
            }
            #expect(try await DBCohort.query(on: app.db).filter(\.$school.$id == w.school.id!).count() == 1)
            let created = try await browser.post(
                path,
                [
                    "cohortName": "Promotion 2027", "referential": version,
                    "startsOn": "01/09/2026", "endsOn": "30/06/2027",
                ])
            #expect(created.status == .seeOther)
            let cohort = try #require(try await DBCohort.query(on: app.db).filter(\.$name == "Promotion 2027").first())
            #expect(cohort.$school.id == w.school.id && cohort.$referential.id == w.referential.id)
            #expect(cohort.startsOn == "2026-09-01" && cohort.endsOn == "2027-06-30")
            #expect(created.headers.first(name: .location) == SiteRoute.cohort(cohort.id).path)
            // The same name is free in another school; that school's coordinator may not use this one's form.
            let other = try await rosterBrowser(app, w.otherCoordinator)
            try await other.get(SiteRoute.home.path)
            #expect(
                try await other.post(
                    path,
                    [
                        "cohortName": "Intruse", "referential": version,
                        "startsOn": "01/09/2026", "endsOn": "30/06/2027",
                    ]
                ).status == .forbidden)
            let jury = try await rosterBrowser(app, w.jury)
            try await jury.get(SiteRoute.home.path)
            #expect(
                try await jury.post(
                    path,
                    [
                        "cohortName": "Jury", "referential": version,
                        "startsOn": "01/09/2026", "endsOn": "30/06/2027",
                    ]
                ).status == .forbidden)
            #expect(try await DBCohort.query(on: app.db).count() == 3)
        }
    }

    @Test("query: the schools a filter lets through, with their counts")
    func schoolsQuery() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let all = try await SchoolsPage.query(on: app.db) { _ in true }
            #expect(all.map(\.name) == ["École de l'Exemple", "Institut du Large"])
            #expect(all.map(\.cohorts) == [1, 1])
            #expect(all.map(\.candidates) == [3, 1])
            let one = try await SchoolsPage.query(on: app.db) { $0 == w.otherSchool.id }
            #expect(one.map(\.id) == [w.otherSchool.id!])
        }
    }

    @Test("query: a school's cohorts, latest first, with their candidate counts and the versions to offer")
    func schoolQuery() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            try await DBCohort(
                schoolID: w.school.id!, referentialID: w.referential.id!, name: "Promotion 2027",
                startsOn: "2026-09-01", endsOn: "2027-06-30"
            ).create(on: app.db)
            let model = try await SchoolPage.query(school: w.school, on: app.db)
            #expect(model.name == "École de l'Exemple" && model.city == "Lyon")
            #expect(model.cohorts.map(\.name) == ["Promotion 2027", "Promotion 2026"])
            #expect(model.cohorts.map(\.candidates) == [0, 3])
            #expect(model.cohorts.allSatisfy { $0.version == "2025" })
            #expect(model.versions.map(\.id) == [w.referential.id!])
        }
    }

    @Test("query: a cohort's page, with its school, version and counts")
    func cohortQuery() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let model = try await CohortPage.query(cohort: w.cohort, on: app.db)
            #expect(model.schoolName == "École de l'Exemple")
            #expect(model.version.hasPrefix("Version 2025 — RNCP00001"))
            #expect(model.candidates == 3 && model.teams == 1 && model.sessions == 2)
        }
    }
}
