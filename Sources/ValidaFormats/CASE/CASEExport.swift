import Foundation
import ValidaCore

/// The référentiel as a CASE 1.1 package (docs/exchange-formats.md): blocks, competencies and
/// criteria as `CFItems` linked by `isChildOf` associations, each assessment's criteria as a
/// `CFRubric`. Identifiers are name-based UUIDs, so re-exporting gives the same ones.
public enum CASEExchange {
    public static let caseVersion = "1.1"

    /// What a `CFItem` stands for; `title` is the `CFItemType` Valida writes (in French, the
    /// référentiel's language); `aliases` are the other names import accepts.
    enum Kind: String, CaseIterable {
        case block, competency, criterion

        var title: String {
            switch self {
            case .block: "Bloc de compétences"
            case .competency: "Compétence"
            case .criterion: "Critère d'évaluation"
            }
        }

        var hierarchyCode: String {
            switch self {
            case .block: "1"
            case .competency: "2"
            case .criterion: "3"
            }
        }

        var aliases: [String] {
            switch self {
            case .block: [title, "bloc", "block", "bloc de competences", "competency block"]
            case .competency: [title, "competence", "competency"]
            case .criterion: [title, "critère", "critere", "critere d'evaluation", "criterion", "assessment criterion"]
            }
        }

        init?(itemType: String) {
            let folded = itemType.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            let match = Kind.allCases.first { kind in
                kind.aliases.contains {
                    $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == folded
                }
            }
            guard let match else { return nil }
            self = match
        }
    }

    /// Valida's namespace for name-based identifiers: the v5 UUID of its URL.
    static let namespace = NameBasedUUID.v5(namespace: NameBasedUUID.urlNamespace, name: "https://valida.fr/ns/case")

    /// The `CFDocument` identifier: a v5 UUID of the RNCP code (else the title) and the version.
    /// Two référentiels with neither code nor title and the same version get the same one.
    public static func documentIdentifier(_ referential: Referential) -> UUID {
        let who = referential.certification.rncpCode ?? referential.certification.title ?? ""
        return NameBasedUUID.v5(namespace: namespace, name: "referential:\(who)@\(referential.version.id)")
    }

    /// The France Compétences page of a fiche, which the package gives as `officialSourceURL`.
    static func ficheURL(rncpCode: String) -> String {
        "https://www.francecompetences.fr/recherche/rncp/\(rncpCode.dropFirst(4))/"
    }

    /// The package as JSON: pretty-printed, keys sorted, the same bytes for the same input.
    /// `baseURL` is where the objects would be served (`https://…/ims/case/v1p1`); every `uri`
    /// is built from it. `lastChange` stamps every `lastChangeDateTime`.
    public static func export(_ referential: Referential, baseURL: String, lastChange: Date) throws(ExchangeError)
        -> ExchangeExport
    {
        let package = try package(referential, baseURL: baseURL, lastChange: lastChange)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and finite doubles only: encoding cannot fail.
        let data = (try? encoder.encode(package)) ?? Data()
        return ExchangeExport(data: data + Data("\n".utf8), notes: exportNotes(referential))
    }

    public static func package(_ referential: Referential, baseURL: String, lastChange: Date) throws(ExchangeError)
        -> CASEPackage
    {
        let base = try validatedBase(baseURL)
        try checkExportable(referential)
        let builder = PackageBuilder(referential: referential, base: base, stamp: timestamp(lastChange))
        return builder.build()
    }

    static func validatedBase(_ baseURL: String) throws(ExchangeError) -> String {
        let trimmed = baseURL.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", url.host?.isEmpty == false, url.query == nil, url.fragment == nil
        else {
            throw ExchangeError(
                file: "--base-url", path: "",
                message:
                    "« \(baseURL) » n'est pas une adresse http(s) valable (exemple : https://valida.exemple.fr/ims/case/v1p1)"
            )
        }
        return trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Duplicate ids would give two objects one identifier, and a criterion naming an unknown
    /// competency a dangling association: both refused, with the référentiel path.
    static func checkExportable(_ referential: Referential) throws(ExchangeError) {
        var problems: [ExchangeError.Problem] = []
        func problem(_ path: String, _ message: String) {
            problems.append(.init(file: "référentiel", path: path, message: message))
        }
        var blockIDs = Set<String>()
        var competencyIDs = Set<String>()
        var criterionIDs = Set<String>()
        for (b, block) in referential.blocks.enumerated() {
            if !blockIDs.insert(block.id).inserted { problem("blocks[\(b)].id", "bloc « \(block.id) » en double") }
            for (c, competency) in block.competencies.enumerated() where !competencyIDs.insert(competency.id).inserted {
                problem("blocks[\(b)].competencies[\(c)].id", "compétence « \(competency.id) » en double")
            }
        }
        for (a, assessment) in referential.assessments.enumerated() {
            for (c, criterion) in assessment.criteria.enumerated() {
                if !criterionIDs.insert(criterion.id).inserted {
                    problem("assessments[\(a)].criteria[\(c)].id", "critère « \(criterion.id) » en double")
                }
                for (k, id) in criterion.competencies.enumerated() where !competencyIDs.contains(id) {
                    problem("assessments[\(a)].criteria[\(c)].competencies[\(k)]", "compétence inconnue « \(id) »")
                }
            }
        }
        if !problems.isEmpty { throw ExchangeError(problems) }
    }

    /// What a CASE package does not hold, for the person exporting.
    static func exportNotes(_ referential: Referential) -> [String] {
        var notes = [
            "non exportés (CASE n'a pas de champ pour eux) : règles de résultat, mode de travail, livrables, "
                + "production attendue et caractère obligatoire des épreuves, politique de VAE"
        ]
        if referential.blocks.contains(where: { !$0.activities.isEmpty }) {
            notes.append("non exportées : les activités des blocs (référentiel d'activités)")
        }
        if referential.certification.level != nil || referential.certification.registrationDate != nil
            || referential.certification.registrationEndDate != nil
        {
            notes.append("non exportés : niveau et dates d'enregistrement de la certification")
        }
        if referential.scales.contains(where: \.isMark)
            || referential.assessments.contains(where: { referential.scale($0.scale)?.isMark == true })
        {
            notes.append("échelles à note : exportées en deux niveaux (sous le seuil, au seuil ou au-dessus)")
        }
        return notes
    }
}

/// Builds one package; keeps the identifiers and links it hands out.
struct PackageBuilder {
    typealias Kind = CASEExchange.Kind

