"""The stewards' status board, seeded from audit rows of a real warehouse, as headless Chromium shows it."""
import json
import shutil
import struct
import subprocess
import zlib
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from satudata import settings, warehouse
from satudata.catalog import Catalog, load_catalog
from satudata.ops import board

pytestmark = pytest.mark.integration
AT = datetime(2026, 3, 15, 1, 0, tzinfo=UTC)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                    "(scripts/bootstrap.sh installs it)")


def catalog_of_four() -> Catalog:
    """Four datasets of one dinas with the frequencies the board must tell apart."""
    real = load_catalog()
    base = real.contract("jumlah_penduduk_jenis_kelamin_kecamatan")
    specs = {"segar_harian": ("Harian", "Data Harian Yang Segar"),
             "telat_bulanan": ("Bulanan", "Data Bulanan Yang Terlambat"),
             "basi_tahunan": ("Tahunan", "Data Tahunan Yang Sangat Terlambat"),
             "belum_pernah": ("Triwulanan", "Data Triwulanan Belum Pernah Dimuat")}
    contracts = {i: base.model_copy(update={"id": i, "frekuensi": f, "title": t}) for i, (f, t) in specs.items()}
    return Catalog(dinas=real.dinas, contracts=contracts)


def seed(conn) -> None:
    def run(dataset, run_id, stage, status, at, rows=None, details=None):
        conn.execute("INSERT INTO audit.runs (dataset_id, run_id, stage, status, started_at, finished_at,"
                     " rows_in, rows_out, details) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                     (dataset, run_id, stage, status, at, at, rows, rows, json.dumps(details or {})))

    def checks(dataset, run_id, at, passed, warn_failed=0, crit_failed=0):
        for i in range(passed + warn_failed + crit_failed):
            severity = "critical" if i >= passed + warn_failed else "warning" if i >= passed else "critical"
            conn.execute("INSERT INTO audit.validation_results (dataset_id, run_id, expectation, severity, success,"
                         " recorded_at) VALUES (%s, %s, %s, %s, %s, %s)",
                         (dataset, run_id, f"check_{i}", severity, i < passed, at))

    with conn.transaction():
        for n, (status, warn) in enumerate([("passed", 0), ("warning", 1), ("passed", 0)]):
            at = AT - timedelta(days=2 - n, hours=2)
            run_id = f"scheduled__2026-03-1{n}"
            checks("segar_harian", run_id, at, 5 - warn, warn_failed=warn)
            run("segar_harian", run_id, "validate", status, at, 46,
                {"summary": "Semua pemeriksaan lolos. Data dimuat ke gudang data dan diterbitkan."})
            run("segar_harian", run_id, "load", "success", at + timedelta(minutes=1), 46)
        conn.execute("INSERT INTO audit.publications (dataset_id, run_id, ckan_package, content_sha256, action,"
                     " published_at) VALUES ('segar_harian', 'scheduled__2026-03-12', 'pkg-1', 'abc', 'updated', %s)",
                     (AT - timedelta(hours=1),))
        conn.execute("INSERT INTO audit.alerts (dag_id, run_id, kind, raised_at) VALUES"
                     " ('segar_harian', 'scheduled__2026-03-12', 'late', %s)", (AT - timedelta(minutes=30),))
        old = AT - timedelta(days=35)  # Bulanan: past 31 days, within the 7-day grace
        checks("telat_bulanan", "scheduled__2026-02-08", old, 4)
        run("telat_bulanan", "scheduled__2026-02-08", "validate", "passed", old, 1200)
        run("telat_bulanan", "scheduled__2026-02-08", "load", "success", old, 1200)
        older = AT - timedelta(days=400)
        run("basi_tahunan", "scheduled__2025-02-08", "load", "success", older, 10)
        checks("basi_tahunan", "scheduled__2026-03-14", AT - timedelta(hours=5), 3, crit_failed=2)
        run("basi_tahunan", "scheduled__2026-03-14", "validate", "critical", AT - timedelta(hours=5), 10,
            {"summary": "Data tidak dimuat: 2 pemeriksaan kritis gagal."})
        conn.execute("INSERT INTO audit.alerts (dag_id, run_id, kind, task_id, raised_at) VALUES"
                     " ('basi_tahunan', 'scheduled__2026-03-14', 'failure', 'validate', %s)",
                     (AT - timedelta(hours=4),))


class Rows(HTMLParser):
    """The board's rows as the browser has them: dataset id, freshness level, badge, cell texts, links."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, dict] = {}
        self.current: dict | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-dataset" in a:
            self.current = {"level": a["data-kesegaran"], "class": a.get("class"), "cells": [], "links": {},
                            "badge": None, "bars": []}
            self.rows[a["data-dataset"]] = self.current
        elif self.current is not None:
            if tag == "td":
                self.cell = []
            elif tag == "span" and "badge" in (a.get("class") or ""):
                self.current["badge"] = a["class"].split()[1]
            elif tag == "a":
                self.current["links"][a.get("class")] = a.get("href")
            elif tag == "rect":
                self.current["bars"].append(a["fill"])

    def handle_endtag(self, tag):
        if tag == "td" and self.current is not None and self.cell is not None:
            self.current["cells"].append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--force-color-profile=srgb",
                           "--hide-scrollbars", *args], capture_output=True, text=True, timeout=120, check=True)


def png_pixels(path) -> list[tuple[int, int, int]]:
    """Decode the screenshot (8-bit RGB/RGBA, not interlaced, as Chromium writes it) without Pillow."""
    data = path.read_bytes()
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    raw, stride, out, prev = zlib.decompress(b"".join(chunks)), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        out.extend(tuple(line[x:x + 3]) for x in range(0, stride, bpp))
        prev = line
    return out


@pytest.fixture
def page(ops_warehouse, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_CKAN_DEFAULT", json.dumps(
        {"conn_type": "http", "host": "http://ckan:5000", "extra": {"public_url": "https://data.bekasikab.go.id"}}))
    catalog = catalog_of_four()
    report = settings.reports_dir() / "disdukcapil" / "segar_harian" / "terbaru.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html><body>Laporan</body></html>", encoding="utf-8")
    with warehouse.connect() as conn:
        seed(conn)
        return board.rebuild(catalog, conn, AT)


@needs_chromium
def test_browser_shows_every_dataset_with_its_freshness(page):
    dom = chromium("--dump-dom", page.as_uri()).stdout
    parsed = Rows()
    parsed.feed(dom)
    rows = parsed.rows
    assert list(rows) == ["basi_tahunan", "belum_pernah", "telat_bulanan", "segar_harian"]  # worst first
    assert {d: (r["level"], r["badge"]) for d, r in rows.items()} == {
        "segar_harian": ("hijau", "hijau"), "telat_bulanan": ("kuning", "kuning"),
        "basi_tahunan": ("merah", "merah"), "belum_pernah": ("merah", "merah")}
    dinas, title, freq, fresh, last_run, validation, n, _, _links = rows["segar_harian"]["cells"]
    assert dinas == "Disdukcapil" and title.startswith("Data Harian Yang Segar") and freq == "Harian"
    assert fresh.startswith("Segar Dimuat terakhir 1 jam lalu") and "dijanjikan Harian" in fresh
    assert last_run.startswith("Diterbitkan (diperbarui, terlambat)") and validation.startswith("LOLOS") and n == "46"
    assert rows["segar_harian"]["links"] == {"ckan": "https://data.bekasikab.go.id/dataset/segar-harian",
                                             "laporan": "../disdukcapil/segar_harian/terbaru.html"}
    assert rows["segar_harian"]["bars"] == ["#1a7f37", "#bf8700", "#1a7f37"]
    assert rows["telat_bulanan"]["cells"][3].startswith("Terlambat Dimuat terakhir 35 hari lalu")
    assert rows["telat_bulanan"]["cells"][6] == "1.200"
    tahunan = rows["basi_tahunan"]["cells"]
    assert tahunan[3].startswith("Sangat terlambat Dimuat terakhir 400 hari lalu")
    assert tahunan[4].startswith("Gagal (tugas validate)") and tahunan[5].startswith("GAGAL (KRITIS)")
    assert rows["basi_tahunan"]["bars"] == ["#cf222e"]
    assert rows["belum_pernah"]["cells"][3] == "Sangat terlambat Belum pernah berhasil dimuat."
    assert rows["belum_pernah"]["cells"][4] == "Belum pernah dijalankan"
    assert rows["belum_pernah"]["links"] == {} and rows["belum_pernah"]["bars"] == []
    assert "4 dataset: 1 segar, 1 terlambat, 2 sangat terlambat, 0 tidak berjadwal." in dom
    assert "Diperbarui 2026-03-15 01:00 UTC" in dom


@needs_chromium
def test_page_is_self_contained_and_paints_the_three_colours(page, tmp_path):
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html.replace("https://data.bekasikab.go.id/dataset/", "")
    shot = tmp_path / "papan.png"
    chromium(f"--screenshot={shot}", "--window-size=1400,900", page.as_uri())
    pixels = png_pixels(shot)
    counts = {name: sum(p == rgb for p in pixels) for name, rgb in
              {"hijau": (0x1a, 0x7f, 0x37), "kuning": (0xbf, 0x87, 0x00), "merah": (0xcf, 0x22, 0x2e)}.items()}
    assert all(n > 200 for n in counts.values()), counts
    assert counts["merah"] > counts["kuning"]  # two red rows against one yellow
