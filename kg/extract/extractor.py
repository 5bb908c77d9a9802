"""The rule-based extractor: spaCy parse, typed mentions, pattern families, merging.

Per article: the text is cut into pieces under ``chunk_chars`` (offsets kept), parsed with
``nlp.pipe`` (gazetteer ruler before ``ner``, lines as sentences, dotted names kept whole),
then :class:`~kg.extract.mentions.ArticleContext` types and links the names, the trigger
Matcher (built once, :mod:`kg.extract.triggers`) marks which rule families a sentence can
fire, and each family reads drafts from the sentence. Drafts are then merged: investors
named apart join the round before them, a valuation stated with a round or IPO is that
event's role, the same event read twice (headline and body) becomes one, and a role-less
Appointment implied by one with a role is dropped.

Confidence of an event (``Provenance.confidence``) is computed as::

    base[family]                         # how reliable the pattern family is (table below)
    + 0.05 per participant known to the gazetteer (at most +0.10)
    - 0.15 if any role was filled by coreference ("the company", "it", a surname-only
      mention is not counted: it resolves to a full name stated earlier)
    - 0.10 for events read outside the article's main section
    + 0.05 when the same event was read from more than one sentence

clamped to [0.05, 0.99]. The base values are a judgement of each family's reliability,
not a calibrated probability: parse-anchored families (a verb with its subject and object,
a stake, "founded by") score higher than families that rely on adjacency, a later sentence
("attach") or the article's focus.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from kg.config import DEFAULT_MODEL
from kg.extract.gazetteer import Gazetteer, load_gazetteer
from kg.extract.lexicon import load_lexicon
from kg.extract.mentions import ArticleContext
from kg.extract.pipeline import CHUNK_CHARS, add_gazetteer_ruler, chunk_text, load_pipeline
from kg.extract.rules_deals import acquisitions, investments, ipos
from kg.extract.rules_funding import funding, valuations
from kg.extract.rules_misc import financials, launches
from kg.extract.rules_people import appointments
from kg.extract.rules_relations import customers, partnerships, subsidiaries
from kg.extract.sentence import Draft, Sent
from kg.extract.triggers import GATED, build_trigger_matcher, sentence_triggers
from kg.model import Article, ArticleExtraction, Event, Mention, Provenance

__all__ = ["Extractor", "FAMILY_CONFIDENCE"]

log = logging.getLogger(__name__)

FAMILY_CONFIDENCE = {
    "verb": 0.75, "stake": 0.8, "nominal": 0.7, "backed": 0.7, "attach": 0.6, "value": 0.6,
    "title": 0.7, "join": 0.6, "found": 0.8, "lead": 0.6, "participle": 0.55, "deal": 0.65,
    "metric": 0.65, "list": 0.7, "unit": 0.6,
}
_RULES = ((funding, None), (acquisitions, "Acquisition"), (investments, None), (ipos, None),
          (valuations, None), (launches, "ProductLaunch"), (partnerships, "Partnership"),
          (financials, "Financials"), (customers, "Customer"), (subsidiaries, "Subsidiary"),
          (appointments, None))
assert all(gate is None or gate in GATED for _, gate in _RULES)
_LABELS = {"Organization", "Person", "Product"}


class Extractor:
    """Reads AI-industry news into spec-form events; spaCy is loaded once per instance."""

    name = "kg.rules"
    version = "1.0.0"

    def __init__(self, model: str = DEFAULT_MODEL, gazetteer: Gazetteer | None = None,
                 gazetteer_files: Sequence[str | Path] = ()) -> None:
        self.model = model
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer(gazetteer_files)
        if gazetteer is not None and gazetteer_files:
            for entry in load_gazetteer(gazetteer_files, builtin=False):
                self.gazetteer.add(entry)
        self.lexicon = load_lexicon()
        self.chunk_chars = CHUNK_CHARS  # texts longer than this are parsed in pieces
        self.nlp = load_pipeline(model)
        add_gazetteer_ruler(self.nlp, self.gazetteer)
        self.triggers = build_trigger_matcher(self.nlp.vocab, self.lexicon)

    # ------------------------------------------------------------------ API

    def extract(self, article: Article) -> ArticleExtraction:
        """Events and typed mentions of one article."""
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article],
                     batch_size: int = 16) -> Iterator[ArticleExtraction]:
        """Like :meth:`extract` over many articles, parsing with ``nlp.pipe``; same order."""
        def pieces() -> Iterator[tuple[str, tuple[Article, int, int, int]]]:
            for article in articles:
                chunks = list(chunk_text(article.text or "", self.chunk_chars)) or [(0, "")]
                for k, (offset, text) in enumerate(chunks):
                    yield text, (article, offset, k, len(chunks))

        pending: list[tuple[Doc, int]] = []
        for doc, (article, offset, k, total) in self.nlp.pipe(pieces(), as_tuples=True,
                                                               batch_size=batch_size):
            pending.append((doc, offset))
            if k == total - 1:
                yield self._read(article, pending)
                pending = []

    # ------------------------------------------------------------------ internals

    def _read(self, article: Article, docs: list[tuple[Doc, int]]) -> ArticleExtraction:
        drafts: list[Draft] = []
        mentions: list[Mention] = []
        for doc, offset in docs:
            try:
                actx = ArticleContext(doc, self.lexicon, self.gazetteer, offset)
            except Exception:  # noqa: BLE001 - a bad chunk must not lose the article
                log.exception("mention pass failed on %s", article.id)
                continue
            for ent in actx.ents:
                if ent.label in _LABELS:
                    span = doc[ent.start:ent.end]
                    mentions.append(Mention(ent.text, span.start_char + offset,
                                            span.end_char + offset, ent.label,
                                            ent.canonical if ent.canonical != ent.text else None))
            fired = sentence_triggers(self.triggers, doc)
            for sent in doc.sents:
                if not sent.text.strip():
                    continue
                s = Sent(sent, actx, article.published)
                present = fired.get(sent.start, set())
                for rule, gate in _RULES:
                    if gate is not None and gate not in present:
                        continue
                    try:
                        drafts.extend(rule(s))
                    except Exception:  # noqa: BLE001
                        log.exception("rule %s failed on %s", rule.__name__, article.id)
                actx.update_focus(sent)
        events = [self._event(article, d, docs) for d in _postprocess(drafts, self.gazetteer)]
        return ArticleExtraction(article, events, mentions)

    def _event(self, article: Article, d: Draft, docs: list[tuple[Doc, int]]) -> Event:
        offset = next((off for doc, off in docs if doc is d.sent.doc), 0)
        conf = FAMILY_CONFIDENCE.get(d.family, 0.6)
        conf += min(0.1, 0.05 * sum(1 for e in d.ents if e.known))
        if any(e.coref for e in d.ents):
            conf -= 0.15
        if article.section != "main":
            conf -= 0.1
        if d.roles.pop("_merged", False):
            conf += 0.05
        conf = max(0.05, min(0.99, conf))
        span = d.sent.span
        prov = Provenance(article.id, span.text.strip(), span.start_char + offset,
                          span.end_char + offset, self.name, self.version, round(conf, 3))
        types: dict[str, str] = {}
        for e in d.ents:
            if e.label in _LABELS:
                types[e.canonical] = e.label
        roles = {k: v for k, v in d.roles.items() if v not in (None, "", []) and
                 not k.startswith("_")}
        return Event(d.type, roles, prov, types)


# ---------------------------------------------------------------------- merging


def _money_eq(a: Any, b: Any) -> bool:
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    return a.get("currency") == b.get("currency") and \
        abs(a["value"] - b["value"]) <= 0.02 * max(abs(a["value"]), 1)


def _compatible(a: Draft, b: Draft) -> bool:
    for role in ("amount", "valuation"):
        if role in a.roles and role in b.roles and not _money_eq(a.roles[role], b.roles[role]):
            return False
    if a.type == "Appointment":
        ra, rb = (a.roles.get("role") or "").lower(), (b.roles.get("role") or "").lower()
        return ra == rb
    for role in ("round", "period", "metric", "stake"):
        if role in a.roles and role in b.roles and a.roles[role] != b.roles[role]:
            return False
    if a.type in ("FundingRound", "Valuation", "Financials") and \
            ("amount" in a.roles) != ("amount" in b.roles):
        return False
    if a.type == "IPO":
        return True
    if "date" in a.roles and "date" in b.roles and a.roles["date"][:4] != b.roles["date"][:4]:
        return False
    return True


def _merge_into(a: Draft, b: Draft) -> None:
    for k, v in b.roles.items():
        if k == "investors" and v:
            have = a.roles.setdefault("investors", [])
            for x in v:
                if x not in have:
                    have.append(x)
        elif k == "status" and a.type == "IPO" and v:
            order = {"filed": 0, "priced": 1, "listed": 2}
            if order.get(v, -1) > order.get(a.roles.get("status", ""), -1):
                a.roles[k] = v
        elif k not in a.roles or a.roles[k] in (None, "", []):
            a.roles[k] = v
    a.roles["_merged"] = True
    a.ents += [e for e in b.ents if e not in a.ents]


def _postprocess(drafts: list[Draft], gazetteer: Gazetteer | None = None) -> list[Draft]:
    # "raised $X in a round that values it at $Y" is read twice (verb and valuation)
    drafts = [d for d in drafts if not (
        d.type == "FundingRound" and d.family != "attach" and "amount" not in d.roles and any(
            x is not d and x.type == "FundingRound" and "amount" in x.roles
            and x.roles.get("company") == d.roles.get("company") and (
                x.sent is d.sent or _money_eq(x.roles.get("valuation"), d.roles.get("valuation")))
            for x in drafts))]
    out: list[Draft] = []
    last_round: Draft | None = None
    round_sents: set[int] = set()
    ipo_sents: set[int] = set()
    for d in drafts:
        if d.type == "FundingRound" and d.family == "attach":
            if "_company" in d.roles and (last_round is None or d.roles.get("round") !=
                                          last_round.roles.get("round")):
                roles = {k: v for k, v in d.roles.items() if not k.startswith("_")}
                roles["company"] = d.roles["_company"]
                nd = Draft("FundingRound", roles, "attach", d.sent, d.ents)
                out.append(nd)
                last_round = nd
                continue
            if last_round is not None and d.sent.span.start - last_round.sent.span.end < 120:
                names = d.roles["investors"]
                have = last_round.roles.setdefault("investors", [])
                comp = last_round.roles["company"]
                names = [n for n in names if n not in have and n != comp]
                lead = d.roles.get("_lead", 0)
                if lead and last_round.sent is not d.sent:
                    have[:0] = names[:lead]
                    have.extend(names[lead:])
                else:
                    have.extend(names)
            continue
        if d.type == "Investment" and d.roles.get("_attach"):
            prior = next((x for x in reversed(out) if x.type == "Investment" and
                          x.roles.get("investor") == d.roles["investor"]), None)
            if prior is not None and "amount" not in prior.roles:
                prior.roles["amount"] = d.roles["amount"]
            continue
        if d.type == "Financials" and "period" not in d.roles and not any(
                w in d.sent.lower for w in ("annual", "year", "four quarters", "run-rate")):
            prior = next((x for x in reversed(out) if x.type == "Financials" and
                          "-Q" in x.roles.get("period", "")), None)
            if prior is not None:
                d.roles["period"] = prior.roles["period"]
        if d.type == "FundingRound":
            last_round = d
            round_sents.add(d.sent.span.start)
        if d.type == "IPO":
            ipo_sents.add(d.sent.span.start)
        out.append(d)
    ipos = {d.roles["company"]: d for d in out if d.type == "IPO"}
    kept: list[Draft] = []
    for d in out:
        if d.type == "FundingRound" and d.roles.get("company") in ipos and \
                "round" not in d.roles and "shares" in d.sent.lower:
            ipo = ipos[d.roles["company"]]  # "sold 37.5 million shares, raising $1.5 billion"
            if "amount" in d.roles:
                ipo.roles.setdefault("amount", d.roles["amount"])
            continue
        if d.type == "Valuation":
            owners = [x for x in out if x.type in ("FundingRound", "IPO")
                      and x.roles.get("company") == d.roles["company"]]
            if any(_money_eq(x.roles.get("valuation"), d.roles["amount"]) for x in owners):
                continue
        if d.type == "Partnership" and any(
                x.type in ("Acquisition", "FundingRound", "IPO") and x.sent is d.sent
                for x in out):
            continue
        kept.append(d)
    def canon(name: str) -> str:
        entry = gazetteer.lookup(name) if gazetteer is not None else None
        return (entry.name if entry is not None else name).casefold()

    def key(d: Draft) -> tuple:
        return (d.type, tuple(tuple(canon(x) for x in k) if isinstance(k, tuple) else
                              canon(k) if isinstance(k, str) else k for k in d.key_names()))

    merged: list[Draft] = []
    for d in kept:
        k = key(d)
        target = next((m for m in merged if key(m) == k and _compatible(m, d)), None)
        if target is None:
            merged.append(d)
        else:
            _merge_into(target, d)
    # an Appointment without a role is implied by one with a role for the same pair
    with_role = {(d.roles["person"].casefold(), d.roles["organization"].casefold())
                 for d in merged if d.type == "Appointment" and d.roles.get("role")}
    # "co-founder" already says "founder" ("X, the co-founder, started it with Y")
    cofounders = {(d.roles["person"].casefold(), d.roles["organization"].casefold())
                  for d in merged if d.type == "Appointment" and d.roles.get("role") ==
                  "co-founder"}
    return [d for d in merged if not (
        d.type == "Appointment" and not d.roles.get("role") and
        (d.roles["person"].casefold(), d.roles["organization"].casefold()) in with_role) and
        not (d.type == "Appointment" and d.roles.get("role") == "founder" and
             (d.roles["person"].casefold(), d.roles["organization"].casefold()) in cofounders)]
