"""Pure pieces of the fast extract routes: parameter binding and the COPY stream adapter."""
import io

from satudata.sources.common import bind
from satudata.sources.postgres import _CopyStream


def test_bind_turns_named_parameters_into_driver_style_and_keeps_casts_and_percent():
    query, used = bind("SELECT x::int, '50%' AS p, CAST(:tahun AS integer) FROM t WHERE a = :a AND b = :a",
                       {"tahun": 2024, "a": "x", "unused": 1})
    assert query == "SELECT x::int, '50%%' AS p, CAST(%(tahun)s AS integer) FROM t WHERE a = %(a)s AND b = %(a)s"
    assert used == {"tahun": 2024, "a": "x"}


def test_bind_leaves_unknown_names_for_the_database_to_report():
    assert bind("SELECT :missing", {})[0] == "SELECT :missing"


def test_copy_stream_reads_rows_as_one_file():
    rows = [f"{i},baris {i}\n".encode() for i in range(2500)]
    stream = io.BufferedReader(_CopyStream(rows, rows_per_block=1000), buffer_size=4096)
    assert stream.read() == b"".join(rows)


def test_row_groups_gather_batches_and_flush_the_rest():
    import pyarrow as pa

    from satudata.sources.postgres import _RowGroups

    class Writer:
        def __init__(self):
            self.tables = []

        def write_table(self, table):
            self.tables.append(table)

    writer = Writer()
    out = _RowGroups(writer, rows=5)
    for start in range(0, 12, 3):  # four batches of 3 rows: written as 6 + 6
        out.write_batch(pa.record_batch([pa.array(range(start, start + 3))], names=["n"]))
    out.flush()
    out.flush()  # nothing pending: nothing written
    assert [t.num_rows for t in writer.tables] == [6, 6]
    assert pa.concat_tables(writer.tables).column("n").to_pylist() == list(range(12))
