"""ProductLaunch, Partnership, Financials, Customer and Subsidiary patterns.

Pattern families: ``verb`` (trigger verb with subject/object), ``participle`` (a product
with "released in April", "which came out in 2022"), ``deal`` (deal nouns with "with X"),
``metric`` (a financial metric phrase with its amount and period), ``list`` ("customers
include A, B and C"), ``unit`` (a named division or subsidiary with its owner).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.mentions import ORG, PER, PROD, Ent
from kg.extract.sentence import Draft, Sent

__all__ = ["launches", "partnerships", "financials", "customers", "subsidiaries"]

_GENERIC_DEALS = {"deal", "deals", "agreement", "agreements", "contract", "contracts", "pact",
                  "arrangement", "partnership", "partnerships", "tie-up", "alliance"}
_KIND_SKIP = {"new", "first", "the", "a", "an", "its", "their", "similar", "major", "big",
              "landmark", "reported", "roughly", "worth", "two", "same", "separate", "another"}


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
        # "its Gen-4 model", "its HX-2 strike drone", "the A 4.5 and A X1 models"
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


def launches(s: Sent) -> Iterator[Draft]:
    lex = s.lex
    verbs = lex.verbs["ProductLaunch"]
    for tok in s.span:
        low = tok.lower_
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
                for c in tok.children):  # "GWM-1, the simulator it released in December"
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


def _deal_kind(s: Sent, noun: Token) -> str | None:
    mods = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod") and
            t.lower_ not in _KIND_SKIP and not t.like_num and t.tag_ != "$"]
    words = []
    for t in mods:
        sub = [x for x in t.subtree if x.lower_ not in _KIND_SKIP and not x.like_num
               and x.tag_ != "$" and x.lower_ not in ("million", "billion")]
        words += [x.text for x in sub]
    if noun.lower_ not in _GENERIC_DEALS:
        words.append(noun.text)
    kind = " ".join(words).replace(" - ", "-").strip()
    return kind or None


def _orgs(s: Sent, toks: list[Token]) -> list[Ent]:
    out = []
    for t in toks:
        for c in s.conj_all(t):
            e = s.org(c)
            if e is not None and e.label == ORG:
                out.append(e)
    return out


def _pair_subject(s: Sent, subj: Token | None) -> list[Ent] | None:
    """"the two companies", "both companies": the two organisations the sentence names."""
    if subj is None or subj.lower_ not in ("companies", "firms", "groups"):
        return None
    if not any(c.lower_ in ("two", "both") for c in subj.children):
        return None
    recent: dict[str, Ent] = {}
    for e in reversed([e for e in s.actx.ents if e.label == ORG and e.start < subj.i
                       and s.actx.is_company(e)]):
        recent.setdefault(e.canonical, e)
        if len(recent) == 2:
            break
    return list(recent.values())[::-1] if len(recent) == 2 else []


def partnerships(s: Sent) -> Iterator[Draft]:
    """Deal nouns and partnering verbs; "with A and B" gives one partnership per partner."""
    lex = s.lex
    if any(w in s.lower for w in ("abandoned", "collapsed", "fell apart", "called off",
                                  "terminated", "scrapped", "fell through")):
        return
    nouns = lex.nouns["Partnership"]
    for tok in s.span:
        low = tok.lower_
        kind = None
        side: list[Ent] = []
        withs: list[Ent] = []
        if (low in nouns or low == "venture" and any(c.lower_ == "joint" for c in tok.children)) \
                and tok.pos_ == "NOUN":
            if s.is_hedged(tok) or tok.dep_ in ("compound", "amod", "poss"):
                continue
            verb = tok.head
            if tok.dep_ == "pobj" and verb.lower_ == "of" and verb.head.lower_ == "expansion":
                verb = verb.head
            kind = _deal_kind(s, tok)
            if low == "venture":
                kind = "joint venture"
            subj = s.subject(verb) if verb.pos_ in ("VERB", "AUX") and tok.dep_ != "nsubj" \
                else None
            pair = _pair_subject(s, subj)
            if pair is not None:
                side = pair
            elif subj is not None:
                side = _orgs(s, [subj])
            acl = [c for c in tok.children if c.dep_ in ("acl", "relcl")]
            withs = _orgs(s, s.prep_obj(tok, "with", "between") + s.prep_obj(verb, "with") +
                          [w for a in acl for w in s.prep_obj(a, "with")])
            for a in acl:
                pair = _pair_subject(s, next((c for c in a.children if c.dep_ == "nsubj"), None))
                if pair:
                    side = pair
            if not side and withs and tok.dep_ == "pobj" and verb.lower_ == "with":
                root_subj = s.subject(s.span.root)
                side = _orgs(s, [root_subj]) if root_subj is not None else []
            poss = [c for c in tok.children if c.dep_ == "poss"]
            if poss and (not side or len(side) == 1 and not withs):
                side = _orgs(s, poss) + side  # "its agreement with OpenAI"
        elif low in ("partnered", "teamed", "partners", "teams", "collaborated", "collaborate",
                     "partnering", "joined", "worked") and tok.pos_ == "VERB":
            if low == "joined" and not any(c.lower_ == "forces" for c in tok.children):
                continue
            if low == "worked" and not any(c.lower_ == "together" for c in tok.children):
                continue
            if s.is_hedged(tok):
                continue
            subj = s.subject(tok)
            pair = _pair_subject(s, subj)
            side = pair if pair is not None else _orgs(s, [subj]) if subj is not None else []
            if low == "worked":
                kind = "collaboration"
            withs = _orgs(s, s.prep_obj(tok, "with"))
        elif low in ("taps", "tapped", "tap", "picked", "picks", "chose", "chooses", "selected",
                     "selects") and tok.pos_ == "VERB" and not any(
                         c.dep_ == "prt" for c in tok.children):
            objs = s.children(tok, "dobj")
            if not objs or s.is_hedged(tok):
                continue
            obj = s.actx.ent_at(objs[0])
            if obj is None or obj.label != ORG:
                continue  # "taps X as CEO" is an appointment
            subj = s.subject(tok)
            side = _orgs(s, [subj]) if subj is not None else []
            withs = [obj]
        else:
            continue
        groups: list[list[Ent]]
        if len(withs) > 1 and side:
            groups = [side + [w] for w in withs]
        else:
            groups = [side + withs]
        sub = {t.i for t in tok.subtree}
        money = [v for v in s.money_values() if v.start in sub or
                 s.doc[max(s.span.start, v.start - 2):v.start].text.lower().startswith("worth")
                 or v.start > 0 and s.doc[v.start - 1].lower_ in ("worth", "roughly", "about")
                 and "worth" in s.doc[max(s.span.start, v.start - 3):v.start].text.lower()]
        date = s.date(tok)
        for group in groups:
            uniq: dict[str, Ent] = {}
            for p in group:
                uniq.setdefault(p.canonical, p)
            if len(uniq) < 2:
                continue
            roles: dict = {"partners": list(uniq)}
            if money and len(groups) == 1:
                roles["amount"] = money[0].value
            if kind:
                roles["kind"] = kind
            if date:
                roles["date"] = date
            yield Draft("Partnership", roles, "deal", s, list(uniq.values()))
        if any(len({p.canonical for p in g}) >= 2 for g in groups):
            return


def financials(s: Sent) -> Iterator[Draft]:
    if s.hedged:
        return
    yield from _spending(s)
    low = s.lower
    if any(w in low.split() for w in ("forecast", "guidance", "outlook", "expects", "projected")):
        return
    for m in s.lex.metric_rx.finditer(s.text):
        phrase = m.group(0).lower()
        metric = s.lex.metrics.get(" ".join(phrase.split()))
        if metric is None:
            continue
        span = s.doc.char_span(s.span.start_char + m.start(), s.span.start_char + m.end(),
                               alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        money = [v for v in s.money_values() if not _expected_after(s, v)]
        if not money:
            return
        amount = s.nearest(money, head)
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
        for p in s.prep_obj(head, "at"):  # "revenue at Cloud Intelligence Group"
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
        if periods:
            roles["period"] = s.nearest(periods, head).value  # type: ignore[union-attr]
        yield Draft("Financials", roles, "metric", s, [company])
        # "narrowed to $X from $Y in the same period of 2024": the earlier figure too
        for v in money:
            before = s.doc[max(s.span.start, v.start - 3):v.start].text.lower().split()
            if v is not amount and "from" in before and v.start > amount.start:
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
        return


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


_USAGE = {"deployed", "deploys", "deploy", "adopted", "adopts", "rolling", "rolled", "uses",
          "licensed", "licenses"}


def _usage(s: Sent) -> Iterator[Draft]:
    """"A began rolling B out to its lawyers", "C deployed B across the firm": A, C use B."""
    for tok in s.span:
        if tok.lower_ not in _USAGE or tok.pos_ != "VERB" or s.is_hedged(tok):
            continue
        if tok.lower_.startswith("roll") and not any(c.lower_ == "out" for c in tok.children):
            continue
        objs = s.children(tok, "dobj")
        subj = s.subject(tok)
        if not objs or subj is None:
            continue
        provider, customer = s.org(objs[0]), s.org(subj)
        if provider is None or customer is None or provider.label != ORG or \
                customer.label != ORG or provider.canonical == customer.canonical:
            continue
        yield Draft("Customer", {"provider": provider.canonical, "customer": customer.canonical},
                    "list", s, [provider, customer])


def customers(s: Sent) -> Iterator[Draft]:
    if s.hedged:
        return
    yield from _usage(s)
    for tok in s.span:
        low = tok.lower_
        if low not in ("customers", "customer", "clients", "client", "users"):
            continue
        provider: Ent | None = None
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "nmod"):
                provider = s.org(c)
        custs: list[Ent] = []
        head = tok.head
        if head.lower_ in ("include", "includes", "included", "including") and tok.dep_ == "nsubj":
            custs = s.names_from(head.i + 1)
        elif head.lower_ == "among" and tok.dep_ == "pobj":
            clause = head.head
            subj = s.subject(clause)
            if subj is not None:
                custs = [e for e in (s.org(t) for t in s.conj_all(subj)) if e is not None]
            for t in clause.subtree:
                if t.i < head.i:
                    e = s.actx.ent_at(t)
                    if e is not None and e.label == ORG and all(e.canonical != c.canonical
                                                                for c in custs):
                        custs.append(e)
        elif tok.dep_ in ("appos", "attr") and provider is not None:
            target = tok.head if tok.dep_ == "appos" else s.subject(tok.head)
            e = s.org(target) if target is not None else None
            if e is not None:
                custs = [e]
        if provider is None or provider.label != ORG:
            continue
        for c in custs:
            if c.label == ORG and c.canonical != provider.canonical:
                yield Draft("Customer", {"provider": provider.canonical,
                                         "customer": c.canonical}, "list", s, [provider, c])


def subsidiaries(s: Sent) -> Iterator[Draft]:
    if s.hedged:
        return
    doc = s.doc
    units = s.lex.unit_nouns
    for tok in s.span:
        if tok.lower_ not in units or tok.pos_ != "NOUN":
            continue
        parent: Ent | None = None
        for c in tok.children:
            if c.dep_ == "poss":
                parent = s.org(c)
        children: list[Ent] = []
        # "its chip unit Altera" / "subsidiaries Remotasks and Outlier"
        if tok.i + 1 < s.span.end:
            nxt = s.actx.name_at(doc[tok.i + 1], ORG)
            if nxt is not None and nxt.start == tok.i + 1:
                children = [e for e in s.names_from(tok.i + 1, skip_lower=0) if e.label in
                            (ORG, None, PROD)]
        # "Google DeepMind, the search company's AI lab" / "a new division, Microsoft AI"
        if not children and tok.dep_ == "appos":
            e = s.org(tok.head)
            if e is not None and e.label == ORG:
                children = [e]
        if not children and tok.i + 2 < s.span.end and doc[tok.i + 1].text == ",":
            e = s.actx.name_at(doc[tok.i + 2], ORG)
            if e is not None and e.label in (ORG, None):
                children = [e]
        if not children and tok.dep_ == "compound" and tok.head.text[:1].isupper():
            children = [e for e in s.names_from(tok.head.i, skip_lower=0)
                        if e.label in (ORG, None, PROD)]
        has_det = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)
        if not children and not has_det:  # "its Harman subsidiary", "Samsung's X division"
            left = [t for t in tok.lefts if t.dep_ in ("compound", "nmod") and
                    t.text[:1].isupper() and t.i == tok.i - 1 or
                    t.dep_ == "compound" and t.tag_ in ("NNP", "NNPS")]
            if left:
                start = min(x.i for t in left for x in t.subtree)
                text = doc[start:tok.i].text
                if text.lower() not in s.lex.not_names and text.split()[0][:1].isupper():
                    canon = s.actx.short_orgs.get(text) or s.actx.first_words.get(text) or text
                    children = [Ent(start, tok.i, text, ORG, canon)]
        if not children:  # "Cloud Group, Alibaba's cloud unit" (apposition by the comma)
            edge = min(x.i for x in tok.subtree)
            if edge - 2 >= s.span.start and doc[edge - 1].text == ",":
                e = s.actx.ent_at(doc[edge - 2])
                if e is not None and e.label == ORG:
                    children = [e]
        if parent is None:
            for p in s.prep_obj(tok, "of"):
                parent = s.org(p) or parent
        if not children:
            continue
        for child in children:
            par = parent if parent is not None and not parent.coref else None
            first = child.text.split()[0]
            if par is None and len(child.text.split()) > 1 and first in s.actx.org_counts:
                par = Ent(child.start, child.start + 1, first, ORG, first, first in s.actx.gaz)
            if par is None and parent is not None:
                par = parent
            if par is None and tok.lower_ in ("subsidiaries", "subsidiary"):
                head = tok.head
                while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                    head = head.head
                subj = s.subject(head) if head.pos_ in ("VERB", "AUX") else None
                par = s.org(subj) if subj is not None else None
            if par is None or par.label != ORG or par.canonical == child.canonical:
                continue
            yield Draft("Subsidiary", {"parent": par.canonical, "child": child.canonical},
                        "unit", s, [par, child])
