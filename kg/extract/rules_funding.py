"""Funding rounds and valuations: "X raised $Y in a Series B led by Z at a $V valuation".

Pattern families (names used by the confidence table):

- ``verb``: a raise verb with its subject and money object ("X raised $Y", "X secured $Y");
  several amounts with round names in one sentence give one round each.
- ``nominal``: a round noun with its owner ("a $500M raise by X", "X's Series F valued it
  at $Y", "a round in 2024 that valued the startup at $Y").
- ``attach``: a sentence that only adds investors to the last round ("X led the round",
  "Y and Z also took part"); the extractor merges it.
- ``value``: a standalone valuation ("valued at $X", "the deal values Y at $X", "up from $X").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.mentions import ORG, PER, Ent
from kg.extract.rules_common import IPO_RX, ROUND_RX, nearest_left_org, round_name, subject_org
from kg.extract.sentence import Draft, Sent, Value

__all__ = ["funding", "valuations"]

_ROUND_NOUNS = {"round", "funding", "financing", "fundraise", "fundraising", "raise", "series",
                "capital", "money", "investment"}
_CUMULATIVE = ("since", "in total", "to date", "so far", "all told", "total funding",
               "altogether", "in all")
_ATTACH_VERBS = {"participated", "participate", "joined", "join", "invested", "took",
                 "included", "include", "includes", "did"}
_STRONG_RAISE = {"raise", "raises", "raised", "raising", "fundraise"}


def _investor_lists(s: Sent, after: int) -> tuple[list[Ent], list[Ent]]:
    """(leads, others) named in the sentence from token ``after`` on."""
    leads: list[Ent] = []
    others: list[Ent] = []
    doc = s.doc
    for tok in s.span:
        if tok.i < after:
            continue
        low = tok.lower_
        nxt = doc[tok.i + 1] if tok.i + 1 < s.span.end else None
        if low in ("led", "co-led", "headed") and nxt is not None and nxt.lower_ == "by":
            leads += s.names_from(nxt.i + 1)
        elif low == "from" and tok.head.lower_ in ("participation", "investment", "backing",
                                                    "commitments", "investors"):
            others += s.names_from(tok.i + 1)
        elif low == "from" and tok.head.pos_ == "VERB" and tok.head.lower_ in _STRONG_RAISE | {
                "collected", "secured", "received"}:
            others += s.names_from(tok.i + 1)
        elif low in ("included", "including", "include") and tok.i > after:
            others += s.names_from(tok.i + 1)
    return leads, others


def _cumulative(s: Sent, verb: Token) -> bool:
    """"has raised about $1 billion since 2016": a running total, not a round."""
    has_perfect = any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in verb.children)
    if not has_perfect or round_name(s):
        return False
    return any(c in s.lower for c in _CUMULATIVE + ("more than", "most of it", "much of it")) \
        or not s.dates


def funding(s: Sent) -> Iterator[Draft]:
    """FundingRound drafts, plus ``attach`` drafts that only add investors to a round."""
    found = False
    if IPO_RX.search(s.text):
        return  # "prices IPO, raises $1.5 billion": the IPO's amount
    for tok in s.span:
        low = tok.lower_
        if low not in s.lex.verbs["FundingRound"] or tok.pos_ not in ("VERB", "AUX"):
            if not (low in ("raise", "round", "funding") and tok.pos_ == "NOUN"):
                continue
        if tok.pos_ == "NOUN":
            draft = _nominal_round(s, tok)
            if draft is not None and not found:
                found = True
                yield draft
            continue
        if low in ("pull", "pulls", "pulled", "rake", "raked") and not any(
                c.lower_ == "in" and c.dep_ in ("prt", "prep") for c in tok.children):
            continue
        right = [t for t in tok.subtree if t.i > tok.i]
        money = [v for v in s.money_values() if v.start > tok.i and
                 any(t.i == v.start or t.i == v.end - 1 for t in right)]
        if not money:
            money = [v for v in s.money_values() if tok.i < v.start <= tok.i + 4]
        round_words = [t for t in right if t.lower_ in _ROUND_NOUNS and t.head.i in
                       (tok.i, *(x.i for x in right))]
        if low not in _STRONG_RAISE and not round_words and not money:
            continue
        direct = any(c.dep_ == "dobj" and any(v.start <= c.i < v.end for v in money)
                     for c in tok.children)
        if low not in _STRONG_RAISE and not any(t.lower_ in _ROUND_NOUNS for t in right) and \
                not round_name(s) and "funding" not in s.lower and not direct:
            continue
        if not money and not round_words:
            continue
        if any(t.lower_ in ("stake", "acquisition", "deal", "revenue", "sales", "price",
                            "forecast", "shares", "stock") for t in right[:8]):
            continue
        if s.is_hedged(tok):
            continue
        company = subject_org(s, tok) or nearest_left_org(s, tok.i)
        if company is None or company.label != ORG:
            continue
        if _cumulative(s, tok):
            yield from _cumulative_investments(s, tok, company)
            found = True
            continue
        segments = _round_segments(s, money)
        if len(segments) > 1:
            for roles in segments:
                yield Draft("FundingRound", {"company": company.canonical, **roles}, "verb", s,
                            [company])
            found = True
            break
        roles: dict = {"company": company.canonical}
        if money:
            roles["amount"] = money[0].value
        yield _complete_round(s, tok, roles, company, "verb")
        found = True
        break
    yield from _attach(s, found)


def _round_segments(s: Sent, money: list[Value]) -> list[dict]:
    """"a $21 million Series A in April 2023 and an $80 million Series B in December 2023":
    one round per amount that a round name follows, each with the date and valuation that
    come before the next amount."""
    out = []
    for k, v in enumerate(money):
        nxt = money[k + 1].start if k + 1 < len(money) else s.span.end
        after = s.doc[v.end:min(v.end + 4, nxt)].text
        m = ROUND_RX.match(after.strip())
        if not m:
            return []
        roles: dict = {"amount": v.value, "round": " ".join(m.group(1).split())}
        dates = [d for d in s.dates if v.end <= d.start < nxt]
        if dates:
            roles["date"] = dates[0].value
        vals = [x for x in s.valuations() if v.end <= x.start < nxt]
        if vals:
            roles["valuation"] = vals[0].value
        out.append(roles)
    return out


def _nominal_round(s: Sent, tok: Token) -> Draft | None:
    """"a $500 million raise by X", "X's $308M round"."""
    company = None
    for c in tok.children:
        if c.dep_ == "poss":
            company = s.org(c)
    for p in s.prep_obj(tok, "by"):
        company = s.org(p)
    if company is None and tok.lower_ in ("round", "funding"):
        root = s.span.root
        company = subject_org(s, root) if root.lower_ in (
            "valued", "was", "is", "had", "came", "followed") else None
    if company is None or company.label != ORG or s.is_hedged(tok):
        return None
    money = [v for v in s.money_values() if any(t.i == v.start for t in tok.subtree)]
    if not money:
        return None
    return _complete_round(s, tok, {"company": company.canonical, "amount": money[0].value},
                           company, "nominal")


def _complete_round(s: Sent, tok: Token, roles: dict, company: Ent, family: str) -> Draft:
    name = round_name(s)
    if name:
        roles["round"] = name
    vals = [v for v in s.valuations() if not _is_up_from(s, v)]
    if vals:
        roles["valuation"] = vals[0].value
    leads, others = _investor_lists(s, tok.i)
    invs = [e.canonical for e in leads + others if e.canonical != company.canonical
            and e.label in (ORG, PER)]
    if invs:
        roles["investors"] = list(dict.fromkeys(invs))
    date = _date_near(s, tok)
    if date:
        roles["date"] = date
    return Draft("FundingRound", roles, family, s, [company, *leads, *others])


def _is_up_from(s: Sent, v: Value) -> bool:
    before = s.doc[max(s.span.start, v.start - 3):v.start].text.lower()
    return "up from" in before or "from" in before.split()[-1:]


def _date_near(s: Sent, tok: Token) -> str | None:
    if not s.dates:
        return None
    cands = [d for d in s.dates if not _after_up_from(s, d)]
    if not cands:
        return None
    return s.nearest(cands, tok).value  # type: ignore[union-attr]


def _after_up_from(s: Sent, d: Value) -> bool:
    before = s.doc[max(s.span.start, d.start - 6):d.start].text.lower()
    return "up from" in before or "since" in before or "founding" in before or "founded" in before


def _cumulative_investments(s: Sent, tok: Token, company: Ent) -> Iterator[Draft]:
    for p in s.prep_obj(tok, "from"):
        for t in s.conj_all(p):
            inv = s.org(t) or s.person(t)
            if inv is not None and inv.canonical != company.canonical:
                yield Draft("Investment", {"investor": inv.canonical,
                                           "investee": company.canonical}, "verb", s,
                            [inv, company])
    done = {x.i for p in s.prep_obj(tok, "from") for x in p.subtree}
    for t in s.span:
        if t.lower_ == "from" and t.i > tok.i and t.i + 1 not in done:
            for inv in s.names_from(t.i + 1):  # "..., most of it from X", "mostly from X"
                if inv.canonical != company.canonical:
                    yield Draft("Investment", {"investor": inv.canonical,
                                               "investee": company.canonical}, "verb", s,
                                [inv, company])


def _attach(s: Sent, has_round: bool = False) -> Iterator[Draft]:
    """Investors named apart from the round: "X led the round, with participation from Y",
    "Y and Z also took part", "as did W", "investors in that deal included V".

    "X led a Series C at a $1 billion valuation" names a round of its own: the draft then
    carries ``_new`` with the round's name, valuation and date.
    """
    if s.hedged:
        return
    leads: list[Ent] = []
    others: list[Ent] = []
    new: dict = {}
    for tok in s.span:
        low = tok.lower_
        if low in ("led", "co-led") and tok.tag_ == "VBN" and not has_round and any(
                c.dep_ == "nsubjpass" and c.lower_ in ("round", "raise", "financing", "funding")
                for c in tok.children):  # "The round was led by X, with Y participating"
            for p in s.prep_obj(tok, "by"):
                leads += s.names_from(p.left_edge.i)
            for w in s.prep_obj(tok, "with"):
                others += s.names_from(w.left_edge.i)
            continue
        if low in ("led", "co-led") and tok.pos_ == "VERB" and not has_round:
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            if not objs or s.is_hedged(tok):
                continue
            obj = objs[0]
            name = round_name(s)
            if obj.lower_ in ("round", "raise", "financing", "investment", "funding") or (
                    name and obj.i >= tok.i):
                subj = s.subject(tok)
                if subj is not None:
                    leads += [n for n in (s.org(t) or s.person(t) for t in s.conj_all(subj))
                              if n is not None]
                money = [v for v in s.money_values() if any(t.i == v.start for t in obj.subtree)]
                poss = next((c for c in obj.children if c.dep_ == "poss"), None)
                owner = s.org(poss) if poss is not None else None  # "led X's Series B"
                if name and obj.lower_ not in ("round",) or s.valuations() or money:
                    new = {"round": name} if name else {}
                    if owner is not None and owner.label == ORG:
                        new["_owner"] = owner.canonical
                    if money:
                        new["amount"] = money[0].value
                    if s.valuations():
                        new["valuation"] = s.valuations()[0].value
                    if s.dates:
                        new["date"] = s.dates[0].value
            continue
        if low == "from" and tok.head.lower_ == "participation":
            others += s.names_from(tok.i + 1)
            continue
        if low == "did" and tok.i > s.span.start and s.doc[tok.i - 1].lower_ == "as":
            others += s.names_from(tok.i + 1)
            continue
        if low in _ATTACH_VERBS and tok.pos_ in ("VERB", "AUX"):
            if low in ("included", "include", "includes"):
                subj = s.subject(tok)
                if subj is not None and subj.lower_ in ("investors", "backers", "participants"):
                    others += s.names_from(tok.i + 1)
                continue
            part = low != "took" or any(c.lower_ == "part" for c in tok.children)
            also = any(c.lower_ in ("also", "too") for c in tok.children)
            if not (part and also):
                continue
            subj = s.subject(tok)
            if subj is None:
                continue
            first = min((t.i for t in subj.subtree), default=subj.i)
            names = s.names_from(first)
            if len(names) < 2:
                names = [n for n in (s.org(t) or s.person(t) for t in s.conj_all(subj))
                         if n is not None and not n.coref]
            others += names
    names = list({e.canonical: e for e in leads + others if e.label in (ORG, PER)}.values())
    if not names:
        return
    roles: dict = {"investors": [e.canonical for e in names]}
    if leads:
        roles["_lead"] = len({e.canonical for e in leads})
    if new:
        ctx = new.pop("_owner", None) or s.actx.context_org()
        if ctx:
            roles.update(new, _company=ctx)
    yield Draft("FundingRound", roles, "attach", s, names)


# ---------------------------------------------------------------- valuations


def valuations(s: Sent) -> Iterator[Draft]:
    """Valuations not tied to a round or IPO (the extractor drops those that are)."""
    if s.hedged:
        return
    for v in s.money:
        if _is_up_from(s, v) and any(e.start < v.start for e in s.valuations()):
            yield from _earlier_value(s, v)
            continue
        if not s.is_valuation(v) and not _worth_after(s, v):
            continue
        anchor = s.doc[v.start]
        after = {t.lower_ for t in s.doc[v.end:min(s.span.end, v.end + 6)]}
        if s.is_hedged(anchor) or after & {"floated", "sought", "targeted", "rumored", "eyed"}:
            continue
        rnd = _valuing_round(s, v)
        if rnd is not None:
            yield rnd
            continue
        company = _valued_company(s, v)
        if company is None or company.label != ORG:
            continue
        rnd = next((t for t in s.span if t.lower_ == "round" and t.dep_ not in ("advmod",)),
                   None)
        if rnd is not None:  # "X's valuation hits $8 billion after a round led by Y"
            leads, others = _investor_lists(s, rnd.i)
            roles = {"company": company.canonical, "valuation": v.value}
            sized = [m for m in s.money_values() if m.start in {t.i for t in rnd.subtree}]
            if sized:  # "... as investors join a $235 million round"
                roles["amount"] = sized[0].value
            names = [e.canonical for e in leads + others if e.canonical != company.canonical]
            if names:
                roles["investors"] = names
            yield Draft("FundingRound", roles, "nominal", s, [company, *leads, *others])
            continue
        roles = {"company": company.canonical, "amount": v.value}
        date = s.nearest(s.dates, anchor)
        if date is not None:
            roles["date"] = date.value
        yield Draft("Valuation", roles, "value", s, [company])


def _valuing_round(s: Sent, v: Value) -> Draft | None:
    """"Lumora's Series C in June valued it at $7 billion": a round without an amount."""
    for i in range(v.start - 1, max(s.span.start, v.start - 8) - 1, -1):
        tok = s.doc[i]
        if tok.lower_ not in ("valued", "values"):
            continue
        head = tok.head
        if tok.dep_ == "relcl" and (head.lower_ == "round" or not any(
                t.lower_ in s.lex.verbs["FundingRound"] and t.pos_ == "VERB"
                for t in s.span) and (
                head.lower_ in ("raise", "financing", "series") or any(
                    c.lower_ == "series" for c in head.children))):
            return _round_that_valued(s, tok, v)  # "a $3 billion Series E that valued X"
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:  # "That round, completed on May 1, valued the company at ..."
            subj = next((t for t in s.span if t.i < tok.i and t.lower_ == "round" and
                         t.dep_ not in ("pobj", "dobj", "compound")), None)
        if subj is None or not (subj.lower_ in ("round", "raise") or any(
                c.lower_ == "series" for c in subj.children) or subj.lower_ == "series"):
            return None
        poss = next((c for c in subj.children if c.dep_ == "poss"), None)
        company = s.org(poss) if poss is not None else None
        if company is None and subj.lower_ == "round":  # "That round valued the company at"
            ctx = s.actx.context_org()
            company = Ent(subj.i, subj.i + 1, ctx, ORG, ctx, False, True) if ctx else None
        if company is None or company.label != ORG:
            return None
        roles: dict = {"company": company.canonical, "valuation": v.value}
        name = round_name(s)
        if name:
            roles["round"] = name
        date = s.nearest(s.dates, subj)
        if date is not None and not _after_up_from(s, date):
            roles["date"] = date.value
        for t in s.span:
            if t.lower_ in ("drew", "attracted", "included") and t.i > tok.i:
                names = [e for e in s.names_from(t.i + 1) if e.label in (ORG, PER)]
                if names:
                    roles["investors"] = [e.canonical for e in names]
        return Draft("FundingRound", roles, "nominal", s, [company])
    return None


def _earlier_value(s: Sent, v: Value) -> Iterator[Draft]:
    """"values it at $5.3 billion, up from $3.3 billion ten months ago": the earlier figure
    is a Valuation of its own, or a round's when a round is named ("set in its Series E")."""
    company = None
    for e in s.valuations():
        if e.start < v.start and not _is_up_from(s, e):
            company = _valued_company(s, e)
    if company is None:
        company = subject_org(s, s.span.root)
    if company is None or company.label != ORG:
        return
    rest = s.doc[v.end:min(s.span.end, v.end + 8)].text
    m = ROUND_RX.search(rest)
    dates = [d for d in s.dates if d.start >= v.end]
    if m and m.group(1).lower().startswith("series"):
        roles: dict = {"company": company.canonical, "valuation": v.value,
                       "round": " ".join(m.group(1).split())}
        if dates:
            roles["date"] = dates[0].value
        yield Draft("FundingRound", roles, "value", s, [company])
        return
    roles = {"company": company.canonical, "amount": v.value}
    if dates:
        roles["date"] = dates[0].value
    yield Draft("Valuation", roles, "value", s, [company])


