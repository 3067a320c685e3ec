import Testing

@testable import ValidaCore

@Suite("Appeals: deadline, filing, review steps, who may review")
struct AppealRulesTests {
    static let published = CalendarDate(iso: "2026-07-03")!

    static func filing(
        own: Bool = true, scope: DecisionScope = .block("BC02"), published: CalendarDate? = published,
        corrected: Bool = false, pending: Bool = false, grounds: String = "Mon projet n'a pas été lu.",
        today: String, days: Int = 60
    ) -> AppealRules.Filing {
        .init(
            ownDecision: own, scope: scope, publishedOn: published, corrected: corrected, pending: pending,
            grounds: grounds, today: CalendarDate(iso: today)!, deadlineDays: days)
    }

    @Test("the deadline is counted in calendar days from the publication, across months and a leap day")
    func deadline() {
        #expect(AppealRules.deadline(publishedOn: Self.published, days: 60).iso == "2026-09-01")
        #expect(AppealRules.deadline(publishedOn: CalendarDate(iso: "2028-02-28")!, days: 1).iso == "2028-02-29")
        #expect(AppealRules.deadline(publishedOn: CalendarDate(iso: "2026-12-31")!, days: 1).iso == "2027-01-01")
    }

    @Test("filed on the last day it is receivable; the day after it is refused with the date")
    func withinAndAfter() {
        #expect(AppealRules.filingProblems(Self.filing(today: "2026-09-01")).isEmpty)
        let late = AppealRules.filingProblems(Self.filing(today: "2026-09-02"))
        #expect(late == [.deadlinePassed(CalendarDate(iso: "2026-09-01")!)])
        #expect(
            late.first?.description == "Le délai de recours a expiré le 01/09/2026 : un recours n'est plus recevable.")
        #expect(late.first?.field == .decision)
        // A shorter deadline from the settings.
        #expect(!AppealRules.filingProblems(Self.filing(today: "2026-07-20", days: 10)).isEmpty)
    }

    @Test("another candidate's decision, an open deliberation, a requirement, a corrected or pending one are refused")
    func refusals() {
        #expect(AppealRules.filingProblems(Self.filing(own: false, today: "2026-07-10")) == [.notYourDecision])
        #expect(AppealRules.filingProblems(Self.filing(published: nil, today: "2026-07-10")) == [.notPublished])
        #expect(
            AppealRules.filingProblems(Self.filing(scope: .requirement("E1"), today: "2026-07-10"))
                == [.scopeNotAppealable])
        #expect(AppealRules.filingProblems(Self.filing(corrected: true, today: "2026-07-10")) == [.decisionCorrected])
        #expect(AppealRules.filingProblems(Self.filing(pending: true, today: "2026-07-10")) == [.alreadyPending])
        #expect(AppealRules.filingProblems(Self.filing(grounds: "  \n", today: "2026-07-10")) == [.groundsMissing])
        let long = String(repeating: "x", count: AppealRules.textLimit + 1)
        #expect(
            AppealRules.filingProblems(Self.filing(grounds: long, today: "2026-07-10"))
                == [.groundsTooLong(AppealRules.textLimit + 1)])
        // Both fields at once.
        #expect(
            AppealRules.filingProblems(Self.filing(own: false, grounds: "", today: "2026-07-10")).map(\.field)
                == [.decision, .grounds])
    }

    @Test("steps: filed → in review → upheld or rejected; an answer is final and needs its reasons")
    func transitions() {
        func problems(
            _ from: AppealStatus, _ to: AppealStatus?, answer: String = "Motifs", outcome: DecisionOutcome? = nil
        )
            -> [AppealProblem]
        {
            AppealRules.reviewProblems(from: from, to: to, answer: answer, current: .notValidated, newOutcome: outcome)
        }
        #expect(problems(.filed, .inReview, answer: "").isEmpty)
        #expect(problems(.filed, .rejected).isEmpty)
        #expect(problems(.inReview, .upheld, outcome: .validated).isEmpty)
        #expect(problems(.inReview, .inReview) == [.transition(from: .inReview, to: .inReview)])
        #expect(problems(.filed, .filed) == [.transition(from: .filed, to: .filed)])
        #expect(problems(.filed, nil) == [.transition(from: .filed, to: nil)])
        for answered in [AppealStatus.upheld, .rejected] {
            for to in AppealStatus.allCases {
                #expect(problems(answered, to, outcome: .validated) == [.transition(from: answered, to: to)])
            }
        }
        #expect(problems(.upheld, .rejected).first?.description.contains("définitive") == true)
        #expect(problems(.filed, .rejected, answer: " ") == [.answerMissing])
        #expect(problems(.filed, .upheld) == [.outcomeMissing])
        #expect(problems(.filed, .upheld, outcome: .notValidated) == [.sameOutcome(.notValidated)])
        #expect(problems(.filed, .upheld, answer: "", outcome: .validated) == [.answerMissing])
    }

    @Test("the candidate files and reads their own; the certifier or the jury's president reviews; nobody else")
    func access() {
        let appeal = Resource.appeal(candidate: "C1", school: "S1", presidents: ["P1"])
        let candidate = Actor(user: "u5", role: .candidate, candidate: "C1")
        let other = Actor(user: "u6", role: .candidate, candidate: "C2")
        let manager = Actor(user: "u1", role: .certificationManager)
        let president = Actor(user: "P1", role: .juryMember, juries: ["J1"])
        let member = Actor(user: "M1", role: .juryMember, juries: ["J1"])
        let coordinator = Actor(user: "u2", role: .schoolCoordinator, school: "S1")
        let evaluator = Actor(user: "u3", role: .evaluator)
        #expect(Authorization.allows(candidate, .create, appeal))
        #expect(Authorization.allows(candidate, .view, appeal))
        #expect(!Authorization.allows(candidate, .decide, appeal))
        #expect(!Authorization.allows(other, .create, appeal))
        #expect(!Authorization.allows(other, .view, appeal))
        #expect(Authorization.allows(manager, .decide, appeal))
        #expect(Authorization.allows(manager, .view, appeal))
        #expect(!Authorization.allows(manager, .create, appeal))
        #expect(Authorization.allows(president, .decide, appeal))
        #expect(!Authorization.allows(president, .create, appeal))
        #expect(!Authorization.allows(member, .decide, appeal))
        #expect(!Authorization.allows(member, .view, appeal))
        #expect(!Authorization.allows(coordinator, .view, appeal))
        #expect(!Authorization.allows(evaluator, .view, appeal))
        #expect(Authorization.allows(manager, .view, .appeals))
        #expect(Authorization.allows(member, .view, .appeals))
        #expect(!Authorization.allows(coordinator, .view, .appeals))
        #expect(!Authorization.allows(candidate, .view, .appeals))
        #expect(
            Authorization.permission(member, .decide, appeal)
                == .denied("seul le président du jury qui a rendu la décision examine ce recours"))
    }
}
