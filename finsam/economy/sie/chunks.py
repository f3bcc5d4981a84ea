"""The file's lines, read in chunks, and the fast path for whole vouchers of the common shape.

Reading line by line costs a method call and a decode per line; here the file is read in chunks
(growing from 8 KiB to 1 MiB, so the first records come at once) and a chunk is decoded in one
call when none of its lines would be refused (the encoding check is per line in the general
reader; a chunk without a suspicious byte pair has no line with one, since a pair never spans
a line break). A chunk with one is handed on line by line, decoded and checked as before.

`VoucherRows` is what the reader yields, when asked to (`read_sie(fp, rows=True)`), for a
voucher written the way accounting programs write nearly all of them: a #VER with series,
number, date and text, then only #TRANS lines with a bare account, no object or one, the amount,
an optional date and text, no escapes. One compiled regex takes the whole voucher and one more
its rows, so that a row costs no Python until the caller formats it. Anything else is read by
the general reader, which gives the same values and the Swedish error messages (tested).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import BinaryIO, NamedTuple

MAX_LINE_LENGTH = 100_000  # bytes; longer lines are refused so memory stays bounded
_FIRST_CHUNK, _LAST_CHUNK = 1 << 13, 1 << 20


class SieError(Exception):
    """A problem in a SIE file; `str()` gives "Rad N: <Swedish message>"."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"Rad {self.line}: {self.message}"


# Two-byte UTF-8 sequences (lead byte + continuation byte) are box-drawing/Greek symbols
# followed by a letter in CP437, which real ledger text never contains. Å, Ä, Ö, å, ä, ö, é
# in Windows-1252 are CP437 symbols (─┼╓Σσ÷Θ); next to an ASCII letter they betray Latin-1.
_SUSPICIOUS_RE = re.compile(
    rb"[\xc2-\xf4][\x80-\xbf]|[A-Za-z][\xc4\xc5\xd6\xe4\xe5\xf6\xe9]|[\xc4\xc5\xd6\xe4\xe5\xf6\xe9][a-z]"
)

# Every suspicious pair holds a byte in 0xc2-0xf6; CP437's Swedish letters are below 0xc2, so most
# chunks are cleared by one bytes.translate that keeps only such bytes.
_NOT_LEADING = bytes(range(0xC2)) + bytes(range(0xF7, 0x100))


def decode_line(raw: bytes, ln: int) -> str:
    """Decode a non-ASCII line as CP437, refusing lines that are evidently another encoding."""
    if (match := _SUSPICIOUS_RE.search(raw)) is not None:
        if raw.startswith(b"\xef\xbb\xbf"):
            raise SieError(ln, "Filen är kodad i UTF-8 med BOM, men SIE kräver PC8 (CP437)")
        if 0xC2 <= match[0][0] <= 0xF4 and 0x80 <= match[0][1] <= 0xBF:
            raise SieError(ln, "Filen verkar vara kodad i UTF-8, men SIE kräver PC8 (CP437)")
        raise SieError(
            ln, "Filen verkar vara kodad i Windows-1252/ISO 8859-1, men SIE kräver PC8 (CP437)"
        )
    return raw.decode("cp437")


class Lines:
    """The lines of a binary file, stripped of the line break; `ln` is the last line's number.

    `next()` gives a line as str, or bytes when its chunk must be decoded line by line (the
    caller decodes it), or None at the end of the file."""

    def __init__(self, fp: BinaryIO) -> None:
        self._read = fp.read
        self._chunk = _FIRST_CHUNK
        self._carry = b""
        self._eof = False
        self.buf: str | bytes = ""
        self.pos = 0
        self.ln = 0

    def next(self) -> str | bytes | None:
        buf, pos = self.buf, self.pos
        if pos >= len(buf):
            if not self._fill():
                return None
            buf, pos = self.buf, 0
        end = buf.find("\n" if type(buf) is str else b"\n", pos)
        if end < 0:
            end = len(buf)  # the last line, without a line break
        self.pos = end + 1
        self.ln += 1
        if end - pos > MAX_LINE_LENGTH:
            raise SieError(self.ln, f"Raden är för lång (mer än {MAX_LINE_LENGTH} tecken)")
        return buf[pos:end]

    def _fill(self) -> bool:
        data = self._carry
        while True:
            if self._eof:
                if not data:
                    return False
                self._carry = b""
                break
            more = self._read(self._chunk)
            if self.ln == 0 and not isinstance(more, bytes):
                raise TypeError("read_sie needs a binary file object (open(path, 'rb'))")
            self._chunk = min(self._chunk * 2, _LAST_CHUNK)
            if not more:
                self._eof = True
                continue
            data += more
            cut = data.rfind(b"\n")
            if cut >= 0:
                data, self._carry = data[: cut + 1], data[cut + 1 :]
                break
            if len(data) > MAX_LINE_LENGTH + 1:
                raise SieError(self.ln + 1, f"Raden är för lång (mer än {MAX_LINE_LENGTH} tecken)")
        if data.isascii():
            self.buf = data.decode("latin-1")
        elif not data.translate(None, _NOT_LEADING) or _SUSPICIOUS_RE.search(data) is None:
            self.buf = data.decode("cp437")
        else:
            self.buf = data  # decoded and checked line by line
        self.pos = 0
        return True


