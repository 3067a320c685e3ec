import Foundation

/// The link to choose a new password, asked for from the login page: valid one hour, once.
enum PasswordResetMail {
    static func content(name: String, url: String, certifierName: String) -> MailContent {
        let certifier = certifierName.isEmpty ? "Valida" : certifierName
        return MailContent(
            subject: "Réinitialisation de votre mot de passe Valida (\(certifier))",
            greeting: "Bonjour \(name),",
            paragraphs: [
                "Une réinitialisation du mot de passe de votre compte Valida (\(certifier)) a été demandée.",
                "Pour choisir un nouveau mot de passe, suivez ce lien.",
            ],
            action: .init(label: "Choisir un nouveau mot de passe", url: url),
            closing: [
                "Ce lien ne sert qu'une fois et reste valable 1 heure.",
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.",
            ])
    }

    static func mail(to user: DBUser, url: String, certifierName: String) -> OutgoingMail {
        content(name: user.displayName, url: url, certifierName: certifierName)
            .mail(
                kind: .passwordReset, to: user.email, name: user.displayName, userID: user.id,
                certifierName: certifierName)
    }
}