    let referential: Referential
    let base: String
    let stamp: String
    let documentID: UUID
    let document: CASELink

    init(referential: Referential, base: String, stamp: String) {
        self.referential = referential
        self.base = base
        self.stamp = stamp
        documentID = CASEExchange.documentIdentifier(referential)
        let id = documentID.uuidString.lowercased()
        document = CASELink(title: Self.documentTitle(referential), identifier: id, uri: "\(base)/CFDocuments/\(id)")
    }

    static func documentTitle(_ referential: Referential) -> String {
        referential.certification.title ?? "Référentiel \(referential.certification.rncpCode ?? "sans titre")"
    }

    /// The identifier of the object Valida knows as `key` (`block:BC01`, `criterion:E1.1-2` …).
    func id(_ key: String) -> String {
        NameBasedUUID.v5(namespace: documentID, name: key).uuidString.lowercased()
    }

    func link(_ key: String, _ collection: String, title: String) -> CASELink {
        let identifier = id(key)
        return CASELink(title: title, identifier: identifier, uri: "\(base)/\(collection)/\(identifier)")
    }

    func build() -> CASEPackage {
        var items: [CASEItem] = []
        var associations: [CASEAssociation] = []

        func item(_ kind: Kind, key: String, code: String, statement: String) -> CASELink {
            let own = link(key, "CFItems", title: code)
            items.append(
                CASEItem(
                    identifier: own.identifier, uri: own.uri, fullStatement: statement, itemType: kind.title,
                    itemTypeURI: itemTypeLink(kind), humanCodingScheme: code, language: "fr", lastChangeDateTime: stamp)
            )
            return own
        }
        func childOf(_ child: CASELink, _ childKey: String, _ parent: CASELink, _ parentKey: String, sequence: Int) {
            let own = link("association:isChildOf:\(childKey)>\(parentKey)", "CFAssociations", title: "isChildOf")
            associations.append(
                CASEAssociation(
                    identifier: own.identifier, uri: own.uri, associationType: "isChildOf", sequenceNumber: sequence,
                    originNodeURI: child, destinationNodeURI: parent, lastChangeDateTime: stamp))
        }

        var competencyLinks: [String: (link: CASELink, key: String)] = [:]
        for (b, block) in referential.blocks.enumerated() {
            let blockKey = "block:\(block.id)"
            let blockLink = item(.block, key: blockKey, code: block.code ?? block.id, statement: block.title)
            childOf(blockLink, blockKey, document, "document", sequence: b + 1)
            for (c, competency) in block.competencies.enumerated() {
                let key = "competency:\(competency.id)"
                let competencyLink = item(.competency, key: key, code: competency.id, statement: competency.text)
                childOf(competencyLink, key, blockLink, blockKey, sequence: c + 1)
                competencyLinks[competency.id] = (competencyLink, key)
            }
        }

        // Criteria in référentiel order; under each competency they evidence, numbered there.
        var criteriaUnder: [String: Int] = [:]
        var criterionLinks: [String: CASELink] = [:]
        var transversalCount = referential.blocks.count
        for assessment in referential.assessments {
            for criterion in assessment.criteria {
                let key = "criterion:\(criterion.id)"
                let criterionLink = item(.criterion, key: key, code: criterion.id, statement: criterion.text)
                criterionLinks[criterion.id] = criterionLink
                if criterion.competencies.isEmpty {
                    // A transversal criterion evidences the certification as a whole.
                    transversalCount += 1
                    childOf(criterionLink, key, document, "document", sequence: transversalCount)
                }
                for competencyID in criterion.competencies {
                    guard let parent = competencyLinks[competencyID] else { continue }
                    criteriaUnder[competencyID, default: 0] += 1
                    childOf(criterionLink, key, parent.link, parent.key, sequence: criteriaUnder[competencyID]!)
                }
            }
        }

        let rubrics = referential.assessments.map { rubric($0, criterionLinks) }
        let itemTypes = Kind.allCases.map { kind in
            let own = itemTypeLink(kind)
            return CASEItemType(
                identifier: own.identifier, uri: own.uri, title: kind.title,
                description: "\(kind.title) d'un référentiel de certification professionnelle (RNCP)",
                hierarchyCode: kind.hierarchyCode, typeCode: kind.rawValue, lastChangeDateTime: stamp)
        }
        return CASEPackage(
            document: makeDocument(), items: items, associations: associations,
            definitions: CASEDefinitions(itemTypes: itemTypes), rubrics: rubrics)
    }

