"""One module per document kind; each calls `finsam.documents.blocks.register(Kind(...))` when
imported. `DocumentsConfig.ready()` imports every module here, so adding a kind is adding a file."""
