"""Typed entity mentions of one article, and the coreference that ties them together.

Names come from three sources, in order of trust: the gazetteer (a span ruler before
``ner``), spaCy's NER (retyped: GPE/FAC names that are not places are organisations,
PERSON names ending in "AI", "Labs", "Capital" ... are organisations, names with digits
are products), and name shape (a run of proper nouns ending in an organisation word).
Role slots add more: the subject of "raised $X" is an organisation even when NER missed it
(:meth:`ArticleContext.name_at`).

Coreference is deliberately simple and local to the article: a surname or a first word
("Lumora" for "Lumora AI") maps to the full name mentioned earlier; "the company", "the
startup", "it", "its" map to the organisation in focus (the last organisation that was a
sentence subject), else to the article's topic (its most mentioned organisation).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.extract.gazetteer import Gazetteer
from kg.extract.lexicon import Lexicon

__all__ = ["Ent", "ArticleContext", "ORG", "PER", "PROD"]

ORG, PER, PROD = "Organization", "Person", "Product"
_NER_MAP = {"ORG": ORG, "PERSON": PER, "PRODUCT": PROD, "WORK_OF_ART": PROD, "GPE": ORG,
            "FAC": ORG, "NORP": None, "LOC": None}
_PRONOUNS_ORG = {"it", "its", "it's"}
_PRONOUNS_PER = {"he", "she", "him", "his", "her"}
_NAME_TAGS = {"NNP", "NNPS"}
_IDENTITY_SUFFIXES = {"ai", "inc", "inc.", "corp", "corp.", "ltd", "technologies", "systems",
                      "robotics", "labs", "group"}
_VERSION = re.compile(r"^\d{1,2}(?:\.\d+)*[a-zA-Z]?$")
_NON_COMPANY_WORDS = {"university", "college", "institute", "school", "ministry", "agency",
                      "department", "government", "commission", "council"}
_NOT_ANTECEDENT = {"university", "government", "media", "exchange", "regulator", "agency"}


@dataclass
class Ent:
    """A name in the doc: token span, type, and the name it resolves to."""

    start: int
    end: int
    text: str
    label: str | None
    canonical: str
    known: bool = False
    coref: bool = False

    @property
    def name(self) -> str:
        return self.canonical


class ArticleContext:
    """Entities of one parsed doc with the article-level state that coreference needs."""

    def __init__(self, doc: Doc, lex: Lexicon, gazetteer: Gazetteer, offset: int = 0) -> None:
        self.doc = doc
        self.lex = lex
        self.gaz = gazetteer
        self.offset = offset
        self.ents: list[Ent] = []
        self.by_token: dict[int, Ent] = {}
        self.surnames: dict[str, str] = {}
        self.short_orgs: dict[str, str] = {}
        self.single_orgs: set[str] = set()
        self.first_words: dict[str, str] = {}
        self.focus_org: str | None = None
        self.focus_person: str | None = None
        self.org_counts: Counter[str] = Counter()
        self._build()
        self.topic_org = self._topic()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        for span in self.doc.ents:
            ent = self._from_span(span)
            if ent is not None:
                self._add(ent)
        self._shape_pass()
        self.ents.sort(key=lambda e: e.start)
        for ent in self.ents:  # full names first, so a headline's surname finds its person
            toks = self.doc[ent.start:ent.end]
            if ent.label == PER and len(toks) >= 2:
                self.surnames.setdefault(toks[-1].text, ent.canonical)
        for ent in self.ents:  # in text order: short forms refer back
            self._register(ent)
        self._propagate()

    def _propagate(self) -> None:
        """Names found once are names everywhere in the article: "reposition Lumora as",
        "Ek is also chairman" carry the type their other mentions have."""
        for ent in self.ents:  # "Lumora's founders" before "Lumora AI" is named
            if ent.end - ent.start == 1 and ent.text in self.short_orgs and ent.label != PER:
                ent.canonical, ent.label = self.short_orgs[ent.text], ORG
        names: dict[str, tuple[str, str]] = {}
        for short, full in self.short_orgs.items():
            names[short] = (ORG, full)
        for ent in self.ents:
            if ent.label in (ORG, PER) and ent.end - ent.start == 1:
                names.setdefault(ent.text, (ent.label, ent.canonical))
        for surname, full in self.surnames.items():
            if " " not in surname:
                names.setdefault(surname, (PER, full))
        added = []
        for tok in self.doc:
            if tok.i in self.by_token or tok.text not in names or not tok.text[:1].isupper():
                continue
            if tok.i > 0 and self.doc[tok.i - 1].tag_ in _NAME_TAGS and \
                    (tok.i - 1) not in self.by_token:
                continue  # part of a longer unknown name
            label, canonical = names[tok.text]
            ent = Ent(tok.i, tok.i + 1, tok.text, label, canonical, tok.text in self.gaz)
            self.by_token[tok.i] = ent
            added.append(ent)
        if added:
            self.ents = sorted(self.ents + added, key=lambda e: e.start)

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        doc = self.doc
        while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct
                               or doc[end - 1].text in ("'s", "’s")):
            end -= 1
        return start, end

    def _from_span(self, span: Span) -> Ent | None:
        start, end = self._trim(span.start, span.end)
        if start >= end:
            return None
        text = self.doc[start:end].text.strip()
        low = text.lower()
        entry = self.gaz.lookup(text)
        if entry is not None:
            label = PROD if entry.type == "AIModel" else entry.type
            return Ent(start, end, text, label, text, True)
        if low in self.lex.places or low in self.lex.title_words or low in self.lex.coref_nouns \
                or low in self.lex.not_names:
            return None
        label = _NER_MAP.get(span.label_)
        if label is None or self._place_shaped(end):
            return None
        if label == PER:  # "Dana Okafor" tagged as "Okafor" alone
            while start > span.sent.start and self.doc[start - 1].tag_ == "NNP" and \
                    self.doc[start - 1].text[:1].isupper() and \
                    self.doc[start - 1].dep_ == "compound" and \
                    self.doc[start - 1].lower_ not in self.lex.title_words and \
                    (start - 1) not in self.by_token:
                start -= 1
            text = self.doc[start:end].text
        last = self.doc[end - 1].lower_
        if span.label_ in ("GPE", "FAC") and not any(t.tag_ in _NAME_TAGS for t in span):
            return None
        if label == PER and (last in self.lex.org_suffixes or end - start == 1
                             and self.doc[start].text.isupper()):
            label = ORG
        elif label == PER and any(ch.isdigit() for ch in text):
            label = PROD
        elif label == ORG and last in self.lex.product_nouns and last not in self.lex.org_suffixes:
            label = PROD
        return Ent(start, end, text, label, text)

    def _place_shaped(self, end: int) -> bool:
        """"Livingston-based", "Livingston, New Jersey-based": a place, whatever NER says."""
        doc = self.doc
        window = doc[end:min(len(doc), end + 5)].text.lower()
        return window.startswith(("-based", "- based")) or bool(
            re.match(r"^, (?:[a-z]+ ){0,2}[a-z]+(?:-based|, (?:company|startup|firm))", window))

    def _add(self, ent: Ent) -> None:
        if any(i in self.by_token for i in range(ent.start, ent.end)):
            return
        doc = self.doc
        if ent.label in (PROD, ORG) and ent.end < len(doc) and ent.end not in self.by_token and \
                _VERSION.match(doc[ent.end].text) and doc[ent.end - 1].whitespace_:
            text = doc[ent.start:ent.end + 1].text  # "Orbit 2.0", "Nova 4"
            ent = Ent(ent.start, ent.end + 1, text, PROD, text, text in self.gaz)
        if ent.label == ORG:  # "Quillbyte" + "Ventures": the fund, not the company
            end = ent.end
            while end < len(doc) and doc[end].tag_ in _NAME_TAGS and doc[end].is_title and \
                    doc[end].lower_ in self.lex.org_suffixes and end not in self.by_token:
                end += 1
            if end > ent.end:
                text = doc[ent.start:end].text
                ent = Ent(ent.start, end, text, ORG, text, text in self.gaz)
        self.ents.append(ent)
        for i in range(ent.start, ent.end):
            self.by_token[i] = ent

    def _shape_pass(self) -> None:
        """Runs of proper nouns that end in an organisation word: "Blue Harbor Ventures"."""
        doc, suffixes = self.doc, self.lex.org_suffixes
        i, n = 0, len(doc)
        while i < n:
            if doc[i].tag_ in _NAME_TAGS and i not in self.by_token and doc[i].text[:1].isupper():
                j = i
                while j < n and doc[j].tag_ in _NAME_TAGS and j not in self.by_token \
                        and doc[j].text[:1].isupper():
                    j += 1
                if j - i >= 2 and doc[j - 1].lower_ in suffixes:
                    text = doc[i:j].text
                    self._add(Ent(i, j, text, ORG, text, text in self.gaz))
                i = j
            else:
                i += 1

    def _register(self, ent: Ent) -> None:
        toks = self.doc[ent.start:ent.end]
        if ent.label == PER and len(toks) >= 2:
            if ent.text not in self.surnames.values() or True:
                self.surnames.setdefault(toks[-1].text, ent.canonical)
                if len(toks) >= 3:
                    self.surnames.setdefault(toks[-2:].text, ent.canonical)
        elif ent.label == PER and len(toks) == 1 and toks[0].text in self.surnames:
            ent.canonical = self.surnames[toks[0].text]
        elif ent.label == ORG and len(toks) >= 2:
            self.first_words.setdefault(toks[0].text, ent.canonical)
            first = toks[0].text
            same = len(toks) == 2 and toks[1].lower_ in _IDENTITY_SUFFIXES
            known_short = self.gaz.lookup(first) is not None and \
                self.gaz.lookup(first) is not self.gaz.lookup(ent.text)
            if not known_short and (first not in self.single_orgs or same) and \
                    (not ent.known or same):
                # "Orvana" before "Orvana Studios" is another entity; "Lumora" before
                # "Lumora AI" is the same one
                self.short_orgs.setdefault(first, ent.canonical)
        elif len(toks) == 1 and toks[0].text in self.short_orgs and ent.label in (ORG, PER, PROD):
            ent.canonical = self.short_orgs[toks[0].text]
            ent.label = ORG
        if len(toks) == 1 and toks[0].text in self.surnames and ent.label in (ORG, PER) \
                and ent.canonical == ent.text:
            ent.canonical = self.surnames[toks[0].text]
            ent.label = PER
        if ent.label == ORG:
            self.org_counts[ent.canonical] += 1
            if len(toks) == 1:
                self.single_orgs.add(toks[0].text)

    def _topic(self) -> str | None:
        """The most mentioned organisation; the first sentence's subject breaks ties."""
        if not self.org_counts:
            return None
        counts = Counter(self.org_counts)
        first = next(iter(self.doc.sents), None)
        if first is not None:
            for tok in first:
                ent = self.by_token.get(tok.i)
                if ent is not None and ent.label == ORG and tok.dep_ in ("nsubj", "nsubjpass"):
                    counts[ent.canonical] += 2
                    break
        return counts.most_common(1)[0][0]

    # ------------------------------------------------------------------ lookups

    def ent_at(self, token: Token) -> Ent | None:
        return self.by_token.get(token.i)

    def name_at(self, token: Token, label: str | None = None) -> Ent | None:
        """The entity at ``token``, else a proper-noun run around it typed ``label``.

        This is typing from context: a role slot that needs an organisation accepts an
        unknown capitalised name there.
        """
        ent = self.by_token.get(token.i)
        if ent is not None:
            return ent
        known_short = token.text in self.short_orgs or token.text in self.single_orgs or \
            token.text in self.first_words
        midcap = token.tag_ in ("NN", "NNS") and token.i > token.sent.start and \
            not self.doc[token.i - 1].is_punct and token.text[:1].isupper() and \
            not token.text.isupper()  # "subsidiaries Paylane and Ferrovia"
        # "Lumen, the coding startup, ...": a capitalised word with a descriptive apposition
        midcap = midcap or token.text[:1].isupper() and token.tag_ in ("NN", "NNS") and any(
            c.dep_ == "appos" and c.lower_ in self.lex.coref_nouns | {"maker", "owner"}
            for c in token.children)
        if (token.tag_ not in _NAME_TAGS and not known_short and not midcap) or \
                not token.text[:1].isupper():
            return None
        if token.lower_ in self.lex.title_words or token.lower_ in self.lex.places or \
                token.lower_ in self.lex.not_names:
            return None
        doc = self.doc
        start = token.i
        while start > token.sent.start and doc[start - 1].tag_ in _NAME_TAGS and \
                doc[start - 1].text[:1].isupper() and (start - 1) not in self.by_token:
            start -= 1
        end = token.i + 1
        while end < token.sent.end and (doc[end].tag_ in _NAME_TAGS or doc[end].tag_ in (
                "NN", "NNS") and not doc[end].is_lower) and \
                any(ch.isupper() for ch in doc[end].text) and end not in self.by_token:
            end += 1  # "Mobile eXperience"
        while end < token.sent.end and end not in self.by_token and \
                _VERSION.match(doc[end].text) and doc[end - 1].tag_ in _NAME_TAGS and \
                doc[end - 1].whitespace_:
            end += 1  # "Orbit 2.0", "Nova 3.1"
        start, end = self._trim(start, end)
        if start >= end or self._place_shaped(end):
            return None
        text = doc[start:end].text
        if text.lower() in self.lex.places or text.lower() in self.lex.not_names:
            return None
        canonical = self.short_orgs.get(text) or self.surnames.get(text) or text
        if token.tag_ not in _NAME_TAGS and text in self.first_words:
            canonical = self.first_words[text]
        return Ent(start, end, text, label, canonical, text in self.gaz)

    def resolve(self, token: Token, label: str = ORG) -> Ent | None:
        """An entity for the token in a role slot: a name, or a coreferent of a pronoun/NP."""
        ent = self.name_at(token, label)
        if ent is not None and label == PER and ent.label is None and \
                ent.canonical not in self.surnames.values():
            ent = None  # an unknown capitalised word is no person
        if ent is not None:
            if ent.label in (None, label) or label == ORG and ent.label == PROD \
                    and token.dep_ in ("nsubj", "nsubjpass", "poss"):
                return ent if ent.label else Ent(ent.start, ent.end, ent.text, label,
                                                 ent.canonical, ent.known)
            if label == ORG and ent.label == PER and ent.end - ent.start == 1 and \
                    ent.text not in self.surnames and not ent.known:
                return Ent(ent.start, ent.end, ent.text, ORG, ent.canonical)  # "Quillbyte soars"
            return ent if ent.label == label else None
        low = token.lower_
        if label == ORG and self.is_coref_np(token):  # "That company, Glean, sells ..."
            for c in token.children:
                named = self.by_token.get(c.i) if c.dep_ == "appos" else None
                if named is not None and named.label == ORG:
                    return named
        if label == ORG and (low in _PRONOUNS_ORG or self.is_coref_np(token)):
            name = self._coref_org(token)
            if name:
                return Ent(token.i, token.i + 1, token.text, ORG, name, False, True)
        if label == PER and low in _PRONOUNS_PER:
            earlier = [e for e in self.ents if e.label == PER and
                       token.sent.start <= e.start < token.i]
            name = earlier[0].canonical if earlier else self.focus_person
            if name:
                return Ent(token.i, token.i + 1, token.text, PER, name, False, True)
        return None

    def is_coref_np(self, token: Token) -> bool:
        """"the company", "the AI cloud provider", "the chipmaker": a definite org NP."""
        if token.lower_ not in self.lex.coref_nouns:
            return False
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") or
                   c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her")
                   for c in token.children)

    def context_org(self) -> str | None:
        """The organisation an unattached title belongs to: the article's topic."""
        return self.topic_org or self.focus_org

    def _coref_org(self, token: Token) -> str | None:
        """The article's topic when it was mentioned in the last sentences, else the most
        recent organisation; "the startup" skips organisations the gazetteer knows as
        established companies."""
        sent_start = token.sent.start
        window = sent_start
        for _ in range(2):
            if window > 0:
                window = self.doc[window - 1].sent.start
        same = [e for e in self.ents if e.label == ORG and sent_start <= e.start < token.i
                and self._kind(e) not in _NOT_ANTECEDENT]
        if token.lower_ in _PRONOUNS_ORG and token.dep_ in ("dobj", "pobj") and self.topic_org:
            return self.topic_org  # "X later deployed it": the article's subject
        if token.lower_ in _PRONOUNS_ORG:  # "Quillbyte said it will sell ... its unit"
            # "Norvia, its largest customer": "its" is never the name it stands beside
            beside = self.by_token.get(token.head.head.i) if token.dep_ == "poss" and \
                token.head.dep_ == "appos" else None
            if beside is not None:
                same = [e for e in same if e.canonical != beside.canonical]
            subj = [self.by_token[t.i].canonical for t in token.sent if t.i < token.i and
                    t.dep_ in ("nsubj", "nsubjpass") and t.i in self.by_token and
                    self.by_token[t.i].label == ORG and
                    (beside is None or self.by_token[t.i].canonical != beside.canonical)]
            subj += [self._coref_org(t) for t in token.sent if t.i < token.i and
                     t.dep_ in ("nsubj", "nsubjpass") and t.i not in self.by_token and
                     self.is_coref_np(t)]  # "The New York company ... it released"
            subj = [x for x in subj if x]
            if subj:
                return subj[-1]
            if token.dep_ == "poss" and same:  # "Quillbyte's AI work ... its Orbit models"
                return same[-1].canonical
            if self.topic_org and self._paragraph_subject(token):
                return self.topic_org  # "It ..." opening a paragraph: the article's topic
            if self.focus_org:
                return self.focus_org
            if token.dep_ == "poss" and self.topic_org:  # "Okafor is its founder"
                return self.topic_org
        if any(c.dep_ == "poss" and c.lower_ in ("his", "her", "their") for c in token.children) \
                and same:  # "Dana Okafor, Northwind's CEO, said his firm ...": Northwind
            return same[-1].canonical
        if any(c.dep_ in ("amod", "compound") for c in token.children) and \
                token.lower_ not in ("startup", "start-up") and \
                any(c.tag_ == "POS" for c in token.children):
            # "the data-labeling company", "the social media company": a described org is the
            # one just mentioned that is not this sentence's subject
            subj = {self.by_token[t.i].canonical for t in token.sent
                    if t.dep_ in ("nsubj", "nsubjpass") and t.i in self.by_token}
            prior = [e for e in self.ents if e.label == ORG and e.start < token.i and
                     e.start >= window and e.canonical not in subj and self.is_company(e)]
            if prior:
                return prior[-1].canonical
        if self.topic_org and self._paragraph_subject(token):
            return self.topic_org  # "The company has been ..." opening a paragraph: the topic
        startup = token.lower_ in ("startup", "start-up")
        cands = [e for e in self.ents if e.label == ORG and e.start < token.i and
                 self.is_company(e) and self._kind(e) != "investor"]
        if startup:
            cands = [e for e in cands if self._kind(e) in (None, "startup", "lab")]
            if cands:  # the startup the article talks about most
                counts = Counter(e.canonical for e in cands)
                best = max(counts.values())
                return next(e.canonical for e in reversed(cands) if counts[e.canonical] == best)
        if self.topic_org and any(e.canonical == self.topic_org and e.start >= window
                                  for e in cands):
            return self.topic_org
        if cands:
            return cands[-1].canonical
        return self.topic_org

    def _paragraph_subject(self, token: Token) -> bool:
        """A bare "the company" / "the group" subject of a paragraph's first sentence."""
        start = token.sent.start
        if token.dep_ not in ("nsubj", "nsubjpass") or token.i - start > 1 or start == 0:
            return False
        if any(c.dep_ not in ("det",) for c in token.children):
            return False
        prev = self.doc[start - 1]
        return prev.is_space and "\n" in prev.text or "\n" in prev.whitespace_

    def is_company(self, ent: Ent) -> bool:
        """Not a university, agency or newsroom: something that signs deals and has a CEO."""
        last = ent.text.split()[-1].lower() if ent.text else ""
        return self._kind(ent) not in _NOT_ANTECEDENT and last not in _NON_COMPANY_WORDS

    def _kind(self, ent: Ent) -> str | None:
        entry = self.gaz.lookup(ent.canonical) or self.gaz.lookup(ent.text)
        return entry.kind if entry is not None else None

    def recent_org(self, i: int, same_sentence: bool = False) -> str | None:
        """The organisation mentioned last before token ``i`` (for "the startup", "its")."""
        best = None
        lo = self.doc[i].sent.start if same_sentence else 0
        for ent in self.ents:
            if ent.start >= i:
                break
            if ent.start < lo:
                continue
            if ent.label == ORG:
                best = ent.canonical
        return best

    def update_focus(self, sent: Span) -> None:
        """After a sentence: its subject organisation / person becomes the focus.

        The organisation focus lasts one sentence: a pronoun further on refers to the
        article's topic rather than to a subject several sentences back.
        """
        self.focus_org = None
        root = sent.root
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            ent = self.by_token.get(subj.i)
            if ent is None and self.is_coref_np(subj):
                ent = self.resolve(subj, ORG)
            if ent is not None and ent.label == ORG:
                self.focus_org = ent.canonical
            elif ent is not None and ent.label == PER:
                self.focus_person = ent.canonical
        for tok in sent:
            ent = self.by_token.get(tok.i)
            if ent is not None and ent.label == PER and tok.dep_ in ("nsubj", "nsubjpass"):
                self.focus_person = ent.canonical
                break
