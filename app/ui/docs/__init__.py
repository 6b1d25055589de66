"""The Documents page: collections of the user's files, indexed in the background for chat with your documents.

| module | what it holds |
| --- | --- |
| `docs_page.py` | `DocsPage`: the collections (left), what the user does with them, ``collections_changed`` |
| `collection_view.py` | the right side: one collection's sources, documents, progress and the Index now / Pause button |
| `docs_models.py` | the Qt models of the three tables, and the sentences: a document's status, progress, a run's end |
| `indexing.py` | `IndexRuns`: one indexing run at a time on the page's task runner, the others waiting their turn |
| `index_job.py` | what runs on the runner's threads: a collection's state, removals, `IndexJob` (pause, progress) |
| `new_collection_dialog.py` | the "New collection" dialog: a name and an embedding model from the library |
"""
