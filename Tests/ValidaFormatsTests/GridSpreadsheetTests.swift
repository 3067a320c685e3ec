import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

@Suite("Grids as spreadsheets")
struct GridSpreadsheetTests {
    static let assessment = Assessment(
        id: "E1", title: "Étude de cas", kind: .caseStudy, competencies: ["C1"], work: .individual, scale: "binary",
        criteria: [
            Criterion(id: "E1-1", text: "L'analyse est complète.", competencies: ["C1"]),
            Criterion(id: "E1-2", text: "La présentation est claire; nette.", competencies: ["C1"]),
        ])

    static func sheet(_ lines: [String]) -> Data {
        let header =
            "Grille;Candidat ou équipe;Révision;"
            + "E1-1 — L'analyse est complète. [Non acquis | Acquis];\"E1-2 — La présentation est claire; nette. [Non acquis | Acquis]\";Remettre"
        return Data(([header] + lines).joined(separator: "\r\n").utf8)
    }

    @Test("the download lists the scale's levels and reads back as it was written")
    func roundTrip() throws {
        let data = GridSpreadsheet.write(
            assessment: Self.assessment, scale: .binary,
            rows: [
                .init(grid: "g1", subject: "Léa Martin", revision: 2, values: ["E1-1": .level(1)]),
                .init(grid: "g2", subject: "Équipe A", revision: 0, values: [:]),
            ])
        let text = String(decoding: data, as: UTF8.self)
        #expect(
            text.hasPrefix(
                "\u{FEFF}Grille;Candidat ou équipe;Révision;E1-1 — L'analyse est complète. [Non acquis | Acquis];"))
        #expect(text.contains("g1;Léa Martin;2;Acquis;;;;non\r\n"))
        let lines = try GridSpreadsheet.read(data, assessment: Self.assessment, scale: .binary).get()
        #expect(lines.count == 2)
        #expect(lines[0].values["E1-1"] == .some(.level(1)))
        #expect(lines[0].values["E1-2"] == .some(nil))
        #expect(lines[0].revision == 2)
        #expect(lines[0].line == 2)
    }

    @Test("levels are read whatever the case and accents; oui hands in")
    func lenient() throws {
        let lines = try GridSpreadsheet.read(
            Self.sheet(["g1;Léa;0;ACQUIS;non acquis;oui"]), assessment: Self.assessment, scale: .binary
        ).get()
        #expect(lines[0].values == ["E1-1": .level(1), "E1-2": .level(0)])
        #expect(lines[0].submit)
    }

    @Test("a bad level on line 7 fails the whole file and says line 7")
    func badLevel() {
        var rows = (1...5).map { "g\($0);Candidat \($0);0;Acquis;Acquis;non" }
        rows.append("g6;Candidat 6;0;Peut-être;Acquis;non")
        let result = GridSpreadsheet.read(Self.sheet(rows), assessment: Self.assessment, scale: .binary)
        guard case .failure(let refusal) = result else {
            Issue.record("expected errors")
            return
        }
        #expect(
            refusal.errors.map(\.description) == [
                "ligne 7, colonne « E1-1 » : « Peut-être » n'est pas un niveau de l'échelle (Non acquis, Acquis)"
            ])
    }

    @Test(
        "every problem is reported with its line and column",
        arguments: [
            ("g1;x;zéro;Acquis;Acquis;non", "ligne 2, colonne « Révision » : « zéro » n'est pas un numéro de révision"),
            (
                "g1;x;0;Acquis;;oui",
                "ligne 2, colonne « E1-2 » : non noté : une grille remise doit noter chaque critère"
            ),
            ("g1;x;0;Acquis;Acquis;peut-être", "ligne 2, colonne « Remettre » : « peut-être » : écrivez oui ou non"),
            (";x;0;Acquis;Acquis;non", "ligne 2, colonne « Grille » : identifiant de grille vide"),
        ])
    func errors(line: String, message: String) {
        let result = GridSpreadsheet.read(Self.sheet([line]), assessment: Self.assessment, scale: .binary)
        guard case .failure(let refusal) = result else {
            Issue.record("expected errors")
            return
        }
        #expect(refusal.errors.map(\.description) == [message])
    }

    @Test("marks take a decimal comma and stay within the scale")
    func marks() throws {
        let thesis = Assessment(
            id: "TP", title: "Thèse", kind: .thesis, work: .individual, scale: "mark-20",
            criteria: [Criterion(id: "TP-1", text: "Rigueur")])
        let header = "Grille;Candidat ou équipe;Révision;TP-1 — Rigueur [note de 0 à 20];Remettre"
        let good = Data([header, "g1;x;0;12,5;oui"].joined(separator: "\n").utf8)
        #expect(
            try GridSpreadsheet.read(good, assessment: thesis, scale: .mark20).get()[0].values["TP-1"]
                == .some(.mark(12.5)))
        let bad = Data([header, "g1;x;0;21;oui"].joined(separator: "\n").utf8)
        guard case .failure(let refusal) = GridSpreadsheet.read(bad, assessment: thesis, scale: .mark20) else {
            Issue.record("expected errors")
            return
        }
        #expect(refusal.errors.map(\.description) == ["ligne 2, colonne « TP-1 » : « 21 » : la note va de 0 à 20"])
    }

    @Test("a sheet without a criterion's column is refused before any line")
    func missingColumn() {
        let data = Data("Grille;Candidat ou équipe;Révision;E1-1 — x;Remettre\ng1;x;0;Acquis;non".utf8)
        guard case .failure(let refusal) = GridSpreadsheet.read(data, assessment: Self.assessment, scale: .binary)
        else {
            Issue.record("expected errors")
            return
        }
        #expect(refusal.errors.map(\.description) == ["ligne 1, colonne « E1-2 » : colonne du critère manquante"])
    }
}
