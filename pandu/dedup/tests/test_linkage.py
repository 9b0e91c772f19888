"""The linkage itself: features, comparison levels, the Splink pipeline and how it is measured."""

from datetime import date

import pytest

from pandu.dedup import labelled, quality, spec
from pandu.dedup.features import Record, dob_key, nik_date, phonetic_key
from pandu.dedup.linkage import Linkage, chunked
from pandu.dedup.online import parse_date
from pandu.registry.names import normalise_name


@pytest.fixture(scope="module")
def small_set():
    return labelled.generate(people=400, seed=7)


def test_labelled_generator_yields_known_pairs_between_records_of_one_person(small_set):
    by_id = small_set.by_id()
    assert small_set.truth, "some people are registered twice"
    for a, b in small_set.truth:
        assert a < b
        assert by_id[a].person == by_id[b].person
    sizes: dict[int, int] = {}
    for p in small_set.people:
        sizes[p.person] = sizes.get(p.person, 0) + 1
    assert len(small_set.truth) == sum(n * (n - 1) // 2 for n in sizes.values())
    assert all(d.variations for d in small_set.duplicates())
    again = labelled.generate(people=400, seed=7)
    assert again.truth == small_set.truth
    assert [p.full_name for p in again.people] == [p.full_name for p in small_set.people]


def test_labelled_variations_include_every_kind_asked_for():
    kinds = labelled.generate(people=3000, seed=3).variation_counts
    for kind in ("spelling", "typo1", "typo2", "swap_day_month", "nickname", "title"):
        assert kinds[kind] > 0, kind
    assert kinds["nik_missing"] > 0 and kinds["nik_different"] > 0


def test_old_spelling_round_trips_through_the_name_key():
    from pandu.registry.names import normalise_name

    for word in ("Yusuf", "Cahyono", "Syamsuddin", "Khadijah", "Jamaluddin"):
        assert normalise_name(labelled.to_old_spelling(word)) == normalise_name(word), word


def test_precision_and_recall_are_counted_on_unordered_pairs():
    truth = {(1, 2), (3, 4), (5, 6), (7, 8)}
    predicted = [(2, 1), (3, 4), (9, 10)]  # two right (one written the other way), one wrong
    scores = quality.pairwise_scores(predicted, truth)
    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (2, 1, 2)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    nothing_found = quality.pairwise_scores([], truth)
    assert (nothing_found.precision, nothing_found.recall, nothing_found.f1) == (1.0, 0.0, 0.0)


def test_swapped_day_and_month_share_the_date_key_and_sound_keys_ignore_spelling():
    assert dob_key(date(1980, 5, 7)) == dob_key(date(1980, 7, 5))
    assert dob_key(date(1980, 5, 7)) != dob_key(date(1981, 7, 5))
    assert phonetic_key("muhamadrahman") == phonetic_key("mukhamadrakhman")
    assert phonetic_key("fatimah") == phonetic_key("patimah")


def test_a_date_written_month_first_is_read_as_the_same_date():
    assert parse_date("05-17-1980") == date(1980, 5, 17)
    assert parse_date("17-05-1980") == date(1980, 5, 17)
    assert parse_date("1980-05-17") == date(1980, 5, 17)


def _raw_rows(records):
    """Raw linkage rows (``linkage.RAW_COLUMNS``) for records, each alone in a household as its
    head."""
    return [
        (r.unique_id, r.nik, r.name_key if r.name_key is not None else normalise_name(r.full_name),
         r.sex, r.birth_date, r.birth_place, r.area_code, 9000 + i, 1)
        for i, r in enumerate(records)
    ]  # fmt: skip


def test_duckdb_features_equal_python_features(small_set):
    sample = small_set.people[:150]
    records = [small_set.record(p) for p in sample]
    with Linkage() as linkage:
        linkage.load(chunked(small_set.rows(), 64))
        batch = {row["unique_id"]: row for row in linkage.feature_rows()}
    for rec in records:
        python = rec.features()
        sql = batch[rec.unique_id]
        for column in python:
            assert sql[column] == python[column], (rec.full_name, column)


def test_jaro_winkler_equals_duckdb():
    import random

    import duckdb

    rng = random.Random(3)
    letters = "aiueokhmnrstbdgjlpwy"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 14))) for _ in range(400)]
    pairs = [("marjuki", "marhuki"), ("sakinah", "skaieh"), ("martha", "marhta"), ("a", "a")]
    for word in words:
        other = list(word)
        for _ in range(rng.randint(1, 3)):
            other[rng.randrange(len(other))] = rng.choice(letters)
        pairs += [(word, "".join(other)), (word, rng.choice(words))]
    with duckdb.connect() as con:
        expected = con.execute(
            "SELECT jaro_winkler_similarity(a, b) FROM (SELECT unnest($1) AS a, unnest($2) AS b)",
            [[a for a, _b in pairs], [b for _a, b in pairs]],
        ).fetchall()
    got = [spec.jaro_winkler(a, b) for a, b in pairs]
    assert got == pytest.approx([e for (e,) in expected], abs=1e-12)
    assert spec.jaro_winkler("marjuki", "marhuki") >= spec.SIMILAR_NAME
    assert spec.jaro_winkler("baso", "rahman") < spec.SIMILAR_NAME


