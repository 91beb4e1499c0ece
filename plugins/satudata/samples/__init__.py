"""Sample departmental (dinas) source databases for Satu Data Bekasi.

Each module builds one dinas's system the way that system really looks (its own table names,
value spellings and mess), deterministically from ``(scale, seed, defects)``:

- ``disdukcapil``: civil registry (SIAK-like) on PostgreSQL.

Every module offers ``seed(admin_dsn_or_url, dbname, *, scale, seed, defects, reader_user,
reader_password) -> SeedReport`` and a pure ``generate(...)`` used by the unit tests. See
``README.md`` next to this file for the tables, columns and defect kinds.
"""

from satudata.samples._common import SeedReport

__all__ = ["SeedReport"]
