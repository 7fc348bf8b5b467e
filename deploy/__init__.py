"""Serving Renewal Atlas beyond one process: N Streamlit replicas behind nginx (see cluster.py)."""
