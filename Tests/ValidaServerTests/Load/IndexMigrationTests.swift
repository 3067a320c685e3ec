import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import ValidaServer

@Suite("Lookup indexes")
struct IndexMigrationTests {
    @Test("every foreign key column leads some index, on the migrated schema")
    func everyForeignKeyIsIndexed() async throws {
        try await withSQLiteFileApp { app, _ in
            let sql = app.db as! any SQLDatabase
            let tables = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).all()
                .map { try $0.decode(column: "name", as: String.self) }
            var unindexed: [String] = []
            var checked = 0
            for table in tables {
                let keys = try await sql.raw("PRAGMA foreign_key_list(\(ident: table))").all()
                    .map { try $0.decode(column: "from", as: String.self) }
                guard !keys.isEmpty else { continue }
                var leading: Set<String> = []
                for index in try await sql.raw("PRAGMA index_list(\(ident: table))").all() {
                    let name = try index.decode(column: "name", as: String.self)
                    let columns = try await sql.raw("PRAGMA index_info(\(ident: name))").all()
                        .sorted {
                            (try $0.decode(column: "seqno", as: Int.self))
                                < (try $1.decode(column: "seqno", as: Int.self))
                        }
                    if let first = columns.first { leading.insert(try first.decode(column: "name", as: String.self)) }
                }
                for key in keys {
                    checked += 1
                    if !leading.contains(key) { unindexed.append("\(table).\(key)") }
                }
            }
            #expect(checked >= 40)
            #expect(unindexed.isEmpty, "foreign keys without an index: \(unindexed)")
        }
    }

    @Test("the indexes are created on the test database too (PostgreSQL when configured), and the migration reverts")
    func portable() async throws {
        try await withTestApp { app in
            let sql = app.db as! any SQLDatabase
            let names: [String]
            if sql.dialect.name == "postgresql" {
                names = try await sql.raw("SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
            } else {
                names = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'index'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
            }
            let wanted = M027CreateLookupIndexes.indexes.map { M027CreateLookupIndexes.name($0.0, $0.1) }
            #expect(Set(wanted).isSubset(of: Set(names)))
            // On one connection: each `app.db` may take another event loop's connection, and
            // under a loaded run the second could still see the schema of before the revert.
            try await app.db.withConnection { db in
                try await M027CreateLookupIndexes().revert(on: db)
                try await M027CreateLookupIndexes().prepare(on: db)
            }
        }
    }
}
