import Foundation
import ValidaCore

/// The invitation to choose a password: who invited the person, for what role, the one-time
/// link and how long it stays valid.
enum InvitationMail {
    static func content(name: String, role: Role, inviter: String, url: String, certifierName: String)
        -> MailContent
    {
        let certifier = certifierName.isEmpty ? "Valida" : certifierName
        return MailContent(
            subject: "Votre compte Valida (\(certifier))",
            greeting: "Bonjour \(name),",
            paragraphs: [
                "\(inviter) vous a créé un compte sur Valida, l'application de certification de \(certifier), avec le rôle « \(role.label) ».",
                "Pour l'activer, choisissez votre mot de passe en suivant ce lien.",
            ],
            action: .init(label: "Choisir mon mot de passe", url: url),
            closing: [
                "Ce lien ne sert qu'une fois et reste valable 7 jours. Passé ce délai, demandez une nouvelle invitation.",
                "Si vous n'attendiez pas ce message, ignorez-le : aucun compte ne sera activé sans vous.",
            ])
    }

    static func mail(to user: DBUser, inviter: String, url: String, certifierName: String) -> OutgoingMail {
        content(name: user.displayName, role: user.role, inviter: inviter, url: url, certifierName: certifierName)
            .mail(
                kind: .invitation, to: user.email, name: user.displayName, userID: user.id, certifierName: certifierName
            )
    }
}
