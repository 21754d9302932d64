"""`medlint lsp`: the checker as a language server, so that authors see findings as they type.

Only `medlint lsp` imports this package: pygls and lsprotocol (the `lsp` extra) cost ~0.6 s to import,
which the pre-commit hook must not pay. The modules below the server are plain functions of a document's
text, so that they are tested without a client:

- `text`: positions, in the client's units, and the edits that turn one text into another;
- `analysis`: one buffer linted exactly as `medlint check` lints the file (config, drug folder, baseline);
- `diagnostics`, `actions`, `help`: findings, fixes and suppressions, hovers and completions as LSP values;
- `outline`: where the cursor stands in the record, read from indentation so that half-typed text works;
- `server`: the pygls wiring (debounce, open documents, watched files).
"""
