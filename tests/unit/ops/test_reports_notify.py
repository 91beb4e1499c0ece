"""Reports and Data Docs reference nothing remote; the e-mail a dinas gets, through a real SMTP server."""

import pytest

from satudata.ops import notify
from satudata.ops import reports as report
from satudata.quality import datadocs
from satudata.quality.validation import validate_landed as validate


@pytest.fixture
def reports(tmp_path, monkeypatch):
    monkeypatch.setenv("SATUDATA_REPORTS_DIR", str(tmp_path / "reports"))
    return tmp_path / "reports"


@pytest.fixture
def warned(contract, good_frame, parameters, tmp_path, reports):
    good_frame.loc[0, "jumlah_penduduk"] = 600_000
    path = tmp_path / "landed.parquet"
    good_frame.to_parquet(path)
    return validate(contract, path, "scheduled__2025", parameters, docs_dir=report.datadocs_dir(contract.id))


def test_no_remote_url_in_any_report_or_data_docs_page(warned, catalog, contract, reports):
    dinas = catalog.dinas[contract.dinas]
    page = report.write(warned, contract, dinas, "2026-01-05T08:00:00+07:00", "2025")
    indexes = report.write_indexes(catalog)
    pages = list(reports.rglob("*.html"))
    assert page in pages and indexes["walidata"] in pages and indexes["disdukcapil"] in pages
    assert any("validations" in p.parts for p in pages)  # the Data Docs run page
    for p in pages:
        assert datadocs.remote_urls(p.read_text(encoding="utf-8")) == [], p
    for css in reports.rglob("*.css"):
        assert datadocs.remote_urls(css.read_text(encoding="utf-8")) == [], css
    docs = warned.datadocs
    assert (reports / "datadocs" / contract.id / "static" / "vendor" / "jquery" / "jquery.min.js").is_file()
    with open(docs, encoding="utf-8") as f:
        assert "../../../../static/vendor/bootstrap/bootstrap.min.css" in f.read()
    html = page.read_text(encoding="utf-8")
    assert "Data dimuat dan diterbitkan, dengan 1 peringatan yang perlu ditindaklanjuti." in html
    assert "Satu kecamatan dengan lebih dari 500.000 penduduk satu jenis kelamin tidak wajar" in html
    steward = indexes["walidata"].read_text(encoding="utf-8")
    assert "PERINGATAN" in steward and "BELUM DIPERIKSA" not in steward.split(contract.id)[0][-10:]


def test_localise_rewrites_every_cdn_link():
    html = ('<script src="https://code.jquery.com/jquery-3.7.1.min.js" integrity="sha384-x" crossorigin="anonymous">'
            '</script><a href="https://greatexpectations.io">GX</a>'
            "<style>.x{background:url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/a.png')}</style>")
    out = datadocs.localise(html, "../")
    assert datadocs.remote_urls(out) == []
    assert '<script src="../static/vendor/jquery/jquery.min.js">' in out
    assert "url('../static/images/logo-long.png')" in out


def test_warning_mail_reaches_dinas_and_stewards(warned, catalog, contract, smtp, reports, monkeypatch):
    monkeypatch.setenv("SATUDATA_STEWARDS_EMAIL", "walidata@bekasikab.go.id, statistik@bekasikab.go.id")
    validated = warned.to_dict() | {"checked_at": "2026-01-05T08:00:00+07:00", "period": "2025",
                                    "report": str(reports / "disdukcapil" / contract.id / "terbaru.html")}
    done = notify.notify(validated, contract, catalog.dinas[contract.dinas])
    assert done["sent"] is True
    [msg] = smtp
    assert msg["Subject"] == (
        "[Satu Data Bekasi] PERINGATAN: Jumlah Penduduk Berdasarkan Jenis Kelamin per Kecamatan di "
        "Kabupaten Bekasi (2025)")
    assert msg["To"] == "data.disdukcapil@bekasikab.go.id, walidata@bekasikab.go.id, statistik@bekasikab.go.id"
    body = msg.get_content()
    assert body.splitlines() == [
        "Yth. Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bekasi,",
        "",
        ('Data "Jumlah Penduduk Berdasarkan Jenis Kelamin per Kecamatan di Kabupaten Bekasi" periode 2025 telah '
         "diperiksa oleh sistem Satu Data Kabupaten Bekasi pada 2026-01-05T08:00:00+07:00."),
        "",
        "Hasil: Data dimuat dan diterbitkan, dengan 1 peringatan yang perlu ditindaklanjuti.",
        "",
        "Temuan yang perlu ditindaklanjuti:",
        ("- [PERINGATAN] Kolom jumlah_penduduk berisi 1 nilai di luar rentang yang diharapkan (paling banyak "
         "500.000): 600000. Cara memperbaiki: Satu kecamatan dengan lebih dari 500.000 penduduk satu jenis "
         "kelamin tidak wajar; periksa pencatatan ganda."),
        "",
        f"Laporan lengkap (baris, kunci dan nilai yang bermasalah): {validated['report']}",
        "",
        ("Pesan ini dikirim otomatis. Pertanyaan dapat disampaikan kepada walidata (Diskominfosantik Kabupaten "
         "Bekasi) dengan membalas pesan ini."),
    ]


def test_clean_run_sends_nothing(catalog, contract, smtp):
    done = notify.notify({"status": "passed", "run_id": "r"}, contract, catalog.dinas[contract.dinas])
    assert done == {"sent": False, "reason": "status passed: nothing to report"}
    assert smtp == []
