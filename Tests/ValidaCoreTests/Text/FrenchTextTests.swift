import Testing

@testable import ValidaCore

@Suite("French text: elision, counts, typed dates, the name rule")
struct FrenchTextTests {
    @Test(
        "de, que, le, la elide before a vowel or a mute h, not before a consonant, an aspirated h or y + vowel",
        arguments: [
            ("de", "Alice Boyer", "d'Alice Boyer"), ("de", "Bob Martin", "de Bob Martin"),
            ("que", "Alice Boyer", "qu'Alice Boyer"),
            ("que", "évaluateur", "qu'évaluateur"), ("que", "membre de jury", "que membre de jury"),
            ("de", "Hélène Dupuis", "d'Hélène Dupuis"), ("de", "Hugo Bernard", "d'Hugo Bernard"),
            ("de", "hasard", "de hasard"),
            ("de", "héros", "de héros"), ("le", "examen", "l'examen"), ("la", "épreuve", "l'épreuve"),
            ("la", "thèse", "la thèse"),
            ("de", "Yves", "d'Yves"), ("de", "Yanis", "de Yanis"), ("de", "Œdipe", "d'Œdipe"),
            ("de", "« Inès »", "d'« Inès »"),
            ("De", "Alice", "D'Alice"), ("de", "11 candidats", "de 11 candidats"), ("de", "", "de "),
        ])
    func elision(_ word: String, _ next: String, _ expected: String) {
        #expect(FrenchText.elide(word, next) == expected)
    }

    @Test("the phrases of the issue")
    func phrases() {
        #expect("en tant \(FrenchText.que("évaluateur"))" == "en tant qu'évaluateur")
        #expect("Résultats \(FrenchText.de("Alice Boyer"))" == "Résultats d'Alice Boyer")
        #expect("atteste \(FrenchText.particle("que", before: "Alice Boyer"))Alice Boyer" == "atteste qu'Alice Boyer")
        #expect("atteste \(FrenchText.particle("que", before: "Léa Martin"))Léa Martin" == "atteste que Léa Martin")
    }

    @Test("counts: singular for 0 and 1")
    func counts() {
        #expect(FrenchText.count(0, "décision", "décisions") == "0 décision")
        #expect(FrenchText.count(1, "décision", "décisions") == "1 décision")
        #expect(FrenchText.count(390, "décision", "décisions") == "390 décisions")
    }

    @Test("a typed date: shape, day that exists, not in the future")
    func dates() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 30)!
        #expect(try DateInput.parse("14/07/2001", notAfter: today).get() == CalendarDate(year: 2001, month: 7, day: 14))
        #expect(try DateInput.parse("2001-07-14").get() == CalendarDate(year: 2001, month: 7, day: 14))
        #expect(try DateInput.parse("1/2/2001").get() == CalendarDate(year: 2001, month: 2, day: 1))
        func problem(_ text: String) -> String {
            if case .failure(let p) = DateInput.parse(text, notAfter: today) { return p.description }
            return "accepted"
        }
        #expect(problem("31/02/2001") == "la date « 31/02/2001 » n'existe pas : février 2001 n'a que 28 jours")
        #expect(problem("29/02/2000") == "accepted")
        #expect(problem("29/02/1900") == "la date « 29/02/1900 » n'existe pas : février 1900 n'a que 28 jours")
        #expect(problem("31/04/1999") == "la date « 31/04/1999 » n'existe pas : avril 1999 n'a que 30 jours")
        #expect(problem("2000-13-01") == "la date « 2000-13-01 » n'existe pas : il n'y a pas de mois 13")
        #expect(problem("00/01/2000") == "la date « 00/01/2000 » n'existe pas : il n'y a pas de jour 0")
        #expect(problem("14-07-2001") == "« 14-07-2001 » n'est pas une date : attendu JJ/MM/AAAA")
        #expect(problem("hier") == "« hier » n'est pas une date : attendu JJ/MM/AAAA")
        #expect(problem("01/12/2026") == "le 01/12/2026 est dans le futur")
        #expect(problem("30/11/2026") == "accepted")
    }

    @Test("one name rule: shown first names then the name in use, listed by that same name")
    func names() {
        let camille = PersonName(birthName: "Michel", usualName: "André", firstNames: "Camille")
        let bruno = PersonName(birthName: "Berger", usualName: nil, firstNames: "Bruno")
        let elise = PersonName(birthName: "Émery", usualName: "", firstNames: "Élise")
        #expect(camille.displayName == "Camille André")
        #expect(camille.fullName == "Camille André (nom de naissance : Michel)")
        #expect(bruno.fullName == "Bruno Berger")
        #expect(elise.displayName == "Élise Émery" && elise.differentBirthName == nil)
        // André before Berger before Émery (accents ignored) — Michel, her birth name, plays no part.
        let sorted = [elise, camille, bruno].sorted(by: PersonName.areInIncreasingOrder)
        #expect(sorted.map(\.displayName) == ["Camille André", "Bruno Berger", "Élise Émery"])
        let identity = CandidateIdentity(
            birthName: "Michel", usualName: "André", firstNames: "Camille",
            birthDate: CalendarDate(year: 2000, month: 1, day: 1)!, birthPlace: "Lyon", sex: .female,
            email: "c@example.fr", accessRoute: .initialTraining)
        #expect(identity.displayName == camille.displayName)
    }
}
