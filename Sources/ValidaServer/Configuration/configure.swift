import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOSSL
import Vapor

/// How the server runs, beyond Vapor's own settings.
public struct ServerOptions: Sendable {
    public var database: DatabaseLocation
    /// Cookies marked Secure: set when Valida is reached over HTTPS (behind a proxy).
    public var secureCookies: Bool
    /// Log every SQL statement (debugging).
    public var logSQL: Bool
    /// SQLite: how long a transaction waits for its turn to write before the request fails
    /// (503). Tests raise it: they share two cores with every other suite running at once.
    public var sqliteWriteWaitSeconds: Int64

    public init(
        database: DatabaseLocation, secureCookies: Bool = false, logSQL: Bool = false,
        sqliteWriteWaitSeconds: Int64 = 30
    ) {
        self.database = database
        self.secureCookies = secureCookies
        self.logSQL = logSQL
        self.sqliteWriteWaitSeconds = sqliteWriteWaitSeconds
    }
}

/// Sets up an application: database, migrations, sessions, middleware, routes. Migrations
/// are registered, not run: `valida serve` and `valida migrate` run them.
public func configure(_ app: Application, _ options: ServerOptions) async throws {
    let sqlLog: Logger.Level = options.logSQL ? .info : .debug
    switch options.database {
    case .sqliteFile(let path):
        SQLiteSetup.use(
            app, storage: .file(path: path), sqlLogLevel: sqlLog, queueTimeout: .seconds(options.sqliteWriteWaitSeconds)
        )
    case .sqliteMemory:
        SQLiteSetup.use(
            app, storage: .memory, sqlLogLevel: sqlLog, queueTimeout: .seconds(options.sqliteWriteWaitSeconds))
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        if url.contains("sslmode=disable") || URLComponents(string: url)?.host.map(isLoopback) == true {
            configuration.coreConfiguration.tls = .disable
        }
        app.databases.use(.postgres(configuration: configuration, sqlLogLevel: sqlLog), as: .psql)
    }
    if case .postgres = options.database {} else { try await SQLiteSetup.prepare(app) }
    app.migrations.add(ValidaMigrations.all)
    // VAE evidence files live beside the database, outside any web root; files left by an
    // interrupted upload are removed at start.
    app.vaeEvidence = VAEEvidenceStorage(directory: VAEEvidenceStorage.defaultDirectory(for: options.database))
    app.vaeEvidence.sweep()
    // The written work's temporary files too; the store itself is derived from the evidence
    // directory on first use (`app.submissionStorage`), so whoever moves that directory (the
    // tests) moves both.
    VAEEvidenceStorage(directory: app.vaeEvidence.directory.appendingPathComponent("submissions", isDirectory: true))
        .sweep()

    // Sessions are rows of `user_sessions`, made at login only (UserSessions); anonymous
    // visitors carry at most a signed form-token cookie.
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    // Outside the error pages, so that they carry the headers too.
    app.middleware.use(SecurityHeadersMiddleware(strictTransport: options.secureCookies))
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(UserSessionMiddleware(secureCookies: options.secureCookies))
    app.middleware.use(CSRFMiddleware(secureCookies: options.secureCookies))
    app.secureSessionCookies = options.secureCookies

    app.routes.defaultMaxBodySize = "10mb"
    try routes(app)
}

private func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "127.0.0.1" || host == "::1" || host.hasPrefix("/")
}
