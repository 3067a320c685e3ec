import Fluent
import Foundation
import ValidaCore
import Vapor

/// What the insertion surveys' page and CSV read: the surveys one may see, filtered by wave,
/// cohort year and school (GET parameters, kept in the links), and their figures per wave and
/// year (`InsertionSurveyFigures`). A coordinator's are their school's, whatever the URL says.
enum InsertionSurveysQuery {
    struct Filter: Sendable, Hashable {
        static let waveParameter = "vague"
        static let yearParameter = "annee"
        static let schoolParameter = "ecole"

        var wave: SurveyWave?
        var year: Int?
        var school: UUID?

        /// The filter in `request`'s query; what cannot be read is said in `problems`.
        static func read(_ request: Request, problems: inout [String]) -> Filter {
            var filter = Filter()
            if let text = request.query[String.self, at: waveParameter], !text.isEmpty {
                filter.wave = SurveyWave(rawValue: text)
                if filter.wave == nil { problems.append("Vague « \(text) » inconnue : toutes sont affichées.") }
            }
            if let text = request.query[String.self, at: yearParameter], !text.isEmpty {
                if let year = Int(text), (1900...9999).contains(year) {
                    filter.year = year
                } else {
                    problems.append("Année « \(text) » invalide : toutes les années sont affichées.")
                }
            }
            if let text = request.query[String.self, at: schoolParameter], !text.isEmpty {
                filter.school = UUID(uuidString: text)
                if filter.school == nil { problems.append("École « \(text) » inconnue : toutes sont affichées.") }
            }
            return filter
        }

        var query: [String: String] {
            var query: [String: String] = [:]
            if let wave { query[Self.waveParameter] = wave.rawValue }
            if let year { query[Self.yearParameter] = String(year) }
            if let school { query[Self.schoolParameter] = school.uuidString }
            return query
        }

        var isEmpty: Bool { wave == nil && year == nil && school == nil }
    }

    /// The school named by the `ecole` parameter for the core, else a coordinator's own (their
    /// page is theirs), else nil: all schools.
    static func requestedSchool(_ request: Request) -> String? {
        if let text = request.query[String.self, at: Filter.schoolParameter], !text.isEmpty { return text }
        return nil
    }

    struct Model: Sendable {
        var filter: Filter
        var problems: [String]
        /// The schools one may filter by (the manager's choice); empty for a coordinator.
        var schools: [(id: UUID, name: String)]
        var schoolName: String?
        /// Years with surveys, the most recent first.
        var years: [Int]
        var groups: [(InsertionSurveyFigures.Group, InsertionSurveyFigures)]
        var total: InsertionSurveyFigures
        /// Holders whose surveys are due and not yet mailed, over every school.
        var waiting: Int
        var canManage: Bool
    }

    static func query(_ filter: Filter, problems: [String], for user: CurrentUser, on db: any Database)
        async throws -> Model
    {
        var filter = filter
        var problems = problems
        let canManage = Authorization.allows(user.actor, .edit, .insertionSurveys(school: nil))
        // A coordinator sees their own school only: the core allowed the page, this keeps its rows.
        if user.role == .schoolCoordinator {
            filter.school = user.user.$school.id
        }
        var query = DBInsertionSurvey.query(on: db)
        if let wave = filter.wave { query = query.filter(\.$wave == wave) }
        var surveys = try await query.all()
        let candidateIDs = Array(Set(surveys.map { $0.$candidate.id }))
        var schoolOf: [UUID: UUID] = [:]
        for start in stride(from: 0, to: candidateIDs.count, by: 500) {
            let page = Array(candidateIDs[start..<min(start + 500, candidateIDs.count)])
            for candidate in try await DBCandidate.query(on: db).filter(\.$id ~~ page).all() {
                schoolOf[candidate.id!] = candidate.$school.id
            }
        }
        if let school = filter.school { surveys = surveys.filter { schoolOf[$0.$candidate.id] == school } }
        let years = Array(Set(surveys.map(\.cohortYear))).sorted(by: >)
        if let year = filter.year {
            if !years.contains(year) { problems.append("Aucune enquête pour l'année \(year).") }
            surveys = surveys.filter { $0.cohortYear == year }
        }
        let records = surveys.map { record($0, school: schoolOf[$0.$candidate.id]) }
        let allSchools = try await DBSchool.query(on: db).sort(\.$name).all()
        let schools = canManage ? allSchools.map { (id: $0.id!, name: $0.name) } : []
        let waiting = canManage ? try await DBInsertionSurvey.query(on: db).filter(\.$state == .toSend).count() : 0
        return Model(
            filter: filter, problems: problems, schools: schools,
            schoolName: filter.school.flatMap { id in allSchools.first { $0.id == id }?.name },
            years: years, groups: InsertionSurveyFigures.byGroup(records), total: InsertionSurveyFigures(records),
            waiting: waiting, canManage: canManage)
    }

    static func record(_ survey: DBInsertionSurvey, school: UUID?) -> InsertionSurveyFigures.Record {
        .init(
            wave: survey.wave, cohortYear: survey.cohortYear, school: school?.uuidString ?? "", state: survey.state,
            wasSent: survey.sentAt != nil, remindersSent: survey.remindersSent, answers: survey.answers)
    }

    /// « 60 % », « 66,7 % », « — » when there is nothing to count.
    static func percent(_ share: InsertionSurveyFigures.Share) -> String {
        guard let value = share.percent else { return "—" }
        return decimal(value) + " %"
    }

    /// One decimal at most, with a decimal comma: « 66,7 », « 60 ».
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
        return text.replacingOccurrences(of: ".", with: ",")
    }

    /// « 3 sur 5 (60 %) ».
    static func share(_ share: InsertionSurveyFigures.Share) -> String {
        "\(share.count) sur \(share.total) (\(percent(share)))"
    }
}

extension ResourceResolver {
    /// The insertion surveys of the school the `ecole` parameter names, or of all the schools
    /// one may see (nil): a coordinator naming another school is refused by the core.
    static let insertionSurveys = ResourceResolver { request in
        .insertionSurveys(school: InsertionSurveysQuery.requestedSchool(request))
    }
}
