"""Kinds as data: kind files load, parse their samples, and a bad one names file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import datakind
from parsers.errors import KindFileError
from parsers.registry import SHIPPED_KINDS, registry
from tests.parsers.parser_helpers import load

GOOD = (SHIPPED_KINDS / "moi_kpi_report.toml").read_text(encoding="utf-8")


def write(folder: Path, text: str, name: str = "mine.toml") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("[detect]\nall", "[detect]\nal", "detect.al"),  # a typo in a key
        ("required = true\n", "requird = true\n", "field[0].requird"),
        ('to = "agency"', 'to = "agnecy"', "field[0].to"),  # an unknown target
        ("(?P<quarter>[1-4๑-๔])", "(?P<quarter>[1-4๑-๔]", "field[4].pattern"),  # bad regex
        ("to = { quarter =", "to = { quartr =", "field[4].to.quartr"),  # no such group
        ('name = "moi_kpi_report"', 'name = "MOI report"', "name"),
        ('all = ["ชื่อโครงการ", "ห้วงการรายงาน"]', "all = []", "detect.all"),
    ],
)
def test_a_bad_kind_file_names_the_file_and_the_key(tmp_path, old, new, key):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(KindFileError) as err:
        datakind.load_file(path)
    assert str(err.value).startswith(f"{path}: key {key!r}: "), str(err.value)


def test_a_file_that_is_no_toml_names_the_file(tmp_path):
    path = write(tmp_path, "name = \n")
    with pytest.raises(KindFileError, match=r"mine\.toml: The kind file cannot be read as TOML"):
        datakind.load_file(path)


def test_a_record_match_needs_the_records_required_fields(tmp_path):
    text = GOOD + "\n[[match]]\npattern = '(?P<description>x)'\nrecord = \"plan_steps\"\n"
    with pytest.raises(KindFileError, match=r"key 'match\[0\]\.record': plan_steps rows need"):
        datakind.load_file(write(tmp_path, text))


def test_a_missing_kinds_folder_is_named(tmp_path):
    with pytest.raises(KindFileError, match="does not exist"):
        registry((str(tmp_path / "nowhere"),))


def test_a_users_kind_file_adds_a_kind(tmp_path):
    mine = GOOD.replace('name = "moi_kpi_report"', 'name = "my_report"').replace(
        'all = ["ชื่อโครงการ", "ห้วงการรายงาน"]', 'all = ["แบบรายงานของฉัน"]'
    )
    write(tmp_path, mine)
    reg = registry((str(tmp_path),))
    assert "my_report" in reg and "my_report" not in registry()
    doc = reg.parse_document("แบบรายงานของฉัน\n1. หน่วยงาน กอง ก\n2. ชื่อโครงการ ข\n", "x.txt")
    assert (doc.kind, doc.agency, doc.title) == ("my_report", "กอง ก", "ข")
    assert [a.rule for a in doc.anomalies] == ["missing_section"]  # ห้วงการรายงาน is required
    assert "'ห้วงการรายงาน'" in doc.anomalies[0].message


def test_the_moph_page_reads_target_checkpoints_and_criteria():
    doc = registry().parse_document(load("real/moph_kpi_detail_03.txt"), "m.txt")
    (ind,) = doc.indicators
    assert (doc.kind, doc.code, doc.fiscal_year) == ("moph_kpi_detail", "0302.1", 2566)
    assert (ind.target_value, ind.target_unit) == (70.0, "%")
    attrs = {a.key: a.value for a in doc.attributes}
    assert attrs["target_9_months"] == ">=60%" and "target_6_months" not in attrs
    assert [lv.level for lv in doc.success_levels] == [1, 2, 3, 4, 5]


def test_a_target_written_per_level_stays_text():
    doc = registry().parse_document(load("real/moph_kpi_detail_02.txt"), "m.txt")
    assert doc.indicators[0].target_value is None
    attrs = {a.key: a.value for a in doc.attributes}
    assert attrs["target_text"].startswith("ระดับ S >= ร้อยละ 15")
    assert attrs["target_12_months"].endswith("ระดับ F >= ร้อยละ 5")
