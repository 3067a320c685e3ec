import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import VaporTesting

@testable import ValidaServer

/// Server tests run on a fresh in-memory SQLite database each, or — when
/// `VALIDA_TEST_POSTGRES_URL` is set — on a fresh PostgreSQL database each, created for the
/// test and dropped after it, so tests stay independent and may run in parallel.
enum TestDatabase {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["VALIDA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var name: String { postgresURL == nil ? "SQLite" : "PostgreSQL" }

    /// Drops a test database even while the server still counts a connection of the closed
    /// application to it (a loaded machine closes them a moment later than the test ends).
    static func drop(_ name: String) -> String { "DROP DATABASE IF EXISTS \(name) WITH (FORCE)" }

    /// Runs `statement` on the server's maintenance database.
    static func administer(_ url: String, _ statement: String) async throws {
        let app = try await Application.makeForTests()
        do {
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.coreConfiguration.tls = .disable
            app.databases.use(.postgres(configuration: configuration), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(stringLiteral: statement)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// At most a few PostgreSQL test databases at once: Swift Testing starts every test
/// together, and a server accepts a hundred connections by default.
actor TestDatabaseGate {
    static let shared = TestDatabaseGate(slots: 6)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int) { free = slots }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// A configured, migrated application for one test.
func withTestApp(_ test: (Application) async throws -> Void) async throws {
    guard TestDatabase.postgresURL != nil else { return try await runTestApp(test) }
    await TestDatabaseGate.shared.acquire()
    do {
        try await runTestApp(test)
    } catch {
        await TestDatabaseGate.shared.release()
        throw error
    }
    await TestDatabaseGate.shared.release()
}

private func runTestApp(_ test: (Application) async throws -> Void) async throws {
    var location = DatabaseLocation.sqliteMemory
    var createdDatabase: String?
    if let url = TestDatabase.postgresURL, var components = URLComponents(string: url) {
        let name = "valida_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await TestDatabase.administer(url, "CREATE DATABASE \(name)")
        createdDatabase = name
        components.path = "/\(name)"
        location = .postgres(url: components.string!)
    }
    let app = try await Application.makeForTests()
    do {
        // Suites run in parallel on two cores: a queued write may wait longer than in production.
        try await configure(app, ServerOptions(database: location, sqliteWriteWaitSeconds: 300))
        // Each test its own evidence folder, whatever the database.
        app.vaeEvidence = VAEEvidenceStorage(directory: VAEEvidenceStorage.defaultDirectory(for: .sqliteMemory))
        try await app.autoMigrate()
        try await test(app)
    } catch {
        try? await app.asyncShutdown()
        if let createdDatabase, let url = TestDatabase.postgresURL {
            try? await TestDatabase.administer(url, TestDatabase.drop(createdDatabase))
        }
        throw error
    }
    try await app.asyncShutdown()
    if let createdDatabase, let url = TestDatabase.postgresURL {
        try await TestDatabase.administer(url, TestDatabase.drop(createdDatabase))
    }
}

extension Application {
    /// A test application that logs warnings and errors only (`LOG_LEVEL` overrides): one
    /// info line per request buried a failing test's report under thousands of lines in CI.
    static func makeForTests() async throws -> Application {
        var logger = Logger(label: "codes.vapor.application")
        logger.logLevel =
            ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return try await Application.make(.testing, logger: logger)
    }
}
