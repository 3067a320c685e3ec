import Foundation
import Testing

@testable import ValidaCore

@Suite("Partner authorisations: coverage of cohorts and sessions, the 60-day warning")
struct PartnerAuthorizationTests {
    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    static func authorization(
        _ id: String, school: String = "S", version: String = "V", _ scope: PartnerAuthorization.Scope,
        _ from: String, _ to: String
    ) -> PartnerAuthorization {
        PartnerAuthorization(
            id: id, school: school, version: version, scope: scope, startsOn: day(from), endsOn: day(to))
    }

    @Test("days are added across months, leap days and years")
    func adding() {
        #expect(Self.day("2028-02-28").adding(days: 1) == Self.day("2028-02-29"))
        #expect(Self.day("2027-02-28").adding(days: 1) == Self.day("2027-03-01"))
        #expect(Self.day("2026-12-31").adding(days: 1) == Self.day("2027-01-01"))
        #expect(Self.day("2026-12-01").adding(days: 60) == Self.day("2027-01-30"))
        #expect(Self.day("2027-01-01").adding(days: -1) == Self.day("2026-12-31"))
        #expect(Self.day("2026-12-01").days(to: Self.day("2027-01-30")) == 60)
        #expect(Self.day("2027-01-30").days(to: Self.day("2026-12-01")) == -60)
    }

    @Test("a cohort is covered inside one authorisation, or across a renewal, and not across a gap")
    func cohortCoverage() {
        let first = Self.authorization("a", .wholeCertification, "2024-09-01", "2027-08-31")
        let renewal = Self.authorization("b", .blocks(["BC01"]), "2027-09-01", "2030-08-31")
        let all = [first, renewal]
        func gap(_ from: String, _ to: String, school: String = "S", version: String = "V") -> CalendarDate? {
            AuthorizationCoverage.firstUncoveredDay(
                all, school: school, version: version, need: .anyPart, from: Self.day(from), to: Self.day(to))
        }
        #expect(gap("2025-09-01", "2026-06-30") == nil)
        #expect(gap("2024-09-01", "2027-08-31") == nil, "both ends are included")
        #expect(gap("2026-09-01", "2028-06-30") == nil, "the renewal takes over the next day")
        #expect(gap("2024-08-31", "2025-06-30") == Self.day("2024-08-31"))
        #expect(gap("2029-09-01", "2030-09-15") == Self.day("2030-09-01"))
        #expect(gap("2025-09-01", "2026-06-30", school: "T") == Self.day("2025-09-01"), "another school's")
        #expect(gap("2025-09-01", "2026-06-30", version: "W") == Self.day("2025-09-01"), "another version's")
        let holed = [first, Self.authorization("c", .wholeCertification, "2027-09-02", "2030-08-31")]
        #expect(
            AuthorizationCoverage.firstUncoveredDay(
                holed, school: "S", version: "V", need: .anyPart, from: Self.day("2027-06-01"),
                to: Self.day("2027-12-31")) == Self.day("2027-09-01"))
    }

    @Test("a session needs its block, a transversal assessment the whole certification")
    func sessionCoverage() {
        let blocks = Self.authorization("a", .blocks(["BC01", "BC03"]), "2026-01-01", "2026-12-31")
        func covered(_ need: PartnerAuthorization.Need, _ auths: [PartnerAuthorization] = [blocks]) -> Bool {
            AuthorizationCoverage.isCovered(auths, school: "S", version: "V", need: need, on: Self.day("2026-06-15"))
        }
        #expect(covered(.block("BC01")))
        #expect(!covered(.block("BC02")))
        #expect(!covered(.wholeCertification))
        #expect(covered(.anyPart))
        let whole = Self.authorization("w", .wholeCertification, "2026-01-01", "2026-12-31")
        #expect(covered(.block("BC02"), [whole]) && covered(.wholeCertification, [whole]))
        let referential = ReferentialCheckTests.clean()
        let e1 = referential.assessment("E1")!
        #expect(PartnerAuthorization.needs(of: e1, in: referential) == [.block("BC01")])
        let thesis = Assessment(id: "TP", title: "Mémoire", kind: .caseStudy, transversal: true, required: true)
        #expect(PartnerAuthorization.needs(of: thesis, in: referential) == [.wholeCertification])
        let gap = AuthorizationCoverage.gap(
            [blocks], school: "S", version: "V", needs: [.block("BC01"), .block("BC02")],
            from: Self.day("2026-03-01"), to: Self.day("2026-03-02"))
        #expect(gap?.need == .block("BC02") && gap?.day == Self.day("2026-03-01"))
    }

    @Test("the warning lists what ends within 60 days and is not renewed, soonest first")
    func endingSoon() {
        let today = Self.day("2026-12-01")
        let auths = [
            Self.authorization("in60", .wholeCertification, "2024-01-01", "2027-01-30"),
            Self.authorization("in61", school: "Q", .wholeCertification, "2024-01-01", "2027-01-31"),
            Self.authorization("today", school: "T", .blocks(["BC01"]), "2024-01-01", "2026-12-01"),
            Self.authorization("past", school: "U", .wholeCertification, "2024-01-01", "2026-11-30"),
            // Renewed for BC01 only: BC02 still lapses, so it is listed.
            Self.authorization("partly", school: "P", .blocks(["BC01", "BC02"]), "2024-01-01", "2026-12-20"),
            Self.authorization("next", school: "P", .blocks(["BC01"]), "2026-12-21", "2029-12-20"),
            // Renewed whole: not listed.
            Self.authorization("renewed", school: "R", .blocks(["BC01"]), "2024-01-01", "2026-12-10"),
            Self.authorization("after", school: "R", .wholeCertification, "2026-12-11", "2029-12-10"),
        ]
        let ending = AuthorizationCoverage.endingSoon(auths, today: today).map(\.id)
        #expect(ending == ["today", "partly", "in60"])
    }

    @Test("the refusal names the school, the version, the block, the period and what is authorised")
    func refusal() {
        let text = AuthorizationCoverage.refusal(
            school: "École du Port", version: "2024", need: .block("BC02"), blockTitle: "Piloter",
            from: Self.day("2026-09-01"), to: Self.day("2027-06-30"), uncovered: Self.day("2026-09-01"),
            periods: [Self.authorization("a", .blocks(["BC01", "BC03"]), "2024-09-01", "2027-08-31")])
        #expect(
            text
                == "L'école « École du Port » n'est pas habilitée pour le bloc BC02 « Piloter » de la version « 2024 » du référentiel "
                + "du 01/09/2026 au 30/06/2027 : aucune habilitation ne couvre le 01/09/2026. Ses habilitations pour cette "
                + "version : du 01/09/2024 au 31/08/2027 (blocs BC01, BC03). Le responsable de certification les enregistre "
                + "sur la page de l'école.")
        let none = AuthorizationCoverage.refusal(
            school: "X", version: "2024", need: .anyPart, from: Self.day("2026-09-01"), to: Self.day("2026-09-01"),
            uncovered: Self.day("2026-09-01"), periods: [])
        #expect(none.contains("pour la version « 2024 » du référentiel le 01/09/2026"))
        #expect(none.contains("Elle n'a aucune habilitation pour cette version."))
    }
}
