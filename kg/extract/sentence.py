"""One sentence as the rules see it: tokens, entities, values placed on tokens, hedges.

Rules ask questions of a :class:`Sent` ("the subject of this verb as an organisation",
"the names listed after this token", "the money nearest this trigger that is not a
valuation") so that every pattern family reads roles the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from kg.extract import normalize
from kg.extract.mentions import ORG, PER, ArticleContext, Ent

__all__ = ["Sent", "Value", "Draft"]

_LIST_SEP = {",", "and", "&", "as", "well", "plus", "also", "including", "along", "with", "or"}
_SUBJ = ("nsubj", "nsubjpass")
_DEAL_NOUNS = {"deal", "transaction", "agreement", "contract", "acquisition", "takeover",
               "offer", "purchase", "stake", "package", "pact", "shares", "deals"}
_PER_SHARE = ("a share", "per share", "apiece", "each", "a piece", "per unit")


@dataclass
class Value:
    start: int  # token index (doc)
    end: int
    value: Any
    char_start: int
    char_end: int


@dataclass
class Draft:
    """A candidate event before merging: roles, the entities behind them, pattern family."""

    type: str
    roles: dict[str, Any]
    family: str
    sent: Sent
    ents: list[Ent] = field(default_factory=list)

    def key_names(self) -> tuple:
        from kg.schema import EVENT_TYPES

        out = []
        for r in EVENT_TYPES[self.type].required:
            v = self.roles.get(r)
            if isinstance(v, list):
                out.append(tuple(sorted(x.casefold() for x in v)))
            elif isinstance(v, str):
                out.append(v.casefold())
            else:
                out.append(repr(v))
        return tuple(out)


def _clause(tok: Token) -> Token:
    """The verb heading the independent clause of ``tok`` (ROOT, or a conjunct with a subject)."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX") and (cur.dep_ == "ROOT" or cur.dep_ == "conj" and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in cur.children)):
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


