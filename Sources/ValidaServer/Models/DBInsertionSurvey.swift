import Fluent
import Foundation
import ValidaCore
import Vapor

/// One holder's insertion survey for one wave: a person certified (in full or by blocks) by
/// a closed deliberation, surveyed 6 months and 2 years later. Opened when due, mailed with
/// a personal link, reminded, answered by the holder (who may change their answers until
/// the survey is closed).
final class DBInsertionSurvey: Model, @unchecked Sendable {
    static let schema = "insertion_surveys"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    /// The closed deliberation (or VAE jury) that awarded the certification or the blocks.
    @Parent(key: "jury_id") var jury: DBJury
    @Field(key: "wave") var wave: SurveyWave
    @Field(key: "outcome") var outcome: HolderOutcome
    /// ISO day of the deliberation, and the day the survey is due (`SurveyRules.dueDate`).
    @Field(key: "deliberation_on") var deliberationOn: String
    @Field(key: "due_on") var dueOn: String
    /// The deliberation's year: the cohort year the figures are counted in.
    @Field(key: "cohort_year") var cohortYear: Int
    @Field(key: "state") var state: SurveyState
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "reminders_sent") var remindersSent: Int
    /// The reminders' times, ISO 8601, comma-separated, in order.
    @Field(key: "reminder_times") var reminderTimes: String
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "employed") var employed: Bool?
    @OptionalField(key: "job_title") var jobTitle: String?
    @OptionalField(key: "in_field") var inField: Bool?
    @OptionalField(key: "contract") var contract: ContractType?
    @OptionalField(key: "salary_band") var salaryBand: SalaryBand?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        id: UUID? = nil, candidateID: UUID, juryID: UUID, wave: SurveyWave, outcome: HolderOutcome,
        deliberation: CalendarDate
    ) {
        self.id = id
        self.$candidate.id = candidateID
        self.$jury.id = juryID
        self.wave = wave
        self.outcome = outcome
        self.deliberationOn = deliberation.iso
        self.dueOn = SurveyRules.dueDate(deliberation: deliberation, wave: wave).iso
        self.cohortYear = deliberation.year
        self.state = .toSend
        self.remindersSent = 0
        self.reminderTimes = ""
    }

    var dueDate: CalendarDate? { CalendarDate(iso: dueOn) }

    var answers: SurveyAnswers? {
        guard answeredAt != nil, let employed else { return nil }
        return SurveyAnswers(
            employed: employed, jobTitle: jobTitle, inField: inField, contract: contract, salary: salaryBand)
    }

    func apply(_ answers: SurveyAnswers) {
        employed = answers.employed
        jobTitle = answers.jobTitle
        inField = answers.inField
        contract = answers.contract
        salaryBand = answers.salary
    }

    var reminderDates: [Date] {
        reminderTimes.split(separator: ",").compactMap { try? Date(String($0), strategy: .iso8601) }
    }
}

/// A personal link mailed for a survey: only the SHA-256 of its token is kept, like an
/// account's one-time links. Each mailing (the first and each reminder) gets its own, and
/// every one stays usable until the survey is closed, so an older mail still opens it.
final class DBInsertionSurveyLink: Model, @unchecked Sendable {
    static let schema = "insertion_survey_links"

    @ID(key: .id) var id: UUID?
    @Parent(key: "survey_id") var survey: DBInsertionSurvey
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, surveyID: UUID, tokenHash: String) {
        self.id = id
        self.$survey.id = surveyID
        self.tokenHash = tokenHash
    }
}
