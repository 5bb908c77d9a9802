"""ProductLaunch and Financials patterns.

Pattern families: ``verb`` (a launch verb with subject and product object), ``participle``
(a product with "released in April", "which came out in 2022", "the tool it released"),
``metric`` (a financial metric phrase with its amount and period; "spent $X on
infrastructure" is capital spending).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.mentions import ORG, PER, PROD, Ent
from kg.extract.sentence import Draft, Sent

__all__ = ["launches", "financials"]

def _product_names(s: Sent, obj: Token) -> list[Ent]:
    """Product names in an object NP: the NP itself, its appositions, or its name compounds."""
    doc = s.doc
    out: list[Ent] = []
    ent = s.actx.ent_at(obj)
    if ent is not None and (ent.label in (PROD, None) or ent.label == ORG and not ent.known or
                           ent.label == PER and ent.end - ent.start == 1 and
                           ent.text not in s.actx.surnames):
        out.append(Ent(ent.start, ent.end, ent.text, PROD, ent.canonical))
    elif ent is None and obj.tag_ in ("NNP", "NNPS") or any(ch.isdigit() for ch in obj.text) \
            and obj.text[:1].isupper():
        named = s.actx.name_at(obj, PROD)
        if named is not None and named.label in (PROD, None):
            out.append(Ent(named.start, named.end, named.text, PROD, named.canonical,
                           named.known))
    if not out and obj.is_lower:
        # "its Orbit-4 model", "its QX-2 delivery drone", "the A 4.5 and A X1 models"
        left = [t for t in obj.lefts if t.dep_ in ("compound", "nmod", "amod", "nummod") and
                (t.tag_ in ("NNP", "NNPS") or any(ch.isdigit() for ch in t.text))]
        if left:
            start = min(t.i for t in left)
            for t in left:
                start = min(start, *(x.i for x in t.subtree))
            end = obj.i
            while end > start and doc[end - 1].is_lower and doc[end - 1].tag_ in ("NN", "NNS"):
                end -= 1
            seg_start = start
            for k in range(start, end + 1):
                if k == end or doc[k].lower_ in ("and", ",", "&"):
                    text = doc[seg_start:k].text
                    if text and text[:1].isupper():
                        out.append(Ent(seg_start, k, text, PROD, text))
                    seg_start = k + 1
        for c in obj.children:
            if c.dep_ == "appos" or c.dep_ == "punct":
                continue
        # "two models, A and B": appositive list
        for c in obj.rights:
            if c.dep_ == "appos" or c.dep_ in ("npadvmod",) and c.tag_ == "NNP":
                for t in s.conj_all(c):
                    named = s.actx.name_at(t, PROD)
                    if named is not None and named.label in (PROD, None):
                        out.append(Ent(named.start, named.end, named.text, PROD, named.canonical))
        if not out and obj.i + 2 < s.span.end and doc[obj.i + 1].text == ",":
            for e in s.names_from(obj.i + 2, PROD, skip_lower=0):
                if e.label in (PROD, None) or e.label == ORG and not e.known:
                    out.append(Ent(e.start, e.end, e.text, PROD, e.canonical))
    return [e for e in out if e.label != PER]


def _made_available(s: Sent, tok: Token) -> Draft | None:
    """"Quillbyte made Orbit-5 available to all users on Wednesday": a release."""
    comp = next((c for c in tok.children if c.lower_ == "available" and
                 c.dep_ in ("ccomp", "oprd", "acomp", "xcomp")), None)
    if comp is None:
        return None
    obj = next((c for c in comp.children if c.dep_ == "nsubj"), None) or next(
        (c for c in tok.children if c.dep_ == "dobj"), None)
    subj = s.subject(tok)
    company = s.org(subj) if subj is not None else None
    products = _product_names(s, obj) if obj is not None else []
    if company is None or company.label != ORG or not products:
        return None
    roles: dict = {"company": company.canonical, "product": products[0].canonical}
    date = s.date(tok)
    if date:
        roles["date"] = date
    return Draft("ProductLaunch", roles, "verb", s, [company, products[0]])


def _misparsed_launch(s: Sent, tok: Token) -> Draft | None:
    """"Quillbyte AI unveiled Orbit-3, its first model, on Tuesday": the parser sometimes
    reads the verb as a modifier of the product name; company left, product right."""
    if tok.i == s.span.start:
        return None
    company = s.actx.ent_at(s.doc[tok.i - 1])
    if company is None or company.end != tok.i:
        return None
    company = s.org(s.doc[tok.i - 1])
    products = _product_names(s, tok.head)
    if company is None or company.label != ORG or not products or \
            products[0].start != tok.i + 1:
        return None
    roles: dict = {"company": company.canonical, "product": products[0].canonical}
    date = s.date()
    if date:
        roles["date"] = date
    return Draft("ProductLaunch", roles, "verb", s, [company, products[0]])


def launches(s: Sent) -> Iterator[Draft]:
    lex = s.lex
    verbs = lex.verbs["ProductLaunch"]
    for tok in s.span:
        low = tok.lower_
        if low in ("made", "makes") and tok.pos_ == "VERB" and not s.is_hedged(tok):
            draft = _made_available(s, tok)
            if draft is not None:
                yield draft
                continue
        if low in verbs and tok.tag_ == "VBD" and tok.dep_ in ("amod", "compound", "nmod") \
                and tok.head.i == tok.i + 1 and not s.is_hedged(tok):
            draft = _misparsed_launch(s, tok)
            if draft is not None:
                yield draft
                continue
        if low in verbs and tok.tag_ in ("VBD", "VBN", "JJ", "VBZ"):
            draft = _after_apposition(s, tok)
            if draft is not None:
                yield draft
                continue
        if tok.pos_ != "VERB":
            continue
        phr = any(c.dep_ == "prt" for c in tok.children)
        if low not in verbs and not phr:
            continue
        if phr:
            prt = next(c.lower_ for c in tok.children if c.dep_ == "prt")
            if (low, prt) not in lex.phrasal["ProductLaunch"]:
                continue
        if s.is_hedged(tok):
            continue
        company: Ent | None = None
        products: list[Ent] = []
        family = "verb"
        objs = s.children(tok, "dobj")
        if objs and tok.dep_ != "relcl" or objs and s.subject(tok) is not None and \
                s.subject(tok).lower_ not in ("which", "that"):
            subj = s.subject(tok)
            company = s.org(subj) if subj is not None else None
            for o in objs:
                products += _product_names(s, o)
            if tok.dep_ == "relcl" and not products:
                products = _product_names(s, tok.head)
                if not products and tok.head.dep_ == "appos":
                    products = _product_names(s, tok.head.head)
        elif tok.dep_ == "relcl" and not objs and low not in ("came", "comes") and any(
                c.dep_ == "nsubj" and c.lower_ not in ("which", "that", "who")
                for c in tok.children):  # "Orbit-1, the simulator it released in December"
            subj = next(c for c in tok.children if c.dep_ == "nsubj")
            company = s.org(subj)
            products = _product_names(s, tok.head)
            if not products and tok.head.dep_ == "appos":
                products = _product_names(s, tok.head.head)
        elif tok.tag_ == "VBN" and tok.dep_ in ("acl", "relcl") or low in ("came", "comes"):
            family = "participle"
            target = tok.head if tok.dep_ in ("acl", "relcl") else s.subject(tok)
            if target is None:
                continue
            if low in ("came", "comes") and tok.dep_ == "relcl":
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                target = subj if subj is not None and subj.lower_ not in ("which", "that") \
                    else tok.head
            products = _product_names(s, target)
            for c in target.children:
                if c.dep_ == "poss":
                    if c.lower_ == "whose" and target.head.i != target.i:
                        company = s.org(target.head.head if target.dep_ == "nsubj" else
                                        target.head)
                    else:
                        company = s.org(c)
            if company is None and target.dep_ == "nsubj" and tok.dep_ == "relcl":
                company = s.org(tok.head)
        if not products:
            continue
        if company is None or company.label != ORG:
            ctx = s.actx.context_org()
            if ctx is None or family == "verb":
                continue
            company = Ent(tok.i, tok.i + 1, ctx, ORG, ctx, False, True)
        date = s.date(tok)
        for p in products:
            if p.canonical == company.canonical or p.label == ORG and p.known:
                continue
            roles: dict = {"company": company.canonical, "product": p.text}
            if date:
                roles["date"] = date
            yield Draft("ProductLaunch", roles, family, s, [company, p])


def _after_apposition(s: Sent, tok: Token) -> Draft | None:
    """"Quillbyte, the chip designer, unveiled Orbit 3": the small model often parses the
    apposition as the sentence and the verb as a modifier, so read it from the surface."""
    doc, start = s.doc, s.span.start
    first = s.actx.ent_at(doc[start]) or s.actx.name_at(doc[start], ORG)
    if first is None or first.label not in (ORG, None) or first.end >= tok.i or \
            doc[first.end].text != ",":
        return None
    first = Ent(first.start, first.end, first.text, ORG, first.canonical, first.known)
    if doc[tok.i - 1].text != "," or any(t.pos_ == "VERB" and t.dep_ == "ROOT"
                                         for t in doc[first.end:tok.i]):
        return None
    if s.is_hedged(tok, sentence=True) and s.hedged:
        return None
    j = tok.i + 1
    while j < s.span.end and doc[j].lower_ in ("its", "the", "a", "an", "new"):
        j += 1
    if j >= s.span.end:
        return None
    named = s.actx.name_at(doc[j], PROD)
    if named is None or named.label == PER or named.label == ORG and named.known:
        return None
    product = Ent(named.start, named.end, named.text, PROD, named.canonical)
    roles: dict = {"company": first.canonical, "product": product.text}
    date = s.date()
    if date:
        roles["date"] = date
    return Draft("ProductLaunch", roles, "verb", s, [first, product])


_NOT_BOOKED = {"future", "contracted", "expected", "projected", "potential", "remaining",
               "forecast", "estimated", "targeted"}


def financials(s: Sent) -> Iterator[Draft]:
    if s.hedged:
        return
    yield from _spending(s)
    low = s.lower
    if any(w in low.split() for w in ("forecast", "guidance", "outlook", "expects", "projected")):
        return
    used: set[int] = set()
    verbs_used: set[int] = set()
    for m in s.lex.metric_rx.finditer(s.text):
        phrase = m.group(0).lower()
        metric = s.lex.metrics.get(" ".join(phrase.split()))
        if metric is None:
            continue
        if metric == "revenue" and any(s.lex.metrics.get(" ".join(x.group(0).lower().split()))
                                       == "arr" for x in s.lex.metric_rx.finditer(s.text)):
            metric = "arr"  # "revenue run-rate", "annualized revenue"
        span = s.doc.char_span(s.span.start_char + m.start(), s.span.start_char + m.end(),
                               alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        if any(t.lower_ in _NOT_BOOKED for t in head.lefts):
            continue  # "contracted future revenue", "potential sales": not reported figures
        money = [v for v in s.money_values() if not _expected_after(s, v)]
        if not money:
            return
        # "revenue rose to $X ..., while its net loss widened to $Y": one amount per metric
        free = [v for v in money if v.start not in used and (not used or v.start > head.i)]
        if used:  # a later metric needs its own verb, with the amount in that verb's clause
            own = head
            while own.pos_ not in ("VERB", "AUX") and own.head.i != own.i:
                own = own.head
            clause = {t.i for t in own.subtree}
            free = [v for v in free if v.start in clause and own.i not in verbs_used]
        if not free:
            continue
        amount = s.nearest(free, head)
        if amount is None or abs(amount.start - head.i) > 18:
            continue
        verb = head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if s.is_hedged(verb):
            return
        company = None
        for c in head.children:
            if c.dep_ == "poss":
                company = s.org(c)
        for p in s.prep_obj(head, "at"):  # "revenue at Orbit Cloud Group"
            company = s.org(p) or company
        if company is None:
            subj = s.subject(verb)
            company = s.org(subj) if subj is not None else None
        if company is None or company.label != ORG:
            ctx = s.actx.context_org()
            if ctx is None:
                continue
            company = Ent(head.i, head.i + 1, ctx, ORG, ctx, False, True)
        roles: dict = {"company": company.canonical, "metric": metric, "amount": amount.value}
        periods = [p for p in s.periods if not _after_from(s, p, amount)]
        if used:  # a later metric's period follows it: "..., while its loss rose last year"
            periods = [p for p in periods if p.start > head.i] or [
                d for d in s.dates if d.start > amount.start and len(d.value) == 4]
        months = [d for d in s.dates if len(d.value) == 7 and not _after_from(s, d, amount)]
        if metric == "arr" and months:  # a run-rate is a point in time
            roles["period"] = s.nearest(months, head).value  # type: ignore[union-attr]
        elif periods:
            roles["period"] = s.nearest(periods, head).value  # type: ignore[union-attr]
        yield Draft("Financials", roles, "metric", s, [company])
        used.add(amount.start)
        verbs_used.add(verb.i)
        # "narrowed to $X from $Y in the same period of 2024": the earlier figure too
        for v in money:
            before = s.doc[max(s.span.start, v.start - 3):v.start].text.lower().split()
            if v is not amount and "from" in before and v.start > amount.start and \
                    not any(v.start > u > amount.start for u in used if u != amount.start) and \
                    not s.lex.metric_rx.search(s.doc[amount.end:v.start].text):
                used.add(v.start)
                prior = dict(roles, amount=v.value)
                later = [p for p in s.periods if p.start > v.start]
                years = [d for d in s.dates if d.start > v.start and len(d.value) == 4]
                months = [d for d in s.dates if d.start > v.start and len(d.value) == 7]
                if metric == "arr" and months:
                    prior["period"] = months[0].value
                elif later and len(later[0].value) == 4 and "-Q" in roles.get("period", ""):
                    prior["period"] = later[0].value + roles["period"][4:]  # "same period of"
                elif later:
                    prior["period"] = later[0].value
                elif years and "period" in roles and "-Q" in roles["period"]:
                    prior["period"] = years[0].value + roles["period"][4:]
                elif years:
                    prior["period"] = years[0].value
                else:
                    prior.pop("period", None)
                yield Draft("Financials", prior, "metric", s, [company])


def _spending(s: Sent) -> Iterator[Draft]:
    """"has spent 120 billion yuan on AI infrastructure": capital spending."""
    for tok in s.span:
        if tok.lower_ not in ("spent", "spends", "spend", "invested") or tok.pos_ != "VERB":
            continue
        on = s.prep_obj(tok, "on", "in")
        if not on or s.is_hedged(tok):
            continue
        words = {t.lower_ for p in on for t in p.subtree}
        if not words & {"infrastructure", "centers", "centres", "capacity", "chips", "servers",
                        "facilities", "equipment"}:
            continue
        money = [v for v in s.money_values() if v.start > tok.i]
        subj = s.subject(tok)
        company = s.org(subj) if subj is not None else None
        if not money or company is None or company.label != ORG:
            continue
        yield Draft("Financials", {"company": company.canonical, "metric": "capex",
                                   "amount": money[0].value}, "metric", s, [company])
        return


def _after_from(s: Sent, p, amount) -> bool:
    """A period that belongs to an earlier comparison figure ("from $Y in 2024")."""
    return any(v.start > amount.start and v.start < p.start and "from" in
               s.doc[max(s.span.start, v.start - 3):v.start].text.lower().split()
               for v in s.money)


def _expected_after(s: Sent, v) -> bool:
    after = s.doc[v.end:min(v.end + 4, s.span.end)].text.lower()
    return any(w in after for w in ("expected", "forecast", "estimated", "had expected"))

