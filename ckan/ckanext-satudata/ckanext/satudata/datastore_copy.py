"""Action ``satudata_datastore_copy``: load a CSV into a resource's DataStore table with COPY.

CKAN's own write route (``datastore_upsert``) issues one INSERT per record (~9k rows/s on the
project's machines); ckanext-xloader uses COPY but types every column as text, has no primary key and
leaves the full-text trigger off. This action keeps what ``datastore_create`` set up (typed columns,
field descriptions, the primary key, the full-text trigger) and moves the rows with PostgreSQL's COPY
through the DataStore's own write connection, so the pipeline still talks only to CKAN's API and
CKAN's authorization applies (the caller needs ``datastore_upsert`` and ``resource_update`` on the
resource).

Parameters (a multipart request, like ``resource_create`` with an upload):

- ``resource_id``: a resource whose DataStore table already exists (``datastore_create`` first).
- ``upload``: the CSV (UTF-8, comma, header; the header names DataStore columns; an unquoted empty
  value is NULL, as PostgreSQL's ``COPY ... TO ... CSV`` writes it).
- ``replace_column`` / ``replace_values`` (JSON list): replace only the rows whose ``replace_column``
  (compared as text) is one of ``replace_values``: those rows are deleted and the file's rows with
  those values inserted; the rest of the table and of the file is left alone. Without them the whole
  table is replaced.
- ``resource`` (JSON object, optional): fields to patch on the resource *after* the rows are
  committed, together with the same file as the resource's upload (e.g. its ``sha256``). Written
  last, so that a failure in between leaves the old hash and the next run redoes the (idempotent)
  replacement.

Everything in the DataStore happens in one transaction: readers see the old rows or the new ones,
never a period half deleted. Returns ``{"deleted": n, "inserted": n, "timings": {...}, "resource": {...}}``.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import time
from typing import Any

import ckan.plugins.toolkit as tk


def _json_param(data_dict: dict[str, Any], key: str, default: Any) -> Any:
    value = data_dict.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise tk.ValidationError({key: ["not valid JSON"]}) from None
    return value


def _quote(name: str) -> str:
    from ckanext.datastore.backend.postgres import identifier

    return identifier(name)


def satudata_datastore_copy(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    resource_id = tk.get_or_bust(data_dict, "resource_id")
    upload = data_dict.get("upload")
    if upload is None or not hasattr(upload, "stream"):
        raise tk.ValidationError({"upload": ["a CSV file upload is required"]})
    tk.check_access("datastore_upsert", dict(context), {"resource_id": resource_id})
    tk.check_access("resource_update", dict(context), {"id": resource_id})
    replace_column = data_dict.get("replace_column") or None
    replace_values = _json_param(data_dict, "replace_values", None)
    patch = _json_param(data_dict, "resource", None)
    if (replace_column is None) != (replace_values is None):
        raise tk.ValidationError({"replace_values": ["give replace_column and replace_values together"]})
    if replace_values is not None and not isinstance(replace_values, list):
        raise tk.ValidationError({"replace_values": ["must be a JSON list"]})
    if patch is not None and not isinstance(patch, dict):
        raise tk.ValidationError({"resource": ["must be a JSON object"]})

    # spool the upload: COPY reads it, then the resource upload reads it again
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as spool:
        return _copy(context, resource_id, upload, spool, replace_column, replace_values, patch)


def _copy(context: dict[str, Any], resource_id: str, upload: Any, spool: Any, replace_column: str | None,
          replace_values: list | None, patch: dict | None) -> dict[str, Any]:
    from ckanext.datastore.backend.postgres import get_write_engine

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    shutil.copyfileobj(upload.stream, spool, 1024 * 1024)
    spool.seek(0)
    timings["receive_s"] = round(time.perf_counter() - clock, 3)
    text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
    header = next(csv.reader(text), None)
    text.detach()  # keep the spool open
    spool.seek(0)
    if not header:
        raise tk.ValidationError({"upload": ["the CSV has no header"]})

    engine = get_write_engine()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
                    "AND NOT attisdropped", (_quote(resource_id),))
        table_columns = {r[0] for r in cur.fetchall()}
        if not table_columns:
            raise tk.ObjectNotFound(f"resource {resource_id} has no DataStore table (datastore_create first)")
        unknown = [c for c in header if c not in table_columns or c.startswith("_")]
        if unknown:
            raise tk.ValidationError({"upload": [f"columns not in the DataStore table: {', '.join(unknown)}"]})
        if replace_column is not None and replace_column not in header:
            raise tk.ValidationError({"replace_column": [f"{replace_column} is not a column of the CSV"]})
        table, cols = _quote(resource_id), ", ".join(_quote(c) for c in header)
        cur.execute(f"CREATE TEMP TABLE satudata_copy ON COMMIT DROP AS SELECT {cols} FROM {table} WITH NO DATA")
        clock = time.perf_counter()
        cur.copy_expert(f"COPY satudata_copy ({cols}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')",
                        spool)
        timings["copy_s"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        if replace_values is None:
            cur.execute(f"SELECT count(*) FROM {table}")
            deleted = cur.fetchone()[0]
            cur.execute(f"TRUNCATE {table}")
            where, params = "", ()
            # a whole table: build its secondary indexes (CKAN's GIN index on _full_text, ...) once after
            # the rows instead of row by row; same definitions, same names, same transaction
            cur.execute("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                        "WHERE i.indrelid = to_regclass(%s) AND NOT i.indisprimary AND NOT i.indisunique",
                        (table,))
            rebuild = cur.fetchall()
            for name, _ in rebuild:
                cur.execute(f"DROP INDEX {name}")
        else:
            key = _quote(replace_column)
            values = [str(v) for v in replace_values]
            cur.execute(f"DELETE FROM {table} WHERE {key}::text = ANY(%s)", (values,))
            deleted = cur.rowcount
            where, params = f"WHERE {key}::text = ANY(%s)", (values,)
        # CKAN's trigger (populate_full_text_trigger) fills _full_text row by row from row_to_json in the
        # database's default text-search configuration; computed here set-based from the same values (in
        # column order, NULLs skipped) in the configuration datastore_search queries with
        # (ckan.datastore.default_fts_lang), about twice as fast. The trigger leaves a set _full_text alone.
        lang = tk.config.get("ckan.datastore.default_fts_lang") or "english"
        text = ", ".join(f"{_quote(c)}::text" for c in header)
        cur.execute(f"INSERT INTO {table} ({cols}, _full_text) SELECT {cols}, "
                    f"to_tsvector(%s::regconfig, concat_ws(' ', {text})) FROM satudata_copy {where}",
                    (lang, *params))
        inserted = cur.rowcount
        timings["replace_s"] = round(time.perf_counter() - clock, 3)
        if replace_values is None:
            clock = time.perf_counter()
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, definition in rebuild:
                cur.execute(definition)
            timings["indexes_s"] = round(time.perf_counter() - clock, 3)
        # CKAN caches the row count of a table here (datastore_search's `total`): forget it
        cur.execute("DELETE FROM _table_stats WHERE resource_id = %s", (resource_id,))
        clock = time.perf_counter()
        raw.commit()
        timings["commit_s"] = round(time.perf_counter() - clock, 3)
    except Exception:
        raw.rollback()
        raise
    finally:
        raw.close()

    result: dict[str, Any] = {"deleted": deleted, "inserted": inserted, "timings": timings}
    if patch is not None:
        clock = time.perf_counter()
        spool.seek(0)
        upload.stream = spool
        patch_context = {k: v for k, v in context.items() if k in ("user", "auth_user_obj", "model", "session")}
        result["resource"] = tk.get_action("resource_patch")(
            patch_context, {**patch, "id": resource_id, "upload": upload})
        timings["resource_patch_s"] = round(time.perf_counter() - clock, 3)
    return result
