"""Any bytes under any accepted suffix give our error (a clear message), never another exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.errors import DataValidationError
from geodata.importing import read_any

SUFFIXES = [".geojson", ".json", ".kml", ".gpkg", ".shp", ".dxf", ".zip", ".csv", ".txt", ".xlsx", ".gdb"]
HEADS = [b"", b"0\nSECTION\n", b"{", b"<kml>", b"PK\x03\x04", b"SQLite format 3\x00", b"\x00\x00\x27\x0a"]


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from(HEADS), body=st.binary(max_size=300))
def test_random_content_raises_only_our_error(tmp_path, suffix, head, body):
    path = tmp_path / f"f{suffix}"
    path.write_bytes(head + body or b"x")
    try:
        read_any(path)
    except DataValidationError as err:
        assert err.problems and err.problems[0].problem
