"""Cartography: everything drawn on a map (base maps, layer builders, legends, print frames); no Streamlit."""
