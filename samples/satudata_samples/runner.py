"""Seed every sample dinas at once: what the local default and the compose init container run.

Database names and reader accounts are fixed per dinas (``dukcapil``, ``dinkes`` ...; readers
``<dinas>_reader``) so Airflow connections can be written down once; ``prefix`` keeps test runs
apart (``satudata_test_`` ...).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

from satudata_samples import bpbd, dinkes, disdik, disdukcapil, distan, dpmptsp
from satudata_samples._common import SeedReport

#: dinas -> (module, server kind)
SAMPLES = {
    "disdukcapil": (disdukcapil, "postgresql"),
    "dinkes": (dinkes, "mysql"),
    "disdik": (disdik, "mysql"),
    "distan": (distan, "postgresql"),
    "dpmptsp": (dpmptsp, "postgresql"),
    "bpbd": (bpbd, "files"),
}


def seed_all(pg_admin: str, mysql_admin: str, files_dir: str | Path, *, scale: float = 0.01, seed: int = 2024,
             prefix: str = "", defects: Mapping[str, Mapping[str, int]] | None = None,
             reader_password: str | None = None, only: list[str] | None = None) -> dict[str, SeedReport]:
    """Seed the chosen samples (default: all); return their reports keyed by dinas.

    Read-only logins are made only when a password is given: no password lives in the code.
    """
    reports: dict[str, SeedReport] = {}
    for dinas, (module, kind) in SAMPLES.items():
        if only and dinas not in only:
            continue
        target = {"postgresql": pg_admin, "mysql": mysql_admin, "files": str(files_dir)}[kind]
        reports[dinas] = module.seed(
            target, f"{prefix}{dinas}", scale=scale, seed=seed, defects=(defects or {}).get(dinas),
            reader_user=None if kind == "files" or not reader_password else f"{prefix}{dinas}_reader",
            reader_password=reader_password,
        )
    return reports


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m satudata_samples", description=__doc__)
    parser.add_argument("--pg-admin", default=os.environ.get(
        "SATUDATA_SAMPLES_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--mysql-admin", default=os.environ.get(
        "SATUDATA_SAMPLES_MYSQL_ADMIN", "mysql://root@127.0.0.1:3306"))
    parser.add_argument("--files-dir", default=os.environ.get("SATUDATA_SAMPLES_FILES_DIR", "var/samples"))
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--prefix", default="")
    parser.add_argument("--reader-password", default=os.environ.get("SATUDATA_SAMPLES_READER_PASSWORD"),
                        help="password of the read-only logins (none are made without one)")
    parser.add_argument("--only", nargs="*", choices=sorted(SAMPLES))
    parser.add_argument("--defects", type=json.loads, default=None,
                        help='JSON, e.g. \'{"disdukcapil": {"null_sex": 5}}\'')
    args = parser.parse_args(argv)
    reports = seed_all(args.pg_admin, args.mysql_admin, args.files_dir, scale=args.scale, seed=args.seed,
                       prefix=args.prefix, defects=args.defects, reader_password=args.reader_password,
                       only=args.only)
    summary = {k: {**asdict(r), "files": [str(f) for f in r.files],
                   "defects": {kind: len(keys) for kind, keys in r.defects.items()}} for k, r in reports.items()}
    print(json.dumps(summary, indent=2, default=str))


def drop_all(pg_admin: str, mysql_admin: str, *, prefix: str = "", only: list[str] | None = None) -> None:
    """Drop the sample databases and reader accounts ``seed_all`` made with the same ``prefix``."""
    from satudata_samples._common import mysql_drop_database, pg_drop_database

    for dinas, (_module, kind) in SAMPLES.items():
        if only and dinas not in only:
            continue
        if kind == "postgresql":
            pg_drop_database(pg_admin, f"{prefix}{dinas}", reader_user=f"{prefix}{dinas}_reader")
        elif kind == "mysql":
            mysql_drop_database(mysql_admin, f"{prefix}{dinas}", reader_user=f"{prefix}{dinas}_reader")


if __name__ == "__main__":
    main()
