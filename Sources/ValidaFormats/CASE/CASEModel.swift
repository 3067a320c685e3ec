import Foundation

// The CASE 1.1 (1EdTech Competencies and Academic Standards Exchange) package, as its JSON
// binding names things: the part Valida writes and reads. Required fields are non-optional,
// so that decoding a package that lacks one fails with its JSON path.

/// `CFPackage`: one framework document with its items, associations and rubrics.
public struct CASEPackage: Codable, Sendable, Hashable {
    public var document: CASEDocument
    public var items: [CASEItem]?
    public var associations: [CASEAssociation]?
    public var definitions: CASEDefinitions?
    public var rubrics: [CASERubric]?

    enum CodingKeys: String, CodingKey {
        case document = "CFDocument"
        case items = "CFItems"
        case associations = "CFAssociations"
        case definitions = "CFDefinitions"
        case rubrics = "CFRubrics"
    }
}

/// A link to another CASE object: `LinkURI` (and `LinkGenURI`, same fields here).
public struct CASELink: Codable, Sendable, Hashable {
    public var title: String
    public var identifier: String
    public var uri: String
}

public struct CASEDocument: Codable, Sendable, Hashable {
    public var identifier: String
    public var uri: String
    public var caseVersion: String?
    public var creator: String
    public var title: String
    public var lastChangeDateTime: String
    public var officialSourceURL: String?
    public var publisher: String?
    public var description: String?
    public var subject: [String]?
    public var language: String?
    public var version: String?
    public var adoptionStatus: String?
    public var statusStartDate: String?
    public var statusEndDate: String?
    public var notes: String?
    public var packageURI: CASELink?

    enum CodingKeys: String, CodingKey {
        case identifier, uri, caseVersion, creator, title, lastChangeDateTime, officialSourceURL, publisher
        case description, subject, language, version, adoptionStatus, statusStartDate, statusEndDate, notes
        case packageURI = "CFPackageURI"
    }
}

public struct CASEItem: Codable, Sendable, Hashable {
    public var identifier: String
    public var uri: String
    public var fullStatement: String
    public var alternativeLabel: String?
    public var itemType: String?
    public var itemTypeURI: CASELink?
    public var humanCodingScheme: String?
    public var listEnumeration: String?
    public var abbreviatedStatement: String?
    public var notes: String?
    public var language: String?
    public var lastChangeDateTime: String

    enum CodingKeys: String, CodingKey {
        case identifier, uri, fullStatement, alternativeLabel, humanCodingScheme, listEnumeration
        case abbreviatedStatement, notes, language, lastChangeDateTime
        case itemType = "CFItemType"
        case itemTypeURI = "CFItemTypeURI"
    }
}

public struct CASEAssociation: Codable, Sendable, Hashable {
    public var identifier: String
    public var uri: String
    public var associationType: String
    public var sequenceNumber: Int?
    public var originNodeURI: CASELink
    public var destinationNodeURI: CASELink
    public var lastChangeDateTime: String
}

public struct CASEDefinitions: Codable, Sendable, Hashable {
    public var itemTypes: [CASEItemType]?

    enum CodingKeys: String, CodingKey {
        case itemTypes = "CFItemTypes"
    }
}

/// A `CFItemType` definition (the class of an item: block, competency, criterion).
public struct CASEItemType: Codable, Sendable, Hashable {
    public var identifier: String
    public var uri: String
    public var title: String
    public var description: String?
    public var hierarchyCode: String?
    public var typeCode: String?
    public var lastChangeDateTime: String
}

public struct CASERubric: Codable, Sendable, Hashable {
    public var identifier: String
    public var uri: String
    public var title: String?
    public var description: String?
    public var lastChangeDateTime: String
    public var criteria: [CASERubricCriterion]?

    enum CodingKeys: String, CodingKey {
        case identifier, uri, title, description, lastChangeDateTime
        case criteria = "CFRubricCriteria"
    }
}

public struct CASERubricCriterion: Codable, Sendable, Hashable {
    public var identifier: String
    public var uri: String
    public var category: String?
    public var description: String?
    public var itemURI: CASELink?
    public var weight: Double?
    public var position: Int?
    public var rubricId: String?
    public var lastChangeDateTime: String
    public var levels: [CASERubricLevel]?

    enum CodingKeys: String, CodingKey {
        case identifier, uri, category, description, weight, position, rubricId, lastChangeDateTime
        case itemURI = "CFItemURI"
        case levels = "CFRubricCriterionLevels"
    }
}

public struct CASERubricLevel: Codable, Sendable, Hashable {
    public var identifier: String
    public var uri: String
    public var description: String?
    public var quality: String?
    public var score: Double?
    public var feedback: String?
    public var position: Int?
    public var rubricCriterionId: String?
    public var lastChangeDateTime: String
}
