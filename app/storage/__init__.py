"""The station cache: SQLite engine and pragmas, models, migrations, repositories."""
