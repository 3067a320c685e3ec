import Foundation
import Testing

@testable import ValidaCore

@Suite("Insertion surveys: due dates, reminders, answers, figures")
struct InsertionSurveyRulesTests {
    func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    @Test("a wave is due its months after the deliberation, on the month's last day when the day is missing")
    func dueDates() {
        #expect(SurveyRules.dueDate(deliberation: day("2026-07-03"), wave: .sixMonths) == day("2027-01-03"))
        #expect(SurveyRules.dueDate(deliberation: day("2026-07-03"), wave: .twoYears) == day("2028-07-03"))
        #expect(SurveyRules.dueDate(deliberation: day("2026-08-31"), wave: .sixMonths) == day("2027-02-28"))
        #expect(SurveyRules.dueDate(deliberation: day("2027-08-31"), wave: .sixMonths) == day("2028-02-29"))
        #expect(SurveyRules.dueDate(deliberation: day("2026-12-15"), wave: .sixMonths) == day("2027-06-15"))
        #expect(!SurveyRules.isDue(deliberation: day("2026-07-03"), wave: .sixMonths, today: day("2027-01-02")))
        #expect(SurveyRules.isDue(deliberation: day("2026-07-03"), wave: .sixMonths, today: day("2027-01-03")))
        #expect(!SurveyRules.isDue(deliberation: day("2026-07-03"), wave: .twoYears, today: day("2027-01-03")))
    }

    @Test("reminders after 14 and 28 days, one at a time, never after an answer or the closing")
    func reminders() {
        let sent = Date(timeIntervalSince1970: 1_800_000_000)
        func at(_ days: Double) -> Date { sent.addingTimeInterval(days * 86_400) }
        #expect(!SurveyRules.reminderDue(state: .sent, sentAt: sent, remindersSent: 0, now: at(13.9)))
        #expect(SurveyRules.reminderDue(state: .sent, sentAt: sent, remindersSent: 0, now: at(14)))
        #expect(!SurveyRules.reminderDue(state: .reminded, sentAt: sent, remindersSent: 1, now: at(20)))
        #expect(SurveyRules.reminderDue(state: .reminded, sentAt: sent, remindersSent: 1, now: at(28)))
        #expect(!SurveyRules.reminderDue(state: .reminded, sentAt: sent, remindersSent: 2, now: at(400)))
        #expect(!SurveyRules.reminderDue(state: .answered, sentAt: sent, remindersSent: 0, now: at(30)))
        #expect(!SurveyRules.reminderDue(state: .closed, sentAt: sent, remindersSent: 0, now: at(30)))
        #expect(!SurveyRules.reminderDue(state: .toSend, sentAt: nil, remindersSent: 0, now: at(30)))
        #expect(SurveyRules.isEditable(.answered) && !SurveyRules.isEditable(.closed))
    }

    @Test("answers: each missing or wrong field named in French; without a job the job's fields are dropped")
    func answers() {
        guard case .failure(let none) = SurveyRules.answers([:]) else {
            Issue.record("an empty form is refused")
            return
        }
        #expect(none[.employed]?.contains("oui ou par non") == true)

        guard
            case .failure(let errors) = SurveyRules.answers([
                .employed: "oui", .contract: "cdi-cadre", .inField: "peut-être",
            ])
        else {
            Issue.record("a job without its fields is refused")
            return
        }
        #expect(errors.fields == [.jobTitle, .inField, .contract, .salary])
        #expect(errors[.contract] == "Type de contrat : « cdi-cadre » n'est pas dans la liste.")
        #expect(errors[.inField]?.contains("« peut-être »") == true)

        let long = String(repeating: "a", count: SurveyRules.jobTitleMaximum + 1)
        guard case .failure(let tooLong) = SurveyRules.answers([.employed: "oui", .jobTitle: long]) else {
            Issue.record("a title too long is refused")
            return
        }
        #expect(tooLong[.jobTitle]?.contains("\(SurveyRules.jobTitleMaximum) caractères au plus") == true)

        let hostile = "\"><iframe src=file:///etc/passwd>"
        #expect(
            SurveyRules.answers([
                .employed: "oui", .jobTitle: "  \(hostile) ", .inField: "non", .contract: "alternance",
                .salary: "non-communique",
            ])
                == .success(
                    SurveyAnswers(
                        employed: true, jobTitle: hostile, inField: false, contract: .workStudy, salary: .undisclosed))
        )
        #expect(
            SurveyRules.answers([.employed: "non", .jobTitle: "Vendeur", .contract: "cdi"])
                == .success(SurveyAnswers(employed: false)))
    }

    @Test("figures per wave and year against counts written by hand")
    func figures() {
        func record(
            _ wave: SurveyWave, _ year: Int, _ state: SurveyState, sent: Bool = true, reminders: Int = 0,
            _ answers: SurveyAnswers? = nil
        ) -> InsertionSurveyFigures.Record {
            .init(
                wave: wave, cohortYear: year, school: "A", state: state, wasSent: sent, remindersSent: reminders,
                answers: answers)
        }
        let records = [
            record(.sixMonths, 2026, .toSend, sent: false),
            record(.sixMonths, 2026, .sent),
            record(.sixMonths, 2026, .reminded, reminders: 2),
            record(
                .sixMonths, 2026, .answered, reminders: 1,
                SurveyAnswers(
                    employed: true, jobTitle: "Chargée", inField: true, contract: .permanent, salary: .from2000)),
            record(
                .sixMonths, 2026, .closed,
                SurveyAnswers(
                    employed: true, jobTitle: "Vendeur", inField: false, contract: .fixedTerm, salary: .from2000)),
            record(.sixMonths, 2026, .answered, SurveyAnswers(employed: false)),
            record(.twoYears, 2025, .sent),
            record(.sixMonths, 2025, .answered, SurveyAnswers(employed: false)),
        ]
        let groups = InsertionSurveyFigures.byGroup(records)
        #expect(
            groups.map(\.0) == [
                .init(wave: .sixMonths, cohortYear: 2026), .init(wave: .sixMonths, cohortYear: 2025),
                .init(wave: .twoYears, cohortYear: 2025),
            ])
        let f = groups[0].1
        #expect((f.due, f.sent, f.reminded, f.answered, f.closed) == (6, 5, 2, 3, 1))
        #expect(f.responseRate == .init(3, of: 5))
        #expect(f.responseRate.percent == 60)
        #expect(f.employedRate == .init(2, of: 3))
        #expect(f.inFieldRate == .init(1, of: 2))
        #expect(f.inFieldRate.percent == 50)
        #expect(f.byContract == [.permanent: 1, .fixedTerm: 1])
        #expect(f.bySalary == [.from2000: 2])
        #expect(groups[2].1.responseRate.percent == 0)
        #expect(InsertionSurveyFigures().responseRate.percent == nil)
    }
}
