"""Static, versioned, citable editions of a crisis's approved data (``python -m crisisboard publish``; issue #32).

`tables` turns the approved data into the edition's data files (CSV with an HXL row, JSON, Parquet), `pages`
writes its HTML (every text escaped, only http(s) links, no outside request), `charts`, `chart_pages` and
`chart_files` its charts (the app's views, each with its page, embed page, PNG, SVG, CSV and JSON, and
charts.json; `static/charts.js` draws them with the edition's own plotly.min.js), `citations` how to cite a page
(text, BibTeX, CSL-JSON), and `edition` numbers editions, writes their manifest, changes and Atom feed, and moves
them into place atomically."""
