"""Deals between companies: Acquisition, Investment, IPO.

Pattern families (names used by the confidence table):

- ``verb``: a trigger verb with its subject and object from the parse ("X agreed to buy Y",
  "Y was acquired by X", "X invested $Y in Z", "the $Y X paid for Z").
- ``nominal``: a trigger noun with its possessor and "of"/"by" phrases ("X's acquisition
  of Y", "the pending purchase of Y", "Quillbyte's $2B investment in Lumora", "its IPO").
- ``stake``: "a 49% stake in Y" with the buyer as the governing verb's subject (or the
  "to" of a sale).
- ``backed``: "X-backed Y", "Y's largest backer X".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.mentions import ORG, PER, Ent
from kg.extract.rules_common import IPO_RX, nearest_left_org, subject_org
from kg.extract.sentence import Draft, Sent, Value

__all__ = ["acquisitions", "investments", "ipos"]

# ---------------------------------------------------------------- acquisitions


def _status_verb(s: Sent, tok: Token) -> str | None:
    heads = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass", "advmod")}
    cur = tok
    while cur.dep_ in ("xcomp", "aux", "ccomp") and cur.head.i != cur.i:  # "agreed to buy"
        cur = cur.head
        heads.add(cur.lower_)
    if heads & {"completed", "completes", "complete", "closed", "closes", "finalized"}:
        return "completed"
    if heads & {"agreed", "agrees", "agree", "pending", "signed", "will", "to"}:
        return "agreed"
    if tok.tag_ in ("VBD", "VBN"):
        return "completed"
    if tok.tag_ in ("VB", "VBZ", "VBG"):
        return "agreed"
    return None


_COLLAPSED = ("abandoned", "collapsed", "fell apart", "called off", "terminated", "scrapped",
              "blocked", "rejected", "walked away", "fell through")


def acquisitions(s: Sent) -> Iterator[Draft]:
    lex = s.lex
    if any(w in s.lower for w in _COLLAPSED):
        return  # rejected bids and collapsed deals are not events
    for tok in s.span:
        low = tok.lower_
        targets: list[Ent] = []
        acquirer: Ent | None = None
        family = "verb"
        prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        phrasal = prt is not None and (low, prt) in lex.phrasal["Acquisition"]
        if (low in lex.verbs["Acquisition"] or phrasal) and tok.pos_ == "VERB" and low not in (
                "completes", "completed", "complete", "closes", "closed", "close"):
            objs = s.children(tok, "dobj")
            agents = s.prep_obj(tok, "by")
            if not objs and agents and tok.tag_ == "VBN":  # "Y was acquired by X"
                passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
                if passive is None and tok.dep_ == "acl":
                    passive = tok.head
                tgt = s.org(passive) if passive is not None else None
                acq = s.org(agents[0])
                if tgt is None or acq is None or tgt.label != ORG or acq.label != ORG \
                        or s.is_hedged(tok):
                    continue
                yield from _acq_drafts(s, tok, acq, [tgt], "verb", _status_verb(s, tok))
                continue
            if not objs:
                continue
            if any(t.lower_ in ("stake", "shares", "stock", "%", "percent") for t in
                   objs[0].subtree):
                continue
            first = min(t.i for t in objs[0].subtree)
            last = max(t.i for t in objs[0].subtree)
            # "buy chips from Y" buys goods, not Y: the target lies inside the object
            targets = [e for e in s.names_from(first) if e.label == ORG and not any(
                t.pos_ == "ADP" and t.lower_ != "of" for t in s.doc[first:e.start]) and (
                e.start <= last or not any(t.pos_ == "ADP" for t in s.doc[last:e.start]))]
            if not targets:
                ent = s.org(objs[0])
                targets = [ent] if ent is not None and ent.label == ORG else []
            acquirer = subject_org(s, tok) or nearest_left_org(s, tok.i)
        elif low in ("paid", "pays", "pay", "paying") and tok.pos_ == "VERB":
            # "the $900 million Quillbyte paid for Tessaract in 2019"
            fors = [p for p in s.prep_obj(tok, "for") if p.lower_ not in ("stake", "shares")]
            targets = [e for e in (s.org(p) for p in fors) if e is not None and e.label == ORG
                       and not e.coref]
            acquirer = subject_org(s, tok)
            left = s.actx.ent_at(s.doc[tok.i - 1]) if tok.i > s.span.start else None
            if acquirer is None and left is not None and left.label == ORG:
                acquirer = left  # "the $900 million Quillbyte paid for Tessaract"
        elif low in lex.nouns["Acquisition"] and tok.pos_ in ("NOUN", "PROPN"):
            family = "nominal"
            for p in s.prep_obj(tok, "of"):
                ent = s.org(p)
                if ent is not None and ent.label == ORG:
                    targets = [ent]
            for c in tok.children:
                if c.dep_ == "poss":
                    acquirer = s.org(c)
            for p in s.prep_obj(tok, "by"):
                acquirer = s.org(p)
            if (acquirer is None or acquirer.coref) and tok.dep_ in ("dobj", "nsubj"):
                acquirer = subject_org(s, tok.head) or acquirer
            if acquirer is None and targets and any(
                    c.lower_ in ("pending", "planned", "completed", "proposed")
                    for c in tok.children):  # "pointed to the pending purchase of X"
                ctx = s.actx.context_org()
                if ctx and ctx != targets[0].canonical:
                    acquirer = Ent(tok.i, tok.i + 1, ctx, ORG, ctx, False, True)
        else:
            continue
        if not targets or acquirer is None or acquirer.label != ORG:
            continue
        if s.is_hedged(tok):
            continue
        status = _status_verb(s, tok) if family == "verb" else _nominal_status(s, tok)
        yield from _acq_drafts(s, tok, acquirer, targets, family, status)


def _acq_drafts(s: Sent, tok: Token, acquirer: Ent, targets: list[Ent], family: str,
                status: str | None) -> Iterator[Draft]:
    amount = _deal_amount(s, tok)
    for target in targets:
        if target.canonical == acquirer.canonical:
            continue
        roles: dict = {"acquirer": acquirer.canonical, "target": target.canonical}
        if amount is not None and len(targets) == 1:
            roles["amount"] = amount.value
        if status:
            roles["status"] = status
        date = s.date(tok)
        if date:
            roles["date"] = date
        yield Draft("Acquisition", roles, family, s, [acquirer, target])


def _nominal_status(s: Sent, tok: Token) -> str | None:
    heads = {a.lower_ for a in tok.ancestors}
    if heads & {"completed", "completes", "complete", "closed", "closes", "finalized"}:
        return "completed"
    if heads & {"agreed", "agrees", "announced", "announces", "signed"} or "pending" in s.lower:
        return "agreed"
    if any(t.tag_ == "VBD" for t in s.span if t.dep_ == "ROOT") or "bought" in s.lower:
        return "completed"
    return None


def _deal_amount(s: Sent, tok: Token) -> Value | None:
    vals = s.money_values(exclude_valuation=False)
    if not vals:
        return None
    for v in vals:
        before = s.doc[max(s.span.start, v.start - 2):v.start].text.lower()
        if before.endswith("for") or "valued at" in before or "about" in before:
            return v
    return s.nearest(vals, tok)


# ---------------------------------------------------------------- investments


def investments(s: Sent) -> Iterator[Draft]:
    lex = s.lex
    doc = s.doc
    for tok in s.span:
        low = tok.lower_
        if low == "stake" and tok.pos_ == "NOUN":
            yield from _stake(s, tok)
        elif low == "backed" and tok.i > s.span.start and doc[tok.i - 1].text in ("-", "‑"):
            inv = s.org(doc[tok.i - 2]) if tok.i - 2 >= s.span.start else None
            if inv is None or s.is_hedged(tok):
                continue
            investee = s.org(tok.head) if tok.head.i != tok.i else None
            if investee is None or investee.label != ORG:
                nxt = s.names_from(tok.i + 1)
                investee = nxt[0] if nxt else None
            if investee is not None and investee.canonical != inv.canonical:
                yield Draft("Investment", {"investor": inv.canonical,
                                           "investee": investee.canonical}, "backed", s,
                            [inv, investee])
        elif low == "backed" and tok.tag_ == "VBN" and s.prep_obj(tok, "by") and \
                not s.is_hedged(tok):  # "X, backed by A and B, raised ..."
            target = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if target is None and tok.dep_ in ("acl", "relcl", "advcl"):
                target = tok.head
            investee = s.org(target) if target is not None else None
            if investee is None or investee.label != ORG:
                continue
            for p in s.prep_obj(tok, "by"):
                for inv in s.names_from(p.left_edge.i):
                    if inv.label in (ORG, PER) and inv.canonical != investee.canonical:
                        yield Draft("Investment", {"investor": inv.canonical,
                                                   "investee": investee.canonical}, "backed", s,
                                    [inv, investee])
        elif low in ("backer", "shareholder", "investor") and tok.pos_ == "NOUN" and (any(
                c.dep_ == "poss" for c in tok.children) or s.prep_obj(tok, "in")):
            yield from _backer(s, tok)
        elif low == "investment" and tok.pos_ == "NOUN":
            yield from _nominal_investment(s, tok)
        elif low in ("invested", "invests", "invest", "put", "puts", "poured", "injected") \
                and tok.pos_ == "VERB":
            yield from _invest_verb(s, tok, low)
        elif low in ("added", "adds") and tok.pos_ == "VERB" and "investors" in s.lower:
            investee = subject_org(s, tok)
            for o in s.children(tok, "dobj"):
                first = min(t.i for t in o.subtree)
                for inv in s.names_from(first, PER):
                    if investee is not None and inv.canonical != investee.canonical:
                        yield Draft("Investment", {"investor": inv.canonical,
                                                   "investee": investee.canonical}, "verb", s,
                                    [inv, investee])
    del lex


def _stake(s: Sent, tok: Token) -> Iterator[Draft]:
    investee = None
    # "a stake of roughly 27% in X": the parser hangs "in X" on the percentage
    for p in s.prep_obj(tok, "in") + [q for o in s.prep_obj(tok, "of") for q in
                                       s.prep_obj(o, "in")]:
        investee = s.org(p)
        if investee is None or investee.coref:
            named = [e for e in s.names_from(min(x.i for x in p.subtree)) if e.label == ORG]
            investee = named[0] if named else investee
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if investee is None:
        for p in s.prep_obj(verb, "in"):
            investee = s.org(p)
    if investee is None and verb.lower_ in ("pay", "pays", "paid", "paying") and \
            any(c.lower_ in ("its", "their") for c in tok.children) and not s.is_hedged(verb):
        investor = subject_org(s, verb)  # "X will pay $Y for its stake": the stake above
        money = s.money_values()
        if investor is not None and money:
            yield Draft("Investment", {"investor": investor.canonical, "amount": money[0].value,
                                       "_attach": True}, "attach", s, [investor])
        return
    if investee is None or investee.label != ORG or s.is_hedged(verb):
        return
    if verb.lower_ in ("sell", "sells", "sold", "selling"):
        investor = None
        for p in s.prep_obj(verb, "to"):
            investor = s.org(p)
            if investor is None:
                named = [e for e in s.names_from(min(x.i for x in p.subtree)) if e.label == ORG]
                investor = named[0] if named else None
    elif verb.lower_ in ("keep", "keeps", "kept", "retain", "retains", "cut",
                         "reduced", "reduce"):
        return
    else:
        investor = subject_org(s, verb)
    if investor is None or investor.canonical == investee.canonical:
        return
    roles: dict = {"investor": investor.canonical, "investee": investee.canonical}
    pct = s.nearest(s.percents, tok)
    if pct is not None and abs(pct.start - tok.i) <= 4:
        roles["stake"] = pct.value
    money = [v for v in s.money_values() if not s.is_valuation(v)]
    if money:
        roles["amount"] = s.nearest(money, tok).value  # type: ignore[union-attr]
    date = s.date(tok)
    if date:
        roles["date"] = date
    yield Draft("Investment", roles, "stake", s, [investor, investee])


def _nominal_investment(s: Sent, tok: Token) -> Iterator[Draft]:
    """"Quillbyte's $2 billion investment in Lumora AI"."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    targets = s.prep_obj(tok, "in", "into")
    if poss is None or not targets or s.is_hedged(tok):
        return
    investor, investee = s.org(poss) or s.person(poss), s.org(targets[0])
    if investor is None or investee is None or investee.label != ORG or \
            investor.canonical == investee.canonical:
        return
    roles: dict = {"investor": investor.canonical, "investee": investee.canonical}
    money = [v for v in s.money_values() if any(t.i == v.start for t in tok.subtree)]
    if money:
        roles["amount"] = money[0].value
    date = s.date(tok)
    if date:
        roles["date"] = date
    yield Draft("Investment", roles, "nominal", s, [investor, investee])


