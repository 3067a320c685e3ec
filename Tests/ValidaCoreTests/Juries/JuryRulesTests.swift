import Testing

@testable import ValidaCore

@Suite("Jury composition and deliberation rules")
struct JuryRulesTests {
    typealias F = Fixture

    static let president = JuryMember(id: "m1", name: "Jeanne Roux", role: .president, qualities: [.qualified])
    static let member = JuryMember(id: "m2", name: "Paul Durand", role: .member, qualities: [.professional])

    @Test("a jury needs two members and one president")
    func composition() {
        #expect(JuryComposition.check([Self.president, Self.member], kind: .deliberation).isEmpty)
        #expect(JuryComposition.check([Self.president], kind: .deliberation) == [.tooFewMembers(1)])
        #expect(JuryComposition.check([Self.member], kind: .deliberation) == [.tooFewMembers(1), .noPresident])
        var second = Self.member
        second.role = .president
        #expect(
            JuryComposition.check([Self.president, second], kind: .deliberation)
                == [.severalPresidents(["Jeanne Roux", "Paul Durand"])])
        #expect(JuryFinding.tooFewMembers(1).description == "le jury compte 1 membre : il en faut au moins deux")
    }

    @Test("a VAE jury needs a qualified member and balanced representation")
    func vaeComposition() {
        var employer = Self.member
        employer.qualities = [.employerRepresentative]
        var employee = JuryMember(id: "m3", name: "Léa Petit", role: .member, qualities: [.employeeRepresentative])
        #expect(JuryComposition.check([Self.president, employer, employee], kind: .vae).isEmpty)
        #expect(
            JuryComposition.check([Self.president, employer], kind: .vae)
                == [.unbalancedRepresentation(employers: 1, employees: 0)])
        var unqualified = Self.president
        unqualified.qualities = []
        employee.qualities.insert(.employeeRepresentative)
        #expect(JuryComposition.check([unqualified, employer, employee], kind: .vae) == [.noQualifiedMember])
    }

    @Test("who must abstain, and whether enough members remain")
    func abstentions() {
        let members = [Self.president, Self.member]
        let abstaining = JuryComposition.abstentions(members, involvement: ["m2": [.trained, .rated]])
        #expect(abstaining.count == 1)
        #expect(abstaining[0].member.id == "m2")
        #expect(abstaining[0].reasons == [.rated, .trained])
        #expect(!JuryComposition.canJudge(members, abstaining: ["m2"]))
        #expect(JuryComposition.canJudge(members, abstaining: []))
    }

    @Test("an open deliberation takes decisions, not corrections")
    func openDeliberation() throws {
        let decision = F.decision("d1", .block("BC01"), .validated)
        try DeliberationRules.check(decision, status: .open, existing: [])
        let correction = F.decision("d2", .block("BC01"), .notValidated, justification: "Erreur", corrects: "d1")
        #expect(throws: DeliberationError.correctionWhileOpen) {
            try DeliberationRules.check(correction, status: .open, existing: [decision])
        }
    }

    @Test("a closed deliberation is frozen: only corrections, each of the latest decision")
    func closedDeliberation() throws {
        let decision = F.decision("d1", .block("BC01"), .validated)
        #expect(throws: DeliberationError.closed) {
            try DeliberationRules.check(
                F.decision("d9", .block("BC02"), .validated), status: .closed, existing: [decision])
        }
        let correction = F.decision(
            "d2", .block("BC01"), .notValidated, justification: "Erreur de saisie", corrects: "d1")
        try DeliberationRules.check(correction, status: .closed, existing: [decision])
        let again = F.decision("d3", .block("BC01"), .validated, justification: "Encore", corrects: "d1")
        #expect(throws: DeliberationError.alreadyCorrected("d1")) {
            try DeliberationRules.check(again, status: .closed, existing: [decision, correction])
        }
        // The chain goes on from the latest: d3 corrects d2.
        try DeliberationRules.check(
            F.decision("d3", .block("BC01"), .validated, justification: "Pièce retrouvée", corrects: "d2"),
            status: .closed, existing: [decision, correction])
        #expect(DeliberationRules.standing([decision, correction]).map(\.id) == ["d2"])
    }

    @Test("closing needs a certification decision for every candidate")
    func closing() throws {
        let decided = [F.decision("d1", .certification, .deferred)]
        try DeliberationRules.checkClosing(candidates: [("Ana", decided)])
        #expect(throws: DeliberationError.undecided(["Bruno"])) {
            try DeliberationRules.checkClosing(candidates: [
                ("Ana", decided), ("Bruno", [F.decision("d2", .block("BC01"), .validated)]),
            ])
        }
    }
}
