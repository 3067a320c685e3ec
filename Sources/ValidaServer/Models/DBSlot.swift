import Fluent
import Foundation
import ValidaCore

/// A slot (créneau de passage) of an assessment session: when, where (a room or a video link),
/// for which candidate or team, with which evaluators or guests, and whether they came.
final class DBSlot: Model, @unchecked Sendable {
    static let schema = "slots"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: DBAssessmentSession
    /// One of the two: the candidate for individual work, the team for team work.
    @OptionalParent(key: "candidate_id") var candidate: DBCandidate?
    @OptionalParent(key: "team_id") var team: DBTeam?
    /// The day, `YYYY-MM-DD`.
    @Field(key: "day") var day: CalendarDate
    /// Minutes since midnight, Paris time.
    @Field(key: "start_minute") var startMinute: Int
    /// With the candidate's extra time included.
    @Field(key: "length_minutes") var lengthMinutes: Int
    /// The length before the candidate's extra time, as chosen for the session.
    @Field(key: "base_minutes") var baseMinutes: Int
    @OptionalField(key: "room") var room: String?
    @OptionalField(key: "video_link") var videoLink: String?
    /// The company's guests, as typed (names), for a capstone case presented to the company.
    @OptionalField(key: "guests") var guests: String?
    @OptionalField(key: "attendance") var attendance: Attendance?
    @OptionalField(key: "attendance_by") var attendanceBy: UUID?
    @OptionalField(key: "attendance_at") var attendanceAt: Date?
    @Siblings(through: DBSlotEvaluator.self, from: \.$slot, to: \.$evaluator) var evaluators: [DBUser]

    init() {}

    init(
        id: UUID? = nil, sessionID: UUID, candidateID: UUID?, teamID: UUID?, time: SlotTime, baseMinutes: Int,
        room: String?, videoLink: String?, guests: String?
    ) {
        self.id = id
        self.$session.id = sessionID
        self.$candidate.id = candidateID
        self.$team.id = teamID
        self.day = time.day
        self.startMinute = time.start
        self.lengthMinutes = time.length
        self.baseMinutes = baseMinutes
        self.room = room
        self.videoLink = videoLink
        self.guests = guests
    }

    var time: SlotTime {
        get { SlotTime(day: day, start: startMinute, length: lengthMinutes) }
        set {
            day = newValue.day
            startMinute = newValue.start
            lengthMinutes = newValue.length
        }
    }

    /// The room, or « Visioconférence » with the link.
    var place: String {
        if let room = room?.nilIfBlank { return room }
        return videoLink?.nilIfBlank.map { "Visioconférence : \($0)" } ?? "Lieu à préciser"
    }
}

/// An evaluator sitting in a slot.
final class DBSlotEvaluator: Model, @unchecked Sendable {
    static let schema = "slot_evaluators"

    @ID(key: .id) var id: UUID?
    @Parent(key: "slot_id") var slot: DBSlot
    @Parent(key: "evaluator_id") var evaluator: DBUser

    init() {}

    init(slotID: UUID, evaluatorID: UUID) {
        self.$slot.id = slotID
        self.$evaluator.id = evaluatorID
    }
}
