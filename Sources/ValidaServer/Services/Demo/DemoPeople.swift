import ValidaCore

/// The demo's people and organisations: fictitious, plausible, and the same on every run.
/// Every address is under `demo.test`, a domain that can never receive mail.
enum DemoPeople {
    struct School: Sendable {
        var name: String
        var city: String
        var siret: String
        /// Where its candidates' addresses live.
        var mailDomain: String
    }

    static let schools = [
        School(
            name: "Institut Supérieur de Commerce et de Management de Lyon", city: "Lyon",
            siret: "79812345600013", mailDomain: "iscm-lyon.demo.test"),
        School(
            name: "École de Management Atlantique", city: "Nantes",
            siret: "81245678300016", mailDomain: "ema-nantes.demo.test"),
    ]

    /// An outside professional who rates grids.
    struct Evaluator: Sendable {
        var name: String
        var email: String
    }

    /// The first one is the demo evaluator account.
    static let evaluators = [
        Evaluator(name: "Nathalie Perrin", email: Demo.evaluatorEmail),
        Evaluator(name: "Olivier Masson", email: "olivier.masson@demo.test"),
        Evaluator(name: "Karine Lemoine", email: "karine.lemoine@demo.test"),
        Evaluator(name: "Thierry Gauthier", email: "thierry.gauthier@demo.test"),
        Evaluator(name: "Sandrine Faure", email: "sandrine.faure@demo.test"),
        Evaluator(name: "Romain Chevalier", email: "romain.chevalier@demo.test"),
    ]

    /// How many candidates of each access route: the first cohort, 40 candidates.
    static func firstCohortCount(_ route: AccessRoute) -> Int {
        switch route {
        case .initialTraining: 12
        case .apprenticeship: 12
        case .professionalizationContract: 6
        case .continuingEducation: 6
        case .vae: 4
        }
    }

    /// The second school's smaller cohort, 12 candidates.
    static func secondCohortCount(_ route: AccessRoute) -> Int {
        switch route {
        case .initialTraining: 3
        case .apprenticeship: 4
        case .professionalizationContract: 2
        case .continuingEducation: 2
        case .vae: 1
        }
    }

    // MARK: - Names and places

    static let femaleFirstNames = [
        "Léa", "Chloé", "Manon", "Camille", "Inès", "Sarah", "Emma", "Jade", "Louise", "Clara",
        "Zoé", "Juliette", "Alice", "Lina", "Maëlys", "Anaïs", "Pauline", "Margaux", "Élise", "Mathilde",
        "Océane", "Laura", "Nadia", "Aurélie", "Claire", "Sophie", "Émilie", "Céline", "Amandine", "Salomé",
    ]

    static let maleFirstNames = [
        "Lucas", "Hugo", "Thomas", "Nathan", "Théo", "Maxime", "Antoine", "Louis", "Enzo", "Mathis",
        "Raphaël", "Arthur", "Julien", "Alexandre", "Baptiste", "Clément", "Quentin", "Romain", "Yanis", "Adrien",
        "Kevin", "Nicolas", "Sébastien", "Guillaume", "Mehdi", "Florian", "Damien", "Jérôme", "Benoît", "Victor",
    ]

    static let surnames = [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
        "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrot",
        "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevallier", "Robin", "Masson",
        "Sanchez", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Benali",
        "Nguyen", "Diallo", "Haddad", "Ferreira", "Da Silva", "Le Gall", "Kerbrat", "Marchal",
    ]

    /// Communes of birth with their INSEE codes (commune codes, not postcodes).
    static let communes: [(name: String, insee: String)] = [
        ("Paris", "75056"), ("Lyon", "69123"), ("Marseille", "13055"), ("Toulouse", "31555"),
        ("Nice", "06088"), ("Nantes", "44109"), ("Strasbourg", "67482"), ("Montpellier", "34172"),
        ("Bordeaux", "33063"), ("Lille", "59350"), ("Rennes", "35238"), ("Reims", "51454"),
        ("Le Havre", "76351"), ("Saint-Étienne", "42218"), ("Toulon", "83137"), ("Grenoble", "38185"),
        ("Dijon", "21231"), ("Angers", "49007"), ("Nîmes", "30189"), ("Villeurbanne", "69266"),
        ("Clermont-Ferrand", "63113"), ("Le Mans", "72181"), ("Aix-en-Provence", "13001"), ("Brest", "29019"),
        ("Tours", "37261"), ("Amiens", "80021"), ("Limoges", "87085"), ("Perpignan", "66136"),
        ("Metz", "57463"), ("Besançon", "25056"), ("Orléans", "45234"), ("Rouen", "76540"),
        ("Caen", "14118"), ("Nancy", "54395"), ("Ajaccio", "2A004"), ("Bastia", "2B033"),
        ("Pau", "64445"), ("La Rochelle", "17300"), ("Poitiers", "86194"),
    ]

