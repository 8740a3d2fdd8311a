"""The Streamlit pages (scripts Streamlit runs; not imported)."""
