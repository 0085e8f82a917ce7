"""Parts of the Streamlit chat page (app.py) that are not Streamlit calls: the markup of the
lists and tables that must read on a phone (ranking, cited rows, an upload's tables) and the
script that puts Streamlit's own English texts into Chinese."""
