"""Satu Data Bekasi: the contracts that cannot be used, shown in Airflow's import errors (file and field).

Wiring only. This file holds no DAG: its parse fails when a contract is broken, and only then, so
that the error names the contract while every good DAG (dags/satudata_datasets.py) stays loaded.
"""
from satudata.dag_factory import raise_contract_errors

raise_contract_errors()
