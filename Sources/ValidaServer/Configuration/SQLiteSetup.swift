import Fluent
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Vapor

/// SQLite set up for many evaluators writing at once.
///
/// - `journal_mode=WAL`: readers never wait for the writer, nor the writer for readers.
/// - `synchronous=FULL`: every commit is synced to disk before it is acknowledged, so a save
///   the server answered survives a crash of the process *and* of the machine. (`NORMAL`
///   would be about as fast here — see the README's performance section — and could lose the
///   last commits on a power cut: not for grades.)
/// - `busy_timeout`: a connection waiting for the write lock sleeps and retries for up to
///   10 s instead of SQLiteNIO's default handler, which spins a thread at full speed.
/// - Transactions are serialised in the process and begin `IMMEDIATE`: Fluent's plain
///   `BEGIN` starts as a reader and upgrades on its first write; two such transactions on
///   the pool's two connections deadlock, and SQLite answers one of them "database is
///   locked" at once, without waiting (the 500s of issue 12). Taking the write lock up front,
///   behind a queue in the process, turns that into a short wait. Single statements outside
///   a transaction write at once and wait on `busy_timeout`.
///
/// PostgreSQL is not concerned: it keeps its own driver unchanged.
enum SQLiteSetup {
    static let busyTimeoutMilliseconds = 10_000
    /// `VALIDA_SQLITE_SYNCHRONOUS=NORMAL` only to measure the difference (`valida bench web`).
    static let synchronous =
        ProcessInfo.processInfo.environment["VALIDA_SQLITE_SYNCHRONOUS"] == "NORMAL" ? "NORMAL" : "FULL"

    /// How transactions start. `queued` is what Valida runs; the others exist only so the
    /// benchmark can measure what the queue is worth (`VALIDA_SQLITE_WRITES`): `immediate`
    /// takes the write lock up front but leaves waiting to SQLite's busy handler, `deferred`
    /// is Fluent's plain `BEGIN` (the "database is locked" errors of issue 12).
    enum WriteMode: String { case queued, immediate, deferred }
    static let writeMode =
        WriteMode(rawValue: ProcessInfo.processInfo.environment["VALIDA_SQLITE_WRITES"] ?? "") ?? .queued
    static func use(
        _ app: Application, storage: SQLiteConfiguration.Storage, sqlLogLevel: Logger.Level, queueTimeout: TimeAmount
    ) {
        // A request waits for the loop's one connection as long as for the write queue: the
        // pool's default 10 s failed saves queued behind a backup on a busy machine.
        let base = DatabaseConfigurationFactory.sqlite(
            SQLiteConfiguration(storage: storage), connectionPoolTimeout: queueTimeout, sqlLogLevel: sqlLogLevel
        ).make()
        app.databases.use(SerialWriteConfiguration(base: base, queueTimeout: queueTimeout), as: .sqlite)
    }

    /// Applies the per-connection settings to the pool's connection on every event loop (the
    /// SQLite pool keeps exactly one per loop, for the application's lifetime) and switches the
    /// file to WAL. Returns the journal mode in force ("wal", or "memory" for tests).
    @discardableResult
    static func prepare(_ app: Application) async throws -> String {
        var mode = ""
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(.sqlite, logger: app.logger, on: loop)!
            guard let sql = db as? any SQLDatabase else { continue }
            try await db.withConnection { conn in
                let sql = conn as! any SQLDatabase
                try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeoutMilliseconds))").run()
                try await sql.raw("PRAGMA synchronous = \(unsafeRaw: synchronous)").run()
            }
            if mode.isEmpty {
                // A read-only file cannot change mode: the app still serves it, and says why
                // when a write fails (`DiskFault`).
                do {
                    let row = try await sql.raw("PRAGMA journal_mode = WAL").first()
                    mode = (try? row?.decode(column: "journal_mode", as: String.self)) ?? ""
                } catch {
                    app.logger.warning("SQLite : passage en WAL impossible (\(String(reflecting: error)))")
                    mode = "unchanged"
                }
            }
        }
        return mode
    }
}

/// The SQLite configuration, its databases wrapped so that transactions take turns.
struct SerialWriteConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    var queueTimeout: TimeAmount

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        SerialWriteDriver(base: base.makeDriver(for: databases), queue: WriteQueue(timeout: queueTimeout))
    }
}

struct SerialWriteDriver: DatabaseDriver {
    let base: any DatabaseDriver
    let queue: WriteQueue

    func makeDatabase(with context: DatabaseContext) -> any Database {
        SerialWriteDatabase(base: base.makeDatabase(with: context), queue: queue, inTransaction: false)
    }

