"""A .nnviz file saved as UTF-16 (with or without a byte-order mark) is refused as such, not as bad JSON."""

import pytest

from nnviz.core.fileformat import FileFormatError, load
from fuzz_mutations import EXAMPLES


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_is_named(tmp_path, encoding):
    text = (EXAMPLES / "tutorial_2-2-1_sigmoid_xor.nnviz").read_text(encoding="utf-8")
    path = tmp_path / "net.nnviz"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(FileFormatError) as info:
        load(path)
    message = str(info.value)
    assert "UTF-16" in message and "save it as UTF-8" in message
    assert "\x00" not in message


def test_utf8_with_a_bom_still_reads(tmp_path):
    text = (EXAMPLES / "tutorial_2-2-1_sigmoid_xor.nnviz").read_text(encoding="utf-8")
    path = tmp_path / "net.nnviz"
    path.write_bytes(text.encode("utf-8-sig"))
    assert load(path).spec.inputs == 2
