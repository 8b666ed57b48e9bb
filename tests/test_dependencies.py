"""camel-tools' heavy ML dependencies must stay out of the environment."""

import importlib.util
import subprocess
import sys


def test_camel_tools_modules_import_without_torch() -> None:
    code = (
        "import sys\n"
        "import sitegen.extract.text\n"
        "from camel_tools.utils.normalize import normalize_unicode\n"
        "from camel_tools.utils.dediac import dediac_ar\n"
        "from camel_tools.tokenizers.word import simple_word_tokenize\n"
        "assert simple_word_tokenize('والكتب، بالرباط.') == ['والكتب', '،', 'بالرباط', '.']\n"
        "heavy = [m for m in ('torch', 'transformers', 'sklearn', 'pandas', 'scipy', 'kenlm')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_heavy_packages_are_not_installed() -> None:
    for name in ("torch", "transformers", "sklearn", "pandas", "scipy", "kenlm"):
        assert importlib.util.find_spec(name) is None, f"{name} is installed"
