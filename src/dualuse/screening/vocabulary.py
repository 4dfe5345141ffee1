"""Words that are not a name: legal forms, honorifics and name particles.

Legal forms are removed from the name and kept as a typed feature (a company that is a GmbH on one
side and an AG on the other is probably not the same company). Honorifics are dropped. Particles
(al, bin, de, van ...) and generic organisation words keep a small weight, so that they neither
make nor break a match. All words are in the folded form `text.fold` produces (ASCII, lower case).
"""

from __future__ import annotations

# Legal form -> category. Categories group forms that mean the same kind of company across
# languages (an OOO is an LLC is a GmbH); a mismatch between two categories lowers the score.
_LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "limited_liability": (
        "llc", "l l c", "ltd", "limited", "ltd co", "co ltd", "company limited", "limited company",
        "limited liability company", "limited liability partnership", "llp",
        "gmbh", "ges m b h", "mbh", "ooo", "o o o", "tov", "too", "sp z o o", "sp zoo", "spzoo",
        "spolka z o o",
        "spolka z ograniczona odpowiedzialnoscia", "sro", "s r o", "spol s r o", "srl", "s r l",
        "societatea cu raspundere limitata", "sarl", "s a r l", "eurl", "bv", "b v", "bvba",
        "besloten vennootschap", "aps", "doo", "d o o", "kft", "oy", "pty ltd", "pty", "pvt ltd",
        "private limited", "private limited company", "sdn bhd", "bhd", "fzco", "fze", "fzc",
        "fz llc", "ooo", "obshchestvo s ogranichennoy otvetstvennostyu",
        "obshchestvo s ogranichennoi otvetstvennostiu",
        "obshchestvo s ogranichennoj otvetstvennostju",
        "tovarystvo z obmezhenoiu vidpovidalnistiu", "sociedad de responsabilidad limitada",
        "s de rl", "sl", "s l", "ltda", "eood", "ood", "yugen kaisha", "godo kaisha", "ehf",
        "uab", "sia", "ou", "limited liability company llc",
    ),
    "joint_stock": (
        "ag", "a g", "aktiengesellschaft", "jsc", "j s c", "ojsc", "cjsc", "pjsc", "ao", "oao",
        "zao", "pao", "nao", "joint stock company", "open joint stock company",
        "closed joint stock company", "public joint stock company", "joint stock",
        "aktsionernoe obshchestvo", "aktsionernoye obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo", "publichnoe aktsionernoe obshchestvo",
        "sa", "s a", "sociedad anonima", "societe anonyme", "spa", "s p a", "societa per azioni",
        "nv", "n v", "naamloze vennootschap", "as", "a s", "asa", "ab", "oyj", "plc", "p l c",
        "public limited company", "kk", "kabushiki kaisha", "kabushiki gaisha", "tbk", "pt",
        "sab de cv", "sa de cv", "s a de c v", "sapi de cv", "ad", "dd", "d d", "zrt", "nyrt",
        "inc", "incorporated", "corp", "corporation",
    ),
    "partnership": (
        "lp", "l p", "kg", "gmbh co kg", "gmbh and co kg", "ohg", "kgaa", "snc", "scs", "cv",
        "partnership", "general partnership", "limited partnership", "vof",
    ),
    "non_profit": (
        "ano", "avtonomnaya nekommercheskaya organizatsiya", "ngo", "e v", "ev", "foundation",
        "stiftung", "fondatsiya", "association", "verein", "nko", "fund",
    ),
    "state_enterprise": (
        "fgup", "gup", "mup", "state unitary enterprise", "federal state unitary enterprise",
        "soe", "federalnoe gosudarstvennoe unitarnoe predpriyatie",
    ),
    "sole_trader": ("ip", "sole proprietor", "sole trader", "individualny predprinimatel"),
    "cooperative": ("coop", "co op", "cooperative", "eg", "kooperativ"),
    "company": ("co", "company", "companies", "cia", "cie", "compania", "kompaniya"),
}

# "company", "foundation" and "fund" are also ordinary name words ("Trust Company", "Fund I"):
# they are treated as legal forms only at the start or end of a name.
EDGE_ONLY_FORMS = frozenset({"company", "companies", "foundation", "fund", "association",
                             "partnership", "corporation", "corp", "co", "as", "ad", "sa", "ab",
                             "ou", "pt", "ip", "sl", "cv", "eg", "dd", "ev", "kk"})

LEGAL_FORMS: dict[tuple[str, ...], str] = {
    tuple(form.split()): category
    for category, forms in _LEGAL_FORMS.items()
    for form in forms
}
MAX_FORM_WORDS = max(len(k) for k in LEGAL_FORMS)