    /// Places of birth abroad: no INSEE commune code.
    static let abroad = [
        "Casablanca (Maroc)", "Dakar (Sénégal)", "Bruxelles (Belgique)", "Montréal (Canada)",
        "Tunis (Tunisie)", "Porto (Portugal)", "Alger (Algérie)",
    ]

    /// Hands out names without repeating a surname, so that addresses stay unique.
    struct NamePool: Sendable {
        var surnames: [String]
        var female: [String]
        var male: [String]
        var nextSurname = 0
        var nextFemale = 0
        var nextMale = 0

        init(random: inout DemoRandom) {
            surnames = random.shuffled(DemoPeople.surnames)
            female = random.shuffled(DemoPeople.femaleFirstNames)
            male = random.shuffled(DemoPeople.maleFirstNames)
        }

        mutating func surname() -> String {
            precondition(nextSurname < surnames.count, "not enough demo surnames")
            defer { nextSurname += 1 }
            return surnames[nextSurname]
        }

        mutating func firstName(_ sex: Sex) -> String {
            switch sex {
            case .female:
                defer { nextFemale += 1 }
                return female[nextFemale % female.count]
            case .male:
                defer { nextMale += 1 }
                return male[nextMale % male.count]
            }
        }
    }

    /// A cohort's candidates, `count(route)` of each access route, in a mixed order.
    static func cohort(
        count: (AccessRoute) -> Int, school: School, names: inout NamePool, random: inout DemoRandom
    ) -> [CandidateIdentity] {
        var routes = AccessRoute.allCases.flatMap { Array(repeating: $0, count: count($0)) }
        random.shuffle(&routes)
        return routes.enumerated().map { i, route in
            candidate(
                route: route, sex: i % 2 == 0 ? .female : .male, bornAbroad: i % 8 == 5,
                married: i % 10 == 4, school: school, names: &names, random: &random)
        }
    }

    static func candidate(
        route: AccessRoute, sex: Sex, bornAbroad: Bool, married: Bool, school: School,
        names: inout NamePool, random: inout DemoRandom
    ) -> CandidateIdentity {
        let first = names.firstName(sex)
        let birthName = names.surname()
        // Some women use their spouse's name: the birth name stays on the documents.
        let usualName = married && sex == .female ? names.surname() : nil
        // Students and apprentices are in their twenties; adults in continuing education or
        // VAE come with years of experience.
        let years =
            switch route {
            case .initialTraining, .apprenticeship, .professionalizationContract: 1999...2004
            case .continuingEducation, .vae: 1976...1993
            }
        let birthDate = CalendarDate(
            year: random.within(years), month: random.within(1...12), day: random.within(1...28))!
        let place: String
        let insee: String?
        if bornAbroad {
            place = random.pick(abroad)
            insee = nil
        } else {
            let commune = random.pick(communes)
            (place, insee) = (commune.name, commune.insee)
        }
        let email = "\(slug(first)).\(slug(usualName ?? birthName))@\(school.mailDomain)"
        return CandidateIdentity(
            birthName: birthName, usualName: usualName, firstNames: first,
            birthDate: birthDate, birthPlace: place, birthPlaceINSEE: insee, sex: sex, email: email,
            accessRoute: route)
    }

    /// `Élise Le Gall` → `elise-le-gall`: ASCII for an address.
    static func slug(_ text: String) -> String {
        let plain: [Character: String] = [
            "à": "a", "â": "a", "ä": "a", "ç": "c", "é": "e", "è": "e", "ê": "e", "ë": "e",
            "î": "i", "ï": "i", "ô": "o", "ö": "o", "ù": "u", "û": "u", "ü": "u", "ÿ": "y",
            "œ": "oe", "æ": "ae", " ": "-", "'": "", "’": "",
        ]
        return text.lowercased().map { plain[$0] ?? String($0) }.joined()
    }
}
