import Foundation
import ValidaCore

extension CASEExchange {
    /// Reads a CASE 1.1 package back into a référentiel: blocks, competencies and criteria from
    /// the items and their `isChildOf` associations, assessments from the rubrics. What CASE
    /// does not carry gets the defaults listed in docs/exchange-formats.md, each one noted.
    /// Throws every problem found, each with its JSON path (`CFItems[3].fullStatement`).
    public static func `import`(data: Data, file: String) throws(ExchangeError) -> ExchangeImport {
        let package = try CASEImporter.decode(data, file: file)
        var importer = CASEImporter(package: package, file: file)
        return try importer.run()
    }
}

/// Turns a decoded package into a référentiel, collecting problems rather than stopping at
/// the first.
struct CASEImporter {
    typealias Kind = CASEExchange.Kind

    /// The `creator` Valida writes when the référentiel names no certifier.
    static let unknownCreator = "Certificateur non renseigné"
    /// The `description` of rubric levels that meet the criterion, and of those that do not.
    static let metText = "critère satisfait"
    static let unmetText = "critère non satisfait"
    /// Between an assessment's id and its title in a rubric's `title`: `E2.1 — Étude de cas`.
    static let rubricTitleSeparator = " — "
    /// The expected production of an imported assessment: CASE has no field for it.
    static let unknownProduction = "Non précisée (référentiel importé d'un paquet CASE)"

    let package: CASEPackage
    let file: String
    let items: [CASEItem]
    var problems: [ExchangeError.Problem] = []
    var notes: [String] = []

    init(package: CASEPackage, file: String) {
        self.package = package
        self.file = file
        self.items = package.items ?? []
    }

    mutating func problem(_ path: String, _ message: String) {
        problems.append(.init(file: file, path: path, message: message))
    }

    // MARK: Decoding

    static func decode(_ data: Data, file: String) throws(ExchangeError) -> CASEPackage {
        do {
            return try JSONDecoder().decode(CASEPackage.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw syntaxError(data, file: file)
            }
            let (path, message) = describe(error)
            throw ExchangeError(file: file, path: path, message: message)
        } catch {
            throw ExchangeError(file: file, path: "", message: "JSON illisible : \(error)")
        }
    }

