"""Persistence: connecting to SQLite or PostgreSQL, the models, migrations."""
