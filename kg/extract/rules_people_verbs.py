"""Appointment patterns read from verbs: joins, board seats, founders, leaders.

- ``join``: "X joined / moved to / returned to / worked at Y", "X joined Y's board".
- ``found``: "Y was founded by A and B", "A co-founded Y", "A started Y with B".
- ``lead``: "a team led by X" (role ``leader``), "a group headed by X" (role ``head``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.mentions import ORG, PER, Ent
from kg.extract.sentence import Draft, Sent

__all__ = ["board_seats", "verb_appointments"]

def board_seats(s: Sent) -> Iterator[Draft]:
    """"X joined Y's board", "a seat on Y's board", "the board of directors of Y"."""
    for tok in s.span:
        if tok.lower_ != "board":
            continue
        org = None
        for c in tok.children:
            if c.dep_ == "poss":
                org = s.org(c)
        if org is None:
            for p in s.prep_obj(tok, "of"):
                o = s.org(p)
                if o is None:
                    for q in s.prep_obj(p, "of"):
                        o = s.org(q)
                org = o
        if org is None:
            continue
        if tok.head.lower_ == "to" or tok.head.head.lower_ in s.lex.title_words:
            continue  # "an adviser to X's board": the title pattern has it
        verb = tok.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subj = s.subject(verb)
        pe = s.person(subj) if subj is not None else None
        if pe is None:
            continue
        roles = {"person": pe.canonical, "organization": org.canonical, "role": "board member"}
        if verb.lower_ in s.lex.appointment["join"]:
            roles["date"] = s.date()
        yield Draft("Appointment", roles, "join", s, [pe, org])


def _hired(s: Sent, tok: Token) -> Iterator[Draft]:
    """"Y poached X from Z to run its robotics unit": X at Y (leader when "to lead/run"),
    and X at Z, the employer named with "from"."""
    people = [p for o in s.children(tok, "dobj") for p in (s.person(t) for t in s.conj_all(o))
              if p is not None and p.label == PER]
    if not people:
        return
    subj = s.subject(tok)
    org = s.org(subj) if subj is not None else None
    lead = next((x for x in tok.children if x.dep_ in ("xcomp", "advcl") and
                 x.lower_ in s.lex.appointment["lead"]), None)
    if any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
        lead = None  # "hired X as CTO": the title pattern has it
    froms = [e for p in s.prep_obj(tok, "from") for e in [s.org(p)] if e is not None]
    for pe in people:
        if org is not None and org.label == ORG and not any(
                c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
            roles: dict = {"person": pe.canonical, "organization": org.canonical}
            if lead is not None:
                roles["role"] = "leader"
            date = s.date(tok)
            if date:
                roles["date"] = date
            yield Draft("Appointment", roles, "join", s, [pe, org])
        for f in froms:
            if f.label == ORG and not f.coref:
                yield Draft("Appointment", {"person": pe.canonical, "organization": f.canonical},
                            "join", s, [pe, f])


def _formerly(s: Sent) -> Iterator[Draft]:
    """"Tomas Berg, formerly of Quillbyte," / "previously at Quillbyte": a past employer."""
    for tok in s.span:
        if tok.lower_ not in ("formerly", "previously") or tok.i + 2 >= s.span.end:
            continue
        if s.doc[tok.i + 1].lower_ not in ("of", "at", "with"):
            continue
        org = s.actx.ent_at(s.doc[tok.i + 2])
        k = tok.i - 1
        while k > s.span.start and s.doc[k].text == ",":
            k -= 1
        pe = s.actx.ent_at(s.doc[k])
        if org is not None and org.label == ORG and pe is not None and pe.label == PER:
            yield Draft("Appointment", {"person": pe.canonical, "organization": org.canonical},
                        "join", s, [pe, org])


_NOT_PEOPLE = {"top", "shareholder", "investor", "backer", "biggest", "largest", "new", "ai",
               "deal", "bet", "stake"}
_LEFT = {"left", "leaves", "quit", "quits", "departed", "departs"}


def _possessive_links(s: Sent) -> Iterator[Draft]:
    """"Quillbyte's Dana Okafor said", "Dana Okafor's Lumora AI": a stated person-company
    link without a title (the title pattern covers "Quillbyte's chief executive X")."""
    for tok in s.span:
        if tok.dep_ != "poss" or tok.head.i == tok.i:
            continue
        owner, owned = s.actx.ent_at(tok), s.actx.ent_at(tok.head)
        if owner is None or owned is None or owned.end - 1 != tok.head.i or \
                owned.start not in (owner.end, owner.end + 1):
            continue  # only names right next to each other: "X's Y"
        pair = {owner.label, owned.label}
        if pair != {ORG, PER} or owner.coref or owned.coref:
            continue
        pe, org = (owner, owned) if owner.label == PER else (owned, owner)
        words = {w.lower() for w in s.doc[pe.start:pe.end].text.split()}
        if words & (s.lex.title_words | _NOT_PEOPLE):
            continue  # a headline's "X's Top Shareholder" is no person
        yield Draft("Appointment", {"person": pe.canonical, "organization": org.canonical},
                    "join", s, [pe, org])


def _left(s: Sent, tok: Token) -> Iterator[Draft]:
    """"X left Quillbyte in 2020 to start Y": a former employer, without a title."""
    subj = s.subject(tok)
    people = [p for p in (s.person(t) for t in (s.conj_all(subj) if subj is not None else []))
              if p is not None and p.label == PER]
    for o in s.children(tok, "dobj"):
        org = s.org(o)
        if org is None or org.label != ORG or org.coref:
            continue
        for pe in people:
            yield Draft("Appointment", {"person": pe.canonical, "organization": org.canonical},
                        "join", s, [pe, org])


def verb_appointments(s: Sent) -> Iterator[Draft]:
    lex = s.lex
    ap = lex.appointment
    yield from _formerly(s)
    yield from _possessive_links(s)
    for tok in s.span:
        low = tok.lower_
        if low in ("hired", "hires", "hire", "poached", "poaches", "recruited", "recruits",
                   "brought", "brings") and tok.pos_ == "VERB" and not s.is_hedged(tok):
            yield from _hired(s, tok)
            continue
        if tok.pos_ not in ("VERB", "AUX") and low not in ap["found"]:
            continue
        if low in _LEFT and tok.pos_ == "VERB" and not s.is_hedged(tok):
            yield from _left(s, tok)
            continue
        if s.is_hedged(tok, sentence=low not in ap["found"]):
            continue
        if low in ap["join"] or low in ("worked", "works", "spent", "spend", "work"):
            subj = s.subject(tok)
            people = [s.person(t) for t in (s.conj_all(subj) if subj is not None else [])]
            people = [p for p in people if p is not None and p.label == PER]
            if not people:
                continue
            dests: list[Token] = []
            if low.startswith(("join", "rejoin")):
                dests = s.children(tok, "dobj")
            dests += s.prep_obj(tok, "to", "at", "for")
            if low.startswith("work"):
                dests += [c for p in s.prep_obj(tok, "on") for c in p.children
                          if c.dep_ == "poss"]  # "worked on Quillbyte's robot"
            for d in list(dests):
                dests += s.prep_obj(d, "at")
            for d in dests:
                org = s.org(d)
                if org is None or org.coref:
                    named = [e for e in s.names_from(min(x.i for x in d.subtree))
                             if e.label == ORG]
                    org = named[0] if named else org
                if org is None or org.label != ORG or org.coref:
                    continue
                roles = {"person": people[0].canonical, "organization": org.canonical}
                if low not in ("worked", "works", "spent", "spend", "work"):
                    roles["date"] = s.date(tok)
                for pe in people:
                    yield Draft("Appointment", {**roles, "person": pe.canonical}, "join", s,
                                [pe, org])
        elif low == "set" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
            continue
        elif low in ap["found"] and (tok.tag_ in ("VBN", "VBD", "VBZ", "VBG") or
                                     low.startswith("co") or tok.tag_ == "VB" and
                                     tok.dep_ in ("xcomp", "advcl")):  # "left to start Y"
            yield from _founded(s, tok)
        elif low in ("led", "headed", "run", "overseen") and tok.tag_ == "VBN":
            for agent in s.prep_obj(tok, "by"):
                pe = s.person(agent)
                if pe is None:
                    continue
                target = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
                if target is None and tok.dep_ == "acl":
                    target = tok.head
                if target is None:
                    continue
                org = s.org(target)
                if org is None or org.label != ORG:
                    poss = next((c for c in target.children if c.dep_ == "poss"), None)
                    org = s.org(poss) if poss is not None else None
                if (org is None or org.label != ORG) and target.lower_ in lex.unit_nouns | {
                        "team", "effort", "group", "company", "startup"}:
                    ctx = s.actx.context_org()
                    org = Ent(target.i, target.i + 1, ctx, ORG, ctx, False, True) if ctx else None
                if org is None or org.label != ORG:
                    continue
                role = "head" if low == "headed" else "leader"
                if any(c.lower_ in lex.title_words for c in agent.lefts):
                    continue  # "run by chief executive X": the title pattern has it
                yield Draft("Appointment", {"person": pe.canonical, "organization": org.canonical,
                                            "role": role}, "lead", s, [pe, org])


def _founded(s: Sent, tok: Token) -> Iterator[Draft]:
    low = tok.lower_
    co = low.startswith("co") or tok.i - 2 >= s.span.start and \
        s.doc[tok.i - 2].lower_ == "co" and s.doc[tok.i - 1].text == "-"
    year = next((d.value[:4] for d in s.dates if len(d.value) >= 4), None)
    agents = s.prep_obj(tok, "by")
    if agents:  # passive: "Y (was) founded in 2016 by A and B"
        target = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if target is not None and target.lower_ in ("which", "that", "who") \
                and tok.dep_ == "relcl":
            target = tok.head
        if target is None and tok.dep_ in ("acl", "relcl"):
            target = tok.head
        if target is not None and target.dep_ == "appos" and s.actx.ent_at(target) is None:
            target = target.head
        org = s.org(target) if target is not None else None
        if org is None or org.label != ORG:
            subj = s.subject(s.span.root)
            org = s.org(subj) if subj is not None else None
        if org is None or org.label != ORG:
            return
        role = "co-founder" if co else "founder"
        for a in agents:
            people = [s.person(t) for t in s.conj_all(a)]
            people += [p for p in s.names_from(a.i + 1, PER) if p.label == PER]
            seen: set[str] = set()
            for pe in people:
                if pe is None or pe.canonical in seen:
                    continue
                seen.add(pe.canonical)
                if pe is not None and pe.label == PER:
                    roles = {"person": pe.canonical, "organization": org.canonical, "role": role}
                    if year:
                        roles["date"] = year
                    yield Draft("Appointment", roles, "found", s, [pe, org])
        return
    if low in ("launch", "launched", "create", "created", "set up"):
        return
    subj = s.subject(tok)
    if subj is None:
        return
    if subj.dep_ == "appos" and s.person(subj) is None:
        subj = subj.head  # "Reid Hoffman, the X co-founder who started Y"
    people = [s.person(t) for t in s.conj_all(subj)]
    people = [p for p in people if p is not None and p.label == PER]
    withs = s.prep_obj(tok, "with") + [  # "started it in 2017 as a X operation with A and B"
        g for c in s.children(tok, "prep") for o in c.children if o.dep_ == "pobj"
        for g in s.prep_obj(o, "with")]
    with_people = [p for w in withs for p in s.names_from(min(x.i for x in w.subtree), PER)]
    with_people = [p for p in with_people if p.label == PER]
    objs = s.children(tok, "dobj")
    if not people or not objs:
        return
    org = s.org(objs[0])
    if objs[0].lower_ in ("which", "that") and tok.dep_ == "relcl":
        org = s.org(tok.head)  # "Northwind, which Okafor set up in 2020"
    if org is None or org.label != ORG:
        return
    role = "co-founder" if co or with_people or len(people) > 1 else "founder"
    for pe in people + with_people:
        roles = {"person": pe.canonical, "organization": org.canonical, "role": role}
        if year:
            roles["date"] = year
        yield Draft("Appointment", roles, "found", s, [pe, org])

