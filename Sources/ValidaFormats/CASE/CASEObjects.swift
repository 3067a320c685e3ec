import Foundation

/// Every object of a CASE package by its `uri`, as the JSON a CASE consumer gets when it
/// dereferences that URI: the package itself for `CFPackages/…`, the document for
/// `CFDocuments/…`, and each item, association, item type, rubric, criterion and level alone.
extension CASEExchange {
    public static func objects(_ package: CASEPackage) -> [String: Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var objects: [String: Data] = [:]
        func add(_ uri: String, _ value: some Encodable) {
            // Strings, integers and finite doubles only: encoding cannot fail.
            if objects[uri] == nil, let data = try? encoder.encode(value) { objects[uri] = data + Data("\n".utf8) }
        }
        if let packageURI = package.document.packageURI?.uri { add(packageURI, package) }
        add(package.document.uri, package.document)
        for item in package.items ?? [] { add(item.uri, item) }
        for association in package.associations ?? [] { add(association.uri, association) }
        for type in package.definitions?.itemTypes ?? [] { add(type.uri, type) }
        for rubric in package.rubrics ?? [] {
            add(rubric.uri, rubric)
            for criterion in rubric.criteria ?? [] {
                add(criterion.uri, criterion)
                for level in criterion.levels ?? [] { add(level.uri, level) }
            }
        }
        return objects
    }
}
