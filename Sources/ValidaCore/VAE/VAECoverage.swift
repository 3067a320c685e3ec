/// Which competencies of the blocks asked have evidence in the validation dossier: a
/// situation from the candidate's experience linked to the competency, with at least one
/// document attached. A competency only described (its situations have no document yet) is
/// not counted as proven, so that what a page counts is what it lists « avec preuve ».
/// Shown to the candidate while they build the dossier and to the jury when it examines it.
public struct VAECoverage: Sendable, Hashable {
    public struct CompetencyLine: Sendable, Hashable {
        public var id: String
        public var text: String
        /// The titles of the situations linked to it.
        public var situations: [String]
        /// Documents attached to those situations.
        public var documents: Int
        /// The linked situations with their own document counts, in the dossier's order.
        public var linked: [Situation]

        /// Proven: a linked situation has a document.
        public var hasEvidence: Bool { documents > 0 }
        /// Described by a situation, proven or not.
        public var isDescribed: Bool { !situations.isEmpty }
    }

    public struct BlockLine: Sendable, Hashable {
        public var id: String
        public var title: String
        public var competencies: [CompetencyLine]

        public var covered: Int { competencies.filter(\.hasEvidence).count }
        public var uncovered: [CompetencyLine] { competencies.filter { !$0.hasEvidence } }
    }

    /// A situation as coverage reads it.
    public struct Situation: Sendable, Hashable {
        public var title: String
        public var competencies: Set<String>
        public var documents: Int

        public init(title: String, competencies: Set<String>, documents: Int) {
            self.title = title
            self.competencies = competencies
            self.documents = documents
        }
    }

    public var blocks: [BlockLine]

    public var isComplete: Bool { blocks.allSatisfy { $0.uncovered.isEmpty } }

    /// The coverage of `blocks` (ids, in référentiel order) by `situations`.
    public init(referential: Referential, blocks ids: [String], situations: [Situation]) {
        blocks = referential.blocks.filter { ids.contains($0.id) }.map { block in
            BlockLine(
                id: block.id, title: block.title,
                competencies: block.competencies.map { competency in
                    let linked = situations.filter { $0.competencies.contains(competency.id) }
                    return CompetencyLine(
                        id: competency.id, text: competency.text, situations: linked.map(\.title),
                        documents: linked.reduce(0) { $0 + $1.documents }, linked: linked)
                })
        }
    }
}
