"""Satu Data Bekasi: extract, validate, load and publish the sectoral statistics of Kabupaten Bekasi.

Laid out by stage (see docs/architecture.md): `catalog` (contracts), `sources` (one module per source
kind), `quality` (findings, suites, harmonisation, quarantine), `warehouse` (the only code that speaks
its schemas), `portal` (CKAN), `ops` (reports, board, freshness, alerts, mail, access), with one home
each for texts (`messages`), errors (`errors`) and settings (`settings`); `pipeline` runs the stages,
`dag_factory` wires them into Airflow and `cli` gives them to the stewards. DAG files only wire;
heavy libraries (pandas, GX, ckanapi, psycopg) are imported inside functions so that parsing stays cheap.
"""
