"""Reports and figures: diagrams and tables built from water analyses (plotly only)."""
