"""Build Saylau Sans, the certificates' font: DejaVu Sans (regular and bold) cut down to the
scripts a certificate prints, and renamed as the Bitstream Vera licence asks of a modified font.

    .venv/bin/python certificates/fonts/build_saylau_sans.py

DejaVu Sans has about 6,000 glyphs; WeasyPrint subsets the font again for every PDF it writes, and
a font with only the ~1,200 glyphs below makes that subsetting and the embedded subsets smaller
(docs/benchmarks.md, "Certificates"). The outlines, metrics, kerning and other layout features are
DejaVu's own, untouched, so text lays out exactly as with DejaVu Sans. Text outside these ranges
still prints, in a system font chosen by fontconfig.
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS_DIR = Path(__file__).resolve().parent
FAMILY = "Saylau Sans"

UNICODE_RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement: « » ° ×, accented Latin letters
    (0x0100, 0x024F),  # Latin Extended-A and -B (Kazakh, Turkish and Uzbek Latin alphabets)
    (0x0250, 0x02FF),  # IPA Extensions (ə) and spacing modifier letters (ʻ ʼ)
    (0x0300, 0x036F),  # combining diacritical marks, for text typed in decomposed form
    (0x0400, 0x052F),  # Cyrillic and Cyrillic Supplement: ә ғ қ ң ө ұ ү һ і and the rest
    (0x2000, 0x206F),  # general punctuation: dashes, quotes, ellipsis, bullet, spaces
    (0x20A0, 0x20CF),  # currency symbols: ₸ ₽ €
    (0x2100, 0x218F),  # letterlike symbols (№ ™ ℃) and number forms (⅓ Ⅳ)
    (0x2212, 0x2212),  # minus sign
    (0x25CC, 0x25CC),  # dotted circle, shown by the shaper for a mark without its letter
    (0xFFFD, 0xFFFD),  # replacement character
)

SOURCES = {
    "DejaVuSans.ttf": ("SaylauSans.ttf", "Regular"),
    "DejaVuSans-Bold.ttf": ("SaylauSans-Bold.ttf", "Bold"),
}


def subset_options() -> subset.Options:
    options = subset.Options()
    options.layout_features = ["*"]  # every OpenType feature DejaVu has (kerning, marks, ...)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    # Hinting instructions are dropped: WeasyPrint drops them from every PDF anyway.
    options.hinting = False
    options.drop_tables += ["FFTM", "MATH"]
    return options


def rename(font: TTFont, style: str) -> None:
    """New family, full and PostScript names; DejaVu's copyright and licence records stay."""
    full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    postscript = FAMILY.replace(" ", "") + ("" if style == "Regular" else f"-{style}")
    version = font["name"].getDebugName(5)
    names = {
        1: FAMILY,
        2: style,
        3: f"{postscript}; {version}",
        4: full,
        5: f"{version}; derived from DejaVu Sans",
        6: postscript,
        10: "DejaVu Sans cut down to Latin, Cyrillic and punctuation for Saylau Academy's "
        "certificates, and renamed as its licence asks.",
    }
    table = font["name"]
    table.names = [record for record in table.names if record.nameID not in (16, 17, *names)]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, English
        table.setName(text, name_id, 1, 0, 0)  # Macintosh, Roman, English


def build(source: Path, target: Path, style: str) -> int:
    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every build
    subsetter = subset.Subsetter(subset_options())
    subsetter.populate(
        unicodes=[code for first, last in UNICODE_RANGES for code in range(first, last + 1)]
    )
    subsetter.subset(font)
    rename(font, style)
    font.save(target)
    return font["maxp"].numGlyphs


def main() -> None:
    for source, (target, style) in SOURCES.items():
        glyphs = build(FONTS_DIR / source, FONTS_DIR / target, style)
        print(f"{target}: {glyphs} glyphs, {(FONTS_DIR / target).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
