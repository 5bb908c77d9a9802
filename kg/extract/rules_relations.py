"""Partnership, Customer and Subsidiary patterns.

Pattern families: ``deal`` (deal nouns and partnering verbs with "with X"; "the two
companies"; one partnership per partner named after "with"), ``list`` ("customers include
A, B and C", "A deployed B"), ``unit`` (a named division or subsidiary with its owner).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.mentions import ORG, PROD, Ent
from kg.extract.sentence import Draft, Sent

__all__ = ["partnerships", "customers", "subsidiaries"]

_GENERIC_DEALS = {"deal", "deals", "agreement", "agreements", "contract", "contracts", "pact",
                  "partners", "partner",
                  "arrangement", "partnership", "partnerships", "tie-up", "alliance"}
_KIND_SKIP = {"new", "first", "the", "a", "an", "its", "their", "similar", "major", "big",
              "landmark", "reported", "roughly", "worth", "two", "same", "separate", "another"}


_DURATION = {"year", "years", "month", "months", "multi-year", "multiyear", "decade",
             "week", "weeks", "long-term", "multi"}


def _deal_kind(s: Sent, noun: Token) -> str | None:
    mods = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod") and
            t.lower_ not in _KIND_SKIP and not t.like_num and t.tag_ != "$"]
    words = []
    for t in mods:
        # "a five-year deal", "a multi-year cloud deal": how long is no kind
        drop = {x.i for x in t.subtree if x.lower_ in _DURATION}
        drop |= {x.i for x in t.subtree if x.text in ("-", "‑", "–") and (x.i - 1 in drop or
                                                              x.i + 1 in drop)}
        drop |= {x.i for x in t.subtree if x.i + 2 in drop and s.doc[x.i + 1].tag_ == "HYPH"}
        if any("dollar" in x.lower_ or x.lower_ in ("multibillion", "multimillion")
               for x in t.subtree):
            continue  # "a multibillion-dollar deal": its size, not its kind
        sub = [x for x in t.subtree if x.lower_ not in _KIND_SKIP and not x.like_num
               and x.tag_ != "$" and x.lower_ not in ("million", "billion") and x.i not in drop]
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


_PURCHASE = {"buy", "buys", "bought", "buying", "purchase", "purchases", "purchased", "rent",
             "rents", "rented", "lease", "leases", "leased"}
_COMPUTE_GOODS = ("comput", "capacity", "chips", "gpu", "servers", "cloud", "processors",
                  "accelerators", "data center", "data centre")
_FORMED = {"formed", "form", "forms", "created", "established", "set"}
_JOINT = {"venture", "project", "consortium", "company"}


def _goods_kind(verb: Token) -> str | None:
    """"provide cloud computing", "supply chips": what a supply deal is about."""
    words = " ".join(t.lower_ for o in verb.children if o.dep_ == "dobj" for t in o.subtree)
    for cue, kind in (("cloud", "cloud"), ("comput", "compute"), ("gpu", "compute"),
                      ("chip", "compute"), ("capacity", "compute"), ("licen", "licensing")):
        if cue in words:
            return kind
    return None


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
        if (low in nouns or low == "venture" and any(c.lower_ == "joint" for c in tok.children)
                or low == "partners" and tok.dep_ == "attr") and tok.pos_ == "NOUN":
            if s.is_hedged(tok) or tok.dep_ in ("compound", "amod", "poss"):
                continue
            verb = tok.head
            if tok.dep_ == "pobj" and verb.lower_ == "of" and verb.head.lower_ == "expansion":
                verb = verb.head
            under = tok.dep_ == "pobj" and verb.lower_ in ("under", "through", "via", "in") and \
                verb.head.pos_ == "VERB"
            if under:  # "X will provide computing to Y under a multiyear agreement"
                verb = verb.head
            kind = _deal_kind(s, tok)
            if low == "venture":
                kind = "joint venture"
            subj = s.subject(verb) if verb.pos_ in ("VERB", "AUX") and tok.dep_ != "nsubj" \
                else None
            if under and tok.head.lower_ == "in" and kind is None:
                continue  # "... in a deal": only a deal of a stated kind ("in a cloud deal")
            if under and kind is None:
                kind = _goods_kind(verb)
            pair = _pair_subject(s, subj)
            if pair is not None:
                side = pair
            elif subj is not None:
                side = _orgs(s, [subj])
            acl = [c for c in tok.children if c.dep_ in ("acl", "relcl")]
            amods = [c for c in tok.children if c.dep_ == "amod"]  # "a contract worth $X with Y"
            withs = _orgs(s, s.prep_obj(tok, "with", "between") + s.prep_obj(verb, "with") +
                          [w for a in acl + amods for w in s.prep_obj(a, "with")] +
                          (s.prep_obj(verb, "to") + s.children(verb, "dative") if under else []))
            if under and not withs:  # "A agreed to use a million of X's chips in a cloud deal"
                withs = _orgs(s, [c for o in s.children(verb, "dobj") for t in o.subtree
                                  for c in t.children if c.dep_ == "poss"])
            for a in acl:
                pair = _pair_subject(s, next((c for c in a.children if c.dep_ == "nsubj"), None))
                if pair:
                    side = pair
            if not side and withs and tok.dep_ == "pobj" and verb.lower_ == "with":
                root_subj = s.subject(s.span.root)
                side = _orgs(s, [root_subj]) if root_subj is not None else []
            poss = [c for c in tok.children if c.dep_ == "poss"]
            if poss and (not side or len(side) == 1 and not withs):
                side = _orgs(s, poss) + side  # "its agreement with Quillbyte"
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
        elif low in ("supply", "supplies", "supplied", "supplying") and tok.pos_ == "VERB":
            if s.is_hedged(tok):  # "X agreed to supply Y with chips": a supply deal
                continue
            subj = s.subject(tok)
            side = _orgs(s, [subj]) if subj is not None else []
            withs = _orgs(s, s.children(tok, "dobj", "dative"))
            if not withs:
                continue
            kind = "supply"
        elif low in _PURCHASE and tok.pos_ == "VERB":
            # "X signed a contract to buy $300 billion of computing power from Y"
            objs = s.children(tok, "dobj")
            goods = " ".join(t.lower_ for o in objs for t in o.subtree)
            if not objs or not any(g in goods for g in _COMPUTE_GOODS) or s.is_hedged(tok):
                continue
            if low.startswith(("rent", "lease")) and tok.head.lower_ not in _GENERIC_DEALS:
                continue  # "A leases capacity from X" alone is a customer relation
            withs = _orgs(s, s.prep_obj(tok, "from") +
                          [q for o in objs for q in s.prep_obj(o, "from")] +
                          [q for o in objs for p in s.prep_obj(o, "of")
                           for q in s.prep_obj(p, "from")])
            if not withs:
                continue
            subj = s.subject(tok)
            if subj is not None and subj.lower_ in _GENERIC_DEALS:
                subj = s.subject(subj.head) if subj.head.pos_ in ("VERB", "AUX") else None
            side = _orgs(s, [subj]) if subj is not None else []
            kind = _goods_kind(tok) or "compute"
        elif low in _FORMED and tok.pos_ == "VERB" and s.prep_obj(tok, "with") and (
                any(o.lower_ in _JOINT for o in s.children(tok, "dobj")) or
                tok.dep_ == "relcl" and tok.head.lower_ in _JOINT):
            if s.is_hedged(tok):  # "the venture that X formed with A and B": all partners
                continue
            subj = s.subject(tok)
            if subj is not None and subj.lower_ in ("that", "which"):
                subj = None
            side = _orgs(s, [subj]) if subj is not None else []
            side += _orgs(s, s.prep_obj(tok, "with"))
            kind = "joint venture"
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


_USED_GOODS = {"software", "technology", "services", "models", "chips", "systems", "tools",
               "products", "platform", "processors", "cloud", "drones", "robots", "service",
               "model", "chip", "system", "tool", "product", "app", "apps", "agents"}


def _used_by(s: Sent) -> Iterator[Draft]:
    """"Its chips are used by A and B", "Quillbyte's software is used by A": A, B are
    customers of the subject's owner (or of the subject itself when it is a company)."""
    for tok in s.span:
        if tok.lower_ != "used" or tok.tag_ != "VBN" or s.is_hedged(tok):
            continue
        users = [t for p in s.prep_obj(tok, "by") for t in s.conj_all(p)]
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if tok.dep_ == "acl" and subj is None:
            subj = tok.head  # "software used by A"
        if not users or subj is None:
            continue
        provider = None
        if subj.lower_ in _USED_GOODS or subj.lower_ in s.lex.product_nouns:
            poss = [c for c in subj.children if c.dep_ == "poss"]
            provider = s.org(poss[0]) if poss else None
        else:
            provider = s.org(subj)
        if provider is None or provider.label != ORG:
            continue
        for t in users:
            c = s.org(t)
            if c is not None and c.label == ORG and c.canonical != provider.canonical:
                yield Draft("Customer", {"provider": provider.canonical,
                                         "customer": c.canonical}, "list", s, [provider, c])


