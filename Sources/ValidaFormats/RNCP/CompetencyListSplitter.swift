import Foundation

/// Splits the free text of an RNCP block's `LISTE_COMPETENCES` into competencies.
///
/// The export keeps no structure: items are separated by runs of spaces (where the
/// certifier's line breaks were) or line breaks, and numbered in many styles (`C1.1`,
/// `A1C1.`, `A5.C1.`, `C.1.`, `C1 -`, `1)`), bulleted (`-`, `*`, `•`, `●`), or neither (one
/// sentence per item). The splitter finds the style, cuts there, joins what is cut
/// mid-sentence, and says where it is unsure instead of guessing silently.
enum CompetencyListSplitter {
    struct Item: Sendable, Hashable {
        /// The numbering the file gives the item (`A1C1`, `C.1`), without its trailing punctuation.
        var label: String?
        /// The item's text, spaces collapsed.
        var text: String
    }

    struct Doubt: Sendable, Hashable {
        var kind: RNCPImportDoubt.Kind
        var text: String
        var reason: String
    }

    enum Style: String, Sendable {
        case numbered, bulleted, sentences
    }

    struct Result: Sendable {
        var items: [Item]
        var style: Style
        var doubts: [Doubt]
    }

    static func split(_ text: String) -> Result {
        let segments = segments(text)
        guard !segments.isEmpty else {
            return Result(
                items: [], style: .sentences,
                doubts: [
                    Doubt(kind: .emptyList, text: "", reason: "liste des compétences vide")
                ])
        }
        let bulleted = segments.count { bullet($0) != nil }
        let numbered = segments.count { numberMarker(Substring($0)) != nil }
        var result: Result
        if bulleted > 0 && bulleted >= numbered {
            result = marked(segments, style: .bulleted) { segment in
                guard let rest = bullet(segment) else { return nil }
                // A bullet may still carry a number: `- C1.1 Analyser`.
                if let numbered = numberMarker(rest) { return (numbered.label, numbered.rest) }
                return (nil, rest)
            }
        } else if numbered > 0 {
            result = marked(segments.flatMap(splitInlineMarkers), style: .numbered) { segment in
                numberMarker(Substring(segment)).map { ($0.label, $0.rest) }
            }
        } else {
            result = sentences(segments)
        }
        for item in result.items {
            result.doubts += itemDoubts(item.text, style: result.style)
        }
        if result.items.count == 1, result.items[0].text.count > 300 {
            result.doubts.append(
                Doubt(
                    kind: .noSeparator, text: result.items[0].text,
                    reason:
                        "aucun séparateur reconnu (numéro, puce ou saut de ligne) : tout le texte forme une seule compétence"
                ))
        }
        return result
    }

    // MARK: Segments

