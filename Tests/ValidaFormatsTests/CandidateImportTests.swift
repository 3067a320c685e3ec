import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

@Suite("Candidate import from spreadsheets")
struct CandidateImportTests {
    static let header =
        "Nom de naissance;Nom d'usage;Prénoms;Date de naissance;Lieu de naissance;Code INSEE du lieu de naissance;Sexe;Email;Voie d'accès"

    func data(_ lines: [String], bom: Bool = false) -> Data {
        Data(((bom ? "\u{FEFF}" : "") + lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    @Test("a file as French Excel writes it imports: semicolons, BOM, quoted fields")
    func excelUTF8() throws {
        let file = data(
            [
                Self.header,
                "Martin;;Léa Marie;03/02/2001;Lyon;69123;F;lea.martin@example.fr;Apprentissage",
                "\"Dupont; dit \"\"Jo\"\"\";Durand;Joël;2000-12-31;Saint-Denis (La Réunion);97411;M;JOEL@example.fr;VAE",
            ], bom: true)
        let result = CandidateImport(data: file)
        #expect(result.errors == [])
        #expect(result.encoding == .utf8WithBOM)
        #expect(result.lines.map(\.line) == [2, 3])
        let joel = try #require(result.lines.last?.identity)
        #expect(joel.birthName == "Dupont; dit \"Jo\"")
        #expect(joel.usualName == "Durand")
        #expect(joel.birthDate == CalendarDate(year: 2000, month: 12, day: 31))
        #expect(joel.email == "joel@example.fr")
        #expect(joel.accessRoute == .vae)
        #expect(result.lines.first?.identity.usualName == nil)
    }

    @Test("Windows-1252 files are read as such")
    func windows1252() throws {
        let text =
            "Nom;Prénom;Né le;Lieu de naissance;Sexe;Courriel;Voie d'accès\r\nLefèvre;Hélène;01/01/1990;Besançon;F;h@example.fr;Formation continue\r\n"
        let file = try #require(text.data(using: .windowsCP1252))
        let result = CandidateImport(data: file)
        #expect(result.errors == [])
        #expect(result.encoding == .windows1252)
        #expect(result.lines.first?.identity.birthName == "Lefèvre")
        #expect(result.lines.first?.identity.firstNames == "Hélène")
    }

    @Test("every bad line is reported with its line number and column, and nothing is kept")
    func lineErrors() {
        let file = data([
            Self.header,
            "Martin;;Léa;03/02/2001;Lyon;69123;F;lea@example.fr;Apprentissage",
            "Petit;;Marc;31/02/2001;Paris;75056;M;marc@example.fr;Apprentissage",
            "Roux;;;01/01/2001;Nice;6088;X;pas-un-email;Alternance",
            "Blanc;;Zoé;01/01/2001;Metz;57463;F;LEA@example.fr;VAE",
        ])
        let result = CandidateImport(data: file)
        #expect(result.lines.isEmpty)
        #expect(
            result.errors.map(\.description) == [
                "ligne 3, colonne « Date de naissance » : la date « 31/02/2001 » n'existe pas : février 2001 n'a que 28 jours",
                "ligne 4, colonne « Prénoms » : valeur obligatoire manquante",
                "ligne 4, colonne « Code INSEE du lieu de naissance » : code INSEE invalide « 6088 » : 5 caractères, chiffres (2A ou 2B pour la Corse)",
                "ligne 4, colonne « Sexe » : valeur « X » non reconnue : F ou M",
                "ligne 4, colonne « Email » : adresse invalide « pas-un-email »",
                "ligne 4, colonne « Voie d'accès » : voie d'accès « Alternance » inconnue ; valeurs possibles : Formation initiale, Apprentissage, Contrat de professionnalisation, Formation continue, VAE",
                "ligne 5, colonne « Email » : adresse « LEA@example.fr » déjà utilisée à la ligne 2",
            ])
    }

    @Test("a quoted value spanning lines keeps later line numbers right")
    func multilineField() {
        let file = data([
            Self.header,
            "Martin;;\"Léa\nMarie\";03/02/2001;Lyon;69123;F;lea@example.fr;Apprentissage",
            "Petit;;Marc;bad;Paris;75056;M;marc@example.fr;Apprentissage",
        ])
        #expect(CandidateImport(data: file).errors.map(\.line) == [4])
    }

    @Test(
        "header problems are reported on line 1",
        arguments: [
            ("Nom;Prénoms;Sexe", "ligne 1, colonne « Date de naissance » : colonne obligatoire absente"),
            (
                header + ";Téléphone",
                "ligne 1, colonne « Téléphone » : colonne inconnue ; colonnes attendues : Nom de naissance, Nom d'usage, Prénoms, Date de naissance, Lieu de naissance, Code INSEE du lieu de naissance, Sexe, Email, Voie d'accès"
            ),
            ("", "ligne 1 : le fichier est vide : la première ligne doit nommer les colonnes"),
            (header + "\r\n\"Martin;;Léa", "ligne 2 : un guillemet ouvert n'est jamais fermé"),
        ])
    func headerErrors(text: String, expected: String) {
        #expect(CandidateImport(data: Data(text.utf8)).errors.first?.description == expected)
    }

    @Test("the template is a header Excel opens with the right columns")
    func template() throws {
        let document = try CSVDocument(data: CandidateImport.template())
        #expect(document.encoding == .utf8WithBOM)
        #expect(document.separator == ";")
        #expect(document.header == CandidateImport.Column.allCases.map(\.rawValue))
    }

    @Test("written CSV reads back the same")
    func roundTrip() throws {
        let rows = [["a;b", "say \"hi\"", "two\nlines"], ["", "é", "x"]]
        let document = try CSVDocument(data: CSVDocument.write(header: ["A", "B", "C"], rows: rows))
        #expect(document.rows.map(\.fields) == rows)
        #expect(document.rows.map(\.line) == [2, 4])
    }
}
