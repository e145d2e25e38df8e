"""articles page (being built)."""

import streamlit as st

st.title("articles")
st.info("This page is being built.")
