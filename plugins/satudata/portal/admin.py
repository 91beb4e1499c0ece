"""Portal set-up (needs a sysadmin): one organization per dinas and the topic groups, the pipeline's
CKAN user their editor, so that it publishes without being a sysadmin itself."""
from __future__ import annotations

from collections.abc import Iterable

from satudata.catalog import Dinas
from satudata.portal.payload import GROUPS


def _ensure_member(admin, kind: str, group_id: str, user: str, role: str) -> None:
    members = admin.action.member_list(id=group_id, object_type="user")
    user_id = admin.action.user_show(id=user)["id"]
    if not any(m[0] == user_id and m[2].lower() == role for m in members):
        action = "organization_member_create" if kind == "organization" else "group_member_create"
        getattr(admin.action, action)(id=group_id, username=user, role=role)


def ensure_organizations(admin, dinas_list: list[Dinas], editor: str | None = None,
                         groups: Iterable[str] | None = None) -> dict[str, str]:
    """Create or update one organization per dinas and the topic groups (needs a sysadmin).

    `editor` (the pipeline's CKAN user) becomes editor of every organization and every group, so that
    it can publish datasets and put them in their groups without being a sysadmin. `groups`: the
    group names to ensure; None means every group a contract of the catalog names.
    """
    from ckanapi import NotFound

    ids = {}
    for d in dinas_list:
        fields = {"name": d.ckan_organization, "title": d.nama, "description": d.deskripsi}
        try:
            org = admin.action.organization_show(id=d.ckan_organization)
            if org.get("title") != d.nama or org.get("description") != d.deskripsi:
                org = admin.action.organization_patch(id=org["id"], **fields)
        except NotFound:
            org = admin.action.organization_create(**fields)
        if editor:
            _ensure_member(admin, "organization", org["id"], editor, "editor")
        ids[d.id] = org["id"]
    if groups is None:
        from satudata.catalog import load_catalog

        groups = sorted({g for c in load_catalog().contracts.values() for g in c.publish.groups})
    ensure_groups(admin, groups, editor)
    return ids


def ensure_groups(admin, names: Iterable[str], editor: str | None = None) -> dict[str, str]:
    """Create or update the topic groups with their Indonesian titles; make `editor` their editor."""
    from ckanapi import NotFound

    ids = {}
    for name in names:
        title, description = GROUPS.get(name, (name.replace("-", " ").title(), ""))
        try:
            group = admin.action.group_show(id=name)
            if group.get("title") != title or (description and group.get("description") != description):
                group = admin.action.group_patch(id=group["id"], title=title, description=description)
        except NotFound:
            group = admin.action.group_create(name=name, title=title, description=description)
        if editor:
            _ensure_member(admin, "group", group["id"], editor, "editor")
        ids[name] = group["id"]
    return ids