    func shutdown() { base.shutdown() }
    func shutdownAsync() async { await base.shutdownAsync() }
}

/// A first-come first-served lock that waits on event loops instead of blocking threads. A
/// waiter gives up after `timeout` (`ServerOptions.sqliteWriteWaitSeconds`): a nested
/// transaction opened on `req.db` instead of the transaction's own database would otherwise
/// wait forever.
final class WriteQueue: Sendable {
    private struct State {
        var busy = false
        var waiting: [(id: Int, promise: EventLoopPromise<Void>)] = []
        var nextID = 0
    }

    private let state = NIOLockedValueBox(State())
    let timeout: TimeAmount

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Succeeds when the caller holds the lock; fails after `timeout` in the queue.
    func acquire(on loop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = loop.makePromise(of: Void.self)
        let id: Int? = state.withLockedValue { state in
            if !state.busy {
                state.busy = true
                return nil
            }
            state.nextID += 1
            state.waiting.append((state.nextID, promise))
            return state.nextID
        }
        guard let id else {
            promise.succeed(())
            return promise.futureResult
        }
        let timer = loop.scheduleTask(in: timeout) { [self] in
            let removed = state.withLockedValue { state in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return false }
                state.waiting.remove(at: index)
                return true
            }
            if removed { promise.fail(WriteQueueTimeout(timeout: timeout)) }
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    func release() {
        let next: EventLoopPromise<Void>? = state.withLockedValue { state in
            if state.waiting.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst().promise
        }
        next?.succeed(())
    }
}

struct WriteQueueTimeout: Error, CustomStringConvertible {
    var timeout: TimeAmount
    var description: String { "SQLite: no turn to write within \(timeout)" }
}

/// Carries a value that is not `Sendable` from a future's callback to the next one on the
/// same transaction's chain (they never run concurrently).
private struct Carried<T>: @unchecked Sendable { let value: T }

/// A SQLite database whose transactions take turns (`WriteQueue`) and begin IMMEDIATE.
/// Everything else is the Fluent SQLite database underneath, SQLKit included.
struct SerialWriteDatabase: Database, SQLDatabase {
    let base: any Database
    let queue: WriteQueue
    let inTransaction: Bool

    /// Counts the statements sent through this database by the current task, Fluent's and
    /// SQLKit's alike (tests prove pages read in a constant number of queries with it).
    @TaskLocal static var counter: StatementCounter?

    var context: DatabaseContext { base.context }
    private var sql: any SQLDatabase { base as! any SQLDatabase }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<
        Void
    > {
        Self.counter?.add()
        return base.execute(query: query, onOutput: onOutput)
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let queue = self.queue
        let inTransaction = self.inTransaction
        return base.withConnection {
            closure(SerialWriteDatabase(base: $0, queue: queue, inTransaction: inTransaction))
        }
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if inTransaction { return closure(self) }
        let queue = self.queue
        let base = self.base
        switch SQLiteSetup.writeMode {
        case .queued: break
        case .deferred: return base.transaction(closure)
        case .immediate: return Self.immediate(base: base, queue: queue, closure).map(\.value)
        }
        return queue.acquire(on: eventLoop).flatMap {
            base.withConnection { conn -> EventLoopFuture<Carried<T>> in
                Self.run(on: conn, queue: queue, closure)
            }.always { _ in queue.release() }
        }.map(\.value)
    }

    /// `BEGIN IMMEDIATE`, the work, `COMMIT`; `ROLLBACK` if anything failed, the commit included.
    private static func run<T>(
        on conn: any Database, queue: WriteQueue, _ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>
    ) -> EventLoopFuture<Carried<T>> {
        let tx = SerialWriteDatabase(base: conn, queue: queue, inTransaction: true)
        return tx.raw("BEGIN IMMEDIATE").run().flatMap {
            closure(tx).map { Carried(value: $0) }.flatMap { result in
                tx.raw("COMMIT").run().map { result }
            }
        }.flatMapError { error in
            tx.raw("ROLLBACK").run().recover { _ in }.flatMapThrowing { throw error }
        }
    }

    private static func immediate<T>(
        base: any Database, queue: WriteQueue, _ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>
    ) -> EventLoopFuture<Carried<T>> {
        base.withConnection { conn in run(on: conn, queue: queue, closure) }
    }

    // SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var dialect: any SQLDialect { sql.dialect }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        Self.counter?.add()
        return sql.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        Self.counter?.add()
        try await sql.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await sql.withSession(closure)
    }
}

final class StatementCounter: Sendable {
    private let box = NIOLockedValueBox(0)
    init() {}
    func add() { box.withLockedValue { $0 += 1 } }
    var count: Int { box.withLockedValue { $0 } }
}
