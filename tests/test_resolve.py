"""Entity resolution: one canonical entity per real-world entity, whatever the name form,
and never two entities merged because one name contains the other."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.extract.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from kg.model import Article, ArticleExtraction, Entity, Event, Mention
from kg.rdf.iris import entity_iri
from kg.resolve import Resolver, display_name, load_alias_file, match_key


@pytest.fixture()
def gaz() -> Gazetteer:
    return Gazetteer([
        GazetteerEntry("Nvidia", "Organization", aliases=["Nvidia Corporation"]),
        GazetteerEntry("Meta", "Organization", aliases=["Meta Platforms", "Facebook"]),
        GazetteerEntry("Google", "Organization"),
        GazetteerEntry("Google DeepMind", "Organization", aliases=["DeepMind"]),
        GazetteerEntry("Anthropic", "Organization"),
        GazetteerEntry("Gemini 2.5 Pro", "AIModel"),
        GazetteerEntry("Sam Altman", "Person"),
    ])


def _one(resolver: Resolver, text: str, *events: Event, mentions=(), aid="a1"):
    return resolver.resolve(ArticleExtraction(Article(aid, text), list(events), list(mentions)))


def _names(resolved) -> list[dict]:
    return [ev.canonical_roles() for ev in resolved.events]


def test_display_name_drops_legal_suffixes_but_not_words():
    assert display_name("NVIDIA Corp.") == "Nvidia"
    assert display_name("AMD") == "AMD" and display_name("SOFTBANK GROUP") == "Softbank Group"
    assert display_name("Samsung Electronics Co., Ltd.") == "Samsung Electronics"
    assert display_name("the Meta Platforms, Inc.") == "Meta Platforms"
    assert display_name("Meta's") == "Meta"
    assert display_name("Google DeepMind") == "Google DeepMind"
    assert match_key("Mistral AI SA") == "mistral ai"
    assert match_key("Karén Simonyan") == "karen simonyan"


def test_suffix_and_case_forms_meet_the_gazetteer(gaz):
    r = Resolver(gaz)
    out = _one(r, "NVIDIA Corp. and Nvidia Corporation and Nvidia's chips.",
               Event("Partnership", {"partners": ["NVIDIA Corp.", "Meta Platforms"]}),
               Event("Customer", {"provider": "Nvidia Corporation", "customer": "Facebook"}),
               Event("Subsidiary", {"parent": "Nvidia's", "child": "Mellanox"}))
    assert _names(out) == [
        {"partners": ["Nvidia", "Meta"]},
        {"provider": "Nvidia", "customer": "Meta"},
        {"parent": "Nvidia", "child": "Mellanox"},
    ]
    nvidia = next(e for e in out.entities if e.name == "Nvidia")
    assert nvidia.aliases == {"NVIDIA Corp.", "Nvidia Corporation", "Nvidia's"}


def test_google_deepmind_is_not_google(gaz):
    out = _one(Resolver(gaz), "Google DeepMind, Google's lab.",
               Event("Subsidiary", {"parent": "Google", "child": "Google DeepMind"}))
    assert _names(out) == [{"parent": "Google", "child": "Google DeepMind"}]
    assert len({entity_iri(e) for e in out.entities}) == 2


def test_unknown_names_meet_without_a_gazetteer():
    r = Resolver(Gazetteer())
    a = _one(r, "Acme Robotics Inc. bought Foo.",
             Event("Acquisition", {"acquirer": "Acme Robotics Inc.", "target": "Foo"}))
    b = _one(r, "ACME ROBOTICS bought Bar.",
             Event("Acquisition", {"acquirer": "ACME ROBOTICS", "target": "Bar"}), aid="a2")
    ea, eb = a.events[0].entities["acquirer"], b.events[0].entities["acquirer"]
    assert ea.name == eb.name == "Acme Robotics"
    assert str(entity_iri(ea)) == str(entity_iri(eb)) == \
        "https://w3id.org/aikg/id/organization/acme-robotics"


def test_surname_inside_one_article_only(gaz):
    r = Resolver(gaz)
    text = "Meta hired Alexandr Wang as chief AI officer. Wang will lead the lab."
    out = _one(r, text,
               Event("Appointment", {"person": "Alexandr Wang", "organization": "Meta",
                                     "role": "chief AI officer"}),
               Event("Appointment", {"person": "Wang", "organization": "Meta", "role": "head"}))
    assert [ev.entities["person"].name for ev in out.events] == ["Alexandr Wang"] * 2
    # another article that only says "Wang" does not borrow the first article's full name
    other = _one(r, "Wang said so.", Event("Appointment", {"person": "Wang",
                                                           "organization": "Scale AI"}),
                 aid="a2")
    assert other.events[0].entities["person"].name == "Wang"


def test_surname_ambiguous_in_article_stays_unresolved():
    text = "Alexandr Wang and Lisa Wang met. Wang said no."
    out = _one(Resolver(Gazetteer()), text,
               Event("Appointment", {"person": "Wang", "organization": "Meta"}),
               mentions=[Mention("Alexandr Wang", 0, 13, "Person"),
                         Mention("Lisa Wang", 18, 27, "Person")])
    assert out.events[0].entities["person"].name == "Wang"


def test_short_forms_and_acronyms_inside_an_article():
    text = ("SambaNova Systems partnered with Advanced Micro Devices (AMD). "
            "SambaNova and AMD said Meta is not involved, though Meta AI is.")
    r = Resolver(Gazetteer())
    out = _one(r, text,
               Event("Partnership", {"partners": ["SambaNova Systems", "Advanced Micro Devices"]}),
               Event("Partnership", {"partners": ["SambaNova", "AMD"]}),
               Event("Customer", {"provider": "Meta AI", "customer": "Meta"}))
    assert _names(out) == [
        {"partners": ["SambaNova Systems", "Advanced Micro Devices"]},
        {"partners": ["SambaNova Systems", "Advanced Micro Devices"]},
        {"provider": "Meta AI", "customer": "Meta"},  # "Meta" came first: not short for Meta AI
    ]


def test_fuzzy_matching_with_threshold_type_and_digits(gaz):
    r = Resolver(gaz)
    out = _one(r, "Anthropc, Nvidiaa, Gogle and Gemini 1.5 Pro.",
               Event("Partnership", {"partners": ["Anthropc", "Nvidiaa"]}),
               Event("Partnership", {"partners": ["Gogle", "Anthropic"]}),
               Event("ProductLaunch", {"company": "Google", "product": "Gemini 1.5 Pro"}),
               Event("Appointment", {"person": "Sam Altmann", "organization": "Anthropic"}),
               Event("Customer", {"provider": "Anthropic", "customer": "Sam Altmann"}))
    assert _names(out) == [
        {"partners": ["Anthropic", "Nvidia"]},  # typos within the threshold
        {"partners": ["Gogle", "Anthropic"]},  # too short to guess (under 6 characters)
        {"company": "Google", "product": "Gemini 1.5 Pro"},  # different version, no merge
        {"person": "Sam Altman", "organization": "Anthropic"},
        {"provider": "Anthropic", "customer": "Sam Altmann"},  # an organisation, not the person
    ]


def test_extractor_canonical_hint_and_person_investor(gaz):
    text = "Zuck's Facebook backed it; Sam Altman invested too."
    out = _one(Resolver(gaz), text,
               Event("FundingRound", {"company": "Acme", "investors": ["Zuck's Facebook",
                                                                       "Sam Altman"]}),
               mentions=[Mention("Zuck's Facebook", 0, 15, "Organization", canonical="Meta")])
    investors = out.events[0].entities["investors"]
    assert [(e.name, e.type) for e in investors] == [("Meta", "Organization"),
                                                    ("Sam Altman", "Person")]


def test_shipped_gazetteer_meta_platforms_is_meta():
    r = Resolver(load_gazetteer())
    out = _one(r, "Meta Platforms and Google DeepMind",
               Event("Partnership", {"partners": ["Meta Platforms", "Google DeepMind"]}),
               Event("Partnership", {"partners": ["Meta", "Google"]}))
    assert _names(out) == [{"partners": ["Meta", "Google DeepMind"]},
                           {"partners": ["Meta", "Google"]}]


def test_alias_files_json_and_csv(tmp_path, gaz):
    jf = tmp_path / "aliases.json"
    jf.write_text(json.dumps({"Anysphere": ["Cursor maker"], "Meta": ["The Social Network"]}))
    cf = tmp_path / "aliases.csv"
    cf.write_text("canonical,alias\nxAI,X.AI Corp,Musk's AI company\n")
    assert load_alias_file(cf) == {"xAI": ["X.AI Corp", "Musk's AI company"]}
    r = Resolver(gaz, alias_files=[jf, cf])
    out = _one(r, "...", Event("Partnership", {"partners": ["Cursor maker", "X.AI"]}),
               Event("Partnership", {"partners": ["The Social Network", "Musk's AI company"]}))
    assert _names(out) == [{"partners": ["Anysphere", "xAI"]}, {"partners": ["Meta", "xAI"]}]


def test_bad_alias_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "a.json"
    bad.write_text('{"Meta": 3}')
    with pytest.raises(InputError, match="must be a list of names"):
        Resolver(Gazetteer(), alias_files=[bad])
    with pytest.raises(InputError, match="cannot read alias file"):
        Resolver(Gazetteer(), alias_files=[tmp_path / "missing.json"])


def test_seed_and_known_entities():
    r = Resolver(Gazetteer())
    r.seed([Entity("Run:ai", "Organization", frozenset({"Runai Labs"}))])
    out = _one(r, "Nvidia bought RUN:AI.",
               Event("Acquisition", {"acquirer": "Nvidia", "target": "RUN:AI"}))
    assert out.events[0].entities["target"].name == "Run:ai"
    known = {e.name: e for e in r.known_entities}
    assert sorted(known) == ["Nvidia", "Run:ai"]
    assert known["Run:ai"].aliases == {"Runai Labs", "RUN:AI"}


def test_resolution_does_not_depend_on_article_order(gaz):
    arts = [
        ("x1", "NVIDIA Corp. bought Run:ai. Alexandr Wang joined Scale AI; Wang is CEO.",
         [Event("Acquisition", {"acquirer": "NVIDIA Corp.", "target": "Run:ai"}),
          Event("Appointment", {"person": "Wang", "organization": "Scale AI"}),
          Event("Appointment", {"person": "Alexandr Wang", "organization": "Scale"})]),
        ("x2", "Nvidia and run-ai. Scale raised money.",
         [Event("Acquisition", {"acquirer": "Nvidia", "target": "run-ai"}),
          Event("FundingRound", {"company": "Scale"})]),
    ]

    def iris(order):
        r = Resolver(gaz)
        out = {}
        for aid, text, events in order:
            res = _one(r, text, *events, aid=aid)
            out[aid] = sorted(str(entity_iri(e)) for e in res.entities)
        return out

    assert iris(arts) == iris(list(reversed(arts)))


def test_short_form_of_a_gazetteer_name_across_articles():
    gaz = Gazetteer([GazetteerEntry("Inflection AI", "Organization"),
                     GazetteerEntry("Meta", "Organization"),
                     GazetteerEntry("Meta AI", "AIModel")])
    out = _one(Resolver(gaz), "Suleyman left Inflection. Meta shipped Meta AI.",
               Event("Appointment", {"person": "Mustafa Suleyman",
                                     "organization": "Inflection"}),
               Event("ProductLaunch", {"company": "Meta", "product": "Meta AI"}))
    assert _names(out) == [{"person": "Mustafa Suleyman", "organization": "Inflection AI"},
                           {"company": "Meta", "product": "Meta AI"}]


def test_investment_arms_are_not_short_forms():
    text = "Intel Capital and Qualcomm Ventures joined. Intel said Qualcomm agreed."
    out = _one(Resolver(Gazetteer()), text,
               Event("FundingRound", {"company": "Acme", "investors": ["Intel Capital",
                                                                       "Qualcomm Ventures"]}),
               Event("Partnership", {"partners": ["Intel", "Qualcomm"]}))
    assert _names(out) == [{"company": "Acme", "investors": ["Intel Capital",
                                                             "Qualcomm Ventures"]},
                           {"partners": ["Intel", "Qualcomm"]}]


def test_investor_named_as_a_person_elsewhere_in_the_article_is_a_person():
    text = "Elad Gil, a partner at Gil Capital, backed Acme; Elad Gil invested."
    out = _one(Resolver(Gazetteer()), text,
               Event("Appointment", {"person": "Elad Gil", "organization": "Gil Capital",
                                     "role": "partner"}),
               Event("Investment", {"investor": "Elad Gil", "investee": "Acme"}))
    investor = out.events[1].entities["investor"]
    assert (investor.name, investor.type) == ("Elad Gil", "Person")
    assert [(e.name, e.type) for e in out.entities] == [
        ("Acme", "Organization"), ("Gil Capital", "Organization"), ("Elad Gil", "Person")]
