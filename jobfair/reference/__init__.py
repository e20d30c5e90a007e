"""Reference data of the Indonesian labour administration: code lists and NIK rules."""
