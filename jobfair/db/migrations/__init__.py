"""Alembic migrations of the jobfair schema (the only way the schema changes)."""
