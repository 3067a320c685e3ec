import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

/// Reading the export: from a file or from bytes, progress, early stop, and every bad input.
@Suite("RNCP import: reading the export")
struct RNCPReaderTests {
    /// A fiche in the export's shape, with a list in the given style.
    static func fiche(_ code: String, list: String, modalities: String = "Étude de cas écrite.") -> String {
        """
          <FICHE>
            <ID_FICHE>1</ID_FICHE>
            <NUMERO_FICHE>\(code)</NUMERO_FICHE>
            <INTITULE>Titre &amp; « sous-titre »</INTITULE>
            <NOMENCLATURE_EUROPE><NIVEAU>NIV6</NIVEAU><LIBELLE>Niveau 6</LIBELLE></NOMENCLATURE_EUROPE>
            <VALIDATION_PARTIELLE>Oui</VALIDATION_PARTIELLE>
            <SI_JURY_VAE><ACTIF>Oui</ACTIF><COMPOSITION>Trois membres</COMPOSITION></SI_JURY_VAE>
            <BLOCS_COMPETENCES>
              <BLOC_COMPETENCES>
                <CODE>\(code)BC01</CODE>
                <LIBELLE>Premier bloc</LIBELLE>
                <LISTE_COMPETENCES>\(list)</LISTE_COMPETENCES>
                <MODALITES_EVALUATION>\(modalities)</MODALITES_EVALUATION>
              </BLOC_COMPETENCES>
            </BLOCS_COMPETENCES>
          </FICHE>

        """
    }

