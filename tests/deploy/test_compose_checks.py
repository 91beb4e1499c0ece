"""The checks of compose_checks.py fail when they should: each gets a deliberately broken document.

A check that passes on docker-compose.yaml proves little unless the same check rejects the mistake
it looks for; here every one of them is shown a mistake and must name it.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from tests.deploy import compose_checks as cc
from tests.support import ROOT

SCHEMA = Path(__file__).resolve().parent / "vendor" / "compose-spec.json"


def good() -> dict:
    """A small, correct document in the shape of ours."""
    return yaml.safe_load("""
x-common: &common
  image: example/app:1.0
  environment: &env
    DB_URL: postgresql://app:${DB_PASSWORD:?set it}@db/app
  depends_on:
    db:
      condition: service_healthy
services:
  db:
    image: postgres:17
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it}
    volumes: [db-data:/var/lib/postgresql/data]
    networks: [backend]
    restart: always
    healthcheck:
      test: ["CMD", "pg_isready"]
  init:
    <<: *common
    networks: [backend]
  worker:
    <<: *common
    ports: ["8793"]
    networks: [backend, edge]
    restart: always
    healthcheck:
      test: ["CMD-SHELL", "ping-worker $${HOSTNAME}"]
    depends_on:
      db:
        condition: service_healthy
      init:
        condition: service_completed_successfully
networks:
  edge:
  backend:
    internal: true
volumes:
  db-data:
