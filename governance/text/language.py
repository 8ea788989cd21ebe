"""The language a document is written in, as an ISO 639-1 code ("und" when unknown)."""

import functools
import re

import py3langid

UNDETERMINED = "und"

# Fewer letters than this say too little about a language to name it.
MIN_LETTERS = 20
# Chinese documents are full of Latin product names, URLs and numbers; a fifth of the
# letters being Han is already far more than any other language's text has ...
HAN_SHARE_FOR_CHINESE = 0.2
# ... except Japanese, which mixes Han with kana: leave that to the classifier.
KANA_SHARE_FOR_JAPANESE = 0.05
# The classifier's time grows with the text; its opening is plenty to know the language.
CLASSIFY_CHARS = 4_000

_HAN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U00030000-\U0003134f]"
)
_LETTER = re.compile(r"[^\W\d_]")  # word characters but digits and "_": letters, roughly
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
# Links and URLs are in English-looking ASCII whatever the document's language.
_URL = re.compile(r"\]\([^)\s]*\)|https?://\S+|www\.\S+")


def language_model_load() -> None:
    """Load the classifier's model now (it loads on first use, in about half a second).

    Processes forked afterwards share it instead of each loading its own.
    """
    py3langid.classify("")


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, or ``"und"``; deterministic."""
    return _sample_language(_URL.sub(" ", text[: CLASSIFY_CHARS * 2])[:CLASSIFY_CHARS])


# The answer depends on the sample alone, and successive versions of a document often
# open with the same words (half of the corpus's samples repeat one already seen):
# remember recent answers rather than run the classifier again.
@functools.lru_cache(maxsize=256)
def _sample_language(sample: str) -> str:
    letters = len(_LETTER.findall(sample))
    if letters < MIN_LETTERS:
        return UNDETERMINED
    han = len(_HAN.findall(sample))
    kana = len(_KANA.findall(sample))
    if han >= HAN_SHARE_FOR_CHINESE * letters and kana < KANA_SHARE_FOR_JAPANESE * letters:
        return "zh"
    language, _score = py3langid.classify(sample)
    # py3langid answers "zxx" (no linguistic content) for symbol soup.
    return language if len(language) == 2 else UNDETERMINED
