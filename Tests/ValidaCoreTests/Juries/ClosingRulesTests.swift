import Testing

@testable import ValidaCore

@Suite("Closing a deliberation, decision dates and who sits a resit")
struct ClosingRulesTests {
    typealias F = Fixture

    static let president = JuryMember(id: "p", name: "Paule Présidente", role: .president)
    static let member = JuryMember(id: "m", name: "Marc Membre", role: .member)
    static let decided = [F.decision("d1", .certification, .deferred)]

    @Test("closing is refused with every reason: composition, meeting date, abstentions, undecided")
    func refusals() throws {
        let today = F.date("2026-07-03")
        // Conforming: two members, a president, the meeting day reached, everyone decided.
        try DeliberationRules.checkClosing(
            today: today, meetingDate: today, members: [Self.president, Self.member],
            candidates: [("Ana", Self.decided, [])])

        let empty = DeliberationRules.closingProblems(
            today: today, meetingDate: F.date("2026-07-08"), members: [],
            candidates: [("Ana", Self.decided, []), ("Bruno", [], [])])
        #expect(
            empty == [
                .composition(.tooFewMembers(0)), .composition(.noPresident), .beforeMeeting(F.date("2026-07-08")),
                .undecided(["Bruno"]),
            ])
        #expect(
            DeliberationError.cannotClose(empty).description
                == "le jury compte 0 membre : il en faut au moins deux ; le jury n'a pas de président ; "
                + "le jury se réunit le 08/07/2026 : la délibération ne se clôt pas avant ; sans décision sur la certification : Bruno"
        )

        // One member must abstain for Ana: one member left to judge her.
        let abstention = DeliberationRules.closingProblems(
            today: today, meetingDate: today, members: [Self.president, Self.member],
            candidates: [("Ana", Self.decided, ["m"]), ("Bruno", Self.decided, [])])
        #expect(abstention == [.unresolvedAbstentions(["Ana"])])
        #expect(abstention[0].description == "abstentions non résolues, moins de deux membres peuvent juger : Ana")
        // A third member resolves it.
        let third = JuryMember(id: "t", name: "Tina Tiers", role: .member)
        #expect(
            DeliberationRules.closingProblems(
                today: today, meetingDate: today, members: [Self.president, Self.member, third],
                candidates: [("Ana", Self.decided, ["m"])]
            ).isEmpty)
        // Two presidents break the composition too.
        let two = JuryMember(id: "q", name: "Quentin", role: .president)
        #expect(
            DeliberationRules.closingProblems(
                today: today, meetingDate: today, members: [Self.president, two], candidates: [])
                == [.composition(.severalPresidents(["Paule Présidente", "Quentin"]))])
    }

    @Test("a decision carries the meeting date, or today when recorded before it: never a future date")
    func decisionDate() {
        let meeting = F.date("2026-12-15")
        #expect(
            DeliberationRules.decisionDate(meetingDate: meeting, today: F.date("2026-11-30")) == F.date("2026-11-30"))
        #expect(DeliberationRules.decisionDate(meetingDate: meeting, today: F.date("2026-12-17")) == meeting)
        #expect(DeliberationRules.decisionDate(meetingDate: nil, today: F.date("2026-12-17")) == F.date("2026-12-17"))
        #expect(
            VAEJuryRules.Problem.beforeInterview(meeting).description
                == "l'entretien avec le jury a lieu le 15/12/2026 : ses décisions s'enregistrent à partir de cette date, pas avant"
        )
    }

    @Test("a resit holds those whose latest submitted attempt did not validate, never VAE candidates")
    func resitEligibility() throws {
        let engine = try ResultsEngine(referential: F.referential())
        let failed = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.unmet])
        let passed = F.grid("E1", ["E1-1": F.met, "E1-2": F.met, "E1-3": F.met])
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: F.record([failed])) == .eligible)
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: F.record([passed])) == .passed)
        // Never sat: not a resit. A draft does not count as sitting.
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: F.record([])) == .notSat)
        #expect(
            engine.resitEligibility(
                assessment: "E1", attempt: 2, record: F.record([F.grid("E1", ["E1-1": F.unmet], status: .draft)]))
                == .notSat)
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: F.record([failed], route: .vae)) == .vae)
        // The block held by a decision: nothing to resit.
        let held = F.record([failed], decisions: [F.decision("d1", .block("BC01"), .validated, justification: "Stage")])
        #expect(engine.resitEligibility(assessment: "E1", attempt: 2, record: held) == .passed)
        // Attempt 3 looks at attempt 2, the latest: passed there, nothing more to sit.
        var retried = passed
        retried.attempt = 2
        #expect(engine.resitEligibility(assessment: "E1", attempt: 3, record: F.record([failed, retried])) == .passed)
        // Requirements: the thesis failed at 7/20.
        #expect(
            engine.resitEligibility(assessment: "TP", attempt: 2, record: F.record([F.grid("TP", ["TP-1": F.mark(7)])]))
                == .eligible)
        #expect(
            engine.resitEligibility(
                assessment: "TP", attempt: 2, record: F.record([F.grid("TP", ["TP-1": F.mark(12)])])) == .passed)
        #expect(ResitEligibility.notSat.description == "aucune grille rendue à une session précédente de cette épreuve")
    }
}