# --- whole vouchers of the common shape ------------------------------------------------------

_BARE = r'[^\s"{}\\]+'
_INNER = r'(?:[^"\\\t\r\n]|\\["\\])*'  # a quoted string's text: no tab, no escape but \" and \\
_FIELD = rf'(?:"{_INNER}"|{_BARE})'
_VOUCHER_RE = re.compile(
    rf"[ \t]*#VER[ \t]+({_FIELD})[ \t]+({_FIELD})[ \t]+([0-9]{{8}})(?:[ \t]+({_FIELD}))?[ \t\r]*\n"
    r"[ \t]*\{[ \t\r]*\n"
    r"((?:[ \t]*#TRANS[ \t][^\n]*\n)+)"
    r"[ \t]*\}[ \t\r]*\n"
)
# One #TRANS row: account, dimension, object (quoted or bare), amount, date, text (quoted or bare).
_ROW_RE = re.compile(
    rf'^[ \t]*#TRANS[ \t]+({_BARE})[ \t]+\{{[ \t]*(?:([0-9]+)[ \t]+(?:"([^"\\\t\r\n]*)"|({_BARE}))'
    r"[ \t]*)?\}[ \t]+(-?(?:[0-9]{1,15}(?:\.[0-9]{0,6})?|\.[0-9]{1,6}))"
    rf'(?:[ \t]+(?:([0-9]{{8}})|"")(?:[ \t]+(?:"({_INNER})"|({_BARE})))?)?[ \t\r]*$',
    re.MULTILINE,
)
_BACKSLASH = "\ue000"  # a placeholder no CP437 byte decodes to


def _unescape(text: str) -> str:
    """\\" and \\\\ read left to right, as the general tokenizer reads them."""
    return text.replace("\\\\", _BACKSLASH).replace('\\"', '"').replace(_BACKSLASH, "\\")


_voucher_match, _rows_find = _VOUCHER_RE.match, _ROW_RE.findall
_ISO: dict[str, str] = {}  # "20240115" -> "2024-01-15" for the dates seen, valid ones only


class VoucherRows(NamedTuple):
    """A voucher of the common shape: its #TRANS rows as tuples of the file's text, checked.

    A row is (account, dimension, quoted object, bare object, amount, date, quoted text,
    bare text); absent fields are "". `date` (the row's, "YYYYMMDD") must be read through
    `iso_date`, which holds every date of the rows yielded so far. A quoted row text is read
    through `unescape`. No text has a tab or line break, nor a backslash once unescaped unless
    `escaped`."""

    series: str
    number: str
    date: dt.date
    text: str
    rows: list[tuple[str, ...]]
    escaped: bool  # a text holds a backslash once unescaped (COPY must escape it)
    line: int


def iso_date(yyyymmdd: str) -> str:
    return _ISO[yyyymmdd]


def _unquote(field: str) -> str:
    return _unescape(field[1:-1]) if field[:1] == '"' else field


def unescape(text: str) -> str:
    """A quoted row text as the general reader gives it (\\" and \\\\ unescaped)."""
    return _unescape(text) if "\\" in text else text


def _valid_date(yyyymmdd: str) -> bool:
    if yyyymmdd in _ISO:
        return True
    try:
        value = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    _ISO[yyyymmdd] = value.isoformat()
    return True


def fast_vouchers(lines: Lines, out: list) -> None:
    """Append to `out` the vouchers of the common shape that follow in the current chunk, and
    move `lines` past them; stop at the first that is not (the general reader reads it)."""
    buf = lines.buf
    if type(buf) is not str:
        return
    pos, ln = lines.pos, lines.ln
    if len(_ISO) >= 4096:  # between calls, once the caller has read the dates it was given
        _ISO.clear()
    count = buf.count
    while (m := _voucher_match(buf, pos)) is not None:
        end = m.end()
        if end - pos > MAX_LINE_LENGTH:
            break  # a voucher this long is read line by line, which checks each line's length
        block = m[5]
        rows = _rows_find(block)
        if len(rows) != block.count("\n"):
            break
        if sum(map(Decimal, [r[4] for r in rows])):
            break  # unbalanced: the general reader says so
        dates = {r[5] for r in rows}
        dates.discard("")
        dates.add(m[3])
        if not all(map(_valid_date, dates)):
            break
        series, number, text = m[1], m[2], m[4] or ""
        if '"' in series:
            series = _unquote(series)
        if '"' in number:
            number = _unquote(number)
        if '"' in text:
            text = _unquote(text)
        voucher_date = dt.date.fromisoformat(_ISO[m[3]])
        out.append(
            VoucherRows(
                series,
                number,
                voucher_date,
                text,
                rows,
                "\\\\" in m[0],  # an escaped backslash: a text keeps a backslash
                ln + 1,
            )
        )
        ln += count("\n", pos, end)
        pos = end
    lines.pos, lines.ln = pos, ln
