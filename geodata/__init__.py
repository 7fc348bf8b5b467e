"""Reading, writing, validating, converting and storing the data of Renewal Atlas.

The bottom room of the house: it imports no other project package. Formats and the importer
(:mod:`geodata.importing`), the workspace GeoPackage (:mod:`geodata.workspace`), configuration files
(catalogue, indicators, layout), coordinate systems and datums (:mod:`geodata.crs`,
:mod:`geodata.chinacoords`), the project store (:mod:`geodata.stores`) and the one atomic, locked write
(:mod:`geodata.atomic`).
"""
