"""The coordinate reference systems the project stores and analyses in.

Data are stored and displayed in WGS84 longitude/latitude degrees (:data:`DISPLAY_CRS`); distances and
areas are computed in metres in UTM zone 50N (:data:`ANALYSIS_CRS`), never in degrees. ``layers.crs``
re-uses these constants.
"""

from __future__ import annotations

#: Display / storage CRS: WGS84 longitude, latitude in degrees.
DISPLAY_CRS = "EPSG:4326"
#: Metric analysis CRS for Jiangxi: WGS84 / UTM zone 50N (central meridian 117°E), metres.
ANALYSIS_CRS = "EPSG:32650"
