"""Bring your own data: read safely, recognise encoding, CRS and datum, map fields, validate, import.

One module per job — :mod:`~geodata.importing.safety` (size cap, zip checks),
:mod:`~geodata.importing.uploads` (storing uploads), :mod:`~geodata.importing.readers` (formats),
:mod:`~geodata.importing.encoding` (UTF-8 / GBK), :mod:`~geodata.importing.crsguess` (CRS inference),
:mod:`~geodata.importing.datum` (GCJ-02 / BD-09 → WGS84), :mod:`~geodata.importing.mapping` (fields,
categories, saved mappings), :mod:`~geodata.importing.conform` (conform, validation report, repair) and
:mod:`~geodata.importing.commit` (atomic import into the user workspace). The names callers use are
re-exported here.
"""

from __future__ import annotations

from geodata.importing.commit import (
    MATCH_TOLERANCE_M,
    CommitResult,
    commit,
    commit_import,
    user_workspace_path,
)
from geodata.importing.conform import attach_areas, bad_row_problems, conform, repair, validation_report
from geodata.importing.crsguess import infer_crs
from geodata.importing.datum import DATUMS, apply_datum, datum_hint
from geodata.importing.encoding import decode_text, detect_dbf_encoding
from geodata.importing.mapping import (
    CATEGORY_SYNONYMS,
    TARGETS,
    load_saved_mapping,
    map_categories,
    mapping_path,
    save_mapping,
    suggest_mapping,
)
from geodata.importing.readers import COORD_PAIRS, ReadResult, read_any, read_vector, table_to_gdf
from geodata.importing.safety import DEFAULT_MAX_BYTES, MAX_UNZIPPED_FACTOR, check_archive, max_upload_bytes
from geodata.importing.uploads import UPLOAD_SUFFIXES, store_upload

__all__ = [
    "CATEGORY_SYNONYMS",
    "MATCH_TOLERANCE_M",
    "CommitResult",
    "COORD_PAIRS",
    "DATUMS",
    "DEFAULT_MAX_BYTES",
    "MAX_UNZIPPED_FACTOR",
    "TARGETS",
    "UPLOAD_SUFFIXES",
    "ReadResult",
    "apply_datum",
    "attach_areas",
    "bad_row_problems",
    "check_archive",
    "commit",
    "commit_import",
    "conform",
    "datum_hint",
    "decode_text",
    "detect_dbf_encoding",
    "infer_crs",
    "load_saved_mapping",
    "map_categories",
    "mapping_path",
    "max_upload_bytes",
    "read_any",
    "read_vector",
    "repair",
    "save_mapping",
    "store_upload",
    "suggest_mapping",
    "table_to_gdf",
    "user_workspace_path",
    "validation_report",
]
