import Foundation
import Testing
import ValidaCore
import ValidaFormats

/// The seed certification shipped in `referentials/marketing-digital.yaml`, checked against
/// the source it was transcribed from (`Fixtures/seed/referentiel-source.txt`, a copy of the
/// seed's table dump). See docs/seed-transcription.md for the choices made.
@Suite("Seed référentiel: marketing digital")
struct SeedReferentialTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shippedFile = packageRoot.appendingPathComponent("referentials/marketing-digital.yaml")

    static func load() throws -> (LoadedReferential, Referential) {
        let loaded = ReferentialYAML.load(contentsOf: shippedFile)
        let referential = try #require(loaded.referential, "\(loaded.findings.map(\.formatted))")
        return (loaded, referential)
    }

    /// The seed with HTML tags stripped and whitespace runs collapsed to one space; nothing
    /// else is decoded or changed.
    static func normalisedSeed() throws -> String {
        let url = try #require(
            Bundle.module.url(
                forResource: "referentiel-source", withExtension: "txt", subdirectory: "Fixtures/seed"))
        let raw = try String(contentsOf: url, encoding: .utf8)
        let untagged = raw.replacing(/<[^>]*>/, with: "")
        return untagged.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static let competencyIDs = [
        "C1.1", "C1.2", "C1.3", "C1.4", "C1.5",
        "C2.1", "C2.2", "C2.3", "C2.4",
        "C3.1", "C3.2", "C3.3", "C3.4", "C3.5", "C3.6", "C3.8", "C3.9",
        "C4.1", "C4.2", "C4.3", "C4.4", "C4.5", "C4.6",
    ]

    /// id, kind, work (`-` when unset), deliverable modes, competencies, number of criteria.
    static let assessments: [(String, AssessmentKind, String, String, [String], Int)] = [
        ("E1.1", .professionalSituation, "team", "oral", ["C1.1", "C1.2", "C1.3", "C1.4", "C1.5"], 7),
        ("E2.1", .caseStudy, "team", "written oral", ["C2.1"], 6),
        ("E2.2", .caseStudy, "individual", "written oral", ["C2.2"], 4),
        ("E2.3", .caseStudy, "team", "written", ["C2.3"], 7),
        ("E2.4", .caseStudy, "individual", "written oral", ["C2.4"], 5),
        ("E3.1", .caseStudy, "individual", "written oral", ["C3.1", "C3.2"], 4),
        ("E3.2", .professionalSituation, "team", "oral", ["C3.2"], 7),
        ("E3.3", .practicalCase, "individual", "written oral", ["C3.3"], 4),
        ("E3.4", .practicalCase, "individual", "written oral", ["C3.4"], 5),
        ("E3.5", .practicalCase, "individual", "written oral", ["C3.5"], 3),
        ("E3.6", .caseStudy, "individual", "written oral", ["C3.6"], 5),
        ("E3.7", .caseStudy, "team", "written oral", ["C3.8", "C3.9"], 4),
        ("E4.1", .professionalSituation, "team", "written", ["C4.1", "C4.2", "C4.3", "C4.4"], 5),
        ("E4.2", .professionalSituation, "-", "", ["C4.1", "C4.2", "C4.3", "C4.4"], 0),
        ("E4.3", .practicalCase, "team", "written oral", ["C4.1", "C4.2", "C4.3", "C4.4"], 5),
        ("E4.4", .practicalCase, "individual", "written", ["C4.6"], 3),
        ("E4.5", .caseStudy, "team", "", ["C4.6"], 2),
        ("TP", .thesis, "individual", "written", [], 3),
        ("SO", .defense, "individual", "oral", [], 1),
        ("CS", .capstoneCase, "team", "oral", [], 0),
        ("VAE", .vaeDossier, "individual", "written oral", [], 0),
    ]

    @Test func loadsWithoutErrors() throws {
        let (loaded, _) = try Self.load()
        let errors = loaded.findings.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.formatted))")
    }

    @Test func certificationIsLeftUnset() throws {
        let (_, r) = try Self.load()
        #expect(r.certification.rncpCode == nil)
        #expect(r.certification.title == nil)
        #expect(r.certification.level == nil)
        #expect(r.certification.certifiers.isEmpty)
        #expect(r.version.id == "1")
        #expect(r.version.effectiveDate == nil)
        #expect(r.blocks.allSatisfy { $0.code == nil })
    }

    @Test func blocksAndCompetencies() throws {
        let (_, r) = try Self.load()
        #expect(r.blocks.map(\.id) == ["BC01", "BC02", "BC03", "BC04"])
        #expect(r.blocks.map(\.competencies.count) == [5, 4, 8, 6])
        #expect(r.competencies.count == 23)
        #expect(r.competencies.map(\.id) == Self.competencyIDs)
        #expect(r.blocks.map(\.activities.count) == [4, 3, 3, 3])
        #expect(r.blocks[0].activities.allSatisfy { $0.id == nil })
        #expect(r.blocks[0].activities.first?.title == "Le développement d'une vision stratégique")
        #expect(r.blocks[0].activities.first?.tasks == ["Veille géopolitique", "Analyse stratégique"])
        #expect(
            r.blocks.dropFirst().flatMap(\.activities).compactMap(\.id)
                == ["A2.1", "A2.2", "A2.3", "A3.1", "A3.2", "A3.3", "A4.1", "A4.2", "A4.3"])
    }

    @Test func competencyIDsAreTheSeeds() throws {
        // Every "Cn.m " followed by a capital in the seed starts a competency's text.
        let seed = try Self.normalisedSeed()
        let inSeed = seed.matches(of: /C([1-9])\.([0-9]+) [A-ZÉ]/).map { "C\($0.1).\($0.2)" }
        #expect(inSeed == Self.competencyIDs)
    }

    @Test func competencyTextsEqualTheSeed() throws {
        let (_, r) = try Self.load()
        let seed = try Self.normalisedSeed()
        var splitByPageBreak: [String] = []
        for competency in r.competencies {
            let text = competency.text
            #expect(!text.contains("  ") && !text.contains("\n") && text == text.trimmingCharacters(in: .whitespaces))
            if seed.contains("\(competency.id) \(text)") { continue }
            // Joined across a page break: the text is a prefix then a suffix, cut at a space,
            // each found in the seed, the prefix after the id.
            let cuts = text.indices.filter { text[$0] == " " }.filter { cut in
                seed.contains("\(competency.id) \(text[..<cut])") && seed.contains(text[text.index(after: cut)...])
            }
            #expect(cuts.count == 1, "\(competency.id): text not found in the seed, whole or split once")
            if cuts.count == 1 { splitByPageBreak.append(competency.id) }
        }
        // The two texts the seed's tables cut over a page break.
        #expect(splitByPageBreak == ["C2.4", "C4.4"])
    }

    @Test func assessmentsAsTranscribed() throws {
        let (_, r) = try Self.load()
        #expect(r.assessments.map(\.id) == Self.assessments.map(\.0))
        for (id, kind, work, modes, competencies, criteria) in Self.assessments {
            let a = try #require(r.assessment(id))
            #expect(a.kind == kind, "\(id)")
            let actualWork =
                switch a.work {
                case nil: "-"
                case .individual: "individual"
                case .team: "team"
                }
            #expect(actualWork == work, "\(id)")
            #expect(a.deliverables.map(\.mode.rawValue).joined(separator: " ") == modes, "\(id)")
            #expect(a.competencies == competencies, "\(id)")
            #expect(a.criteria.count == criteria, "\(id)")
            #expect(a.criteria.map(\.id) == (0..<criteria).map { "\(id)-\($0 + 1)" }, "\(id)")
            #expect(a.transversal == competencies.isEmpty, "\(id)")
            #expect(a.scale == (["TP", "SO"].contains(id) ? "mark-20" : "binary"), "\(id)")
            #expect(!a.expectedProduction.isEmpty, "\(id)")
        }
        #expect(r.assessments.count == 21)
        #expect(r.assessments.reduce(0) { $0 + $1.criteria.count } == 80)
        #expect(r.assessments.filter { !$0.transversal }.reduce(0) { $0 + $1.criteria.count } == 76)
    }

    @Test func deliverableDetails() throws {
        let (_, r) = try Self.load()
        #expect(r.assessment("E2.1")?.deliverables.first?.pages == 15...20)
        #expect(r.assessment("E3.2")?.work == .team(size: TeamSize(min: 5, max: 6)))
        #expect(r.assessment("E3.2")?.deliverables == [Deliverable(mode: .oral, durationMinutes: 60)])
        #expect(r.assessment("CS")?.deliverables == [Deliverable(mode: .oral, durationMinutes: 120)])
    }

    @Test func criterionLinks() throws {
        let (_, r) = try Self.load()
        func links(_ id: String) -> [[String]] { r.assessment(id)?.criteria.map(\.competencies) ?? [] }
        let block1 = ["C1.1", "C1.2", "C1.3", "C1.4", "C1.5"]
        // (C1) … (C5) mean C1.1 … C1.5; the two general criteria evidence all five.
        #expect(links("E1.1") == [["C1.1"], ["C1.2"], ["C1.3"], ["C1.4"], ["C1.5"], block1, block1])
        #expect(
            r.assessment("E1.1")?.criteria.first?.text
                == "Le candidat est capable d'analyser le contexte global de l'entreprise. Les enjeux des différents acteurs sont identifiés et pris en compte."
        )
        // Criteria under the sub-headings C3.1 and C3.2.
        #expect(links("E3.1") == [["C3.1"], ["C3.1"], ["C3.2"], ["C3.2"]])
        // One case study for C3.8 and C3.9; the confidentiality criterion sits in the C3.9 row.
        #expect(links("E3.7") == [["C3.8"], ["C3.8"], ["C3.8"], ["C3.9"]])
        // Unmarked criteria evidence every competency of their assessment.
        #expect(links("E4.3") == Array(repeating: ["C4.1", "C4.2", "C4.3", "C4.4"], count: 5))
        #expect(links("E2.1") == Array(repeating: ["C2.1"], count: 6))
        // Transversal criteria evidence the assessment as a whole.
        #expect(links("TP") == [[], [], []])
        #expect(
            r.assessment("TP")?.criteria.map(\.text)
                == [
                    "Rigueur scientifique", "Pertinence sectorielle",
                    "Utilisabilité pour l'entreprise à laquelle elle se réfère",
                ])
    }

    @Test func transversalAssessments() throws {
        let (_, r) = try Self.load()
        for id in ["TP", "SO", "CS", "VAE"] {
            #expect(r.assessment(id)?.transversal == true, "\(id)")
        }
        #expect(r.assessment("TP")?.required == true)
        #expect(r.assessment("SO")?.required == true)
        #expect(r.assessment("CS")?.required == false)
        #expect(r.assessment("VAE")?.required == false)
        #expect(r.assessments.filter(\.required).map(\.id) == ["TP", "SO"])
        #expect(r.vae.wholeCertification && r.vae.singleBlocks)
        #expect(r.vae.wholeCertificationText?.hasPrefix("Le candidat désirent obtenir la certification") == true)
    }

    @Test func everyAssessmentOddityHasANote() throws {
        let (_, r) = try Self.load()
        for id in ["E1.1", "E2.2", "E3.1", "E3.4", "E3.6", "E3.7", "E4.1", "E4.2", "TP", "SO", "CS", "VAE"] {
            #expect(r.assessment(id)?.note?.isEmpty == false, "\(id)")
        }
    }

    @Test func checkReportsTheSeedsGaps() throws {
        let (loaded, r) = try Self.load()
        let report = ReferentialCheck.run(r)
        #expect(report.errorCount == 0, "\(report.findings.filter { $0.severity == .error }.map(\.formatted))")
        let warnings = report.findings.filter { $0.severity == .warning }
        // C3.6 then C3.8: the gap is reported at C3.8, blocks[2].competencies[6].
        let gap = warnings.filter { $0.code == "numbering-gap" }
        #expect(gap.map(\.path) == ["blocks[2].competencies[6].id"])
        #expect(gap.first?.message.contains("C3.7") == true)
        // C4.5 has no assessment of its own.
        #expect(warnings.filter { $0.code == "competency-not-assessed" }.map(\.path) == ["blocks[3].competencies[4]"])
        #expect(warnings.contains { $0.code == "unset-rncp-code" })
        // E4.2 states neither work mode nor deliverables nor criteria.
        #expect(warnings.filter { $0.code == "work-mode-unset" }.map(\.path) == ["assessments[13].work"])
        #expect(
            warnings.filter { $0.code == "assessment-without-criteria" }.map(\.path)
                == ["assessments[13].criteria", "assessments[19].criteria", "assessments[20].criteria"])
        #expect(
            warnings.filter { $0.code == "assessment-without-deliverable" }.map(\.path)
                == ["assessments[13].deliverables", "assessments[16].deliverables"])
        #expect(!warnings.contains { $0.code == "no-required-thesis" })
        // The loader reports the same, located in the file.
        let located = loaded.findings.filter { $0.code == "numbering-gap" || $0.code == "competency-not-assessed" }
        #expect(located.count == 2 && located.allSatisfy { $0.location != nil })
    }

    /// The file is as Valida writes it, so that a rewrite by the tool changes nothing.
    @Test func shippedFileIsCanonical() throws {
        let (_, r) = try Self.load()
        let text = try String(contentsOf: Self.shippedFile, encoding: .utf8)
        #expect(
            ReferentialYAML.write(r) == text, "rewrite referentials/marketing-digital.yaml with ReferentialYAML.write")
    }

    @Test func writingAndReloadingGivesTheSameReferential() throws {
        let (_, r) = try Self.load()
        let reloaded = ReferentialYAML.load(yaml: ReferentialYAML.write(r), file: "rewritten.yaml")
        #expect(reloaded.referential == r)
    }
}
