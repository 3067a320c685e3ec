import Fluent
import Foundation
import ValidaCore
import Vapor

/// A school's authorisation (habilitation) on one référentiel version: the whole
/// certification or some blocks, its agreement's dates (ISO days, both included) and, once
/// uploaded, the agreement document (stored like VAE evidence: a name Valida chooses).
final class DBPartnerAuthorization: Model, @unchecked Sendable {
    static let schema = "partner_authorizations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "school_id") var school: DBSchool
    @Parent(key: "referential_id") var referential: DBReferential
    @Field(key: "whole_certification") var wholeCertification: Bool
    /// The block ids, comma-separated; empty for the whole certification.
    @Field(key: "blocks") var blocks: String
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    /// When the certifier ended it before its term (its end day then moved to that day).
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "agreement_name") var agreementName: String?
    @OptionalField(key: "agreement_stored") var agreementStored: String?
    @OptionalField(key: "agreement_size") var agreementSize: Int?
    @OptionalField(key: "agreement_sha256") var agreementSHA256: String?
    @OptionalField(key: "agreement_uploaded_at") var agreementUploadedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        id: UUID? = nil, schoolID: UUID, referentialID: UUID, scope: PartnerAuthorization.Scope,
        startsOn: CalendarDate, endsOn: CalendarDate
    ) {
        self.id = id
        self.$school.id = schoolID
        self.$referential.id = referentialID
        self.scope = scope
        self.startsOn = startsOn.iso
        self.endsOn = endsOn.iso
    }

    var scope: PartnerAuthorization.Scope {
        get {
            wholeCertification
                ? .wholeCertification
                : .blocks(Set(blocks.split(separator: ",").map { String($0) }.filter { !$0.isEmpty }))
        }
        set {
            switch newValue {
            case .wholeCertification: (wholeCertification, blocks) = (true, "")
            case .blocks(let ids): (wholeCertification, blocks) = (false, ids.sorted().joined(separator: ","))
            }
        }
    }

    /// The core's view of it; nil only for a row whose days were stored unreadable.
    var core: PartnerAuthorization? {
        guard let id, let start = CalendarDate(iso: startsOn), let end = CalendarDate(iso: endsOn) else { return nil }
        return PartnerAuthorization(
            id: id.uuidString, school: $school.id.uuidString, version: $referential.id.uuidString, scope: scope,
            startsOn: start, endsOn: end)
    }
}
