import Foundation

/// The insertion surveys' figures for one group of surveys (a wave, a cohort year, a school
/// or all of them): how many were due, mailed, reminded and answered, and what the answers say.
/// Rates are given with their counts, so a page or a CSV can show both.
public struct InsertionSurveyFigures: Sendable, Hashable {
    /// One survey as the figures read it.
    public struct Record: Sendable, Hashable {
        public var wave: SurveyWave
        /// The year of the deliberation the survey follows.
        public var cohortYear: Int
        public var school: String
        public var state: SurveyState
        public var wasSent: Bool
        public var remindersSent: Int
        public var answers: SurveyAnswers?

        public init(
            wave: SurveyWave, cohortYear: Int, school: String, state: SurveyState, wasSent: Bool, remindersSent: Int,
            answers: SurveyAnswers?
        ) {
            self.wave = wave
            self.cohortYear = cohortYear
            self.school = school
            self.state = state
            self.wasSent = wasSent
            self.remindersSent = remindersSent
            self.answers = answers
        }
    }

    /// A share: `count` out of `total`, nil as a rate when there is nothing to count.
    public struct Share: Sendable, Hashable {
        public var count: Int
        public var total: Int

        public init(_ count: Int, of total: Int) {
            self.count = count
            self.total = total
        }

        /// In percent, nil when `total` is 0.
        public var percent: Double? { total == 0 ? nil : Double(count) * 100 / Double(total) }
    }

    /// Surveys opened (their due date has come).
    public var due = 0
    /// Mailed at least once.
    public var sent = 0
    /// Reminded at least once.
    public var reminded = 0
    public var answered = 0
    public var closed = 0
    /// Answers saying the holder has a job.
    public var employed = 0
    /// Of those, in the certification's field.
    public var inField = 0
    public var byContract: [ContractType: Int] = [:]
    public var bySalary: [SalaryBand: Int] = [:]

    public init() {}

    public init(_ records: some Sequence<Record>) {
        for record in records { add(record) }
    }

    public mutating func add(_ record: Record) {
        due += 1
        if record.wasSent { sent += 1 }
        if record.remindersSent > 0 { reminded += 1 }
        if record.state == .closed { closed += 1 }
        guard let answers = record.answers else { return }
        answered += 1
        guard answers.employed else { return }
        employed += 1
        if answers.inField == true { inField += 1 }
        if let contract = answers.contract { byContract[contract, default: 0] += 1 }
        if let salary = answers.salary { bySalary[salary, default: 0] += 1 }
    }

    /// Answers over surveys mailed.
    public var responseRate: Share { Share(answered, of: sent) }
    /// Holders in a job over those who answered.
    public var employedRate: Share { Share(employed, of: answered) }
    /// Jobs in the certification's field over holders in a job.
    public var inFieldRate: Share { Share(inField, of: employed) }

    /// A group's key: a wave and a cohort year.
    public struct Group: Sendable, Hashable, Comparable {
        public var wave: SurveyWave
        public var cohortYear: Int

        public init(wave: SurveyWave, cohortYear: Int) {
            self.wave = wave
            self.cohortYear = cohortYear
        }

        public static func < (a: Group, b: Group) -> Bool {
            (b.cohortYear, SurveyWave.allCases.firstIndex(of: a.wave)!)
                < (a.cohortYear, SurveyWave.allCases.firstIndex(of: b.wave)!)
        }
    }

    /// The figures per wave and cohort year, the most recent year first.
    public static func byGroup(_ records: [Record]) -> [(Group, InsertionSurveyFigures)] {
        Dictionary(grouping: records) { Group(wave: $0.wave, cohortYear: $0.cohortYear) }
            .map { ($0.key, InsertionSurveyFigures($0.value)) }
            .sorted { $0.0 < $1.0 }
    }
}
