"""PostgreSQL-backed search index for CKAN (plugin ``satudata_pgsearch``)."""
