"""Persistence: SQLAlchemy 2 models, Alembic migrations, engine and sessions."""
