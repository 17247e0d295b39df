"""Event handlers: plain functions that read inputs, ask the domain and return plain values.

The `@callback` wrappers live in the page modules (Dash re-imports pages for every app, which
re-registers them); each wrapper only calls a function here, which the tests call directly.
"""
