"""Life circles as planners report them: items reached (0–n) and the per-item coverage table.

The strict figure (:meth:`layers.coverage.CoverageModel.circle_served`: a resident is served only when
*every* item of the circle is within its radius) stays; next to it, 城市体检 reports count how many of the
circle's items each resident reaches and give the coverage of each item. Population-weighted; distances
and radii in metres from the coverage model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.coverage import CoverageModel


def circle_items(model: CoverageModel, circle: str) -> list[str]:
    """List the facility types of a life circle that the model computed.

    Parameters
    ----------
    model : layers.coverage.CoverageModel
        The coverage model.
    circle : str
        "5min", "10min" or "15min".

    Returns
    -------
    list of str
        Catalogue type keys of the circle present in ``model.distance_m``.

    Raises
    ------
    ValueError
        If no type of the circle is in the model.
    """
    items = [k for k in model.catalogue.circle_types(circle) if k in model.distance_m]
    if not items:
        raise ValueError(f"no facility type of the {circle!r} circle is in the coverage model")
    return items


def items_reached(model: CoverageModel, circle: str) -> np.ndarray:
    """Count, per resident point, the items of a life circle within their radii.

    Parameters
    ----------
    model : layers.coverage.CoverageModel
        The coverage model.
    circle : str
        "5min", "10min" or "15min".

    Returns
    -------
    numpy.ndarray
        Shape (n,) int, 0 … number of items of the circle.
    """
    return np.sum([model.served(k) for k in circle_items(model, circle)], axis=0).astype(np.int64)


def reached_distribution(model: CoverageModel, circle: str) -> pd.DataFrame:
    """Residents by number of circle items reached (0 … n), city-wide.

    Returns
    -------
    pandas.DataFrame
        One row per count 0 … n: ``items`` (int), ``population`` (residents) and ``share`` (0…1).
    """
    n = len(circle_items(model, circle))
    counts = items_reached(model, circle)
    pop = np.bincount(counts, weights=model.population, minlength=n + 1)
    total = pop.sum()
    return pd.DataFrame(
        {"items": np.arange(n + 1), "population": pop, "share": pop / total if total else np.zeros(n + 1)}
    )


def mean_items_by(model: CoverageModel, circle: str, *, by: str) -> pd.DataFrame:
    """Population-weighted mean number of circle items reached, per group (e.g. per community).

    Parameters
    ----------
    model : layers.coverage.CoverageModel
        The coverage model.
    circle : str
        "5min", "10min" or "15min".
    by : str
        A group column of ``model.groups`` (``community_id``, ``district_adcode``).

    Returns
    -------
    pandas.DataFrame
        Indexed by the group key: ``population``, ``mean_items`` (0 … n), ``all_items_share`` (0…1, share
        of residents reaching every item) and ``n_items``.
    """
    counts = items_reached(model, circle)
    n = len(circle_items(model, circle))
    df = pd.DataFrame(
        {
            "key": model.groups[by].to_numpy(),
            "population": model.population,
            "weighted": model.population * counts,
            "all": model.population * (counts == n),
        }
    )
    g = df.groupby("key").sum()
    safe = g["population"].where(g["population"] > 0)
    out = pd.DataFrame(
        {
            "population": g["population"],
            "mean_items": (g["weighted"] / safe).fillna(0.0),
            "all_items_share": (g["all"] / safe).fillna(0.0),
        }
    )
    out["n_items"] = n
    out.index.name = by
    return out


def item_table(model: CoverageModel, circle: str) -> pd.DataFrame:
    """Coverage of each item of a life circle (the table 城市体检 reports use).

    Returns
    -------
    pandas.DataFrame
        One row per item: ``type``, ``radius_m`` (metres), ``served_pop`` (residents), ``served_share``
        (0…1), ``mode``.
    """
    total = float(model.population.sum())
    rows = []
    for k in circle_items(model, circle):
        served = float(model.population[model.served(k)].sum())
        rows.append(
            {
                "type": k,
                "radius_m": model.radius_m(k),
                "served_pop": served,
                "served_share": served / total if total else 0.0,
                "mode": model.mode,
            }
        )
    return pd.DataFrame(rows)
