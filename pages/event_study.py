"""event_study page (being built)."""

import streamlit as st

st.title("event_study")
st.info("This page is being built.")
