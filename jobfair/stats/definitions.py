"""Labels and definitions of every figure of the compiled report.

They are English message ids marked with ``N_()`` so Babel extracts them; the report
stores the ids and whoever displays them passes them through ``gettext`` (see
``report_format.md``). Indonesian: ``jobfair/i18n/locales/id/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

from jobfair.i18n import N_

# Where an AKL placement's work regency must lie: in the applicant's KTP province, or
# in the KTP regency itself (IPK III/8; the office chooses, DOMAIN.md).
AKL_SCOPES = ("province", "regency")

# ------------------------------------------------------------------ headline

HEADLINE: dict[str, tuple[str, str]] = {
    "companies": (
        N_("Companies"),
        N_(
            "Companies with a booth on show in the fair: approved, and the company not "
            "rejected by the fair's labour office."
        ),
    ),
    "booths": (
        N_("Booths"),
        N_(
            "Booths on show in the fair (one per company): approved, and the company not "
            "rejected by the fair's labour office."
        ),
    ),
    "vacancies": (
        N_("Vacancies"),
        N_(
            "Public vacancies (positions): verified by the labour office, in a booth on "
            "show of a fair that is not a draft. Closed ones count."
        ),
    ),
    "openings": (
        N_("Openings"),
        N_("Persons the public vacancies ask for: men, women and either sex added up."),
    ),
    "applicants": (
        N_("Applicants"),
        N_("Distinct people who applied to at least one vacancy of the fair."),
    ),
    "applications": (
        N_("Applications"),
        N_("Applications submitted during the fair, withdrawn ones included."),
    ),
    "applications_per_applicant": (
        N_("Applications per applicant"),
        N_("Applications divided by applicants."),
    ),
    "applications_per_vacancy": (
        N_("Applications per vacancy"),
        N_("Applications divided by public vacancies."),
    ),
    "applications_per_company": (
        N_("Applications per company"),
        N_("Applications divided by companies."),
    ),
    "shortlisted": (
        N_("Shortlisted"),
        N_(
            "Applications whose applicant was told of a shortlist, an interview, an offer or "
            "a hire. Only decisions released to the applicant count; staged ones do not."
        ),
    ),
    "interviews": (
        N_("Interviews"),
        N_(
            "Applications whose applicant was told of an interview invitation, an offer or "
            "a hire (released decisions only)."
        ),
    ),
    "hires_reported": (
        N_("Hires reported by companies"),
        N_(
            "Hires the companies reported and released to the applicant, whatever the "
            "applicant answered. A staged hire not yet sent does not count."
        ),
    ),
    "hires_confirmed": (
        N_("Hires confirmed by applicants"),
        N_(
            "Reported hires the applicant confirmed: the placements of the official "
            "tables. Denied ones and those not answered yet do not count."
        ),
    ),
    "fill_rate": (
        N_("Fill rate"),
        N_("Hires confirmed by applicants divided by openings."),
    ),
}

# ------------------------------------------------------------------ shared figures
# The figures that the live dashboards, the company dashboard, the API and the report
# all show; each is counted by the predicate of the same name in models.applications.

FIGURES: dict[str, tuple[str, str]] = {
    "vacancies": HEADLINE["vacancies"],
    "openings": HEADLINE["openings"],
    "applications": HEADLINE["applications"],
    "answered": (
        N_("Answered"),
        N_(
            "Share of applications whose applicant received a first decision (shortlist, "
            "interview, offer, hire or rejection) by the decision deadline, among all "
            "applications except those withdrawn before any answer."
        ),
    ),
    "waiting": (
        N_("Waiting for an answer"),
        N_(
            "Open applications whose applicant has had no answer yet: only sent, or seen "
            "by the company. Staged decisions not yet sent do not count as an answer."
        ),
    ),
    "unreviewed": (
        N_("Not yet reviewed"),
        N_(
            "Applications the company has not looked at: no status set, not even a staged "
            "one. Withdrawn applications are not counted."
        ),
    ),
    "unanswered": (
        N_("Not answered by the deadline"),
        N_("Applications closed at the decision deadline without any answer to the applicant."),
    ),
    "undecided": (
        N_("No final decision by the deadline"),
        N_(
            "Applications closed at the decision deadline after an answer (shortlist, "
            "interview or offer) but without a final decision (hire or rejection)."
        ),
    ),
    "hires_reported": HEADLINE["hires_reported"],
    "hires_confirmed": HEADLINE["hires_confirmed"],
}

# ------------------------------------------------------------------ column labels

GROUP = N_("Group")
MEN = N_("Men (L)")
WOMEN = N_("Women (P)")
TOTAL = N_("Total")
AGE_GROUP = N_("Age group")
EDUCATION = N_("Education level")
DISABILITY_KIND = N_("Kind of disability")
STAGE = N_("Funnel stage")
COUNT = N_("Number")
SHARE_OF_APPLICATIONS = N_("Share of applications")
DATE = N_("Date")
NEW_APPLICANTS = N_("New applicants")
COMPANY = N_("Company")
KBLI_SECTION = N_("Sector (KBLI section)")
EMPLOYER_TYPE = N_("Employer type")
VACANCY = N_("Vacancy")
VACANCY_ID = N_("Vacancy number")
KBJI_GROUP = N_("Occupation (KBJI major group)")
KBJI_CODE = N_("KBJI code")
SOUGHT_KBJI_GROUP = N_("Occupation sought (KBJI major group)")
YEARS_SINCE_GRADUATION = N_("Years since graduation")
ANSWERED_SHARE = N_("Answered before the deadline")
MEDIAN_HOURS = N_("Median time to first decision")
REVIEWED = N_("Reviewed or further")
OFFERED = N_("Offered")
HIRES = HEADLINE["hires_reported"][0]
CONFIRMED = HEADLINE["hires_confirmed"][0]
SHARE_OF_HIRES = N_("Share of confirmed hires")
TARGET_SHARE = N_("Target (share of confirmed hires)")
TARGET_GAP = N_("Gap to the target")
ROW = N_("Row")
PLACED_MEN = N_("Placed, men (L)")
PLACED_WOMEN = N_("Placed, women (P)")
FORWARD_MEN = N_("Carried forward, men (L)")
FORWARD_WOMEN = N_("Carried forward, women (P)")
PLACEMENT_KIND = N_("Placement kind")

# ------------------------------------------------------------------ row labels

LOCAL = N_("Local (KTP in a host regency)")
NON_LOCAL = N_("Not local")
WITH_DISABILITY = N_("With a disability")
WITHOUT_DISABILITY = N_("Without a disability")
AK1_HOLDER = N_("Holds an AK/I card")
NOT_AK1_HOLDER = N_("No AK/I card")
OPENINGS_ROW = N_("Openings")
# A row of people or openings a table cannot place (no occupation sought, no graduation
# year, no KBLI section: IPK III/3, III/6, III/7) is stored under this language-neutral
# code, in the compiled JSON and the API; pages and files show the label NOT_STATED.
NOT_STATED_CODE = "-"
NOT_STATED = N_("Not stated")
# What versions compiled before the code stored there instead: the English label.
LEGACY_NOT_STATED = "Not stated"
OPENINGS_EITHER_ROW = N_("of which open to either sex")
CONVERSATIONS_HELD = N_("Conversations held")
MEDIAN_WAIT = N_("Median wait in the queue (minutes)")
QUEUE_JOINS = N_("Queue joins")
REACHED_SHARE = N_("Queue joins that reached a recruiter")
MESSAGES_LEFT = N_("Messages left")
MESSAGES_ANSWERED = N_("Messages answered")
MEDIAN_ANSWER = N_("Median time to answer a message")
SLOTS_OFFERED = N_("Slots offered")
SLOTS_BOOKED = N_("Slots booked")
SLOTS_ATTENDED = N_("Slots attended")
APPLICATIONS_AFTER = N_("Applications after a conversation")

FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("applications", N_("Applications")),
    ("reviewed", N_("Reviewed or further")),
    ("shortlisted", N_("Shortlisted")),
    ("interview", N_("Interview")),
    ("offered", N_("Offered")),
    ("hired", N_("Hired (reported by the company)")),
    ("confirmed", N_("Hire confirmed by the applicant")),
)

# IPK III/8 rows 11–17: the education blocks of the official placement table.
IPK_EDUCATION_ROWS: dict[int, str] = {
    11: N_("Did not finish primary school"),
    12: N_("Primary school (SD)"),
    13: N_("Junior secondary school (SMP)"),
    14: N_("Senior secondary school (SMA/SMK)"),
    15: N_("Diploma I/II"),
    16: N_("Diploma III"),
    17: N_("Diploma IV, bachelor's degree or higher"),
}

# ------------------------------------------------------------------ tables

TABLES: dict[str, tuple[str, str]] = {
    "sex_age": (
        N_("Applicants by sex and age group"),
        N_(
            "Distinct applicants of the fair by sex and age at the end of the period "
            "(the fair's closing day, in its timezone), in the age groups of IPK III/1. "
            "Age and sex come from the applicant's profile (checked against the NIK)."
        ),
    ),
    "education": (
        N_("Applicants by education level"),
        N_("Distinct applicants by their last completed education level and sex."),
    ),
    "locality": (
        N_("Local and non-local applicants"),
        N_(
            "Distinct applicants whose KTP (identity card) regency is one of the fair's host "
            "regencies count as local. The NIK prefix is never used for this."
        ),
    ),
    "disability": (
        N_("Applicants with and without a disability"),
        N_("Distinct applicants by whether they declared a disability (UU 8/2016), and sex."),
    ),
    "disability_kinds": (
        N_("Applicants with a disability by kind"),
        N_(
            "Distinct applicants with a disability by each kind they declared; one person "
            "may declare several kinds, so the rows can add up to more than the people."
        ),
    ),
    "ak1": (
        N_("Applicants holding an AK/I card"),
        N_("Distinct applicants who gave an AK/I (kartu kuning) number, and sex."),
    ),
    "funnel": (
        N_("From application to hire"),
        N_(
            "Applications by the furthest stage the applicant was told of. Only released "
            "decisions count (staged ones are not yet told); a rejection after review "
            "counts as reviewed. Hires are the placements reported by companies, and those "
            "the applicant confirmed."
        ),
    ),
    "by_day": (
        N_("Applications by day"),
        N_(
            "Applications per calendar day in the fair's timezone, and applicants whose "
            "first application of the fair was on that day."
        ),
    ),
    "companies": (
        N_("Companies: applications and follow-through"),
        N_(
            "Per company: its verified vacancies and openings, applications, the share of "
            "applications answered (a released shortlist, interview, offer, hire or "
            "rejection) by the decision deadline among those not withdrawn before an "
            "answer, the median hours from application to the first released decision, "
            "and released stages and hires."
        ),
    ),
    "vacancies": (
        N_("Vacancies: applications and follow-through"),
        N_(
            "Per vacancy with applications or verified: applications, released stages, "
            "hires and the share answered by the decision deadline (as for companies)."
        ),
    ),
    "formality_suspects": (
        N_("Vacancies with applications but no decision"),
        N_(
            "Vacancies that received applications of which none got a released decision "
            "(shortlist, interview, offer, hire or rejection): possible formality vacancies."
        ),
    ),
    "kbli_sections": (
        N_("By sector (KBLI section)"),
        N_(
            "Companies, verified vacancies, openings, applications and hires by the KBLI "
            "2020 section of the company's business licence."
        ),
    ),
    "kbji_groups": (
        N_("By occupation (KBJI major group)"),
        N_(
            "Verified vacancies, openings, applications and hires by the KBJI 2014 major "
            "group of the vacancy."
        ),
    ),
    "local_hires": (
        N_("Local hires against the target"),
        N_(
            "Hires confirmed by applicants, local (KTP regency in a host regency) or not, "
            "each as a share of all confirmed hires. The fair's local-hiring target is a "
            "percent of its confirmed hires; the gap is the local share minus the target "
            "(negative when the fair fell short)."
        ),
    ),
    "ipk_iii_1": (
        N_("IPK III/1: job seekers by age group, and openings"),
        N_(
            "The fair as one reporting period (nothing carried over, nobody removed). Job "
            "seekers are people: registered = distinct applicants, placed = distinct "
            "applicants with at least one hire they confirmed (a person placed twice counts "
            "once), carried forward = registered − placed; by age group at the end of the "
            "period and sex. Openings of the verified vacancies by the sex asked for; an "
            "opening is filled by a confirmed hire of that sex first, then one open to "
            "either sex; carried forward = openings − filled, per column."
        ),
    ),
    "ipk_iii_8": (
        N_("IPK III/8: placements"),
        N_(
            "Placements are hires confirmed by the applicant. AKL: the work regency is in "
            "the applicant's KTP province (or regency, as the office configures); AKAD: "
            "elsewhere in Indonesia; AKAN: abroad (a work location that is not an "
            "Indonesian regency code). Rows 11–17 by education, 21–26 by employer type."
        ),
    ),
    "booth_conversations": (
        N_("Booth conversations, messages and slots"),
        N_(
            "Per company and for the fair. Conversations held: chats started at the "
            "company's booth (from the queue, a booked slot or a hand-off). Median wait: "
            "the median minutes from joining the queue to being taken by a recruiter, over "
            "the conversations taken from the queue. Reached a recruiter: the share of "
            "queue joins that a recruiter took. Messages left at the booth, those "
            "answered, and the median hours from a message to its answer. Slots offered "
            "(published, not cancelled), booked (held by a booking) and attended. "
            "Applications after a conversation: applications of the fair by an applicant "
            "to the company's vacancies submitted after a conversation of the same "
            "applicant at the company's booth started, counted as the report counts "
            "applications: withdrawn ones included."
        ),
    ),
}

# ------------------------------------------------------------------ office statistics
# The office's statistics over a period (``stats.office``): every fair of the office,
# the period's whole days in the office's zone. One stock-flow rule for every table:
# a job seeker or an opening is in the stock at an instant when it was registered
# before it and has neither been placed nor removed before it; the flows are the
# changes between the period's first and last instant, so carried forward = carried
# over + registered − placed − removed holds in every row by construction.

CARRIED_OVER_MEN = N_("Carried over, men (L)")
CARRIED_OVER_WOMEN = N_("Carried over, women (P)")
REGISTERED_MEN = N_("Registered, men (L)")
REGISTERED_WOMEN = N_("Registered, women (P)")
REMOVED_MEN = N_("Removed, men (L)")
REMOVED_WOMEN = N_("Removed, women (P)")
CARRIED_OVER = N_("Carried over")
REGISTERED = N_("Registered")
PLACED = N_("Placed")
REMOVED = N_("Removed")
CARRIED_FORWARD = N_("Carried forward")
MONTH = N_("Month")
AK1_HOLDERS = N_("With an AK/I card")
NO_AK1 = N_("Without an AK/I card")

OFFICE_HEADLINE: dict[str, tuple[str, str]] = {
    "fairs": (
        N_("Fairs"),
        N_("Published fairs of the office whose window overlaps the period."),
    ),
    "seekers_registered": (
        N_("Job seekers registered"),
        N_("People whose first application to any fair of the office was submitted in the period."),
    ),
    "seekers_placed": (
        N_("Job seekers placed"),
        N_(
            "People in the stock (or registered in the period) with a hire at a fair of "
            "the office that they confirmed, reported by the company in the period; a "
            "person placed twice counts once."
        ),
    ),
    "seekers_forward": (
        N_("Job seekers carried forward"),
        N_("Registered job seekers neither placed nor removed by the end of the period."),
    ),
    "openings_registered": (
        N_("Openings registered"),
        N_("Openings of the verified vacancies of the fairs that opened in the period."),
    ),
    "placements": (
        N_("Placements"),
        N_(
            "Hires confirmed by the applicant and reported by the company in the period "
            "(IPK III/8); a person placed twice counts twice."
        ),
    ),
}

_SEEKER_RULE = N_(
    "Job seekers are people who applied at a fair of the office. Registered: their "
    "first application to any of the office's fairs falls in the period. Placed: their "
    "first hire that they confirmed was reported in the period. Removed: not placed, and "
    "their latest application is more than two years old (the AK/I registration lapses) "
    "— the lapse falls in the period. Carried over: in the stock at the start of the "
    "period; carried forward: in the stock at its end. Age at the end of the period."
)
_OPENING_RULE = N_(
    "Openings of the verified vacancies, by the sex asked for. Registered when their "
    "fair opens; placed when a confirmed hire fills one (a hire of that sex first, then "
    "an opening for either sex), counting hires reported before the fair's decision "
    "deadline; removed when the deadline passes with openings unfilled. Carried over: "
    "open at the start of the period; carried forward: open at its end."
)

OFFICE_TABLES: dict[str, tuple[str, str]] = {
    "ipk_iii_1": (
        N_("IPK III/1: job seekers by age group, and openings"),
        N_(
            "Job seekers (people who applied at a fair of the office) by age at the end "
            "of the period and sex, and openings of the verified vacancies by the sex "
            "asked for, each through the period: carried over (in the stock at its "
            "start), registered, placed, removed, carried forward (in the stock at its "
            "end). The rules of each stage are those of IPK III/2 (job seekers) and IPK "
            "III/4 (openings)."
        ),
    ),
    "ipk_iii_2": (N_("IPK III/2: job seekers by education"), _SEEKER_RULE),
    "ipk_iii_3": (
        N_("IPK III/3: job seekers by occupation (KBJI)"),
        N_(
            "Job seekers by the KBJI 2014 major group of the occupation they look for, "
            "as stated in their profile (now: the profile keeps no history); Not stated: "
            "they named none. The stages are those of IPK III/2, so the totals are IPK "
            "III/1's job seekers."
        ),
    ),
    "ipk_iii_4": (N_("IPK III/4: openings by education"), _OPENING_RULE),
    "ipk_iii_5": (N_("IPK III/5: openings by occupation (KBJI)"), _OPENING_RULE),
    "ipk_iii_6": (N_("IPK III/6: openings by sector (KBLI)"), _OPENING_RULE),
    "ipk_iii_7": (
        N_("IPK III/7: job seekers by years since graduation"),
        N_(
            "Job seekers by whole years since graduation, measured at the end of the "
            "period: the year of the period's last day minus the graduation year in "
            "their profile (0–2, 3–5, 6 or more). Not stated: no graduation year, or one "
            "after the period (not graduated yet). The stages are those of IPK III/2, so "
            "the totals are IPK III/1's job seekers."
        ),
    ),
    "ipk_iii_8": (
        N_("IPK III/8: placements"),
        N_(
            "Placements are hires at the office's fairs confirmed by the applicant and "
            "reported by the company in the period. AKL: the work regency is in the "
            "applicant's KTP province (or regency, as the office configures); AKAD: "
            "elsewhere in Indonesia; AKAN: abroad. Rows 11–17 by education, 21–26 by "
            "employer type."
        ),
    ),
    "registrations": (
        N_("Job seekers registered over time"),
        N_(
            "Job seekers registered (first application to a fair of the office) per "
            "month of the period — per day for a period of two months or less — by sex, "
            "and whether they gave an AK/I card number."
        ),
    ),
}
