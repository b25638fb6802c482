"""Small hand-written gazetteers: countries and their demonyms, regions, and personal titles.

Keys are lower case. The tables only correct or complete what the statistical model finds; they
are not meant to be exhaustive.
"""

from __future__ import annotations

# Canonical country (or union) name -> other names it goes by.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": ("u.s.", "u.s", "us", "u.s.a.", "usa", "america", "united states of america"),
    "United Kingdom": ("u.k.", "u.k", "uk", "britain", "great britain"),
    "Canada": (),
    "Mexico": (),
    "China": ("people's republic of china", "prc", "mainland china"),
    "Russia": ("russian federation",),
    "Japan": (),
    "South Korea": ("republic of korea",),
    "North Korea": ("dprk",),
    "Taiwan": (),
    "India": (),
    "Pakistan": (),
    "Bangladesh": (),
    "Sri Lanka": (),
    "Nepal": (),
    "Afghanistan": (),
    "Iran": (),
    "Iraq": (),
    "Syria": (),
    "Lebanon": (),
    "Israel": (),
    "Jordan": (),
    "Saudi Arabia": (),
    "Yemen": (),
    "Oman": (),
    "Qatar": (),
    "Kuwait": (),
    "Bahrain": (),
    "United Arab Emirates": ("uae", "u.a.e."),
    "Turkey": ("turkiye", "türkiye"),
    "Egypt": (),
    "Libya": (),
    "Tunisia": (),
    "Algeria": (),
    "Morocco": (),
    "Sudan": (),
    "South Sudan": (),
    "Ethiopia": (),
    "Somalia": (),
    "Kenya": (),
    "Uganda": (),
    "Tanzania": (),
    "Rwanda": (),
    "Nigeria": (),
    "Ghana": (),
    "Senegal": (),
    "Mali": (),
    "Niger": (),
    "Chad": (),
    "Cameroon": (),
    "Ivory Coast": ("cote d'ivoire", "côte d'ivoire"),
    "Angola": (),
    "Zambia": (),
    "Zimbabwe": (),
    "Mozambique": (),
    "South Africa": (),
    "Namibia": (),
    "Botswana": (),
    "Madagascar": (),
    "Congo": ("democratic republic of congo", "democratic republic of the congo", "drc"),
    "Germany": (),
    "France": (),
    "Italy": (),
    "Spain": (),
    "Portugal": (),
    "Netherlands": ("holland",),
    "Belgium": (),
    "Luxembourg": (),
    "Switzerland": (),
    "Austria": (),
    "Ireland": (),
    "Iceland": (),
    "Norway": (),
    "Sweden": (),
    "Finland": (),
    "Denmark": (),
    "Poland": (),
    "Czech Republic": ("czechia",),
    "Slovakia": (),
    "Hungary": (),
    "Romania": (),
    "Bulgaria": (),
    "Greece": (),
    "Cyprus": (),
    "Malta": (),
    "Croatia": (),
    "Serbia": (),
    "Bosnia": ("bosnia and herzegovina",),
    "Slovenia": (),
    "Albania": (),
    "Kosovo": (),
    "Macedonia": ("north macedonia",),
    "Montenegro": (),
    "Ukraine": (),
    "Belarus": (),
    "Moldova": (),
    "Georgia": (),
    "Armenia": (),
    "Azerbaijan": (),
    "Kazakhstan": (),
    "Uzbekistan": (),
    "Turkmenistan": (),
    "Kyrgyzstan": (),
    "Tajikistan": (),
    "Estonia": (),
    "Latvia": (),
    "Lithuania": (),
    "Mongolia": (),
    "Vietnam": ("viet nam",),
    "Thailand": (),
    "Cambodia": (),
    "Laos": (),
    "Myanmar": ("burma",),
    "Malaysia": (),
    "Singapore": (),
    "Indonesia": (),
    "Philippines": (),
    "Australia": (),
    "New Zealand": (),
    "Brazil": (),
    "Argentina": (),
    "Chile": (),
    "Peru": (),
    "Colombia": (),
    "Venezuela": (),
    "Ecuador": (),
    "Bolivia": (),
    "Paraguay": (),
    "Uruguay": (),
    "Cuba": (),
    "Haiti": (),
    "Dominican Republic": (),
    "Jamaica": (),
    "Panama": (),
    "Costa Rica": (),
    "Nicaragua": (),
    "Honduras": (),
    "Guatemala": (),
    "El Salvador": (),
    "Palestine": ("palestinian territories",),
    "Vatican": ("vatican city", "holy see"),
}

