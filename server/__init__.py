"""Server: the REST API and the portal widget."""
