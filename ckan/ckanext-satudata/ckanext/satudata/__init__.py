"""ckanext-satudata: the CKAN extension of Satu Data Bekasi."""
