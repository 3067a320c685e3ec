import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

/// The writer's output: escaping, and streaming in bounded chunks for 100,000 holders.
@Suite("Holder declaration: writer")
struct HolderDeclarationWriterTests {
    typealias S = HolderDeclarationSamples

    static let awkward = [
        S.passage(
            "c01:d1",
            holder: S.holder(
                birthName: "L'HÔPITAL & FILS", usualName: "<SCRIPT>", firstNames: ["Zoë \"Zo\"", "Ætienne"],
                birthPlace: .postalCode("75011", communeName: "Paris 11e <arr.> & \"centre\""))),
        S.passage(
            "c02:d1",
            holder: S.holder(
                birthName: "O’BRIEN ]]> ÇA", firstNames: ["Éloïse", "Ñ"],
                birthPlace: .abroad(
                    countryCode: "CIV", countryName: "Côte d'Ivoire", cityName: "Abidjan & Yamoussoukro"))),
    ]

    @Test("names with &, <, quotes and accents are escaped and read back unchanged")
    func escaping() throws {
        let data = try S.write(Self.awkward)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<cpf:nomNaissance>L'HÔPITAL &amp; FILS</cpf:nomNaissance>"))
        #expect(text.contains("<cpf:nomUsage>&lt;SCRIPT&gt;</cpf:nomUsage>"))
        #expect(text.contains("<cpf:nomNaissance>O’BRIEN ]]&gt; ÇA</cpf:nomNaissance>"))
        #expect(!text.contains("<SCRIPT>"))
        let read = try HolderDeclarationReader.read(data)
        try #require(read.count == 2)
        #expect(read[0].values["nomNaissance"] == "L'HÔPITAL & FILS")
        #expect(read[0].values["nomUsage"] == "<SCRIPT>")
        #expect(read[0].values["prenom1"] == "Zoë \"Zo\"" && read[0].values["prenom2"] == "Ætienne")
        #expect(read[0].values["libelleCommuneNaissance"] == "Paris 11e <arr.> & \"centre\"")
        #expect(read[1].values["nomNaissance"] == "O’BRIEN ]]> ÇA")
        #expect(read[1].values["prenom1"] == "Éloïse" && read[1].values["prenom2"] == "Ñ")
        #expect(read[1].values["libellePaysNaissance"] == "Côte d'Ivoire")
        #expect(read[1].values["libelleCommuneNaissance"] == "Abidjan & Yamoussoukro")
    }

    @Test("the escaped file validates against the schema", .enabled(if: XMLLint.shouldRun, XMLLint.skipMessage))
    func escapingValidates() throws {
        let lint = try XMLLint.validate(S.write(Self.awkward))
        #expect(lint.status == 0, "xmllint: \(lint.output)")
    }

    @Test("values are trimmed and precomposed as the validator counted them")
    func normalisation() throws {
        let decomposed = "E\u{301}LOI\u{308}SE"  // ÉLOÏSE with combining marks
        let data = try S.write([
            S.passage(
                "  c01:d1 ",
                holder: S.holder(
                    birthName: "  \(decomposed)  ", firstNames: [" ", "Anne "]))
        ])
        let read = try HolderDeclarationReader.read(data)
        #expect(read.first?.values["idTechnique"] == "c01:d1")
        #expect(read.first?.values["nomNaissance"]?.unicodeScalars.count == 6)
        #expect(read.first?.values["nomNaissance"] == "ÉLOÏSE")
        #expect(read.first?.values["prenom1"] == "Anne" && read.first?.values["prenom2"] == nil)
    }

    /// Every passage has the same size (fixed-width ids), so the file's size is exactly
    /// header and footer plus n times one passage.
    static func uniform(_ count: Int) -> some Sequence<HolderPassage> {
        let template = S.passage("", holder: S.holder(birthName: "MARTIN-LEFÈVRE", firstNames: ["Jean", "Éric"]))
        return (0..<count).lazy.map { index in
            var passage = template
            passage.technicalID = "c" + HolderDeclarationXML.padded(index, width: 6) + ":d1"
            return passage
        }
    }

    @Test("100,000 holders stream in bounded chunks, the size proportional to the count")
    func streaming() throws {
        let chunkSize = 64 * 1024
        let writer = try HolderDeclarationWriter(header: S.header, chunkSize: chunkSize)
        func size(_ count: Int) throws -> Int {
            var total = 0
            try writer.write(Self.uniform(count)) { total += $0.count }
            return total
        }
        let one = try size(1)
        let two = try size(2)
        let passage = two - one
        let overhead = one - passage
        #expect(passage > 500 && overhead > 500)

        let count = 100_000
        var total = 0
        var chunks = 0
        var largest = 0
        let summary = try writer.write(Self.uniform(count)) { chunk in
            total += chunk.count
            chunks += 1
            largest = max(largest, chunk.count)
        }
        #expect(summary == HolderDeclarationSummary(passageCount: count, byteCount: total))
        #expect(total == overhead + count * passage)
        // No chunk grows with the file: at most the chunk size plus one passage.
        #expect(largest <= chunkSize + passage)
        #expect(largest >= chunkSize)
        #expect(chunks >= total / (chunkSize + passage))
        #expect(chunks <= total / chunkSize + 1)
    }
}