class Sent:
    """A sentence span with its entities and its money, percent, date and period values."""

    def __init__(self, span: Span, actx: ArticleContext, published: str | None) -> None:
        self.span = span
        self.actx = actx
        self.doc = span.doc
        self.lex = actx.lex
        self.published = published
        self.text = span.text
        self.lower = self.text.lower()
        base = span.start_char
        self.money = self._place(normalize.find_money(self.text), base)
        self.dates = self._place(normalize.find_dates(self.text, published), base)
        self.percents = self._place(normalize.find_percents(self.text), base)
        self.periods = self._place(normalize.find_periods(self.text, published), base)
        self.hedged = any(cue in self.lower for cue in self.lex.hedge_sentence)
        self.ents = [e for e in actx.ents if span.start <= e.start < span.end]

    def _place(self, found: list[tuple[int, int, Any]], base: int) -> list[Value]:
        out = []
        for s, e, v in found:
            cs = self.doc.char_span(base + s, base + e, alignment_mode="expand")
            if cs is None or len(cs) == 0:
                continue
            out.append(Value(cs.start, cs.end, v, base + s, base + e))
        return out

    # ------------------------------------------------------------------ tokens

    def tokens(self) -> Span:
        return self.span

    def ent(self, tok: Token) -> Ent | None:
        return self.actx.ent_at(tok)

    def org(self, tok: Token | None) -> Ent | None:
        if tok is None:
            return None
        return self.actx.resolve(tok, ORG)

    def person(self, tok: Token | None) -> Ent | None:
        if tok is None:
            return None
        return self.actx.resolve(tok, PER)

    def subject(self, verb: Token) -> Token | None:
        """The subject of ``verb``, inherited through xcomp/conj/aux chains ("agreed to buy")."""
        cur: Token | None = verb
        for _ in range(4):
            if cur is None:
                return None
            for c in cur.children:
                if c.dep_ in _SUBJ:
                    if c.lower_ in ("who", "which", "that") and cur.dep_ == "relcl":
                        return cur.head
                    return c
            if cur.dep_ == "ROOT":
                return self._misparsed_subject(cur)
            if cur.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp") and cur.head.i != cur.i:
                cur = cur.head
                if cur.pos_ == "ADP" and cur.head.i != cur.i:  # "Before founding X, she ..."
                    cur = cur.head
            elif cur.dep_ in ("relcl", "acl") and cur.head.i != cur.i:
                return cur.head
            else:
                return None
        return None

    def _misparsed_subject(self, verb: Token) -> Token | None:
        """"In May Quillbyte signed ...": the parser folds a name after a fronted date into
        the preposition's object; a name that ends right before the verb is its subject."""
        for c in verb.children:
            if c.dep_ != "prep" or c.i > verb.i:
                continue
            for g in c.children:
                if g.dep_ != "pobj" or g.i != verb.i - 1:
                    continue
                ent = self.actx.ent_at(g)
                if ent is not None and ent.label in (ORG, PER) and ent.end == verb.i and \
                        ent.start > c.i + 1:
                    return g
        return None

    def children(self, tok: Token, *deps: str) -> list[Token]:
        return [c for c in tok.children if c.dep_ in deps]

    def prep_obj(self, tok: Token, *preps: str) -> list[Token]:
        out = []
        for c in tok.children:
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
                out.extend(g for g in c.children if g.dep_ == "pobj")
        return out

    def conj_all(self, tok: Token) -> list[Token]:
        out = [tok]
        for c in tok.children:
            if c.dep_ in ("conj", "appos") and c.tag_ in ("NNP", "NNPS"):
                out.extend(self.conj_all(c))
            elif c.dep_ == "conj":
                out.extend(self.conj_all(c))
        return out

    def names_from(self, i: int, label: str = ORG, limit: int = 40,
                   skip_lower: int = 5) -> list[Ent]:
        """Names listed from token ``i`` on: "X, Y and Z", allowing descriptors before each.

        A person's title after an organisation ("former Quillbyte chief executive Dana Okafor")
        makes the person the list item.
        """
        doc, end = self.doc, min(self.span.end, i + limit)
        out: list[Ent] = []
        j, skipped = i, 0
        while j < end:
            tok = doc[j]
            ent = self.actx.name_at(tok, label)
            if ent is not None and self._place_descriptor(ent):
                j, skipped = ent.end + 1, 0  # "the Tel Aviv company": a description, no name
                continue
            if ent is not None and ent.label in (label, None, ORG, PER):
                k = ent.end
                # "Quillbyte chief executive Dana Okafor": take the person
                m = k
                while m < end and doc[m].lower_ in self.lex.title_words:
                    m += 1
                if m > k and m < end:
                    nxt = self.actx.ent_at(doc[m])
                    if nxt is not None and nxt.label == PER:
                        ent, k = nxt, nxt.end
                if ent.label is None or label == ORG and ent.label == PER and \
                        ent.end - ent.start == 1 and ent.text not in self.actx.surnames and \
                        not ent.known:  # a one-word "person" in an organisation list
                    ent = Ent(ent.start, ent.end, ent.text, label, ent.canonical, ent.known)
                out.append(ent)
                j, skipped = max(k, j + 1), 0
                continue
            low = tok.lower_
            if low in _LIST_SEP or tok.text in (",", ";", ":"):
                j += 1
                continue
            if (tok.is_lower or tok.tag_ in ("JJ", "NN", "NNS", "DT", "POS", "HYPH")) \
                    and (tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("pobj", "compound"))\
                    and skipped < skip_lower \
                    and (not tok.is_punct or tok.tag_ == "HYPH"):
                j += 1
                skipped += 1
                continue
            break
        return out

    def _place_descriptor(self, ent: Ent) -> bool:
        """A place or nationality naming what kind of company follows: "the Tel Aviv
        company", "the Paris-based startup", "a French chipmaker". Not a participant."""
        doc = self.doc
        if ent.end >= self.span.end or ent.text in self.actx.gaz:
            return False
        head = doc[ent.end]
        return head.lower_ in self.lex.coref_nouns and all(
            doc[t].ent_type_ in ("GPE", "LOC", "NORP") for t in range(ent.start, ent.end))

    def money_values(self, exclude_valuation: bool = True) -> list[Value]:
        out = []
        for v in self.money:
            after = self.doc[v.end:min(v.end + 3, self.span.end)].text.lower()
            if any(after.startswith(p) for p in _PER_SHARE):
                continue
            if exclude_valuation and self.is_valuation(v):
                continue
            out.append(v)
        return out

    def is_valuation(self, v: Value) -> bool:
        """Money that states what a company is worth ("valued at $X", "a $X valuation").

        "a deal valued at $X" and "an agreement worth $X" price the deal, not a company.
        """
        doc, lo = self.doc, self.span.start
        after = doc[v.end:min(v.end + 3, self.span.end)].text.lower()
        if "valuation" in after or "market value" in after or "market cap" in after:
            return True
        for k in range(v.start - 1, max(lo, v.start - 7) - 1, -1):
            t = doc[k]
            low = t.lower_
            prev = doc[k - 1].lower_ if k > lo else ""
            if low in ("raising", "raised", "raise", "for", "paid", "pay", "paying"):
                return False
            if low in ("valued", "worth") and not any(c.dep_ == "dobj" for c in t.children) \
                    and (prev in _DEAL_NOUNS or t.head.lower_ in _DEAL_NOUNS
                         or t.head.head.lower_ in _DEAL_NOUNS):
                return False  # "a deal valued at $X" prices the deal
            if low == "worth":  # "the company is worth $X", not "a deal ... worth $X"
                return prev in ("is", "was", "be", "been", "are", "were", "now") or \
                    t.head.lemma_ == "be" or t.head.lower_ in ("is", "was", "are", "were")
            if low in ("valued", "values", "valuing", "valuation"):
                return True
            if low == "value" and (prev == "market" or k + 1 < v.start
                                   and doc[k + 1].lower_ == "of"):
                return True
            if low in ("cap", "tag") and prev in ("market", "price"):
                return True
        return False

    def valuations(self) -> list[Value]:
        return [v for v in self.money if self.is_valuation(v)]

    def nearest(self, values: list[Value], tok: Token, after_only: bool = False) -> Value | None:
        best, dist = None, 10**9
        for v in values:
            if after_only and v.start < tok.i:
                continue
            d = abs(v.start - tok.i)
            if d < dist:
                best, dist = v, d
        return best

    def date(self, near: Token | None = None) -> str | None:
        """The date nearest ``near``; "since 2019" dates a span, not the event."""
        dates = [d for d in self.dates if d.start == self.span.start or
                 self.doc[d.start - 1].lower_ != "since" and
                 not (d.start - 2 >= self.span.start and self.doc[d.start - 2].lower_ == "since")]
        if near is not None:  # a date inside a clause about an argument dates something else
            own = {a.i for a in near.ancestors} | {near.i}
            home = _clause(near)
            dates = [d for d in dates if not any(
                a.dep_ in ("relcl", "acl") and a.i not in own and a.head.i not in own
                for a in [self.doc[d.start], *self.doc[d.start].ancestors]) and not (
                _clause(self.doc[d.start]).i != home.i and
                "conj" in (_clause(self.doc[d.start]).dep_, home.dep_))]
            # "X, founded in 2019 by Y, who will join Z as head": a relative clause's
            # fact takes its dates from inside that clause only
            rel = next((a for a in [near, *near.ancestors] if a.dep_ == "relcl"), None)
            if rel is not None and not any(c.dep_ == "nsubj" and c.lower_ == "who"
                                           for c in rel.children):
                rel = None  # "..., when it also unveiled X": the main clause dates it
            if rel is not None:
                inside = {t.i for t in rel.subtree}
                dates = [d for d in dates if d.start in inside]
        if not dates:
            return None
        if near is None:
            return dates[0].value
        return self.nearest(dates, near).value  # type: ignore[union-attr]

    # ------------------------------------------------------------------ hedges

    def is_hedged(self, tok: Token, sentence: bool = True) -> bool:
        """Talks, plans, forecasts and hypotheticals governing ``tok`` (or, unless
        ``sentence`` is False, rumour cues anywhere in the sentence)."""
        if self.hedged and sentence:
            return True
        lex = self.lex
        cur = tok
        first_verb = True
        for _ in range(6):
            is_verb = cur.pos_ in ("VERB", "AUX")
            for c in cur.children:
                if c.dep_ == "aux" and c.lower_ in lex.hedge_aux:
                    return True
                if c.dep_ == "neg" and (cur.i == tok.i or is_verb and first_verb):
                    return True
            if is_verb:
                first_verb = False
            if cur.i != tok.i and cur.lower_ in lex.hedge_governors:
                return True
            if cur.dep_ in ("acl", "appos") and cur.head.lower_ in lex.hedge_governors:
                return True  # "in talks to raise"
            if cur.dep_ in ("ROOT", "relcl", "acl", "appos") or cur.head.i == cur.i:
                break
            if cur.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children):
                break  # a coordinated clause with its own subject stands on its own
            cur = cur.head
        return False
