import Foundation
import Vapor

/// The référentiel a first start (or the demo) loads into an empty database: the seed
/// certification compiled into the binary, so that `valida serve` works from any directory,
/// or a file named with `--referential`.
public enum SeedReferential: Sendable, Hashable {
    case embedded
    case file(String)

    /// The embedded seed's file name, kept as its source name like a loaded file's.
    public static let embeddedName = "marketing-digital.yaml"

    /// The embedded seed when `path` is nil, else that file.
    public init(path: String?) {
        self = path.map(Self.file) ?? .embedded
    }

    /// The YAML text and the name it is stored under.
    public func read() throws -> (yaml: String, sourceName: String) {
        switch self {
        case .embedded:
            return (String(decoding: PackageResources.marketing_digital_yaml, as: UTF8.self), Self.embeddedName)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                throw Abort(
                    .internalServerError,
                    reason: "référentiel de départ illisible : \(path) (fichier absent ou pas en UTF-8)")
            }
            return (text, (path as NSString).lastPathComponent)
        }
    }

    /// What a start prints: the file's path, or that the embedded seed was used.
    public var description: String {
        switch self {
        case .embedded: "référentiel intégré (\(Self.embeddedName))"
        case .file(let path): path
        }
    }
}
