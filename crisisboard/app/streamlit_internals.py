"""The one door to Streamlit's internals.

Streamlit still discovers a folder named pages/ the old way: until ``st.navigation`` has run once in the
process, the first visit to /map or /sources runs that file alone, with the old navigation. Its private
``PagesManager.uses_pages_directory`` flag is what st.navigation itself clears. ``tests/test_internals.py``
pins the Streamlit version this was written for and checks that the flag still exists.
"""

from __future__ import annotations

import streamlit as st

WRITTEN_FOR = "1.67.0"  # streamlit, as pinned in constraints.txt


def leave_legacy_multipage_mode() -> None:
    """Run the page through dashboard.py's router even when it was opened by its own URL first: clearing the
    flag and rerunning makes Streamlit run dashboard.py, which routes to the page that was asked for."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without it has no legacy mode to leave
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
