import Fluent
import Vapor

/// One line of a correspondence table: a block of an older référentiel version counts as
/// these blocks of a newer one, so that a block acquired under the old version stays
/// acquired under the new.
final class DBCorrespondence: Model, @unchecked Sendable {
    static let schema = "correspondences"

    @ID(key: .id) var id: UUID?
    @Parent(key: "from_referential_id") var from: DBReferential
    @Parent(key: "to_referential_id") var to: DBReferential
    @Field(key: "from_block") var fromBlock: String
    /// Block ids of the newer version, comma-separated.
    @Field(key: "to_blocks") var toBlocks: String

    init() {}

    init(id: UUID? = nil, from: UUID, to: UUID, fromBlock: String, toBlocks: [String]) {
        self.id = id
        self.$from.id = from
        self.$to.id = to
        self.fromBlock = fromBlock
        self.toBlocks = toBlocks.joined(separator: ",")
    }

    var targets: [String] { toBlocks.split(separator: ",").map(String.init) }
}

struct M020CreateCorrespondences: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBCorrespondence.schema)
            .id()
            .field("from_referential_id", .uuid, .required, .references(DBReferential.schema, .id, onDelete: .restrict))
            .field("to_referential_id", .uuid, .required, .references(DBReferential.schema, .id, onDelete: .restrict))
            .field("from_block", .string, .required)
            .field("to_blocks", .string, .required)
            .unique(on: "from_referential_id", "to_referential_id", "from_block")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBCorrespondence.schema).delete()
    }
}
