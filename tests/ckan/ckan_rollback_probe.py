"""Run with CKAN's own python (var/ckan/venv) and CKAN_INI set; prints one JSON line.

Proves that the search index row is written in the dataset's own transaction: package_create is
run in-process with CKAN's final commit made to fail. Just before that commit the same session
already sees the index row; afterwards a fresh connection finds neither the dataset nor its row.

    CKAN_INI=... var/ckan/venv/bin/python ckan_rollback_probe.py <dataset-name> <organization-id>
"""
import json
import logging
import os
import sys

logging.disable(logging.WARNING)

import sqlalchemy as sa
from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app


def main(name: str, org: str) -> dict:
    app = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
    import ckan.plugins.toolkit as tk

    from ckan import model

    count_index = sa.text("SELECT count(*) FROM satudata_search_index WHERE name = :n")
    count_package = sa.text("SELECT count(*) FROM package WHERE name = :n")
    seen: dict = {}
    with app._wsgi_app.test_request_context():
        original = model.repo.commit

        def failing_commit():
            seen["index_rows_before_commit"] = model.Session.execute(count_index, {"n": name}).scalar()
            raise RuntimeError("simulated failure at commit")

        model.repo.commit = failing_commit
        try:
            tk.get_action("package_create")(
                {"ignore_auth": True, "user": "admin"},
                {"name": name, "title": "Probe " + name, "owner_org": org,
                 "produsen_data": "Probe", "frekuensi": "Tahunan"})
            seen["error"] = None
        except RuntimeError as e:
            seen["error"] = str(e)
        finally:
            model.repo.commit = original
            model.Session.rollback()
            model.Session.remove()
        with model.meta.engine.connect() as conn:
            seen["index_rows_after"] = conn.execute(count_index, {"n": name}).scalar()
            seen["packages_after"] = conn.execute(count_package, {"n": name}).scalar()
    return seen


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
