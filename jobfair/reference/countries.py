"""Countries a vacancy may be placed in abroad (AKAN): the ISO 3166-1 alpha-2 codes
that Babel names, without Indonesia, with their names in the platform's languages."""

from __future__ import annotations

from functools import cache

from babel import Locale

from jobfair.reference.regions import is_regency, regency

# Two-letter territory codes Babel knows that are not ISO 3166-1 countries: unions and
# groupings, CLDR pseudo-locales, the "unknown region", and the exceptionally reserved
# or user-assigned codes (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla,
# the Canaries, Tristan da Cunha, Kosovo).
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
# At home a work location is a Kemendagri regency code, never the country.
HOME = "ID"


@cache
def _names(locale: str) -> dict[str, str]:
    territories = Locale.parse(locale).territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES and code != HOME
    }


@cache
def country_codes() -> frozenset[str]:
    """The codes accepted, from the English names (every locale names the same set)."""
    return frozenset(_names("en"))


def is_country(code: object) -> bool:
    """``code`` is a country abroad (upper-case ISO 3166-1 alpha-2, not ``ID``)."""
    return isinstance(code, str) and code in country_codes()


def country_name(code: str, locale: str = "id") -> str:
    """The country's name in ``locale`` (``id`` or ``en``); the code if unknown."""
    return _names(locale).get(code) or _names("en").get(code) or code


def countries(locale: str = "id") -> tuple[tuple[str, str], ...]:
    """``(code, name)`` of every country, sorted by the name in ``locale``."""
    names = _names(locale)
    return tuple(
        sorted(
            ((code, names.get(code, code)) for code in country_codes()),
            key=lambda pair: pair[1].casefold(),
        )
    )


def is_work_location(code: object) -> bool:
    """Where a vacancy's work may be: a regency or city at home, or a country abroad."""
    return isinstance(code, str) and (is_regency(code) or is_country(code))


def work_location_name(code: str, locale: str = "id") -> str:
    """The regency's name at home, the country's name (in ``locale``) abroad."""
    if is_country(code):
        return country_name(code, locale)
    try:
        return regency(code).display_name
    except KeyError:
        return code
