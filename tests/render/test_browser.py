"""The HTML brief in a real browser: headless Chromium driven by Selenium, on the seeds' brief.

Skipped, with the reason, where Chromium, chromedriver, selenium or axe-core is missing;
``.ci/run`` installs them so CI always runs these. axe-core is the npm package when one is in
``node_modules/`` (``.ci/run`` puts it there) or ``$BRIEFGEN_AXE_JS``, else the copy inside
the PyPI package ``axe-selenium-python``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.cli import main
from briefgen.evaluate.bench_html import FLAGS  # one set of Chromium flags

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DESKTOP, PHONE = (1280, 900), (375, 812)


def _binary(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if found:
            return found
    return None


def axe_script() -> Path | None:
    """axe.min.js: $BRIEFGEN_AXE_JS, the npm package in node_modules/, or axe-selenium-python's."""
    candidates = [Path(os.environ["BRIEFGEN_AXE_JS"])] if os.environ.get("BRIEFGEN_AXE_JS") else []
    candidates.append(ROOT / "node_modules" / "axe-core" / "axe.min.js")
    try:
        import axe_selenium_python

        candidates.append(
            Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
        )
    except ImportError:
        pass
    return next((c for c in candidates if c.is_file()), None)


def start_chromium(tmp: Path, *, javascript: bool = True) -> Any:
    """Headless Chromium from the system, a fresh profile, no network of its own."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    chromium = _binary("BRIEFGEN_CHROMIUM", "chromium", "chromium-browser", "google-chrome")
    driver_path = _binary("BRIEFGEN_CHROMEDRIVER", "chromedriver")
    if not chromium or not driver_path:
        pytest.skip(
            "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp}")
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
    except Exception as exc:  # a broken install: say why, do not fail the suite
        pytest.skip(f"Chromium did not start: {' '.join(str(exc).split())[:200]}")
    driver.set_script_timeout(120)
    return driver


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds' brief as HTML (and its sources page), built through the CLI."""
    out = tmp_path_factory.mktemp("brief")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        code = main(
            [
                "build",
                str(ROOT / "seeds"),
                "--out",
                str(out),
                "--format",
                "html",
                "--issued",
                "2026-11-23",
            ]
        )
    assert code == 0
    (page,) = [p for p in out.glob("*.html") if not p.name.endswith(".sources.html")]
    assert page.with_suffix(".sources.html").is_file()
    return page


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_chromium(tmp_path_factory.mktemp("profile"))
    yield driver
    driver.quit()


def open_page(driver: Any, url: str | None = None) -> None:
    """Open ``url`` (or wait on the page a click opened) until the page's script has run."""
    from selenium.webdriver.support.ui import WebDriverWait

    if url is not None:
        driver.get(url)
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.documentElement.dataset.ready === '1'")
    )


def visible(driver: Any, css: str) -> list[Any]:
    return [e for e in driver.find_elements("css selector", css) if e.is_displayed()]


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_risk_link_opens_its_sentence_highlighted_and_back_returns(
    browser: Any, built: Path
) -> None:
    browser.set_window_size(*DESKTOP)
    open_page(browser, built.as_uri())
    link = browser.find_element("css selector", "#risks a.from-source")
    risk = words(link.text)
    href = link.get_attribute("href")
    assert re.search(r"\.sources\.html#src-.+-\d+-\d+$", href), href
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    open_page(browser)
    assert browser.current_url == href
    marks = browser.find_elements("css selector", "mark.span")
    # The span may be marked in pieces where other citations cross it; together they are it.
    assert marks and words("".join(m.text for m in marks)) == risk
    mark = marks[0]
    assert browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight",
        mark,
    )
    assert mark.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    browser.back()
    assert browser.current_url.split("#")[0] == built.as_uri()
    back = browser.find_element("css selector", "#risks a.from-source")
    assert back.is_displayed() and browser.execute_script("return scrollY") > 0  # where it was


