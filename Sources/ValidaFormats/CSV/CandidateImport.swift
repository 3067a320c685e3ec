import Foundation
import ValidaCore

/// Reads a list of candidates from a spreadsheet, checking every line; a school imports
/// it only when no line has an error.
public struct CandidateImport: Sendable, Hashable {
    /// A problem, with where it is: the line of the file and the column's name.
    public struct LineError: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: String?
        public var message: String

        public var description: String {
            "ligne \(line)" + (column.map { ", colonne « \($0) »" } ?? "") + " : \(message)"
        }
    }

    public struct Line: Sendable, Hashable {
        public var line: Int
        public var identity: CandidateIdentity
    }

    /// The columns, by the name shown to users, with the spellings accepted in a header.
    public enum Column: String, Sendable, CaseIterable {
        case birthName = "Nom de naissance"
        case usualName = "Nom d'usage"
        case firstNames = "Prénoms"
        case birthDate = "Date de naissance"
        case birthPlace = "Lieu de naissance"
        case birthPlaceINSEE = "Code INSEE du lieu de naissance"
        case sex = "Sexe"
        case email = "Email"
        case accessRoute = "Voie d'accès"

        var aliases: [String] {
            switch self {
            case .birthName: ["nom de naissance", "nom"]
            case .usualName: ["nom d'usage", "nom usuel", "nom marital"]
            case .firstNames: ["prenoms", "prenom"]
            case .birthDate: ["date de naissance", "ne le", "nee le"]
            case .birthPlace: ["lieu de naissance", "commune de naissance", "ville de naissance"]
            case .birthPlaceINSEE: ["code insee du lieu de naissance", "code insee", "insee"]
            case .sex: ["sexe", "genre"]
            case .email: ["email", "e-mail", "courriel", "adresse electronique", "mail"]
            case .accessRoute: ["voie d'acces", "voie", "modalite d'acces"]
            }
        }

        var isRequired: Bool { self != .usualName && self != .birthPlaceINSEE }
    }

    public var encoding: CSVDocument.Encoding
    public var lines: [Line]
    /// The lines valid on their own, even when others are not: what can still be checked
    /// against the stored candidates, so that a file's every error is told in one pass.
    public var checkedLines: [Line] = []
    public var errors: [LineError]

    public var isValid: Bool { errors.isEmpty }

    public init(data: Data) {
        let document: CSVDocument
        do {
            document = try CSVDocument(data: data)
        } catch {
            encoding = .utf8
            lines = []
            if case .unclosedQuote(let line) = error {
                errors = [LineError(line: line, column: nil, message: "un guillemet ouvert n'est jamais fermé")]
            } else {
                errors = [LineError(line: 1, column: nil, message: error.description)]
            }
            return
        }
        encoding = document.encoding
        var errors: [LineError] = []
        var positions: [Column: Int] = [:]
        for (i, name) in document.header.enumerated() {
            let key = Self.normalise(name)
            guard let column = Column.allCases.first(where: { $0.aliases.contains(key) }) else {
                errors.append(
                    LineError(
                        line: 1, column: name,
                        message: "colonne inconnue ; colonnes attendues : "
                            + Column.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            if positions[column] != nil {
                errors.append(LineError(line: 1, column: name, message: "colonne en double"))
            }
            positions[column] = i
        }
        for column in Column.allCases where column.isRequired && positions[column] == nil {
            errors.append(LineError(line: 1, column: column.rawValue, message: "colonne obligatoire absente"))
        }
        guard errors.isEmpty else {
            self.lines = []
            self.errors = errors
            return
        }
        var lines: [Line] = []
        var emails: [String: Int] = [:]
        for row in document.rows {
            func value(_ column: Column) -> String? {
                guard let i = positions[column], i < row.fields.count else { return nil }
                let text = row.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            var rowErrors: [LineError] = []
            func fail(_ column: Column, _ message: String) {
                rowErrors.append(LineError(line: row.line, column: column.rawValue, message: message))
            }
            if row.fields.count > document.header.count {
                rowErrors.append(
                    LineError(
                        line: row.line, column: nil,
                        message:
                            "\(row.fields.count) valeurs pour \(document.header.count) colonnes (séparateur « \(document.separator) » dans une valeur non entourée de guillemets ?)"
                    ))
            }
            var values: [Column: String] = [:]
            for column in Column.allCases { values[column] = value(column) }
            let (identity, problems) = Self.validate(values)
            for (column, message) in problems { fail(column, message) }
            if let email = identity?.email ?? values[.email].map({ $0.lowercased() }),
                problems.allSatisfy({ $0.0 != .email })
            {
                if let first = emails[email] {
                    fail(.email, "adresse « \(values[.email]!) » déjà utilisée à la ligne \(first)")
                } else {
                    emails[email] = row.line
                }
            }
            if rowErrors.isEmpty, let identity {
                lines.append(Line(line: row.line, identity: identity))
            }
            errors += rowErrors
        }
        if document.rows.isEmpty {
            errors.append(
                LineError(line: 2, column: nil, message: "aucun candidat : le fichier n'a que la ligne d'en-tête"))
        }
        self.lines = errors.isEmpty ? lines : []
        self.checkedLines = lines
        self.errors = errors
    }

    /// Checks one candidate's values, by column (trimmed, nil when empty): the identity when
    /// every value is valid, and each problem with its column, in column order. The same
    /// rules serve the spreadsheet import, the web form and the API. A birth date after
    /// `today` is refused.
    public static func validate(_ values: [Column: String], today: CalendarDate = DateInput.today) -> (
        CandidateIdentity?, [(Column, String)]
    ) {
        var problems: [(Column, String)] = []
        func required(_ column: Column) -> String? {
            guard let text = values[column], !text.isEmpty else {
                problems.append((column, "valeur obligatoire manquante"))
                return nil
            }
            return text
        }
        let birthName = required(.birthName)
        let firstNames = required(.firstNames)
        var birthDate: CalendarDate?
        if let text = required(.birthDate) {
            switch DateInput.parse(text, notAfter: today) {
            case .success(let date): birthDate = date
            case .failure(.future(let date, _)):
                problems.append((.birthDate, "le \(date.french) est dans le futur : une date de naissance est passée"))
            case .failure(let problem): problems.append((.birthDate, problem.description))
            }
        }
        let birthPlace = required(.birthPlace)
        let insee = values[.birthPlaceINSEE].flatMap { $0.isEmpty ? nil : $0.uppercased() }
        if let insee, !CandidateIdentity.isValidINSEECode(insee) {
            problems.append(
                (.birthPlaceINSEE, "code INSEE invalide « \(insee) » : 5 caractères, chiffres (2A ou 2B pour la Corse)")
            )
        }
        var sex: Sex?
        if let text = required(.sex) {
            switch normalise(text) {
            case "f", "femme", "feminin": sex = .female
            case "m", "h", "homme", "masculin": sex = .male
            default: problems.append((.sex, "valeur « \(text) » non reconnue : F ou M"))
            }
        }
        var email: String?
        if let text = required(.email) {
            if CandidateIdentity.isValidEmail(text) {
                email = text.lowercased()
            } else {
                problems.append((.email, "adresse invalide « \(text) »"))
            }
        }
        var route: AccessRoute?
        if let text = required(.accessRoute) {
            let key = normalise(text)
            route =
                AccessRoute.allCases.first { normalise($0.label) == key || $0.rawValue == key }
                ?? (key == "contrat pro" ? .professionalizationContract : nil)
            if route == nil {
                problems.append(
                    (
                        .accessRoute,
                        "voie d'accès « \(text) » inconnue ; valeurs possibles : "
                            + AccessRoute.allCases.map(\.label).joined(separator: ", ")
                    ))
            }
        }
        guard problems.isEmpty, let birthName, let firstNames, let birthDate, let birthPlace, let sex, let email,
            let route
        else {
            return (nil, problems)
        }
        let usual = values[.usualName].flatMap { $0.isEmpty ? nil : $0 }
        return (
            CandidateIdentity(
                birthName: birthName, usualName: usual, firstNames: firstNames, birthDate: birthDate,
                birthPlace: birthPlace,
                birthPlaceINSEE: insee, sex: sex, email: email, accessRoute: route), []
        )
    }

    /// Lower case, no accents, single spaces, typographic apostrophes made plain: how a
    /// header or a value is matched.
    static func normalise(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
            .replacingOccurrences(of: "’", with: "'")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A blank file with the expected header, for schools to fill in.
    public static func template() -> Data {
        CSVDocument.write(header: Column.allCases.map(\.rawValue), rows: [])
    }
}
