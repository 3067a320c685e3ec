import Testing

@testable import ValidaCore

@Suite("Decision scopes: one label wherever a decision is shown; open deliberations publish nothing")
struct DecisionScopeLabelTests {
    @Test("full and short labels, by key or by RNCP code, and a key the référentiel lost")
    func labels() {
        var referential = Fixture.referential()
        #expect(DecisionScope.block("BC01").label(in: referential) == "Bloc BC01 — Analyser")
        #expect(DecisionScope.requirement("TP").label(in: referential) == "Épreuve TP — Thèse professionnelle")
        #expect(DecisionScope.certification.label(in: referential) == "Certification complète")
        #expect(DecisionScope.block("BC09").label(in: referential) == "Bloc BC09")
        #expect(DecisionScope.requirement("TP").shortLabel(in: referential) == "Thèse professionnelle")
        #expect(DecisionScope.certification.shortLabel(in: referential) == "Certification")
        referential.blocks[0].code = "RNCP00001BC01"
        #expect(DecisionScope.block("BC01").label(in: referential) == "Bloc RNCP00001BC01 — Analyser")
        #expect(DecisionScope.block("BC01").shortLabel(in: referential) == "BC01")
        #expect(DecisionScope.block("BC01").shortLabel(in: referential, rncpCode: true) == "RNCP00001BC01")
        #expect(DecisionScope.block("BC02").shortLabel(in: referential, rncpCode: true) == "BC02")
    }

    @Test("only a closed deliberation's decisions are results others may read")
    func publication() {
        #expect(!DeliberationStatus.open.publishesDecisions)
        #expect(DeliberationStatus.closed.publishesDecisions)
        #expect(DeliberationStatus.unpublished == [.open])
    }
}