def _company_shaped(s: Sent, e: Ent) -> bool:
    """A name NER typed as a product that reads as a business ("Quillbyte Cloud
    Services customers include ..."): several words ending in an organisation word."""
    words = e.text.split()
    return len(words) > 1 and words[-1].lower() in set(s.lex.org_suffixes) | {
        "infrastructure", "services", "platform"}


_RUNS = {"runs", "run", "ran", "running", "relies", "rely", "relied"}
_LEASES = {"leases", "lease", "leased", "leasing", "rents", "rent", "rented", "renting",
           "buys", "bought", "buying", "licenses", "licensed"}
_SERVICES = {"cloud", "servers", "infrastructure", "chips", "gpus", "platform", "models",
             "capacity", "data", "centers", "centres", "services", "software", "hardware"}


def _runs_on(s: Sent) -> Iterator[Draft]:
    """"A runs on X's cloud", "A relies on X's chips", "A leases capacity from X":
    A is X's customer."""
    for tok in s.span:
        low = tok.lower_
        if tok.pos_ != "VERB" or low not in _RUNS | _LEASES or s.is_hedged(tok):
            continue
        provider = None
        if low in _RUNS:
            for p in s.prep_obj(tok, "on"):
                if p.lower_ in _SERVICES:
                    poss = [c for c in p.children if c.dep_ in ("poss", "compound")]
                    provider = s.org(poss[0]) if poss else None
        else:
            objs = s.children(tok, "dobj")
            if not objs or objs[0].lower_ not in _SERVICES | {"space", "gpu", "compute"}:
                continue
            froms = s.prep_obj(tok, "from") + s.prep_obj(objs[0], "from")
            provider = s.org(froms[0]) if froms else None
        subj = s.subject(tok)
        if provider is None or subj is None or provider.label != ORG:
            continue
        if subj.lower_ in _SERVICES:  # "A's models run on X's cloud"
            poss = [c for c in subj.children if c.dep_ == "poss"]
            subj = poss[0] if poss else subj
        customer = s.org(subj)
        if customer is None or customer.label != ORG or customer.canonical == provider.canonical:
            continue
        yield Draft("Customer", {"provider": provider.canonical,
                                 "customer": customer.canonical}, "list", s,
                    [provider, customer])


