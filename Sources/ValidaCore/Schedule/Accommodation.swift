/// Aménagements d'épreuves: what a disabled candidate may be granted by the certifier for
/// named assessments. The reason (medical details) stays with the request; evaluators only
/// see what applies (`evaluatorLabels`).
public enum AccommodationKind: String, Sendable, Hashable, Codable, CaseIterable {
    case extraTime = "extra-time"
    case adaptedFormat = "adapted-format"
    case assistant
    case separateRoom = "separate-room"

    public var label: String {
        switch self {
        case .extraTime: "Temps majoré"
        case .adaptedFormat: "Format adapté"
        case .assistant: "Assistant"
        case .separateRoom: "Salle isolée"
        }
    }
}

public enum AccommodationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Recorded by the coordinator, waiting for the certifier.
    case requested
    case granted
    case refused

    public var label: String {
        switch self {
        case .requested: "Demandé"
        case .granted: "Accordé"
        case .refused: "Refusé"
        }
    }
}

/// One request and its decision, as the rules need it (no reason, no names).
public struct Accommodation: Sendable, Hashable {
    public var kinds: Set<AccommodationKind>
    /// With `.extraTime`: how much longer, in percent of the slot (33 for « tiers temps »).
    public var extraTimePercent: Int?
    /// The assessments (référentiel ids) it applies to.
    public var assessments: Set<String>
    public var status: AccommodationStatus

    public init(
        kinds: Set<AccommodationKind>, extraTimePercent: Int? = nil, assessments: Set<String>,
        status: AccommodationStatus
    ) {
        self.kinds = kinds
        self.extraTimePercent = extraTimePercent
        self.assessments = assessments
        self.status = status
    }

    /// The largest extra time the certifier may grant, in percent.
    public static let maxExtraTimePercent = 100
}

/// What applies to one candidate at one assessment: the granted accommodations combined.
public struct AppliedAccommodation: Sendable, Hashable {
    public var kinds: Set<AccommodationKind>
    /// The largest extra time granted, 0 without one.
    public var extraTimePercent: Int

    public init(kinds: Set<AccommodationKind> = [], extraTimePercent: Int = 0) {
        self.kinds = kinds
        self.extraTimePercent = extraTimePercent
    }

    public var isEmpty: Bool { kinds.isEmpty }

    /// What evaluators are told, never why: « Tiers temps : +33 % », « Salle isolée ».
    public var evaluatorLabels: [String] {
        AccommodationKind.allCases.filter(kinds.contains).map { kind in
            kind == .extraTime ? "Tiers temps : +\(extraTimePercent) %" : kind.label
        }
    }

    /// A slot's length for this candidate: `minutes` lengthened by the extra time, rounded up
    /// to the minute.
    public func lengthened(_ minutes: Int) -> Int {
        guard extraTimePercent > 0 else { return minutes }
        return (minutes * (100 + extraTimePercent) + 99) / 100
    }
}

public enum Accommodations {
    /// The granted accommodations of `list` that apply to `assessment`, combined.
    public static func applicable(_ list: [Accommodation], assessment: String) -> AppliedAccommodation {
        var applied = AppliedAccommodation()
        for a in list where a.status == .granted && a.assessments.contains(assessment) {
            applied.kinds.formUnion(a.kinds)
            if a.kinds.contains(.extraTime) {
                applied.extraTimePercent = max(applied.extraTimePercent, a.extraTimePercent ?? 0)
            }
        }
        return applied
    }

    /// The candidates with at least one accommodation granted, and per kind how many candidates
    /// were granted it: for the statistics page (each candidate counted once per kind).
    public struct Count: Sendable, Hashable {
        public var candidates: Int
        public var byKind: [AccommodationKind: Int]
    }

    public static func count(_ byCandidate: [String: [Accommodation]]) -> Count {
        var count = Count(candidates: 0, byKind: [:])
        for (_, list) in byCandidate {
            let granted = list.filter { $0.status == .granted }
            guard !granted.isEmpty else { continue }
            count.candidates += 1
            for kind in Set(granted.flatMap(\.kinds)) { count.byKind[kind, default: 0] += 1 }
        }
        return count
    }
}
