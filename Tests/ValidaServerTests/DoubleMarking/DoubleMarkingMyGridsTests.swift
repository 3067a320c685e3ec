import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Double marking in « Mes grilles »")
struct DoubleMarkingMyGridsTests {
    @Test("an evaluator lists a double-marked grid only when they mark it, with their own marking's state")
    func onlyTheirOwn() async throws {
        try await withTestApp { app in
            let w = try await DoubleMarkingWorld.make(app)
            func listed(_ user: DBUser) async throws -> [MyGridsPage.GridRow] {
                let model = try await MyGridsPage.query(evaluator: user.id!, store: app.referentials, on: app.db)
                return model.sessions.first { $0.sessionID == w.f.teamSession.id }?.grids ?? []
            }
            #expect(try await listed(w.claire).map(\.id).contains(w.grid))
            #expect(try await listed(w.bruno).map(\.id).contains(w.grid))
            // Théo is assigned to the session but does not mark this grid.
            #expect(!(try await listed(w.theo).map(\.id).contains(w.grid)))
            // Claire's own marking is what she has to hand in; the grid itself stays a draft until settled.
            let marking = try #require(
                try await DBMarking.query(on: app.db).filter(\.$grid.$id == w.grid)
                    .filter(\.$evaluator.$id == w.claire.id!).first())
            marking.status = .submitted
            try await marking.save(on: app.db)
            #expect(try await listed(w.claire).first { $0.id == w.grid }?.status == .submitted)
            #expect(try await listed(w.bruno).first { $0.id == w.grid }?.status == .draft)
        }
    }
}
