"""The managers' reports on screen and on paper: charts, the store and region views, the PDF."""
