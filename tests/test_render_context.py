"""Templates call Presenter methods directly; every other callable as Jinja does."""

from __future__ import annotations

from pathlib import Path
from types import MethodType

import jinja2
import pytest

from sitegen import render
from sitegen.registry import load_registry
from sitegen.settings import load_settings
from sitegen.site import build_site, read_articles

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"


@pytest.fixture(scope="module")
def renderer() -> render.Renderer:
    site = build_site(load_settings(FIXTURE), load_registry(FIXTURE), read_articles(FIXTURE))
    return render.Renderer(site, render.TEMPLATES_DIR)


def test_presenter_methods_are_called_with_their_arguments(renderer: render.Renderer) -> None:
    env = renderer.envs["en"]
    template = env.from_string(
        "{% for n in [1234, 5] %}{{ L.num(n) }}|{% endfor %}"
        "{% block b %}{{ L.url('about/', lang='ar') }}{% endblock %}"
    )
    L = renderer.presenters["en"]
    assert template.render() == f"{L.num(1234)}|{L.num(5)}|{L.url('about/', 'ar')}"


def test_context_taking_callables_still_get_the_context(renderer: render.Renderer) -> None:
    env = renderer.envs["ar"]
    probe = jinja2.pass_context(lambda context, suffix: context["lang"] + suffix)
    template = env.from_string("{% for x in [1] %}{{ probe('!') }}{% endfor %}")
    assert template.render(probe=probe) == "ar!"


def test_only_methods_without_pass_arguments_skip_jinja() -> None:
    assert render.Presenter.url in render._PLAIN_METHODS
    assert all(not hasattr(m, "jinja_pass_arg") for m in render._PLAIN_METHODS)


def test_stop_iteration_becomes_undefined_as_in_jinja(renderer: render.Renderer) -> None:
    class Raising:
        def name_text(self, obj: object) -> str:
            raise StopIteration

    method = MethodType(render.Presenter.sort_name, Raising())  # a plain Presenter method
    context = renderer.envs["en"].from_string("").new_context()
    assert isinstance(context.call(method, "x"), jinja2.Undefined)


def test_template_globals_are_one_dict_over_the_environment(renderer: render.Renderer) -> None:
    env = renderer.envs["en"]
    template = env.from_string("{{ lang }} {{ extra }}", globals={"extra": "x"})
    assert type(template.globals) is dict
    assert template.globals["L"] is renderer.presenters["en"]
    assert template.render() == "en x"
    assert "extra" not in env.globals


def test_compiled_templates_are_kept_per_language_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = build_site(load_settings(FIXTURE), load_registry(FIXTURE), read_articles(FIXTURE))
    jobs = render.plan_pages(site, "base")
    want = {job.path: render.Renderer(site).render(job) for job in jobs}
    first = render.Renderer(site, compiled_dir=tmp_path / "compiled")
    assert {job.path: first.render(job) for job in jobs} == want
    files = sorted(p.name for p in (tmp_path / "compiled").iterdir())
    assert {name.split("-")[0] for name in files} == {"ar", "en"}

    def no_compiling(*args, **kwargs):
        raise AssertionError("a template was compiled again")

    monkeypatch.setattr(render._Environment, "_generate", no_compiling)
    second = render.Renderer(site, compiled_dir=tmp_path / "compiled")
    assert {job.path: second.render(job) for job in jobs} == want