def _backer(s: Sent, tok: Token) -> Iterator[Draft]:
    investee = None
    for c in tok.children:
        if c.dep_ == "poss":
            investee = s.org(c)
    for p in s.prep_obj(tok, "in"):  # "an early investor in X", "is an investor in X"
        investee = s.org(p) or investee
    if investee is None or investee.label != ORG:
        return
    investor = None
    if tok.dep_ == "attr":
        investor = subject_org(s, tok.head)
    elif tok.dep_ == "appos":
        investor = s.org(tok.head)
    if investor is None or investor.canonical == investee.canonical or s.is_hedged(tok):
        return
    yield Draft("Investment", {"investor": investor.canonical, "investee": investee.canonical},
                "backed", s, [investor, investee])


def _invest_verb(s: Sent, tok: Token, low: str) -> Iterator[Draft]:
    targets = s.prep_obj(tok, "in", "into")
    for o in s.children(tok, "dobj"):  # "invested $3 billion in Lumora" (PP on the amount)
        targets += [p for t in o.subtree for p in s.prep_obj(t, "in", "into")]
    if low in ("put", "puts", "poured", "injected") and not targets:
        return
    if s.is_hedged(tok):
        return
    subj = s.subject(tok)
    if subj is None:
        return
    investors = [x for x in (s.org(t) or s.person(t) for t in s.conj_all(subj)) if x is not None]
    if not investors:
        return
    if len(investors) > 1 and any(c.lower_ == "also" for c in tok.children):
        return  # round participants: the round's investors
    investee = s.org(targets[0]) if targets else None
    if investee is None and not targets and low == "invested":
        ctx = s.actx.context_org()
        investee = Ent(tok.i, tok.i + 1, ctx, ORG, ctx, False, True) if ctx else None
    if investee is None or investee.label != ORG:
        return
    money = s.money_values()
    for inv in investors:
        if inv.canonical == investee.canonical:
            continue
        roles: dict = {"investor": inv.canonical, "investee": investee.canonical}
        if money:
            roles["amount"] = money[0].value
        date = s.date(tok)
        if date:
            roles["date"] = date
        yield Draft("Investment", roles, "verb", s, [inv, investee])


