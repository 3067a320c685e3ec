import Fluent
import Vapor

/// A référentiel version as loaded: its YAML text is kept verbatim, and it is immutable once
/// a candidate is enrolled on it.
final class DBReferential: Model, @unchecked Sendable {
    static let schema = "referentials"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "rncp_code") var rncpCode: String?
    @OptionalField(key: "title") var title: String?
    @Field(key: "version_id") var versionID: String
    @Field(key: "source_name") var sourceName: String
    @Field(key: "yaml") var yaml: String
    @Timestamp(key: "loaded_at", on: .create) var loadedAt: Date?

    init() {}

    init(id: UUID? = nil, rncpCode: String?, title: String?, versionID: String, sourceName: String, yaml: String) {
        self.id = id
        self.rncpCode = rncpCode
        self.title = title
        self.versionID = versionID
        self.sourceName = sourceName
        self.yaml = yaml
    }
}
