"""Bahasa Indonesia for the live counters and the organiser's live dashboard."""

ID = {
    "Online now": "Daring sekarang",
    ("%(count)s person in this booth now", "%(count)s people in this booth now"): "%(count)s orang di stan ini sekarang",
    ("%(count)s not yet reviewed", "%(count)s not yet reviewed"): "%(count)s belum ditinjau",
    "Applicants online": "Pelamar daring",
    "In the last hour": "Dalam satu jam terakhir",
    "Not yet reviewed": "Belum ditinjau",
    "Confirmed hires": "Diterima kerja (terkonfirmasi)",
    "Applications per minute, last %(minutes)s minutes (peak %(peak)s)": "Lamaran per menit, %(minutes)s menit terakhir (puncak %(peak)s)",
    "Recruiters online": "Perekrut daring",
    "Applications and answers per company": "Lamaran dan jawaban per perusahaan",
    "No approved booth yet.": "Belum ada stan yang disetujui.",
    "Vacancies with no application (%(count)s)": "Lowongan tanpa lamaran (%(count)s)",
    "Every vacancy has at least one application.": "Setiap lowongan sudah memiliki setidaknya satu lamaran.",
    "Booths with no recruiter online (%(count)s)": "Stan tanpa perekrut daring (%(count)s)",
    "Every booth has a recruiter online.": "Setiap stan memiliki perekrut yang daring.",
    "Live dashboard": "Dasbor langsung",
    "Updates by itself while this page is open.": "Diperbarui otomatis selama halaman ini terbuka.",
    "Message from the company": "Pesan dari perusahaan",
}
