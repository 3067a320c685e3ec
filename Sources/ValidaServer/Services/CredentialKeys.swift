import Fluent
import Foundation
import SQLKit
import ValidaCredentials
import Vapor

/// The issuer's signing keys, kept in `issuer_keys`: the first RS256 key is made on first use
/// (or at start), a rotation adds a new active key and keeps the old ones so that what they
/// signed still verifies.
enum CredentialKeys {
    /// Every stored key, checked (unique kids, at most one active, readable PEM).
    static func ring(on db: any Database) async throws -> IssuerKeyRing {
        let rows = try await DBIssuerKey.query(on: db).sort(\.$createdAt).all()
        var keys: [IssuerKey] = []
        for row in rows {
            let algorithm = row.algorithm
            keys.append(
                IssuerKey(
                    kid: row.kid, algorithm: algorithm, createdAt: row.createdAt, active: row.active,
                    privateKeyPEM: row.privatePEM))
        }
        do {
            return try IssuerKeyRing(keys: keys)
        } catch let error as CredentialError {
            throw Abort(.internalServerError, reason: "issuer_keys: \(error)")
        }
    }

    /// The keys, with an active RS256 key generated and stored if there is none yet. Safe to
    /// call concurrently: generation is serialised in the process and, on PostgreSQL, across
    /// processes.
    static func ensure(on db: any Database) async throws -> IssuerKeyRing {
        let ring = try await ring(on: db)
        if ring.activeKey != nil { return ring }
        return try await CredentialLock.shared.run {
            try await db.transaction { tx in
                try await lock(tx)
                let current = try await Self.ring(on: tx)
                if current.activeKey != nil { return current }
                return try await rotate(current, to: .rs256, actorName: "Valida (première clé)", on: tx)
            }
        }
    }

    /// Makes a new active key of `algorithm`; the previous ones stay, inactive.
    @discardableResult
    static func rotate(
        to algorithm: SigningAlgorithm, actorName: String, actorID: UUID? = nil, on db: any Database
    ) async throws -> IssuerKey {
        try await CredentialLock.shared.run {
            try await db.transaction { tx in
                try await lock(tx)
                let ring = try await rotate(
                    try await Self.ring(on: tx), to: algorithm, actorName: actorName, actorID: actorID, on: tx)
                return ring.activeKey!
            }
        }
    }

    private static func rotate(
        _ ring: IssuerKeyRing, to algorithm: SigningAlgorithm, actorName: String, actorID: UUID? = nil,
        on db: any Database
    ) async throws -> IssuerKeyRing {
        var ring = ring
        let key = try ring.rotate(to: algorithm)
        for row in try await DBIssuerKey.query(on: db).filter(\.$active == true).all() {
            row.active = false
            try await row.save(on: db)
        }
        try await DBIssuerKey(
            kid: key.kid, algorithm: key.algorithm, createdAt: key.createdAt, active: true,
            privatePEM: key.privateKeyPEM
        ).create(on: db)
        try await AuditLog.append(
            .init(
                action: "issuer-key-created", subjectType: "issuer-key", subjectID: key.kid,
                payload: [
                    "algorithm": key.algorithm.rawValue,
                    "previous": ring.keys.filter { $0.kid != key.kid }.last?.kid ?? "",
                ]),
            actorID: actorID, actorName: actorName, on: db)
        return ring
    }

    /// On PostgreSQL, one key generation or credential issue at a time across processes.
    static func lock(_ db: any Database) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(72818)").run()
        }
    }
}

/// Serialises key generation and status-index allocation inside this process (SQLite has no
/// row lock to wait on, and an actor alone would interleave at every `await`).
actor CredentialLock {
    static let shared = CredentialLock()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
