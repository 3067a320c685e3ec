extension Checker {
    mutating func checkBlocks() {
        var blockIDs: [String: String] = [:]
        var blockCodes: [String: String] = [:]
        var competencyIDs: [String: String] = [:]
        var activityIDs: [String: String] = [:]
        let certificationCode = referential.certification.rncpCode.flatMap {
            Certification.isValidRNCPCode($0) ? $0 : nil
        }
        if referential.blocks.isEmpty {
            error("missing-field", "blocks", "aucun bloc de compétences")
        }
        for (b, block) in referential.blocks.enumerated() {
            let path = "blocks[\(b)]"
            required(block.id, "\(path).id", key: "id")
            if block.competencies.isEmpty {
                error("missing-field", "\(path).competencies", "le bloc « \(block.id) » n'a aucune compétence")
            }
            duplicates([(block.id, "\(path).id")], seen: &blockIDs)
            required(block.title, "\(path).title", key: "title")
            if let code = block.code, !code.isEmpty {
                if !Block.isValidCode(code) {
                    error(
                        "malformed-block-code", "\(path).code",
                        "code de bloc « \(code) » mal formé : attendu RNCPnnnnnBCnn, par exemple RNCP38576BC01")
                } else if let certificationCode, !code.hasPrefix(certificationCode + "BC") {
                    error(
                        "block-code-mismatch", "\(path).code",
                        "le code de bloc « \(code) » ne commence pas par le code de la certification « \(certificationCode) »"
                    )
                }
                duplicates([(code, "\(path).code")], seen: &blockCodes)
            } else {
                warning("unset-block-code", "\(path).code", "code RNCP du bloc « \(block.id) » non renseigné")
            }

            for (a, activity) in block.activities.enumerated() {
                required(activity.title, "\(path).activities[\(a)].title", key: "title")
                if let id = activity.id {
                    required(id, "\(path).activities[\(a)].id", key: "id")
                    duplicates([(id, "\(path).activities[\(a)].id")], seen: &activityIDs)
                }
            }
            numberingGaps(
                block.activities.enumerated().compactMap { a, activity in
                    activity.id.map { ($0, "\(path).activities[\(a)].id") }
                })

            for (c, competency) in block.competencies.enumerated() {
                let item = "\(path).competencies[\(c)]"
                required(competency.id, "\(item).id", key: "id")
                duplicates([(competency.id, "\(item).id")], seen: &competencyIDs)
                required(competency.text, "\(item).text", key: "text")
                if let rule = competency.rule { checkRule(rule, at: "\(item).rule") }
            }
            numberingGaps(block.competencies.enumerated().map { ($1.id, "\(path).competencies[\($0)].id") })
            if let rule = block.rule { checkRule(rule, at: "\(path).rule") }
        }
    }

    /// Warns where a numbered sequence (`C3.6`, `C3.8`) skips a number, reporting at the
    /// item after the gap. Sequences are grouped by what precedes the final number, and are
    /// expected to start at 1.
    mutating func numberingGaps(_ items: [(id: String, path: String)]) {
        var last: [String: Int] = [:]
        for item in items {
            guard let (prefix, number) = Self.splitNumber(item.id) else { continue }
            let previous = last[prefix] ?? 0
            if number > previous + 1 {
                let missing = (previous + 1..<number).map { "\(prefix)\($0)" }
                let shown =
                    missing.count > 3
                    ? "\(missing[0]) à \(missing[missing.count - 1]) absents"
                    : missing.joined(separator: ", ") + (missing.count == 1 ? " absent" : " absents")
                let context = previous == 0 ? "avant \(item.id)" : "entre \(prefix)\(previous) et \(item.id)"
                warning("numbering-gap", item.path, "numérotation interrompue : \(shown) \(context)")
            }
            last[prefix] = max(previous, number)
        }
    }

    /// `C3.12` → (`C3.`, 12); nil without a trailing number.
    static func splitNumber(_ id: String) -> (String, Int)? {
        let digits = id.reversed().prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty, digits.count < 9, let number = Int(String(digits.reversed())) else { return nil }
        return (String(id.dropLast(digits.count)), number)
    }
}
