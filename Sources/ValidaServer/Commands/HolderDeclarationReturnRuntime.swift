import Fluent
import Foundation
import Vapor

extension ServerRuntime {
    /// What `valida import accrochage-return` did.
    public enum HolderDeclarationReturnOutcome: Sendable, Equatable {
        case imported(accepted: Int, rejected: Int)
        /// The file refused, with what is wrong and where: nothing imported.
        case refused(String)
    }

    /// Imports a return file of the Caisse des Dépôts, as the manager's page does.
    public static func importHolderDeclarationReturn(_ url: URL, on app: Application, now: Date = Date()) async throws
        -> HolderDeclarationReturnOutcome
    {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .refused("\(url.lastPathComponent) : fichier illisible (\(error.localizedDescription)).")
        }
        switch try await HolderDeclarationReturnImporting.importFile(
            .init(fileName: url.lastPathComponent, data: data), by: nil, on: app.db, now: now)
        {
        case .success(let summary): return .imported(accepted: summary.accepted, rejected: summary.rejected)
        case .failure(let refusal): return .refused(refusal[.file] ?? "fichier refusé")
        }
    }
}