    static func export(_ fiches: String...) -> Data {
        Data(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n"
                + fiches.joined() + "</FICHES>\n").utf8)
    }

    @Test("from bytes in memory, with the code written loosely")
    func fromData() throws {
        let data = Self.export(Self.fiche("RNCP10001", list: "C1.1 Analyser un marché\nC1.2 Présenter ses conclusions"))
        let result = try RNCPImport.read(from: data, fiche: " rncp 10001 ")
        let r = result.referential
        #expect(r.certification.title == "Titre & « sous-titre »")
        #expect(r.certification.level == 6)
        #expect(r.certification.partialValidation == true)
        #expect(r.vae == VAEPolicy(wholeCertification: true, singleBlocks: true))
        #expect(
            r.blocks[0].competencies == [
                Competency(id: "C1.1", text: "Analyser un marché"),
                Competency(id: "C1.2", text: "Présenter ses conclusions"),
            ])
        #expect(r.assessments[0].kind == .caseStudy)
        #expect(r.assessments[0].note?.contains("Type d'épreuve déduit de « Étude de cas »") == true)
        #expect(!result.report.notes.contains { $0.contains("validation partielle") })
    }

    @Test("the progress callback sees every byte, in order, with the total")
    func progress() throws {
        let url = try RNCPSample.url()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)
            .int64Value
        nonisolated(unsafe) var calls: [(Int64, Int64?)] = []
        // The last fiche of the file: every byte is read.
        _ = try RNCPImport.read(from: url, fiche: "RNCP40344") { calls.append(($0, $1)) }
        #expect(!calls.isEmpty)
        #expect(calls.allSatisfy { $0.1 == size })
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.0 < $1.0 })
        #expect(calls.last?.0 == size)
    }

    @Test("the reading stops at the end of the wanted fiche")
    func stopsEarly() throws {
        let filler = (2...800).map {
            Self.fiche(
                "RNCP2\(String(format: "%04d", $0))", list: String(repeating: "- Faire quelque chose    ", count: 40))
        }
        let data = Self.export(([Self.fiche("RNCP20001", list: "- Analyser")] + filler).joined())
        #expect(data.count > 1_000_000)
        nonisolated(unsafe) var read: Int64 = 0
        let result = try RNCPImport.read(from: data, fiche: "RNCP20001") { bytes, _ in read = bytes }
        #expect(result.referential.blocks[0].competencies.map(\.text) == ["Analyser"])
        #expect(read < Int64(data.count) / 2)
    }

    @Test("an unknown fiche: an error that lists the nearest codes")
    func unknownFiche() throws {
        let error = try #require(throws: RNCPImportError.self) {
            try RNCPImport.read(from: RNCPSample.url(), fiche: "RNCP34763")
        }
        #expect(error.kind == .ficheNotFound)
        #expect(error.nearbyCodes == ["RNCP34762", "RNCP35419", "RNCP35625", "RNCP35809", "RNCP37488"])
        #expect(error.file.hasSuffix("rncp-export-v4.1-sample.xml"))
        #expect(
            error.description.hasSuffix(
                "erreur : fiche RNCP34763 absente de l'export (6 fiches lues) ; fiches proches : RNCP34762, RNCP35419, RNCP35625, RNCP35809, RNCP37488"
            ))
    }

    @Test("a malformed code is refused before reading")
    func malformedCode() throws {
        let error = try #require(throws: RNCPImportError.self) {
            try RNCPImport.read(from: Data(), fiche: "BTS-MCO", file: "upload.xml")
        }
        #expect(error.kind == .invalidFicheCode)
        #expect(
            error.description
                == "upload.xml: erreur : code de fiche « BTS-MCO » mal formé : attendu « RNCP » suivi de 1 à 6 chiffres, par exemple RNCP34762"
        )
    }

    @Test("malformed XML: the error gives the line")
    func malformedXML() throws {
        let url = try #require(
            Bundle.module.url(forResource: "malformed", withExtension: "xml", subdirectory: "Fixtures/rncp"))
        for fiche in ["RNCP10002", "RNCP10003"] {
            let error = try #require(throws: RNCPImportError.self) { try RNCPImport.read(from: url, fiche: fiche) }
            #expect(error.kind == .malformedXML)
            #expect(error.line == 12)
            #expect(error.description.contains("malformed.xml:12:"))
            #expect(
                error.message
                    == "XML mal formé : la balise fermante ne correspond pas à la balise ouverte (dans <INTITULE>) [libxml2 76]"
            )
        }
        // The fiche before the fault is read whole: the reading stops before the fault.
        #expect(try RNCPImport.read(from: url, fiche: "RNCP10001").referential.certification.title == "Bien formé")
    }

    @Test("a cut file is malformed, not a missing fiche")
    func truncated() throws {
        let whole = try Data(contentsOf: RNCPSample.url())
        // Cut in the middle of a text, and cut right after a fiche's end tag.
        let ficheEnd = try #require(whole.range(of: Data("</FICHE>\n".utf8)))
        for cut in [whole.prefix(60_000), whole[..<ficheEnd.upperBound]] {
            let error = try #require(throws: RNCPImportError.self) {
                try RNCPImport.read(from: Data(cut), fiche: "RNCP40344", file: "cut.xml")
            }
            #expect(error.kind == .malformedXML)
            #expect(error.message.hasPrefix("XML mal formé : "))
            #expect((error.line ?? 0) > 100)
        }
    }

    @Test("a file that is not an RNCP export, an empty one, a missing one")
    func notAnExport() throws {
        let other = try #require(throws: RNCPImportError.self) {
            try RNCPImport.read(
                from: Data("<?xml version=\"1.0\"?>\n<accrochage/>\n".utf8), fiche: "RNCP1", file: "a.xml")
        }
        #expect(other.kind == .notAnExport)
        #expect(other.line == 2)
        #expect(other.message == "ce n'est pas un export RNCP : l'élément racine est <accrochage>, <FICHES> attendu")
        let empty = try #require(throws: RNCPImportError.self) { try RNCPImport.read(from: Data(), fiche: "RNCP1") }
        #expect(empty.kind == .malformedXML)
        let missing = try #require(throws: RNCPImportError.self) {
            try RNCPImport.read(from: URL(fileURLWithPath: "/nonexistent/export.xml"), fiche: "RNCP1")
        }
        #expect(missing.kind == .unreadableFile)
    }

    @Test("a block without code, certifiers and dates the import cannot use: noted, not lost")
    func incompleteFiche() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <FICHES>
              <FICHE>
                <NUMERO_FICHE>RNCP10009</NUMERO_FICHE>
                <CERTIFICATEURS>
                  <CERTIFICATEUR><SIRET_CERTIFICATEUR>123</SIRET_CERTIFICATEUR><NOM_CERTIFICATEUR>École</NOM_CERTIFICATEUR></CERTIFICATEUR>
                  <CERTIFICATEUR><NOM_CERTIFICATEUR>Ancienne</NOM_CERTIFICATEUR><ETAT_CERTIFICATEUR>Inactif</ETAT_CERTIFICATEUR></CERTIFICATEUR>
                </CERTIFICATEURS>
                <DATE_FIN_ENREGISTREMENT>31-08-2026</DATE_FIN_ENREGISTREMENT>
                <BLOCS_COMPETENCES>
                  <BLOC_COMPETENCES>
                    <LIBELLE>Sans code</LIBELLE>
                    <LISTE_COMPETENCES>Faire une chose.</LISTE_COMPETENCES>
                  </BLOC_COMPETENCES>
                </BLOCS_COMPETENCES>
              </FICHE>
            </FICHES>
            """
        let result = try RNCPImport.read(from: Data(xml.utf8), fiche: "RNCP10009")
        let r = result.referential
        #expect(r.certification.certifiers == [Certifier(name: "École")])
        #expect(r.certification.registrationEndDate == nil)
        #expect(r.blocks.map(\.id) == ["BC01"])
        #expect(r.blocks[0].code == nil)
        #expect(r.assessments[0].expectedProduction.isEmpty)
        let notes = result.report.notes
        #expect(notes.contains("Certificateur « École » : SIRET « 123 » mal formé (14 chiffres attendus), non repris."))
        #expect(notes.contains("Certificateur « Ancienne » ignoré : son état dans l'export est « Inactif »."))
        #expect(
            notes.contains("Date DATE_FIN_ENREGISTREMENT « 31-08-2026 » illisible (JJ/MM/AAAA attendu) : non reprise."))
        #expect(notes.contains("Ligne 11 : le bloc n° 1 n'a pas de code (CODE) ; identifiant BC01 attribué."))
        #expect(notes.contains { $0.contains("Niveau de la certification absent") })
        #expect(notes.contains { $0.hasPrefix("Le bloc n° 1 (sans code) ne publie pas de modalités d'évaluation") })
    }
}
