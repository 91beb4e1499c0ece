"""``ckan satudata ...`` commands."""
from __future__ import annotations

import os
import secrets
import tempfile
from typing import Any

import click

ADMIN = "admin"
PIPELINE = "satudata_pipeline"


def _ensure_user(name: str, sysadmin: bool, fullname: str) -> tuple[Any, str | None]:
    """Create the user if missing; returns (user, new password or None)."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    user = model.User.get(name)
    password = None
    if user is None:
        password = secrets.token_urlsafe(18)
        tk.get_action("user_create")(
            {"ignore_auth": True},
            {"name": name, "email": f"{name}@satudata.invalid", "password": password,
             "fullname": fullname})
        user = model.User.get(name)
    if user.sysadmin != sysadmin:
        user.sysadmin = sysadmin
        model.Session.commit()
    return user, password


def _read_env(path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if "=" in line and not line.startswith("#"):
                    key, value = line.rstrip("\n").split("=", 1)
                    out[key] = value
    return out


def _write_env(path: str, values: dict[str, str]) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".env.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for key, value in values.items():
                f.write(f"{key}={value}\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _token_works(token: str, user_name: str) -> bool:
    import ckan.model as model
    from ckan.lib import api_token

    if not token:
        return False
    try:
        user = api_token.get_user_from_token(token)
    except Exception:
        return False
    model.Session.rollback()
    return user is not None and user.name == user_name


@click.group(short_help="Satu Data Bekasi commands")
def satudata() -> None:
    """Satu Data Bekasi commands."""


@satudata.command()
@click.option("--env-file", required=True, type=click.Path(dir_okay=False),
              help="File to write CKAN_URL, CKAN_API_TOKEN and CKAN_ADMIN_TOKEN to (mode 600).")
def bootstrap(env_file: str) -> None:
    """Create the sysadmin `admin` and the editor-to-be `satudata_pipeline`
    (random passwords), give each an API token and write them to ENV_FILE.

    Idempotent: tokens already in ENV_FILE that still work are kept. Nothing
    secret is printed.
    """
    import ckan.plugins.toolkit as tk
    from ckan.common import config

    env = _read_env(env_file)
    admin, admin_password = _ensure_user(ADMIN, True, "Administrator Satu Data")
    _ensure_user(PIPELINE, False, "Satu Data pipeline")

    tokens = {}
    for key, name in (("CKAN_ADMIN_TOKEN", ADMIN), ("CKAN_API_TOKEN", PIPELINE)):
        token = env.get(key, "")
        if not _token_works(token, name):
            token = tk.get_action("api_token_create")(
                {"ignore_auth": True, "user": name},
                {"user": name, "name": "satudata-" + secrets.token_hex(3)})["token"]
        tokens[key] = token

    if admin_password is None:
        admin_password = env.get("CKAN_ADMIN_PASSWORD")
    if not admin_password:  # user existed but we lost the password: set a new one
        import ckan.model as model
        admin_password = secrets.token_urlsafe(18)
        admin.password = admin_password
        model.Session.commit()

    _write_env(env_file, {
        "CKAN_URL": config["ckan.site_url"].rstrip("/"),
        "CKAN_API_TOKEN": tokens["CKAN_API_TOKEN"],
        "CKAN_ADMIN_TOKEN": tokens["CKAN_ADMIN_TOKEN"],
        "CKAN_ADMIN_USER": ADMIN,
        "CKAN_ADMIN_PASSWORD": admin_password,
        "CKAN_PIPELINE_USER": PIPELINE,
    })
    click.echo(f"users {ADMIN} (sysadmin) and {PIPELINE} ready; tokens in {env_file}")
