import pytest

from parsers.errors import UnknownKindError
from parsers.registry import detect_kind


def test_unknown_text_names_its_first_line():
    with pytest.raises(UnknownKindError) as err:
        detect_kind("\n\nสวัสดีครับ นี่ไม่ใช่รายงาน\n", "x.txt")
    assert "สวัสดีครับ" in str(err.value)
    assert err.value.path == "x.txt"
