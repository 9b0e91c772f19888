import random
import re

import pytest

from pandu.registry.names import name_tokens, normalise_name, search_key

KEY_SHAPE = re.compile(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?")


@pytest.mark.parametrize(
    ("written", "other"),
    [
        # Muhammad and its abbreviations
        ("Moh. Rahman", "Muhammad Rahman"),
        ("MUHAMMAD  RAHMAN", "Muhammad Rahman"),
        ("M. Rahman", "Muhammad Rahman"),
        ("Mochammad Rahman", "Muhammad Rahman"),
        ("Moch. Rahman", "Mohammad Rahman"),
        ("Mhd Rahman", "Muh. Rahman"),
        ("Md. Rahman", "Mohamed Rahman"),
        ("Moh.Rahman", "Muhammad Rahman"),
        # Titles
        ("Hj. Siti Aminah, S.Pd.", "Siti Aminah"),
        ("Rahman, S.Pd., M.Si", "Rahman"),
        ("Siti Aminah S.Pd", "Siti Aminah"),
        ("Siti Aminah S. Pd", "Siti Aminah"),
        ("Siti Aminah SPd", "Siti Aminah"),
        ("Drs. H. Budi Santoso, M.M.", "Budi Santoso"),
        ("Prof. Dr. Ir. Budi Santoso", "Budi Santoso"),
        ("Dra. Hajjah Wulan", "Wulan"),
        ("Haji Agus Salim", "Agus Salim"),
        ("K.H. Ahmad Dahlan", "Ahmad Dahlan"),
        ("Alm. Budi", "Budi"),
        ("Almarhum Budi", "Budi"),
        ("Ani A.Md.Keb", "Ani"),
        ("Ani Amd.Keb", "Ani"),
        ("Ani Ama.Pd", "Ani"),
        ("Budi S.Kom", "Budi"),
        ("Budi Santoso ST", "Budi Santoso"),
        ("Budi Santoso S.T.", "Budi Santoso"),
        ("Budi SE MM", "Budi"),
        ("Budi B.Sc", "Budi"),
        ("Hj.Siti Aminah", "Siti Aminah"),
        ("St. Aminah", "Siti Aminah"),
        ("H. M. Rachman, S.Pd.", "Muhammad Rakhman"),
        # Old spelling
        ("Soekarno", "Sukarno"),
        ("Tjahjo", "Cahyo"),
        ("Tjahjono", "Cahyono"),
        ("Djoko", "Joko"),
        ("Djojo", "Joyo"),
        ("Soekardjo", "Sukarjo"),
        ("Achmad Sjarif", "Ahmad Syarif"),
        ("Njoto", "Nyoto"),
        ("Soenjoto", "Sunyoto"),
        ("Abdoel Chalik", "Abdul Khalik"),
        # Common forms
        ("Abd. Rachman", "Abdul Rakhman"),
        ("Sitti Noor", "Siti Nur"),
        ("Nour Aini", "Nur Aini"),
        ("Akhmad Fauzi", "Ahmad Fauzi"),
        ("Ahmat Fauzi", "Achmad Fauzi"),
        # Letters
        ("Anna", "Ana"),
        ("Rahmy", "Rahmi"),
        ("Rizky", "Rizki"),
        ("Ma'ruf", "Maruf"),
        ("Ma\u2019ruf", "Maruf"),
        ("Jos\u00e9", "Jose"),
        ("\u00c9lan", "Elan"),
        ("\uff21\uff4e\uff49", "Ani"),  # full-width letters
        ("  ani   budi  ", "Ani Budi"),
    ],
)
def test_variants_of_a_name_share_one_key(written: str, other: str) -> None:
    assert normalise_name(written) == normalise_name(other)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Muhammad Rahman", "muhamad rahman"),
        ("M. Rahman", "muhamad rahman"),
        ("Hj. Siti Aminah, S.Pd.", "siti aminah"),
        ("Soekardjo", "sukarjo"),
        ("Tjahjono", "cahyono"),
        ("Djojo", "joyo"),
        ("Achmad Sjarif", "ahmad syarif"),
        ("Nurhayati", "nurhayati"),
        ("Nur-Hayati", "nur hayati"),
        ("Rahman bin Abdullah", "rahman bin abdulah"),
        ("Siti binti Ahmad", "siti binti ahmad"),
        ("Dra. Hj. Sitti Noor Aini S. Pd, M.Si", "siti nur aini"),
        ("Soekarno", "sukarno"),
        ("Budi", "budi"),
        ("Ani 2", "ani 2"),
    ],
)
def test_key_is_lowercase_ascii_with_single_spaces(name: str, key: str) -> None:
    assert normalise_name(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sanjaya", "sanjaya"),  # modern "nj" is n + j
        ("Panji Joyo", "panji joyo"),  # modern "j" stays
        ("Agus Haji", "agus haji"),  # "Haji" after the name is a name
        ("Haji", "haji"),  # a title with nothing after it is the name
        ("Tan Se Hok", "tan se hok"),  # undotted "Se" inside a name is not a degree
        ("Ani St Budi", "ani st budi"),  # "St" is only a degree at the end
        ("M", "muhamad"),
        ("Budi M", "budi m"),  # "m" is Muhammad only as the first token
        ("Budi S. Hartono", "budi s hartono"),  # an initial is not a title
    ],
)
def test_rules_leave_modern_spelling_and_names_alone(name: str, key: str) -> None:
    assert normalise_name(name) == key


def test_name_made_only_of_titles_keeps_them() -> None:
    assert normalise_name("H.") == "h"
    assert normalise_name("Dr.") == "dr"


@pytest.mark.parametrize("empty", ["", None, "   ", ",", "...", "\u5f20\u4f1f"])
def test_empty_or_unusable_names_give_an_empty_key(empty: str | None) -> None:
    assert normalise_name(empty) == ""
    assert name_tokens(empty) == []


def test_html_does_not_leak_into_the_key() -> None:
    assert normalise_name("<b>Ani</b>") == "ani"
    assert normalise_name("<script>alert(1)</script>Ani") == "alert 1 ani"
    assert normalise_name("Ani &amp; Budi") == "ani budi"
    assert normalise_name("a < b") == "a b"


def test_tokens_and_search_key_agree_with_the_key() -> None:
    name = "Hj. Sitti Noor Aini, S.Pd."
    assert name_tokens(name) == ["siti", "nur", "aini"]
    assert search_key(name) == normalise_name(name) == "siti nur aini"


def test_single_name_is_one_token() -> None:
    assert name_tokens("Soekarno") == ["sukarno"]


def test_any_text_gives_a_well_formed_key() -> None:
    rng = random.Random(20250601)
    alphabet = "aAbBjJoOeE .,'`-<>&;#\u00e9\u00a0\u2019\u0301\u5f20\u0627\t\n0123"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        key = normalise_name(text)
        assert KEY_SHAPE.fullmatch(key), (text, key)


def test_key_is_stable_when_normalised_again() -> None:
    for name in ["Muhammad Rahman", "Siti Aminah", "Cahyono", "Sukarjo", "Ahmad Syarif"]:
        key = normalise_name(name)
        assert normalise_name(key) == key
