import Testing

@testable import ValidaCore

@Suite("VAE rules: states, scope, coverage, jury, evidence files")
struct VAERulesTests {
    static func referential(whole: Bool = true, single: Bool = true) -> Referential {
        Referential(
            certification: Certification(rncpCode: "RNCP00001"), version: ReferentialVersion(id: "1"),
            blocks: [
                Block(
                    id: "BC01", title: "Analyser",
                    competencies: [.init(id: "C1.1", text: "a"), .init(id: "C1.2", text: "b")]),
                Block(id: "BC02", title: "Piloter", competencies: [.init(id: "C2.1", text: "c")]),
                Block(id: "BC03", title: "Vendre", competencies: [.init(id: "C3.1", text: "d")]),
            ],
            vae: VAEPolicy(wholeCertification: whole, singleBlocks: single))
    }

    @Test("the path of states, and what each state refuses")
    func states() throws {
        var s = VAEStatus.draft
        s = try VAERules.next(s, .submitFeasibility)
        #expect(s == .feasibilitySubmitted)
        #expect(throws: VAEError.messageRequired(.declareIncomplete)) {
            try VAERules.next(s, .declareIncomplete, message: "  ")
        }
        s = try VAERules.next(s, .declareIncomplete, message: "Attestation manquante")
        #expect(s == .incomplete && s.feasibilityEditable)
        s = try VAERules.next(s, .submitFeasibility)
        #expect(s == .resubmitted)
        #expect(throws: VAEError.invalidTransition(from: .resubmitted, action: .submitDossier)) {
            try VAERules.next(s, .submitDossier)
        }
        s = try VAERules.next(s, .declareAdmissible)
        #expect(s == .admissible && s.dossierEditable && !s.feasibilityEditable)
        s = try VAERules.next(s, .submitDossier)
        s = try VAERules.next(s, .recordJuryDecisions)
        #expect(s == .juryDecided && s.isFinished)
        #expect(throws: VAEError.messageRequired(.reject)) { try VAERules.next(.feasibilitySubmitted, .reject) }
        #expect(try VAERules.next(.feasibilitySubmitted, .reject, message: "Expérience hors champ") == .rejected)
        #expect(throws: VAEError.invalidTransition(from: .rejected, action: .declareAdmissible)) {
            try VAERules.next(.rejected, .declareAdmissible)
        }
    }

    @Test("a request asks only blocks not acquired; the whole is what remains")
    func scope() throws {
        let r = Self.referential()
        func scope(
            whole: Bool = false, _ blocks: [String], acquired: Set<String> = [], route: AccessRoute = .vae,
            open: Bool = false,
            referential: Referential = r
        ) throws(VAEError) -> [String] {
            try VAERules.scope(
                whole: whole, blocks: blocks, referential: referential, acquired: acquired, accessRoute: route,
                hasOpenRequest: open)
        }
        #expect(try scope(["BC02", "BC01"]) == ["BC01", "BC02"])
        #expect(try scope(whole: true, [], acquired: ["BC01"]) == ["BC02", "BC03"])
        #expect(throws: VAEError.blocksAlreadyAcquired(["BC01"])) { try scope(["BC01", "BC02"], acquired: ["BC01"]) }
        #expect(throws: VAEError.unknownBlocks(["BC09"])) { try scope(["BC09"]) }
        #expect(throws: VAEError.nothingAsked) { try scope([]) }
        #expect(throws: VAEError.notVAECandidate) { try scope(["BC01"], route: .apprenticeship) }
        #expect(throws: VAEError.requestInProgress) { try scope(["BC01"], open: true) }
        #expect(throws: VAEError.everythingAcquired) { try scope(whole: true, [], acquired: ["BC01", "BC02", "BC03"]) }
        let wholeOnly = Self.referential(single: false)
        #expect(throws: VAEError.singleBlocksNotOffered) { try scope(["BC01"], referential: wholeOnly) }
        #expect(try scope(["BC01", "BC02", "BC03"], referential: wholeOnly) == ["BC01", "BC02", "BC03"])
        #expect(throws: VAEError.wholeCertificationNotOffered) {
            try scope(whole: true, [], referential: Self.referential(whole: false))
        }
    }

    @Test("the feasibility file: at least one experience, each complete and in order")
    func feasibility() throws {
        let start = CalendarDate(iso: "2015-01-01")
        let ok = VAEExperience(
            employer: "Nova", role: "Cheffe de projet", startsOn: start, endsOn: nil, activities: "Études")
        try VAERules.checkFeasibility([ok])
        #expect(throws: VAEError.noExperience) { try VAERules.checkFeasibility([]) }
        var late = ok
        late.endsOn = CalendarDate(iso: "2014-12-31")
        #expect(throws: VAEError.experience(index: 1, field: "fin", problem: "la fin précède le début")) {
            try VAERules.checkFeasibility([ok, late])
        }
        var vague = ok
        vague.activities = " "
        #expect(throws: VAEError.experience(index: 0, field: "activités", problem: "décrivez les activités exercées")) {
            try VAERules.checkFeasibility([vague])
        }
        #expect(throws: VAEError.blocksWithoutSituation(["BC02"])) {
            try VAERules.checkDossier(blocks: ["BC01", "BC02"], situationBlocks: ["BC01"])
        }
    }

    @Test("coverage: per block, competencies with a document as evidence, described only, or without")
    func coverage() {
        let c = VAECoverage(
            referential: Self.referential(), blocks: ["BC01", "BC02"],
            situations: [
                .init(title: "Étude Nova", competencies: ["C1.1"], documents: 2),
                .init(title: "Lancement", competencies: ["C1.1", "C2.1"], documents: 0),
            ])
        #expect(c.blocks.map(\.id) == ["BC01", "BC02"])
        #expect(c.blocks[0].covered == 1 && c.blocks[0].uncovered.map(\.id) == ["C1.2"])
        #expect(
            c.blocks[0].competencies[0].situations == ["Étude Nova", "Lancement"]
                && c.blocks[0].competencies[0].documents == 2)
        // C2.1 is described by « Lancement », which has no document: not proven, and said so.
        #expect(c.blocks[1].covered == 0 && c.blocks[1].uncovered.map(\.id) == ["C2.1"] && !c.isComplete)
        #expect(c.blocks[1].competencies[0].isDescribed && !c.blocks[1].competencies[0].hasEvidence)
        #expect(c.blocks[0].competencies[0].linked.map(\.documents) == [2, 0])
    }

    @Test("the VAE jury: the regulation's minimum blocks, balance is flagged, every block decided with reasons")
    func jury() {
        let president = JuryMember(id: "p", name: "Paule", role: .president, qualities: [.qualified])
        let pro = JuryMember(id: "m", name: "Marc", role: .member, qualities: [.professional])
        let findings = VAEJuryRules.findings([president, pro], accompanied: [], candidate: "Sophie")
        #expect(findings == [.unbalancedRepresentation(employers: 0, employees: 0)])
        #expect(VAEJuryRules.blocking(findings).isEmpty)
        let accompanied = VAEJuryRules.findings([president, pro], accompanied: ["m"], candidate: "Sophie")
        #expect(
            VAEJuryRules.blocking(accompanied) == [
                .mustAbstain(member: "Marc", candidate: "Sophie", reason: "l'a accompagné dans sa VAE")
            ])
        #expect(
            VAEJuryRules.blocking(VAEJuryRules.findings([pro], accompanied: [], candidate: "S")).contains(
                .noQualifiedMember))

        let decisions: [VAEJuryRules.BlockDecision] = [
            .init(block: "BC01", outcome: .validated, reasons: "Probant"),
            .init(block: "BC02", outcome: .notValidated, reasons: "Insuffisant", stillToShow: " "),
            .init(block: "BC03", outcome: .deferred, reasons: ""),
        ]
        #expect(
            VAEJuryRules.check(decisions, asked: ["BC01", "BC02", "BC03"]) == [
                .stillToShowRequired(block: "BC02"), .deferredNotAllowed(block: "BC03"),
                .reasonsRequired(block: "BC03"),
            ])
        #expect(
            VAEJuryRules.check(Array(decisions.prefix(1)), asked: ["BC01", "BC02"]) == [.missingDecision(block: "BC02")]
        )
        let r = Self.referential()
        #expect(
            VAEJuryRules.awardsCertification(
                whole: true, decisions: [decisions[0]], acquiredBefore: ["BC02", "BC03"], referential: r))
        #expect(
            !VAEJuryRules.awardsCertification(whole: true, decisions: decisions, acquiredBefore: [], referential: r))
        #expect(
            !VAEJuryRules.awardsCertification(
                whole: false, decisions: [decisions[0]], acquiredBefore: ["BC02", "BC03"], referential: r))
    }

    @Test(
        "evidence files: recognised by content, name and extension must agree",
        arguments: [
            ("preuve.pdf", Array("%PDF-1.4".utf8), EvidenceType.pdf),
            ("photo.JPG", [0xFF, 0xD8, 0xFF, 0xE0], .jpeg),
            ("capture.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], .png),
            ("bilan.docx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], .officeZIP),
            ("bilan.odt", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], .officeZIP),
            ("ancien.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], .officeLegacy),
        ])
    func accepted(name: String, bytes: [UInt8], type: EvidenceType) throws {
        #expect(try EvidenceFileCheck.check(name: name, size: 1000, prefix: bytes) == type)
    }

    @Test("evidence files: refused with what is wrong")
    func refusedFiles() {
        let pdf = Array("%PDF-1.4".utf8)
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        #expect(throws: EvidenceFileError.contentMismatch(name: "archive.pdf", detected: .officeZIP)) {
            try EvidenceFileCheck.check(name: "archive.pdf", size: 10, prefix: zip)
        }
        #expect(throws: EvidenceFileError.extensionNotAllowed("archive.zip")) {
            try EvidenceFileCheck.check(name: "archive.zip", size: 10, prefix: zip)
        }
        #expect(
            throws: EvidenceFileError.tooLarge(size: EvidenceFileCheck.maxSize + 1, limit: EvidenceFileCheck.maxSize)
        ) {
            try EvidenceFileCheck.check(name: "a.pdf", size: EvidenceFileCheck.maxSize + 1, prefix: pdf)
        }
        for name in [
            "a/b.pdf", "a\\b.pdf", "../b.pdf", "b\u{0}.pdf", "b\u{202E}fdp.exe", "",
            String(repeating: "a", count: 201) + ".pdf",
        ] {
            #expect(throws: EvidenceFileError.self) { try EvidenceFileCheck.check(name: name, size: 10, prefix: pdf) }
        }
        #expect(
            EvidenceFileError.tooLarge(size: 9 * 1024 * 1024, limit: 8 * 1024 * 1024).description
                == "le fichier pèse 9 Mo : la limite est de 8 Mo par fichier")
    }
}
