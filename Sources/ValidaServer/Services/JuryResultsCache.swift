import Fluent
import NIOConcurrencyHelpers
import SQLKit
import ValidaCore
import Vapor

/// The stored results generation: a number that grows, in the writing transaction, with
/// every change to a table results are computed from (`M031CreateResultsGeneration`).
enum ResultsGeneration {
    static func current(on db: any Database) async throws -> Int64 {
        guard
            let row = try await (db as! any SQLDatabase).select().column("value").from("results_generation")
                .where("id", .equal, 1).first()
        else {
            throw Abort(.internalServerError, reason: "La génération des résultats est introuvable (migration 031).")
        }
        return try row.decode(column: "value", as: Int64.self)
    }
}

/// A jury's context and its computed results, as read at one results generation.
struct JurySnapshot: Sendable {
    /// The generation read *before* any of the data: the data is at least that recent.
    let generation: Int64
    let context: JuryContext
    /// `context.computedResults()`, in `context.candidates` order.
    let computed: [CandidateResults]
    /// The deliberation page's model and rendered table, per filters, built from this snapshot.
    let pages = DeliberationPages()
}

/// What the deliberation page built from one snapshot, per filters (a few at most).
final class DeliberationPages: Sendable {
    private let built = NIOLockedValueBox<[DeliberationPage.Filters: (DeliberationPage.Model, RenderedHTML)]>([:])
    static let capacity = 16

    func page(_ filters: DeliberationPage.Filters) -> (model: DeliberationPage.Model, matrix: RenderedHTML)? {
        built.withLockedValue { $0[filters] }
    }

    func store(_ filters: DeliberationPage.Filters, _ page: (model: DeliberationPage.Model, matrix: RenderedHTML)) {
        built.withLockedValue {
            if $0.count >= Self.capacity { $0.removeAll() }
            $0[filters] = page
        }
    }
}

/// Jury contexts with their computed results, kept in the process between requests.
///
/// Each request reads the stored generation first (one indexed query) and is served the
/// snapshot built at that generation or a later one; any other is rebuilt. Since every
/// committed write to what results read bumps the generation in its own transaction (by
/// trigger, from whichever app instance), a snapshot can never be served after a write it
/// does not include. Several requests missing at once share one build. Snapshots are
/// shared between requests and only read: nothing may change the models they hold.
actor JuryResultsCache {
    private struct Entry {
        var generation: Int64
        var build: Task<JurySnapshot, any Error>
        var used: UInt64
    }

    private var entries: [UUID: Entry] = [:]
    private var clock: UInt64 = 0
    /// Juries kept at most; the least recently used goes first.
    static let capacity = 8

    /// The jury's snapshot at the stored generation, built if needed.
    func snapshot(_ juryID: UUID, referentials: ReferentialStore, on db: any Database) async throws -> JurySnapshot {
        let generation = try await ResultsGeneration.current(on: db)
        clock += 1
        if let entry = entries[juryID], entry.generation >= generation {
            entries[juryID]?.used = clock
            return try await value(of: entry.build, jury: juryID)
        }
        let build = Task { try await Self.build(juryID, generation: generation, referentials: referentials, on: db) }
        entries[juryID] = Entry(generation: generation, build: build, used: clock)
        if entries.count > Self.capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        return try await value(of: build, jury: juryID)
    }

    /// The snapshot built at exactly `generation`, if one is complete: what a write reads
    /// after reading the generation in its own transaction.
    func current(_ juryID: UUID, generation: Int64) async -> JurySnapshot? {
        guard let entry = entries[juryID], entry.generation == generation,
            let snapshot = try? await entry.build.value
        else { return nil }
        // Built at that generation, but a later write may have finished meanwhile: the
        // snapshot's label is what counts, and it is exactly `generation`.
        return snapshot.generation == generation ? snapshot : nil
    }

    private func value(of build: Task<JurySnapshot, any Error>, jury: UUID) async throws -> JurySnapshot {
        do {
            return try await build.value
        } catch {
            // A failed build is not kept: the next request tries again.
            if entries[jury]?.build == build { entries[jury] = nil }
            throw error
        }
    }

    /// Off the actor: reads the context and computes every candidate's results.
    private nonisolated static func build(
        _ juryID: UUID, generation: Int64, referentials: ReferentialStore, on db: any Database
    ) async throws -> JurySnapshot {
        let context = try await JuryContext.load(juryID, referentials: referentials, on: db)
        return JurySnapshot(generation: generation, context: context, computed: context.computedResults())
    }
}

extension Application {
    private struct JuryResultsCacheKey: LockKey, StorageKey { typealias Value = JuryResultsCache }

    var juryResults: JuryResultsCache {
        locks.lock(for: JuryResultsCacheKey.self).withLock {
            if let cache = storage[JuryResultsCacheKey.self] { return cache }
            let cache = JuryResultsCache()
            storage[JuryResultsCacheKey.self] = cache
            return cache
        }
    }
}
