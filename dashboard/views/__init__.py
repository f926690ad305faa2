"""Pages of the dashboard, declared in ``dashboard/app.py`` with ``st.Page``."""
