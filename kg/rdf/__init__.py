"""The RDF stage: vocabulary (namespace), IRIs (iris), mapping of resolved articles to
per-article named graphs (mapping), provenance queries (provenance), SHACL validation
(validate) and the store backends (store).

Submodules are imported where needed, so importing ``kg.rdf.store`` stays light.
"""

__all__: list[str] = []
