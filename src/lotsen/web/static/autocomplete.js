// Taxonomy autocomplete for every input with data-autocomplete: an ARIA combobox
// (keyboard: arrows, Enter, Escape) that fills in the chosen label and, when the
// input has data-target, writes the concept id into that hidden field.
(function () {
  const TYPE_NAMES = {
    "occupation-name": "yrke", "skill": "kompetens", "keyword": "sökord",
    "ssyk-level-4": "yrkesgrupp", "municipality": "kommun", "language": "språk",
    "driving-licence": "körkort",
  };
  function attach(input) {
    const list = document.getElementById(input.getAttribute("aria-controls"));
    let items = [], active = -1, timer = null, seq = 0;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; input.removeAttribute("aria-activedescendant"); }
    function choose(i) {
      const hit = items[i]; if (!hit) return;
      input.value = hit.preferred_label;
      const target = input.dataset.target && document.getElementById(input.dataset.target);
      if (target) target.value = hit.concept_id;
      input.dispatchEvent(new CustomEvent("concept-chosen", { detail: hit, bubbles: true }));
      close();
    }
    function render() {
      list.innerHTML = "";
      items.forEach((hit, i) => {
        const li = document.createElement("li");
        li.id = list.id + "-" + i; li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.textContent = hit.preferred_label;
        const kind = document.createElement("span"); kind.className = "kind";
        kind.textContent = (TYPE_NAMES[hit.type] || hit.type) + (hit.ssyk4 ? " · " + hit.ssyk4 : "");
        li.appendChild(kind);
        li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    async function fetchHits() {
      const q = input.value.trim(); const mine = ++seq;
      if (q.length < 2) { items = []; render(); return; }
      const params = new URLSearchParams({ q: q, limit: "8" });
      (input.dataset.types || "").split(",").filter(Boolean).forEach((t) => params.append("type", t));
      const response = await fetch(input.dataset.autocomplete + "?" + params.toString());
      if (mine !== seq || !response.ok) return;
      items = (await response.json()).results; active = -1; render();
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(fetchHits, 120); });
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" && items.length) { active = (active + 1) % items.length; render(); e.preventDefault(); }
      else if (e.key === "ArrowUp" && items.length) { active = (active - 1 + items.length) % items.length; render(); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0) { choose(active); e.preventDefault(); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }
  document.querySelectorAll("input[data-autocomplete]").forEach(attach);
})();
