"""Our own prose for the generated corpus: sentences recombined from fragments we wrote.

Every page draws from a seeded ``random.Random``, so the corpus is the same on every run.
"""

import random

_SUBJECTS = (
    "The city council",
    "A team of volcanologists",
    "The startup",
    "Regulators in the region",
    "The open-source project",
    "Engineers at the water utility",
    "The regional museum",
    "A cooperative of dairy farmers",
    "The hospital network",
    "Researchers at the institute",
    "The ferry operator",
    "A coalition of small publishers",
    "The rail authority",
    "The university's robotics lab",
    "A group of amateur astronomers",
    "The chip designer",
    "Local librarians",
    "The satellite operator",
    "The school district",
    "The bakery chain",
)
_VERBS = (
    "announced",
    "delayed",
    "quietly shelved",
    "expanded",
    "began testing",
    "published",
    "revised",
    "defended",
    "doubled the budget for",
    "asked for comments on",
    "paused",
    "scaled back",
    "opened applications for",
    "finished the first phase of",
)
_OBJECTS = (
    "a plan to replace its ageing water pipes",
    "the second phase of its battery trial",
    "a map of every cycle lane in the valley",
    "its long-promised offline mode",
    "a pilot that pays drivers to share spare seats",
    "the rules on drone deliveries",
    "an archive of ten thousand scanned letters",
    "a compiler written in a weekend",
    "a sensor network that listens for landslides",
    "its four-day working week",
    "a seed bank for heritage apple trees",
    "a cheaper way to recycle solar panels",
    "the redesign of its night bus routes",
    "an app that translates sign language",
    "a study of how bees navigate in fog",
    "its plan to store heat in volcanic rock",
)
_TAILS = (
    "after months of debate",
    "citing rising costs",
    "ahead of the winter season",
    "according to documents seen by this newspaper",
    "despite objections from residents",
    "following a review by outside auditors",
    "to the surprise of its own staff",
    "in a statement released late on Tuesday",
    "as part of a wider reorganisation",
    "after a pilot in three neighbourhoods",
    "with support from a national grant",
    "while critics warned about privacy",
    "once the spring floods had receded",
)
_FACTS = (
    "The budget rose to {n} million euros in {year}, up from {m} million two years earlier.",
    "About {n} percent of the people surveyed said they had noticed the change.",
    "The first results are expected in {month}, with a full report due by {year}.",
    "Only {n} of the {m} sites met the original deadline.",
    "The trial covered {n} households across {m} districts.",
    "Costs per unit fell by roughly {n} percent over the period.",
    "The team logged {n} thousand measurements before the hardware failed in {month}.",
    "It is the {ordinal} time since {year} that the schedule has slipped.",
)
_QUOTES = (
    "We would rather be late than wrong",
    "Nobody expected the numbers to move this fast",
    "The hard part was never the technology",
    "People want something that simply works",
    "We learned more from the failures than from the successes",
    "This is a small step, but it is the right one",
    "The old system was held together by habit",
)
_NAMES = (
    "Mira Okonkwo",
    "Tomas Lindqvist",
    "Anjali Rao",
    "Pedro Almeida",
    "Hana Kobayashi",
    "Felix Brandt",
    "Zeynep Arslan",
    "Lucas Moreau",
    "Grace Mensah",
    "Ivo Petrov",
)
_ROLES = (
    "who leads the project",
    "a spokesperson for the council",
    "an engineer on the team",
    "a researcher who was not involved",
    "the company's chief executive",
    "a local resident",
)
_HEADINGS = (
    "Why it matters",
    "What happens next",
    "How the system works",
    "A long road",
    "The numbers behind the plan",
    "Lessons from the pilot",
    "What critics say",
    "Background",
    "Costs and benefits",
    "The view from the ground",
)
_MONTHS = ("January", "March", "May", "June", "September", "October", "November")
_ORDINALS = ("second", "third", "fourth", "fifth")

