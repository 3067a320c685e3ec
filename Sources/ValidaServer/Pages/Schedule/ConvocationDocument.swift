import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A candidate's convocation to their slot, as a print-ready page printed to PDF by the
/// documents' path (`PDFRenderer`): date, time, place or link, length, what to bring, and the
/// accommodations that apply to them (what, never why). One per candidate, listing every
/// slot they have in the session, or all of a session's in a ZIP for the coordinator.
enum ConvocationDocument {
    struct Model: Sendable {
        var candidateName: String
        var assessment: String
        var attempt: Int
        /// The candidate's slots in the session, earliest first (at least one).
        var slots: [Slot]
        var place: String?
        var instructions: String?
        var accommodations: [String]
        var certifierName: String

        struct Slot: Sendable, Hashable {
            var time: SlotTime
            var room: String?
            var videoLink: String?
        }

        var time: SlotTime { slots[0].time }
    }

    static func model(slot: DBSlot, candidate: DBCandidate, on request: Request) async throws -> Model {
        let session = slot.session
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        let applied = try await ScheduleOccupancy.accommodations(
            for: [try candidate.requireID()], assessment: session.assessmentID, on: request.db)
        let settings = try await AppSettings.load(on: request.db)
        let own = try await ConvocationSlots.byCandidate(session, on: request.db)[try candidate.requireID()] ?? []
        return Model(
            candidateName: candidate.displayName,
            assessment: entry.referential.assessment(session.assessmentID)?.title ?? session.assessmentID,
            attempt: session.attempt,
            slots: (own.isEmpty ? [slot] : own).map { .init(time: $0.time, room: $0.room, videoLink: $0.videoLink) },
            place: session.place,
            instructions: session.instructions,
            accommodations: applied[try candidate.requireID()]?.evaluatorLabels ?? [],
            certifierName: settings.certifierName)
    }

    static func html(_ m: Model) -> HTML {
        HTML(
            .lang(.french),
            .head(
                .meta(.charset(.utf8)), .title("Convocation — \(m.candidateName)"),
                .element(
                    named: "style", text: "body{font-family:sans-serif;margin:2cm}dt{font-weight:bold;margin-top:.6em}")
            ),
            .body(
                .h1("Convocation"),
                .p(.text("\(m.candidateName),")),
                .p(
                    .text(
                        "Vous êtes convoqué(e) à l'épreuve « \(m.assessment) »"
                            + (m.attempt > 1 ? " (rattrapage)." : "."))),
                .dl(
                    m.slots.count == 1
                        ? .group(
                            .dt("Date"), .dd(.text(m.time.day.french)),
                            .dt("Heure"),
                            .dd(
                                .text(
                                    SlotTime.clock(m.time.start) + " (fin prévue à " + SlotTime.clock(m.time.end) + ")")
                            ),
                            .dt("Durée"), .dd(.text(SlotTime.duration(m.time.length))),
                            .dt("Lieu"), .dd(.text(place(m, m.slots[0]))))
                        : .group(
                            .dt("Vos \(m.slots.count) créneaux"),
                            .dd(.ul(.forEach(m.slots) { .li(.text(line(m, $0))) }))),
                    .dt("À prévoir"), .dd(.text(m.instructions ?? "une pièce d'identité")),
                    .if(
                        !m.accommodations.isEmpty,
                        .group(.dt("Aménagements accordés"), .dd(.text(m.accommodations.joined(separator: ", ")))))),
                .p("Cette convocation vous est personnelle ; en cas d'empêchement, prévenez votre école au plus tôt."),
                .p(.text(m.certifierName.isEmpty ? "Valida" : m.certifierName))))
    }

    static func place(_ m: Model, _ slot: Model.Slot) -> String {
        [m.place, slot.room.map { "salle \($0)" }, slot.videoLink.map { "visioconférence : \($0)" }]
            .compactMap { $0 }.joined(separator: ", ").nilIfBlank ?? "précisé par votre école"
    }

    /// « 05/03/2027, de 9 h 00 à 10 h 20 (1 h 20), Campus, salle B12 ».
    static func line(_ m: Model, _ slot: Model.Slot) -> String {
        "\(slot.time.day.french), de \(SlotTime.clock(slot.time.start)) à \(SlotTime.clock(slot.time.end)) "
            + "(\(SlotTime.duration(slot.time.length))), \(place(m, slot))"
    }

    static func fileName(_ m: Model) -> String {
        let ascii = m.candidateName.folding(options: [.diacriticInsensitive], locale: nil).unicodeScalars
            .map { $0.isASCII && CharacterSet.alphanumerics.contains($0) ? String($0) : "-" }.joined()
        return "convocation-\(ascii.prefix(60)).pdf"
    }

    static func pdf(_ request: Request) async throws -> Response {
        let slot = try await request.loadSlot()
        let candidate = try await request.loadCandidate()
        let model = try await model(slot: slot, candidate: candidate, on: request)
        guard PDFRenderer.isAvailable(on: request.application) else {
            return unavailable(
                request, "Le PDF ne peut pas être produit sur ce serveur : Chromium n'y est pas installé.")
        }
        do {
            let data = try await PDFRenderer.render(html: html(model).render(), on: request.application)
            return VAEActions.attachment(data, mediaType: "application/pdf", name: fileName(model))
        } catch let failure as PDFRenderer.Failure {
            return unavailable(request, "Le PDF n'a pas pu être produit : \(failure.description).")
        }
    }

    /// Every convocation of the session's slots, one PDF per candidate, in one ZIP.
    static func archive(_ request: Request) async throws -> Response {
        let session = try await request.loadSession()
        guard PDFRenderer.isAvailable(on: request.application) else {
            return unavailable(
                request, "Les PDF ne peuvent pas être produits sur ce serveur : Chromium n'y est pas installé.")
        }
        let slots = try await DBSlot.query(on: request.db).filter(\.$session.$id == session.requireID()).all()
            .sorted { $0.time < $1.time }
        var entries: [DocumentArchive.Entry] = []
        var names = Set<String>()
        var done = Set<UUID>()
        for slot in slots {
            slot.$session.value = session
            // One convocation per candidate, listing all their slots.
            for id in try await request.slotCandidates(slot) where done.insert(id).inserted {
                guard let candidate = try await DBCandidate.find(id, on: request.db) else { continue }
                let model = try await model(slot: slot, candidate: candidate, on: request)
                var name = fileName(model)
                if !names.insert(name).inserted { name = "\(entries.count + 1)-" + name }
                let data = try await PDFRenderer.render(html: html(model).render(), on: request.application)
                entries.append(.init(fileName: name, pdf: data))
            }
        }
        return VAEActions.attachment(
            try DocumentArchive.zip(entries), mediaType: "application/zip", name: "convocations.zip")
    }

    static func unavailable(_ request: Request, _ reason: String) -> Response {
        Layout.page("PDF indisponible", PageContext(request), .p(.text(reason))).response(.serviceUnavailable)
    }
}
