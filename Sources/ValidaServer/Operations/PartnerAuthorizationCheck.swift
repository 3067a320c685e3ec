import Fluent
import Foundation
import ValidaCore

/// Whether a school may open a cohort or schedule a session on the days asked: loads the
/// school's authorisations and asks the core (`AuthorizationCoverage`); the refusal, in
/// French, names the school, the version, the block and the days.
enum PartnerAuthorizationCheck {
    static func authorizations(school: UUID, on db: any Database) async throws -> [PartnerAuthorization] {
        try await DBPartnerAuthorization.query(on: db).filter(\.$school.$id == school).all().compactMap(\.core)
    }

    /// A cohort on `version` from `from` to `to`: any authorisation on the version will do.
    static func cohort(
        school: UUID, version: UUID, from: CalendarDate, to: CalendarDate, on db: any Database
    ) async throws -> String? {
        try await refusal(
            school: school, version: version, needs: [.anyPart], referential: nil, from: from, to: to, on: db)
    }

    /// A session of `assessment` for `cohort`: the blocks it assesses (or the whole
    /// certification for a transversal one) on every day of the session.
    static func session(
        cohort: DBCohort, assessment: Assessment, referential: Referential, from: CalendarDate, to: CalendarDate,
        on db: any Database
    ) async throws -> String? {
        try await refusal(
            school: cohort.$school.id, version: cohort.$referential.id,
            needs: PartnerAuthorization.needs(of: assessment, in: referential), referential: referential, from: from,
            to: to, on: db)
    }

    static func refusal(
        school: UUID, version: UUID, needs: [PartnerAuthorization.Need], referential: Referential?, from: CalendarDate,
        to: CalendarDate, on db: any Database
    ) async throws -> String? {
        let all = try await authorizations(school: school, on: db)
        guard
            let gap = AuthorizationCoverage.gap(
                all, school: school.uuidString, version: version.uuidString, needs: needs, from: from, to: to)
        else { return nil }
        let schoolName = try await DBSchool.find(school, on: db)?.name ?? school.uuidString
        let versionName = try await DBReferential.find(version, on: db)?.versionID ?? version.uuidString
        var title: String?
        if case .block(let id) = gap.need { title = referential?.blocks.first { $0.id == id }?.title }
        return AuthorizationCoverage.refusal(
            school: schoolName, version: versionName, need: gap.need, blockTitle: title, from: from, to: to,
            uncovered: gap.day, periods: all.filter { $0.version == version.uuidString })
    }
}
