// The need form's skills: when an occupation is chosen, its profile's suggested
// skall-krav and meriterande skills are listed (from /api/v1/profiles/ID/suggestions);
// each row is a select named krav:<skill id> the server reads, so the user can change,
// drop ("ta bort") or add skills before submitting.
(function () {
  const box = document.getElementById("need-skills");
  const rows = document.getElementById("need-skill-rows");
  if (!box || !rows) return;
  const CHOICES = [["must", "skall-krav"], ["nice", "meriterande"], ["", "ta bort"]];
  function addRow(id, label, requirement, suggested) {
    if ([...rows.children].some((li) => li.dataset.skill === id)) return;
    const li = document.createElement("li");
    li.dataset.skill = id;
    if (suggested) li.dataset.suggested = "1";
    const name = document.createElement("span");
    name.textContent = label + " ";
    const select = document.createElement("select");
    select.name = "krav:" + id;
    select.setAttribute("aria-label", "Krav: " + label);
    CHOICES.forEach(([value, text]) => {
      const option = document.createElement("option");
      option.value = value; option.textContent = text;
      option.selected = value === requirement;
      select.appendChild(option);
    });
    li.append(name, select);
    rows.appendChild(li);
  }
  async function suggest(occupationId) {
    [...rows.querySelectorAll("li[data-suggested]")].forEach((li) => li.remove());
    const response = await fetch(box.dataset.suggestions + encodeURIComponent(occupationId) + "/suggestions");
    if (!response.ok) return;
    const data = await response.json();
    data.must.forEach((s) => addRow(s.concept_id, s.label, "must", true));
    data.nice.forEach((s) => addRow(s.concept_id, s.label, "nice", true));
  }
  document.addEventListener("concept-chosen", (event) => {
    const hit = event.detail;
    if (event.target.id === "occupation") suggest(hit.concept_id);
    else if (event.target.id === "skill-q") { addRow(hit.concept_id, hit.preferred_label, "nice", false); event.target.value = ""; }
  });
})();
