"""Reports: exports without Streamlit (PNG/PDF briefing, XLSX/CSV tables)."""