    /// The text cut at line breaks and at runs of two spaces or more; single spaces kept.
    static func segments(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var spaces = 0
        var sawBreak = false
        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { result.append(trimmed) }
            current = ""
        }
        for character in text {
            if character == " " || character == "\t" {
                spaces += 1
            } else if character.isNewline {
                sawBreak = true
            } else {
                if sawBreak || spaces >= 2 {
                    flush()
                } else if spaces == 1 {
                    current.append(" ")
                }
                spaces = 0
                sawBreak = false
                current.append(character)
            }
        }
        flush()
        // A bullet followed by a run of spaces (`-   Conduire`) belongs to the next segment.
        var merged: [String] = []
        for segment in result {
            if let last = merged.last, last.count == 1, let bullet = last.first, bullets.contains(bullet) {
                merged[merged.count - 1] = "\(last) \(segment)"
            } else {
                merged.append(segment)
            }
        }
        return merged
    }

    // MARK: Numbered and bulleted lists

    /// Items start at segments `start` recognises; other segments continue the item before,
    /// or, before the first item, form an introduction.
    static func marked(
        _ segments: [String], style: Style, start: (String) -> (label: String?, rest: Substring)?
    ) -> Result {
        var items: [Item] = []
        var preamble: [String] = []
        var doubts: [Doubt] = []
        for segment in segments {
            if let (label, rest) = start(segment) {
                items.append(Item(label: label, text: String(rest).trimmingCharacters(in: .whitespaces)))
            } else if items.isEmpty {
                preamble.append(segment)
            } else {
                let previous = items[items.count - 1].text
                if endsSentence(previous), startsUpper(segment) {
                    doubts.append(
                        Doubt(
                            kind: .unmarkedContinuation, text: segment,
                            reason:
                                "texte sans \(style == .numbered ? "numéro" : "puce") après une compétence terminée : "
                                + "rattaché à la compétence précédente, peut-être une compétence à part"))
                }
                items[items.count - 1].text = join(previous, segment)
            }
        }
        if !preamble.isEmpty {
            let intro = preamble.joined(separator: " ")
            if intro.hasSuffix(":") {
                doubts.insert(
                    Doubt(
                        kind: .introduction, text: intro,
                        reason:
                            "texte d'introduction avant la première compétence : il n'est pas repris comme compétence"),
                    at: 0)
            } else {
                items.insert(Item(label: nil, text: intro), at: 0)
                doubts.insert(
                    Doubt(
                        kind: .unmarkedItem, text: intro,
                        reason: "texte sans \(style == .numbered ? "numéro" : "puce") avant la première compétence : "
                            + "repris comme compétence"), at: 0)
            }
        }
        return Result(items: items.filter { !$0.text.isEmpty }, style: style, doubts: doubts)
    }

    /// A bullet at the start of a segment, and what follows it.
    static func bullet(_ segment: String) -> Substring? {
        guard let first = segment.first, bullets.contains(first) else { return nil }
        let rest = segment.dropFirst().drop { $0 == " " }
        return rest.isEmpty ? nil : rest
    }

    static let bullets: Set<Character> = ["-", "–", "—", "*", "•", "●", "▪", "◦", "○", "■", "□", "➢", "►", "·", "✓"]

    /// A competency number at the start of `text`: an optional activity prefix (`A1`, `A5.`),
    /// `C`, an optional dot, a number and an optional sub-number (`C1`, `C.1`, `C1.2`); or a
    /// bare number with its punctuation (`1.`, `1)`, `1.2 -`). Then optional punctuation and
    /// spaces, and the text, which must start with a letter.
    static func numberMarker(_ text: Substring) -> (label: String, rest: Substring)? {
        var i = text.startIndex
        func peek(_ offset: Int = 0) -> Character? {
            guard let j = text.index(i, offsetBy: offset, limitedBy: text.endIndex), j < text.endIndex else {
                return nil
            }
            return text[j]
        }
        func digits(max: Int) -> Bool {
            var n = 0
            while n < max, let c = peek(), c.isASCII, c.isNumber {
                i = text.index(after: i)
                n += 1
            }
            if let c = peek(), c.isASCII, c.isNumber { return false }
            return n > 0
        }
        var hasC = false
        var hasSubNumber = false
        // Activity prefix: a capital other than C, 1–2 digits, an optional dot.
        if let c = peek(), c.isASCII, c.isUppercase, c != "C", let d = peek(1), d.isASCII, d.isNumber {
            i = text.index(after: i)
            guard digits(max: 2) else { return nil }
            if peek() == "." { i = text.index(after: i) }
            guard peek() == "C" else { return nil }
        }
        if peek() == "C" {
            hasC = true
            i = text.index(after: i)
            if peek() == "." { i = text.index(after: i) }
        }
        guard digits(max: 2) else { return nil }
        while peek() == ".", let d = peek(1), d.isASCII, d.isNumber {
            i = text.index(after: i)
            guard digits(max: 2) else { return nil }
            hasSubNumber = true
        }
        let label = String(text[text.startIndex..<i])
        var spaced = false
        while peek() == " " {
            i = text.index(after: i)
            spaced = true
        }
        var punctuated = false
        if let c = peek(), ".):-–—".contains(c) {
            i = text.index(after: i)
            punctuated = true
            while peek() == " " {
                i = text.index(after: i)
                spaced = true
            }
        }
        guard let next = peek(), next.isLetter || "«\"'’(".contains(next) else { return nil }
        // `C1Analyser` or `12 mois` are not numbered items.
        if hasC ? !(spaced || punctuated) : !(punctuated || (hasSubNumber && spaced)) { return nil }
        return (label, text[i...])
    }

    /// A numbered item that follows the end of a sentence after a single space
    /// (`… entreprise. A1C2. Apprécier`) starts a new segment.
    static func splitInlineMarkers(_ segment: String) -> [String] {
        var parts: [String] = []
        var start = segment.startIndex
        var i = segment.startIndex
        while let dot = segment[i...].firstIndex(where: { $0 == "." || $0 == ";" }) {
            let after = segment.index(after: dot)
            guard after < segment.endIndex, segment[after] == " " else {
                i = after
                continue
            }
            let candidate = segment.index(after: after)
            if candidate < segment.endIndex, let marker = numberMarker(segment[candidate...]),
                marker.label.contains("C")
            {
                parts.append(String(segment[start...dot]))
                start = candidate
            }
            i = candidate
        }
        parts.append(String(segment[start...]))
        return parts
    }

    // MARK: Unmarked lists

    /// One competency per segment, except where a segment obviously continues the sentence
    /// before (it starts in lower case, or the one before ends on an article or a comma).
    static func sentences(_ segments: [String]) -> Result {
        var items: [Item] = []
        var doubts: [Doubt] = []
        for segment in segments {
            guard let previous = items.last?.text else {
                items.append(Item(label: nil, text: segment))
                continue
            }
            if !startsUpper(segment) {
                items[items.count - 1].text = join(previous, segment)
            } else if endsMidSentence(previous) {
                doubts.append(
                    Doubt(
                        kind: .brokenSentence, text: segment,
                        reason:
                            "coupure au milieu d'une phrase (« …\(lastWord(previous)) ») : rattaché à la compétence précédente"
                    ))
                items[items.count - 1].text = join(previous, segment)
            } else {
                items.append(Item(label: nil, text: segment))
            }
        }
        return Result(items: items, style: .sentences, doubts: doubts)
    }

    // MARK: Doubts within an item

    static func itemDoubts(_ text: String, style: Style) -> [Doubt] {
        var doubts: [Doubt] = []
        let words = text.split(separator: " ")
        for (previous, word) in zip(words, words.dropFirst()) where looksLikeVerbStart(word, after: previous) {
            doubts.append(
                Doubt(
                    kind: .possiblyMerged, text: text,
                    reason: "« \(previous) \(word) » : un verbe à l'infinitif commence au milieu de la phrase, "
                        + "sans ponctuation ; peut-être deux compétences réunies par le fichier"))
        }
        if sentenceCount(words) > 1 {
            doubts.append(
                Doubt(
                    kind: .severalSentences, text: text,
                    reason: "plusieurs phrases dans une même compétence : peut-être plusieurs compétences"))
        }
        if style == .bulleted, let dash = text.range(of: " - "), let next = text[dash.upperBound...].first,
            next.isUppercase
        {
            doubts.append(
                Doubt(
                    kind: .possiblyMerged, text: text,
                    reason: "un tiret suivi d'une majuscule au milieu de l'élément : peut-être deux compétences"))
        }
        return doubts
    }

    /// `… artistique Participer …`: a capitalised infinitive after a lower-case word.
    static func looksLikeVerbStart(_ word: Substring, after previous: Substring) -> Bool {
        guard let first = word.first, first.isUppercase, word.count >= 4,
            !word.allSatisfy({ $0.isUppercase || !$0.isLetter }),
            let last = previous.last, last.isLetter, last.isLowercase,
            previous.first?.isLowercase ?? false
        else { return false }
        let lower = word.lowercased()
        return ["er", "ir", "oir", "dre", "tre", "ire", "uire", "vre"].contains { lower.hasSuffix($0) }
            && !lower.hasSuffix("ère") && !lower.hasSuffix("ière")
    }

    /// Sentences in a list of words: a word ending with `.`, `!` or `?` followed by a
    /// capitalised word ends one (abbreviations excepted).
    static func sentenceCount(_ words: [Substring]) -> Int {
        var count = 1
        for (word, next) in zip(words, words.dropFirst()) {
            guard let last = word.last, ".!?".contains(last), next.first?.isUppercase ?? false else { continue }
            let bare = word.dropLast().lowercased()
            if ["etc", "ex", "cf", "nb", "p", "n°"].contains(bare) || bare.count == 1 { continue }
            count += 1
        }
        return count
    }

    static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a) \(b)" }

    static func startsUpper(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        return first.isUppercase || first.isNumber
    }

    static func endsSentence(_ text: String) -> Bool {
        guard let last = text.last else { return false }
        return ".;!?".contains(last)
    }

    static func lastWord(_ text: String) -> String {
        String(text.split(separator: " ").last ?? "")
    }

    /// Ends on a comma or on a word that cannot end a French sentence.
    static func endsMidSentence(_ text: String) -> Bool {
        if text.hasSuffix(",") { return true }
        let word = lastWord(text).lowercased()
        return [
            "de", "du", "des", "la", "le", "les", "l'", "l’", "à", "au", "aux", "et", "ou", "en", "pour",
            "par", "avec", "sur", "dans", "un", "une", "d'", "d’", "que", "qui",
        ].contains(word)
    }
}
