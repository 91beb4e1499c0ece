"""Drive a running Airflow through its REST API (v2): unpause, trigger, backfill, wait, read task times.

The demo, the scheduler test and the bench use this one client, so the catalog always runs the way
production runs it: the scheduler creates and runs the DAG runs, nothing calls `dags test`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

DONE = ("success", "failed")


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def last_logical_date(schedule: str, year: int) -> datetime:
    """The logical date of a schedule's last run that covers `year`: the interval that ends at or
    before the next 1 January (a yearly run: 1 January of the year; a monthly one: 1 December)."""
    from croniter import croniter

    return croniter(schedule, datetime(year + 1, 1, 1, tzinfo=UTC)).get_prev(datetime)


def duration(run: dict) -> float | None:
    start, end = parse_time(run.get("start_date")), parse_time(run.get("end_date"))
    return (end - start).total_seconds() if start and end else None


@dataclass
class AirflowApi:
    base_url: str
    username: str
    password: str
    timeout: float = 30.0
    _token: str | None = field(default=None, repr=False)

    def _session(self):
        import requests

        if self._token is None:
            r = requests.post(f"{self.base_url}/auth/token", json={"username": self.username,
                                                                   "password": self.password}, timeout=self.timeout)
            r.raise_for_status()
            self._token = r.json()["access_token"]
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {self._token}"
        return s

    def call(self, method: str, path: str, **kwargs):
        with self._session() as s:
            r = s.request(method, f"{self.base_url}/api/v2{path}", timeout=self.timeout, **kwargs)
            if r.status_code == 401:       # token expired: log in again once
                self._token = None
                with self._session() as s2:
                    r = s2.request(method, f"{self.base_url}/api/v2{path}", timeout=self.timeout, **kwargs)
            if r.status_code >= 400:
                raise RuntimeError(f"Airflow API {method} {path}: {r.status_code} {r.text[:500]}")
            return r.json() if r.content else None

    def wait_for_dags(self, dag_ids: list[str], timeout: float = 300) -> None:
        """Until the dag-processor has serialised every DAG (the scheduler only runs those)."""
        deadline = time.monotonic() + timeout
        while True:
            found = {d["dag_id"] for d in self.call("GET", "/dags", params={"limit": 1000})["dags"]}
            missing = sorted(set(dag_ids) - found)
            if not missing:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"DAGs not parsed after {timeout:.0f} s: {', '.join(missing)}")
            time.sleep(2)

    def unpause(self, dag_id: str, paused: bool = False) -> None:
        self.call("PATCH", f"/dags/{dag_id}", json={"is_paused": paused})

    def trigger(self, dag_id: str, logical_date: datetime | None = None, run_id: str | None = None) -> str:
        body = {"logical_date": logical_date.isoformat() if logical_date else None}
        if run_id:
            body["dag_run_id"] = run_id
        return self.call("POST", f"/dags/{dag_id}/dagRuns", json=body)["dag_run_id"]

    def backfill(self, dag_id: str, from_date: datetime, to_date: datetime, max_active_runs: int = 1,
                 reprocess: str = "completed") -> int:
        """An Airflow backfill (run by the scheduler) of the runs whose logical dates lie in [from, to]."""
        return self.call("POST", "/backfills", json={
            "dag_id": dag_id, "from_date": from_date.isoformat(), "to_date": to_date.isoformat(),
            "max_active_runs": max_active_runs, "reprocess_behavior": reprocess})["id"]

    def runs(self, dag_id: str = "~", **params) -> list[dict]:
        params = {"limit": 100, "order_by": "-run_after"} | params
        out, offset = [], 0
        while True:
            page = self.call("GET", f"/dags/{dag_id}/dagRuns", params=params | {"offset": offset})
            out += page["dag_runs"]
            offset += len(page["dag_runs"])
            if not page["dag_runs"] or offset >= page["total_entries"]:
                return out

    def task_instances(self, dag_id: str = "~", run_id: str = "~", **params) -> list[dict]:
        out, offset = [], 0
        while True:
            page = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances",
                             params={"limit": 100, "offset": offset} | params)
            out += page["task_instances"]
            offset += len(page["task_instances"])
            if not page["task_instances"] or offset >= page["total_entries"]:
                return out

    def wait_runs(self, dag_ids: list[str], since: datetime, timeout: float = 1800, count: int = 1,
                  report=None) -> dict[str, list[dict]]:
        """Until each DAG has `count` finished runs created after `since` and none still going."""
        deadline = time.monotonic() + timeout
        while True:
            runs: dict[str, list[dict]] = {d: [] for d in dag_ids}
            for r in self.runs():
                if r["dag_id"] in runs and r.get("queued_at") and parse_time(r["queued_at"]) >= since:
                    runs[r["dag_id"]].append(r)
            waiting = [d for d, rs in runs.items()
                       if len(rs) < count or any(r["state"] not in DONE for r in rs)]
            if report:
                report(len(dag_ids) - len(waiting), len(dag_ids))
            if not waiting:
                return runs
            if time.monotonic() > deadline:
                raise TimeoutError(f"runs not finished after {timeout:.0f} s: {', '.join(waiting)}")
            time.sleep(3)
