import Foundation

/// Sex as civil registers and the Caisse des Dépôts record it.
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    case female = "F"
    case male = "M"

    public var label: String { self == .female ? "Femme" : "Homme" }
}

/// Who a candidate is, as the documents and the holders' declaration need it.
public struct CandidateIdentity: Sendable, Hashable, Codable {
    public var birthName: String
    public var usualName: String?
    public var firstNames: String
    public var birthDate: CalendarDate
    /// The commune (or country) of birth, as written.
    public var birthPlace: String
    /// The INSEE code of the commune of birth (5 characters, `2A`/`2B` for Corsica), when known.
    public var birthPlaceINSEE: String?
    public var sex: Sex
    public var email: String
    public var accessRoute: AccessRoute

    public init(
        birthName: String, usualName: String? = nil, firstNames: String, birthDate: CalendarDate,
        birthPlace: String, birthPlaceINSEE: String? = nil, sex: Sex, email: String, accessRoute: AccessRoute
    ) {
        self.birthName = birthName
        self.usualName = usualName
        self.firstNames = firstNames
        self.birthDate = birthDate
        self.birthPlace = birthPlace
        self.birthPlaceINSEE = birthPlaceINSEE
        self.sex = sex
        self.email = email
        self.accessRoute = accessRoute
    }

    /// The name to address the candidate by (`PersonName`'s rule).
    public var displayName: String { name.displayName }

    /// Whether `code` has the shape of an INSEE commune code: five digits, or `2A`/`2B` and
    /// three digits.
    public static func isValidINSEECode(_ code: String) -> Bool {
        let chars = Array(code)
        guard chars.count == 5 else { return false }
        let head = String(chars[0...1])
        let headOK = head.allSatisfy(\.isASCIIDigit) || head == "2A" || head == "2B"
        return headOK && chars[2...].allSatisfy(\.isASCIIDigit)
    }

    /// A pragmatic shape check: something@domain.tld, no spaces. Delivery is the real test.
    public static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !email.contains(where: \.isWhitespace) else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }
}