def customers(s: Sent) -> Iterator[Draft]:
    if s.hedged:
        return
    yield from _usage(s)
    yield from _used_by(s)
    yield from _runs_on(s)
    for tok in s.span:
        low = tok.lower_
        if low not in ("customers", "customer", "clients", "client", "users"):
            continue
        provider: Ent | None = None
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "nmod") or c.dep_ == "amod" and c.tag_ == "NNP":
                provider = s.org(c)
                named = s.actx.ent_at(c)
                if provider is None and named is not None and named.label == PROD and \
                        c.i == tok.i - 1 and _company_shaped(s, named):
                    provider = Ent(named.start, named.end, named.text, ORG, named.canonical)
        if provider is None:
            for p in s.prep_obj(tok, "of"):  # "X is a customer of Y"
                provider = s.org(p)
        custs: list[Ent] = []
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ == "VERB":
            verb = head.head  # "Y, which counts X as a client" / "Y signed X as a customer"
            subj = s.subject(verb)
            provider = s.org(subj) if subj is not None else provider
            custs = [e for o in s.children(verb, "dobj") for e in
                     (s.org(t) for t in s.conj_all(o)) if e is not None]
            head = tok  # handled
        rel = next((c for c in tok.children if c.dep_ == "relcl" and
                    c.lower_ in ("include", "includes", "included")), None)
        if head.lower_ in ("include", "includes", "included", "including") and tok.dep_ == "nsubj":
            custs = s.names_from(head.i + 1)
            owner = s.actx.focus_org or s.actx.topic_org
            if provider is None and owner and not any(
                    c.dep_ in ("poss", "compound", "nmod", "prep") for c in tok.children):
                provider = Ent(tok.i, tok.i + 1, tok.text, ORG, owner, False, True)
        elif rel is not None:  # "sells to Quillbyte customers, who include A and B"
            custs = s.names_from(rel.i + 1)
        elif head.lower_ == "among" and tok.dep_ == "pobj":
            clause = head.head
            subj = s.subject(clause)
            if subj is not None:
                custs = [e for e in (s.org(t) for t in s.conj_all(subj)) if e is not None]
            if provider is not None and any(c.canonical == provider.canonical for c in custs):
                # "X counts A and B among its customers": the objects are the customers
                custs = [e for o in s.children(clause, "dobj") for e in
                         (s.org(t) for t in s.conj_all(o)) if e is not None]
            for t in clause.subtree:
                if t.i < head.i:
                    e = s.actx.ent_at(t)
                    if e is not None and e.label == ORG and all(e.canonical != c.canonical
                                                                for c in custs):
                        custs.append(e)
        elif tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ == "one" and \
                head.head.dep_ == "attr" and provider is not None:
            subj = s.subject(head.head.head)  # "X is one of Y's biggest customers"
            e = s.org(subj) if subj is not None else None
            if e is not None:
                custs = [e]
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
        # "its chip unit Tessaract" / "subsidiaries Paylane and Ferrovia"
        if tok.i + 1 < s.span.end:
            nxt = s.actx.name_at(doc[tok.i + 1], ORG)
            if nxt is not None and nxt.start == tok.i + 1:
                children = [e for e in s.names_from(tok.i + 1, skip_lower=0) if e.label in
                            (ORG, None, PROD)]
        # "Quillbyte Research, the chip company's AI lab" / "a new division, Lumora Cloud"
        if not children and tok.dep_ == "appos":
            e = s.org(tok.head)
            named = s.actx.ent_at(tok.head)
            if e is None and named is not None and named.label == PROD and \
                    len(named.text.split()) > 1:  # "Orbit Cloud Platform, its cloud unit"
                e = Ent(named.start, named.end, named.text, ORG, named.canonical)
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
        if not children and not has_det:  # "its Paylane subsidiary", "Quillbyte's X division"
            left = [t for t in tok.lefts if t.dep_ in ("compound", "nmod") and
                    t.text[:1].isupper() and t.i == tok.i - 1 or
                    t.dep_ == "compound" and t.tag_ in ("NNP", "NNPS")]
            if left:
                start = min(x.i for t in left for x in t.subtree)
                text = doc[start:tok.i].text
                if text.lower() not in s.lex.not_names and text.split()[0][:1].isupper():
                    canon = s.actx.short_orgs.get(text) or s.actx.first_words.get(text) or text
                    children = [Ent(start, tok.i, text, ORG, canon)]
        if not children:  # "Orbit Group, Quillbyte's cloud unit" (apposition by the comma)
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
            if par is not None and par.canonical == child.canonical and not par.coref and \
                    par.text != child.text:
                # "Norvia Robotics, the robotics unit of Norvia": the short name is the parent
                par = Ent(par.start, par.end, par.text, ORG, par.text, par.known)
            if par is None or par.label != ORG or par.canonical == child.canonical:
                continue
            yield Draft("Subsidiary", {"parent": par.canonical, "child": child.canonical},
                        "unit", s, [par, child])