# ---------------------------------------------------------------- IPOs

def ipos(s: Sent) -> Iterator[Draft]:
    m = IPO_RX.search(s.text)
    if m is None:
        return
    span = s.doc.char_span(s.span.start_char + m.start(), s.span.start_char + m.end(),
                           alignment_mode="expand")
    if span is None:
        return
    trig = span.root
    if s.is_hedged(trig) or any(w in s.lower for w in ("due to begin", "plans", "could", "would",
                                                        "expected to", "considering", "aims")):
        return
    low = s.lower
    status = None
    if re.search(r"\b(?:listed|debut|debuted|began trading|first day of trading|"
                 r"went public|soar|jump|rose|surged)", low):
        status = "listed"
    elif re.search(r"\bpric(?:ed|es|ing)\b", low):
        status = "priced"
    elif re.search(r"\b(?:fil(?:ed|es|ing)|registration|submitted)\b", low):
        status = "filed"
    verb = trig
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    company = subject_org(s, verb)
    subj = s.subject(verb)
    if company is None and subj is not None and subj.lower_ in ("shares", "stock"):
        for p in s.prep_obj(subj, "of"):  # "Shares of Arm began trading"
            company = s.org(p) or company
            if company is not None and company.coref:  # "shares of the chipmaker": the last
                recent = s.actx.recent_org(p.i)  # organisation named
                company = Ent(p.i, p.i + 1, recent, ORG, recent, False, True) if recent else None
    for c in trig.children:
        if c.dep_ == "poss":
            company = s.org(c) or company
    if company is None:
        company = nearest_left_org(s, trig.i) or next(
            (e for e in s.ents if e.label == ORG), None)
    if company is None or company.label != ORG or company.text.lower() in s.lex.exchanges:
        return
    roles: dict = {"company": company.canonical}
    for key, name in s.lex.exchanges.items():
        if re.search(rf"\b{re.escape(key)}\b", low):
            roles["exchange"] = name
            break
    place = re.search(r"\blist(?:ed|ing|s)? in ((?:[A-Z][a-z]+ ?){1,3})", s.text)
    if "exchange" not in roles and place:
        roles["exchange"] = place.group(1).strip()
    vals = s.valuations()
    if vals:
        roles["valuation"] = vals[0].value
    for v in s.money_values():
        before = s.doc[max(s.span.start, v.start - 3):v.start].text.lower()
        if "rais" in before or "sold" in before:
            roles["amount"] = v.value
    if status:
        roles["status"] = status
    date = s.date(trig)
    if date:
        roles["date"] = date
    subj = s.subject(verb)
    others = [e for e in (s.org(t) for t in s.conj_all(subj)[1:])] if subj is not None else []
    for c in [company, *[e for e in others if e is not None and e.label == ORG]]:
        yield Draft("IPO", {**roles, "company": c.canonical}, "nominal", s, [c])

