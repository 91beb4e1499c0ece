"""A ``pysolr.Solr`` look-alike that keeps CKAN's search index in PostgreSQL.

CKAN 2.12 talks to its search engine only through the object returned by
``ckan.lib.search.common.make_connection()``: ``add(docs)``,
``delete(q=...)``, ``search(q, **params)`` and ``commit()``. Everything
around it -- building the index document from the dataset (permission labels,
``before_dataset_index`` hooks, extras flattening), building the query (fq
for ``capacity``, ``state``, ``site_id``, permission labels), reading the
results back (``validated_data_dict``, facets) -- stays CKAN's own code.
:class:`PgSolr` answers those four calls from the table
``satudata_search_index`` in CKAN's own database.

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

import json
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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise pysolr.SolrError("org.apache.solr.common.SolrException: invalid integer %r" % (value,))


class PgSolr:
    """Drop-in for the ``pysolr.Solr`` connection CKAN creates."""

    def __init__(self, url: str = "postgresql:satudata_search_index", **_: Any) -> None:
        self.url = url

    # -- writing ---------------------------------------------------------------

    def add(self, docs: Iterable[dict[str, Any]], commit: Any = None, **_: Any) -> str:
        rows = [self._row(doc) for doc in docs]
        if not rows:
            return ""
        stmt = sa.text(
            """
            INSERT INTO {t} (index_id, site_id, id, name, entity_type, doc, fields,
                             data_dict, validated_data_dict, search_vector, indexed_at)
            VALUES (:index_id, :site_id, :id, :name, :entity_type,
                    CAST(:doc AS jsonb), CAST(:fields AS jsonb),
                    :data_dict, :validated_data_dict,
                    setweight(to_tsvector('{cfg}', :text_a), 'A') ||
                    setweight(to_tsvector('{cfg}', :text_b), 'B') ||
                    setweight(to_tsvector('{cfg}', :text_d), 'D'),
                    now())
            ON CONFLICT (index_id) DO UPDATE SET
                site_id = EXCLUDED.site_id, id = EXCLUDED.id, name = EXCLUDED.name,
                entity_type = EXCLUDED.entity_type, doc = EXCLUDED.doc,
                fields = EXCLUDED.fields, data_dict = EXCLUDED.data_dict,
                validated_data_dict = EXCLUDED.validated_data_dict,
                search_vector = EXCLUDED.search_vector, indexed_at = EXCLUDED.indexed_at
            """.format(t=TABLE, cfg=sq.TS_CONFIG))
        self._execute(stmt, rows, what="index")
        return ""

    @staticmethod
    def _row(doc: dict[str, Any]) -> dict[str, Any]:
        if not doc.get("id"):
            raise pysolr.SolrError("[doc] missing required field: id")
        stored = {k: v for k, v in doc.items() if k not in sq.STORED_ONLY}
        fields: dict[str, list[str]] = {}
        for key, value in stored.items():
            values = sq.index_values(key, value)
            if values:
                fields[key] = values
        index_id = doc.get("index_id") or doc["id"]
        fields.setdefault("index_id", [index_id])
        text_a, text_b, text_d = sq.search_texts(fields)
        public_doc = {k: v for k, v in stored.items() if k not in sq.NOT_STORED}
        return {
            "index_id": index_id,
            "site_id": doc.get("site_id") or "",
            "id": doc["id"],
            "name": doc.get("name"),
            "entity_type": doc.get("entity_type"),
            "doc": json.dumps(public_doc, default=str),
            "fields": json.dumps(fields),
            "data_dict": doc.get("data_dict"),
            "validated_data_dict": doc.get("validated_data_dict"),
            "text_a": text_a,
            "text_b": text_b,
            "text_d": text_d,
        }

    def delete(self, id: Any = None, q: Optional[str] = None, commit: Any = None, **_: Any) -> str:
        if id is None and q is None:
            raise ValueError('You must specify "id" or "q".')
        c = sq.Compiled()
        conds = []
        if id is not None:
            ids = _as_list(id)
            conds.append("s.index_id = ANY(%s)" % c.p(ids))
        if q is not None:
            conds.append(self._compile(lambda: sq.compile_lucene(c, q, ranked=False)))
        stmt = sa.text("DELETE FROM %s s WHERE %s" % (TABLE, " OR ".join(conds)))
        self._execute(stmt, c.params, what="delete")
        return ""

    def commit(self, *_: Any, **__: Any) -> str:
        _session().commit()
        return ""

    def optimize(self, *_: Any, **__: Any) -> str:
        return ""

    def ping(self, *_: Any, **__: Any) -> str:
        self._execute(sa.text("SELECT 1 FROM %s LIMIT 1" % TABLE), {}, what="ping")
        return "{}"

    # -- reading ---------------------------------------------------------------

    def search(self, q: Optional[str] = None, search_handler: Any = None, **kw: Any) -> PgResults:
        c = sq.Compiled()
        q = q if q is not None else kw.pop("q", None)
        q = q or "*:*"
        default_op = str(kw.get("q.op") or "AND").upper()
        def_type = kw.get("defType") or "lucene"

        conds = []
        if def_type in ("dismax", "edismax") and not (def_type == "edismax" and ":" in q):
            conds.append(self._compile(lambda: sq.compile_dismax(c, q)))
        else:
            conds.append(self._compile(lambda: sq.compile_lucene(c, q, default_op)))
        for fq in _as_list(kw.get("fq")):
            if fq is None or not str(fq).strip():
                continue
            conds.append(self._compile(
                lambda fq=fq: sq.compile_lucene(c, str(fq), default_op, ranked=False)))
        where = " AND ".join(conds)

        if c.rank:
            tsq = " || ".join("(%s)" % r for r in c.rank)
            score_sql = "ts_rank(s.search_vector, %s)" % tsq
        else:
            score_sql = "1.0"
        order = self._compile(lambda: sq.compile_sort(c, kw.get("sort"), "score"))
        rows = _int(kw.get("rows"), 10)
        start = _int(kw.get("start"), 0)
        fl = sq.parse_fl(kw.get("fl"))

        session = _session()
        try:
            with session.begin_nested():
                count = session.execute(
                    sa.text("SELECT count(*) FROM %s s WHERE %s" % (TABLE, where)),
                    c.params).scalar()
                docs: list[dict[str, Any]] = []
                if rows > 0 and count:
                    page_params = dict(c.params, _rows=rows, _start=max(start, 0))
                    result = session.execute(sa.text(
                        "SELECT s.doc, s.data_dict, s.validated_data_dict, {score} AS score "
                        "FROM {t} s WHERE {w} ORDER BY {o} LIMIT :_rows OFFSET :_start".format(
                            score=score_sql, t=TABLE, w=where, o=order)), page_params)
                    for doc, data_dict, validated, score in result:
                        docs.append(self._doc(doc, data_dict, validated, score, fl))
                facets = self._facets(session, c, where, kw)
        except pysolr.SolrError:
            raise
        except sa.exc.SQLAlchemyError as e:
            log.error("Search index query failed: %s", e)
            raise pysolr.SolrError("Search index query failed: %s" % (e.orig if hasattr(e, "orig") else e))
        return PgResults(docs, int(count or 0), facets)

    @staticmethod
    def _doc(doc: Any, data_dict: Optional[str], validated: Optional[str],
             score: Any, fl: Optional[list[str]]) -> dict[str, Any]:
        if isinstance(doc, str):
            doc = json.loads(doc)
        full = dict(doc or {})
        if data_dict is not None:
            full["data_dict"] = data_dict
        if validated is not None:
            full["validated_data_dict"] = validated
        if fl is None:
            return full
        out = {}
        for name in fl:
            if name == "score":
                out["score"] = float(score)
            elif name in full:
                out[name] = full[name]
        return out

    @staticmethod
    def _facets(session: Any, c: sq.Compiled, where: str, kw: dict[str, Any]) -> dict[str, Any]:
        if str(kw.get("facet", "false")).lower() not in ("true", "on", "1"):
            return {}
        names = [str(n) for n in _as_list(kw.get("facet.field")) if n]
        if not names:
            return {"facet_fields": {}}
        limit = _int(kw.get("facet.limit"), 100)
        mincount = _int(kw.get("facet.mincount"), 0)
        fc = sq.Compiled(params=dict(c.params), _n=c._n)
        parts = []
        for name in names:
            pname = fc.p(name)
            parts.append(
                "SELECT CAST({p} AS text) AS facet, v AS value FROM "
                "jsonb_array_elements_text(coalesce(s.fields -> {p}, '[]')) v".format(p=pname))
        lim = "" if limit < 0 else "WHERE rn <= %d" % limit
        stmt = sa.text(
            """
            SELECT facet, value, cnt FROM (
                SELECT f.facet, f.value, count(*) AS cnt,
                       row_number() OVER (PARTITION BY f.facet
                                          ORDER BY count(*) DESC, f.value COLLATE "C") AS rn
                FROM {t} s CROSS JOIN LATERAL ({union}) f
                WHERE {w}
                GROUP BY f.facet, f.value
                HAVING count(*) >= {mincount}
            ) x {lim} ORDER BY facet, rn
            """.format(t=TABLE, union=" UNION ALL ".join(parts), w=where,
                       mincount=max(mincount, 1), lim=lim))
        out: dict[str, list[Any]] = {name: [] for name in names}
        for facet, value, cnt in session.execute(stmt, fc.params):
            out[facet].extend([value, int(cnt)])
        return {"facet_fields": out, "facet_queries": {}, "facet_ranges": {},
                "facet_intervals": {}, "facet_heatmaps": {}}

    # -- helpers ---------------------------------------------------------------

    @staticmethod
    def _compile(fn: Any) -> str:
        try:
            return fn()
        except sq.QuerySyntaxError as e:
            raise pysolr.SolrError("org.apache.solr.search.SyntaxError: %s" % e)

    @staticmethod
    def _execute(stmt: Any, params: Any, what: str) -> None:
        session = _session()
        try:
            with session.begin_nested():
                session.execute(stmt, params)
        except sa.exc.SQLAlchemyError as e:
            msg = str(getattr(e, "orig", e)).strip()
            log.error("Search index %s failed: %s", what, msg)
            if "satudata_search_index" in msg and "does not exist" in msg:
                msg += (" -- the search index table is missing: run "
                        "`ckan db upgrade -p satudata_pgsearch`")
            raise pysolr.SolrError("Search index %s failed: %s" % (what, msg))


def make_connection(decode_dates: bool = True) -> PgSolr:
    """Replacement for ``ckan.lib.search.common.make_connection``."""
    return PgSolr()