# Demonym (adjective or plural noun) -> country.
_DEMONYMS: dict[str, str] = {
    "american": "United States",
    "americans": "United States",
    "u.s.": "United States",
    "british": "United Kingdom",
    "briton": "United Kingdom",
    "britons": "United Kingdom",
    "english": "United Kingdom",
    "scottish": "United Kingdom",
    "welsh": "United Kingdom",
    "canadian": "Canada",
    "canadians": "Canada",
    "mexican": "Mexico",
    "mexicans": "Mexico",
    "chinese": "China",
    "russian": "Russia",
    "russians": "Russia",
    "japanese": "Japan",
    "korean": "South Korea",
    "south korean": "South Korea",
    "north korean": "North Korea",
    "taiwanese": "Taiwan",
    "indian": "India",
    "pakistani": "Pakistan",
    "afghan": "Afghanistan",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "syrian": "Syria",
    "lebanese": "Lebanon",
    "israeli": "Israel",
    "israelis": "Israel",
    "jordanian": "Jordan",
    "saudi": "Saudi Arabia",
    "turkish": "Turkey",
    "egyptian": "Egypt",
    "libyan": "Libya",
    "nigerian": "Nigeria",
    "kenyan": "Kenya",
    "ethiopian": "Ethiopia",
    "south african": "South Africa",
    "german": "Germany",
    "germans": "Germany",
    "french": "France",
    "italian": "Italy",
    "spanish": "Spain",
    "portuguese": "Portugal",
    "dutch": "Netherlands",
    "belgian": "Belgium",
    "swiss": "Switzerland",
    "austrian": "Austria",
    "irish": "Ireland",
    "norwegian": "Norway",
    "swedish": "Sweden",
    "finnish": "Finland",
    "danish": "Denmark",
    "polish": "Poland",
    "czech": "Czech Republic",
    "hungarian": "Hungary",
    "romanian": "Romania",
    "bulgarian": "Bulgaria",
    "greek": "Greece",
    "serbian": "Serbia",
    "croatian": "Croatia",
    "ukrainian": "Ukraine",
    "ukrainians": "Ukraine",
    "belarusian": "Belarus",
    "georgian": "Georgia",
    "vietnamese": "Vietnam",
    "thai": "Thailand",
    "malaysian": "Malaysia",
    "indonesian": "Indonesia",
    "filipino": "Philippines",
    "australian": "Australia",
    "australians": "Australia",
    "brazilian": "Brazil",
    "argentine": "Argentina",
    "argentinian": "Argentina",
    "chilean": "Chile",
    "peruvian": "Peru",
    "colombian": "Colombia",
    "venezuelan": "Venezuela",
    "cuban": "Cuba",
    "palestinian": "Palestine",
    "palestinians": "Palestine",
}

