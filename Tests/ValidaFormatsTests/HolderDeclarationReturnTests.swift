import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

/// The Caisse des Dépôts' return file, in its XML and CSV forms: each passage's outcome, and
/// every malformed file refused with its file, line and field.
@Suite("Holder declaration: the return file")
struct HolderDeclarationReturnTests {
    static let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <compteRenduTraitement dateTraitement="2026-11-20">
          <passage>
            <idTechnique>c01:d1</idTechnique>
            <statut>ACCEPTE</statut>
          </passage>
          <passage>
            <idTechnique>c02:d1</idTechnique>
            <statut>Rejeté</statut>
            <motif>Aucun titulaire ne correspond aux critères de réconciliation</motif>
          </passage>
        </compteRenduTraitement>
        """

    func read(_ text: String, _ name: String = "retour.xml") throws(HolderDeclarationReturnError)
        -> HolderDeclarationReturn
    {
        try HolderDeclarationReturnReader.read(Data(text.utf8), fileName: name)
    }

    func problems(_ text: String, _ name: String = "retour.xml") -> [HolderDeclarationReturnProblem] {
        do {
            _ = try read(text, name)
            Issue.record("expected the file to be refused")
            return []
        } catch {
            return error.problems
        }
    }

    @Test("an XML return: the date, an accepted and a rejected passage with its reason")
    func xmlReturn() throws {
        let result = try read(Self.xml)
        #expect(result.processedOn == CalendarDate(iso: "2026-11-20"))
        #expect(result.entries.map(\.technicalID) == ["c01:d1", "c02:d1"])
        #expect(result.entries.map(\.status) == [.accepted, .rejected])
        #expect(result.entries[0].reason == nil)
        #expect(result.entries[1].reason == "Aucun titulaire ne correspond aux critères de réconciliation")
        #expect(result.entries[1].line == 7)
    }

    @Test("a CSV return as French Excel writes it (BOM, semicolons, quoted reason)")
    func csvReturn() throws {
        let csv =
            "\u{FEFF}idTechnique;statut;motif;dateTraitement\r\nc01:d1;OK;;20/11/2026\r\n"
            + "c02:d1;KO;\"Date de naissance incohérente; vérifier\";20/11/2026\r\n"
        let result = try read(csv, "retour.csv")
        #expect(result.processedOn == CalendarDate(iso: "2026-11-20"))
        #expect(result.entries.map(\.status) == [.accepted, .rejected])
        #expect(result.entries[1].reason == "Date de naissance incohérente; vérifier")
        #expect(result.entries[1].line == 3)
    }

    @Test("a CSV line without reason, with an unknown status or a repeated passage: each located")
    func csvProblems() {
        let found = problems(
            "idTechnique;statut;motif\nc01:d1;REJETE;\nc02:d1;PEUT-ETRE;\n;ACCEPTE;\nc03:d1;ACCEPTE;\nc03:d1;ACCEPTE;\n",
            "retour.csv")
        #expect(found.map(\.line) == [2, 3, 4, 6])
        #expect(found.map(\.field) == ["motif", "statut", "idTechnique", "idTechnique"])
        #expect(
            found[0].description == "retour.csv, ligne 2, champ « motif » : un passage rejeté doit donner son motif")
        #expect(found[3].message.contains("ligne 5"))
    }

    @Test("a CSV without the status column, and an empty file")
    func csvShape() {
        let found = problems("idTechnique;motif\nc01:d1;\n", "retour.csv")
        #expect(found.count == 1)
        #expect(found[0].line == 1 && found[0].field == "statut")
        #expect(problems("  \n", "vide.csv").map(\.message) == ["le fichier est vide"])
    }

    @Test("malformed XML gives its line; a wrong root, a bad date and a missing status are named")
    func xmlProblems() {
        let broken = problems("<compteRenduTraitement>\n<passage>\n<idTechnique>c01:d1</statut>\n</passage>")
        #expect(broken.count == 1)
        #expect(broken[0].line == 3)
        #expect(broken[0].message == "XML mal formé : la balise fermante ne correspond pas à l'élément ouvert")

        let root = problems("<?xml version=\"1.0\"?>\n<flux/>")
        #expect(root.map(\.message) == ["l'élément racine doit être « compteRenduTraitement »"])

        let fields = problems(
            """
            <compteRenduTraitement dateTraitement="hier">
              <passage><idTechnique>c01:d1</idTechnique></passage>
            </compteRenduTraitement>
            """)
        #expect(fields.map(\.field) == ["dateTraitement", "statut"])
        #expect(fields.map(\.line) == [1, 2])
    }

    @Test("an entity declared to read a local file is not expanded")
    func noExternalEntities() throws {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <compteRenduTraitement><passage><idTechnique>c01:d1</idTechnique><statut>REJETE</statut>
            <motif>voir &x;</motif></passage></compteRenduTraitement>
            """
        let reason = (try? read(text))?.entries.first?.reason ?? ""
        #expect(reason.range(of: "root:") == nil)
    }
}
