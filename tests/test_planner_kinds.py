"""How the offline planner types KINDS of names it has no entry for (issue 12: typing by
concept, then by shape). Each test states a kind with a sentence of that kind."""

from __future__ import annotations

import pytest

from synth_magic.planner import _knowledge as K
from synth_magic.planner import _lexicon as L
from synth_magic.planner.offline import plan


def columns(description: str) -> dict[str, tuple[str, dict]]:
    return {c.name: (c.type, dict(c.params)) for c in plan(description).columns}


# ------------------------------------------------------- a plain noun is a category

@pytest.mark.parametrize("name", ["habitat", "supplement", "cultivar", "flavour"])
def test_a_plain_noun_nobody_listed_is_a_category_not_a_number(name):
    type_, params, how = L.infer(name)
    assert (type_, how) == ("category", "guess") and len(params["values"]) >= 2


def test_a_bare_token_is_still_read_as_a_measure():
    assert L.infer("qx7")[0] == "float"


def test_a_network_connection_has_a_protocol_and_a_service_from_their_vocabularies():
    cols = columns("connections with timestamp, uid, originator host, protocol and connection state")
    assert cols["protocol"][0] == "category" and set(cols["protocol"][1]["values"]) == {"tcp", "udp", "icmp"}
    token = L.CONTEXT.set(frozenset({("connection",)}))
    try:
        assert {"dns", "http", "ssl"} <= set(L.infer("service")[1]["values"])
    finally:
        L.CONTEXT.reset(token)


# ----------------------------------------------------- a measure head is a measurement

def test_a_measure_head_is_a_measurement_with_figures_from_real_tables():
    type_, params, _ = L.infer("tooth_length")
    assert type_ == "float" and params["distribution"] == "normal" and 1 < params["min"] < params["max"] <= 100


# ------------------------------------------------------ 'X state' is a status unless a place

@pytest.mark.parametrize("name", ["connection_state", "account_state", "job_state"])
def test_a_state_of_a_process_is_a_status_not_a_us_state(name):
    type_, params, _ = L.infer(name)
    assert type_ != "state"
    assert type_ == "order_status" or "active" in params.get("values", []) or type_ == "category"


@pytest.mark.parametrize("name", ["state", "home_state", "billing_state", "us_state", "state_name"])
def test_a_place_state_stays_a_state(name):
    assert L.infer(name)[0] == "state"


def test_a_state_code_is_a_usps_abbreviation():
    type_, params, _ = L.infer("state_code")
    assert type_ == "category" and {"CA", "NY", "TX", "DC"} <= set(params["values"]) and len(params["values"]) == 51


def test_one_row_per_us_state_has_a_state_column_of_states_and_no_one_id():
    cols = columns("one row per US state with murder arrests, assault arrests and urban population percent")
    assert "one_id" not in cols
    states = [n for n, (t, p) in cols.items() if "state" in n]
    assert states and all(cols[n][0] == "state" for n in states) and len(states) == 1


# ----------------------------------------------------------------- flags said in words

@pytest.mark.parametrize("phrase", ["class (fraud or not)", "smoker (yes/no)", "diabetic or not", "senior (y/n)"])
def test_a_flag_said_in_words_is_boolean(phrase):
    cols = columns(f"patients with age, {phrase} and sex")
    assert [t for n, (t, _) in cols.items() if n.split("_")[0] in phrase] == ["boolean"]


def test_the_word_said_yes_to_gives_the_share():
    cols = columns("card transactions with time, amount and class (fraud or not)")
    fraud = K.knowledge().rules["flag_priors"]["fraud"]  # rules.toml's share of fraud
    assert cols["class"] == ("boolean", {"p_true": fraud}) and fraud < 0.05


# --------------------------------------------------------------------- 'per' in a name

def test_a_rate_per_unit_is_named_whole_and_typed_by_its_rate():
    cols = columns("car crashes by state with drivers in fatal collisions per billion miles and premiums")
    name = next(n for n in cols if n.startswith("drivers"))
    assert name == "drivers_in_fatal_collisions_per_billion_miles" and cols[name][0] == "float"


def test_a_unit_per_day_is_a_rate_not_the_row_frequency():
    cols = columns("guinea pigs with tooth length, supplement type and dose in milligrams per day")
    assert "dose" in cols and cols["dose"][0] in ("float", "integer")
    assert not any(t in ("date", "datetime") for t, _ in cols.values())
    assert L.step("workers with hours worked per week") is None
    assert L.step("sensor data, one row per day") == ("1d", "per day")


def test_an_agent_after_by_does_not_type_the_name():
    type_, _, _ = L.infer("losses_incurred_by_insurers")
    assert type_ != "company"


# ------------------------------------------------------------------ 'number of X' counts X

def test_number_of_x_takes_the_figures_of_x_counted():
    assert L.infer("number_of_passengers")[1] == L.infer("passenger_count")[1]
    assert L.infer("number_of_passengers")[1]["max"] < 50


def test_number_of_an_unknown_thing_is_the_general_count():
    type_, params, _ = L.infer("number_of_qqzorbs")
    assert type_ == "integer" and params["max"] == 50


# ------------------------------------------------------------- durations by what lasts

@pytest.mark.parametrize("description, lo, hi", [
    ("telemarketing calls with client age and duration", 60, 600),  # seconds
    ("network connections with originator host, protocol and duration", 1, 120),
    ("flights with carrier, origin and duration", 60, 400),  # minutes
])
def test_a_duration_has_figures_by_what_lasts(description, lo, hi):
    type_, params = columns(description)["duration"]
    assert type_ in ("duration", "integer", "float") and lo <= params["mean"] <= hi


