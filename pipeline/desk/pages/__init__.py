"""The desk's pages, one module each; app.py routes to them."""
