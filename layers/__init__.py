"""Pure analysis layer: arrays and (Geo)DataFrames in, new objects out, in a metric CRS (metres).

Modules: coverage (service circles), network (walking distances), screening (renewal candidates),
siting (facility location), healthcheck (城市体检), layout (一圈两带四群), parcels (filters), pipelines
(workspace → models) and crs (CRS helpers). No file I/O, no map drawing, no Streamlit.
"""
