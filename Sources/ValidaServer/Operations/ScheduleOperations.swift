import Fluent
import Foundation
import ValidaCore

/// Writing a session's schedule: generating every slot at once (the core plans, the core
/// checks conflicts across every session), then adding, changing and deleting slots by hand.
/// Each write in one transaction, audited; a conflict refuses the whole write.
enum ScheduleOperations {
    enum Field: String, OperationField {
        case day, start, length, rooms, breakEvery, breakMinutes, lunchStart, lunchEnd, dayEnd
        case subject, room, videoLink, guests, evaluators, plan
    }

    /// Who sits the session: its candidates (individual work) or its teams, by name.
    struct Subject: Sendable, Hashable {
        var candidateID: UUID?
        var teamID: UUID?
        var name: String
        /// The candidates sitting (a team's members).
        var members: [UUID]

        /// `candidate:<id>` or `team:<id>`, as forms send it.
        var key: String { candidateID.map { "candidate:\($0)" } ?? "team:\(teamID!)" }
    }

    static func subjects(_ session: DBAssessmentSession, on db: any Database) async throws -> [Subject] {
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id == session.requireID()).all()
        let candidateIDs = Array(Set(grids.compactMap { $0.$candidate.id }))
        let teamIDs = Array(Set(grids.compactMap { $0.$team.id }))
        let candidates =
            candidateIDs.isEmpty ? [] : try await DBCandidate.query(on: db).filter(\.$id ~~ candidateIDs).all()
        let teams = teamIDs.isEmpty ? [] : try await DBTeam.query(on: db).filter(\.$id ~~ teamIDs).all()
        let members =
            teamIDs.isEmpty ? [] : try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ teamIDs).all()
        let byTeam = Dictionary(grouping: members, by: { $0.$team.id })
        return candidates.sorted(by: DBCandidate.byName).map {
            Subject(candidateID: $0.id, teamID: nil, name: $0.displayName, members: [$0.id!])
        }
            + teams.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }.map {
                Subject(
                    candidateID: nil, teamID: $0.id, name: "Équipe \($0.name)",
                    members: (byTeam[$0.id!] ?? []).map { $0.$candidate.id })
            }
    }

    /// A subject's accommodations combined: a team presents together, so its slot takes the
    /// largest extra time of its members, and every kind any member was granted.
    static func applied(_ subject: Subject, _ byCandidate: [UUID: AppliedAccommodation]) -> AppliedAccommodation {
        var applied = AppliedAccommodation()
        for m in subject.members {
            guard let a = byCandidate[m] else { continue }
            applied.kinds.formUnion(a.kinds)
            applied.extraTimePercent = max(applied.extraTimePercent, a.extraTimePercent)
        }
        return applied
    }

    /// The slot length the référentiel gives the assessment's oral, if it does (1 h, 2 h).
    static func referentialLength(_ assessment: Assessment?) -> Int? {
        assessment?.deliverables.first { $0.mode == .oral && $0.durationMinutes != nil }?.durationMinutes
    }

    struct Generation: Sendable {
        var day = ""
        var start = ""
        var length = ""
        /// One room or video link per line.
        var rooms = ""
        var breakEvery = ""
        var breakMinutes = ""
        var lunchStart = ""
        var lunchEnd = ""
        var dayEnd = ""
    }

    static let maxRooms = 20
    static let textLimit = 300

    /// Replaces the session's slots by a generated plan. Refused if attendance was already
    /// marked, if the input is wrong, or if the plan conflicts with another session.
    static func generate(
        _ input: Generation, session: DBAssessmentSession, by actor: DBUser, on db: any Database
    ) async throws -> Result<Int, Refusal<Field>> {
        var errors: [Field: String] = [:]
        let sessionID = try session.requireID()
        let day = Operations.day(input.day, label: "jour", field: Field.day, into: &errors)
        let start = clock(input.start, field: .start, label: "L'heure de début", into: &errors)
        let dayEnd =
            input.dayEnd.trimmed.isEmpty
            ? 19 * 60 : clock(input.dayEnd, field: .dayEnd, label: "La fin de journée", into: &errors)
        let length = minutes(
            input.length, field: .length, range: 5...720, label: "La durée d'un créneau", into: &errors)
        let breakEvery =
            input.breakEvery.trimmed.isEmpty
            ? nil
            : minutes(
                input.breakEvery, field: .breakEvery, range: 1...50, label: "Le nombre de créneaux avant une pause",
                into: &errors)
        let breakMinutes =
            input.breakMinutes.trimmed.isEmpty
            ? 0
            : minutes(
                input.breakMinutes, field: .breakMinutes, range: 0...120, label: "La durée de la pause", into: &errors)
        var lunch: Range<Int>?
        if !input.lunchStart.trimmed.isEmpty || !input.lunchEnd.trimmed.isEmpty {
            let ls = clock(input.lunchStart, field: .lunchStart, label: "Le début de la pause déjeuner", into: &errors)
            let le = clock(input.lunchEnd, field: .lunchEnd, label: "La fin de la pause déjeuner", into: &errors)
            if let ls, let le {
                if ls < le { lunch = ls..<le } else { errors[.lunchEnd] = "La pause déjeuner finit après son début." }
            }
        }
        let lines = input.rooms.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        let evaluators = try await session.$evaluators.query(on: db).all()
            .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
        if lines.isEmpty {
            errors[.rooms] = "Indiquez au moins une salle ou un lien de visioconférence, un par ligne."
        } else if lines.count > maxRooms {
            errors[.rooms] = "\(maxRooms) salles au plus en parallèle (il y en a \(lines.count))."
        } else if let long = lines.first(where: { $0.count > textLimit }) {
            errors[.rooms] = "La salle « \(long.prefix(40))… » dépasse \(textLimit) caractères."
        } else if let bad = lines.first(where: { isLink($0) == false && $0.lowercased().hasPrefix("http") }) {
            errors[.rooms] = "Le lien « \(bad.prefix(60)) » n'est pas une adresse https:// valable."
        } else if evaluators.isEmpty {
            errors[.rooms] = "Désignez d'abord les évaluateurs de la session : chaque salle en a besoin d'au moins un."
        } else if evaluators.count < lines.count {
            errors[.rooms] =
                "\(lines.count) salles pour \(evaluators.count) évaluateur(s) : chaque salle a besoin d'au moins un évaluateur."
        }
        guard errors.isEmpty, let day, let start, let dayEnd, let length else { return .failure(Refusal(errors)) }
        let existing = try await DBSlot.query(on: db).filter(\.$session.$id == sessionID).all()
        if existing.contains(where: { $0.attendance != nil }) {
            return .failure(
                Refusal(.plan, "Des présences sont déjà saisies pour cette session : modifiez les créneaux un par un."))
        }
        let subjects = try await subjects(session, on: db)
        guard !subjects.isEmpty else {
            return .failure(Refusal(.plan, "La session n'a encore ni candidat ni équipe à convoquer."))
        }
        let accommodations = try await ScheduleOccupancy.accommodations(
            for: subjects.flatMap(\.members), assessment: session.assessmentID, on: db)
        // Evaluators dealt to the rooms in turn, each sitting in one room all day.
        let rooms = lines.enumerated().map { i, line in
            SlotPlanning.Room(
                name: line,
                evaluators: evaluators.enumerated().filter { $0.offset % lines.count == i }.map {
                    $0.element.id!.uuidString
                })
        }
        let request = SlotPlanning.Request(
            subjects: subjects.map {
                .init(id: $0.key, extraTimePercent: applied($0, accommodations).extraTimePercent)
            },
            rooms: rooms, day: day, start: start, length: length, breakEvery: breakEvery,
            breakMinutes: breakMinutes ?? 0,
            lunch: lunch, dayEnd: dayEnd)
        let plan: [SlotPlanning.Slot]
        do {
            plan = try SlotPlanning.plan(request)
        } catch {
            return .failure(Refusal(.plan, error.description))
        }
        let byKey = Dictionary(uniqueKeysWithValues: subjects.map { ($0.key, $0) })
        let drafts = plan.map { slot in
            let subject = byKey[slot.subject]!
            let link = isLink(slot.room)
            return SlotDraft(
                sessionID: sessionID, candidateID: subject.candidateID, teamID: subject.teamID, time: slot.time,
                baseMinutes: length, room: link ? nil : slot.room, videoLink: link ? slot.room : nil,
                guests: nil, evaluatorIDs: slot.evaluators.compactMap(UUID.init(uuidString:)))
        }
        let conflicts = try await ScheduleOccupancy.conflicts(drafts, replacing: Set(existing.map { $0.id! }), on: db)
        if !conflicts.isEmpty { return .failure(Refusal(.plan, summary(conflicts))) }
        try await db.transaction { tx in
            try await DBSlot.query(on: tx).filter(\.$session.$id == sessionID).delete()
            try await ScheduleOccupancy.insert(drafts, on: tx)
            try await Operations.record(
                "slots-generated", Operations.Subject.session, sessionID,
                [
                    "slots": String(drafts.count), "first-day": day.iso, "rooms": lines.joined(separator: " | "),
                    "replaced": String(existing.count),
                ], by: actor, on: tx)
        }
        return .success(drafts.count)
    }

    /// A slot added or changed by hand.
    struct SlotInput: Sendable {
        var subject = ""
        var day = ""
        var start = ""
        /// Before the candidate's extra time, which is added.
        var length = ""
        var room = ""
        var videoLink = ""
        var guests = ""
        var evaluators: [String] = []
        /// Move the later slots of the same room that day by as much as this one grew.
        var shiftFollowing = true
    }

    /// Adds a slot (`slot` nil) or changes one of the session's; refused on any conflict.
    static func save(
        _ input: SlotInput, slot: DBSlot?, session: DBAssessmentSession, by actor: DBUser, on db: any Database
    ) async throws -> Result<DBSlot, Refusal<Field>> {
        var errors: [Field: String] = [:]
        let sessionID = try session.requireID()
        let subjects = try await subjects(session, on: db)
        let subject = subjects.first { $0.key == input.subject.trimmed }
        if subject == nil { errors[.subject] = "Choisissez un candidat ou une équipe de la session." }
        let day = Operations.day(input.day, label: "jour", field: Field.day, into: &errors)
        let start = clock(input.start, field: .start, label: "L'heure de début", into: &errors)
        let base = minutes(input.length, field: .length, range: 5...720, label: "La durée", into: &errors)
        let room = input.room.trimmed.nilIfBlank
        let link = input.videoLink.trimmed.nilIfBlank
        let guests = input.guests.trimmed.nilIfBlank
        if let room, room.count > textLimit { errors[.room] = "La salle tient en \(textLimit) caractères au plus." }
        if let link, !isLink(link) || link.count > 500 {
            errors[.videoLink] = "Le lien de visioconférence est une adresse https:// de 500 caractères au plus."
        }
        if room == nil, link == nil { errors[.room] = "Indiquez une salle ou un lien de visioconférence." }
        if let guests, guests.count > textLimit {
            errors[.guests] = "Les invités tiennent en \(textLimit) caractères au plus."
        }
        let assigned = try await session.$evaluators.query(on: db).all()
        let assignedIDs = Set(assigned.map { $0.id! })
        let chosen = input.evaluators.compactMap { UUID(uuidString: $0) }
        if chosen.count != input.evaluators.count || !Set(chosen).isSubset(of: assignedIDs) {
            errors[.evaluators] = "Choisissez les évaluateurs parmi ceux désignés pour la session."
        } else if chosen.isEmpty, guests == nil {
            errors[.evaluators] = "Choisissez au moins un évaluateur, ou indiquez les invités."
        }
        guard errors.isEmpty, let subject, let day, let start, let base else { return .failure(Refusal(errors)) }
        let accommodations = try await ScheduleOccupancy.accommodations(
            for: subject.members, assessment: session.assessmentID, on: db)
        let length = applied(subject, accommodations).lengthened(base)
        guard start + length <= 24 * 60 else {
            return .failure(
                Refusal(.length, "Le créneau (\(SlotTime.duration(length)), temps majoré compris) finit après minuit."))
        }
        let time = SlotTime(day: day, start: start, length: length)
        let draft = SlotDraft(
            id: slot?.id ?? UUID(), sessionID: sessionID, candidateID: subject.candidateID, teamID: subject.teamID,
            time: time, baseMinutes: base, room: room, videoLink: link, guests: guests, evaluatorIDs: Array(Set(chosen))
        )
        // The later slots of the same room that day, pushed by as much as this one grew.
        var shifted: [SlotDraft] = []
        if let slot, input.shiftFollowing, slot.day == day, slot.startMinute == start,
            slot.room.map(ScheduleConflicts.roomKey) == room.map(ScheduleConflicts.roomKey), length > slot.lengthMinutes
        {
            let sameDay = try await DBSlot.query(on: db).filter(\.$session.$id == sessionID).filter(\.$day == day).all()
            let others = try await ScheduleOccupancy.drafts(sameDay, on: db)
            let occupancy = others.map {
                ScheduleConflicts.Occupancy(slot: $0.id.uuidString, time: $0.time, room: $0.room, people: [], label: "")
            }
            if let index = others.firstIndex(where: { $0.id == slot.id }) {
                for (i, t) in SlotPlanning.shifted(after: index, by: length - slot.lengthMinutes, in: occupancy) {
                    var d = others[i]
                    d.time = t
                    shifted.append(d)
                }
            }
        }
        let moved = shifted
        if let late = moved.first(where: { $0.time.end > 24 * 60 }) {
            return .failure(
                Refusal(.length, "Décalé, le créneau de \(SlotTime.clock(late.time.start)) finirait après minuit."))
        }
        let conflicts = try await ScheduleOccupancy.conflicts(
            [draft] + moved, replacing: Set([draft.id] + moved.map(\.id)), on: db)
        if !conflicts.isEmpty { return .failure(Refusal(.plan, summary(conflicts))) }
        let saved = try await db.transaction { tx -> DBSlot in
            if let slot {
                try await DBSlotEvaluator.query(on: tx).filter(\.$slot.$id == slot.requireID()).delete()
                try await slot.delete(on: tx)
            }
            for d in moved {
                guard let row = try await DBSlot.find(d.id, on: tx) else { continue }
                row.time = d.time
                try await row.save(on: tx)
            }
            try await ScheduleOccupancy.insert([draft], on: tx)
            try await Operations.record(
                slot == nil ? "slot-added" : "slot-changed", Operations.Subject.session, sessionID,
                [
                    "slot": draft.id.uuidString, "subject": subject.name, "day": day.iso,
                    "start": SlotTime.clockInput(start), "minutes": String(length), "room": room ?? "",
                    "video-link": link ?? "", "moved": String(moved.count),
                ], by: actor, on: tx)
            return try await DBSlot.find(draft.id, on: tx)!
        }
        return .success(saved)
    }

    static func delete(_ slot: DBSlot, by actor: DBUser, on db: any Database) async throws {
        try await db.transaction { tx in
            let time = slot.time
            try await slot.delete(on: tx)
            try await Operations.record(
                "slot-deleted", Operations.Subject.session, slot.$session.id,
                [
                    "slot": try slot.requireID().uuidString, "day": time.day.iso,
                    "start": SlotTime.clockInput(time.start),
                ],
                by: actor, on: tx)
        }
    }

    // MARK: - Reading the form

    static func isLink(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            url.host?.isEmpty == false
        else { return false }
        return !text.contains(where: \.isWhitespace)
    }

    static func clock(_ text: String, field: Field, label: String, into errors: inout [Field: String]) -> Int? {
        if let m = SlotTime.parseClock(text) { return m }
        errors[field] = text.trimmed.isEmpty ? "\(label) manque (HH:MM)." : "\(label) s'écrit HH:MM, par exemple 09:30."
        return nil
    }

    static func minutes(
        _ text: String, field: Field, range: ClosedRange<Int>, label: String, into errors: inout [Field: String]
    ) -> Int? {
        if let n = Int(text.trimmed), range.contains(n) { return n }
        errors[field] = "\(label) est un nombre entier de \(range.lowerBound) à \(range.upperBound)."
        return nil
    }

    /// The conflicts, the first five, and how many more.
    static func summary(_ conflicts: [String]) -> String {
        let shown = conflicts.prefix(5).joined(separator: " ")
        return "Conflit d'horaire, rien n'est enregistré. " + shown
            + (conflicts.count > 5 ? " (et \(conflicts.count - 5) autre(s))" : "")
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
