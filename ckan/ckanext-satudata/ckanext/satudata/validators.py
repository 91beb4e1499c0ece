"""Validators used by the Satu Data dataset schema (schemas/dataset.yaml)."""
from __future__ import annotations

import re
from typing import Any

from ckan.lib.navl.dictization_functions import Invalid, missing
from ckan.plugins.toolkit import _
from ckanext.scheming.validation import scheming_validator


def _empty(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def _fold(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())


@scheming_validator
def satudata_default(field: dict[str, Any], schema: dict[str, Any]):
    """Fill in the field's ``default`` (from the schema) when it is empty."""
    default = field.get("default")

    def validator(key, data, errors, context):
        if _empty(data.get(key)) and default is not None:
            data[key] = default

    return validator


@scheming_validator
def satudata_choice(field: dict[str, Any], schema: dict[str, Any]):
    """One of the field's choices; matches case-, space-, '-' and '_'-insensitively
    (``tahunan``, ``TAHUNAN``, ``tidak_tentu`` -> ``Tahunan``, ``Tidak Tentu``)
    and stores the canonical value."""
    values = [c["value"] for c in field.get("choices", [])]
    folded = {_fold(v): v for v in values}

    def validator(value):
        if _empty(value):
            return value
        canonical = folded.get(_fold(str(value)))
        if canonical is None:
            raise Invalid(_('unexpected choice "%s"; expected one of: %s')
                          % (value, ", ".join(values)))
        return canonical

    return validator


@scheming_validator
def satudata_private_unless_open(field: dict[str, Any], schema: dict[str, Any]):
    """``klasifikasi`` other than ``terbuka`` makes the dataset private: a
    ``terbatas`` (or ``tertutup``) dataset never shows up publicly even if the
    publisher forgot ``private: true``."""

    def validator(key, data, errors, context):
        value = data.get(key)
        if not _empty(value) and value != "terbuka":
            data[("private",)] = True

    return validator


_PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def satudata_period(value: Any) -> Any:
    """A period bound: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if _empty(value):
        return value
    value = str(value).strip()
    if not _PERIOD_RE.match(value):
        raise Invalid(_("expected YYYY, YYYY-MM or YYYY-MM-DD, got %r") % value)
    return value


_REGION_RE = re.compile(r"^\d{2}(\.?\d{2}(\.?\d{2,3}(\.?\d{4})?)?)?$")


def satudata_region_code(value: Any) -> Any:
    """A Kemendagri/BPS region code (``3216``, ``32.16``, ``32.16.01``...)."""
    if _empty(value):
        return value
    value = str(value).strip()
    if not _REGION_RE.match(value):
        raise Invalid(_("not a region code (e.g. 3216 or 32.16.01): %r") % value)
    return value


def get_validators() -> dict[str, Any]:
    return {
        "satudata_default": satudata_default,
        "satudata_choice": satudata_choice,
        "satudata_private_unless_open": satudata_private_unless_open,
        "satudata_period": satudata_period,
        "satudata_region_code": satudata_region_code,
    }
