import Foundation
import Vapor

/// Hashing and checking passwords off the event loop (bcrypt takes a quarter of a second
/// by design), and the same work whether or not the account exists.
enum Passwords {
    /// A hash of a random password at the cost real ones use: checking an unknown account's
    /// password against it takes as long as checking a real one.
    static let dummyHash: String = {
        (try? Bcrypt.hash(CSRFMiddleware.randomToken())) ?? "$2b$12$" + String(repeating: "a", count: 53)
    }()

    /// Whether `password` matches `hash`; with no hash (no such account), the same work
    /// is done against `dummyHash` and the answer is no.
    static func verify(_ password: String, hash: String?, on app: Application) async throws -> Bool {
        // The dummy hash is made on first use: on the thread pool too.
        let matches = try await app.threadPool.runIfActive { try Bcrypt.verify(password, created: hash ?? dummyHash) }
        return hash != nil && matches
    }

    static func hash(_ password: String, on app: Application) async throws -> String {
        try await app.threadPool.runIfActive { try Bcrypt.hash(password) }
    }
}

/// What a new password must be: long enough, not a common one, not made of the account's
/// own e-mail or name.
enum PasswordPolicy {
    static let minimumLength = 12

    static let common: Set<String> = Set(CommonPasswords.text.split(whereSeparator: \.isWhitespace).map(String.init))

    /// The French reason `password` is refused, or nil.
    static func problem(_ password: String, email: String, name: String) -> String? {
        if password.count < minimumLength {
            return "Le nouveau mot de passe doit compter au moins \(minimumLength) caractères."
        }
        let folded = fold(password)
        if Set(folded).count < 5 {
            return
                "Le nouveau mot de passe répète trop peu de caractères différents : choisissez une phrase de plusieurs mots."
        }
        let core = folded.trimmingCharacters(in: CharacterSet.letters.inverted)
        let squeezed = folded.filter { !$0.isWhitespace }
        if common.contains(folded) || common.contains(core) || common.contains(squeezed) {
            return "Ce mot de passe fait partie des plus courants : choisissez-en un moins prévisible."
        }
        let address = fold(email)
        let local = address.split(separator: "@").first.map(String.init) ?? address
        if !address.isEmpty && squeezed.contains(address.filter { !$0.isWhitespace })
            || local.count >= 4 && squeezed.contains(local)
        {
            return "Le mot de passe ne doit pas contenir votre adresse électronique."
        }
        let nameParts = fold(name).split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count >= 4 }
        if nameParts.contains(where: { squeezed.contains($0) }) {
            return "Le mot de passe ne doit pas contenir votre nom."
        }
        return nil
    }

    /// Lower case, accents removed: "Élodie" and "elodie" are the same word.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    }
}
