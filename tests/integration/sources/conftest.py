"""What the source-check tests share: a contract's checks run over periods (sources come from
`support.seeded_source`)."""
from collections import Counter
from datetime import date
from pathlib import Path

from satudata import pipeline
from satudata.catalog import Contract, load_catalog
from satudata.sources import checks, period_params


def yearly(years) -> list[dict]:
    """The bind parameters of a yearly run for each year."""
    return [period_params(date(y, 1, 1), date(y + 1, 1, 1)) for y in years]


def found_by_rule(contract: Contract, runs: list[dict], out: Path, whole_table=()) -> dict[str, Counter]:
    """Run the contract's checks once per parameter set; the keys each rule found, over all the runs.

    A whole-table rule finds the same rows at every run, so only its first run counts.
    """
    conn_id = load_catalog().conn_id(contract)
    found: dict[str, Counter] = {c.rule: Counter() for c in contract.checks}
    for i, params in enumerate(runs):
        summary = checks.run(contract, conn_id, params | pipeline.source_check_params(contract), out / contract.id / str(i))
        assert summary["run"] == len(contract.checks)
        for result in checks.load_results(out / contract.id / str(i)):
            assert result["count"] == len(result["rows"])  # every row kept: well under checks.KEPT
            if i and result["rule"] in whole_table:
                continue
            found[result["rule"]].update(r["kunci"] for r in result["rows"])
    return found
