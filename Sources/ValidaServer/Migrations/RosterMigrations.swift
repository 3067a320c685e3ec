import Fluent

struct M001CreateReferentials: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBReferential.schema)
            .id()
            .field("rncp_code", .string)
            .field("title", .string)
            .field("version_id", .string, .required)
            .field("source_name", .string, .required)
            .field("yaml", .string, .required)
            .field("loaded_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBReferential.schema).delete()
    }
}

struct M002CreateSchools: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBSchool.schema)
            .id()
            .field("name", .string, .required)
            .field("city", .string)
            .field("siret", .string)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBSchool.schema).delete()
    }
}

struct M003CreateCohorts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBCohort.schema)
            .id()
            .field("school_id", .uuid, .required, .references(DBSchool.schema, .id, onDelete: .restrict))
            .field("referential_id", .uuid, .required, .references(DBReferential.schema, .id, onDelete: .restrict))
            .field("name", .string, .required)
            .field("starts_on", .string)
            .field("ends_on", .string)
            .field("created_at", .datetime)
            .unique(on: "school_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBCohort.schema).delete()
    }
}

struct M004CreateCandidates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBCandidate.schema)
            .id()
            .field("school_id", .uuid, .required, .references(DBSchool.schema, .id, onDelete: .restrict))
            .field("cohort_id", .uuid, .required, .references(DBCohort.schema, .id, onDelete: .restrict))
            .field("referential_id", .uuid, .required, .references(DBReferential.schema, .id, onDelete: .restrict))
            .field("birth_name", .string, .required)
            .field("usual_name", .string)
            .field("first_names", .string, .required)
            .field("birth_date", .string, .required)
            .field("birth_place", .string, .required)
            .field("birth_place_insee", .string)
            .field("sex", .string, .required)
            .field("email", .string, .required)
            .field("access_route", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBCandidate.schema).delete()
    }
}

struct M005CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBUser.schema)
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("school_id", .uuid, .references(DBSchool.schema, .id, onDelete: .restrict))
            .field("candidate_id", .uuid, .references(DBCandidate.schema, .id, onDelete: .restrict))
            .field("must_change_password", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBUser.schema).delete()
    }
}
