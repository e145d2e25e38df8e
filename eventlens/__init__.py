"""eventlens: regulatory news next to stock moves.

The core package is plain Python (pandas, numpy, plotly): it never imports
Streamlit, so the same code serves the app, the command line, tests and
benchmarks.
"""

__version__ = "0.1.0"
