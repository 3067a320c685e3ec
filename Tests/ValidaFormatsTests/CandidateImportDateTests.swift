import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

@Suite("Candidate import: birth dates say what is wrong")
struct CandidateImportDateTests {
    func values(_ birthDate: String) -> [CandidateImport.Column: String] {
        [
            .birthName: "Martin", .firstNames: "Léa", .birthDate: birthDate, .birthPlace: "Lyon", .sex: "F",
            .email: "lea@example.fr", .accessRoute: "Apprentissage",
        ]
    }

    @Test("a birth date in the future is refused, today is not")
    func future() {
        let today = CalendarDate(year: 2026, month: 11, day: 30)!
        let (refused, problems) = CandidateImport.validate(values("01/12/2026"), today: today)
        #expect(refused == nil)
        #expect(problems.map(\.1) == ["le 01/12/2026 est dans le futur : une date de naissance est passée"])
        let (accepted, none) = CandidateImport.validate(values("30/11/2026"), today: today)
        #expect(none.isEmpty && accepted?.birthDate == today)
    }

    @Test("a spreadsheet line born next year is reported with its line and column")
    func futureInFile() {
        let next = DateInput.today.year + 1
        let file = Data(
            (CandidateImportTests.header + "\r\nMartin;;Léa;03/02/\(next);Lyon;69123;F;lea@example.fr;Apprentissage\r\n")
                .utf8)
        let result = CandidateImport(data: file)
        #expect(result.lines.isEmpty)
        #expect(
            result.errors.map(\.description) == [
                "ligne 2, colonne « Date de naissance » : le 03/02/\(next) est dans le futur : une date de naissance est passée"
            ])
    }

    @Test("a day the calendar does not have is not called a format error")
    func nonexistent() {
        let (_, problems) = CandidateImport.validate(values("31/02/2001"))
        #expect(problems.map(\.1) == ["la date « 31/02/2001 » n'existe pas : février 2001 n'a que 28 jours"])
        let (_, shape) = CandidateImport.validate(values("le 3 février"))
        #expect(shape.map(\.1) == ["« le 3 février » n'est pas une date : attendu JJ/MM/AAAA"])
    }
}
