import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

@Suite("RNCP import: the written référentiel, valida check, and the command")
struct RNCPOutputTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("valida-rncp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("the YAML loads back with no error, equal, and is canonical", arguments: RNCPSample.fiches)
    func roundTrip(fiche: String) throws {
        let referential = try RNCPSample.load(fiche).referential
        let yaml = ReferentialYAML.write(referential)
        #expect(ReferentialYAML.write(referential) == yaml)
        let loaded = ReferentialYAML.load(yaml: yaml, file: "\(fiche).yaml")
        #expect(loaded.errorCount == 0, "\(loaded.findings.filter { $0.severity == .error }.map(\.formatted))")
        #expect(loaded.referential == referential)
        #expect(loaded.referential.map(ReferentialYAML.write) == yaml)
    }

    struct CheckJSON: Decodable {
        struct File: Decodable {
            var errors: Int
            var warnings: Int
            var findings: [Item]
        }

        struct Item: Decodable {
            var severity: String
            var code: String
            var path: String
            var line: Int?
        }

        var files: [File]
    }

    @Test("valida check lists the missing criteria of every draft assessment", arguments: ["RNCP34762", "RNCP40344"])
    func checkListsMissingCriteria(fiche: String) throws {
        let referential = try RNCPSample.load(fiche).referential
        let file = try Self.temporaryDirectory().appendingPathComponent("\(fiche).yaml")
        try Data(ReferentialYAML.write(referential).utf8).write(to: file)
        let run = CheckCommandRunner.run(files: [file.path], strict: false, json: true)
        #expect(run.exitCode == 0)
        let report = try JSONDecoder().decode(CheckJSON.self, from: Data(run.output.utf8))
        let findings = try #require(report.files.first).findings
        #expect(findings.allSatisfy { $0.severity == "warning" })
        let missing = findings.filter { $0.code == "assessment-without-criteria" }
        #expect(missing.map(\.path) == referential.assessments.indices.map { "assessments[\($0)].criteria" })
        #expect(missing.allSatisfy { $0.line != nil })
        #expect(findings.contains { $0.code == "work-mode-unset" })
        #expect(findings.contains { $0.code == "assessment-without-deliverable" })
        let uncovered = findings.filter { $0.code == "competency-without-criterion" }
        #expect(uncovered.count == referential.competencies.count)
        // Text output, for people: the same codes, located.
        let text = CheckCommandRunner.run(files: [file.path], strict: false, json: false).output
        #expect(text.contains("assessments[0].criteria: l'épreuve « E-BC01 » n'a aucun critère"))
    }

    @Test("the command writes the file and prints the report")
    func commandWritesFile() throws {
        let out = try Self.temporaryDirectory().appendingPathComponent("vet.yaml")
        let run = RNCPImportCommandRunner.run(
            inputPath: try RNCPSample.url().path, fiche: "40344", outputPath: out.path)
        #expect(run.exitCode == 0)
        let report = String(decoding: run.stdout, as: UTF8.self)
        #expect(report.contains("Import de la fiche RNCP40344 (export RNCP, flux 4.1)"))
        #expect(report.contains("Les critères d'évaluation ne figurent pas dans l'export RNCP"))
        #expect(report.contains("- RNCP37507 : BC04 → BC04 ; BC02 → BC02 ; BC01 → BC01 ; BC03 → BC03"))
        #expect(report.contains("valida check : 0 erreur, "))
        #expect(report.contains("assessment-without-criteria × 4"))
        let loaded = ReferentialYAML.load(contentsOf: out)
        #expect(loaded.errorCount == 0)
        #expect(loaded.referential?.certification.rncpCode == "RNCP40344")
    }

    @Test("without -o the référentiel goes to standard output and the report to standard error")
    func commandToStandardOutput() throws {
        let run = RNCPImportCommandRunner.run(inputPath: try RNCPSample.url().path, fiche: "RNCP37488", outputPath: nil)
        #expect(run.exitCode == 0)
        let yaml = String(decoding: run.stdout, as: UTF8.self)
        #expect(yaml.hasPrefix("format: valida-referential/1\n"))
        #expect(ReferentialYAML.load(yaml: yaml, file: "-").referential?.blocks.count == 2)
        #expect(run.stderr.contains("Import de la fiche RNCP37488"))
    }

    @Test("the command's errors: unknown fiche with nearby codes, missing file")
    func commandErrors() throws {
        let path = try RNCPSample.url().path
        let unknown = RNCPImportCommandRunner.run(inputPath: path, fiche: "RNCP35420", outputPath: nil)
        #expect(unknown.exitCode == 1)
        #expect(unknown.stdout.isEmpty)
        #expect(
            unknown.stderr.contains(
                "fiche RNCP35420 absente de l'export (6 fiches lues) ; fiches proches : RNCP35419, RNCP35625"))
        let missing = RNCPImportCommandRunner.run(inputPath: "/nonexistent/export.xml", fiche: "RNCP1", outputPath: nil)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr == "/nonexistent/export.xml: erreur : fichier introuvable\n")
    }

    @Test("the progress line")
    func progressLine() {
        #expect(
            RNCPImportCommandRunner.progressLine(bytesRead: 120_500_000, totalBytes: 570_000_000)
                == "Lecture de l'export : 120 Mo / 570 Mo (21 %)")
        #expect(
            RNCPImportCommandRunner.progressLine(bytesRead: 3_000_000, totalBytes: nil) == "Lecture de l'export : 3 Mo")
    }

    @Test("the new certification keys round-trip, and bad values are located errors")
    func certificationKeys() throws {
        let yaml = """
            format: valida-referential/1
            certification:
              rncp-code: RNCP00001
              registration-kind: by-right
              award-deadline: 2030-08-31
              partial-validation: false
              access-routes:
              - route: vae
                open: true
                jury-composition: 'Trois membres : un président…'
              - route: individual-application
                open: false
              replaces:
              - RNCP00000
              block-correspondences:
              - block: RNCP00001BC01
                other-certification: RNCP00000
                other-block: RNCP00000BC02
            version:
              id: '1'
            blocks:
            - id: BC01
              title: Bloc
              competencies:
              - id: C1.1
                text: Faire.
            assessments:
            - id: E1
              title: Épreuve
              kind: case-study
              competencies:
              - C1.1
              expected-production: Un dossier.
              scale: binary

            """
        let loaded = ReferentialYAML.load(yaml: yaml, file: "c.yaml")
        #expect(loaded.errorCount == 0)
        let c = try #require(loaded.referential?.certification)
        #expect(c.registrationKind == .byRight)
        #expect(c.awardDeadline == CalendarDate(year: 2030, month: 8, day: 31))
        #expect(c.partialValidation == false)
        #expect(
            c.accessRoutes == [
                RegisteredAccessRoute(route: .vae, open: true, juryComposition: "Trois membres : un président…"),
                RegisteredAccessRoute(route: .individualApplication, open: false),
            ])
        #expect(c.replaces == ["RNCP00000"])
        #expect(
            c.blockCorrespondences == [
                BlockCorrespondence(
                    block: "RNCP00001BC01", otherCertification: "RNCP00000", otherBlock: "RNCP00000BC02")
            ])
        #expect(ReferentialYAML.write(try #require(loaded.referential)) == yaml)

        let bad =
            yaml
            .replacingOccurrences(of: "registration-kind: by-right", with: "registration-kind: de-droit")
            .replacingOccurrences(
                of: "  - route: individual-application\n    open: false\n", with: "  - route: individual-application\n")
        let broken = ReferentialYAML.load(yaml: bad, file: "c.yaml")
        let errors = broken.findings.filter { $0.severity == .error }
        #expect(errors.map(\.code) == ["invalid-value", "missing-field"])
        #expect(errors.map(\.path) == ["certification.registration-kind", "certification.access-routes[1].open"])
        #expect(errors[0].location?.line == 4)
        #expect(errors[1].location?.line == 11)
    }

    @Test("a certification stored before the new fields decodes with empty lists")
    func olderJSONDecodes() throws {
        let json = #"{"rncpCode":"RNCP1","certifiers":[],"nsfCodes":["312"]}"#
        let c = try JSONDecoder().decode(Certification.self, from: Data(json.utf8))
        #expect(c == Certification(rncpCode: "RNCP1", nsfCodes: ["312"]))
        let full = try RNCPSample.load("RNCP40344").referential.certification
        #expect(try JSONDecoder().decode(Certification.self, from: JSONEncoder().encode(full)) == full)
    }
}
