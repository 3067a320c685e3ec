import Fluent
import Foundation
import ValidaCore
import Vapor

/// What the grid page adds for written work: under anonymous marking, the copy number in
/// place of the candidate's or team's name (members read « Membre 1 »…), and the panel
/// with the work handed in.
enum GridSubmissionPanel {
    static func apply(to model: inout GridPage.Model, grid: DBGrid, _ request: Request) async throws {
        let hidden = try await AnonymousNames.load(
            sessions: [grid.$session.id], role: try request.requireUser().role, on: request.db)
        if let label = hidden.label(grid: model.gridID) {
            if model.team != nil { model.team = label } else { model.candidate = label }
            model.members = model.members.enumerated().map { index, member in
                GridPage.Member(id: member.id, name: AnonymousNames.member(index))
            }
        }
        guard model.assessment.expectsWrittenWork, let author = SubmissionQuery.author(of: grid) else { return }
        let work = try await SubmissionQuery.work(of: author, session: grid.$session.id, on: request.db)
        let authorID = grid.$candidate.id ?? grid.$team.id!
        let authors = grid.$candidate.id.map { [$0.uuidString] } ?? Set(model.members.map(\.id.uuidString))
        let resource = Resource.submission(
            session: grid.$session.id.uuidString, school: grid.session.cohort.$school.id.uuidString,
            authors: Set(authors))
        model.submission = SubmissionPanel.Model(
            work: work, anonymousNumber: hidden.numberByAuthor[authorID], canChoose: request.allows(.edit, resource))
    }
}