""")


def test_the_good_document_passes_every_check():
    doc = good()
    assert cc.check_references(doc) == []
    assert cc.check_env_documented(doc, {"DB_PASSWORD": ""}) == []
    assert cc.check_healthchecks(doc) == []
    assert cc.check_internal_networks(doc) == []
    assert cc.check_no_literal_secrets(doc) == []
    assert cc.check_scalable(doc, "worker") == []
    assert cc.check_pinned_images(doc) == []


# ------------------------------------------------------------------------------------------- schema
def test_schema_rejects_what_compose_rejects():
    if not SCHEMA.is_file():
        pytest.fail(f"the Compose JSON Schema is missing: expected {SCHEMA}")
    schema = json.loads(SCHEMA.read_text())
    assert cc.schema_errors(good(), schema) == []
    doc = good()
    doc["services"]["db"]["restart"] = 3
    doc["services"]["worker"]["depends_on"]["db"]["condition"] = "service_happy"
    doc["services"]["worker"]["helthcheck"] = {"test": ["CMD", "true"]}
    errors = "\n".join(cc.schema_errors(doc, schema))
    assert "services/db/restart" in errors
    assert "service_happy" in errors
    assert "helthcheck" in errors


# --------------------------------------------------------------------------------------- references
def test_references_to_undefined_services_networks_and_volumes():
    doc = good()
    doc["x-common"]["depends_on"]["redis"] = {"condition": "service_healthy"}
    doc["services"]["worker"]["depends_on"]["scheduler"] = {"condition": "service_started"}
    doc["services"]["init"]["extends"] = {"service": "base"}
    doc["services"]["init"]["networks"] = ["backend", "frontend"]
    doc["services"]["db"]["volumes"].append("pgdata:/backup")
    errors = cc.check_references(doc)
    assert "extension x-common: depends_on names undefined service 'redis'" in errors
    assert "service worker: depends_on names undefined service 'scheduler'" in errors
    assert "service init: extends undefined service 'base'" in errors
    assert "service init: network 'frontend' is not declared under networks:" in errors
    assert "service db: named volume 'pgdata' is not declared under volumes:" in errors


# ---------------------------------------------------------------------------------------- variables
def test_undocumented_and_stale_variables():
    doc = good()
    worker = doc["services"]["worker"]
    worker["environment"] = {**worker["environment"], "CONCURRENCY": "${WORKER_CONCURRENCY:-8}"}
    worker["command"] = "run --token $API_TOKEN --escaped $$NOT_A_VARIABLE"
    errors = cc.check_env_documented(doc, {"DB_PASSWORD": "", "OLD_SETTING": "x"})
    assert any(e.startswith("${WORKER_CONCURRENCY} (read at services.worker.environment.CONCURRENCY)")
               for e in errors)
    assert any(e.startswith("${API_TOKEN}") for e in errors)
    assert not any("NOT_A_VARIABLE" in e for e in errors)
    assert "OLD_SETTING is listed in .env.example but docker-compose.yaml never reads it" in errors


def test_interpolation_follows_compose_rules():
    env = {"SET": "v", "EMPTY": ""}
    assert cc.interpolate("${SET}-${UNSET:-d}-${EMPTY:-d}-${EMPTY-d}-$$SET-$SET", env) == "v-d-d--$SET-v"
    assert cc.interpolate("${UNSET:-${SET}x}", env) == "vx"
    assert cc.interpolate("${SET:+alt}${EMPTY:+alt}", env) == "alt"
    with pytest.raises(cc.InterpolationError, match="EMPTY is missing a value: fill it"):
        cc.interpolate("${EMPTY:?fill it}", env)
    with pytest.raises(cc.InterpolationError, match="unclosed"):
        cc.interpolate("${SET", env)
    assert [r[0] for r in cc.parse_references("${A:-${B}} $C $$D ${E:?x}")] == ["A", "B", "C", "E"]


def test_env_file_parsing():
    env = cc.parse_env_file("# comment\n\nA=1\nB=\nC='quoted value'\n")
    assert env == {"A": "1", "B": "", "C": "quoted value"}
    with pytest.raises(ValueError, match="line 1"):
        cc.parse_env_file("not an assignment")


# -------------------------------------------------------------------------------------------- paths
def test_missing_and_outside_paths(tmp_path):
    (tmp_path / "docker" / "app").mkdir(parents=True)
    (tmp_path / "docker" / "app" / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "conf").mkdir()
    doc = good()
    doc["services"]["init"]["build"] = {"context": ".", "dockerfile": "docker/app/Dockerfile"}
    doc["services"]["init"]["volumes"] = ["./conf:/etc/app:ro", "./missing.conf:/etc/missing.conf",
                                          "/etc/passwd:/x", "../elsewhere:/y"]
    doc["services"]["worker"]["build"] = {"context": "docker/worker"}
    doc["services"]["db"]["build"] = {"context": ".", "dockerfile": "docker/db/Dockerfile"}
    doc["services"]["db"]["env_file"] = ["db.env"]
    errors = cc.check_paths(doc, tmp_path)
    assert "service init: bind-mounted host path './missing.conf' does not exist" in errors
    assert "service init: bind mount '/etc/passwd' is not a path relative to the repository" in errors
    assert "service init: bind mount '../elsewhere' points outside the repository" in errors
    assert "service worker: build context 'docker/worker' is not a directory" in errors
    assert "service db: Dockerfile 'docker/db/Dockerfile' not found in context '.'" in errors
    assert "service db: env_file 'db.env' does not exist" in errors
    assert not any("./conf" in e or "docker/app" in e for e in errors)


# ------------------------------------------------------------------------------------- healthchecks
def test_long_running_services_without_healthchecks():
    doc = good()
    del doc["services"]["db"]["healthcheck"]
    doc["services"]["init"]["restart"] = "unless-stopped"
    doc["services"]["worker"]["healthcheck"] = {"test": ["CMD", "true"], "disable": True}
    errors = cc.check_healthchecks(doc)
    assert "service db: restarts (always) but has no healthcheck" in errors
    assert "service worker: restarts (always) but has no healthcheck" in errors
    assert "service init: restarts (unless-stopped) but has no healthcheck" in errors
    assert "service worker: waits for db to be healthy, but db has no healthcheck" in errors
    assert ("service worker: waits for init to complete, but init restarts (unless-stopped) "
            "and never completes") in errors


# ------------------------------------------------------------------------------------------ networks
def test_databases_on_open_networks_or_with_ports():
    doc = good()
    doc["services"]["db"]["networks"] = ["backend", "edge"]
    doc["services"]["db"]["ports"] = ["5432:5432"]
    doc["services"]["cache"] = {"image": "redis:7.2-bookworm", "restart": "always",
                                "healthcheck": {"test": ["CMD", "redis-cli", "ping"]}}
    doc["services"]["search"] = {"image": "ckan/ckan-solr:2.12-solr9", "network_mode": "host"}
    errors = cc.check_internal_networks(doc)
    assert "service db: database is on network 'edge', which is not internal" in errors
    assert "service db: database publishes ports ['5432:5432']" in errors
    assert "service cache: database is on network 'default', which is not internal" in errors
    assert "service search: database uses network_mode 'host'" in errors


# ------------------------------------------------------------------------------------------- secrets
def test_literal_secrets_are_found_wherever_they_hide():
    doc = good()
    doc["services"]["db"]["environment"]["POSTGRES_PASSWORD"] = "hunter2"
    doc["services"]["db"]["environment"]["API_TOKEN"] = "${API_TOKEN:-abc123}"
    doc["services"]["init"]["environment"] = ["SECRET_KEY=s3cr3t", "PLAIN=ok"]
    doc["services"]["worker"]["environment"]["DB_URL"] = "postgresql://app:hunter2@db/app"
    doc["services"]["worker"]["environment"]["AIRFLOW_CONN_X"] = '{"login": "a", "password": "hunter2"}'
    doc["services"]["worker"]["command"] = ["sh", "-c", "PGPASSWORD=hunter2 psql && redis-server --requirepass abc"]
    doc["services"]["worker"]["build"] = {"context": ".", "args": {"PIP_TOKEN": "glpat-123"}}
    errors = "\n".join(cc.check_no_literal_secrets(doc))
    assert "service db: environment POSTGRES_PASSWORD is not taken from a variable (literal value)" in errors
    assert "service db: environment API_TOKEN is not taken from a variable (${API_TOKEN} defaults to a literal)" \
        in errors
    assert "service init: environment SECRET_KEY is not taken from a variable" in errors
    assert "services.worker.environment.DB_URL: password in a URL is not taken from a variable" in errors
    assert "services.worker.environment.AIRFLOW_CONN_X: secret in JSON is not taken from a variable" in errors
    assert "services.worker.command[2]: PGPASSWORD= is not taken from a variable" in errors
    assert "services.worker.command[2]: secret on a command line is not taken from a variable" in errors
    assert "service worker: build arg PIP_TOKEN is not taken from a variable" in errors
    assert "PLAIN" not in errors


def test_quoted_literals_on_command_lines_are_found():
    doc = good()
    doc["services"]["db"]["command"] = ["sh", "-c", 'redis-server --requirepass "hunter2"']
    doc["services"]["init"]["command"] = "PGPASSWORD='hunter2' psql -h db"
    errors = cc.check_no_literal_secrets(doc)
    assert "services.db.command[2]: secret on a command line is not taken from a variable (literal value)" in errors
    assert "services.init.command: PGPASSWORD= is not taken from a variable (literal value)" in errors


def test_secrets_from_variables_are_accepted():
    doc = good()
    env = doc["services"]["worker"]["environment"]
    env["TOKEN"] = "${TOKEN:-}"
    env["JWT_SECRET"] = "string:${JWT:?required}"
    env["AIRFLOW_CONN_X"] = '{"password": "${X_PASSWORD:?}", "extra": {"public_url": "http://x"}}'
    doc["services"]["db"]["command"] = ["sh", "-c", 'exec redis-server --requirepass "$${REDISCLI_AUTH}"']
    assert cc.check_no_literal_secrets(doc) == []


# ---------------------------------------------------------------------------------- scaling, images
def test_unscalable_worker():
    doc = good()
    worker = doc["services"]["worker"]
    worker["container_name"] = "worker"
    worker["hostname"] = "worker1"
    worker["ports"] = ["8793", "127.0.0.1:8080:8080", {"target": 5555, "published": "5555"}]
    errors = cc.check_scalable(doc, "worker")
    assert "service worker: container_name 'worker' allows one container only" in errors
    assert "service worker: fixed hostname 'worker1' would be shared by every replica" in errors
    assert "service worker: fixed host port '127.0.0.1:8080:8080' can be bound by one replica only" in errors
    assert any("5555" in e for e in errors)
    assert not any("'8793'" in e for e in errors)
    assert cc.check_no_container_names(doc) == ["service worker: sets container_name 'worker'"]
    assert cc.check_scalable(doc, "ghost") == ["service ghost does not exist"]


def test_unpinned_images():
    doc = good()
    doc["services"]["db"]["image"] = "postgres"
    doc["services"]["worker"]["image"] = "registry.example.org:5000/team/app:latest"
    doc["services"]["init"]["image"] = "registry.example.org:5000/team/app@sha256:abc"
    errors = cc.check_pinned_images(doc)
    assert errors == ["service db: image 'postgres' is not pinned to a version",
                      "service worker: image 'registry.example.org:5000/team/app:latest' is not pinned to a version"]


# ---------------------------------------------------------------------------------------- dockerfiles
def test_dockerfile_sources_and_dockerignore(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text(
        "# syntax=docker/dockerfile:1\nFROM python:3.11 AS base\n"
        "COPY --chown=1:1 app/ /srv/app/\nCOPY missing.txt \\\n     /srv/\n"
        "COPY --from=base /etc/hosts /x\n"
        "RUN --mount=type=bind,source=requirements.lock,target=/r.lock pip install -r /r.lock\n"
        "COPY . /srv/all\n")
    (tmp_path / "docker" / "Dockerfile.dockerignore").write_text("app\n.venv\n")
    doc = {"services": {"app": {"build": {"context": ".", "dockerfile": "docker/Dockerfile"}}}}
    errors = cc.check_dockerfiles(doc, tmp_path)
    assert "docker/Dockerfile: copies 'missing.txt', which is not in its build context" in errors
    assert "docker/Dockerfile: copies 'requirements.lock', which is not in its build context" in errors
    assert "docker/Dockerfile: copies 'app/', which its dockerignore excludes" in errors
    assert "docker/Dockerfile: copies the whole context but its dockerignore lets .env in" in errors
    assert not any("/etc/hosts" in e for e in errors)


def test_dockerignore_matching_like_docker():
    patterns = ["*", "!ckan/ckanext-satudata/", "**/__pycache__", ".env.*"]
    assert cc.is_ignored(".env", patterns)
    assert cc.is_ignored("tests/test_x.py", patterns)
    assert not cc.is_ignored("ckan/ckanext-satudata/setup.py", patterns)
    assert cc.is_ignored("ckan/ckanext-satudata/ckanext/__pycache__/x.pyc", patterns)
    assert cc.is_ignored("ckan/requirements.txt", patterns)
    assert not cc.is_ignored("plugins/x.py", [".venv", "**/*.egg-info"])
    assert cc.is_ignored("plugins/satudata.egg-info/PKG-INFO", [".venv", "**/*.egg-info"])


# ------------------------------------------------------------------- the real file, deliberately broken
def test_checks_catch_mistakes_in_the_real_compose_file():
    real = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    doc = copy.deepcopy(real)
    doc["services"]["airflow-worker"]["ports"] = ["8793:8793"]
    doc["services"]["warehouse-postgres"]["networks"] = ["warehouse", "edge"]
    doc["services"]["airflow-redis"]["environment"]["REDISCLI_AUTH"] = "redispass"
    doc["services"]["ckan"]["depends_on"]["solr"] = {"condition": "service_healthy"}
    del doc["services"]["reports"]["healthcheck"]
    assert cc.check_scalable(doc, "airflow-worker")
    assert "service warehouse-postgres: database is on network 'edge', which is not internal" \
        in cc.check_internal_networks(doc)
    assert any("REDISCLI_AUTH" in e for e in cc.check_no_literal_secrets(doc))
    assert "service ckan: depends_on names undefined service 'solr'" in cc.check_references(doc)
    assert "service reports: restarts (always) but has no healthcheck" in cc.check_healthchecks(doc)
    assert any("AIRFLOW_DB_PASSWORD" in e for e in cc.check_env_documented(real, {}))
