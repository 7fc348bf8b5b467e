"""What-if attribution: which residents each proposed site newly serves (its catchment).

Pure functions over a baseline :class:`layers.coverage.CoverageModel` and the
:class:`layers.coverage.ScenarioResult` of adding sites to it (straight-line mode: a resident is attributed
to the added site that is its nearest facility after the change). Distances in metres (metric CRS).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.coverage import CoverageModel, ScenarioResult


def site_catchments(
    base: CoverageModel, result: ScenarioResult, ftype: str
) -> tuple[pd.DataFrame, np.ndarray]:
    """Split the residents newly served by a what-if among its added sites of one type.

    Parameters
    ----------
    base : layers.coverage.CoverageModel
        The model before the change.
    result : layers.coverage.ScenarioResult
        :func:`layers.coverage.scenario` applied to ``base``.
    ftype : str
        The facility type whose added sites are attributed.

    Returns
    -------
    per_site : pandas.DataFrame
        One row per added site of ``ftype`` in the order added: ``facility_id`` ("NEW-k"),
        ``newly_served`` (residents). In network mode the nearest facility is not tracked, so every site's
        ``newly_served`` is NaN (the total is still in ``result.delta``).
    site_of_cell : numpy.ndarray
        Shape (n,) int: for each resident point, the position (0-based, among the added sites of ``ftype``)
        of the site that newly serves it, else -1.

    Raises
    ------
    ValueError
        If ``ftype`` is not computed in the model.
    """
    if ftype not in base.distance_m:
        raise ValueError(f"facility type {ftype!r} is not in the coverage model")
    added = result.added
    ids = added.loc[added["type"] == ftype, "facility_id"].astype(str).tolist() if len(added) else []
    site_of_cell = np.full(len(base.population), -1, dtype=np.int64)
    if not ids:
        return pd.DataFrame({"facility_id": [], "newly_served": []}), site_of_cell
    before = base.served(ftype)
    after = result.model.served(ftype)
    newly = after & ~before
    if base.mode == "network":
        return pd.DataFrame({"facility_id": ids, "newly_served": np.nan}), site_of_cell
    fac = result.model.facilities
    n_existing = int((fac["type"] == ftype).sum()) - len(ids)  # added sites come after the existing ones
    nearest = result.model.nearest[ftype]
    pos = nearest - n_existing
    mask = newly & (pos >= 0) & (pos < len(ids))
    site_of_cell[mask] = pos[mask]
    served = np.bincount(pos[mask], weights=base.population[mask], minlength=len(ids))
    return pd.DataFrame({"facility_id": ids, "newly_served": served}), site_of_cell
