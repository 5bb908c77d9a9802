"""Appointment patterns: every stated person-role-organisation link (spec convention 1).

Pattern families (each a name in the confidence table of :mod:`kg.extract.extractor`):

- ``title``: a title phrase found by the lexicon's title pattern, linked to a person on its
  right ("chief executive Dana Okafor"), on its left across an apposition ("Tomas Berg,
  chief executive of ..."), or through the parse (copula "X was chairman of Y", "as CEO"),
  and to an organisation on its left ("Quillbyte chief executive", "Lumora's chairman"),
  its right ("CEO of Y", "partner at Y"), the subject of the governing verb ("Y named X as
  CEO"), or the organisation in focus. "co-founder and CEO of Y" gives two events.
- ``join``, ``found``, ``lead``: verb patterns, in :mod:`kg.extract.rules_people_verbs`.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.mentions import ORG, PER, PROD, Ent
from kg.extract.rules_people_verbs import board_seats, verb_appointments
from kg.extract.sentence import Draft, Sent

__all__ = ["appointments"]



def _norm_role(raw: str, lex) -> str:
    words = raw.replace("\n", " ").split()
    while len(words) > 1 and words[0].lower() in lex.drop_modifiers:
        words = words[1:]
    last = words[-1].lower()
    if last in lex.title_plural:
        words[-1] = lex.title_plural[last]
    role = " ".join(words)
    role = role.replace("cofounder", "co-founder").replace("Cofounder", "Co-founder")
    return role[0].lower() + role[1:] if role[:1].isupper() and not role[:3].isupper() \
        and not role.split()[0].isupper() else role


class _Title:
    def __init__(self, start: int, end: int, role: str, weak: bool) -> None:
        self.start, self.end, self.role, self.weak = start, end, role, weak
        self.persons: list[Ent] = []


def _titles(s: Sent) -> list[list[_Title]]:
    """Title phrases of the sentence, grouped when joined by "and" ("president and CEO")."""
    doc, lex = s.doc, s.lex
    base = s.span.start_char
    found: list[_Title] = []
    for m in lex.title_rx.finditer(s.text):
        span = doc.char_span(base + m.start("title"), base + m.end("title"),
                             alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        last = span[-1]
        if last.tag_.startswith("VB") or last.tag_ in ("NNP", "NNPS") and last.text[0].isupper() \
                and last.lower_ not in lex.title_words:
            continue
        if s.actx.ent_at(last) is not None and s.actx.ent_at(last).label == ORG:
            continue
        prev = doc[span.start - 1] if span.start > s.span.start else None
        common = prev is not None and (prev.tag_ in ("NN", "NNS") and prev.is_lower or
                                       prev.i == s.span.start and s.actx.ent_at(prev) is None
                                       and prev.is_title)
        if common and prev.lower_ not in lex.title_words and not s.actx.is_coref_np(prev):
            continue  # "film director", "security researcher": not a post at an organisation
        role = _norm_role(m.group("title"), lex)
        low = role.lower()
        if low.split()[-1] in ("head", "lead", "leader") and not (
                last.i + 1 < s.span.end and doc[last.i + 1].lower_ in ("of", "at")) \
                and last.dep_ not in ("attr", "pobj", "appos"):
            continue  # "head" as noun only in "head of", "as head", "X, head"
        words = low.split()
        weak = low in lex.weak_titles or words[-1] in lex.weak_titles and len(words) > 1 \
            and words[0] in ("senior", "lead", "principal", "executive", "global")
        found.append(_Title(span.start, span.end, role, weak))
    groups: list[list[_Title]] = []
    for t in found:
        if groups:
            prev = groups[-1][-1]
            between = doc[prev.end:t.start].text.strip().lower()
            if between in ("and", "&"):
                groups[-1].append(t)
                continue
        groups.append([t])
    return groups


def _person_right(s: Sent, end: int) -> list[Ent]:
    doc = s.doc
    j = end
    if j < s.span.end and doc[j].text == ",":
        j += 1
    if j >= s.span.end:
        return []
    ent = s.actx.ent_at(doc[j])
    if ent is None or ent.label != PER or ent.start != j:
        return []
    return [ent]


def _person_list_right(s: Sent, end: int) -> list[Ent]:
    first = _person_right(s, end)
    if not first:
        return []
    return [e for e in s.names_from(first[0].start, PER, skip_lower=0) if e.label == PER]


def _left_region(s: Sent, start: int) -> tuple[Ent | None, Ent | None, bool]:
    """Scan left of a title: (organisation adjacent, person across a comma, possessive 'its')."""
    doc = s.doc
    org: Ent | None = None
    poss = False
    j = start - 1
    steps = 0
    while j >= s.span.start and steps < 10:
        tok = doc[j]
        ent = s.actx.ent_at(tok)
        if ent is not None and ent.label == PROD and org is None and \
                s.doc[ent.start].text in s.actx.org_counts:  # "Quillbyte TPU designer"
            first_tok = s.doc[ent.start]
            org = Ent(ent.start, ent.start + 1, first_tok.text, ORG, first_tok.text)
            j = ent.start - 1
            steps += 1
            continue
        if ent is not None:
            if ent.label == PER and ent.end - ent.start == 1 and j == start - 1 and \
                    ent.canonical == ent.text and org is None:
                ent = Ent(ent.start, ent.end, ent.text, ORG, ent.text)  # "the Orvana co-founder"
            if ent.label == PER:
                return org, None, poss  # "Tomas Berg chief executive": not an apposition
            if ent.label == ORG and org is None:
                org = ent
            j = ent.start - 1
            steps += 1
            continue
        if tok.text == ",":
            k = j - 1
            if k >= s.span.start:
                pe = s.actx.ent_at(doc[k])
                if pe is None and doc[k].tag_ in ("NNP", "NNPS"):
                    pe = s.actx.name_at(doc[k], PER)
                    if pe is not None and pe.canonical not in s.actx.surnames.values():
                        pe = None
                if pe is None and doc[k].like_num and k - 2 >= s.span.start \
                        and doc[k - 1].text == ",":  # "Okafor, 41, ..."
                    pe = s.actx.ent_at(doc[k - 2])
                if pe is not None and pe.label == PER:
                    return org, pe, poss
            return org, None, poss
        if ent is None and j == start - 1 and tok.tag_ in ("NNP", "NNPS") and \
                tok.text[:1].isupper():
            named = s.actx.name_at(tok, ORG)
            if named is not None and named.label in (ORG, None):
                org = Ent(named.start, named.end, named.text, ORG, named.canonical, named.known)
                j = named.start - 1
                steps += 1
                continue
        if tok.lower_ in ("its", "their"):
            poss = True
        elif s.actx.is_coref_np(tok) and j + 1 < start and s.doc[j + 1].tag_ == "POS":
            np_org = s.org(tok)  # "the data-labeling company's chief executive"
            if np_org is not None and org is None:
                org = np_org
            else:
                poss = True
        if tok.lower_ in ("is", "was", "remains", "became", "becomes") and j > s.span.start:
            k = j - 1  # "Okafor is also Lumora's chairman"
            while k > s.span.start and s.doc[k].pos_ == "ADV":
                k -= 1
            pe = s.person(s.doc[k])
            if pe is not None and pe.label == PER and s.doc[k].dep_ in ("nsubj", "nsubjpass"):
                return org, pe, poss
        if (tok.pos_ in ("VERB", "AUX", "ADP", "CCONJ") and tok.tag_ != "VBN" or
                tok.lower_ in ("who", "which")) and tok.lower_ not in ("until", "till"):
            return org, None, poss  # ("until now the startup's CSO" is an apposition)
        j -= 1
        steps += 1
    return org, None, poss


_UNIT_LAST = {"infrastructure", "services", "cloud", "labs", "lab", "research", "division",
              "systems", "industries", "group", "platforms", "networks"}


def _org_right(s: Sent, end: int) -> Ent | None:
    doc = s.doc
    j = end
    limit = min(s.span.end, end + 12)
    while j < limit:
        tok = doc[j]
        if tok.lower_ in ("of", "at", "for", "with", "to") and tok.dep_ in ("prep",):
            k = j + 1
            skipped = 0
            while k < limit and skipped < 8:
                t = doc[k]
                ent = s.actx.name_at(t, ORG)
                if ent is not None and ent.label in (ORG, None):
                    e2 = ent.end
                    if e2 + 1 < limit and doc[e2].tag_ == "POS":  # "of Quillbyte's X division"
                        unit = s.actx.name_at(doc[e2 + 1], ORG)
                        if unit is not None and unit.label in (ORG, None):
                            ent = unit
                    return ent if ent.label else Ent(ent.start, ent.end, ent.text, ORG,
                                                     ent.canonical, ent.known)
                if ent is not None and ent.label == PROD and k == j + 1 and \
                        ent.end - ent.start > 1 and doc[ent.end - 1].lower_ in _UNIT_LAST:
                    # "president of Orbit Cloud Infrastructure": a business NER took for a product
                    return Ent(ent.start, ent.end, ent.text, ORG, ent.canonical, ent.known)
                if ent is not None and ent.label == PER:
                    return None
                if s.actx.is_coref_np(t) or t.lower_ in ("its", "their") and \
                        k + 1 < limit and doc[k + 1].lower_ in s.lex.unit_nouns:
                    return s.org(t)
                if t.text in (",",) and skipped == 0:
                    break
                if t.pos_ == "VERB" and t.tag_ != "VBN" or t.lower_ in ("who", "which", "that"):
                    return None
                k += 1
                skipped += 1
            j = k
            continue
        if tok.text in (",", ";", "(") or tok.pos_ in ("VERB", "AUX") and tok.tag_ != "VBN":
            return None
        j += 1
    return None


def _governor(s: Sent, head: Token) -> tuple[str, Token] | None:
    """How a title's head token attaches: ("attr", verb), ("as", verb), ("appos", noun)."""
    if head.dep_ in ("attr", "oprd", "acomp") and head.head.pos_ in ("AUX", "VERB"):
        return "attr", head.head
    if head.dep_ == "pobj" and head.head.lower_ == "as" and head.head.head.pos_ in ("VERB", "AUX"):
        return "as", head.head.head
    if head.dep_ == "appos":
        return "appos", head.head
    return None


