"""Construction families added for generalisation: one test each, on invented sentences.

Same set-up as test_extract_patterns.py: the real spaCy model and the small test gazetteer
of invented names, so each expected event depends only on the rules.
"""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from tests.test_extract_patterns import events


def of_type(evs: list[dict], kind: str) -> list[dict]:
    return [e for e in evs if e["type"] == kind]


def test_used_by_names_customers_of_the_owner(ex: Extractor) -> None:
    text = ("Quillbyte makes inference chips. Its chips are already used by Norvia Labs and "
            "Pellmark Systems.")
    assert of_type(events(ex, text), "Customer") == [
        {"type": "Customer", "provider": "Quillbyte", "customer": "Norvia Labs"},
        {"type": "Customer", "provider": "Quillbyte", "customer": "Pellmark Systems"}]


def test_used_by_hedged_is_no_customer(ex: Extractor) -> None:
    text = "Quillbyte makes inference chips. Its chips could be used by Norvia Labs."
    assert of_type(events(ex, text), "Customer") == []


def test_customers_who_include_and_its_largest_customer(ex: Extractor) -> None:
    text = ("Quillbyte sells models to Quillbyte customers, who include Dovel Bank and "
            "Brask Labs. Norvia Labs, its largest customer, accounted for 40% of sales.")
    assert of_type(events(ex, text), "Customer") == [
        {"type": "Customer", "provider": "Quillbyte", "customer": "Dovel Bank"},
        {"type": "Customer", "provider": "Quillbyte", "customer": "Brask Labs"},
        {"type": "Customer", "provider": "Quillbyte", "customer": "Norvia Labs"}]


def test_subject_after_a_fronted_month(ex: Extractor) -> None:
    text = ("Lumora AI builds robots. In March Quillbyte signed a partnership with "
            "Lumora AI to develop warehouse software.")
    assert of_type(events(ex, text), "Partnership") == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI"], "date": "2025-03"}]


def test_held_stake_of_percent_in(ex: Extractor) -> None:
    text = "Under the agreement, Quillbyte holds a stake of roughly 30% in Tessaract Labs."
    assert of_type(events(ex, text), "Investment") == [
        {"type": "Investment", "investor": "Quillbyte", "investee": "Tessaract Labs",
         "stake": 30}]


def test_unit_of_a_short_named_parent(ex: Extractor) -> None:
    text = ("Quillbyte agreed to buy Norvia Robotics, the robotics unit of Germany's Norvia, "
            "for $2 billion.")
    assert of_type(events(ex, text), "Subsidiary") == [
        {"type": "Subsidiary", "parent": "Norvia", "child": "Norvia Robotics"}]


def test_launch_verb_read_as_a_modifier(ex: Extractor) -> None:
    text = "Lumora AI unveiled Orbit-2, its first large language model, on Tuesday."
    assert events(ex, text) == [
        {"type": "ProductLaunch", "company": "Lumora AI", "product": "Orbit-2",
         "date": "2025-06-10"}]


def test_relative_clause_appointment_takes_no_outer_date(ex: Extractor) -> None:
    text = ("Tessaract Labs was founded in 2019 by Dana Okafor, who will join Quillbyte as "
            "head of robotics.")
    assert of_type(events(ex, text), "Appointment") == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
         "role": "head"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Tessaract Labs",
         "role": "founder", "date": "2019"}]


def test_title_of_two_coordinated_organisations(ex: Extractor) -> None:
    text = "Dana Okafor, chief executive of Quillbyte and Lumora AI, wrote in a blog post."
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte",
         "role": "chief executive"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Lumora AI",
         "role": "chief executive"}]


def test_possessive_person_company_link(ex: Extractor) -> None:
    text = "Lumora AI's Dana Okafor said the market is growing."
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Lumora AI"}]


def test_left_a_company_is_a_former_link(ex: Extractor) -> None:
    text = "Dana Okafor and two colleagues left Quillbyte in 2020 to start Lumora AI."
    assert events(ex, text) == [
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Quillbyte"},
        {"type": "Appointment", "person": "Dana Okafor", "organization": "Lumora AI",
         "role": "founder", "date": "2020"}]


