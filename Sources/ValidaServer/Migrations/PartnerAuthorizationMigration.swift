import Fluent
import Foundation
import SQLKit
import ValidaCore

/// Partner authorisations (`DBPartnerAuthorization`). Schools already running cohorts get,
/// per référentiel version they use, one authorisation for the whole certification spanning
/// every day their cohorts and sessions on it take (or the day of the migration where none is
/// dated), so that nothing stored falls outside an authorisation; the certifier then
/// records the real agreements.
struct M046CreatePartnerAuthorizations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DBPartnerAuthorization.schema)
            .id()
            .field("school_id", .uuid, .required, .references(DBSchool.schema, .id, onDelete: .cascade))
            .field("referential_id", .uuid, .required, .references(DBReferential.schema, .id, onDelete: .cascade))
            .field("whole_certification", .bool, .required)
            .field("blocks", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("ended_at", .datetime)
            .field("agreement_name", .string)
            .field("agreement_stored", .string)
            .field("agreement_size", .int)
            .field("agreement_sha256", .string)
            .field("agreement_uploaded_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await M027CreateLookupIndexes.create(
            [(DBPartnerAuthorization.schema, ["school_id"]), (DBPartnerAuthorization.schema, ["referential_id"])],
            on: database)
        try await Self.coverExisting(on: database)
    }

    /// One whole-certification authorisation per school and version in use, from the earliest
    /// to the latest day of its cohorts and sessions. In SQL: the models may gain columns later.
    static func coverExisting(on database: any Database, today: CalendarDate = DateInput.today) async throws {
        let sql = database as! any SQLDatabase
        struct Key: Hashable {
            var school: UUID
            var version: UUID
        }
        var keyByCohort: [UUID: Key] = [:]
        var days: [Key: [CalendarDate]] = [:]
        func day(_ text: String?) -> CalendarDate? { text.flatMap(CalendarDate.init(iso:)) }
        for row in try await sql.select().columns("id", "school_id", "referential_id", "starts_on", "ends_on")
            .from(DBCohort.schema).all()
        {
            let key = Key(
                school: try row.decode(column: "school_id", as: UUID.self),
                version: try row.decode(column: "referential_id", as: UUID.self))
            keyByCohort[try row.decode(column: "id", as: UUID.self)] = key
            days[key, default: []] += [
                day(try row.decode(column: "starts_on", as: String?.self)),
                day(try row.decode(column: "ends_on", as: String?.self)),
            ].compactMap { $0 }
        }
        for row in try await sql.select().columns("cohort_id", "starts_on", "ends_on")
            .from(DBAssessmentSession.schema).all()
        {
            guard let key = keyByCohort[try row.decode(column: "cohort_id", as: UUID.self)] else { continue }
            days[key, default: []] += [
                day(try row.decode(column: "starts_on", as: String?.self)),
                day(try row.decode(column: "ends_on", as: String?.self)),
            ].compactMap { $0 }
        }
        for (key, found) in days {
            try await sql.insert(into: DBPartnerAuthorization.schema)
                .columns(
                    "id", "school_id", "referential_id", "whole_certification", "blocks", "starts_on", "ends_on",
                    "created_at"
                )
                .values(
                    SQLBind(UUID()), SQLBind(key.school), SQLBind(key.version), SQLBind(true), SQLBind(""),
                    SQLBind((found.min() ?? today).iso), SQLBind((found.max() ?? today).iso), SQLBind(Date())
                ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DBPartnerAuthorization.schema).delete()
    }
}
