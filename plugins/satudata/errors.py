"""The project's errors: one base that says whether retrying can help.

Every error the pipeline raises on purpose is a `SatudataError`. Its `retryable` tells the DAG
factory what to do: a lost connection may work on the next try, bad data or a broken contract
cannot, so the task fails at once instead of spending its retries. Messages name the dataset and
where the problem is (file, field, table, column).
"""
from __future__ import annotations


class SatudataError(Exception):
    """Base of the project's errors; `retryable` says whether running the task again can help."""

    retryable = False

    def __init__(self, message: str = "", *, retryable: bool | None = None):
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable


class ContractError(SatudataError, ValueError):
    """A contract (or the dinas catalog) that cannot be used; the message names file and field."""


class ExtractError(SatudataError, RuntimeError):
    """The source could not give the rows the contract promises; the message says where.

    Retryable: a query can fail because the dinas server was briefly away.
    """

    retryable = True


class SchemaDrift(ExtractError):
    """The source no longer has a table or column the contract's query or layout names."""

    retryable = False


class SourceProblems(ExtractError):
    """A spreadsheet holds cells the contract says must fail the extract (see satudata.sources.spreadsheet)."""

    retryable = False


class SpreadsheetError(SatudataError, RuntimeError):
    """The drop cannot be read as the contract describes (no file, no header, a missing column)."""


class ValidationFailed(SatudataError, RuntimeError):
    """Critical expectations failed: nothing may be loaded or published."""


class LoadError(SatudataError, RuntimeError):
    """The rows could not be promoted; curated is unchanged."""

    retryable = True