def test_founding_partners_named_with_with_and_no_duplicate_founder(ex: Extractor) -> None:
    text = ("Dana Okafor, Lumora AI's co-founder and chief executive, started the business "
            "in 2017 as a mining operation with Tomas Berg before pivoting to software.")
    got = [(e["person"], e.get("role")) for e in of_type(events(ex, text), "Appointment")]
    assert got == [("Dana Okafor", "co-founder"), ("Dana Okafor", "chief executive"),
                   ("Tomas Berg", "co-founder")]


def test_contract_worth_with_partner(ex: Extractor) -> None:
    text = ("Quillbyte signed a five-year contract worth $2 billion with Lumora AI to supply "
            "computing capacity.")
    assert of_type(events(ex, text), "Partnership") == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI"],
         "amount": {"value": 2_000_000_000, "currency": "USD"}}]


def test_supply_verb_is_a_deal_and_hedged_supply_is_not(ex: Extractor) -> None:
    text = ("Quillbyte said on Monday that it had agreed to supply Lumora AI with six "
            "gigawatts of its processors.")
    assert of_type(events(ex, text), "Partnership") == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI"], "kind": "supply",
         "date": "2025-06-09"}]
    assert events(ex, "Quillbyte could supply Lumora AI with processors.") == []


def test_venture_formed_with_names_all_partners_and_pledges_are_plans(ex: Extractor) -> None:
    text = ("Dana Okafor pledged to invest in Orbitron, the data-centre venture that Quillbyte "
            "formed with Lumora AI and Tessaract Labs in January.")
    assert events(ex, text) == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI", "Tessaract Labs"],
         "kind": "joint venture", "date": "2025-01"}]


def test_round_named_by_series_that_valued_the_company(ex: Extractor) -> None:
    text = ("The new money comes six months after a $3.5 billion Series E led by Northwind "
            "Capital that valued Lumora AI at $61.5 billion in March.")
    assert events(ex, text) == [
        {"type": "FundingRound", "company": "Lumora AI",
         "amount": {"value": 3_500_000_000, "currency": "USD"}, "round": "Series E",
         "valuation": {"value": 61_500_000_000, "currency": "USD"},
         "investors": ["Northwind Capital"], "date": "2025-03"}]


def test_second_metric_in_its_own_clause(ex: Extractor) -> None:
    text = ("Tessaract Labs said its revenue rose to $1.9 billion in 2024, while its net loss "
            "widened to $863 million last year.")
    got = [(e["metric"], e["amount"]["value"], e.get("period"))
           for e in of_type(events(ex, text), "Financials")]
    assert got == [("revenue", 1_900_000_000, "2024"), ("loss", 863_000_000, "2024")]


@pytest.mark.parametrize("text", [
    "Lumora AI runs on Quillbyte's cloud.",
    "Lumora AI's models run on Quillbyte's cloud.",
    "Lumora AI leases capacity from Quillbyte.",
    "Lumora AI is one of Quillbyte's biggest customers.",
])
def test_usage_relations_make_customers(ex: Extractor, text: str) -> None:
    assert events(ex, text) == [
        {"type": "Customer", "provider": "Quillbyte", "customer": "Lumora AI"}]


def test_hedged_usage_is_no_customer(ex: Extractor) -> None:
    assert events(ex, "Lumora AI could run on Quillbyte's cloud.") == []


def test_supply_under_an_agreement_is_a_partnership(ex: Extractor) -> None:
    text = "Quillbyte will provide cloud computing to Lumora AI under a multiyear agreement."
    assert events(ex, text) == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI"], "kind": "cloud"}]


def test_made_available_is_a_launch(ex: Extractor) -> None:
    text = "Quillbyte made Orbit-2 available to all users on Wednesday."
    assert events(ex, text) == [
        {"type": "ProductLaunch", "company": "Quillbyte", "product": "Orbit-2",
         "date": "2025-06-11"}]


