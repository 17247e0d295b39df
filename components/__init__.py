"""Pure layout builders: data in, Dash components and figures out. No data access here."""
