"""Flask routes (JSON API, downloads, the PDF): apart from the Dash handlers in callbacks/."""
