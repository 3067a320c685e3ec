import Foundation
import ValidaCore

// What the exchange formats (CASE, Moodle) give back: the bytes or the référentiel, and in
// French, what the other format could not carry. Shared by both formats.

/// An exported file, and what the référentiel held that the format leaves out.
public struct ExchangeExport: Sendable {
    public var data: Data
    /// One line per kind of content left out, in French.
    public var notes: [String]

    public init(data: Data, notes: [String]) {
        self.data = data
        self.notes = notes
    }

    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// An imported référentiel, and what was filled with defaults or left out.
public struct ExchangeImport: Sendable {
    public var referential: Referential
    /// One line per default applied or content ignored, in French.
    public var notes: [String]

    public init(referential: Referential, notes: [String]) {
        self.referential = referential
        self.notes = notes
    }
}

/// Why a file could not be imported or exported: every problem found, each with its place.
public struct ExchangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem: `path` is a JSON path (`CFItems[3].fullStatement`) or a CSV column name;
    /// `line` is set for CSV.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var path: String
        public var message: String

        public init(file: String, line: Int? = nil, path: String, message: String) {
            self.file = file
            self.line = line
            self.path = path
            self.message = message
        }

        /// `file:line: path: message`, the form compilers use.
        public var description: String {
            let place = line.map { "\(file):\($0)" } ?? file
            return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
        }
    }

    public var problems: [Problem]

    public init(_ problems: [Problem]) {
        self.problems = problems
    }

    public init(file: String, line: Int? = nil, path: String, message: String) {
        self.problems = [Problem(file: file, line: line, path: path, message: message)]
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