def test_over_an_age_alone_is_a_flag_not_a_range():
    ph = L.parse_phrase("over 18")
    assert ph.yes_no == "" and ph.lo is None and ph.head == "over 18"
    cols = columns("posts with id, subreddit, title, score, created utc, over 18 and url")
    assert cols["over_18"][0] == "boolean"


@pytest.mark.parametrize("name, type_", [("county_name", "state"), ("town_name", "city"), ("province_name", "state")])
def test_the_name_of_a_place_is_that_place_not_a_person(name, type_):
    assert L.infer(name)[0] == type_


def test_a_population_by_what_the_rows_are():
    cols = columns("US counties with state fips code, county name and population estimate")
    pop = cols["population_estimate"][1]
    assert pop["min"] < 100 and 50_000 < pop["mean"] < 200_000 and pop["max"] < 20_000_000
    assert cols["state_fips_code"] == ("integer", {"min": 1, "max": 56, "distribution": "uniform"})


@pytest.mark.parametrize("name", ["stay_length", "song_length", "call_length", "shift_length"])
def test_the_length_of_something_that_lasts_is_a_duration(name):
    assert L.infer(name)[0] == "duration"


@pytest.mark.parametrize(("said", "name"), [("age 80 or older", "age_80_or_older"),
                                             ("aged 65 or over", "aged_65_or_over"),
                                             ("income 50000 or more", "income_50000_or_more")])
def test_a_threshold_or_more_is_a_flag_not_two_values(said, name):
    cols = columns(f"hospital stays with length of stay in days, died and {said}")
    assert cols[name][0] == "boolean" and "values" not in cols[name][1], cols


def test_an_enumeration_with_or_still_gives_its_values():
    assert L.parse_phrase("red or blue").values == ["red", "blue"] and L.parse_phrase("1 or 2").values == ["1", "2"]


@pytest.mark.parametrize("description", ["hospital stays", "inpatient stays"])
def test_a_hospital_stay_is_a_patient_record_not_a_hotel_stay(description):
    assert plan(description).title == "patient records"
    assert plan("hotel stays").title != "patient records"


def test_a_measure_head_decides_over_the_word_before_it():
    assert L.infer("body_length")[0] == "float"


@pytest.mark.parametrize("name, type_", [("cholesterol_level", "integer"), ("glucose_level", "integer"),
                                         ("risk_level", "category"), ("salary_level", "money")])
def test_a_level_of_a_measured_thing_is_its_figure(name, type_):
    assert L.infer(name)[0] == type_


def test_a_plural_head_counts_whatever_the_word_before_it_is():
    assert L.infer("cpu_cores")[0] == "integer"


def test_a_ships_flag_state_is_a_country():
    assert L.infer("flag_state")[0] == "country"


def test_number_of_x_takes_the_named_tables_count_of_x_over_the_general_pattern():
    # CRM company objects (HubSpot, Salesforce) count their employees in the hundreds, not 0-50
    type_, params, _ = L.infer("number_of_employees")
    assert type_ == "integer" and params["max"] > 1000 and params["mean"] > 50


@pytest.mark.parametrize("name", ["turbidity", "brightness", "tonnage", "rainfall", "evaporation", "caffeine", "throughput"])
def test_a_noun_that_names_a_quantity_by_its_make_is_a_number(name):
    assert L.infer(name)[0] == "float"


@pytest.mark.parametrize(("name", "values"), [
    ("socioeconomic_status", {"low", "middle", "high"}), ("smoking_status", {"never", "former", "current"}),
    ("weight_status", {"underweight", "healthy weight", "overweight", "obese"}),
    ("insurance_status", {"insured", "uninsured"}), ("school_type", {"public", "private"})])
def test_a_persons_status_has_its_own_categories_not_an_accounts(name, values):
    type_, params, _ = L.infer(name)
    assert type_ == "category" and set(params["values"]) == values
    assert set(L.infer("account_status")[1]["values"]) >= {"active", "inactive"}  # an account's stays one


@pytest.mark.parametrize(("name", "type_"), [("area_name", "city"), ("neighborhood_name", "city"),
                                             ("agency_name", "company"), ("school_name", "company"),
                                             ("program_name", "title"), ("customer_name", "full_name"),
                                             ("contact_name", "full_name")])
def test_the_name_of_a_thing_is_not_a_persons_name(name, type_):
    assert L.infer(name)[0] == type_


def test_an_age_said_is_not_the_templates_age_group():
    cols = columns("nypd arrests with arrest key, arrest date, age and latitude")
    assert cols["age"][0] in ("integer", "age") and "values" not in cols["age"][1]
    assert columns("nypd arrests with arrest key, arrest date, age group and latitude")["age_group"][0] == "category"


def test_the_code_of_a_category_is_its_one_letter_codes():
    assert L.infer("sex_code")[:2] == ("category", {"values": ["M", "F"], "weights": [52, 48]})
    type_, params, _ = L.infer("race_code")
    assert type_ == "category" and all(len(v) == 1 for v in params["values"]) and len(params["values"]) >= 3
    assert L.infer("product_code")[0] == "code"  # a thing's code stays a code


def test_a_flag_said_as_a_participle_is_a_flag_and_true_for_a_minority():
    cols = columns("police stops with date, vehicle searched, loan approved and top speed")
    share = K.knowledge().rules["flag_default"]["p_true"]
    assert cols["vehicle_searched"] == ("boolean", {"p_true": share}) and 0.1 < share < 0.5
    assert cols["loan_approved"][0] == "boolean" and cols["top_speed"][0] != "boolean"  # 'speed' is no participle
