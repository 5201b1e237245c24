"""Check part-b rows: enums (schema.py + NK additions), qualifier bounds, figure in quote, quote <= 40 words,
quote verbatim in the stored text (exact, after header lines), readable bounds, ids, dates."""
import csv, re, sys, os, datetime
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
from crisisboard.data import schema
from crisisboard.data.numbers import readable_numbers
HERE = os.path.dirname(os.path.abspath(__file__))
D = sys.argv[1] if len(sys.argv) > 1 else HERE
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared", "sources-nk2020")
METRICS = tuple(m for m in schema.METRICS if m != "refugees_uzbekistan") + ("refugees_crossed",)
POPS = schema.POPULATIONS + ("armenian_military", "azerbaijani_military", "armenian_civilians", "azerbaijani_civilians")
PLACES = set("armenia azerbaijan nagorno_karabakh stepanakert shusha ganja barda tartar hadrut martuni goris yerevan baku mingachevir aghdam fuzuli beylagan naftalan gashalty".split())
errs = []
def err(where, msg): errs.append(f"{where}: {msg}")
src = list(csv.DictReader(open(os.path.join(D, "sources.csv"), encoding="utf-8")))
cl = list(csv.DictReader(open(os.path.join(D, "claims.csv"), encoding="utf-8")))
assert tuple(cl[0].keys()) == schema.CLAIM_COLUMNS + ("destination",), list(cl[0].keys())
assert tuple(src[0].keys()) == schema.SOURCE_COLUMNS
bodies, pub = {}, {}
for i, s in enumerate(src, 2):
    w = f"sources.csv:{i}"
    if not schema.SLUG_RE.match(s["source_id"]): err(w, "bad source_id")
    if s["publisher_type"] not in schema.PUBLISHER_TYPES: err(w, "publisher_type")
    if s["published_precision"] not in schema.PRECISION_PUBLISHED: err(w, "published_precision")
    if not schema.LANG_RE.match(s["language"]): err(w, "language")
    if not schema.DATE_RE.match(s["published"]): err(w, "published")
    if not s["source_id"] == s["corpus_file"][:-4][:64]: err(w, "source_id vs corpus_file")
    text = open(os.path.join(CORPUS, s["corpus_file"]), encoding="utf-8").read()
    head, body = text.split("\n", 4)[:4], text.split("\n", 4)[4]
    if head[0] != "URL: " + s["url"]: err(w, f"url differs from corpus header {head[0]!r}")
    idx_date = head[3][6:]
    if not idx_date.startswith(s["published"]) and s["published_precision"] == "exact": err(w, f"published {s['published']} vs DATE {idx_date}")
    if (idx_date.startswith("c.") or "unknown" in idx_date) and s["published_precision"] != "inferred": err(w, "should be inferred")
    bodies[s["source_id"]] = body; pub[s["source_id"]] = s["published"]
    for f in ("title", "notes", "publisher"):
        if s[f][:1] in schema.FORMULA_START or schema.CONTROL_RE.search(s[f]): err(w, f"{f} formula/control")
ids = set()
for i, c in enumerate(cl, 2):
    w = f"claims.csv:{i} {c['claim_id']}"
    if c["claim_id"] in ids: err(w, "dup claim_id")
    ids.add(c["claim_id"])
    if not re.fullmatch(r"c\d{3}-\d{2}", c["claim_id"]) or c["claim_id"][1:4] != c["source_id"][:3]: err(w, "claim_id pattern")
    if c["source_id"] not in bodies: err(w, "unknown source_id"); continue
    for f, allowed in (("metric", METRICS), ("population", POPS), ("qualifier", schema.QUALIFIERS), ("as_of_precision", schema.AS_OF_PRECISION),
                       ("claimant_type", schema.CLAIMANT_TYPES), ("status_in_text", schema.STATUSES), ("claim_kind", schema.CLAIM_KINDS),
                       ("scope", schema.SCOPES), ("source_reliability", schema.RELIABILITY), ("info_credibility", schema.CREDIBILITY)):
        if c[f] not in allowed: err(w, f"{f}={c[f]!r} not allowed")
    if c["vague_term"] and c["vague_term"] not in schema.VAGUE_TERMS: err(w, "vague_term")
    if (c["qualifier"] == "vague") != bool(c["vague_term"]): err(w, "vague_term iff vague")
    if c["place_id"] not in PLACES: err(w, f"place_id {c['place_id']} not in the agreed list")
    if not schema.SLUG_RE.match(c["statement_id"]) or not c["statement_id"].startswith("st-"): err(w, "statement_id")
    q, lo, hi = c["qualifier"], c["low"], c["high"]
    ok = {"exact": lo and hi and lo == hi, "about": lo and hi and lo == hi, "at_least": lo and not hi, "more_than": lo and not hi,
          "up_to": hi and not lo, "fewer_than": hi and not lo, "between": lo and hi and int(lo) <= int(hi), "vague": not lo and not hi}[q]
    if not ok: err(w, f"bounds {lo!r}/{hi!r} do not fit {q}")
    for b in (lo, hi):
        if b and int(b) not in readable_numbers(c["figure_text"]) and int(b) not in readable_numbers(c["quote"]): err(w, f"bound {b} not readable")
    if c["figure_text"] not in c["quote"]: err(w, "figure_text not in quote")
    if len(c["quote"].split()) > schema.MAX_QUOTE_WORDS: err(w, f"quote has {len(c['quote'].split())} words")
    if c["quote"] not in bodies[c["source_id"]]: err(w, "quote not verbatim in stored body")
    if (c["metric"] == "refugees_crossed") != bool(c["destination"]): err(w, "destination iff refugees_crossed")
    if c["destination"] and not schema.COUNTRY_RE.match(c["destination"]): err(w, "destination")
    if not schema.DATETIME_RE.match(c["as_of"]): err(w, "as_of format")
    if c["as_of"][:10] > pub[c["source_id"]]: err(w, f"as_of {c['as_of']} after published {pub[c['source_id']]}")
    if c["as_of_precision"] == "restated" and c["as_of"] != pub[c["source_id"]]: err(w, "restated as_of must be published")
    if c["scope"] == "partial" and not c["notes"].strip(): err(w, "partial without notes")
    if c["claimant_type"] == "unknown" and c["source_reliability"] != "F": err(w, "unknown claimant graded above F")
    for f in ("quote", "claimant", "relayed_by", "grade_rationale", "notes", "figure_text"):
        if c[f][:1] in schema.FORMULA_START: err(w, f"{f} starts like a formula")
        if (schema.CONTROL_BUT_LINES_RE if f == "notes" else schema.CONTROL_RE).search(c[f]): err(w, f"{f} control char")
    for f, lim in (("quote", 600), ("grade_rationale", 600), ("relayed_by", 600), ("notes", 2000), ("claimant", 200)):
        if len(c[f]) > lim: err(w, f"{f} longer than {lim}")
# statements: shared metric, claimant, kind, place, scope
from collections import defaultdict
g = defaultdict(set)
for c in cl:
    g[c["statement_id"]].add((c["metric"], c["claimant"], c["claim_kind"], c["place_id"], c["scope"], c["low"], c["high"]))
for k, v in g.items():
    if len(v) > 1: err(k, f"statement rows differ: {v}")
print("\n".join(errs) or f"OK: {len(src)} sources, {len(cl)} claims, {len({c['source_id'] for c in cl})} texts with claims")
sys.exit(1 if errs else 0)
