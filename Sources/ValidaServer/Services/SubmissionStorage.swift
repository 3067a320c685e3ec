import Foundation
import Vapor

extension Application {
    private struct SubmissionStorageKey: StorageKey { typealias Value = VAEEvidenceStorage }

    /// Where handed-in written work lives: the same store as VAE evidence (temporary file,
    /// then a rename once the row has committed; names Valida chooses), in its own
    /// `submissions` folder beside the evidence files.
    var submissionStorage: VAEEvidenceStorage {
        get {
            if let storage = storage[SubmissionStorageKey.self] { return storage }
            let made = VAEEvidenceStorage(
                directory: vaeEvidence.directory.appendingPathComponent("submissions", isDirectory: true))
            storage[SubmissionStorageKey.self] = made
            return made
        }
        set { storage[SubmissionStorageKey.self] = newValue }
    }
}
