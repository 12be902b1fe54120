"""The published site: the page generator and the MkDocs plugin over it."""
