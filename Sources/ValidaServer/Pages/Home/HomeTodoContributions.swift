import ValidaCore

/// A line (or lines) another feature adds to some roles' to-do lists.
struct HomeTodoContribution: Sendable {
    /// The roles whose home shows it.
    var roles: Set<Role>
    /// The lines, read with the user's scope (`scope.school` narrows to a coordinator's school).
    var items: @Sendable (HomeTodoScope) async throws -> [HomeTodoItem]
}

/// The lines other features add to the home pages, after the role's own: one entry each,
/// e.g. `.init(roles: [.certificationManager], items: { try await [MyFeature.homeItem($0)] }),`
/// with `MyFeature.homeItem(_ scope: HomeTodoScope) async throws -> HomeTodoItem` tested
/// in its feature's suite.
enum HomeTodoContributions {
    static let all: [HomeTodoContribution] = [
        .init(roles: [.candidate], items: { try await InsertionSurveyHomeItems.candidate($0) }),
        .init(roles: [.certificationManager], items: { try await HolderDeclarationDue.homeItems($0) }),
        .init(roles: [.certificationManager, .juryMember], items: { try await AppealHomeItems.waiting($0) }),
        .init(
            roles: [.certificationManager, .schoolCoordinator],
            items: { try await PartnerAuthorizationHomeItems.ending($0) }),
    ]
}