    /// Item types are the same in every package Valida writes: they hang off Valida's namespace.
    func itemTypeLink(_ kind: Kind) -> CASELink {
        let identifier = NameBasedUUID.v5(namespace: CASEExchange.namespace, name: "item-type:\(kind.rawValue)")
            .uuidString.lowercased()
        return CASELink(title: kind.title, identifier: identifier, uri: "\(base)/CFItemTypes/\(identifier)")
    }

    func makeDocument() -> CASEDocument {
        let certification = referential.certification
        let creator = certification.certifiers.map(\.name).joined(separator: " ; ")
        let packageLink = CASELink(
            title: document.title, identifier: document.identifier, uri: "\(base)/CFPackages/\(document.identifier)")
        return CASEDocument(
            identifier: document.identifier, uri: document.uri, caseVersion: CASEExchange.caseVersion,
            creator: creator.isEmpty ? CASEImporter.unknownCreator : creator, title: document.title,
            lastChangeDateTime: stamp,
            officialSourceURL: certification.rncpCode.map(CASEExchange.ficheURL(rncpCode:)),
            description: "Référentiel de compétences et d'évaluation, version \(referential.version.id)",
            subject: certification.nsfCodes.isEmpty ? nil : certification.nsfCodes.map { "NSF \($0)" },
            language: "fr", version: referential.version.id,
            adoptionStatus: certification.rncpCode == nil ? "Draft" : "Adopted",
            statusStartDate: referential.version.effectiveDate?.iso, packageURI: packageLink)
    }

    /// One rubric per assessment: a rubric criterion per criterion, with the scale's levels.
    func rubric(_ assessment: Assessment, _ criterionLinks: [String: CASELink]) -> CASERubric {
        let rubricLink = link("rubric:\(assessment.id)", "CFRubrics", title: assessment.title)
        let levels = rubricLevels(referential.scale(assessment.scale))
        let criteria = assessment.criteria.enumerated().map { index, criterion in
            let criterionLink = link("rubric-criterion:\(criterion.id)", "CFRubricCriteria", title: criterion.id)
            return CASERubricCriterion(
                identifier: criterionLink.identifier, uri: criterionLink.uri, category: assessment.criteriaTitle,
                description: criterion.text, itemURI: criterionLinks[criterion.id], weight: 1, position: index + 1,
                rubricId: rubricLink.identifier, lastChangeDateTime: stamp,
                levels: levels.enumerated().map { position, level in
                    let levelLink = link(
                        "rubric-level:\(criterion.id):\(level.key)", "CFRubricCriterionLevels", title: level.quality)
                    return CASERubricLevel(
                        identifier: levelLink.identifier, uri: levelLink.uri,
                        description: level.met ? CASEImporter.metText : CASEImporter.unmetText,
                        quality: level.quality, score: level.score, position: position + 1,
                        rubricCriterionId: criterionLink.identifier, lastChangeDateTime: stamp)
                })
        }
        return CASERubric(
            identifier: rubricLink.identifier, uri: rubricLink.uri,
            title: "\(assessment.id)\(CASEImporter.rubricTitleSeparator)\(assessment.title)",
            description: assessment.kind.label, lastChangeDateTime: stamp, criteria: criteria)
    }

    /// A level scale's levels (score = rank from 0), or a mark scale as below / at the pass mark.
    func rubricLevels(_ scale: Scale?) -> [(key: String, quality: String, score: Double, met: Bool)] {
        switch (scale ?? .binary).kind {
        case .levels(let levels, let metFrom):
            let metIndex = levels.firstIndex { $0.id == metFrom } ?? levels.count - 1
            return levels.enumerated().map { ($1.id, $1.label, Double($0), $0 >= metIndex) }
        case .mark(let outOf, let passMark):
            return [
                ("below", "Note inférieure à \(format(passMark))/\(format(outOf))", 0, false),
                ("pass", "Note d'au moins \(format(passMark))/\(format(outOf))", passMark, true),
            ]
        }
    }

    func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
