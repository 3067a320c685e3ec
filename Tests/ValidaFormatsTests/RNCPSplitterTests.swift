import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

/// The numbering styles the sample does not show, and the doubts the splitter reports.
@Suite("RNCP import: splitting LISTE_COMPETENCES")
struct RNCPSplitterTests {
    typealias S = CompetencyListSplitter

    static func items(_ text: String) -> [String] {
        S.split(text).items.map { ($0.label.map { "\($0)|" } ?? "") + $0.text }
    }

    @Test("C1.1 numbers separated by line breaks, an item broken over two lines")
    func lineBreaks() {
        #expect(
            Self.items("C1.1 Analyser un marché\r\nC1.2 Présenter ses conclusions\n  à la direction\nC1.3 Décider")
                == ["C1.1|Analyser un marché", "C1.2|Présenter ses conclusions à la direction", "C1.3|Décider"])
    }

    @Test("C1 - dashes after the number, and C12) parentheses")
    func dashAfterNumber() {
        #expect(
            Self.items("C1 - Analyser    C2 – Présenter    C12) Décider")
                == ["C1|Analyser", "C2|Présenter", "C12|Décider"])
    }

    @Test("bare numbers with their punctuation")
    func bareNumbers() {
        #expect(
            Self.items("1. Analyser le besoin   2) Rédiger   3 - Livrer") == [
                "1|Analyser le besoin", "2|Rédiger", "3|Livrer",
            ])
        // A number without punctuation is text, not numbering.
        #expect(Self.items("Organiser 12 mois de suivi") == ["Organiser 12 mois de suivi"])
    }

    @Test("a number after a full stop and a single space starts an item")
    func inlineNumbers() {
        #expect(
            Self.items("A1C1. Evaluer le contexte. A1C2. Apprécier les choix ; A1C3 Anticiper")
                == ["A1C1|Evaluer le contexte.", "A1C2|Apprécier les choix ;", "A1C3|Anticiper"])
        // A number inside a sentence is a reference, not an item.
        #expect(
            Self.items("A4C8. Traiter les compétences A4C1 à A4C7 ensemble")
                == ["A4C8|Traiter les compétences A4C1 à A4C7 ensemble"])
    }

    @Test("bullets of several kinds, a number after the bullet kept as the id")
    func bullets() {
        #expect(Self.items("• Analyser    ● Rédiger    ▪ Livrer") == ["Analyser", "Rédiger", "Livrer"])
        #expect(Self.items("- C1.1 Analyser  - C1.2 Rédiger") == ["C1.1|Analyser", "C1.2|Rédiger"])
    }

    @Test("unmarked sentences: a lower-case start or an article before the break joins")
    func sentences() {
        let result = S.split(
            "Accueillir le client en gérant    son attente.    Conseiller le client sur les    Produits vétérinaires.    Vendre."
        )
        #expect(
            result.items.map(\.text) == [
                "Accueillir le client en gérant son attente.", "Conseiller le client sur les Produits vétérinaires.",
                "Vendre.",
            ])
        #expect(result.doubts.map(\.kind) == [.brokenSentence])
        #expect(result.doubts[0].text == "Produits vétérinaires.")
    }

    @Test("doubts: unnumbered first item, unmarked continuation, several sentences, no separator, empty")
    func doubts() {
        let unnumbered = S.split("Analyser le marché    C1.2 Présenter")
        #expect(unnumbered.items.map(\.label) == [nil, "C1.2"])
        #expect(unnumbered.doubts.map(\.kind) == [.unmarkedItem])

        let continuation = S.split("- Analyser le marché.    Présenter les résultats.    - Décider")
        #expect(continuation.items.map(\.text) == ["Analyser le marché. Présenter les résultats.", "Décider"])
        #expect(continuation.doubts.map(\.kind) == [.unmarkedContinuation, .severalSentences])

        let long = String(repeating: "analyser le marché et présenter les résultats, ", count: 8) + "décider"
        #expect(S.split("Réaliser : " + long).doubts.map(\.kind) == [.noSeparator])

        #expect(S.split("   \n ").doubts.map(\.kind) == [.emptyList])
        // Abbreviations do not end a sentence; proper nouns and acronyms are not verbs.
        #expect(
            S.split("- Gérer les stocks (CB, chèque, etc. Autres moyens) auprès de la Direction Financière").doubts
                .isEmpty)
    }

    @Test("a number used twice in the fiche is renamed and reported")
    func renamedIDs() throws {
        let fiche = """
              <FICHE>
                <NUMERO_FICHE>RNCP10010</NUMERO_FICHE>
                <BLOCS_COMPETENCES>
                  <BLOC_COMPETENCES><CODE>RNCP10010BC01</CODE><LIBELLE>Un</LIBELLE>
                    <LISTE_COMPETENCES>C1. Analyser    C2. Rédiger</LISTE_COMPETENCES>
                    <MODALITES_EVALUATION>Cas pratique</MODALITES_EVALUATION></BLOC_COMPETENCES>
                  <BLOC_COMPETENCES><CODE>RNCP10010BC02</CODE><LIBELLE>Deux</LIBELLE>
                    <LISTE_COMPETENCES>C1. Décider</LISTE_COMPETENCES>
                    <MODALITES_EVALUATION>Soutenance orale</MODALITES_EVALUATION></BLOC_COMPETENCES>
                </BLOCS_COMPETENCES>
              </FICHE>

            """
        let result = try RNCPImport.read(from: RNCPReaderTests.export(fiche), fiche: "RNCP10010")
        #expect(result.referential.competencies.map(\.id) == ["C1", "C2", "BC02-C1"])
        let doubt = try #require(result.report.doubts.first)
        #expect(doubt.kind == .renamedID)
        #expect(doubt.block == "RNCP10010BC02")
        #expect(doubt.competency == "BC02-C1")
        let loaded = ReferentialYAML.load(yaml: ReferentialYAML.write(result.referential), file: "r.yaml")
        #expect(loaded.errorCount == 0)
        #expect(result.referential.assessments.map(\.kind) == [.practicalCase, .defense])
    }
}
