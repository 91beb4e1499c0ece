"""ckanext-dcat profile ``satudata``: the Satu Data fields in DCAT (``/catalog.jsonld``, ``/dataset/<name>.jsonld``).

Runs after ``euro_dcat_ap_3`` (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 satudata``) and maps:

- ``frekuensi`` -> ``dct:accrualPeriodicity``, an EU frequency authority URI (``Tahunan`` ->
  ``.../frequency/ANNUAL``) typed ``dct:Frequency`` with the Indonesian label as ``skos:prefLabel``;
- ``produsen_data`` -> ``dct:publisher`` (``foaf:Agent`` named after the producing dinas) and
  ``walidata`` -> ``dct:rightsHolder``;
- ``periode_awal`` / ``periode_akhir`` -> ``dct:temporal`` (``dct:PeriodOfTime`` with
  ``dcat:startDate`` / ``dcat:endDate``), ``periode`` as its label;
- ``kode_wilayah`` / ``cakupan`` -> ``dct:spatial`` (``dct:Location`` with ``dct:identifier`` and
  ``skos:prefLabel``);
- ``license_id`` -> ``dct:license`` (the licence URL) on the dataset and every distribution;
- ``klasifikasi`` -> ``dct:accessRights`` (EU access-right authority: PUBLIC / RESTRICTED / NON_PUBLIC);
- ``tingkat_penyajian``, ``satuan``, ``klasifikasi``, ``tanggal_validasi`` -> literals in the
  project's own namespace (``sd:``), since DCAT has no term for them.
"""
from __future__ import annotations

from ckanext.dcat.profiles import RDFProfile
from ckanext.dcat.profiles.base import DCAT, DCT, FOAF
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
SD = Namespace("https://data.bekasikab.go.id/ns/satudata#")
FREQUENCIES = {"Harian": "DAILY", "Mingguan": "WEEKLY", "Bulanan": "MONTHLY", "Triwulanan": "QUARTERLY",
               "Semesteran": "ANNUAL_2", "Tahunan": "ANNUAL", "Tidak Tentu": "IRREG"}
ACCESS = {"terbuka": "PUBLIC", "terbatas": "RESTRICTED", "tertutup": "NON_PUBLIC"}


class SatuDataDCATProfile(RDFProfile):
    def graph_from_dataset(self, dataset_dict, dataset_ref):
        g = self.g
        g.bind("sd", SD)

        frekuensi = dataset_dict.get("frekuensi")
        if frekuensi:
            g.remove((dataset_ref, DCT.accrualPeriodicity, None))
            code = FREQUENCIES.get(frekuensi)
            freq = URIRef(FREQUENCY[code]) if code else BNode()
            g.add((dataset_ref, DCT.accrualPeriodicity, freq))
            g.add((freq, RDF.type, DCT.Frequency))
            g.add((freq, SKOS.prefLabel, Literal(frekuensi, lang="id")))

        produsen = dataset_dict.get("produsen_data")
        if produsen:
            publishers = list(g.objects(dataset_ref, DCT.publisher))
            if not publishers:
                publishers = [BNode()]
                g.add((dataset_ref, DCT.publisher, publishers[0]))
            for agent in publishers:
                g.add((agent, RDF.type, FOAF.Agent))
                g.set((agent, FOAF.name, Literal(produsen)))
        walidata = dataset_dict.get("walidata")
        if walidata:
            holder = BNode()
            g.add((dataset_ref, DCT.rightsHolder, holder))
            g.add((holder, RDF.type, FOAF.Agent))
            g.add((holder, FOAF.name, Literal(walidata)))

        start, end = dataset_dict.get("periode_awal"), dataset_dict.get("periode_akhir")
        if start or end or dataset_dict.get("periode"):
            for old in list(g.objects(dataset_ref, DCT.temporal)):
                g.remove((dataset_ref, DCT.temporal, old))
                g.remove((old, None, None))
            period = BNode()
            g.add((dataset_ref, DCT.temporal, period))
            g.add((period, RDF.type, DCT.PeriodOfTime))
            self._add_date_triple(period, DCAT.startDate, start)
            self._add_date_triple(period, DCAT.endDate, end)
            if dataset_dict.get("periode"):
                g.add((period, SKOS.prefLabel, Literal(dataset_dict["periode"])))

        kode = dataset_dict.get("kode_wilayah")
        if kode:
            place = BNode()
            g.add((dataset_ref, DCT.spatial, place))
            g.add((place, RDF.type, DCT.Location))
            g.add((place, DCT.identifier, Literal(kode)))
            if dataset_dict.get("cakupan"):
                g.add((place, SKOS.prefLabel, Literal(dataset_dict["cakupan"], lang="id")))

        license_url = dataset_dict.get("license_url")
        if license_url:
            licence = URIRef(license_url)
            g.add((licence, RDF.type, DCT.LicenseDocument))
            if dataset_dict.get("license_title"):
                g.add((licence, DCT.title, Literal(dataset_dict["license_title"])))
            g.set((dataset_ref, DCT.license, licence))
            for distribution in g.objects(dataset_ref, DCAT.distribution):
                g.set((distribution, DCT.license, licence))

        access = ACCESS.get(dataset_dict.get("klasifikasi") or "")
        if access:
            g.set((dataset_ref, DCT.accessRights, URIRef(ACCESS_RIGHT[access])))

        for key in ("tingkat_penyajian", "satuan", "klasifikasi"):
            if dataset_dict.get(key):
                g.add((dataset_ref, SD[key], Literal(dataset_dict[key])))
        self._add_date_triple(dataset_ref, SD.tanggal_validasi, dataset_dict.get("tanggal_validasi"))

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        self.g.bind("sd", SD)
