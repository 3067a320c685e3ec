import Foundation
import Testing
import ValidaCore

@testable import ValidaFormats

/// Files written by `HolderDeclarationWriter` validate against the Caisse des Dépôts'
/// schema (`specs/cpf-accrochage-1.1.2.xsd`) with xmllint, and carry Valida's data in the
/// elements docs/holder-declaration.md names.
@Suite("Holder declaration: schema")
struct HolderDeclarationSchemaTests {
    typealias S = HolderDeclarationSamples

    /// Every access route, VAE of both kinds, with and without usual name, three first names,
    /// every kind of birth place, and every optional element of a passage.
    static let variety: [HolderPassage] = {
        var passages = [
            S.passage("c01:d1", holder: S.holder(birthName: "MARTIN", firstNames: ["Léa"]), route: .initialTraining),
            S.passage(
                "c02:d1",
                holder: S.holder(
                    birthName: "BERNARD", usualName: "PETIT", firstNames: ["Camille", "Anne", "Sophie", "Jeanne"],
                    birthPlace: .inseeCode("2A004", communeName: nil)), route: .apprenticeship),
            S.passage(
                "c03:d1",
                holder: S.holder(
                    birthName: "THOMAS", firstNames: ["Hugo"], sex: .male,
                    birthPlace: .postalCode("13001", communeName: "Marseille")), route: .professionalizationContract),
            S.passage(
                "c04:d1",
                holder: S.holder(
                    birthName: "NGUYEN", usualName: "ROBERT", firstNames: ["Minh", "Anh"], sex: .male,
                    birthPlace: .abroad(countryCode: "VNM", countryName: "Viêt Nam", cityName: "Hanoï")),
                route: .continuingEducation),
            S.passage(
                "c05:d1",
                holder: S.holder(
                    birthName: "DURAND", firstNames: ["Paul"], sex: .male, birthDate: S.day("1975-12-31"),
                    birthPlace: .abroad(countryCode: "BEL", countryName: "Belgique", cityName: nil)),
                route: .vae, vaeKind: .congesVAE),
            S.passage(
                "c06:d1", holder: S.holder(birthName: "LEROY", firstNames: ["Inès"]), route: .vae, vaeKind: .classic),
        ]
        passages[0].examStartDate = S.day("2026-05-04")
        passages[0].examEndDate = S.day("2026-06-12")
        passages[0].examMode = .mixed
        passages[0].examCentrePostalCode = "75011"
        passages[0].enrolmentDate = S.day("2024-09-02")
        passages[0].enrolmentInitiative = .holder
        passages[0].proofURL = "https://valida.example.org/verifier/3f2a9c"
        return passages
    }()

    @Test(
        "a file with every access route, VAE kind and birth place validates",
        .enabled(if: XMLLint.shouldRun, XMLLint.skipMessage))
    func varietyValidates() throws {
        let data = try S.write(Self.variety)
        let lint = try XMLLint.validate(data)
        #expect(lint.status == 0, "xmllint: \(lint.output)")
    }