def test_without_javascript_everything_reads_and_the_target_is_styled(
    built: Path, tmp_path: Path
) -> None:
    driver = start_chromium(tmp_path / "profile", javascript=False)
    try:
        driver.get(built.as_uri())
        assert not visible(driver, "form.finder")  # inert without its script
        articles = visible(driver, "#articles article, #articles li")
        assert articles
        href = driver.find_element("css selector", "#risks a.from-source").get_attribute("href")
        driver.get(href)
        target = driver.find_element("css selector", ":target")
        assert target.value_of_css_property("background-color") not in (
            "rgba(0, 0, 0, 0)",
            "transparent",
        )
        assert target.is_displayed()
    finally:
        driver.quit()


def test_filtering_by_an_actor_hides_the_other_stories(browser: Any, built: Path) -> None:
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.set_window_size(*DESKTOP)
    open_page(browser, built.as_uri())
    stories = browser.find_elements("css selector", "#glance li.story")
    story_articles = [set(s.get_attribute("data-articles").split()) for s in stories]
    select = Select(browser.find_element("id", "find-actor"))
    # an actor in some stories and not others
    for option in select.options[1:]:
        chosen = set(option.get_attribute("data-articles").split())
        inside = [bool(chosen & arts) for arts in story_articles]
        if any(inside) and not all(inside):
            break
    else:
        pytest.fail("no actor of the seeds' brief is in some stories but not all")
    select.select_by_value(option.get_attribute("value"))
    shown = [s.is_displayed() for s in stories]
    assert shown == inside
    assert browser.find_element("id", "find-status").text.endswith("items shown")
    browser.find_element("css selector", "form.finder button[type=reset]").click()
    browser.implicitly_wait(0)
    # The page filters again once the form's fields are reset: after the reset event
    # (brief.js, setTimeout), so the test waits for it as a reader would.
    WebDriverWait(browser, 5).until(
        lambda b: all(s.is_displayed() for s in b.find_elements("css selector", "#glance li.story"))
    )


def test_the_search_finds_a_word_from_an_article(browser: Any, built: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(*DESKTOP)
    open_page(browser, built.as_uri())
    # A sentence of an article, as the brief quotes it (At a glance quotes each top story).
    line = browser.find_element("css selector", "#glance .from-source, #articles .summary li").text
    word = max(re.findall(r"[A-Za-z]{6,}", line), key=len)
    items = browser.find_elements("css selector", "main [data-articles]")
    box = browser.find_element("id", "find-text")
    box.send_keys(word)
    WebDriverWait(browser, 5).until(lambda d: d.find_element("id", "find-status").text)
    found = visible(browser, "mark.found")
    assert found and all(m.text.lower() == word.lower() for m in found)
    shown = [i for i in items if i.is_displayed()]
    assert 0 < len(shown) < len(items)
    assert all(word.lower() in i.text.lower() for i in shown)


def test_the_keyboard_reaches_a_skip_link_first_and_sees_where_it_is(
    browser: Any, built: Path
) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(*PHONE)
    open_page(browser, built.as_uri())
    browser.find_element("tag name", "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip" and skip.is_displayed()
    assert skip.value_of_css_property("outline-style") != "none"  # a visible focus
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("page", ["brief", "sources"])
def test_axe_finds_no_serious_or_critical_violation(
    browser: Any, built: Path, size: tuple[int, int], scheme: str, page: str
) -> None:
    axe = axe_script()
    if axe is None:
        pytest.skip(
            "axe-core is not installed (npm install axe-core, or pip install axe-selenium-python)"
        )
    browser.set_window_size(*size)
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    target = built if page == "brief" else built.with_suffix(".sources.html")
    open_page(browser, target.as_uri())
    browser.execute_script(axe.read_text(encoding="utf-8"))
    # axe-core 3 (the copy in axe-selenium-python) predates HTML 5.2's <div> groups inside
    # <dl>, which the cover uses; axe-core 4 checks them properly.
    old = browser.execute_script("return axe.version").startswith("3.")
    rules = {"dlitem": {"enabled": False}} if old else {}
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {rules: arguments[0]})"
        ".then(r => done(r.violations), e => done([{id: String(e), impact: 'critical', nodes: []}]));",
        rules,
    )
    bad = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
