import Fluent
import ValidaCore
import Vapor

/// The certifier's settings: who delivers documents and where, and the ids the Caisse des
/// Dépôts gave for the holders' declaration. Stored as keys so that adding one needs no
/// schema change.
struct AppSettings: Sendable, Hashable {
    var certifierName = ""
    var deliveryPlace = ""
    var signatoryName = ""
    var signatoryTitle = ""
    /// The Caisse des Dépôts' `idClient` and `idContrat` for the holders' declaration.
    var cdcClientID = ""
    var cdcContractID = ""
    /// The public address verification links point to, e.g. `https://valida.ecole.fr`.
    var publicBaseURL = ""
    /// Years a person's data is kept after their last certification decision or activity,
    /// before the manager may erase it (RGPD); empty: no period set, nothing may be erased.
    var retentionYears = ""
    /// « oui » when the manager and jury presidents must sign in with a second factor (TOTP).
    var twoFactorRequired = ""
    /// Days after the results' publication during which a candidate may appeal; empty: 60.
    var appealDeadlineDays = ""

    enum Key: String, CaseIterable {
        case certifierName = "certifier-name"
        case deliveryPlace = "delivery-place"
        case signatoryName = "signatory-name"
        case signatoryTitle = "signatory-title"
        case cdcClientID = "cdc-client-id"
        case cdcContractID = "cdc-contract-id"
        case publicBaseURL = "public-base-url"
        case retentionYears = "retention-years"
        case twoFactorRequired = "two-factor-required"
        case appealDeadlineDays = "appeal-deadline-days"
    }

    subscript(key: Key) -> String {
        get {
            switch key {
            case .certifierName: certifierName
            case .deliveryPlace: deliveryPlace
            case .signatoryName: signatoryName
            case .signatoryTitle: signatoryTitle
            case .cdcClientID: cdcClientID
            case .cdcContractID: cdcContractID
            case .publicBaseURL: publicBaseURL
            case .retentionYears: retentionYears
            case .twoFactorRequired: twoFactorRequired
            case .appealDeadlineDays: appealDeadlineDays
            }
        }
        set {
            switch key {
            case .certifierName: certifierName = newValue
            case .deliveryPlace: deliveryPlace = newValue
            case .signatoryName: signatoryName = newValue
            case .signatoryTitle: signatoryTitle = newValue
            case .cdcClientID: cdcClientID = newValue
            case .cdcContractID: cdcContractID = newValue
            case .publicBaseURL: publicBaseURL = newValue
            case .retentionYears: retentionYears = newValue
            case .twoFactorRequired: twoFactorRequired = newValue
            case .appealDeadlineDays: appealDeadlineDays = newValue
            }
        }
    }

    static func load(on db: any Database) async throws -> AppSettings {
        var settings = AppSettings()
        for row in try await DBSetting.query(on: db).all() {
            if let key = Key(rawValue: row.key) { settings[key] = row.value }
        }
        return settings
    }

    func save(on db: any Database) async throws {
        try await db.transaction { tx in
            let rows = Dictionary(uniqueKeysWithValues: try await DBSetting.query(on: tx).all().map { ($0.key, $0) })
            for key in Key.allCases {
                let value = self[key].trimmingCharacters(in: .whitespacesAndNewlines)
                if let row = rows[key.rawValue] {
                    row.value = value
                    try await row.save(on: tx)
                } else {
                    try await DBSetting(key: key.rawValue, value: value).create(on: tx)
                }
            }
        }
    }

    /// The retention period in years, when one is set.
    var retentionPeriodYears: Int? { Int(retentionYears) }

    var requiresTwoFactor: Bool { twoFactorRequired == "oui" }

    /// The appeal deadline in days (`AppealRules.defaultDeadlineDays` unless set).
    var appealDeadline: Int { Int(appealDeadlineDays) ?? AppealRules.defaultDeadlineDays }

    var delivery: DeliveryDetails {
        func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }
        return DeliveryDetails(
            certifierName: nonEmpty(certifierName), place: nonEmpty(deliveryPlace),
            signatory: signatoryName.isEmpty ? nil : .init(name: signatoryName, title: signatoryTitle))
    }

    /// The verification link printed on a document: on the configured public address, else
    /// the path alone. Never the request's Host header, which the visitor chooses.
    func verificationURL(code: String) -> String {
        var base = publicBaseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        return base + SiteRoute.verifyCode(code).path
    }
}