def _agent_org(s: Sent, person: Ent) -> Ent | None:
    """"Y is run by chief executive X", "Y, co-founded by chief executive X": Y."""
    tok = s.doc[person.end - 1]
    if tok.dep_ != "pobj" or tok.head.lower_ != "by":
        return None
    verb = tok.head.head
    target = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if target is None and verb.dep_ in ("acl", "relcl"):
        target = verb.head
    if target is None:
        return None
    ent = s.org(target)
    return ent if ent is not None and ent.label == ORG else None


def _sentence_subject_org(s: Sent) -> Ent | None:
    for tok in s.span:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
            ent = s.org(tok)
            if ent is not None and ent.label == ORG:
                return ent
    return None


def _by_title(s: Sent) -> Iterator[Draft]:
    lex = s.lex
    token_person: dict[int, list[Ent]] = {}
    person_org: dict[str, Ent] = {}
    for group in _titles(s):
        first, last = group[0], group[-1]
        head = s.doc[last.end - 1]
        org_left, person_left, poss = _left_region(s, first.start)
        plural = s.doc[last.end - 1].lower_ in s.lex.title_plural
        persons = (_person_list_right if plural else _person_right)(s, last.end)
        org_right = _org_right(s, last.end)
        gov = _governor(s, head) or _governor(s, s.doc[first.end - 1])
        verb_subject_org: Ent | None = None
        dated = False
        across_comma = bool(persons) and s.doc[last.end].text == ","
        if gov is not None and gov[0] == "attr":
            g = gov[1]
            where = next((c for c in g.children if c.lower_ == "where"), None)
            if g.dep_ == "relcl" and where is not None:
                wo = s.org(g.head)  # "at Quillbyte, where she was head of ..."
                k = where.i - 1
                while (wo is None or wo.label != ORG) and k >= max(s.span.start, where.i - 3):
                    wo = s.actx.ent_at(s.doc[k])
                    k -= 1
                if wo is not None and wo.label == ORG:
                    verb_subject_org = wo
        if person_left is not None and (not persons or across_comma):
            persons = [person_left]
        if not persons and gov is not None:
            kind, g = gov
            if kind == "appos":
                pe = s.person(g)
                if pe is None and g.i in token_person:
                    persons = token_person[g.i]
                elif pe is not None:
                    persons = [pe]
            else:
                dobj = [c for c in g.children if c.dep_ in ("dobj", "oprd")]
                cands = dobj if kind == "as" and dobj else []
                subj = s.subject(g)
                if kind == "as" and dobj:  # "who had run Lumora as interim CEO"
                    do = s.actx.ent_at(dobj[0])
                    if do is not None and do.label == ORG:
                        verb_subject_org, cands = do, []
                for c in cands:
                    pe = s.person(c)
                    if pe is not None:
                        persons.append(pe)
                        if subj is not None:
                            so = s.org(subj)
                            if so is not None and so.label == ORG:
                                verb_subject_org = so
                        dated = g.lower_ in lex.appointment["name"]
                who = next((c for c in g.children if c.dep_ == "nsubj" and c.lower_ == "who"),
                           None)
                if who is not None and who.i - 1 in token_person:
                    persons = token_person[who.i - 1]  # "the Orvana co-founder who was ..."
                if not persons and subj is not None:
                    pe = s.person(subj)
                    if pe is None and subj.i in token_person:
                        persons = token_person[subj.i]
                    elif pe is not None:
                        persons = [pe]
                    dated = g.lower_ in lex.appointment["name"] | lex.appointment["join"] or \
                        g.lower_ in ("takes", "took", "take")
        if not persons and head.dep_ == "nsubj" and head.head.lemma_ == "be":
            attr = next((c for c in head.head.children if c.dep_ == "attr"), None)
            pe = s.person(attr) if attr is not None else None  # "X's new CTO is Tomas Berg"
            if pe is not None and pe.label == PER:
                persons = [pe]
        if not persons and first.start > s.span.start:
            # "Quillbyte named Dana Okafor chief executive": object and its complement
            pe = s.actx.ent_at(s.doc[first.start - 1])
            v = s.doc[pe.end - 1].head if pe is not None and pe.label == PER else None
            if v is not None and v.lower_ not in lex.appointment["name"] and \
                    head.dep_ in ("oprd", "dobj", "xcomp"):
                v = head.head  # "named [Dana Okafor chief executive]"
            if v is not None and v.lower_ in lex.appointment["name"]:
                persons = [pe]
                so = s.org(s.subject(v)) if s.subject(v) is not None else None
                verb_subject_org = so if so is not None and so.label == ORG else None
                dated = True
        if not persons:
            # "X named Dana Okafor, a veteran ..., as chief executive": dobj of the verb
            if head.dep_ == "pobj" and head.head.lower_ == "as":
                v = head.head.head
                for c in v.subtree:
                    pe = s.actx.ent_at(c)
                    if pe is not None and pe.label == PER and c.i < head.i:
                        persons = [pe]
                        subj = s.subject(v)
                        so = s.org(subj) if subj is not None else None
                        if so is None:
                            so = next((e for e in s.ents if e.label == ORG and e.end <= pe.start),
                                      None)
                        if so is None:  # "Orbix.AI named X as CEO" with an unknown name
                            so = next((n for n in (s.actx.name_at(t, ORG) for t in
                                                   s.doc[s.span.start:pe.start])
                                       if n is not None and n.label in (ORG, None)), None)
                            if so is not None and so.label is None:
                                so = Ent(so.start, so.end, so.text, ORG, so.canonical)
                        verb_subject_org = so
                        dated = True
                        break
        if not persons:
            continue
        for t in group:
            token_person[s.doc[t.end - 1].i] = persons
        if org_left or org_right:
            for pe in persons:
                person_org.setdefault(pe.canonical, org_left or org_right)
        org = org_left or org_right or verb_subject_org or _agent_org(s, persons[0]) or \
            person_org.get(persons[0].canonical)  # "X, until now Y's CSO, becomes interim CEO"
        coref = False
        if org is None and poss:
            org = _sentence_subject_org(s) or s.org(s.doc[first.start - 1]) \
                if first.start > s.span.start else None
            if org is None and s.actx.context_org():
                org = Ent(first.start, first.start, "its", ORG, s.actx.context_org(), False, True)
            coref = True
        if org is None:
            if first.weak or any(t.weak for t in group):
                continue
            local = _sentence_subject_org(s)
            ctx = local.canonical if local is not None else s.actx.context_org()
            if ctx is None:
                continue
            org = Ent(first.start, first.start, ctx, ORG, ctx, False, True)
            coref = True
        for idx, t in enumerate(group):
            if t.weak and coref:
                continue
            t_org = org
            if idx < len(group) - 1 and org_right is not None and org_left is not None \
                    and org is org_left:
                t_org = org_left
            for pe in persons:
                if pe.canonical == t_org.canonical:
                    continue
                roles = {"person": pe.canonical, "organization": t_org.canonical, "role": t.role}
                if dated and t is last:
                    roles["date"] = s.date(s.doc[t.start])
                yield Draft("Appointment", roles, "title", s, [pe, t_org])
                if t_org is org_right and not coref:  # "chief executive of A and B"
                    for c in s.conj_all(s.doc[org_right.end - 1])[1:]:
                        more = s.actx.ent_at(c)
                        if more is not None and more.label == ORG and \
                                more.canonical not in (pe.canonical, t_org.canonical):
                            yield Draft("Appointment", {**roles, "organization": more.canonical},
                                        "title", s, [pe, more])


def appointments(s: Sent) -> Iterator[Draft]:
    """Every Appointment draft of the sentence.

    Titles and founders are background facts ("Lumora, founded by X, is in talks ..., people
    familiar said"): a rumour hedge on the sentence does not remove them; moves (joins,
    board seats) in a hedged sentence are dropped.
    """
    yield from _by_title(s)
    if s.hedged:
        yield from (d for d in verb_appointments(s) if d.family == "found")
        return
    yield from board_seats(s)
    yield from verb_appointments(s)