_DE = (
    "Der Stadtrat hat am Dienstag beschlossen, die alten Wasserleitungen bis {year} zu ersetzen.",
    "Nach Angaben der Verwaltung kostet das Vorhaben rund {n} Millionen Euro.",
    "Anwohner hatten sich seit Jahren über braunes Wasser und niedrigen Druck beschwert.",
    "Die Bauarbeiten sollen im {month} beginnen und in drei Abschnitten erfolgen.",
    "Kritiker bemängeln, dass die Finanzierung der letzten Phase noch offen ist.",
    "Das Forschungsteam misst seit {n} Monaten die Temperatur im Gestein.",
    "Die Ergebnisse überraschten selbst die beteiligten Ingenieure.",
)
_FR = (
    "La mairie a annoncé mardi un plan pour rénover les canalisations d'ici {year}.",
    "Selon la préfecture, le projet coûtera environ {n} millions d'euros.",
    "Les habitants se plaignaient depuis des années d'une eau trouble et d'une faible pression.",
    "Les travaux doivent commencer en {month} et se dérouler en trois phases.",
    "Plusieurs élus regrettent que le financement de la dernière tranche reste incertain.",
    "L'équipe de chercheurs a enregistré {n} mille mesures avant la panne du capteur.",
    "Les premiers résultats ont surpris jusqu'aux ingénieurs du laboratoire.",
)
_ES = (
    "El ayuntamiento anunció el martes un plan para renovar las tuberías antes de {year}.",
    "Según la administración, el proyecto costará unos {n} millones de euros.",
    "Los vecinos llevaban años quejándose del agua turbia y de la baja presión.",
    "Las obras comenzarán en {month} y se harán en tres fases.",
    "Algunos concejales critican que la financiación de la última fase sigue sin cerrarse.",
    "El equipo registró {n} mil mediciones antes de que fallara el sensor.",
)
_JA = (
    "市議会は火曜日、老朽化した水道管を{year}年までに交換する計画を承認した。",
    "市の担当者によると、事業費はおよそ{n}億円に上る見通しだ。",
    "住民は何年も前から、濁った水や水圧の低さについて苦情を寄せていた。",
    "工事は来年の春に始まり、三つの段階に分けて進められる予定である。",
    "一方で、最終段階の財源がまだ確保されていないとの指摘もある。",
    "研究チームは火山岩に熱を蓄える新しい方法を{n}か月にわたって試験してきた。",
    "初期の結果は、関わった技術者たちにとっても予想外のものだった。",
    "専門家は、同様の取り組みが他の地域にも広がる可能性があると話している。",
)
LANGUAGE_POOLS = {"de": _DE, "fr": _FR, "es": _ES, "ja": _JA}


class Prose:
    """Sentence, paragraph and heading generator over one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            n=r.randint(3, 97),
            m=r.randint(100, 400),
            year=r.randint(2019, 2031),
            month=r.choice(_MONTHS),
            ordinal=r.choice(_ORDINALS),
        )

    def sentence(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.55:
            return (
                f"{r.choice(_SUBJECTS)} {r.choice(_VERBS)} {r.choice(_OBJECTS)} {r.choice(_TAILS)}."
            )
        if kind < 0.8:
            return self._fill(r.choice(_FACTS))
        return f"\u201c{r.choice(_QUOTES)},\u201d said {r.choice(_NAMES)}, {r.choice(_ROLES)}."

    def paragraph(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def heading(self) -> str:
        return self.rng.choice(_HEADINGS)

    def headline(self) -> str:
        r = self.rng
        return f"{r.choice(_SUBJECTS)} {r.choice(_VERBS)} {r.choice(_OBJECTS)}"

    def name(self) -> str:
        return self.rng.choice(_NAMES)

    def short(self, words: int = 8) -> str:
        return " ".join(self.sentence().split()[:words])

    def foreign(self, language: str, low: int = 2, high: int = 4) -> str:
        pool = LANGUAGE_POOLS[language]
        sep = "" if language == "ja" else " "
        count = self.rng.randint(low, high)
        return sep.join(self._fill(self.rng.choice(pool)) for _ in range(count))