# Honorifics, titles and ranks: dropped before matching (they say nothing about identity).
HONORIFICS = frozenset(
    [
        "mr", "mrs", "ms", "miss", "mister", "madam", "madame", "monsieur", "mme", "mlle", "herr",
        "frau", "sr", "sra", "srta", "senor", "senora", "don", "dona", "dr", "doctor", "prof",
        "professor", "sir", "dame", "lord", "lady", "sheikh", "shaikh", "sheik", "shaykh", "cheikh",
        "haji", "hajji", "hadji", "al-haj", "alhaj", "mullah", "mulla", "maulana", "mawlana",
        "maulvi", "mawlawi", "molvi", "imam", "ayatollah", "hojatoleslam", "president",
        "praesident", "prasident", "presidente", "presidentin", "presidential", "predsjednik",
        "presedintele", "presiden", "prezydent", "prezident", "prezidentas", "elnok", "premier",
        "minister", "general", "gen", "col", "colonel", "maj", "major", "capt", "captain", "lt",
        "lieutenant", "brig", "brigadier", "admiral", "adm", "sgt", "sergeant", "commander", "cmdr",
        "marshal", "field", "rev", "reverend", "father", "fr", "bishop", "emir", "amir", "prince",
        "princess", "king", "queen", "his", "her", "excellency", "he", "hon", "honourable",
        "honorable", "eng", "engineer"
    ]
)

# Particles and connecting words inside names: kept, but with little weight.
PARTICLES = frozenset(
    [
        "al", "el", "ul", "ad", "ar", "as", "an", "at", "az", "ibn", "bin", "ben", "bint", "binti",
        "abu", "abou", "abd", "abdul", "abdel", "bu", "ben", "de", "del", "della", "der", "des",
        "di", "do", "dos", "da", "das", "du", "la", "le", "van", "von", "vom", "zu", "ten", "ter",
        "y", "e", "and", "und", "et", "i", "of", "the", "mac", "mc", "o", "st", "san", "santa"
    ]
)

# Words that describe an organisation rather than name it: kept, little weight.
GENERIC_ORG_WORDS = frozenset(
    [
        "group", "holding", "holdings", "international", "intl", "trading", "trade", "industries",
        "industry", "industrial", "enterprise", "enterprises", "services", "service", "management",
        "bank", "banking", "investment", "investments", "finance", "financial", "capital", "global",
        "general", "national", "import", "export", "shipping", "logistics", "development",
        "technology", "technologies", "tech", "systems", "system", "solutions", "engineering",
        "manufacturing", "plant", "factory", "works", "center", "centre", "institute", "research",
        "scientific", "production", "association", "organization", "organisation", "company",
        "corporation", "firm", "agency", "office", "department", "ministry", "committee", "network",
        "partners", "ventures", "resources", "energy", "oil", "gas", "petroleum", "chemical",
        "chemicals", "construction", "electronics", "equipment", "machinery", "marine", "maritime",
        "airlines", "air", "aviation", "transport", "overseas", "worldwide", "co", "commercial",
        "union", "society", "foundation", "fund", "trust"
    ]
)

# Abbreviations organisations' names are written with, spelt out.
ABBREVIATIONS = {
    "intl": "international", "int": "international", "natl": "national", "mfg": "manufacturing",
    "mfr": "manufacturer", "assn": "association", "assoc": "association", "bros": "brothers",
    "dept": "department", "inst": "institute", "univ": "university", "tech": "technology",
    "techs": "technologies", "svcs": "services", "svc": "services", "mgmt": "management",
    "grp": "group", "hldgs": "holdings", "hldg": "holding", "invest": "investment",
    "engg": "engineering", "eng": "engineering", "ind": "industries", "inds": "industries",
    "elec": "electronics", "chem": "chemical", "pharm": "pharmaceutical", "sci": "scientific",
    "res": "research", "dev": "development", "cent": "central", "ctr": "center",
}

# Number words, so that "Forty-Four" and "44" compare.
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "first": 1, "second": 2, "third": 3, "1st": 1, "2nd": 2,
    "3rd": 3,
}

# Places that qualify an organisation's name ("Deutsche Bank (Schweiz) AG", "Faberlic Europe"):
# in an organisation's name they weigh as little as particles.
GEO_WORDS = frozenset(
    [
        "europe", "european", "asia", "asian", "africa", "african", "america", "american",
        "americas", "arabia", "arabian", "gulf", "middle", "east", "eastern", "western", "northern",
        "southern", "north", "south", "east", "west", "china", "chinese",
        "hongkong", "hk", "taiwan", "japan", "korea", "russia", "russian", "rossii", "rossiya",
        "rf", "ukraine", "belarus", "iran", "iranian", "iraq", "syria", "syrian", "lebanon",
        "turkey", "turkiye", "uae", "emirates", "dubai", "qatar", "oman", "yemen", "germany",
        "deutschland", "german", "schweiz", "suisse", "svizzera", "switzerland", "swiss", "austria",
        "osterreich", "france", "french", "italia", "italy", "espana", "spain", "nederland",
        "netherlands", "holland", "belgium", "belgie", "luxembourg", "uk", "britain", "british",
        "england", "london", "usa", "us", "canada", "mexico", "brazil", "india", "pakistan",
        "afghanistan", "kazakhstan", "uzbekistan", "armenia", "georgia", "azerbaijan", "cyprus",
        "malta", "greece", "poland", "singapore", "malaysia", "indonesia", "thailand", "vietnam",
        "venezuela", "cuba", "nicaragua", "libya", "sudan", "somalia"
    ]
)
