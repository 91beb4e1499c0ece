"""The watermark of an incremental extract (`source.watermark: true`): one object with its own state.

The stored mark (the warehouse's audit.watermarks) is bound as `:watermark` (NULL on the first run,
meaning "everything"); the source's current high-water mark is read *before* the extract by
`sql/<id>/watermark.sql`, and stored only after a successful load, so a failed run re-extracts the
same rows next time. Rows committed during an extract with an older timestamp than the mark can be
missed; write the watermark query over a column the source sets at commit (an update timestamp), or
keep the extract full. A mark never moves backwards.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from satudata.catalog import Contract
from satudata.sources import drift
from satudata.sources.common import driver_errors, reason
from satudata.sources.routes import scalar

_DECODE = {"timestamp": datetime.fromisoformat, "date": date.fromisoformat, "integer": int}


@dataclass(frozen=True)
class Watermark:
    """A source value kept as text with its type, so that it can be stored and bound again as it was."""

    value: str
    type: str  # timestamp | date | integer | text

    @classmethod
    def of(cls, value) -> Watermark | None:
        """The mark of a value the source returned (None: the source holds nothing yet)."""
        if value is None:
            return None
        if isinstance(value, bytes):
            value = value.decode()
        if isinstance(value, datetime):
            return cls(value.isoformat(), "timestamp")
        if isinstance(value, date):
            return cls(value.isoformat(), "date")
        if isinstance(value, int) or (hasattr(value, "as_integer_ratio") and float(value).is_integer()
                                      and not isinstance(value, float)):
            return cls(str(int(value)), "integer")
        return cls(str(value), "text")

    @classmethod
    def from_dict(cls, stored: dict | None) -> Watermark | None:
        return cls(str(stored["value"]), stored["type"]) if stored else None

    def to_dict(self) -> dict:
        return {"value": self.value, "type": self.type}

    @property
    def bound(self):
        """The value as the query binds it (`:watermark`), in its own type."""
        return _DECODE.get(self.type, str)(self.value)

    def behind(self, other: Watermark | None) -> bool:
        """True when `other` (the stored mark) is already further: storing self would move it backwards."""
        return other is not None and other.type == self.type and other.bound > self.bound


def read(contract: Contract, conn_id: str, params: dict) -> Watermark | None:
    """The source's current high-water mark, read before the extract runs."""
    sql = contract.watermark_sql_path.read_text(encoding="utf-8")
    try:
        value = scalar(conn_id, sql, params)
    except driver_errors() as exc:
        raise drift.query_failed(contract, conn_id, sql, reason(exc), "watermark query") from None
    return Watermark.of(value)
