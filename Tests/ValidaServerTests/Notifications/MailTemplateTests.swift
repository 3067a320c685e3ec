import Foundation
import Testing
import ValidaCore

@testable import ValidaServer

/// The notification templates: French, signed with the certifier's name, a hostile name
/// escaped in the HTML and readable in the plain text, links absolute or said to be paths.
@Suite("Notifications: templates")
struct MailTemplateTests {
    static let hostile = #"Yanis"><iframe src="file:///etc/passwd">"#
    static let base = MailText.Link(path: "/me", base: "https://valida.example.fr/")

    static func render(_ content: MailContent, certifier: String = "Institut Exemple") -> OutgoingMail {
        content.mail(kind: .convocation, to: "yanis@example.fr", name: hostile, userID: nil, certifierName: certifier)
    }

    static func contents() -> [MailContent] {
        let day = CalendarDate(iso: "2026-03-05")!
        let document = ResultsPublishedMail.Document(
            label: DocumentKind.diploma.label, code: "ABCD-EFGH-JKMN",
            verification: MailText.Link(path: "/verify/ABCD-EFGH-JKMN", base: "https://valida.example.fr"))
        return [
            ConvocationMail.content(
                .init(
                    candidateName: hostile, assessment: hostile, attempt: 2, startsOn: day, endsOn: day,
                    place: hostile, instructions: hostile, space: base)),
            ResultsPublishedMail.content(
                .init(
                    candidateName: hostile, certificationTitle: hostile, juryName: hostile, meetingDate: day,
                    certified: true, validated: [hostile], notValidated: [], deferred: [], documents: [document],
                    space: base)),
            VAEAdmissibilityMail.content(
                .init(candidateName: hostile, ruling: .rejected, scope: "le bloc BC01", message: hostile, request: base)
            ),
            VAEJuryDateMail.content(
                .init(candidateName: hostile, interviewOn: day, place: hostile, scope: "le bloc BC01", request: base)),
            DocumentIssuedMail.content(
                .init(candidateName: hostile, certificationTitle: hostile, documents: [document], space: base)),
        ]
    }

    @Test("every template escapes a hostile name in its HTML and keeps it readable in its text")
    func hostileName() {
        for content in Self.contents() {
            let mail = Self.render(content)
            #expect(!mail.html.contains("<iframe"), "\(content.subject)")
            #expect(mail.html.contains("&lt;iframe"), "\(content.subject)")
            #expect(mail.text.contains(Self.hostile), "\(content.subject)")
            #expect(mail.text.contains("— Institut Exemple"))
            #expect(mail.html.contains("— Institut Exemple"))
            #expect(mail.text.contains("https://valida.example.fr/"))
            #expect(!mail.text.contains(MailText.relativeNote))
        }
    }

    @Test("a convocation says the assessment, the dates in words, the place, what to bring and a resit as such")
    func convocation() {
        let first = ConvocationMail.content(
            .init(
                candidateName: "Inès Petit", assessment: "Étude de cas", attempt: 1,
                startsOn: CalendarDate(iso: "2026-03-05"), endsOn: CalendarDate(iso: "2026-03-06"),
                time: "14 h 00", room: "B12", place: "Campus de Lyon, 3 rue de l'Exemple",
                instructions: "Pièce d'identité et ordinateur chargé.", space: Self.base))
        let text = first.text(signature: "Institut Exemple")
        #expect(first.subject == "Convocation : Étude de cas")
        #expect(text.hasPrefix("Bonjour Inès Petit,"))
        #expect(text.contains("Nous vous convoquons à l'épreuve « Étude de cas »."))
        #expect(text.contains("Date : du 5 mars 2026 au 6 mars 2026, à 14 h 00."))
        #expect(text.contains("Lieu : Campus de Lyon, 3 rue de l'Exemple (salle : B12)."))
        #expect(text.contains("À prévoir et consignes : Pièce d'identité et ordinateur chargé."))
        #expect(text.contains("Ouvrir mon espace candidat : https://valida.example.fr/me"))
        #expect(!text.contains("rattrapage"))

        let resit = ConvocationMail.content(
            .init(
                candidateName: "Inès Petit", assessment: "Étude de cas", attempt: 2,
                startsOn: CalendarDate(iso: "2026-09-01"), endsOn: nil, place: nil, instructions: nil,
                space: MailText.Link(path: "/me", base: "")))
        let resitText = resit.text(signature: "Valida")
        #expect(resit.subject == "Convocation : Étude de cas (rattrapage)")
        #expect(resitText.contains("Il s'agit du rattrapage de cette épreuve (deuxième passage)."))
        #expect(resitText.contains("Date : le 1 septembre 2026."))
        #expect(resitText.contains("Lieu : il vous sera précisé par votre école."))
        // No public address: the link is the path, and the message says so.
        #expect(resitText.contains("Ouvrir mon espace candidat : /me"))
        #expect(resitText.contains(MailText.relativeNote))
    }

    @Test("results say the outcome in words; the signature falls back to Valida without a certifier name")
    func results() {
        let content = ResultsPublishedMail.content(
            .init(
                candidateName: "Hugo Bernard", certificationTitle: "Responsable de projets",
                juryName: "Jury de juillet",
                meetingDate: CalendarDate(iso: "2026-07-03"), certified: false,
                validated: ["bloc BC01 — Analyser un marché"], notValidated: ["la certification complète"],
                deferred: [], documents: [], space: Self.base))
        let mail = content.mail(
            kind: .resultsPublished, to: "h@example.fr", name: "Hugo", userID: nil, certifierName: "")
        #expect(mail.subject == "Résultats du jury : Responsable de projets")
        #expect(mail.text.contains("Le jury « Jury de juillet », réuni le 3 juillet 2026, a clos sa délibération"))
        #expect(mail.text.contains("Le jury a validé : bloc BC01 — Analyser un marché."))
        #expect(mail.text.contains("Non validé : la certification complète."))
        #expect(!mail.text.contains("Félicitations"))
        #expect(mail.text.contains("— Valida"))
    }

    @Test("a VAE refusal gives its reason; an admissible request says what comes next")
    func vae() {
        let refused = VAEAdmissibilityMail.content(
            .init(
                candidateName: "Sophie Durand", ruling: .rejected, scope: "les blocs BC01 et BC02",
                message: "Expérience trop courte", request: Self.base))
        #expect(refused.subject == "Votre demande de VAE n'est pas recevable")
        #expect(refused.text(signature: "X").contains("Motif : Expérience trop courte"))
        let admissible = VAEAdmissibilityMail.content(
            .init(
                candidateName: "Sophie Durand", ruling: .admissible, scope: "le bloc BC01", message: nil,
                request: Self.base))
        #expect(admissible.subject == "Votre demande de VAE est recevable")
        #expect(admissible.text(signature: "X").contains("constituer votre dossier de validation"))
        #expect(!admissible.text(signature: "X").contains("Motif"))
    }
}
