/// A référentiel: the structured description of a certification, in one version.
public struct Referential: Sendable, Hashable, Codable {
    public var certification: Certification
    public var version: ReferentialVersion
    /// Scales declared by this référentiel, beside the built-in ones.
    public var scales: [Scale]
    public var rules: ResultRules
    public var blocks: [Block]
    /// Every assessment, those of the blocks and the transversal ones.
    public var assessments: [Assessment]
    public var vae: VAEPolicy

    public init(
        certification: Certification, version: ReferentialVersion, scales: [Scale] = [],
        rules: ResultRules = .init(), blocks: [Block] = [], assessments: [Assessment] = [],
        vae: VAEPolicy = .init()
    ) {
        self.certification = certification
        self.version = version
        self.scales = scales
        self.rules = rules
        self.blocks = blocks
        self.assessments = assessments
        self.vae = vae
    }

    /// Every competency, in block order.
    public var competencies: [Competency] { blocks.flatMap(\.competencies) }

    /// The block a competency belongs to.
    public func block(ofCompetency id: String) -> Block? {
        blocks.first { $0.competencies.contains { $0.id == id } }
    }

    public func assessment(_ id: String) -> Assessment? {
        assessments.first { $0.id == id }
    }

    /// A scale by id: one this référentiel declares, else a built-in one.
    public func scale(_ id: String) -> Scale? {
        scales.first { $0.id == id } ?? Scale.builtIn.first { $0.id == id }
    }

    /// The rule that judges a competency: its own, else the référentiel's default.
    public func rule(forCompetency competency: Competency) -> CompetencyRule {
        competency.rule ?? rules.competency
    }

    public func rule(forBlock block: Block) -> BlockRule {
        block.rule ?? rules.block
    }
}

/// What VAE may award for this certification.
public struct VAEPolicy: Sendable, Hashable, Codable {
    /// VAE may award the whole certification.
    public var wholeCertification: Bool
    /// VAE may validate single blocks.
    public var singleBlocks: Bool
    /// What the référentiel says a candidate must show, for the whole certification.
    public var wholeCertificationText: String?
    /// What the référentiel says a candidate must show, for single blocks.
    public var singleBlocksText: String?

    public init(
        wholeCertification: Bool = false, singleBlocks: Bool = false,
        wholeCertificationText: String? = nil, singleBlocksText: String? = nil
    ) {
        self.wholeCertification = wholeCertification
        self.singleBlocks = singleBlocks
        self.wholeCertificationText = wholeCertificationText
        self.singleBlocksText = singleBlocksText
    }
}
