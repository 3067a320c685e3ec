import Fluent

struct M007CreateTeams: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBTeam.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(DBCohort.schema, .id, onDelete: .restrict))
            .field("name", .string, .required)
            .field("assessment_id", .string)
            .unique(on: "cohort_id", "name")
            .create()
        try await database.schema(DBTeamMember.schema)
            .id()
            .field("team_id", .uuid, .required, .references(DBTeam.schema, .id, onDelete: .cascade))
            .field("candidate_id", .uuid, .required, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .unique(on: "team_id", "candidate_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBTeamMember.schema).delete()
        try await database.schema(DBTeam.schema).delete()
    }
}

struct M008CreateAssessmentSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBAssessmentSession.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(DBCohort.schema, .id, onDelete: .restrict))
            .field("assessment_id", .string, .required)
            .field("attempt", .int, .required)
            .field("starts_on", .string)
            .field("ends_on", .string)
            .unique(on: "cohort_id", "assessment_id", "attempt")
            .create()
        try await database.schema(DBAssignment.schema)
            .id()
            .field("session_id", .uuid, .required, .references(DBAssessmentSession.schema, .id, onDelete: .cascade))
            .field("evaluator_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .restrict))
            .unique(on: "session_id", "evaluator_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBAssignment.schema).delete()
        try await database.schema(DBAssessmentSession.schema).delete()
    }
}

struct M009CreateGrids: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBGrid.schema)
            .id()
            .field("session_id", .uuid, .required, .references(DBAssessmentSession.schema, .id, onDelete: .restrict))
            .field("candidate_id", .uuid, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("team_id", .uuid, .references(DBTeam.schema, .id, onDelete: .restrict))
            .field("status", .string, .required)
            .field("revision", .int, .required)
            .field("updated_by", .uuid, .references(DBUser.schema, .id, onDelete: .restrict))
            .field("submitted_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(DBRating.schema)
            .id()
            .field("grid_id", .uuid, .required, .references(DBGrid.schema, .id, onDelete: .cascade))
            .field("criterion_id", .string, .required)
            .field("member_id", .uuid, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("level", .int)
            .field("mark", .double)
            .field("comment", .string)
            .field("evaluator_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .restrict))
            .field("rated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBRating.schema).delete()
        try await database.schema(DBGrid.schema).delete()
    }
}

struct M010CreateSecurityTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBAPIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(DBUser.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(DBLoginFailure.schema)
            .id()
            .field("email", .string, .required)
            .field("address", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBLoginFailure.schema).delete()
        try await database.schema(DBAPIToken.schema).delete()
    }
}
