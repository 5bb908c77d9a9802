"""The trigger index: one spaCy ``Matcher`` built per pipeline from the lexicon.

Rules look for their trigger words token by token; running one Matcher over the whole doc
first tells each sentence which rule families can fire at all, so a sentence without a
deal noun, a launch verb or a customer word never enters those rules. The Matcher is built
once, when the :class:`~kg.extract.Extractor` is constructed, never per document.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.lexicon import Lexicon

__all__ = ["build_trigger_matcher", "sentence_triggers", "GATED"]

# rule family -> what its trigger words are; rules not listed here are never gated
GATED = ("Acquisition", "ProductLaunch", "Partnership", "Customer", "Subsidiary",
         "Financials")
_CUSTOMER_WORDS = ["customer", "used", "customers", "client", "clients", "users", "deployed",
                   "deploys", "deploy", "adopted", "adopts", "rolling", "rolled", "uses",
                   "licensed", "licenses", "runs", "run", "ran", "running", "relies", "rely",
                   "relied", "leases", "lease", "leased", "leasing", "rents", "rent", "rented",
                   "renting", "buys", "bought", "buying"]
_PARTNER_VERBS = ["partnered", "teamed", "partners", "teams", "collaborated", "collaborate",
                  "partnering", "joined", "worked", "taps", "tapped", "tap", "picked", "picks",
                  "chose", "chooses", "selected", "selects", "venture", "supply", "supplies",
                  "supplied", "supplying", "formed", "form", "forms", "created", "established",
                  "buy", "buys", "bought", "buying", "purchase", "purchases", "purchased",
                  "rent", "rents", "rented", "lease", "leases", "leased"]


def build_trigger_matcher(vocab: Vocab, lex: Lexicon) -> Matcher:
    """A Matcher labelling every token that can trigger a gated rule family."""
    matcher = Matcher(vocab)

    def words(label: str, items: set[str] | list[str]) -> None:
        single = sorted({w for w in items if " " not in w})
        if single:
            matcher.add(label, [[{"LOWER": {"IN": single}}]])
        for phrase in sorted({w for w in items if " " in w}):
            matcher.add(label, [[{"LOWER": part} for part in phrase.split()]])

    acq = lex.raw["triggers"]["Acquisition"]
    words("Acquisition", set(acq["verbs"]) | set(acq["nouns"]) | {"paid", "pay", "pays",
                                                                 "paying"})
    launch = lex.raw["triggers"]["ProductLaunch"]
    words("ProductLaunch", set(launch["verbs"]) | {"came", "comes", "made", "makes"})
    words("Partnership", set(lex.raw["triggers"]["Partnership"]["nouns"]) | set(_PARTNER_VERBS))
    words("Customer", _CUSTOMER_WORDS)
    words("Subsidiary", lex.unit_nouns)
    words("Financials", set(lex.metrics) | {"spent", "spends", "spend", "invested"})
    return matcher


def sentence_triggers(matcher: Matcher, doc: Doc) -> dict[int, set[str]]:
    """Sentence start token -> the rule families whose triggers occur in that sentence."""
    out: dict[int, set[str]] = defaultdict(set)
    for match_id, start, _end in matcher(doc):
        out[doc[start].sent.start].add(matcher.vocab.strings[match_id])
    return out
