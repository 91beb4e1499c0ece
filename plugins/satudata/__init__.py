"""Satu Data Bekasi: extract, validate, load and publish the sectoral statistics of Kabupaten Bekasi.

One module per stage (contracts, extract, validate, load, publish, report, reference, notify, cli);
DAG files only wire these together. Heavy libraries (pandas, GX, ckanapi) are imported inside
functions so that parsing a DAG stays cheap.
"""
