"""Static, versioned, citable editions of a crisis's approved data (``python -m crisisboard publish``; issue #32).

`tables` turns the approved data into the edition's data files (CSV with an HXL row, JSON, Parquet), `pages`
writes its HTML (every text escaped, only http(s) links, no outside request) and `edition` numbers editions,
writes their manifest, changes and Atom feed, and moves them into place atomically."""
