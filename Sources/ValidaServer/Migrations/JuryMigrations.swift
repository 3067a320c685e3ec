import Fluent

struct M011CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBAuditEntry.schema)
            .id()
            .field("sequence", .int, .required)
            .field("recorded_at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("subject_type", .string, .required)
            .field("subject_id", .string, .required)
            .field("payload", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBAuditEntry.schema).delete()
    }
}

struct M012CreateJuries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBJury.schema)
            .id()
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("place", .string, .required)
            .field("meets_on", .string, .required)
            .field("status", .string, .required)
            .field("closed_at", .datetime)
            .field("closed_by", .uuid, .references(DBUser.schema, .id, onDelete: .restrict))
            .field("created_at", .datetime)
            .create()
        try await database.schema(DBJuryCohort.schema)
            .id()
            .field("jury_id", .uuid, .required, .references(DBJury.schema, .id, onDelete: .cascade))
            .field("cohort_id", .uuid, .required, .references(DBCohort.schema, .id, onDelete: .restrict))
            .unique(on: "jury_id", "cohort_id")
            .create()
        try await database.schema(DBJuryMember.schema)
            .id()
            .field("jury_id", .uuid, .required, .references(DBJury.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .restrict))
            .field("role", .string, .required)
            .field("qualities", .string, .required)
            .unique(on: "jury_id", "user_id")
            .create()
        try await database.schema(DBJuryConflict.schema)
            .id()
            .field("jury_id", .uuid, .required, .references(DBJury.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .restrict))
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("involvement", .string, .required)
            .unique(on: "jury_id", "user_id", "candidate_id", "involvement")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [DBJuryConflict.schema, DBJuryMember.schema, DBJuryCohort.schema, DBJury.schema] {
            try await database.schema(schema).delete()
        }
    }
}

struct M013CreateDecisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBDecision.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("jury_id", .uuid, .references(DBJury.schema, .id, onDelete: .restrict))
            .field("scope_kind", .string, .required)
            .field("scope_code", .string, .required)
            .field("source", .string, .required)
            .field("outcome", .string, .required)
            .field("justification", .string)
            .field("decided_by", .uuid, .required, .references(DBUser.schema, .id, onDelete: .restrict))
            .field("decided_by_name", .string, .required)
            .field("decided_on", .string, .required)
            .field("corrects_id", .uuid, .references(DBDecision.schema, .id, onDelete: .restrict))
            .field("recorded_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBDecision.schema).delete()
    }
}

struct M014CreateDocumentsAndSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBDocument.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("jury_id", .uuid, .references(DBJury.schema, .id, onDelete: .restrict))
            .field("kind", .string, .required)
            .field("code", .string, .required)
            .field("content", .string, .required)
            .field("status", .string, .required)
            .field("replaced_by", .uuid, .references(DBDocument.schema, .id, onDelete: .restrict))
            .field("issued_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(DBSetting.schema)
            .id()
            .field("key", .string, .required)
            .field("value", .string, .required)
            .unique(on: "key")
            .create()
        try await database.schema(DBHolderDeclaration.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("jury_id", .uuid, .required, .references(DBJury.schema, .id, onDelete: .restrict))
            .field("passage_id", .string, .required)
            .field("declared_at", .datetime)
            .unique(on: "candidate_id", "jury_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [DBHolderDeclaration.schema, DBSetting.schema, DBDocument.schema] {
            try await database.schema(schema).delete()
        }
    }
}