def test_paragraph_opening_the_company_is_the_topic(ex: Extractor) -> None:
    text = ("Quillbyte sells inference chips to Lumora AI. Quillbyte said sales doubled. "
            "Quillbyte is one of Tessaract Labs's suppliers.\n\n"
            "The company has been working to diversify. It signed a licensing agreement "
            "with Northwind Capital.")
    assert of_type(events(ex, text), "Partnership") == [
        {"type": "Partnership", "partners": ["Quillbyte", "Northwind Capital"],
         "kind": "licensing"}]


def test_future_revenue_is_no_reported_figure(ex: Extractor) -> None:
    text = ("Quillbyte said its revenue rose 12% to $14.9 billion, but investors focused on "
            "a measure of "
            "contracted future revenue, which reached $455 billion.")
    got = [(e["metric"], e["amount"]["value"]) for e in of_type(events(ex, text), "Financials")]
    assert got == [("revenue", 14_900_000_000)]


def test_headline_possessive_is_no_person(ex: Extractor) -> None:
    assert of_type(events(ex, "Quillbyte Becomes Lumora AI's Top Shareholder"),
                   "Appointment") == []


def test_buying_compute_from_a_company_is_a_deal_not_an_acquisition(ex: Extractor) -> None:
    text = ("Quillbyte signed a contract to buy $300 billion of computing power from "
            "Lumora AI over five years.")
    assert events(ex, text) == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI"],
         "amount": {"value": 300_000_000_000, "currency": "USD"}, "kind": "compute"}]
    assert of_type(events(ex, "Quillbyte struck a deal to buy chips from Lumora AI."),
                   "Acquisition") == []
    assert events(ex, "Quillbyte could buy chips from Lumora AI.") == []


def test_deal_size_is_no_kind(ex: Extractor) -> None:
    text = "Quillbyte signed a multibillion-dollar agreement with Lumora AI."
    assert events(ex, text) == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI"]}]


def test_using_a_companys_chips_in_a_cloud_deal(ex: Extractor) -> None:
    text = ("Last month Lumora AI agreed to use up to one million of Quillbyte's chips in a "
            "cloud deal worth tens of billions of dollars.")
    assert events(ex, text) == [
        {"type": "Partnership", "partners": ["Lumora AI", "Quillbyte"], "kind": "cloud",
         "date": "2025-05"}]
    # a deal of no stated kind around a stake sale is no partnership
    assert of_type(events(ex, "Quillbyte will sell a stake in its chip unit to Northwind "
                              "Capital in a deal that values the unit at $8 billion."),
                   "Partnership") == []


def test_the_two_companies_are_partners_with_a_third(ex: Extractor) -> None:
    text = ("Quillbyte sells chips to Lumora AI. The two companies are also partners, with "
            "Tessaract Labs, in the Orbitron project.")
    assert of_type(events(ex, text), "Partnership") == [
        {"type": "Partnership", "partners": ["Quillbyte", "Lumora AI", "Tessaract Labs"]}]


@pytest.mark.parametrize("text,investor", [
    ("Northwind Capital, an early investor in Lumora AI, led the round.", "Northwind Capital"),
    ("Quillbyte is an investor in Lumora AI.", "Quillbyte"),
])
def test_an_investor_in_is_stated_backing(ex: Extractor, text: str, investor: str) -> None:
    assert of_type(events(ex, text), "Investment") == [
        {"type": "Investment", "investor": investor, "investee": "Lumora AI"}]


def test_a_possible_investor_is_no_investment(ex: Extractor) -> None:
    assert events(ex, "Quillbyte could become an investor in Lumora AI.") == []


def test_a_place_describing_the_company_is_no_participant(ex: Extractor) -> None:
    text = ("Quillbyte completed its purchase of Norvia Labs on Monday. The deal closes a "
            "review that began when the chipmaker agreed to buy the San Diego company in March.")
    targets = [e["target"] for e in of_type(events(ex, text), "Acquisition")]
    assert "San Diego" not in targets
    assert "Norvia Labs" in targets
