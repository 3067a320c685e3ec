import Foundation
import Testing
import ValidaCore
import ValidaFormats

/// Each broken file yields its problems, each with its French message, path, line and column.
@Suite("Broken référentiel files")
struct BrokenFilesTests {
    static func load(_ name: String) throws -> LoadedReferential {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Fixtures/broken"))
        let loaded = ReferentialYAML.load(contentsOf: url)
        for finding in loaded.findings {
            #expect(finding.location?.file.hasSuffix("broken/\(name).yaml") ?? (finding.code == "unreadable-file"))
        }
        return loaded
    }

    /// The errors of a file, as `line:column path: message` (path left out when empty).
    static func errors(_ loaded: LoadedReferential) -> [String] {
        loaded.findings.filter { $0.severity == .error }.map(describe)
    }

    static func describe(_ f: Finding) -> String {
        let place = f.location.map { "\($0.line):\($0.column)" } ?? "-"
        return f.path.isEmpty ? "\(place) \(f.message)" : "\(place) \(f.path): \(f.message)"
    }

    @Test func yamlSyntaxError() throws {
        let loaded = try Self.load("01-syntax-error")
        #expect(loaded.referential == nil)
        #expect(
            Self.errors(loaded) == [
                "3:21 syntaxe YAML : « : » inattendu ici (un texte contenant « : » doit être entre guillemets, ou l'indentation est fausse)"
            ])
        #expect(loaded.findings.map(\.code) == ["yaml-syntax"])
    }

    @Test func wrongTypes() throws {
        let loaded = try Self.load("02-wrong-type")
        #expect(
            Self.errors(loaded) == [
                "3:10 certification.level: type incorrect : attendu un nombre entier, trouvé « six »",
                "16:17 assessments[0].competencies: type incorrect : attendu une liste, trouvé « C1.1 »",
            ])
        // Reported once: no "level unset" warning, no "assesses no competency" error on top.
        #expect(!loaded.findings.contains { $0.code == "unset-level" || $0.code == "assessment-without-competencies" })
        #expect(loaded.referential?.blocks.first?.id == "BC01")
    }

    @Test func missingRequiredKey() throws {
        let loaded = try Self.load("03-missing-key")
        #expect(
            Self.errors(loaded) == [
                "12:5 blocks[0].competencies[1].id: clé requise « id » absente",
                "13:1 assessments: aucune épreuve",
            ])
        // The item stays in place, with an empty id.
        #expect(loaded.referential?.blocks[0].competencies.map(\.id) == ["C1.1", ""])
        #expect(loaded.referential?.blocks[0].competencies[1].text == "Présenter ses conclusions.")
    }

    @Test func unknownKeyTypo() throws {
        let loaded = try Self.load("04-unknown-key")
        #expect(
            Self.errors(loaded) == [
                "8:3 blocks[0].titel: clé inconnue « titel » : vouliez-vous dire « title » ? (clés attendues : id, code, title, activities, competencies, rule)",
                "12:1 assessments: aucune épreuve",
            ])
        #expect(loaded.findings.first { $0.path == "blocks[0].titel" }?.code == "unknown-key")
    }

    @Test func badEnumValues() throws {
        let loaded = try Self.load("05-bad-enum")
        #expect(
            Self.errors(loaded) == [
                "14:9 assessments[0].kind: valeur « casestudy » inconnue : vouliez-vous dire « case-study » ? (valeurs possibles : professional-situation, case-study, practical-case, thesis, defense, capstone-case, vae-dossier)",
                "16:9 assessments[0].work: valeur « group » inconnue (valeurs possibles : individual, team)",
            ])
        #expect(!loaded.findings.contains { $0.code == "work-mode-unset" })
    }

    @Test func badDates() throws {
        let loaded = try Self.load("06-bad-date")
        #expect(
            Self.errors(loaded) == [
                "3:22 certification.registration-date: date « 2024-02-30 » invalide : attendu AAAA-MM-JJ, par exemple 2025-09-01",
                "6:19 version.effective-date: date « 01/09/2025 » invalide : attendu AAAA-MM-JJ, par exemple 2025-09-01",
                "7:1 blocks: aucun bloc de compétences",
                "8:1 assessments: aucune épreuve",
            ])
        #expect(Set(loaded.findings.filter { $0.severity == .error }.map(\.code)) == ["invalid-date", "missing-field"])
    }

    @Test func duplicateCompetencyID() throws {
        let loaded = try Self.load("07-duplicate-competency")
        #expect(
            Self.errors(loaded) == [
                "16:9 blocks[1].competencies[1].id: identifiant en double « C1.1 » (déjà utilisé par blocks[0].competencies[0].id)",
                "18:1 assessments: aucune épreuve",
            ])
    }

    @Test func unknownCompetencyReferences() throws {
        let loaded = try Self.load("08-unknown-competency")
        #expect(
            Self.errors(loaded) == [
                "17:5 assessments[0].competencies[1]: compétence inconnue « C1.9 »",
                "23:26 assessments[0].criteria[0].competencies[1]: compétence inconnue « C9.9 »",
            ])
        #expect(loaded.findings.filter { $0.severity == .error }.allSatisfy { $0.code == "unknown-competency" })
    }

    @Test func criterionEvidencingNothing() throws {
        let loaded = try Self.load("09-criterion-evidences-nothing")
        #expect(
            Self.errors(loaded) == [
                "22:5 assessments[0].criteria[1].competencies: le critère « E1.1-2 » n'évalue aucune compétence"
            ])
        #expect(loaded.findings.first { $0.severity == .error }?.code == "criterion-evidences-nothing")
    }

    @Test func unknownScaleAndLevel() throws {
        let loaded = try Self.load("10-unknown-scale")
        #expect(
            Self.errors(loaded) == [
                "11:13 scales[0].met-from: « c » n'est pas un niveau de l'échelle (niveaux : a, b)",
                "24:10 assessments[0].scale: échelle « mark-100 » inconnue (échelles connues : five-levels, binary, four-levels, mark-20)",
            ])
    }

    @Test func tabIndentation() throws {
        let loaded = try Self.load("11-tab-indentation")
        #expect(
            Self.errors(loaded) == [
                "3:1 syntaxe YAML : caractère inattendu en début de valeur (une tabulation ? indentez avec des espaces)"
            ])
    }

    @Test func duplicateKeyPointsAtTheSecond() throws {
        let loaded = try Self.load("12-duplicate-key")
        #expect(Self.errors(loaded) == ["5:3 clé « title » en double dans le même dictionnaire"])
        #expect(loaded.findings.map(\.code) == ["duplicate-key"])
    }

    @Test func manyProblemsAllReported() throws {
        let loaded = try Self.load("13-many-problems")
        #expect(
            Self.errors(loaded) == [
                "3:14 certification.rncp-code: code RNCP « RNCP12A » mal formé : attendu « RNCP » suivi de 1 à 6 chiffres, par exemple RNCP38576",
                "4:10 certification.level: niveau 9 hors de l'intervalle 1 à 8",
                "16:7 blocks[1].id: identifiant en double « BC01 » (déjà utilisé par blocks[0].id)",
                "20:11 blocks[1].competencies[0].text: champ requis « text » vide",
                "25:13 assessments[0].required: « required: true » n'a de sens que pour une épreuve transversale (thèse, soutenance…)",
                "28:14 assessments[0].team-size: « team-size » demande « work: team », or l'épreuve est individuelle",
                "34:20 assessments[0].criteria[0].competencies[0]: le critère évalue « C1.3 », que l'épreuve « E1.1 » n'évalue pas (compétences de l'épreuve : C1.1)",
                "35:9 assessments[0].criteria[1].id: identifiant en double « E1.1-1 » (déjà utilisé par assessments[0].criteria[0].id)",
            ])
        let gap = try #require(loaded.findings.first { $0.code == "numbering-gap" })
        #expect(
            Self.describe(gap)
                == "14:9 blocks[0].competencies[1].id: numérotation interrompue : C1.2 absent entre C1.1 et C1.3")
        #expect(gap.severity == .warning)
    }

    @Test func topLevelNotAMapping() throws {
        let loaded = try Self.load("14-not-a-mapping")
        #expect(loaded.referential == nil)
        #expect(Self.errors(loaded) == ["1:1 type incorrect : attendu un dictionnaire (clé: valeur), trouvé une liste"])
    }

    @Test func notUTF8() throws {
        let loaded = try Self.load("15-not-utf8")
        #expect(loaded.referential == nil)
        #expect(Self.errors(loaded) == ["3:13 le fichier n'est pas en UTF-8 (enregistrez-le en UTF-8)"])
    }

    @Test func impossibleRules() throws {
        let loaded = try Self.load("16-rules")
        #expect(
            Self.errors(loaded) == [
                "16:5 blocks[0].competencies[1]: la règle « at-least 3 » (rules.competency) demande 3 critères satisfaits, mais un seul critère évalue « C1.2 »",
                "24:10 assessments[0].scale: la règle « mean-mark » de C1.1 demande une échelle de notes, or l'échelle « binary » de l'épreuve « E1.1 » n'en est pas une",
            ])
    }

    @Test func findingsAreSortedByPosition() throws {
        for name in ["02-wrong-type", "13-many-problems", "16-rules"] {
            let lines = try Self.load(name).findings.compactMap { $0.location.map { [$0.line, $0.column] } }
            #expect(lines == lines.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }
}
