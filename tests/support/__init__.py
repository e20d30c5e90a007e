"""Shared test support: factories, seeded fairs and scenes, servers, the clock and the
browser helpers. ``conftest.py`` holds fixtures only; everything they build on lives here."""
