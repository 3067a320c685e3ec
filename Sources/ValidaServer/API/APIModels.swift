import Foundation
import ValidaCore
import Vapor

/// The JSON the API speaks: plain values with English keys, ids as UUIDs, days as
/// `YYYY-MM-DD`.
enum API {
    struct School: Content {
        var id: UUID
        var name: String
        var city: String?
        var siret: String?

        init(_ s: DBSchool) {
            id = s.id!
            name = s.name
            city = s.city
            siret = s.siret
        }
    }

    struct SchoolInput: Content {
        var name: String?
        var city: String?
        var siret: String?
    }

    struct Cohort: Content {
        var id: UUID
        var school: UUID
        var referential: UUID
        var name: String
        var startsOn: String?
        var endsOn: String?

        init(_ c: DBCohort) {
            id = c.id!
            school = c.$school.id
            referential = c.$referential.id
            name = c.name
            startsOn = c.startsOn
            endsOn = c.endsOn
        }
    }

    struct CohortInput: Content {
        var name: String?
        /// Default: the latest référentiel version.
        var referential: UUID?
        var startsOn: String?
        var endsOn: String?
    }

    struct Candidate: Content {
        var id: UUID
        var school: UUID
        var cohort: UUID
        var birthName: String
        var usualName: String?
        var firstNames: String
        var birthDate: String
        var birthPlace: String
        var birthPlaceINSEE: String?
        var sex: Sex
        var email: String
        var accessRoute: AccessRoute

        init(_ c: DBCandidate) {
            id = c.id!
            school = c.$school.id
            cohort = c.$cohort.id
            birthName = c.birthName
            usualName = c.usualName
            firstNames = c.firstNames
            birthDate = c.birthDate
            birthPlace = c.birthPlace
            birthPlaceINSEE = c.birthPlaceINSEE
            sex = c.sex
            email = c.email
            accessRoute = c.accessRoute
        }
    }

    struct CandidateInput: Content {
        var birthName: String?
        var usualName: String?
        var firstNames: String?
        /// `YYYY-MM-DD` (or `DD/MM/YYYY`).
        var birthDate: String?
        var birthPlace: String?
        var birthPlaceINSEE: String?
        /// `F` or `M`.
        var sex: String?
        var email: String?
        /// An `AccessRoute` raw value: `initial-training`, `apprenticeship`, …
        var accessRoute: String?
    }

    struct ReferentialSummary: Content {
        var id: UUID
        var rncpCode: String?
        var title: String?
        var version: String
        var loadedAt: Date?

        init(_ r: DBReferential) {
            id = r.id!
            rncpCode = r.rncpCode
            title = r.title
            version = r.versionID
            loadedAt = r.loadedAt
        }
    }

    struct CohortResults: Content {
        struct Row: Content {
            var candidate: UUID
            var name: String
            var blocks: [OutcomeStatus]
            var requirements: [OutcomeStatus]
            var certification: OutcomeStatus
        }

        var cohort: UUID
        var blocks: [String]
        var requirements: [String]
        var candidates: [Row]
    }

    struct Team: Content {
        var id: UUID
        var cohort: UUID
        var name: String
        var assessment: String?
        var members: [UUID]
    }

    struct TeamInput: Content {
        var name: String?
        var assessment: String?
        var members: [UUID]?
    }

    struct Session: Content {
        var id: UUID
        var cohort: UUID
        var assessment: String
        var attempt: Int
        var startsOn: String?
        var endsOn: String?
        var evaluators: [UUID]
    }

    struct SessionInput: Content {
        var assessment: String?
        /// 1 for the first sitting, 2 and more for resits.
        var attempt: Int?
        /// `YYYY-MM-DD` (or `DD/MM/YYYY`).
        var startsOn: String?
        var endsOn: String?
    }

    struct RatingEntry: Content {
        var criterion: String
        /// For a team grid: the member whose own rating this is.
        var member: UUID?
        /// A level index on a level scale …
        var level: Int?
        /// … or a mark on a mark scale.
        var mark: Double?
        var comment: String?
        var evaluator: UUID?
        var ratedAt: Date?
    }

    struct Grid: Content {
        var id: UUID
        var session: UUID
        var assessment: String
        var attempt: Int
        var candidate: UUID?
        var team: UUID?
        /// « Copie n° 0042 » in place of `candidate` and `team` under anonymous marking.
        var copy: String?
        var status: GridStatus
        var revision: Int
        var ratings: [RatingEntry]
    }

    struct GridInput: Content {
        /// The revision the ratings were read at.
        var revision: Int
        var submit: Bool?
        var ratings: [RatingEntry]
    }

    /// What a refused request answers: the reason, and by field where a field is at fault.
    struct Problem: Content {
        var error: String
        var reason: String
        var fields: [String: String]?
        var conflicts: [GridEditing.Conflict]?
    }

}

/// A refusal that names the fields at fault (and, for a stale grid, what changed).
struct APIProblem: AbortError {
    var status: HTTPResponseStatus
    var reason: String
    var fields: [String: String]? = nil
    var conflicts: [GridEditing.Conflict]? = nil
}
