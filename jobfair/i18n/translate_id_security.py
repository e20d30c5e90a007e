"""Bahasa Indonesia for the messages of the security hardening (request hygiene, CVs)."""

ID = {
    "The text contains characters that are not allowed.": (
        "Teks berisi karakter yang tidak diizinkan."
    ),
}