def _round_that_valued(s: Sent, tok: Token, v: Value) -> Draft | None:
    """"leading a $1 billion round in 2024 that valued the startup at $2.5 billion"."""
    rnd = tok.head
    objs = s.children(tok, "dobj")
    company = s.org(objs[0]) if objs else None
    if company is None or company.label != ORG:
        return None
    roles: dict = {"company": company.canonical, "valuation": v.value}
    sub = {t.i for t in rnd.subtree}
    money = [m for m in s.money_values() if m.start in sub and m.start < tok.i]
    if money:
        roles["amount"] = money[0].value
    dates = [d for d in s.dates if d.start in sub and d.start < tok.i] or \
        [d for d in s.dates if d.start in sub]  # "... that valued X at $Y in March"
    if dates:
        roles["date"] = dates[0].value
    name = round_name(s)
    if name:
        roles["round"] = name
    ents = [company]
    led = next((c for c in rnd.children if c.dep_ == "acl" and c.lower_ in ("led", "co-led")),
               None)
    if led is not None:  # "a $1 billion round led by A and B that valued X at ..."
        names = [e for p in s.prep_obj(led, "by") for e in
                 (s.org(t) for t in s.conj_all(p)) if e is not None and
                 e.label in (ORG, PER) and e.canonical != company.canonical]
        if names:
            roles["investors"] = [e.canonical for e in names]
            ents += names
    elif rnd.head.lower_ in ("leading", "led", "lead", "leads", "co-led"):
        subj = s.subject(rnd.head)
        lead = s.org(subj) if subj is not None else None
        if lead is not None and lead.canonical != company.canonical:
            roles["investors"] = [lead.canonical]
            ents.append(lead)
    return Draft("FundingRound", roles, "nominal", s, ents)


