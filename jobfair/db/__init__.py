"""Database access: engine, declarative base, unit of work and Alembic migrations."""
