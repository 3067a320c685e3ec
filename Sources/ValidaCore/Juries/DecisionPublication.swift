extension DeliberationStatus {
    /// Whether the decisions taken in this deliberation are results anyone but its jury may
    /// read (the candidate, the school, documents, credentials). Until the jury closes the
    /// deliberation, what it decides may still change: nobody learns it while the jury sits.
    public var publishesDecisions: Bool {
        switch self {
        case .open: false
        case .closed: true
        }
    }

    /// The statuses whose decisions are not published yet.
    public static var unpublished: [DeliberationStatus] { [.open, .closed].filter { !$0.publishesDecisions } }
}