def _worth_after(s: Sent, v: Value) -> bool:
    after = s.doc[v.end:min(v.end + 5, s.span.end)].text.lower()
    return " worth" in f" {after}" and "was worth" in after or "is worth" in after


def _valued_company(s: Sent, v: Value) -> Ent | None:
    doc = s.doc
    for i in range(v.start - 1, max(s.span.start, v.start - 10) - 1, -1):
        tok = doc[i]
        if tok.lower_ in ("valued", "values", "valuing", "value"):
            objs = s.children(tok, "dobj")
            if objs:
                return s.org(objs[0])
            subj = next((c for c in tok.children if c.dep_ in ("nsubjpass", "nsubj")), None)
            if subj is not None and tok.dep_ != "relcl":
                ent = s.org(subj)
                if ent is not None and ent.label == ORG:
                    return ent
            if tok.dep_ in ("acl", "relcl"):
                head = tok.head
                ent = s.org(head)
                if ent is not None and ent.label == ORG:
                    return ent
                if head.lower_ in ("offer", "sale", "transaction", "deal", "round"):
                    continue
            subj = s.subject(tok)
            if subj is not None:
                return s.org(subj)
        if tok.lower_ in ("worth",) and tok.head.pos_ == "AUX":
            return subject_org(s, tok.head)
    for i in range(v.end, min(s.span.end, v.end + 5)):
        tok = doc[i]
        if tok.lower_ == "worth" and tok.head.pos_ == "AUX":
            return subject_org(s, tok.head)
    for i in range(v.start - 1, max(s.span.start, v.start - 6) - 1, -1):
        tok = doc[i]  # "Stripe's valuation fell to $50 billion"
        if tok.lower_ == "valuation":
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            ent = s.org(poss) if poss is not None else None
            if ent is not None and ent.label == ORG:
                return ent
    for t in s.span:  # "sells control of X to Y at a $9 billion valuation": X
        if t.lower_ in ("control", "stake", "majority", "shares") and t.head.lemma_ in (
                "sell", "buy", "acquire", "take") or t.lower_ in ("control",):
            for p in s.prep_obj(t, "of", "in"):
                ent = s.org(p)
                if ent is not None and ent.label == ORG:
                    return ent
    for t in s.span:  # "invest $40 billion in X at a $300 billion valuation": X
        if t.lower_ in ("invest", "invests", "invested", "investing", "stake", "investment"):
            preps = s.prep_obj(t, "in", "into") + [p for o in s.children(t, "dobj")
                                                   for x in o.subtree
                                                   for p in s.prep_obj(x, "in", "into")]
            for p in preps:
                ent = s.org(p)
                if ent is not None and ent.label == ORG:
                    return ent
    root = s.span.root
    return subject_org(s, root)
