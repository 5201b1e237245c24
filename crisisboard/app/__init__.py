"""The Streamlit glue: the only part of crisisboard that imports streamlit."""