    @Test("access routes, VAE kinds and fixed values land in the schema's elements")
    func mapping() throws {
        let read = try HolderDeclarationReader.read(S.write(Self.variety))
        try #require(read.count == Self.variety.count)
        #expect(
            read.map { $0.values["modaliteAcces"] } == [
                "FORMATION_INITIALE_HORS_APPRENTISSAGE", "FORMATION_INITIALE_APPRENTISSAGE",
                "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
                "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION", "VAE", "VAE",
            ])
        #expect(read.map { $0.values["voieAccessVAE"] } == [nil, nil, nil, nil, "CONGES_VAE", "VAE_CLASSIQUE"])
        #expect(read.map { $0.values["idTechnique"] } == Self.variety.map(\.technicalID))
        for passage in read {
            #expect(passage.values["obtentionCertification"] == "PAR_ADMISSION")
            #expect(passage.values["donneeCertifiee"] == "true")
            #expect(passage.values["dateDebutValidite"] == "2026-06-26")
            #expect(passage.nils.isSuperset(of: ["dateFinValidite", "scoring", "mentionValidee"]))
        }
        // Usual name: nil when absent.
        #expect(read[0].nils.contains("nomUsage"))
        #expect(read[1].values["nomUsage"] == "PETIT" && !read[1].nils.contains("nomUsage"))
        // Three first names at most.
        #expect(
            [read[1].values["prenom1"], read[1].values["prenom2"], read[1].values["prenom3"]]
                == ["Camille", "Anne", "Sophie"])
        // Birth date split in three integers.
        #expect(
            [read[4].values["anneeNaissance"], read[4].values["moisNaissance"], read[4].values["jourNaissance"]]
                == ["1975", "12", "31"])
        // Birth places: INSEE code, postal code and commune, abroad with a nil postal code.
        #expect(read[1].values["codeInsee"] == "2A004" && read[1].values["codePostal"] == nil)
        #expect(read[2].values["codePostal"] == "13001" && read[2].values["libelleCommuneNaissance"] == "Marseille")
        #expect(read[3].nils.contains("codePostal") && read[3].values["codeInsee"] == nil)
        #expect(read[3].values["codePaysNaissance"] == "VNM" && read[3].values["libellePaysNaissance"] == "Viêt Nam")
        #expect(read[3].values["libelleCommuneNaissance"] == "Hanoï")
        #expect(read[4].values["libelleCommuneNaissance"] == nil)
        // The optional elements of the first passage.
        #expect(read[0].values["dateDebutExamen"] == "2026-05-04" && read[0].values["dateFinExamen"] == "2026-06-12")
        #expect(read[0].values["modalitePassageExamen"] == "MIXTE")
        #expect(read[0].values["initiativeInscription"] == "CERTIFIE")
        #expect(read[0].values["urlPreuve"] == "https://valida.example.org/verifier/3f2a9c")
        #expect(read[1].values["dateDebutExamen"] == nil)
    }

    @Test("the header carries the settings, the certification and a Paris timestamp")
    func header() throws {
        let text = String(decoding: try S.write([S.passage("c01:d1")]), as: UTF8.self)
        for expected in [
            "<cpf:idFlux>VALIDA-RNCP38575-20260630120509</cpf:idFlux>",
            "<cpf:horodatage>2026-06-30T14:05:09+02:00</cpf:horodatage>",
            "<cpf:idContrat>CTR-2026-0042</cpf:idContrat>",
            "<cpf:type>RNCP</cpf:type>", "<cpf:code>RNCP38575</cpf:code>",
            "<cpf:natureDeposant>CERTIFICATEUR</cpf:natureDeposant>",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        // The certifier deposits its own file: its idClient is the sender's too.
        #expect(text.components(separatedBy: "<cpf:idClient>VALIDA01</cpf:idClient>").count == 3)
        #expect(
            HolderDeclarationHeader.defaultFileID(certificationCode: "RNCP38575", createdAt: S.header.createdAt)
                == S.header.fileID)
    }

    @Test(
        "a winter timestamp and a trusted third party's file validate too",
        .enabled(if: XMLLint.shouldRun, XMLLint.skipMessage))
    func thirdParty() throws {
        var header = S.header
        header.settings = HolderDeclarationSettings(
            clientID: "VALIDA01", senderClientID: "TIERS007", contractID: "C1", depositorNature: .trustedThirdParty)
        header.createdAt = Date(timeIntervalSince1970: 1_769_900_000)  // 2026-01-31, +01:00
        var data = Data()
        try HolderDeclarationWriter(header: header).write([S.passage("c01:d1")]) { data.append($0) }
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("+01:00</cpf:horodatage>"))
        #expect(text.contains("<cpf:idClient>TIERS007</cpf:idClient>"))
        #expect(text.contains("TIERS_CONFIANCE"))
        let lint = try XMLLint.validate(data)
        #expect(lint.status == 0, "xmllint: \(lint.output)")
    }

    /// The check above could pass for a broken harness: a file missing a required element
    /// must fail it.
    @Test("xmllint rejects a file missing a required element", .enabled(if: XMLLint.shouldRun, XMLLint.skipMessage))
    func lintCatchesMissingElement() throws {
        let text = String(decoding: try S.write([S.passage("c01:d1")]), as: UTF8.self)
        let broken = text.replacingOccurrences(of: "<cpf:sexe>F</cpf:sexe>\n", with: "")
        #expect(broken != text)
        let lint = try XMLLint.validate(Data(broken.utf8))
        #expect(lint.status != 0)
        #expect(lint.output.contains("sexe"), "xmllint: \(lint.output)")
    }
}
