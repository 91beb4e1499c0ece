"""Test-wide settings: a private var/ folder and Airflow home, set before anything imports Airflow."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# SATUDATA_TEST_INSTANCE names everything a test session creates (databases, CKAN instance, var/ folder),
# so that two sessions on one machine keep out of each other's way.
INSTANCE = os.environ.get("SATUDATA_TEST_INSTANCE", "itest")
VAR = ROOT / "var" / f"pytest-{INSTANCE}"
os.environ["SATUDATA_HOME"] = str(ROOT)
os.environ["SATUDATA_VAR_DIR"] = str(VAR)
os.environ["AIRFLOW_HOME"] = str(VAR / "airflow")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")
