"""Formula neutralisation of public cells (OWASP CSV injection), issue 15."""
import pytest

from satudata.warehouse.export import neutralise


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x","klik")', "+62812", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_escaped(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["LAKI-LAKI", "32.16.01", "", None, -5, 3.5, 0])
def test_other_cells_and_numbers_are_untouched(cell):
    assert neutralise(cell) == cell