    /// Where the JSON syntax breaks: JSONSerialization names the character, as an offset.
    static func syntaxError(_ data: Data, file: String) -> ExchangeError {
        var detail = "JSON invalide"
        var line: Int?
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            let debug = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            if let match = debug.firstMatch(of: /character (\d+)/), let offset = Int(match.1) {
                let before = data.prefix(offset)
                line = before.count { $0 == UInt8(ascii: "\n") } + 1
                let column =
                    before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 - before.startIndex + 1 } ?? 0)
                    + 1
                detail += " (colonne \(column))"
            }
            detail += " : \(debug)"
        }
        return ExchangeError(file: file, line: line, path: "", message: detail)
    }

    /// A decoding error as the JSON path of the bad field and a French message.
    static func describe(_ error: DecodingError) -> (String, String) {
        switch error {
        case .keyNotFound(let key, let context):
            let path = jsonPath(context.codingPath + [key])
            if path == "CFDocument" {
                return (path, "CFDocument manquant : ce fichier n'est pas un paquet CASE (CFPackage)")
            }
            return (path, "champ obligatoire manquant")
        case .typeMismatch(let type, let context):
            let path = jsonPath(context.codingPath)
            if path.isEmpty { return ("", "le fichier doit contenir un objet JSON (un CFPackage)") }
            return (path, "\(typeName(type)) attendu")
        case .valueNotFound(let type, let context):
            return (jsonPath(context.codingPath), "valeur nulle, \(typeName(type)) attendu")
        case .dataCorrupted(let context):
            let path = jsonPath(context.codingPath)
            let detail =
                (context.underlyingError as NSError?).map {
                    ($0.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\($0)"
                }
                ?? context.debugDescription
            return (path, path.isEmpty ? "JSON invalide : \(detail)" : "valeur invalide : \(detail)")
        @unknown default:
            return ("", "JSON illisible : \(error)")
        }
    }

    /// `CFItems[3].fullStatement`: keys joined by dots, array indices in brackets.
    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "un texte"
        case is Int.Type: "un entier"
        case is Double.Type: "un nombre"
        case is [Any].Type: "une liste"
        default: "\(type)".hasPrefix("Array") ? "une liste" : "un objet"
        }
    }

    // MARK: Structure

    /// A parent of an item through an `isChildOf` association: an item's index, or the document.
    struct Parent {
        var item: Int?
        var sequence: Int
    }

    mutating func run() throws(ExchangeError) -> ExchangeImport {
        let index = indexItems()
        let parents = readAssociations(index)
        let kinds = classify(parents)
        let blocks = buildBlocks(kinds, parents)
        let criteria = buildCriteria(kinds, parents, blocks)
        let competencyOrder = blocks.flatMap { $0.block.competencies.map(\.id) }
        let (assessments, scales) = buildAssessments(index, kinds, criteria, competencyOrder: competencyOrder)
        if !problems.isEmpty { throw ExchangeError(problems) }
        notes.append(
            "non portés par CASE, valeurs par défaut : règles de résultat (tous les critères ; pas de compensation), "
                + "mode de travail, livrables et caractère obligatoire des épreuves (non précisés), "
                + "production attendue (« \(Self.unknownProduction) »), activités, politique de VAE")
        let referential = Referential(
            certification: certification(), version: version(), scales: scales,
            blocks: blocks.map(\.block), assessments: assessments)
        return ExchangeImport(referential: referential, notes: notes)
    }

    /// Item index by lowercased identifier; duplicates are problems.
    mutating func indexItems() -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let key = item.identifier.lowercased()
            if let first = index[key] {
                problem(
                    "CFItems[\(i)].identifier", "identifiant « \(item.identifier) » déjà pris par CFItems[\(first)]")
            } else {
                index[key] = i
            }
        }
        return index
    }

    /// Each item's parents, from `isChildOf` associations (origin is the child). Other types
    /// are ignored; an end that names nothing in the package is a problem.
    mutating func readAssociations(_ index: [String: Int]) -> [[Parent]] {
        var parents = [[Parent]](repeating: [], count: items.count)
        let documentID = package.document.identifier.lowercased()
        var ignored = 0
        for (a, association) in (package.associations ?? []).enumerated() {
            guard association.associationType == "isChildOf" else {
                ignored += 1
                continue
            }
            let path = "CFAssociations[\(a)]"
            let origin = index[association.originNodeURI.identifier.lowercased()]
            let destinationID = association.destinationNodeURI.identifier.lowercased()
            let destination = index[destinationID]
            if origin == nil {
                problem(
                    "\(path).originNodeURI.identifier",
                    "« \(association.originNodeURI.identifier) » ne désigne aucun CFItem du paquet")
            }
            if destination == nil && destinationID != documentID {
                problem(
                    "\(path).destinationNodeURI.identifier",
                    "« \(association.destinationNodeURI.identifier) » ne désigne ni un CFItem du paquet ni son CFDocument"
                )
            }
            if let origin, destination != nil || destinationID == documentID {
                parents[origin].append(Parent(item: destination, sequence: association.sequenceNumber ?? Int.max))
            }
        }
        if ignored > 0 { notes.append("\(ignored) association(s) d'un autre type que isChildOf ignorée(s)") }
        return parents
    }

    /// Each item's kind: from its `CFItemType` when Valida knows the name, else from its depth
    /// under the document (1 block, 2 competency, 3 and more criterion). `nil`: ignored.
    mutating func classify(_ parents: [[Parent]]) -> [Kind?] {
        var ignored: [String] = []
        let kinds = items.enumerated().map { i, item -> Kind? in
            if let type = item.itemType, let kind = Kind(itemType: type) { return kind }
            guard let depth = depth(of: i, parents) else {
                ignored.append(item.humanCodingScheme ?? "CFItems[\(i)]")
                return nil
            }
            return depth == 1 ? .block : depth == 2 ? .competency : .criterion
        }
        if !ignored.isEmpty {
            notes.append(
                "élément(s) sans type reconnu ni rattachement au document, ignoré(s) : \(ignored.joined(separator: ", "))"
            )
        }
        return kinds
    }

    /// Steps up the first parents to the document; `nil` when the chain does not reach it.
    func depth(of item: Int, _ parents: [[Parent]]) -> Int? {
        var current = item
        var depth = 1
        while depth <= items.count {
            guard let parent = parents[current].first else { return nil }
            guard let next = parent.item else { return depth }
            current = next
            depth += 1
        }
        return nil  // a cycle
    }

    /// Children of `parent` (an item index, or `nil` for the document) of one kind, in
    /// association order, then package order.
    func children(of parent: Int?, _ kind: Kind, _ kinds: [Kind?], _ parents: [[Parent]]) -> [Int] {
        items.indices
            .compactMap { i -> (Int, Int)? in
                guard kinds[i] == kind, let link = parents[i].first(where: { $0.item == parent }) else { return nil }
                return (link.sequence, i)
            }
            .sorted { $0 < $1 }
            .map(\.1)
    }

    /// Blocks and their competencies, with the item index of each competency.
    mutating func buildBlocks(_ kinds: [Kind?], _ parents: [[Parent]]) -> [(block: Block, item: Int)] {
        var result: [(block: Block, item: Int)] = []
        var blockItems = children(of: nil, .block, kinds, parents)
        // A block hung elsewhere than under the document still counts, after the others.
        blockItems += items.indices.filter { kinds[$0] == .block && !blockItems.contains($0) }
        var generated: [String] = []
        for (b, i) in blockItems.enumerated() {
            let item = items[i]
            var block = Block(id: "BC\(b + 1 < 10 ? "0" : "")\(b + 1)", title: item.fullStatement)
            if let code = nonEmpty(item.humanCodingScheme) {
                if Block.isValidCode(code) {
                    block.code = code
                    block.id = "BC" + code.suffix(2)
                } else {
                    block.id = code
                }
            } else {
                generated.append(block.id)
            }
            for (c, ci) in children(of: i, .competency, kinds, parents).enumerated() {
                let id = nonEmpty(items[ci].humanCodingScheme) ?? "C\(b + 1).\(c + 1)"
                if items[ci].humanCodingScheme == nil { generated.append(id) }
                block.competencies.append(Competency(id: id, text: items[ci].fullStatement))
            }
            result.append((block, i))
        }
        for (i, kind) in kinds.enumerated() where kind == .competency {
            let blockParents = parents[i].filter { $0.item.map { kinds[$0] == .block } ?? false }
            let name = items[i].humanCodingScheme ?? items[i].identifier
            if blockParents.isEmpty {
                problem(
                    "CFItems[\(i)]",
                    "la compétence « \(name) » n'est rattachée à aucun bloc (association isChildOf manquante)")
            } else if blockParents.count > 1 {
                problem(
                    "CFItems[\(i)]",
                    "la compétence « \(name) » est rattachée à \(blockParents.count) blocs : une seule attendue")
            }
        }
        if !generated.isEmpty {
            notes.append(
                "codes absents (humanCodingScheme), identifiants attribués : \(generated.joined(separator: ", "))")
        }
        return result
    }

    /// Criteria by item index: text, code, and the competencies they evidence, in référentiel order.
    func buildCriteria(_ kinds: [Kind?], _ parents: [[Parent]], _ blocks: [(block: Block, item: Int)]) -> [Int:
        Criterion]
    {
        var competencyOfItem: [Int: String] = [:]
        var order: [String: Int] = [:]
        for (block, blockItem) in blocks {
            let competencyItems = children(of: blockItem, .competency, kinds, parents)
            for (competency, item) in zip(block.competencies, competencyItems) {
                competencyOfItem[item] = competency.id
                order[competency.id] = order.count
            }
        }
        var criteria: [Int: Criterion] = [:]
        for (i, kind) in kinds.enumerated() where kind == .criterion {
            let competencies = parents[i].compactMap { $0.item.flatMap { competencyOfItem[$0] } }
            let unique = Array(Set(competencies)).sorted { order[$0, default: 0] < order[$1, default: 0] }
            criteria[i] = Criterion(
                id: items[i].humanCodingScheme ?? "", text: items[i].fullStatement, competencies: unique)
        }
        return criteria
    }

    func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    // MARK: Certification

    func certification() -> Certification {
        let document = package.document
        var certification = Certification()
        if let url = document.officialSourceURL, let match = url.firstMatch(of: /rncp\/(\d{1,6})/) {
            certification.rncpCode = "RNCP\(match.1)"
        }
        let untitled = ["Référentiel sans titre", "Référentiel \(certification.rncpCode ?? "")"]
        certification.title = untitled.contains(document.title) ? nil : document.title
        if document.creator != Self.unknownCreator {
            certification.certifiers = document.creator.components(separatedBy: " ; ").map { Certifier(name: $0) }
        }
        certification.nsfCodes = (document.subject ?? []).compactMap {
            $0.hasPrefix("NSF ") ? String($0.dropFirst(4)) : nil
        }
        return certification
    }

    mutating func version() -> ReferentialVersion {
        let document = package.document
        let id = nonEmpty(document.version) ?? "1"
        if document.version == nil { notes.append("version absente du CFDocument : « 1 » retenue") }
        return ReferentialVersion(
            id: id, effectiveDate: document.statusStartDate.flatMap { CalendarDate(iso: String($0.prefix(10))) })
    }
}
