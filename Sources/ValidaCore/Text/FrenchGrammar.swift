import Foundation

/// French as it is written when a phrase is built around a value: elision of « de »,
/// « que », « le », « la »… before a vowel or a mute h (« Résultats d'Alice », « atteste
/// qu'Hélène », « en tant qu'évaluateur »), and counts with their noun.
public enum FrenchText {
    /// The words that elide, and their elided form.
    static let elided: [String: String] = [
        "de": "d'", "que": "qu'", "le": "l'", "la": "l'", "je": "j'", "me": "m'", "te": "t'", "se": "s'", "ne": "n'",
        "jusque": "jusqu'", "lorsque": "lorsqu'", "puisque": "puisqu'", "quoique": "quoiqu'",
    ]

    /// Words (and name beginnings) whose h is aspirated: no elision before them.
    static let aspiratedH: [String] = [
        "hache", "haie", "haine", "hall", "halte", "hamac", "hameau", "hamburger", "hanche", "handicap", "hangar",
        "hanter",
        "harcèlement", "hardi", "hareng", "haricot", "harpe", "hasard", "hâte", "hausse", "haut", "havre", "hérisson",
        "hernie",
        "héron", "héros", "hêtre", "heurt", "hibou", "hiérarchi", "hockey", "hollande", "homard", "honte", "hoquet",
        "horde",
        "hors", "hotte", "houle", "housse", "huit", "hublot", "huer", "hurl", "hutte",
    ]

    static let vowels: Set<Character> = Set("aàâäeéèêëiîïoôöuùûüyÿæœ")

    /// Whether `word` begins with a vowel sound for elision: a vowel, a mute h, or a y
    /// before a consonant (« d'Yves », but « de Yanis », « de yaourt »).
    public static func beginsWithVowelSound(_ word: String) -> Bool {
        let lower = word.drop { !$0.isLetter && !$0.isNumber }.lowercased()
        guard let first = lower.first else { return false }
        if first == "y" {
            guard let second = lower.dropFirst().first else { return false }
            return !vowels.contains(second)
        }
        if first == "h" {
            return !aspiratedH.contains { lower.hasPrefix($0) }
        }
        return vowels.contains(first)
    }

    /// `word` as written before `next`: its elided form with no space (« qu' »), or the
    /// word and a space (« que »). The case of the first letter is kept (« De » → « D' »).
    public static func particle(_ word: String, before next: String) -> String {
        guard let short = elided[word.lowercased()], beginsWithVowelSound(next) else { return word + " " }
        let capital = word.first.map { $0.isUppercase } ?? false
        return capital ? short.prefix(1).uppercased() + short.dropFirst() : short
    }

    /// `word` joined to `next`, elided when French elides it: « de » + « Alice » → « d'Alice ».
    public static func elide(_ word: String, _ next: String) -> String {
        particle(word, before: next) + next
    }

    /// « de Bob », « d'Alice ».
    public static func de(_ next: String) -> String { elide("de", next) }

    /// « que Bob », « qu'Alice ».
    public static func que(_ next: String) -> String { elide("que", next) }

    /// `n` and its noun, singular for 0 and 1 as French writes it: « 0 décision », « 2 décisions ».
    public static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(n) \(abs(n) >= 2 ? plural : singular)"
    }
}