def test_words_level_accepts_a_nickname_typed_with_a_slip_and_equals_the_duckdb_macro():
    import random

    import duckdb

    close = [
        ("fadil naufal", "naufl"),
        ("siti widya", "sti"),
        ("abdul karim abdulah", "karim abulah"),
        ("ilham rafli", "raflj"),
        ("muhamad alif", "aleif"),
    ]
    apart = [
        ("fadil naufal", "nurul"),
        ("ab", "ac def"),  # words under three letters must be equal
        ("karim abdulah rahman", "karim abdul rahmat nur"),
        ("siti", "budi santoso"),
    ]
    for a, b in close:
        assert spec._words_close({"name_key": a}, {"name_key": b}), (a, b)
    for a, b in apart:
        assert not spec._words_close({"name_key": a}, {"name_key": b}), (a, b)
    rng = random.Random(5)
    words = ["nur", "siti", "muhamad", "andi", "rahman", "aisyah", "fadil", "baso", "ab", "al"]
    pairs = list(close + apart)
    for _ in range(600):
        left = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        right = [rng.choice(words) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.5:  # a slip in one word
            word = list(right[0])
            word[rng.randrange(len(word))] = rng.choice("aiuekhmnrs")
            right[0] = "".join(word)
        pairs.append((left, " ".join(right)))
    with duckdb.connect() as con:
        for macro in spec.SQL_MACROS:
            con.execute(macro)
        expected = con.execute(
            "SELECT words_close(a, b) FROM (SELECT unnest($1) AS a, unnest($2) AS b)",
            [[a for a, _b in pairs], [b for _a, b in pairs]],
        ).fetchall()
    got = [spec._words_close({"name_key": a}, {"name_key": b}) for a, b in pairs]
    assert got == [bool(e) for (e,) in expected]
    assert 50 < sum(got) < len(pairs) - 50  # both answers occur


def test_python_levels_equal_splink_levels(small_set):
    """The online check and the review screen must see the levels the batch run saw."""
    with Linkage() as linkage:
        linkage.load(chunked(small_set.rows()))
        linkage.use(spec.settings_dict(prior=1e-3))
        result = linkage.predict(0.001)
    assert result.candidates
    feats = {p.id: small_set.record(p).features() for p in small_set.people}
    model = spec.Model.from_settings(spec.settings_dict(prior=1e-3))
    for cand in result.candidates[:300]:
        levels = {
            c.name: c.level_for(feats[cand.id_l], feats[cand.id_r]).key for c in spec.COMPARISONS
        }
        assert levels == cand.levels, (cand.id_l, cand.id_r)
        _p, weight, _e = model.score_levels(levels, cand.adjust)
        assert weight == pytest.approx(cand.match_weight, abs=1e-6)


def test_a_nik_gives_its_birth_date_with_forty_taken_off_a_womans_day():
    assert nik_date("7309034311630001") == "631103"  # a woman born 3 November 1963
    assert nik_date("7309030311630001") == "631103"
    assert nik_date("7371016907110801") == "110729"
    for unreadable in ("7309034013630001", "7309030011630001", "7309034011630001",
                       "7309037211630001", "73090303116300x1", "730903031163",
                       "730903031163000\u0661", None):  # fmt: skip
        assert nik_date(unreadable) is None, unreadable


def _score_alone(records):
    settings = spec.settings_dict(prior=1e-4)
    with Linkage() as linkage:
        linkage.load(chunked(_raw_rows(records)))
        linkage.use(settings)
        return {(c.id_l, c.id_r): c for c in linkage.predict(0.0).candidates}


def test_the_nik_tells_a_typo_in_a_birth_date_from_a_namesake_born_days_apart():
    def woman(uid, nik, born, place, area):
        return Record(uid, "Nurul Intan" if uid <= 3 else "Hasniah", nik=nik, sex="P",
                      birth_date=born, birth_place=place, area_code=area)  # fmt: skip

    # One woman: the second record's year was mistyped, its NIK still holds the real date.
    intan = woman(1, "7371016907110001", date(2011, 7, 29), "Makassar", "73.71.01.1001")
    mistyped = woman(2, "7371016907110801", date(2018, 7, 29), "Makassar", "73.09.03.2003")
    no_nik = woman(3, None, date(2018, 7, 29), "Makassar", "73.09.03.2003")
    # Two women born six days apart: each NIK holds its own record's date.
    hasniah = woman(4, "7309034311630001", date(1963, 11, 3), "Maros", "73.09.03.2003")
    hasnah = woman(5, "7309034911630001", date(1963, 11, 9), "Maros", "73.09.03.2002")
    no_nik_hasnah = woman(6, None, date(1963, 11, 9), "Maros", "73.09.03.2002")
    records = [intan, mistyped, no_nik, hasniah, hasnah, no_nik_hasnah]
    found = _score_alone(records)
    feats = {r.unique_id: r.features() for r in records}
    expected = {(1, 2): "nik", (1, 3): "typo_year", (2, 3): "exact",
                (4, 5): "nik_own", (4, 6): "typo_day", (5, 6): "exact"}  # fmt: skip
    birth = spec.BY_NAME["birth_date"]
    for pair, level in expected.items():
        assert found[pair].levels["birth_date"] == level, pair
        assert birth.level_for(feats[pair[0]], feats[pair[1]]).key == level, pair
    # The NIK makes the typo more likely than an unexplained one, and the namesakes less.
    assert found[(1, 2)].match_weight > found[(1, 3)].match_weight + 4
    assert found[(4, 5)].match_weight < found[(4, 6)].match_weight - 8
    assert found[(1, 2)].probability > found[(1, 3)].probability
    assert found[(4, 5)].probability < 0.01


def test_village_rules_pair_a_date_typo_with_a_changed_name_of_the_same_initial_only():
    def man(uid, name, born):
        return Record(uid, name, sex="L", birth_date=born, birth_place="Maros",
                      area_code="73.09.03.2003")  # fmt: skip

    andi = man(1, "Andi Wijaya", date(1980, 5, 17))
    day_typo = man(2, "Ahmad Saputra", date(1980, 5, 19))  # same initial, year and month
    year_typo = man(3, "Arman Halim", date(1987, 5, 17))  # same initial, day and month
    same_year_only = man(4, "Arif Nur", date(1980, 11, 2))  # same initial and year
    same_day_only = man(5, "Budi Santoso", date(1975, 5, 17))  # another initial
    found = _score_alone([andi, day_typo, year_typo, same_year_only, same_day_only])
    assert set(found) == {(1, 2), (1, 3)}


def test_pipeline_finds_moh_rahman_with_day_and_month_swapped(small_set):
    base = small_set.rows()
    next_id = max(r[0] for r in base) + 1
    moh = Record(next_id, "Moh. Rahman", sex="L", birth_date=date(1980, 5, 7),
                 birth_place="Maros", area_code="73.09.02.2001")  # fmt: skip
    muhammad = Record(next_id + 1, "Muhammad Rahman", sex="L", birth_date=date(1980, 7, 5),
                      birth_place="Maros", area_code="73.09.02.2003")  # fmt: skip
    us_order = Record(next_id + 2, "H. Muhammad Rachman", sex="L",
                      birth_date=parse_date("05-17-1980"), birth_place="Maros",
                      area_code="73.09.02.2001")  # fmt: skip
    moh_17 = Record(next_id + 3, "Moh. Rahman", sex="L", birth_date=date(1980, 5, 17),
                    birth_place="Maros", area_code="73.09.02.2004")  # fmt: skip
    extra = _raw_rows([moh, muhammad, us_order, moh_17])
    with Linkage() as linkage:
        linkage.load(chunked(base + extra))
        linkage.train(u_pairs=2e5)
        result = linkage.predict(0.5)
    found = {(c.id_l, c.id_r): c for c in result.candidates}
    swapped = found.get((moh.unique_id, muhammad.unique_id))
    assert swapped is not None and swapped.probability > 0.8
    assert swapped.levels["name"] == "exact"
    assert swapped.levels["birth_date"] == "swapped"
    written_month_first = found.get((us_order.unique_id, moh_17.unique_id))
    assert written_month_first is not None
    assert written_month_first.levels["birth_date"] == "exact"


def test_quality_report_on_a_small_labelled_set(small_set):
    report = quality.evaluate(small_set, threshold=0.8)
    best = max(s.f1 for s in report.scores)
    assert best > 0.8
    assert "| threshold | precision | recall | F1 |" in "\n".join(report.lines())


def test_dedup_quality_command_reports_and_updates_its_block(tmp_path, settings, capsys):
    from django.core.management import call_command

    from pandu.dedup.management.commands.dedup_quality import write_section

    call_command("dedup_quality", "--people", "300", "--seed", "5", "--no-docs")
    out = capsys.readouterr().out
    assert "| threshold | precision | recall | F1 |" in out and "true pairs" in out
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nother engineer's text\n")
    write_section(doc, ["first"], people=300, seed=5)
    write_section(doc, ["second"], people=300, seed=5)
    write_section(doc, ["other size"], people=900, seed=5)
    text = doc.read_text()
    assert "other engineer's text" in text and text.count("## Deduplication") == 1
    assert "second" in text and "first" not in text and "other size" in text
