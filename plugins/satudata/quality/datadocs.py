"""GX Data Docs for the stewards, made to render offline.

GX writes its Data Docs pages with links to Bootstrap, jQuery, Popper, bootstrap-table, a date
picker, Font Awesome, Vega and a logo on CDNs and S3, which dinas networks (and this machine) often
cannot reach; the pages then show unstyled and their tables do not work. The same files, taken from
their npm packages (static/vendor.sh), ship in `static/vendor/`; after GX builds a site, every page's
links are rewritten to relative paths into the site's own `static/vendor/` copy, and links to GX's
web site are dropped. `remote_urls()` is what the tests use to prove nothing remote remains.

One site per dataset (`<reports>/datadocs/<dataset>/`): GX's index lists the latest run, and the
pages of earlier runs stay in `validations/`.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

SITE = "satudata"
VENDOR = Path(__file__).resolve().parent / "static" / "vendor"

# CDN URL (without query) -> file under static/vendor/.
ASSETS = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/bootstrap-table-filter-control.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/bootstrap-datepicker.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "bootstrap-dark/bootstrap-prefers-dark.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/vega-embed.min.js",
}
# GX's own images on S3 -> the copies GX writes into the site's static/images/.
_GX_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
GX_IMAGES = {"logo-long.png", "logo-long-vector.svg", "short-logo.png", "short-logo-vector.svg", "favicon.ico"}
_URL = re.compile(r"""(?P<attr>\b(?:src|href|action)\s*=\s*)(?P<q>["'])(?P<url>(?:https?:)?//[^"']*)(?P=q)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>(?:https?:)?//[^"')\s]*)(?P=q)\s*\)""", re.IGNORECASE)
_INTEGRITY = re.compile(r"""\s+(?:integrity|crossorigin)\s*=\s*(["'])[^"']*\1""", re.IGNORECASE)
# Any URL to another host in an attribute, a CSS url() or an @import: what must not remain.
_REMOTE = re.compile(r"""(?:(?:src|href|action)\s*=\s*["']|url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""",
                     re.IGNORECASE)


def site_config(base_directory: Path) -> dict:
    return {"class_name": "SiteBuilder", "show_how_to_buttons": False, "show_cta_footer": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(base_directory)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}


def localise(html: str, to_root: str) -> str:
    """Rewrite CDN links to `<to_root>static/vendor/…`; drop other remote links (GX's site, newsletter)."""

    def local(url: str, other: str) -> str:
        bare = url.split("?", 1)[0]
        if bare in ASSETS:
            return f"{to_root}static/vendor/{ASSETS[bare]}"
        if bare.startswith(_GX_IMAGES):
            name = bare[len(_GX_IMAGES):]
            return f"{to_root}static/images/{name if name in GX_IMAGES else 'logo-long.png'}"
        return other

    html = _URL.sub(lambda m: f"{m['attr']}{m['q']}{local(m['url'], '#')}{m['q']}", html)
    html = _CSS_URL.sub(lambda m: f"url('{local(m['url'], '')}')", html)
    return _INTEGRITY.sub("", html)


def remote_urls(html: str) -> list[str]:
    """Every reference to another host that a browser would fetch or follow."""
    return _REMOTE.findall(html)


def make_offline(site: Path) -> list[Path]:
    """Copy the vendored assets into the site and rewrite every page and GX stylesheet; return them."""
    target = site / "static" / "vendor"
    shutil.copytree(VENDOR, target, dirs_exist_ok=True)
    pages = []
    for page in [*site.rglob("*.html"), *(site / "static" / "styles").rglob("*.css")]:
        depth = len(page.relative_to(site).parts) - 1
        text = page.read_text(encoding="utf-8")
        new = localise(text, "../" * depth)
        if new != text:
            page.write_text(new, encoding="utf-8")
        pages.append(page)
    return pages


def finish(site: Path, identifier) -> Path:
    """After GX has built the site for one validation: make it offline; return that run's page."""
    make_offline(site)
    parts = [str(p) for p in identifier.to_tuple()]
    page = site.joinpath("validations", *parts[:-1], f"{parts[-1]}.html")
    return page if page.is_file() else site / "index.html"
