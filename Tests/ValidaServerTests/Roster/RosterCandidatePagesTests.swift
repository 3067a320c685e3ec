import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Roster: cohorts and candidates")
struct RosterCandidatePagesTests {
    static let good: [String: String] = [
        "birthName": "Dupont", "usualName": "", "firstNames": "Élise Marie", "birthDate": "14/07/2001",
        "birthPlace": "Nantes", "birthPlaceINSEE": "44109", "sex": "F", "email": "Elise.Dupont@Example.fr",
        "accessRoute": "apprenticeship",
    ]

    @Test("a cohort's page and its candidate list: its school, the manager and the jury; nobody else")
    func cohortAccess() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let allowed: [(DBUser, HTTPStatus)] = [
                (w.manager, .ok), (w.jury, .ok), (w.coordinator, .ok),
                (w.otherCoordinator, .forbidden), (w.evaluator, .forbidden), (w.candidate, .forbidden),
            ]
            try await expectAccess(app, SiteRoute.cohort(w.cohort.id).path, allowed)
            try await expectAccess(app, SiteRoute.cohortCandidates(w.cohort.id).path, allowed)
            let page = rosterText(try await rosterBrowser(app, w.coordinator).get(SiteRoute.cohort(w.cohort.id).path))
            #expect(page.contains("<h1>Promotion 2026 — École de l'Exemple</h1>"))
            #expect(page.contains("Candidats (3)"))
            #expect(page.contains(SiteRoute.cohortImport(w.cohort.id).path))
            let jury = rosterText(try await rosterBrowser(app, w.jury).get(SiteRoute.cohort(w.cohort.id).path))
            #expect(!jury.contains(SiteRoute.cohortImport(w.cohort.id).path), "the jury reads, it does not import")
            #expect(try await rosterBrowser(app, w.manager).get(SiteRoute.cohort(UUID()).path).status == .notFound)
        }
    }

    @Test("the candidate list is sorted by name and searched without regard to case or accents")
    func cohortSearch() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.jury)
            let all = rosterText(try await browser.get(SiteRoute.cohortCandidates(w.cohort.id).path))
            let order = ["Bernard Hugo", "Martin Léa", "Petit Inès"].compactMap { all.range(of: $0)?.lowerBound }
            #expect(order.count == 3 && order == order.sorted())
            let ines = rosterText(
                try await browser.get(SiteRoute.cohortCandidates(w.cohort.id).path(query: ["q": "INES"])))
            #expect(ines.contains("Petit Inès") && !ines.contains("Martin Léa"))
            #expect(ines.contains("1 candidat sur 3 pour « INES »"))
            let email = rosterText(
                try await browser.get(SiteRoute.cohortCandidates(w.cohort.id).path(query: ["q": "bernard@"])))
            #expect(email.contains("Bernard Hugo") && !email.contains("Petit Inès"))
            let none = rosterText(
                try await browser.get(SiteRoute.cohortCandidates(w.cohort.id).path(query: ["q": "Zola"])))
            #expect(none.contains("aucun candidat sur 3"))
        }
    }

    @Test("query: a cohort's candidates, by name, filtered by every word of the search")
    func cohortCandidatesQuery() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let all = try await CohortCandidatesPage.query(cohort: w.cohort, search: "", on: app.db)
            #expect(all.rows.map(\.name) == ["Bernard Hugo", "Martin Léa", "Petit Inès"])
            #expect(all.total == 3)
            let lea = try await CohortCandidatesPage.query(cohort: w.cohort, search: "lea  MARTIN", on: app.db)
            #expect(lea.rows.map(\.name) == ["Martin Léa"])
            #expect(lea.rows.first?.accessRoute == "Apprentissage")
            #expect(
                try await CohortCandidatesPage.query(cohort: w.cohort, search: "Hélène", on: app.db).rows.isEmpty,
                "another cohort's candidate")
        }
    }

    @Test(
        "adding a candidate: the import's rules, per-field French errors with 422, nothing stored; then stored on the cohort's version"
    )
    func create() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let path = SiteRoute.cohortNewCandidate(w.cohort.id).path
            try await expectAccess(
                app, path,
                [
                    (w.manager, .ok), (w.coordinator, .ok), (w.otherCoordinator, .forbidden), (w.jury, .forbidden),
                    (w.candidate, .forbidden),
                ])
            let browser = try await rosterBrowser(app, w.coordinator)
            let form = rosterText(try await browser.get(path))
            #expect(form.contains("<label for=\"birthName\">Nom de naissance (obligatoire)</label>"))
            #expect(form.contains("<label for=\"accessRoute\">Voie d'accès (obligatoire)</label>"))
            let before = try await w.candidateCount(app)
            var bad = Self.good
            bad["birthName"] = ""
            bad["birthDate"] = "31/02/2001"
            bad["birthPlaceINSEE"] = "4410"
            bad["email"] = "elise.dupont@"
            bad["sex"] = "X"
            let refused = try await browser.post(path, bad)
            #expect(refused.status == .unprocessableEntity)
            let text = rosterText(refused)
            #expect(text.contains("Le formulaire contient 5 erreurs"))
            #expect(text.contains("Nom de naissance : valeur obligatoire manquante."))
            #expect(
                text.contains(
                    "Date de naissance : la date « 31/02/2001 » n'existe pas : février 2001 n'a que 28 jours."))
            #expect(text.contains("Code INSEE du lieu de naissance : code INSEE invalide « 4410 »"))
            #expect(text.contains("Adresse électronique : adresse invalide « elise.dupont@ »."))
            // The summary reads in the form's order.
            let summary = ["#birthName", "#birthDate", "#birthPlaceINSEE", "#sex", "#email"].compactMap {
                text.range(of: "href=\"\($0)\"")?.lowerBound
            }
            #expect(summary.count == 5 && summary == summary.sorted())
            #expect(text.contains("Sexe : valeur « X » non reconnue : F ou M."))
            #expect(text.contains("id=\"birthDate\" value=\"31/02/2001\""), "what was typed is shown again")
            var duplicate = Self.good
            duplicate["email"] = "MARTIN@example.fr"
            let taken = try await browser.post(path, duplicate)
            #expect(taken.status == .unprocessableEntity)
            #expect(
                rosterText(taken).contains(
                    "l'adresse « martin@example.fr » ne peut pas être utilisée ; donnez-en une autre"))
            #expect(try await w.candidateCount(app) == before)

            let created = try await browser.post(path, Self.good)
            #expect(created.status == .seeOther)
            let candidate = try #require(
                try await DBCandidate.query(on: app.db).filter(\.$email == "elise.dupont@example.fr").first())
            #expect(candidate.$cohort.id == w.cohort.id && candidate.$school.id == w.school.id)
            #expect(candidate.$referential.id == w.referential.id)
            #expect(
                candidate.birthDate == "2001-07-14" && candidate.usualName == nil
                    && candidate.accessRoute == .apprenticeship)
            #expect(created.headers.first(name: .location) == SiteRoute.candidate(candidate.id).path)
            // Another school's coordinator cannot post into this cohort.
            let other = try await rosterBrowser(app, w.otherCoordinator)
            try await other.get(SiteRoute.home.path)
            var intruder = Self.good
            intruder["email"] = "intrus@example.fr"
            #expect(try await other.post(path, intruder).status == .forbidden)
            #expect(try await w.candidateCount(app) == before + 1)
        }
    }

    @Test("editing a candidate: good input saved, bad input refused with 422 and nothing changed")
    func edit() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let lea = w.fixture.candidates[0]
            let path = SiteRoute.candidateEdit(lea.id).path
            try await expectAccess(
                app, path,
                [
                    (w.manager, .ok), (w.coordinator, .ok), (w.otherCoordinator, .forbidden), (w.jury, .forbidden),
                    (w.candidate, .forbidden),
                ])
            let browser = try await rosterBrowser(app, w.coordinator)
            let form = rosterText(try await browser.get(path))
            #expect(form.contains("type=\"date\" name=\"birthDate\" id=\"birthDate\" value=\"2000-01-01\""))
            #expect(form.contains("<option value=\"apprenticeship\" selected=\"selected\">Apprentissage</option>"))
            var fields = CandidateForm.state(lea).values
            fields["email"] = "bernard@example.fr"
            fields["birthDate"] = "2000-13-01"
            let refused = try await browser.post(path, fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                rosterText(refused).contains(
                    "Date de naissance : la date « 2000-13-01 » n'existe pas : il n'y a pas de mois 13."))
            fields["birthDate"] = "01/01/2000"
            let taken = try await browser.post(path, fields)
            #expect(taken.status == .unprocessableEntity)
            #expect(
                rosterText(taken).contains(
                    "l'adresse « bernard@example.fr » ne peut pas être utilisée ; donnez-en une autre"))
            #expect(try await DBCandidate.find(lea.id, on: app.db)?.email == "martin@example.fr")
            // Keeping one's own address is fine.
            fields["email"] = "martin@example.fr"
            fields["usualName"] = "Martin-Leroy"
            fields["accessRoute"] = "vae"
            #expect(try await browser.post(path, fields).status == .seeOther)
            let saved = try #require(try await DBCandidate.find(lea.id, on: app.db))
            #expect(saved.usualName == "Martin-Leroy" && saved.accessRoute == .vae)
            let page = rosterText(try await browser.get(SiteRoute.candidate(lea.id).path))
            #expect(page.contains("Identité de Léa Martin-Leroy enregistrée."))
        }
    }

    @Test("a candidate's page: their school, the manager, the jury and the candidate themself")
    func candidatePage() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let lea = w.fixture.candidates[0]
            try await expectAccess(
                app, SiteRoute.candidate(lea.id).path,
                [
                    (w.manager, .ok), (w.jury, .ok), (w.coordinator, .ok), (w.candidate, .ok),
                    (w.otherCoordinator, .forbidden), (w.evaluator, .forbidden),
                ])
            try await expectAccess(
                app, SiteRoute.candidate(w.fixture.candidates[1].id).path, [(w.candidate, .forbidden)])
            let own = rosterText(try await rosterBrowser(app, w.candidate).get(SiteRoute.candidate(lea.id).path))
            #expect(own.contains("<dt>Nom de naissance</dt><dd>Martin</dd>"))
            #expect(own.contains("<dt>Nom d'usage</dt><dd>non renseigné</dd>"))
            #expect(own.contains("<dt>Date de naissance</dt><dd>01/01/2000</dd>"))
            #expect(own.contains("<dt>Voie d'accès</dt><dd>Apprentissage</dd>"))
            #expect(!own.contains("Modifier l'identité"), "a candidate does not edit their record")
            #expect(!own.contains("href=\"\(SiteRoute.cohort(w.cohort.id).path)\""))
            let coordinator = rosterText(
                try await rosterBrowser(app, w.coordinator).get(SiteRoute.candidate(lea.id).path))
            #expect(coordinator.contains("Modifier l'identité"))
            #expect(try await rosterBrowser(app, w.manager).get(SiteRoute.candidate(UUID()).path).status == .notFound)
        }
    }

    @Test("query: a candidate's record with cohort, school and version")
    func candidateQuery() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let model = try await CandidatePage.query(candidate: w.fixture.candidates[2], on: app.db)
            #expect(model.displayName == "Inès Petit")
            #expect(model.cohortName == "Promotion 2026" && model.schoolName == "École de l'Exemple")
            #expect(model.identity.first { $0.0 == "Sexe" }?.1 == "Femme")
            #expect(model.referentialID == w.referential.id)
        }
    }

    @Test("searching every school: each user finds only the candidates of the schools they may see")
    func globalSearch() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let path = SiteRoute.candidateSearch.path(query: ["q": "e"])
            try await expectAccess(
                app, path,
                [
                    (w.manager, .ok), (w.jury, .ok), (w.coordinator, .ok), (w.evaluator, .forbidden),
                    (w.candidate, .forbidden),
                ])
            let manager = rosterText(
                try await rosterBrowser(app, w.manager).get(SiteRoute.candidateSearch.path(query: ["q": "helene"])))
            #expect(manager.contains("Le Goff Hélène") && manager.contains("Institut du Large"))
            let coordinator = try await rosterBrowser(app, w.coordinator)
            let hidden = rosterText(try await coordinator.get(SiteRoute.candidateSearch.path(query: ["q": "helene"])))
            #expect(!hidden.contains("Le Goff"))
            #expect(hidden.contains("Aucun candidat ne correspond à « helene »."))
            let own = rosterText(try await coordinator.get(SiteRoute.candidateSearch.path(query: ["q": "example.fr"])))
            #expect(own.contains("Martin Léa") && own.contains("Petit Inès") && !own.contains("Le Goff"))
            #expect(own.contains("3 candidats trouvés."))
            let empty = rosterText(try await coordinator.get(SiteRoute.candidateSearch.path))
            #expect(empty.contains("<label for=\"q\">"))
        }
    }

    @Test("query: the search across the given schools, none for an empty search")
    func searchQuery() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let both = [w.school.id!, w.otherSchool.id!]
            let e = try await CandidateSearchPage.query(search: "É", schools: both, on: app.db)
            #expect(e.rows.map(\.name) == ["Bernard Hugo", "Le Goff Hélène", "Martin Léa", "Petit Inès"])
            let one = try await CandidateSearchPage.query(search: "le goff", schools: [w.school.id!], on: app.db)
            #expect(one.matched == 0)
            #expect(try await CandidateSearchPage.query(search: "  ", schools: both, on: app.db).rows.isEmpty)
        }
    }
}