# Regions within countries: states, provinces and the like (always places).
REGIONS = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada new_hampshire new_jersey
    new_mexico new_york north_carolina north_dakota ohio oklahoma oregon pennsylvania
    rhode_island south_carolina south_dakota tennessee texas utah vermont virginia
    west_virginia wisconsin wyoming ontario quebec alberta manitoba saskatchewan
    british_columbia nova_scotia new_brunswick newfoundland prince_edward_island yukon nunavut
    scotland wales england northern_ireland bavaria catalonia tibet xinjiang crimea
    """.split()
)
REGIONS = frozenset(r.replace("_", " ") for r in REGIONS)

# Words that make a title before a name or in an apposition ("Trade Minister", "CEO").
TITLE_WORDS = frozenset(
    """
    president minister secretary chancellor premier governor senator representative
    ambassador chair chairman chairwoman chairperson ceo cfo coo director chief spokesperson
    spokesman spokeswoman commissioner mayor king queen prince princess pope judge justice
    general admiral officer official leader head deputy vice attorney treasurer economist
    analyst professor founder executive manager negotiator envoy lawmaker speaker adviser
    advisor councillor councilor inspector superintendent sheriff commander counsel
    congressman congresswoman sen rep gov prof dr mr mrs ms mx sir dame lord lady
    coach captain colonel lieutenant sergeant major archbishop bishop cardinal rabbi imam
    emperor empress sheikh sultan emir crown president-elect partner strategist researcher
    editor reporter correspondent columnist owner boss
    """.split()
)

# Honorifics that are never part of a name span in the gold conventions ("Mrs Clinton").
HONORIFICS = frozenset(
    """
    mr mr. mrs mrs. ms ms. mx mx. dr dr. prof prof. sir dame lord lady president king queen
    prince princess pope minister secretary senator sen. sen rep. rep gov. gov governor
    mayor chancellor premier judge justice general gen. gen. coach captain capt. col.
    lt. sgt. cardinal archbishop bishop rabbi imam sheikh emir sultan emperor empress
    chairman chairwoman ambassador commissioner prime deputy vice chief officer councillor
    councilor councilman councilwoman alderman senator congressman congresswoman
    """.split()
)

# Portfolio words: "Trade" in "Trade Minister" is part of a title, not an organisation.
PORTFOLIOS = frozenset(
    """
    trade finance foreign defence defense commerce health justice interior energy environment
    transport transportation education agriculture labour labor treasury state home
    immigration economy economic industry employment culture housing security intelligence
    public safety international development innovation infrastructure natural resources
    fisheries veterans affairs digital border chief staff prime deputy
    """.split()
)

# Capitalised common nouns that spaCy's small model often tags alone as an entity, and time
# zones ("0800 GMT"), which it takes for organisations.
GENERIC_NAMES = frozenset(
    """
    government bank justice interior trade speech throne state emphasis gravity metro mps vat
    gdp g.d.p. brexit
    gmt utc bst est edt cst cdt pst pdt cet
    """.split()
)

# Unions of countries: merged like countries, but organisations in the gold conventions.
_UNIONS: dict[str, tuple[str, ...]] = {
    "European Union": ("eu", "e.u.", "e.u"),
    "United Nations": ("un", "u.n.", "u.n"),
    "Eurozone": ("euro zone", "eurozone", "euro-zone", "euro area"),
}


def _forms(names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Lower-case form -> name: the name, "the" + name, and each alias."""
    forms: dict[str, str] = {}
    for name, aliases in names.items():
        forms[name.lower()] = name
        forms["the " + name.lower()] = name
        for alias in aliases:
            forms[alias] = name
    return forms


COUNTRY_FORMS = _forms(_COUNTRIES)
DEMONYMS = _DEMONYMS
UNION_FORMS = _forms(_UNIONS)


def country(text: str) -> str | None:
    """The canonical country for a written form ("U.S." -> "United States"), or None."""
    return COUNTRY_FORMS.get(" ".join(text.lower().split()))


def union(text: str) -> str | None:
    """The canonical name of a union of countries ("EU" -> "European Union"), or None."""
    return UNION_FORMS.get(" ".join(text.lower().split()))


def demonym_country(text: str) -> str | None:
    return DEMONYMS.get(" ".join(text.lower().split()))


# Organisations and agreements known under several names (normalised: lower case, no dots).
ORG_ALIASES: dict[str, str] = {
    "usmca": "cusma",
    "t-mec": "cusma",
    "canada-united states-mexico agreement": "cusma",
    "united states-mexico-canada agreement": "cusma",
    "nafta": "north american free trade agreement",
    "ustr": "office of the us trade representative",
}
