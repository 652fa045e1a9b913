/* casepress case finder, on the Cases listing: filter by facets, sort, and page through the
   matching cases, hosted or opened from disk. Its data are small scripts under cases/finder/
   (build_scripts/casepress/site/case_finder.py explains them), loaded as needed: the facets
   when the page opens, a value's case list when it is ticked, the rows of the page shown.
   Without JavaScript the listing's own pages are the finder. */
(() => {
  "use strict";
  const host = document.getElementById("cp-finder");
  if (!host) return;
  const pattern = host.querySelector("a.cp-finder-pattern");
  const first = host.dataset.first;
  const script = document.currentScript || document.querySelector("script[src$='case-finder.js']");
  const root = new URL("../../", script.src); // this file is assets/casepress/case-finder.js
  const PAGE = 50;

  const data = new Map();
  window.casepressFinder = { add(path, value) { data.set(path, value); } };
  let fetchScript = null; // casepressLoader (casepress.js), set once the page has loaded
  const load = (path) => fetchScript(path, new URL(`cases/finder/${path}`, root).href);
  // The address of a case, as this page links to cases (MkDocs wrote the pattern link).
  const addressOf = (file) => {
    const slug = file.replace(/\.md$/, "");
    const base = pattern.href;
    const at = base.lastIndexOf(first);
    return base.slice(0, at) + slug + base.slice(at + first.length);
  };

  const build = (facets) => {
    const form = document.createElement("form");
    form.className = "cp-finder__form";
    form.setAttribute("aria-label", "Find cases");
    const groups = facets.facets.map((facet) => {
      const group = document.createElement("details");
      group.className = "cp-finder__facet";
      const summary = document.createElement("summary");
      summary.textContent = facet.label;
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.className = "cp-visually-hidden";
      legend.textContent = facet.label;
      set.append(legend);
      facet.values.forEach((value, i) => {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = facet.key;
        box.value = String(i);
        label.append(box, ` ${value} (${facet.counts[i]})`);
        set.append(label);
      });
      group.append(summary, set);
      return group;
    });
    const sortLabel = document.createElement("label");
    sortLabel.className = "cp-finder__sort";
    sortLabel.textContent = "Order ";
    const sort = document.createElement("select");
    sort.name = "sort";
    for (const [key, text] of [["listed", "as listed"], ["newest", "newest source first"],
      ["age", "youngest patient first"]]) {
      if (key === "listed" || facets.sorts.includes(key)) sort.add(new Option(text, key));
    }
    sortLabel.append(sort);
    const clear = document.createElement("button");
    clear.type = "reset";
    clear.className = "cp-finder__clear";
    clear.textContent = "Clear filters";
    form.append(...groups, sortLabel, clear);
    const status = document.createElement("p");
    status.className = "cp-finder__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    const results = document.createElement("div");
    results.className = "cp-finder__results";
    host.append(form, status, results);
    return { form, status, results };
  };

  const start = (facets) => {
    const { form, status, results } = build(facets);
    const staticParts = [...document.querySelectorAll(".cp-case-listing, .cp-pager")];
    let page = 0;
    let asked = 0;

    const chosen = () => {
      const byFacet = new Map();
      for (const box of form.querySelectorAll("input[type=checkbox]:checked")) {
        if (!byFacet.has(box.name)) byFacet.set(box.name, []);
        byFacet.get(box.name).push(box.value);
      }
      return byFacet;
    };
    // Cases with any ticked value of each facet, and every facet with a tick.
    const matching = async (byFacet) => {
      let found = null;
      for (const [facet, values] of byFacet) {
        const lists = await Promise.all(values.map((v) => load(`v/${facet}-${v}.js`)));
        const union = new Set(lists.flat());
        found = found === null ? union : new Set([...found].filter((n) => union.has(n)));
      }
      return found;
    };
    const ordered = async (found, key) => {
      const order = key === "listed" ? null : await load(`sort/${key}.js`);
      const all = order || [...Array(facets.cases).keys()];
      return found === null ? all : all.filter((n) => found.has(n));
    };
    const rowsOf = async (numbers) => {
      const files = [...new Set(numbers.map((n) => Math.floor(n / facets.rowsPerFile)))];
      const loaded = await Promise.all(files.map((f) => load(`rows/${f}.js`)));
      const byFile = new Map(files.map((f, i) => [f, loaded[i]]));
      const per = facets.rowsPerFile;
      return numbers.map((n) => byFile.get(Math.floor(n / per))[n % per]);
    };
    const cell = (text) => {
      const td = document.createElement("td");
      td.textContent = text;
      return td;
    };
    const render = (numbers, rows) => {
      const table = document.createElement("table");
      table.innerHTML = "<thead><tr><th scope=col>Case</th><th scope=col>Patient</th>"
        + "<th scope=col>Technique</th><th scope=col>Source year</th></tr></thead>";
      const body = document.createElement("tbody");
      for (const [file, title, patient, technique, year] of rows) {
        const tr = document.createElement("tr");
        const td = document.createElement("td");
        const link = document.createElement("a");
        link.href = addressOf(file);
        link.textContent = title;
        td.append(link);
        tr.append(td, cell(patient), cell(technique), cell(year === null ? "" : String(year)));
        body.append(tr);
      }
      table.append(body);
      const pages = Math.ceil(numbers.length / PAGE);
      const nav = document.createElement("nav");
      nav.className = "cp-pager";
      nav.setAttribute("aria-label", "Pages of the matching cases");
      for (const [label, target] of [["Previous", page - 1], ["Next", page + 1]]) {
        if (target < 0 || target >= pages) continue;
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        button.addEventListener("click", () => { page = target; update(); });
        nav.append(button);
      }
      results.replaceChildren(table, nav);
    };
    const update = async () => {
      const asking = ++asked;
      const byFacet = chosen();
      const key = form.elements.sort.value;
      const filtered = byFacet.size > 0 || key !== "listed";
      staticParts.forEach((part) => { part.hidden = filtered; });
      if (!filtered) { results.replaceChildren(); status.textContent = ""; return; }
      try {
        const numbers = await ordered(await matching(byFacet), key);
        page = Math.min(page, Math.max(0, Math.ceil(numbers.length / PAGE) - 1));
        const shown = numbers.slice(page * PAGE, (page + 1) * PAGE);
        const rows = await rowsOf(shown);
        if (asking !== asked) return;
        const pages = Math.max(1, Math.ceil(numbers.length / PAGE));
        const count = `${numbers.length} case${numbers.length > 1 ? "s" : ""}`;
        status.textContent = numbers.length ? `${count} match, page ${page + 1} of ${pages}`
          : "No case matches these filters.";
        render(numbers, rows);
      } catch (error) {
        if (asking !== asked) return;
        status.textContent = "The case finder is unavailable: part of its data is missing.";
        staticParts.forEach((part) => { part.hidden = false; });
      }
    };
    form.addEventListener("change", () => { page = 0; update(); });
    form.addEventListener("reset", () => setTimeout(() => { page = 0; update(); }));
  };

  const begin = () => {
    fetchScript = window.casepressLoader(data);
    load("facets.js").then(start, () => {
      host.append(Object.assign(document.createElement("p"), {
        textContent: "The case finder is unavailable: part of its data is missing.",
      }));
    });
  };
  // after every script of the page has run: the loader is in casepress.js, listed after this
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
