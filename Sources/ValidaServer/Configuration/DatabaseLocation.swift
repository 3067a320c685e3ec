import Foundation

/// Where Valida keeps its data: one SQLite file by default, PostgreSQL for schools that
/// outgrow one machine.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqliteFile(String)
    /// For tests: gone when the process ends.
    case sqliteMemory
    case postgres(url: String)

    public static let defaultFile = "valida.sqlite"

    /// From `--database` (a file path, `:memory:` or a `postgres://` URL), else
    /// `VALIDA_DATABASE_URL`, else `valida.sqlite` in the working directory.
    public init(argument: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let value = argument ?? environment["VALIDA_DATABASE_URL"] ?? Self.defaultFile
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if value == ":memory:" {
            self = .sqliteMemory
        } else {
            self = .sqliteFile(value.hasPrefix("sqlite://") ? String(value.dropFirst("sqlite://".count)) : value)
        }
    }

    /// Shown in the console: never the password of a PostgreSQL URL.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "SQLite \(path)"
        case .sqliteMemory: return "SQLite (mémoire)"
        case .postgres(let url):
            if var components = URLComponents(string: url) {
                if components.password != nil { components.password = "***" }
                return "PostgreSQL \(components.string ?? "")"
            }
            return "PostgreSQL"
        }
    }
}
