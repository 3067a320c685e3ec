extension DecisionScope {
    /// What a decision is about, in full, wherever one is shown: « Bloc RNCP00001BC01 —
    /// Titre » (the block's RNCP code, or its key while the code is unknown), « Épreuve E1 —
    /// Mémoire », « Certification complète ». A block or an assessment the référentiel no
    /// longer has is named by its key.
    public func label(in referential: Referential) -> String {
        switch self {
        case .block(let id):
            guard let block = referential.blocks.first(where: { $0.id == id }) else { return "Bloc \(id)" }
            return "Bloc \(block.code ?? id) — \(block.title)"
        case .requirement(let id):
            return "Épreuve \(id)" + (referential.assessment(id).map { " — \($0.title)" } ?? "")
        case .certification:
            return "Certification complète"
        }
    }

    /// The same, short enough for a column heading: the block's key (`BC01`), or with
    /// `rncpCode` its RNCP code when known (official documents: the minutes); the
    /// assessment's title; « Certification ».
    public func shortLabel(in referential: Referential, rncpCode: Bool = false) -> String {
        switch self {
        case .block(let id):
            rncpCode ? referential.blocks.first { $0.id == id }.flatMap(\.code) ?? id : id
        case .requirement(let id): referential.assessment(id)?.title ?? id
        case .certification: "Certification"
        }
    }
}
