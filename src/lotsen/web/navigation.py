"""The menu and the page guard, both read from ``services.access.PAGES``.

Each web page is named once here: its menu label, and the route templates that open
it. ``guard`` (a dependency on every page router) refuses a page the acting role may
not open before any work is done, so a menu link never ends in a 403 and a typed
address ends in "Du saknar behörighet till …" instead of a crash-like page.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from lotsen.api.deps import actor_of
from lotsen.services.access import Actor, may_open, require_page


@dataclass(frozen=True)
class Page:
    key: str          # the key in services.access.PAGES
    path: str         # the menu link
    label: str        # the menu text
    what: str         # completes "Du saknar behörighet till …"
    in_menu: bool = True


PAGE_LIST = (
    Page("needs", "/behov", "Behov", "kompetensbehoven"),
    Page("matching", "/matchning", "Matchning", "matchningen"),
    Page("people", "/arbetssokande", "Arbetssökande", "arbetssökande"),
    Page("programs", "/utbildningar", "Utbildningar", "utbildningarna"),
    Page("organizations", "/arbetsgivare", "Organisationer", "organisationerna"),
    Page("taxonomy", "/taxonomi", "Yrken och kompetenser", "yrken och kompetenser"),
    Page("ads", "/annonser", "Annonser", "annonserna"),
    Page("gaps", "/utbildningsgap", "Utbildningsgap", "utbildningsgapen"),
    Page("regional", "/regionen", "Regionen i siffror", "regionens registerstatistik"),
    Page("transitions", "/overgangar", "Övergångar", "övergångar mellan yrken"),
    Page("profiles", "/yrkesprofiler", "Yrkesprofiler", "yrkesprofilerna"),
    Page("local_concepts", "/nya-yrken", "Nya yrken", "lokala yrken och kompetenser"),
    Page("scenarios", "/scenarier", "Scenarier", "scenarierna"),
    Page("import", "/import", "Importera", "import av filer"),
    Page("register_need", "/registrera-behov", "Registrera behov", "att registrera behov",
         in_menu=False),
    Page("allocation", "/allokering", "Fördelning", "fördelningen av arbetssökande",
         in_menu=False),
    Page("accounts", "/admin/konton", "Konton", "kontohanteringen"),
    Page("audit", "/admin/logg", "Logg", "loggen över personuppgifter", in_menu=False),
)
PAGES = {page.key: page for page in PAGE_LIST}

# Route template -> page. Every GET page route is either here or in OPEN_ROUTES
# (tests/web/test_navigation.py fails on a route in neither).
ROUTE_PAGES = {
    "/behov": "needs", "/behov/{need_id}": "matching",
    "/matchning": "matching", "/allokering": "allocation",
    "/arbetssokande": "people", "/arbetssokande/{person_id}": "people",
    "/arbetssokande/{person_id}/export.{fmt}": "people",
    "/utbildningar": "programs", "/utbildningar/{program_id}": "programs",
    "/arbetsgivare": "organizations", "/taxonomi": "taxonomy", "/annonser": "ads",
    "/annonser/analysera": "ads", "/annonser/titlar": "ads", "/utbildningsgap": "gaps",
    "/regionen": "regional", "/regionen/pensionsavgangar": "regional",
    "/regionen/kompetens": "regional", "/regionen/utbildningsplatser": "regional",
    "/regionen/vakanskedjor": "regional",
    "/overgangar": "transitions",
    "/yrkesprofiler": "profiles", "/yrkesprofiler/{occupation_id}": "profiles",
    "/nya-yrken": "local_concepts", "/scenarier": "scenarios",
    "/import": "import", "/import/mall/{kind}.{fmt}": "import",
    "/registrera-behov": "register_need", "/registrera-behov/klart": "register_need",
    "/admin/konton": "accounts", "/admin/logg": "audit",
}
# Open to every signed-in account (or to everyone, for logging in and residents' forms).
OPEN_ROUTES = {"/", "/logga-in", "/konto", "/registrera"}


# What each role does first, said at the top of its start page: (text, page).
FIRST_TASKS = {
    "lotsare": ("Har du besökt en arbetsgivare? Registrera behovet – yrke, antal, start och "
                "krav – och se direkt vem i regionen som kan.", "register_need"),
    "officer": ("Öppna en arbetssökande för att se vilka behov personen ligger närmast och "
                "vägen dit: SFI, yrkessvenska, kurs och jobb.", "people"),
    "employer": ("Fyll i vilka ni behöver anställa – yrke, antal och start – så ser ni hur "
                 "många i regionen som kan passa.", "register_need"),
    "provider": ("Se vilka yrken regionen saknar utbildning till, och vilka av era "
                 "utbildningar som leder till jobb.", "gaps"),
    "analyst": ("Börja med utbildningsgapet för regionen – rangordnat, med metod och "
                "nedladdning till Excel – eller räkna på ett scenario.", "gaps"),
    "admin": ("Skapa konton åt kommunernas lotsar, handläggare, arbetsgivare och "
              "utbildningsanordnare.", "accounts"),
}
FIRST_TASKS["system"] = FIRST_TASKS["admin"]  # the laptop mode acts as the system


def first_task(actor: Actor | None) -> dict[str, str] | None:
    """The start page's first line for ``actor``: what to do, and the page to do it on."""
    if actor is None:
        return None
    task = FIRST_TASKS.get(actor.role)
    if task is None or not may_open(actor, task[1]):
        return None
    page = PAGES[task[1]]
    return {"text": task[0], "path": page.path, "label": page.label}


def menu(actor: Actor | None) -> list[Page]:
    """The menu entries ``actor`` may open (none before logging in)."""
    if actor is None:
        return []
    return [page for page in PAGE_LIST if page.in_menu and may_open(actor, page.key)]


def page_of(request: Request) -> Page | None:
    route = request.scope.get("route")
    key = ROUTE_PAGES.get(getattr(route, "path", ""))
    if key is None:  # an unknown address: the longest menu path it starts with
        path = request.url.path
        found = [p for p in PAGE_LIST if path == p.path or path.startswith(p.path + "/")]
        return max(found, key=lambda p: len(p.path)) if found else None
    return PAGES[key]


def guard(request: Request) -> None:
    """Dependency on every page router: refuse what the role may not open."""
    if request.url.path.startswith("/api/"):
        return  # the API's services decide, and answer in the API's shape
    page = page_of(request)
    if page is not None:
        require_page(actor_of(request), page.key)
