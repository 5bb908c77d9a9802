"""One test per pattern family of the rule extractor, on sentences written for these tests.

The real spaCy model parses them (loaded once for the module); a small gazetteer of
invented names (tests/fixtures/extract/gazetteer.jsonl) stands in for the built-in one, so
the expected events depend only on the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import Extractor, extractors
from kg.model import Article

GAZ = Path(__file__).parent / "fixtures" / "extract" / "gazetteer.jsonl"
PUB = "2025-06-12"  # a Thursday
M = 1_000_000


def usd(value: float) -> dict:
    return {"value": value, "currency": "USD"}


def events(ex: Extractor, text: str, published: str = PUB) -> list[dict]:
    result = ex.extract(Article("t", text, published=published))
    out = []
    for e in result.events:
        d = e.to_json()
        d.pop("evidence")
        d.pop("confidence")
        out.append(d)
    return out


def test_registry_and_identity(ex: Extractor) -> None:
    assert extractors.get("rules") is Extractor
    assert (ex.name, ex.version) == ("kg.rules", "1.0.0")


def test_funding_verb_with_round_leads_valuation_and_weekday(ex: Extractor) -> None:
    text = ("Lumora AI raised $120 million in a Series B round led by Northwind Capital and "
            "Harbor Peak Ventures at a $1.2 billion valuation on Tuesday.")
    assert events(ex, text) == [{
        "type": "FundingRound", "company": "Lumora AI", "amount": usd(120 * M),
        "round": "Series B", "valuation": usd(1200 * M),
        "investors": ["Northwind Capital", "Harbor Peak Ventures"], "date": "2025-06-10"}]


def test_investors_named_in_a_later_sentence_attach_to_the_round(ex: Extractor) -> None:
    text = ("Quillbyte raised $40 million in new funding. Northwind Capital led the round, "
            "with participation from Harbor Peak Ventures.")
    assert events(ex, text) == [{
        "type": "FundingRound", "company": "Quillbyte", "amount": usd(40 * M),
        "investors": ["Northwind Capital", "Harbor Peak Ventures"]}]


def test_acquisition_verb_agreed(ex: Extractor) -> None:
    assert events(ex, "Quillbyte agreed to acquire Tessaract Labs for $300 million.") == [{
        "type": "Acquisition", "acquirer": "Quillbyte", "target": "Tessaract Labs",
        "amount": usd(300 * M), "status": "agreed"}]


def test_acquisition_passive_with_apposition(ex: Extractor) -> None:
    text = "Tessaract Labs, the robotics startup, was bought by Quillbyte in 2023."
    assert events(ex, text) == [{
        "type": "Acquisition", "acquirer": "Quillbyte", "target": "Tessaract Labs",
        "status": "completed", "date": "2023"}]


def test_acquisition_nominal_completed(ex: Extractor) -> None:
    text = "Quillbyte completed its acquisition of Tessaract Labs on Monday."
    assert events(ex, text) == [{
        "type": "Acquisition", "acquirer": "Quillbyte", "target": "Tessaract Labs",
        "status": "completed", "date": "2025-06-09"}]


def test_stake_investment(ex: Extractor) -> None:
    text = "Northwind Capital took a 20% stake in Lumora AI for $50 million."
    assert events(ex, text) == [{
        "type": "Investment", "investor": "Northwind Capital", "investee": "Lumora AI",
        "stake": 20, "amount": usd(50 * M)}]


def test_x_backed_y_is_an_investment_without_amount(ex: Extractor) -> None:
    text = "Northwind Capital-backed Lumora AI opened an office in Austin."
    assert events(ex, text) == [{
        "type": "Investment", "investor": "Northwind Capital", "investee": "Lumora AI"}]


def test_ipo_filed_with_exchange(ex: Extractor) -> None:
    text = "Lumora AI filed for an initial public offering on the Nasdaq on Wednesday."
    assert events(ex, text) == [{
        "type": "IPO", "company": "Lumora AI", "exchange": "Nasdaq", "status": "filed",
        "date": "2025-06-11"}]


def test_product_launch_object_typed_as_product(ex: Extractor) -> None:
    assert events(ex, "Lumora AI launched Orbit-2, a coding model, on Monday.") == [{
        "type": "ProductLaunch", "company": "Lumora AI", "product": "Orbit-2",
        "date": "2025-06-09"}]


def test_partnership_deal_with_kind_and_amount(ex: Extractor) -> None:
    text = "Lumora AI signed a multi-year cloud deal with Quillbyte worth $2 billion."
    assert events(ex, text) == [{
        "type": "Partnership", "partners": ["Lumora AI", "Quillbyte"], "amount": usd(2000 * M),
        "kind": "cloud"}]  # the duration is no kind


def test_appointment_org_title_person(ex: Extractor) -> None:
    text = "Lumora AI chief executive Dana Okafor said demand was strong."
    assert events(ex, text) == [{
        "type": "Appointment", "person": "Dana Okafor", "organization": "Lumora AI",
        "role": "chief executive"}]


def test_cofounder_and_ceo_of_x_is_two_events(ex: Extractor) -> None:
    text = "Dana Okafor, co-founder and chief executive of Lumora AI, spoke at the event."
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Lumora AI",
         "role": "co-founder"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Lumora AI",
         "role": "chief executive"},
    ]


def test_named_as_title_takes_the_date(ex: Extractor) -> None:
    text = "Quillbyte named Priya Raman as chief financial officer on Monday."
    assert events(ex, text) == [{
        "type": "Appointment", "person": "Priya Raman", "organization": "Quillbyte",
        "role": "chief financial officer", "date": "2025-06-09"}]


def test_founded_by_gives_founder_events(ex: Extractor) -> None:
    text = "Lumora AI was founded in 2019 by Dana Okafor and Tomas Berg."
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Lumora AI",
         "role": "founder", "date": "2019"},
        {"type": "Appointment", "person": "Tomas Berg", "organization": "Lumora AI",
         "role": "founder", "date": "2019"},
    ]


def test_financials_with_quarter(ex: Extractor) -> None:
    text = "Lumora AI reported revenue of $80 million in the first quarter."
    assert events(ex, text) == [{
        "type": "Financials", "company": "Lumora AI", "metric": "revenue",
        "amount": usd(80 * M), "period": "2025-Q1"}]


def test_customers_include_list_one_event_each(ex: Extractor) -> None:
    text = "Lumora AI's customers include Quillbyte and Tessaract Labs."
    assert events(ex, text) == [
        {"type": "Customer", "provider": "Lumora AI", "customer": "Quillbyte"},
        {"type": "Customer", "provider": "Lumora AI", "customer": "Tessaract Labs"},
    ]


def test_standalone_valuation(ex: Extractor) -> None:
    assert events(ex, "Lumora AI is now valued at $2 billion.") == [{
        "type": "Valuation", "company": "Lumora AI", "amount": usd(2000 * M)}]


def test_named_unit_is_a_subsidiary(ex: Extractor) -> None:
    text = "Quillbyte's robotics unit Tessaract Labs will hire 50 engineers."
    assert events(ex, text) == [{
        "type": "Subsidiary", "parent": "Quillbyte", "child": "Tessaract Labs"}]


@pytest.mark.parametrize("text", [
    "Lumora AI is in talks to raise $200 million.",
    "Quillbyte reportedly plans to buy Tessaract Labs.",
    "Quillbyte could acquire Tessaract Labs, people familiar with the matter said.",
    "Lumora AI hopes to launch Orbit-2 next year.",
])
def test_hedged_statements_are_not_events(ex: Extractor, text: str) -> None:
    assert events(ex, text) == []


def test_coreference_the_startup_and_last_year(ex: Extractor) -> None:
    text = ("Lumora AI makes coding tools for banks. The startup raised $30 million from "
            "Northwind Capital last year.")
    assert events(ex, text) == [{
        "type": "FundingRound", "company": "Lumora AI", "amount": usd(30 * M),
        "investors": ["Northwind Capital"], "date": "2024"}]


def test_coreference_surname_only(ex: Extractor) -> None:
    text = "Dana Okafor runs a lab in Oslo. Okafor is also chairman of Quillbyte."
    assert events(ex, text) == [{
        "type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
        "role": "chairman"}]


def test_provenance_confidence_and_mentions(ex: Extractor) -> None:
    text = "Intro line.\nQuillbyte agreed to acquire Tessaract Labs for $300 million."
    result = ex.extract(Article("a1", text, published=PUB))
    (event,) = result.events
    prov = event.provenance
    assert prov.article_id == "a1"
    assert text[prov.start:prov.end].strip() == prov.sentence
    assert prov.sentence == "Quillbyte agreed to acquire Tessaract Labs for $300 million."
    assert (prov.extractor, prov.version) == ("kg.rules", "1.0.0")
    # verb family 0.75 + two gazetteer-known participants
    assert prov.confidence == pytest.approx(0.85)
    assert event.entity_types == {"Quillbyte": "Organization", "Tessaract Labs": "Organization"}
    spans = {(m.text, m.label) for m in result.mentions}
    assert {("Quillbyte", "Organization"), ("Tessaract Labs", "Organization")} <= spans
    for m in result.mentions:
        assert text[m.start:m.end] == m.text


def test_coref_resolved_roles_lower_confidence(ex: Extractor) -> None:
    text = "Lumora AI makes coding tools. It signed a cloud deal with Quillbyte."
    (event,) = ex.extract(Article("c", text, published=PUB)).events
    assert event.roles["partners"] == ["Lumora AI", "Quillbyte"]
    # deal family 0.65 + 0.05 (Quillbyte known) - 0.15 (partner from "It")
    assert event.provenance.confidence == pytest.approx(0.55)


def test_extract_many_keeps_order(ex: Extractor) -> None:
    arts = [Article(str(i), f"Quillbyte named Priya Raman as chief financial officer. {i}")
            for i in range(5)]
    assert [r.article.id for r in ex.extract_many(arts, batch_size=2)] == list("01234")


def test_several_rounds_in_one_sentence(ex: Extractor) -> None:
    text = ("Orvana Systems closed a $12 million Series A in March 2021 and a $45 million "
            "Series B in October 2022 that valued it at $400 million.")
    assert events(ex, text) == [
        {"type": "FundingRound", "company": "Orvana Systems", "amount": usd(12 * M),
         "round": "Series A", "date": "2021-03"},
        {"type": "FundingRound", "company": "Orvana Systems", "amount": usd(45 * M),
         "round": "Series B", "date": "2022-10", "valuation": usd(400 * M)},
    ]


def test_up_from_gives_the_earlier_valuation(ex: Extractor) -> None:
    text = ("Tessaract Labs landed $90 million in a Series C round that values the robot maker "
            "at $1.1 billion, up from $600 million eight months ago.")
    assert events(ex, text) == [
        {"type": "FundingRound", "company": "Tessaract Labs", "amount": usd(90 * M),
         "round": "Series C", "valuation": usd(1100 * M)},
        {"type": "Valuation", "company": "Tessaract Labs", "amount": usd(600 * M),
         "date": "2024-10"},
    ]


def test_unit_described_by_apposition_reports_revenue(ex: Extractor) -> None:
    text = ("Orbit Cloud Group, the cloud arm of Quillbyte, said its revenue rose 12% to "
            "$2.5 billion.")
    assert events(ex, text) == [
        {"type": "Financials", "company": "Orbit Cloud Group", "metric": "revenue",
         "amount": usd(2500 * M)},
        {"type": "Subsidiary", "parent": "Quillbyte", "child": "Orbit Cloud Group"},
    ]


def test_usage_verb_is_a_customer(ex: Extractor) -> None:
    text = "Northwind Capital rolled Lumora AI out across its trading desks this spring."
    assert events(ex, text) == [
        {"type": "Customer", "provider": "Lumora AI", "customer": "Northwind Capital"}]


def test_the_two_companies_are_the_partners(ex: Extractor) -> None:
    text = ("Lumora AI makes coding tools. Tessaract Labs also sells robots. "
            "The two companies signed a licensing agreement in May.")
    assert events(ex, text) == [
        {"type": "Partnership", "partners": ["Lumora AI", "Tessaract Labs"],
         "kind": "licensing", "date": "2025-05"}]


def test_where_clause_names_the_organisation_and_founding_clause(ex: Extractor) -> None:
    text = ("Before founding Orvana, Dana Okafor spent eight years at Quillbyte, where she was "
            "head of chip design.")
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
         "role": "head"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Orvana",
         "role": "founder"},
    ]


def test_possessed_backer_and_later_stake_price(ex: Extractor) -> None:
    assert events(ex, "For years Northwind Capital was Tessaract Labs's biggest backer.") == [
        {"type": "Investment", "investor": "Northwind Capital", "investee": "Tessaract Labs"}]
    text = ("Northwind Capital will buy a 30% stake in Orvana Systems from Quillbyte. "
            "Northwind Capital is paying roughly $75 million for its stake.")
    assert events(ex, text) == [
        {"type": "Investment", "investor": "Northwind Capital", "investee": "Orvana Systems",
         "stake": 30, "amount": usd(75 * M)}]


def test_running_total_is_no_round_but_names_backers(ex: Extractor) -> None:
    text = "Since 2018 Orvana Systems has raised about $300 million, mostly from Northwind Capital."
    assert events(ex, text) == [
        {"type": "Investment", "investor": "Northwind Capital", "investee": "Orvana Systems"}]


def test_collapsed_deal_is_no_event(ex: Extractor) -> None:
    text = ("Quillbyte agreed to buy Tessaract Labs for about $2 billion, but the deal was "
            "abandoned last year.")
    assert events(ex, text) == []


def test_price_paid_for_a_company_is_an_acquisition(ex: Extractor) -> None:
    text = "The sale price is below the $2 billion that Quillbyte paid for Tessaract Labs in 2020."
    assert events(ex, text) == [{
        "type": "Acquisition", "acquirer": "Quillbyte", "target": "Tessaract Labs",
        "amount": usd(2000 * M), "status": "completed", "date": "2020"}]


def test_listing_read_from_shares_of(ex: Extractor) -> None:
    assert events(ex, "Shares of Lumora AI began trading on the Nasdaq on Thursday.") == [{
        "type": "IPO", "company": "Lumora AI", "exchange": "Nasdaq", "status": "listed",
        "date": "2025-06-12"}]


def test_since_dates_a_span_not_the_event(ex: Extractor) -> None:
    assert events(ex, "Quillbyte has invested $300 million in Lumora AI since 2019.") == [{
        "type": "Investment", "investor": "Quillbyte", "investee": "Lumora AI",
        "amount": usd(300 * M)}]


def test_version_number_is_part_of_the_product(ex: Extractor) -> None:
    assert events(ex, "Lumora AI unveiled Orbit 2.5 on Wednesday.") == [{
        "type": "ProductLaunch", "company": "Lumora AI", "product": "Orbit 2.5",
        "date": "2025-06-11"}]


def test_short_name_refers_to_the_full_name(ex: Extractor) -> None:
    text = "Orvana Systems makes chips for robots. In May, Orvana raised $20 million."
    assert events(ex, text) == [{
        "type": "FundingRound", "company": "Orvana Systems", "amount": usd(20 * M),
        "date": "2025-05"}]


def test_verb_founded_and_surname_elsewhere(ex: Extractor) -> None:
    text = ("Dana Okafor founded Orvana Systems. Analysts like Okafor and her plans; Okafor is "
            "also chairman of Quillbyte.")
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Orvana Systems",
         "role": "founder"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
         "role": "chairman"},
    ]


def test_dotted_name_is_one_organisation(ex: Extractor) -> None:
    assert events(ex, "Orbix.AI named Dana Okafor as chief executive on Monday.") == [{
        "type": "Appointment", "person": "Dana Okafor", "organization": "Orbix.AI",
        "role": "chief executive", "date": "2025-06-09"}]
    assert events(ex, "Orbix.AI co-founder Tomas Berg said the startup would grow.") == [{
        "type": "Appointment", "person": "Tomas Berg", "organization": "Orbix.AI",
        "role": "co-founder"}]


def test_apposition_makes_an_unknown_word_a_name(ex: Extractor) -> None:
    text = "Corvid, the maker of the Nestor coding agent, agreed to acquire Tessaract Labs."
    assert events(ex, text) == [{
        "type": "Acquisition", "acquirer": "Corvid", "target": "Tessaract Labs",
        "status": "agreed"}]


def test_run_rate_is_arr_at_a_point_in_time(ex: Extractor) -> None:
    text = ("Lumora AI's revenue run-rate hit $900 million in May, up from $300 million at the "
            "start of the year.")
    assert events(ex, text) == [
        {"type": "Financials", "company": "Lumora AI", "metric": "arr", "amount": usd(900 * M),
         "period": "2025-05"},
        {"type": "Financials", "company": "Lumora AI", "metric": "arr", "amount": usd(300 * M),
         "period": "2025-01"},
    ]


def test_valuation_set_by_a_stake_purchase_is_the_investee_s(ex: Extractor) -> None:
    text = "Northwind Capital agreed to invest $50 million in Lumora AI at a $2 billion valuation."
    assert events(ex, text) == [
        {"type": "Investment", "investor": "Northwind Capital", "investee": "Lumora AI",
         "amount": usd(50 * M)},
        {"type": "Valuation", "company": "Lumora AI", "amount": usd(2000 * M)},
    ]


def test_named_person_title_without_as(ex: Extractor) -> None:
    assert events(ex, "Quillbyte named Dana Okafor chief executive on Wednesday.") == [{
        "type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
        "role": "chief executive", "date": "2025-06-11"}]


def test_launch_after_a_descriptive_apposition(ex: Extractor) -> None:
    text = "Orvana Systems, which counts Quillbyte as a client, unveiled Orbit 3 on Monday."
    assert events(ex, text) == [
        {"type": "ProductLaunch", "company": "Orvana Systems", "product": "Orbit 3",
         "date": "2025-06-09"},
        {"type": "Customer", "provider": "Orvana Systems", "customer": "Quillbyte"},
    ]


def test_customer_of_and_among_its_customers(ex: Extractor) -> None:
    assert events(ex, "Quillbyte is a customer of Lumora AI.") == [
        {"type": "Customer", "provider": "Lumora AI", "customer": "Quillbyte"}]
    text = "Lumora AI counts Quillbyte and Tessaract Labs among its customers."
    assert events(ex, text) == [
        {"type": "Customer", "provider": "Lumora AI", "customer": "Quillbyte"},
        {"type": "Customer", "provider": "Lumora AI", "customer": "Tessaract Labs"},
    ]


def test_place_before_based_is_no_company(ex: Extractor) -> None:
    text = "The Oslo, Norway-based company raised $40 million in a Series A round."
    assert events(ex, text) == []
    assert events(ex, "Lumora AI's valuation fell to $5 billion in a tender offer last year.") == [
        {"type": "Valuation", "company": "Lumora AI", "amount": usd(5000 * M), "date": "2024"}]


def test_backed_by_and_passive_round_leads(ex: Extractor) -> None:
    text = ("Orvana Systems, backed by Northwind Capital and Harbor Peak Ventures, raised "
            "$50 million.")
    assert events(ex, text) == [
        {"type": "FundingRound", "company": "Orvana Systems", "amount": usd(50 * M)},
        {"type": "Investment", "investor": "Northwind Capital", "investee": "Orvana Systems"},
        {"type": "Investment", "investor": "Harbor Peak Ventures", "investee": "Orvana Systems"},
    ]
    text = ("Lumora AI raised $30 million. The round was led by Northwind Capital, with Harbor "
            "Peak Ventures participating.")
    assert events(ex, text) == [{
        "type": "FundingRound", "company": "Lumora AI", "amount": usd(30 * M),
        "investors": ["Northwind Capital", "Harbor Peak Ventures"]}]


def test_lead_investor_of_a_possessed_round(ex: Extractor) -> None:
    assert events(ex, "Northwind Capital led Lumora AI's $100 million Series B.") == [{
        "type": "FundingRound", "company": "Lumora AI", "investors": ["Northwind Capital"],
        "round": "Series B", "amount": usd(100 * M)}]


def test_sale_of_control_values_the_business_sold(ex: Extractor) -> None:
    text = ("Quillbyte sells control of Tessaract Labs to Northwind Capital at $900 million "
            "valuation")
    assert events(ex, text) == [
        {"type": "Valuation", "company": "Tessaract Labs", "amount": usd(900 * M)}]


def test_valuation_after_a_round_is_the_round_s(ex: Extractor) -> None:
    text = "Lumora AI's valuation hits $8 billion after a round led by Northwind Capital"
    assert events(ex, text) == [{
        "type": "FundingRound", "company": "Lumora AI", "valuation": usd(8000 * M),
        "investors": ["Northwind Capital"]}]


def test_title_as_subject_and_former_employer(ex: Extractor) -> None:
    text = "Lumora AI's new chief technology officer is Tomas Berg, formerly of Quillbyte."
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Tomas Berg", "organization": "Lumora AI",
         "role": "chief technology officer"},
        {"type": "Appointment", "person": "Tomas Berg", "organization": "Quillbyte"},
    ]


def test_relative_clause_cofounder_and_leaving_to_start(ex: Extractor) -> None:
    text = "Dana Okafor, who co-founded Quillbyte in 2019, is stepping down as chief executive."
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
         "role": "chief executive"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
         "role": "co-founder", "date": "2019"},
    ]
    # the company left is a former employer (spec: current or former links), without a title
    assert events(ex, "Dana Okafor left Quillbyte in March to start Orvana Systems.") == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Orvana Systems",
         "role": "founder", "date": "2025"}]
