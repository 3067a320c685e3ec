import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

/// The missing-data report: each problem names the holder, the field and what to fix, and
/// the writer refuses what the report flags.
@Suite("Holder declaration: validation")
struct HolderDeclarationValidationTests {
    typealias S = HolderDeclarationSamples

    /// The (id, field) pairs of a report, to compare exactly.
    static func pairs(_ problems: [HolderDeclarationProblem]) -> [String] {
        problems.map { "\($0.technicalID ?? "-") \($0.field.rawValue)" }
    }

    @Test("a complete holder has no problem")
    func complete() {
        #expect(HolderDeclarationValidator.problems(in: S.passage("c01:d1")).isEmpty)
        #expect(HolderDeclarationValidator.problems(in: S.header).isEmpty)
    }

    @Test("incomplete holders: each missing field is named, with the holder")
    func incomplete() {
        let blank = S.holder(
            birthName: "  ", usualName: " ", firstNames: ["", " "], sex: nil, birthDate: nil, birthPlace: nil)
        let noPlace = S.holder(birthName: "ROUX", firstNames: ["Jules"], birthPlace: nil)
        let passages = [
            S.passage("c01:d1", holder: blank),
            S.passage("c02:d1", holder: noPlace, route: .vae),
            S.passage("", holder: S.holder(birthName: "FAURE", firstNames: ["Zoé"])),
            S.passage(
                "c04:d1", holder: S.holder(birthName: "BLANC", firstNames: ["Noé"]), route: .vae, vaeKind: .classic),
        ]
        let problems = HolderDeclarationValidator.problems(header: S.header, passages: passages)
        #expect(
            Self.pairs(problems) == [
                "c01:d1 birthName", "c01:d1 firstNames", "c01:d1 sex", "c01:d1 birthDate", "c01:d1 birthPlace",
                "c02:d1 birthPlace", "c02:d1 vaeKind",
                "- technicalID",
            ])
        // The holder is named when known, and the message says what to fix, in French.
        #expect(problems[0].holderName == nil)
        #expect(
            problems[0].description.hasPrefix("passage c01:d1 : nom de naissance (titulaire/nomNaissance) : manquant"))
        #expect(problems[5].holderName == "ROUX Jules")
        #expect(problems[5].description.contains("ROUX Jules (c02:d1) : lieu de naissance"))
        #expect(problems[6].message.contains("congé VAE ou VAE classique"))
        #expect(problems[7].holderName == "FAURE Zoé")
    }

    @Test("malformed values: INSEE and postal codes, country, dates, lengths, control characters")
    func malformed() {
        let longName = String(repeating: "A", count: 61)
        // 60 accented letters written decomposed (e + combining acute): 120 code points as
        // given, 60 once precomposed as the writer writes them, so it fits.
        let decomposed = String(repeating: "e\u{301}", count: 60)
        let cases: [(HolderPassage, [String])] = [
            (S.passage("a", holder: S.holder(birthPlace: .inseeCode("6912", communeName: nil))), ["birthPlace"]),
            (S.passage("b", holder: S.holder(birthPlace: .inseeCode("2C004", communeName: nil))), ["birthPlace"]),
            (
                S.passage("c", holder: S.holder(birthPlace: .postalCode("1300A", communeName: ""))),
                ["birthPlace", "birthCommuneName"]
            ),
            (
                S.passage(
                    "d", holder: S.holder(birthPlace: .abroad(countryCode: "be", countryName: " ", cityName: nil))),
                ["birthCountryCode", "birthCountryName"]
            ),
            (
                S.passage(
                    "e", holder: S.holder(birthPlace: .abroad(countryCode: "FRA", countryName: "France", cityName: nil))
                ),
                ["birthCountryCode"]
            ),
            (S.passage("f", holder: S.holder(birthDate: S.day("1899-12-31"))), ["birthDate"]),
            (S.passage("g", holder: S.holder(birthDate: S.day("2026-07-01"))), ["birthDate"]),
            (S.passage("h", holder: S.holder(birthName: longName)), ["birthName"]),
            (S.passage("i", holder: S.holder(birthName: decomposed)), []),
            (S.passage("j", holder: S.holder(firstNames: ["Marie\tAnne"])), ["firstNames"]),
            (S.passage("k", holder: S.holder(usualName: "X\u{0085}Y")), ["usualName"]),
            (S.passage(String(repeating: "9", count: 256)), ["technicalID"]),
            (S.passage("m", awardDate: S.day("2100-01-01")), ["awardDate"]),
        ]
        for (passage, fields) in cases {
            let found = HolderDeclarationValidator.problems(in: passage).map(\.field.rawValue)
            #expect(found == fields, "passage \(passage.technicalID.prefix(10))")
        }
        let tab = HolderDeclarationValidator.problems(in: cases[9].0)
        #expect(tab.first?.message.contains("U+0009") == true)
        let long = HolderDeclarationValidator.problems(in: cases[7].0)
        #expect(long.first?.message == "trop long : 61 caractères, 60 au plus")
    }

    @Test("exam and enrolment dates must precede the award; a proof link must be a web address")
    func passageDates() {
        var passage = S.passage("c01:d1")
        passage.examStartDate = S.day("2026-06-20")
        passage.examEndDate = S.day("2026-06-10")
        passage.enrolmentDate = S.day("2026-07-01")
        passage.proofURL = "valida.example.org/x"
        passage.examCentrePostalCode = "1234567890"
        #expect(
            HolderDeclarationValidator.problems(in: passage).map(\.field) == [
                .examEndDate, .enrolmentDate, .examCentrePostalCode, .proofURL,
            ])
    }

    @Test("a duplicate idTechnique is reported on its second use")
    func duplicates() {
        let passages = [
            S.passage("c01:d1"), S.passage("c02:d1"),
            S.passage("c01:d1", holder: S.holder(birthName: "MOREL", firstNames: ["Lou"])),
        ]
        let problems = HolderDeclarationValidator.problems(header: S.header, passages: passages)
        #expect(Self.pairs(problems) == ["c01:d1 technicalID"])
        #expect(problems.first?.holderName == "MOREL Lou")
        #expect(problems.first?.message.contains("DUPONT Marie") == true)
    }

    @Test("header problems: client ids, contract, RNCP code, no passage")
    func header() {
        var header = S.header
        header.settings = HolderDeclarationSettings(clientID: "ABC1234", senderClientID: "", contractID: "")
        header.certificationCode = "RNCP-38575"
        header.fileID = String(repeating: "F", count: 51)
        let problems = HolderDeclarationValidator.problems(header: header, passages: [HolderPassage]())
        #expect(
            problems.map(\.field) == [.clientID, .senderClientID, .contractID, .fileID, .certificationCode, .passages])
        #expect(problems.allSatisfy { $0.technicalID == nil })
        #expect(problems[0].description.hasPrefix("paramètres du certificateur : identifiant client du certificateur"))
        #expect(problems[0].message.contains("7 caractères, 8 attendus"))
        #expect(throws: HolderDeclarationError.invalidHeader(Array(problems.dropLast()))) {
            try HolderDeclarationWriter(header: header)
        }
    }

    @Test("the writer refuses a passage with a problem, and an empty list")
    func writerRefuses() throws {
        let writer = try HolderDeclarationWriter(header: S.header)
        let bad = S.passage("c02:d1", holder: S.holder(sex: nil))
        var received = 0
        let error = #expect(throws: HolderDeclarationError.self) {
            try writer.write([S.passage("c01:d1"), bad]) { received += $0.count }
        }
        #expect(error?.problems == HolderDeclarationValidator.problems(in: bad))
        // Duplicates too, though each passage alone is fine.
        #expect(throws: HolderDeclarationError.self) {
            try writer.write([S.passage("c01:d1"), S.passage("c01:d1")]) { _ in }
        }
        var chunks = 0
        #expect(throws: HolderDeclarationError.noPassages) {
            try writer.write([HolderPassage]()) { _ in chunks += 1 }
        }
        #expect(chunks == 0)
    }

    @Test("a failed write to a file leaves no file, and an earlier file untouched")
    func atomicFile() throws {
        let url = S.temporaryFile("accrochage.xml")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try HolderDeclarationWriter(header: S.header, chunkSize: 256)
        #expect(throws: HolderDeclarationError.self) {
            try writer.write([S.passage("c01:d1"), S.passage("c02:d1", holder: S.holder(birthDate: nil))], toFile: url)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let summary = try writer.write([S.passage("c01:d1")], toFile: url)
        let first = try Data(contentsOf: url)
        #expect(summary == HolderDeclarationSummary(passageCount: 1, byteCount: first.count))
        #expect(first == (try S.write([S.passage("c01:d1")])))
        #expect(throws: HolderDeclarationError.self) {
            try writer.write([S.passage("c02:d1", holder: S.holder(sex: nil))], toFile: url)
        }
        #expect(try Data(contentsOf: url) == first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.contains(url.lastPathComponent) && $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty)
    }

    @Test("a candidate's identity becomes a holder identity; idTechnique joins candidate and deliberation")
    func fromCandidate() throws {
        let candidate = CandidateIdentity(
            birthName: "GARCIA", usualName: "LOPEZ", firstNames: "Ana, María José", birthDate: S.day("2001-02-03"),
            birthPlace: "Bordeaux", birthPlaceINSEE: "33063", sex: .female, email: "ana@example.org",
            accessRoute: .apprenticeship)
        let holder = HolderIdentity(candidate: candidate)
        #expect(holder.firstNames == ["Ana", "María José"])
        #expect(holder.birthPlace == .inseeCode("33063", communeName: "Bordeaux"))
        #expect(holder.usualName == "LOPEZ" && holder.sex == .female)
        var spaced = candidate
        spaced.firstNames = "Jean  Pierre"
        spaced.birthPlaceINSEE = nil
        let other = HolderIdentity(candidate: spaced)
        #expect(other.firstNames == ["Jean", "Pierre"])
        #expect(other.birthPlace == nil)
        #expect(HolderPassage.technicalID(candidateID: "c-42", deliberationID: "d-7") == "c-42:d-7")
    }
}
