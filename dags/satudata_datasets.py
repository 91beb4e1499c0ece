"""Satu Data Bekasi: one DAG per dataset contract in contracts/datasets/, plus warehouse housekeeping.

Wiring only (the airflow dag objects come from the factory); the logic lives in the `satudata`
package under plugins/satudata.
"""
from satudata.dag_factory import register_all

register_all(globals())
