"""``kg serve``: the knowledge graph as a SPARQL 1.1 Protocol endpoint with a query page.

``serve(store, ...)`` blocks; ``make_server(store, ...)`` returns a server to run in a
thread (tests, notebooks). See kg.server.app for the routes and the safety rules.
"""

from kg.server.app import SparqlServer, make_server, named_examples, serve

__all__ = ["serve", "make_server", "SparqlServer", "named_examples"]
