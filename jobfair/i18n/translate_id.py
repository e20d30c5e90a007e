"""Bahasa Indonesia translations, written here and merged into ``locales/id`` by
``python -m jobfair.i18n.translate_id`` after ``pybabel extract`` (see i18n/README.md)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ID = {
    "We could not find that page.": "Kami tidak menemukan halaman itu.",
    "That cannot be done right now.": "Hal itu tidak dapat dilakukan saat ini.",
    "You are not allowed to do that.": "Anda tidak diizinkan melakukan itu.",
    "Please check the form.": "Mohon periksa isian formulir.",
    "Something went wrong on our side. Please try again.": "Terjadi kesalahan pada sistem kami. Silakan coba lagi.",
    "Negotiable": "Dapat dinegosiasikan",
    "Virtual Job Fair": "Bursa Kerja Virtual",
    "Skip to content": "Langsung ke isi",
    "Job Fair": "Bursa Kerja",
    "Language": "Bahasa",
    "Job fairs are free for job seekers (Permenaker 39/2016).": "Bursa kerja gratis bagi pencari kerja (Permenaker 39/2016).",
    "Virtual job fairs of the public labour offices: browse booths and vacancies and apply for free.": "Bursa kerja virtual Dinas Tenaga Kerja: lihat stan dan lowongan, lalu lamar secara gratis.",
    "Back to the fairs": "Kembali ke daftar bursa kerja",
    "Company website": "Situs web perusahaan",
    "Watch the company video": "Tonton video perusahaan",
    "Contact": "Kontak",
    "Vacancies": "Lowongan",
    "This booth has no verified vacancy yet.": "Stan ini belum memiliki lowongan terverifikasi.",
    "Breadcrumb": "Navigasi",
    "Fairs": "Bursa kerja",
    "Companies": "Perusahaan",
    "Openings": "Formasi",
    "Applicants": "Pelamar",
    "Applications": "Lamaran",
    "Search all vacancies": "Cari semua lowongan",
    "Booths": "Stan",
    "Job fairs": "Bursa kerja",
    "No fair has been published yet.": "Belum ada bursa kerja yang diumumkan.",
    "Men": "Laki-laki",
    "Women": "Perempuan",
    "Men or women": "Laki-laki atau perempuan",
    "Minimum education": "Pendidikan minimal",
    "Age": "Usia",
    "%(low)s to %(high)s years": "%(low)s sampai %(high)s tahun",
    "at least %(low)s years": "minimal %(low)s tahun",
    "at most %(high)s years": "maksimal %(high)s tahun",
    "Experience": "Pengalaman",
    ("%(count)s year", "%(count)s years"): "%(count)s tahun",
    "Not required": "Tidak disyaratkan",
    "Salary": "Gaji",
    "Employment": "Status kerja",
    "Occupation": "Jabatan",
    "Apply by": "Batas melamar",
    "Skills": "Keterampilan",
    "Description": "Deskripsi",
    "This vacancy is closed.": "Lowongan ini sudah ditutup.",
    "The fair is open: sign in as an applicant to apply.": "Bursa kerja sedang dibuka: masuk sebagai pelamar untuk melamar.",
    "Applications open when the fair opens.": "Lamaran dibuka saat bursa kerja dimulai.",
    "The fair is closed; applications are no longer accepted.": "Bursa kerja sudah ditutup; lamaran tidak lagi diterima.",
    ("%(count)s booth", "%(count)s booths"): "%(count)s stan",
    "No booth matches your search. Try fewer filters.": "Tidak ada stan yang cocok. Coba kurangi filter.",
    ("%(count)s vacancy", "%(count)s vacancies"): "%(count)s lowongan",
    ("%(count)s opening", "%(count)s openings"): "%(count)s formasi",
    "Keyword": "Kata kunci",
    "e.g. operator, admin, driver": "mis. operator, admin, sopir",
    "Use at most 100 characters.": "Gunakan paling banyak 100 karakter.",
    "Sector": "Sektor",
    "All sectors": "Semua sektor",
    "My education": "Pendidikan saya",
    "Any": "Semua",
    "Work location": "Lokasi kerja",
    "All locations": "Semua lokasi",
    "Search": "Cari",
    "Clear filters": "Hapus filter",
    "min.": "min.",
    "Closed": "Ditutup",
    "No vacancy matches your search. Try fewer filters.": "Tidak ada lowongan yang cocok. Coba kurangi filter.",
    "Pages": "Halaman",
    "Previous": "Sebelumnya",
    "Page %(page)s of %(pages)s": "Halaman %(page)s dari %(pages)s",
    "Next": "Berikutnya",
    "Permanent (PKWTT)": "Tetap (PKWTT)",
    "Fixed-term contract (PKWT)": "Kontrak (PKWT)",
    "Internship": "Magang",
    "Daily work": "Harian",
    "Part-time": "Paruh waktu",
    "Partnership": "Kemitraan",
    "Draft": "Draf",
    "Cancelled": "Dibatalkan",
    "Upcoming": "Akan datang",
    "Open now": "Sedang dibuka",
}

HERE = Path(__file__).resolve().parent


def main() -> None:
    with (HERE / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    # A fresh catalog for the locale carries Indonesian plural rules (one form).
    catalog = Catalog(locale="id", project="jobfair", version="0.1")
    catalog.update(template, no_fuzzy_matching=True)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        text = ID.get(key)
        if text is None:
            missing.append(message.id)
            continue
        # Indonesian nouns do not inflect for number: every plural form is the same.
        message.string = text if isinstance(message.id, str) else (text,) * catalog.num_plurals
    with (HERE / "locales/id/LC_MESSAGES/messages.po").open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)
    if missing:
        raise SystemExit(f"untranslated: {missing}")


if __name__ == "__main__":
    main()
