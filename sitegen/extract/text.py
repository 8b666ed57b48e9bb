"""Arabic normalisation and tokenisation through camel-tools."""

from camel_tools.tokenizers.word import simple_word_tokenize  # noqa: F401
from camel_tools.utils.dediac import dediac_ar  # noqa: F401
from camel_tools.utils.normalize import normalize_unicode  # noqa: F401
