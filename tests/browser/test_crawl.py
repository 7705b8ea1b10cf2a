"""Every role logs in and walks every link of its menu, at 1366 px and on a phone
(390 px): no page may refuse it (403), show an English message or a raw stored code,
or overflow sideways — the page, and each card and table on it.

With UPDATE_SCREENSHOTS=1 the start page of each role is saved to docs/screens/ at
both widths (the files the README shows); CI does not write them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from . import test_roles
from .test_roles import login

auth_server, tab = test_roles.auth_server, test_roles.tab  # the same fixtures, per module

pytestmark = [pytest.mark.browser, pytest.mark.auth]

HOME = "lulea-boden"
USERS = {
    "admin": "admin", "analyst": "analytiker", "lotsare": f"lots.{HOME}",
    "officer": f"handlaggare.{HOME}", "employer": f"arbetsgivare.{HOME}",
    "provider": f"anordnare.{HOME}",
}
WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"
# Words of English UI text and error messages (whole words, visible text only).
ENGLISH = re.compile(
    r"\b(not found|unknown|must be|is not|Nothing was|cannot|please|invalid|error|"
    r"the file|the row|column|Something went wrong|Internal Server Error|Method Not "
    r"Allowed|Not Found|Field required|detail)\b", re.IGNORECASE)
# Stored codes that must be shown through the label table, never as they are.
RAW_CODES = re.compile(
    r"(?<![\w/.-])(open|filled|cancelled|native|sfi_[a-d]|sva_grund|sva_gymn|employer|"
    r"education_provider|matching|statistics|cross_tenant|occupation-name|skill|"
    r"ssyk-level-\d|university|gymnasium)(?![\w/.-])")
OVERFLOW = """() => {
  const doc = document.documentElement;
  const bad = [];
  if (doc.scrollWidth > doc.clientWidth + 1) {
    // Name the element that sticks out furthest (outside any scrolling box).
    let worst = null, right = doc.clientWidth;
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      const inside = el.closest('.table-wrap, table.data') &&
        !el.matches('.table-wrap, table.data');
      if (r.right <= right + 1 || inside) continue;
      worst = el; right = r.right;
    }
    bad.push('page ' + doc.scrollWidth + (worst ? ' at ' + worst.tagName + '.' +
             worst.className + ' "' + worst.textContent.trim().slice(0, 30) + '"' : ''));
  }
  for (const el of document.querySelectorAll('main section, main .table-wrap, main > table')) {
    const style = getComputedStyle(el);
    const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
    // A card may scroll its own wide table (a .table-wrap) but never spill out.
    if (!scrolls && el.scrollWidth > el.clientWidth + 1) {
      bad.push((el.id || el.className || el.tagName) + ' ' + el.scrollWidth + '>' + el.clientWidth);
    }
  }
  return bad;
}"""


def _problems(tab: Any, url: str, status: int) -> list[str]:
    found = []
    if status >= 400:
        found.append(f"{url}: status {status}")
    text = tab.locator("main").inner_text()
    found += [f"{url}: English {m.group(0)!r}" for m in ENGLISH.finditer(text)][:3]
    found += [f"{url}: raw code {m.group(0)!r}" for m in RAW_CODES.finditer(text)][:3]
    return found


@pytest.mark.parametrize("role", list(USERS))
def test_every_menu_link_reads_right_at_both_widths(tab: Any, auth_server: Any,
                                                   role: str) -> None:
    login(tab, auth_server, USERS[role])
    links = tab.locator("nav[aria-label=Huvudmeny] a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    pages = ["/"] + [link for link in links if link not in ("/", "/konto")]
    assert len(pages) >= 5
    problems: list[str] = []
    for url in pages:
        tab.set_viewport_size({"width": 1366, "height": 768})
        response = tab.goto(url)
        tab.wait_for_load_state("load")
        problems += _problems(tab, url, response.status)
        for name, (width, height) in WIDTHS.items():
            tab.set_viewport_size({"width": width, "height": height})
            # Plotly redraws its charts a moment after a resize; other pages relayout at once.
            tab.wait_for_timeout(400 if tab.locator(".js-plotly-plot").count() else 50)
            problems += [f"{url} at {width} px: overflow {o}"
                         for o in tab.evaluate(OVERFLOW)]
            if url == "/" and os.environ.get("UPDATE_SCREENSHOTS") == "1":
                SCREENS.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(SCREENS / f"start-{role}-{name}.png"))
    assert not problems, "\n".join(problems)
