"""How long Airflow takes to parse dags/: the real catalogue (the baseline) and one multiplied to 200 datasets.

    .venv/bin/python bench/dag_parse_bench.py [--datasets 200] [--repeat 5] [--profile]

Each catalogue is a copy of the project's contracts/, sql/ and expectations/ in a temporary SATUDATA_HOME;
the large one adds copies of every contract (`<id>_salinan_<n>`, with its sql/<id>/ folder and its suite,
`id:` and suite `name` rewritten) until it holds --datasets. AIRFLOW_HOME is a temporary folder too, so
no real Airflow state is touched; AIRFLOW__CORE__DAGS_FOLDER is the repository's dags/.

Two figures per catalogue, each from a fresh child process:
  in process    `DagBag(dag_folder=dags/)` repeated --repeat times after a warm-up (imports and the first
                parse paid): p50 and min, with every contract and suite edited (a newline appended)
                before each parse so that nothing the previous parse read can be reused (the cost of a
                parse after an edit); "unchanged" is the p50 of as many parses of the files as they are.
  with imports  one `python -c` that imports Airflow and parses the folder once: its wall time.
Both must give one DAG per dataset plus the housekeeping DAGs and no import errors. Ratios are against
the real catalogue measured in the same run. --profile prints cProfile's top functions of one in-process
parse of the large catalogue. Target: under 1 s in process for 200 datasets.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAGS = ROOT / "dags"
HOUSEKEEPING = 3

# Run in the child: parse the folder `repeat` times after one warm-up, first with every contract and suite
# edited before each parse (a newline appended: nothing the previous parse read can be reused, which is
# what a parse after an edit costs, and close to the DAG processor's fresh process per file), then with the
# files unchanged; print the timings as JSON.
IN_PROCESS = """
import json, sys, time
from pathlib import Path
from airflow.dag_processing.dagbag import DagBag
repeat, profile, home = int(sys.argv[1]), sys.argv[2] == "1", Path(sys.argv[3])
files = [*(home / "contracts").rglob("*.yaml"), *(home / "expectations").glob("*.json")]
def edit():
    for p in files:
        with open(p, "a", encoding="utf-8") as f:
            f.write("\\n")
bag = DagBag(dag_folder={dags!r})  # warm-up: imports, first parse
times, unchanged = [], []
for _ in range(repeat):
    edit()
    t = time.perf_counter()
    bag = DagBag(dag_folder={dags!r})
    times.append(time.perf_counter() - t)
for _ in range(repeat):
    t = time.perf_counter()
    DagBag(dag_folder={dags!r})
    unchanged.append(time.perf_counter() - t)
if profile:
    edit()
    import cProfile, io, pstats
    prof = cProfile.Profile()
    prof.enable()
    DagBag(dag_folder={dags!r})
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(45)
    print(out.getvalue(), file=sys.stderr)
print(json.dumps({{"times": times, "unchanged": unchanged, "dags": len(bag.dag_ids),
                  "errors": bag.import_errors}}))
"""

ONCE = """
import json
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder={dags!r})
print(json.dumps({{"dags": len(bag.dag_ids), "errors": bag.import_errors}}))
"""


def catalogue(home: Path, datasets: int) -> int:
    """Copy the project's catalogue into `home` and add copies of its contracts until it holds `datasets`."""
    for folder in ("contracts", "sql", "expectations"):
        shutil.copytree(ROOT / folder, home / folder)
    originals = sorted(p.stem for p in (home / "contracts" / "datasets").glob("*.yaml"))
    count, n = len(originals), 0
    while count < datasets:
        n += 1
        for dataset_id in originals:
            if count >= datasets:
                break
            copy_dataset(home, dataset_id, f"{dataset_id}_salinan_{n}")
            count += 1
    return count


