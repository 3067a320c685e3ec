import ArgumentParser
import Foundation
import ValidaCore
import ValidaFormats

/// Loading a référentiel named on the command line, for the subcommands that compute on one.
enum ReferentialFileOption {
    /// The seed certification shipped with Valida, relative to the repository's root.
    static let shippedSeedPath = "referentials/marketing-digital.yaml"

    /// Loads a référentiel, refusing one with errors (each printed with its place).
    static func load(_ path: String) throws -> Referential {
        let loaded = ReferentialYAML.load(contentsOf: URL(fileURLWithPath: path))
        let errors = loaded.findings.filter { $0.severity == .error }
        guard errors.isEmpty, let referential = loaded.referential else {
            throw ValidationError(
                "le référentiel \(path) a des erreurs (voir valida check \(path)) :\n"
                    + errors.map(\.formatted).joined(separator: "\n"))
        }
        return referential
    }
}
