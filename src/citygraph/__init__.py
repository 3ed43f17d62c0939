"""citygraph: a knowledge graph of international municipal relations."""
