import Fluent
import Foundation
import ValidaCore
import Vapor

/// The JSON file of a candidate's export (`donnees.json`): what Valida holds about them, as
/// they may see it. Keys are English (the file is data), values as stored, labels in French.
extension PersonalDataExport {
    struct Content: Codable, Sendable {
        var exportedAt: String
        var identity: Identity
        var enrolment: Enrolment
        var accounts: [Account]
        var teams: [Team]
        var grids: [Grid]
        var decisions: [DecisionLine]
        var documents: [Document]
        var credentials: [Credential]
        var vaeRequests: [VAERequest]
        var submissions: [Submission]
        var markings: [MarkingLine]
        var slots: [SlotLine]
        var accommodations: [AccommodationLine]
        var insertionSurveys: [SurveyLine]
        var appeals: [AppealLine]
        var messages: [Message]
        var auditEntries: [AuditEntry]
    }

    struct Identity: Codable, Sendable {
        var birthName: String
        var usualName: String?
        var firstNames: String
        var birthDate: String
        var birthPlace: String
        var birthPlaceINSEE: String?
        var sex: String
        var email: String
        var accessRoute: String
    }

    struct Enrolment: Codable, Sendable {
        var school: String
        var cohort: String
        var cohortStartsOn: String?
        var referentialVersion: String
        var enrolledAt: String?
    }

    struct Account: Codable, Sendable {
        var email: String
        var displayName: String
        var role: String
        var createdAt: String?
    }

    struct Team: Codable, Sendable {
        var name: String
        var assessment: String?
    }

    struct Grid: Codable, Sendable {
        var assessment: String
        var attempt: Int
        var team: String?
        var status: String
        var submittedAt: String?
        /// Ratings of a submitted grid only: a grid being rated may still change.
        var ratings: [Rating]
    }

    struct Rating: Codable, Sendable {
        var criterion: String
        var level: Int?
        var mark: Double?
        var comment: String?
        var evaluator: String
        var ratedAt: String
    }

    struct DecisionLine: Codable, Sendable {
        var scope: String
        var outcome: String
        var justification: String?
        var decidedOn: String
        var decidedBy: String
        var source: String
        var jury: String?
        var corrects: Bool
    }

    struct Document: Codable, Sendable {
        var kind: String
        var code: String
        var status: String
        var issuedAt: String?
        var verificationURL: String
        /// The file in the archive (`documents/…`).
        var file: String?
    }

    struct Credential: Codable, Sendable {
        var scope: String
        var issuedAt: String
        var revokedAt: String?
        var revocationReason: String?
    }

    struct VAERequest: Codable, Sendable {
        var kind: String
        var wholeCertification: Bool
        var blocks: [String]
        var status: String
        var certifierMessage: String?
        var submittedAt: String?
        var admissibilityAt: String?
        var dossierSubmittedAt: String?
        var decidedAt: String?
        var experiences: [Experience]
        var situations: [Situation]
    }

    struct Experience: Codable, Sendable {
        var employer: String
        var role: String
        var startsOn: String
        var endsOn: String?
        var activities: String
    }

    struct Situation: Codable, Sendable {
        var block: String
        var title: String
        var description: String
        var competencies: [String]
        var evidence: [Evidence]
    }

    struct Evidence: Codable, Sendable {
        var originalName: String
        var mediaType: String
        var size: Int
        var sha256: String
        var uploadedAt: String?
        /// The file in the archive (`pieces-vae/…`), when it is still on the disk.
        var file: String?
    }

    struct Message: Codable, Sendable {
        var kind: String
        var recipient: String
        var subject: String
        var text: String
        var status: String
        var createdAt: String?
        var sentAt: String?
    }

    struct AuditEntry: Codable, Sendable {
        var sequence: Int
        var recordedAt: String
        var action: String
        var actor: String
        var subjectType: String
        var details: String
    }

    static func iso(_ date: Date?) -> String? {
        date.map { $0.formatted(.iso8601) }
    }
}
