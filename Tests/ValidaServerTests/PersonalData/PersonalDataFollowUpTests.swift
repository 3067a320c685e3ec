import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Insertion surveys (migration 043) and appeals (045) in a candidate's export and erasure.
@Suite("Personal data: insertion surveys and appeals")
struct PersonalDataFollowUpTests {
    static let jobTitle = "Chargée d'études \"><iframe src=file:///etc/passwd>"
    static let grounds = "MOTIF-DU-RECOURS-DE-LEA"

    /// An answered six-month survey with its mailed link, and an answered appeal, for Léa.
    static func addFollowUp(_ w: PersonalDataWorld) async throws {
        let db = w.app.db
        let decision = try #require(
            try await DBDecision.query(on: db).filter(\.$candidate.$id == w.lea.id!).filter(\.$jury.$id != nil)
                .first())
        let juryID = try #require(decision.$jury.id)
        let survey = DBInsertionSurvey(
            candidateID: w.lea.id!, juryID: juryID, wave: .sixMonths, outcome: .full,
            deliberation: CalendarDate(iso: "2025-06-30")!)
        survey.state = .answered
        survey.sentAt = Date()
        survey.answeredAt = Date()
        survey.apply(
            SurveyAnswers(employed: true, jobTitle: jobTitle, inField: true, contract: .permanent, salary: nil))
        try await survey.create(on: db)
        try await DBInsertionSurveyLink(surveyID: survey.id!, tokenHash: "empreinte-du-lien").create(on: db)
        let appeal = DBAppeal()
        appeal.$candidate.id = w.lea.id!
        appeal.$decision.id = decision.id!
        appeal.$jury.id = juryID
        appeal.status = .rejected
        appeal.grounds = grounds
        appeal.filedBy = w.people.lea.id!
        appeal.filedAt = Date()
        appeal.deadline = CalendarDate(iso: "2025-08-29")!
        appeal.reviewedBy = w.people.manager.id!
        appeal.reviewedByName = w.people.manager.displayName
        appeal.answer = "Réponse motivée du certificateur"
        appeal.answeredAt = Date()
        try await appeal.create(on: db)
    }

    @Test("Léa's archive holds her survey answers and her appeal, grounds and answer")
    func export() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await Self.addFollowUp(w)
            let browser = try await TestBrowser.signedIn(app, w.people.lea)
            let response = try await browser.get(SiteRoute.candidatePersonalDataExport(w.lea.id!).path)
            #expect(response.status == .ok)
            let files = try unzip(Data(buffer: response.body))
            let json = try exportedJSON(files)
            let surveys = try #require(json["insertionSurveys"] as? [[String: Any]])
            #expect(surveys.map { $0["jobTitle"] as? String } == [Self.jobTitle])
            #expect(surveys.first?["employed"] as? Bool == true)
            #expect(surveys.first?["contract"] as? String == ContractType.permanent.label)
            let appeals = try #require(json["appeals"] as? [[String: Any]])
            #expect(appeals.map { $0["grounds"] as? String } == [Self.grounds])
            #expect(appeals.first?["answer"] as? String == "Réponse motivée du certificateur")
            #expect(appeals.first?["status"] as? String == AppealStatus.rejected.label)
            let readme = String(decoding: files["LISEZMOI.txt"] ?? Data(), as: UTF8.self)
            #expect(readme.contains("insertionSurveys") && readme.contains("appeals"))
            // Hugo's export says nothing of Léa's.
            let hugo = try await PersonalDataExport.gather(w.hugo, app: app, now: Date()).0
            #expect(hugo.insertionSurveys.isEmpty && hugo.appeals.isEmpty)
        }
    }

    @Test("erasure removes the survey links and the job title, closes the survey, blanks the appeal's grounds")
    func erasure() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await Self.addFollowUp(w)
            try await w.setRetention("1")
            let plan = try await PersonalDataErasure.plan(
                w.lea, settings: try await AppSettings.load(on: app.db), now: PersonalDataErasureTests.later,
                on: app.db)
            #expect(plan.erased.contains { $0.hasPrefix("Enquêtes d'insertion (1)") })
            #expect(plan.erased.contains { $0.hasPrefix("Recours (1) : motifs effacés") })
            #expect(plan.kept.contains { $0.hasPrefix("Réponses fermées aux enquêtes d'insertion") })
            _ = try await PersonalDataErasureTests.erase(w, w.lea).get()
            #expect(try await DBInsertionSurveyLink.query(on: app.db).count() == 0)
            let survey = try #require(try await DBInsertionSurvey.query(on: app.db).first())
            #expect(survey.jobTitle == nil && survey.state == .closed)
            #expect(survey.employed == true && survey.contract == .permanent)
            let appeal = try #require(try await DBAppeal.query(on: app.db).first())
            #expect(appeal.grounds == PersonalDataErasure.erasedGrounds)
            #expect(appeal.status == .rejected)
            if plan.holder {
                #expect(appeal.answer == "Réponse motivée du certificateur")
            } else {
                #expect(appeal.answer == PersonalDataErasure.erasedGrounds)
            }
        }
    }
}
