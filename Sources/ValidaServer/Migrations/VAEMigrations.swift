import Fluent

struct M015CreateVAERequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBVAERequest.schema)
            .id()
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("kind", .string, .required)
            .field("whole_certification", .bool, .required)
            .field("blocks", .string, .required)
            .field("status", .string, .required)
            .field("certifier_message", .string)
            .field("jury_id", .uuid, .references(DBJury.schema, .id, onDelete: .restrict))
            .field("submitted_at", .datetime)
            .field("admissibility_at", .datetime)
            .field("dossier_submitted_at", .datetime)
            .field("decided_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(DBVAEExperience.schema)
            .id()
            .field("request_id", .uuid, .required, .references(DBVAERequest.schema, .id, onDelete: .cascade))
            .field("employer", .string, .required)
            .field("role", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("activities", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [DBVAEExperience.schema, DBVAERequest.schema] {
            try await database.schema(schema).delete()
        }
    }
}

struct M016CreateVAEDossiers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBVAESituation.schema)
            .id()
            .field("request_id", .uuid, .required, .references(DBVAERequest.schema, .id, onDelete: .cascade))
            .field("block_id", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("competencies", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(DBVAEEvidence.schema)
            .id()
            .field("request_id", .uuid, .required, .references(DBVAERequest.schema, .id, onDelete: .restrict))
            .field("situation_id", .uuid, .required, .references(DBVAESituation.schema, .id, onDelete: .restrict))
            .field("original_name", .string, .required)
            .field("stored_name", .string, .required)
            .field("detected_type", .string, .required)
            .field("media_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .uuid, .required, .references(DBUser.schema, .id, onDelete: .restrict))
            .field("uploaded_at", .datetime)
            .unique(on: "stored_name")
            .create()
        try await database.schema(DBVAEDecisionNote.schema)
            .id()
            .field("decision_id", .uuid, .required, .references(DBDecision.schema, .id, onDelete: .restrict))
            .field("request_id", .uuid, .required, .references(DBVAERequest.schema, .id, onDelete: .restrict))
            .field("still_to_show", .string, .required)
            .unique(on: "decision_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [DBVAEDecisionNote.schema, DBVAEEvidence.schema, DBVAESituation.schema] {
            try await database.schema(schema).delete()
        }
    }
}
