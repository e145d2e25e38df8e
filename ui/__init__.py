"""Streamlit-side helpers: caching and the page frame. Everything else is in eventlens."""
