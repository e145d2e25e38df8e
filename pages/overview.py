"""Overview: TSLA's daily price with the news events flagged on it."""

import streamlit as st

from eventlens.figures.price import price_figure
from ui import cache
from ui.frame import source_notice

st.title("TSLA price and China vehicle-data news")
result = cache.price_result("TSLA")
source_notice([result])
st.plotly_chart(price_figure(result.frame, "TSLA", result.source), key="overview_price")