def copy_dataset(home: Path, old: str, new: str) -> None:
    """A contract under a new id: its YAML (`id:` rewritten), its sql/<id>/ folder, its suite (`name`)."""
    text = (home / "contracts" / "datasets" / f"{old}.yaml").read_text(encoding="utf-8")
    text, found = re.subn(rf"^id:\s*{re.escape(old)}\s*$", f"id: {new}", text, count=1, flags=re.MULTILINE)
    assert found, f"{old}: no top-level id line"
    (home / "contracts" / "datasets" / f"{new}.yaml").write_text(text, encoding="utf-8")
    if (home / "sql" / old).is_dir():
        shutil.copytree(home / "sql" / old, home / "sql" / new)
    suite = json.loads((home / "expectations" / f"{old}.json").read_text(encoding="utf-8"))
    suite["name"] = new
    if isinstance(suite.get("meta"), dict) and "dataset" in suite["meta"]:
        suite["meta"]["dataset"] = new
    (home / "expectations" / f"{new}.json").write_text(json.dumps(suite, indent=2), encoding="utf-8")


def child(code: str, env: dict, *args: str) -> tuple[float, dict, str]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    if out.returncode:
        sys.exit(f"child failed:\n{out.stderr[-3000:]}")
    return seconds, json.loads(out.stdout.strip().splitlines()[-1]), out.stderr


def measure(home: Path, airflow_home: Path, repeat: int, profile: bool) -> dict:
    env = {**os.environ, "SATUDATA_HOME": str(home), "AIRFLOW_HOME": str(airflow_home),
           "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SATUDATA_LATE_AFTER_MINUTES", None)  # the default: no deadline alerts
    _, result, err = child(IN_PROCESS.format(dags=str(DAGS)), env, str(repeat), "1" if profile else "0", str(home))
    if profile:
        print(err)
    wall, once, _ = child(ONCE.format(dags=str(DAGS)), env)
    times, unchanged = sorted(result["times"]), sorted(result["unchanged"])
    for r in (result, once):
        if r["errors"]:
            sys.exit(f"import errors in {home}: {json.dumps(r['errors'], indent=2)[:3000]}")
    return {"p50": times[len(times) // 2], "min": times[0], "same": unchanged[len(unchanged) // 2],
            "dags": result["dags"], "wall": wall,
            "wall_dags": once["dags"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one parse of the large catalogue")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="satudata_parse_bench_") as tmp:
        tmp = Path(tmp)
        rows = []
        for label, wanted in (("real", 0), (f"x{args.datasets}", args.datasets)):
            home = tmp / label
            home.mkdir()
            n = catalogue(home, wanted)
            (tmp / f"airflow_{label}").mkdir()
            m = measure(home, tmp / f"airflow_{label}", args.repeat, args.profile and wanted > 0)
            assert m["dags"] == m["wall_dags"] == n + HOUSEKEEPING, (label, n, m)
            rows.append((label, n, m))
    base = rows[0][2]
    print(f"dags/ parsed by DagBag, {args.repeat} repeats after a warm-up (in process), "
          "one fresh interpreter (with imports)")
    print(f"{'catalogue':<10} {'datasets':>8} {'DAGs':>5} {'in proc p50':>12} {'min':>8} {'x base':>7} "
          f"{'ms/DAG':>7} {'unchanged p50':>14} {'with imports':>13} {'x base':>7}")
    for label, n, m in rows:
        print(f"{label:<10} {n:>8} {m['dags']:>5} {m['p50']:>10.3f} s {m['min']:>6.3f} s "
              f"{m['p50'] / base['p50']:>6.1f}x {1000 * m['p50'] / m['dags']:>7.2f} {m['same']:>12.3f} s "
              f"{m['wall']:>11.2f} s {m['wall'] / base['wall']:>6.1f}x")
    print("in proc: every contract and suite edited before each parse (nothing reused); unchanged: not edited")
    print("import errors: none; target: < 1 s in process (edited) for 200 datasets")


if __name__ == "__main__":
    main()
