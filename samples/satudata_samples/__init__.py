"""Sample departmental (dinas) source databases for Satu Data Bekasi.

Each module builds one dinas's system the way that system really looks (its own table names,
value spellings and mess), deterministically from ``(scale, seed, defects)``:

- ``disdukcapil``: civil registry (SIAK-like) on PostgreSQL;
- ``dinkes``: puskesmas, toddler growth (e-PPGBM), immunisation, visits on MariaDB;
- ``disdik``: Dapodik-like schools, students, teachers on MariaDB;
- ``distan``: monthly food-crop reports on PostgreSQL;
- ``dpmptsp``: OSS business permits on PostgreSQL;
- ``bpbd``: a hand-kept disaster log as messy XLSX and CSV files.

Every module offers ``seed(admin_dsn_or_url, dbname, *, scale, seed, defects, reader_user,
reader_password) -> SeedReport`` and a pure generator used by the unit tests; ``runner.seed_all``
(or ``python -m satudata_samples``) seeds them all. ``README.md`` next to this file lists the
tables, columns and defect kinds.
"""

from satudata_samples._common import SeedReport

__all__ = ["SeedReport"]
