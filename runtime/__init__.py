"""What the running app holds (store, dataset, published data), read from inside a request."""
