import Testing

@testable import ValidaCore

@Suite("Documents a candidate's results earn")
struct DocumentPlannerTests {
    typealias F = Fixture

    static let holder = CertificationDocument.Holder(name: "Ana Lima", birthDate: F.date("2000-02-03"))
    static let delivery = DeliveryDetails(
        certifierName: "École de l'exemple", place: "Lyon",
        signatory: .init(name: "Jeanne Roux", title: "Directrice"))

    func referential() -> Referential {
        var r = F.referential()
        r.certification.nsfCodes = ["312"]
        r.certification.registrationDate = F.date("2024-01-15")
        r.blocks[0].code = "RNCP00001BC01"
        return r
    }

    @Test("a whole certification earns the attestation and the diploma, blocks with how they were acquired")
    func whole() throws {
        let engine = try ResultsEngine(referential: referential())
        let decisions = [F.decision("d1", .block("BC01"), .validated)]
        let record = F.record(F.allMet(), decisions: decisions)
        let documents = try DocumentPlanner.documents(
            referential: referential(), results: engine.results(for: record), decisions: decisions, holder: Self.holder,
            deliveredOn: F.date("2026-07-02"), delivery: Self.delivery
        ).get()
        #expect(documents.map(\.kind) == [.blockAttestation, .diploma])
        #expect(documents[0].blocks.map(\.code) == ["RNCP00001BC01", "BC02"])
        #expect(documents[0].blocks.map(\.how) == ["par le jury", "par équivalence"])
        #expect(documents[0].blocks[0].acquiredOn == F.date("2026-07-01"))
        #expect(documents[1].level == 7)
        #expect(documents[1].certificationTitle == "Responsable de l'exemple")
    }

    @Test("one block earns an attestation only; nothing earns nothing")
    func partial() throws {
        let engine = try ResultsEngine(referential: referential())
        var grids = F.allMet()
        grids.removeAll { $0.assessment == "E3" }
        let some = try DocumentPlanner.documents(
            referential: referential(), results: engine.results(for: F.record(grids)), decisions: [],
            holder: Self.holder, deliveredOn: F.date("2026-07-02"), delivery: Self.delivery
        ).get()
        #expect(some.map(\.kind) == [.blockAttestation])
        #expect(some[0].blocks.map(\.code) == ["RNCP00001BC01"])
        let none = try DocumentPlanner.documents(
            referential: referential(), results: engine.results(for: F.record([])), decisions: [],
            holder: Self.holder, deliveredOn: F.date("2026-07-02"), delivery: Self.delivery
        ).get()
        #expect(none.isEmpty)
    }

    @Test("a diploma without its mentions is refused, saying which and where to fill them")
    func missingMentions() throws {
        var bare = referential()
        bare.certification.nsfCodes = []
        bare.certification.level = nil
        let engine = try ResultsEngine(referential: bare)
        let result = DocumentPlanner.documents(
            referential: bare, results: engine.results(for: F.record(F.allMet())), decisions: [], holder: Self.holder,
            deliveredOn: F.date("2026-07-02"), delivery: DeliveryDetails(certifierName: "École"))
        guard case .failure(let missing) = result else {
            Issue.record("expected missing mentions")
            return
        }
        #expect(
            missing.mentions.map(\.mention) == [
                "le lieu de délivrance", "le signataire", "le niveau de la certification", "le code NSF",
            ])
    }
}
