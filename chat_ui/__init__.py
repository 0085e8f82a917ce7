"""Parts of the Streamlit chat page (app.py) that are not Streamlit calls: the ranking list's
markup and the script that puts Streamlit's own English texts into Chinese."""
