"""A ``pysolr.Solr`` look-alike that keeps CKAN's search index in PostgreSQL.

CKAN 2.12 talks to its search engine only through the object returned by
``ckan.lib.search.common.make_connection()``: ``add(docs)``,
``delete(q=...)``, ``search(q, **params)`` and ``commit()``. Everything
around it -- building the index document from the dataset (permission labels,
``before_dataset_index`` hooks, extras flattening), building the query (fq
for ``capacity``, ``state``, ``site_id``, permission labels), reading the
results back (``validated_data_dict``, facets) -- stays CKAN's own code.
:class:`PgSolr` answers those four calls from the table
``satudata_search_index`` in CKAN's own database; the SQL comes from
:mod:`.solrquery`.

Transactions: every statement runs on ``ckan.model.Session``, the session
that is writing the dataset, inside a SAVEPOINT. CKAN indexes a dataset
*before* it commits (``package_create``: index, then ``model.repo.commit()``),
so the index row commits or rolls back together with the dataset; a failed
index write rolls back only its savepoint and surfaces as
``SearchIndexError``, exactly where a Solr error would. Solr's own "commit"
(visibility) has no meaning here: rows are visible to the writing transaction
at once and to everyone else when CKAN commits. The explicit ``commit()``
(called by ``ckan search-index rebuild``/``commit`` and by ``clear_all``)
commits the session, which is what those maintenance paths expect.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable, Optional

import pysolr
import sqlalchemy as sa

from . import solrquery as sq

log = logging.getLogger(__name__)

TABLE = sq.TABLE


class PgResults:
    """The subset of ``pysolr.Results`` CKAN reads."""

    def __init__(self, docs: list[dict[str, Any]], hits: int,
                 facets: Optional[dict[str, Any]] = None) -> None:
        self.docs = docs
        self.hits = hits
        self.facets = facets or {}
        self.raw_response: dict[str, Any] = {}
        self.highlighting: dict[str, Any] = {}
        self.debug: dict[str, Any] = {}
        self.grouped: dict[str, Any] = {}
        self.stats: dict[str, Any] = {}
        self.spellcheck: dict[str, Any] = {}
        self.qtime = None
        self.nextCursorMark = None

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self):
        return iter(self.docs)


def _session():
    from ckan import model
    return model.Session


def _syntax(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except sq.QuerySyntaxError as e:
        # the prefix lets CKAN map sort errors to 'Invalid "sort" parameter'
        raise pysolr.SolrError("org.apache.solr.search.SyntaxError: %s" % e)


def _db_error(what: str, e: Exception) -> pysolr.SolrError:
    msg = str(getattr(e, "orig", e)).strip()
    log.error("Search index %s failed: %s", what, msg)
    if TABLE in msg and "does not exist" in msg:
        msg += (" -- the search index table is missing: run "
                "`ckan db upgrade -p satudata_pgsearch`")
    return pysolr.SolrError("Search index %s failed: %s" % (what, msg))


class PgSolr:
    """Drop-in for the ``pysolr.Solr`` connection CKAN creates."""

    def __init__(self, url: str = "postgresql:" + TABLE, **_: Any) -> None:
        self.url = url

    # -- writing ---------------------------------------------------------------

    def add(self, docs: Iterable[dict[str, Any]], commit: Any = None, **_: Any) -> str:
        rows = [_syntax(sq.prepare_row, doc) for doc in docs]
        if rows:
            self._execute(sa.text(sq.UPSERT_SQL), rows, what="write")
        return ""

    def delete(self, id: Any = None, q: Optional[str] = None, commit: Any = None,
               **_: Any) -> str:
        sql, params = _syntax(sq.plan_delete, id, q)
        self._execute(sa.text(sql), params, what="delete")
        return ""

    def commit(self, *_: Any, **__: Any) -> str:
        _session().commit()
        return ""

    def optimize(self, *_: Any, **__: Any) -> str:
        return ""

    def ping(self, *_: Any, **__: Any) -> str:
        self._execute(sa.text("SELECT 1 FROM %s LIMIT 1" % TABLE), {}, what="ping")
        return "{}"

    @staticmethod
    def _execute(stmt: Any, params: Any, what: str) -> None:
        session = _session()
        try:
            with session.begin_nested():
                session.execute(stmt, params)
        except sa.exc.SQLAlchemyError as e:
            raise _db_error(what, e)

    # -- reading ---------------------------------------------------------------

    def search(self, q: Optional[str] = None, search_handler: Any = None,
               **params: Any) -> PgResults:
        plan = _syntax(sq.plan_search, q, params)
        session = _session()
        try:
            with session.begin_nested():
                hits = int(session.execute(sa.text(plan.count_sql), plan.params).scalar() or 0)
                docs = []
                if hits and plan.page_sql:
                    for doc, data_dict, validated, score in session.execute(
                            sa.text(plan.page_sql), plan.params):
                        docs.append(sq.result_doc(doc, data_dict, validated, score, plan.fl))
                facets: dict[str, Any] = {}
                if plan.facet_sql:
                    rows = session.execute(sa.text(plan.facet_sql), plan.params) if hits else []
                    facets = sq.facet_result(plan.facet_fields, rows)
        except sa.exc.SQLAlchemyError as e:
            raise _db_error("query", e)
        return PgResults(docs, hits, facets)


def make_connection(decode_dates: bool = True) -> PgSolr:
    """Replacement for ``ckan.lib.search.common.make_connection``."""
    return PgSolr()
