/* casepress site search: the same on the hosted site and opened from disk (file://).

   The index is a set of small scripts under search/ (build_scripts/casepress/search/index.py
   writes them and explains their format); each hands its data to casepressSearch.add. A
   script element loads from file:// where fetch, modules and workers are refused. Nothing
   is loaded until the search box gets focus; then the manifest, the word files of the words
   typed, and the page files of the results shown. Weights come precomputed: a query only
   scales them by each word's rarity and adds them up. Words are read as search/tokens.py reads them (tests compare the two).

   The box is an ARIA combobox with a listbox of results: arrows move, Enter opens, Esc
   closes, "/" or "s" elsewhere on the page focuses it. */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !script.src) return;
  const root = new URL("../../", script.src); // this file is assets/casepress/search.js

  const MAX_PAGES = 8; // pages in the result list
  const SECTIONS_PER_PAGE = 3;
  const PREFIX_WEIGHT = 0.7; // a word that only begins with what was typed, scaled by how
  // much of it was typed: "sacroplasty" counts little towards "sacroplastyhcc"
  const PREFIX_FILES = 4; // word files one typed prefix may load
  const SNIPPET = 160; // characters

  // ---- words, as search/tokens.py reads them ---------------------------------------------
  const HYPHENS = /[-\u2010\u2011]/g;
  const WORD = /[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)*/gu;
  const fold = (text) => text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
  const JOINED_PARTS = 3;
  const queryWords = (text) => [...new Set([...fold(text.slice(0, 200)).matchAll(WORD)]
    .flatMap((m) => {
      const parts = m[0].split(HYPHENS);
      return parts.length <= JOINED_PARTS ? [parts.join("")] : parts;
    }))].slice(0, 8);

  // ---- loading the index's scripts ---------------------------------------------------------
  const data = new Map(); // "kind:key" -> what the file handed over
  window.casepressSearch = {
    add(kind, key, value) { data.set(`${kind}:${key}`, value); },
    words: queryWords, // for the tests that compare both readings of a text
  };
  let fetchScript = null; // casepressLoader (casepress.js), set once the page has loaded
  const load = (kind, key, path) => fetchScript(`${kind}:${key}`, new URL(path, root).href);
  const hex = (text) => [...new TextEncoder().encode(text)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const manifest = () => load("m", "", "search/manifest.js").then((m) => {
    if (!m.shardSet) m.shardSet = new Set(m.shards);
    return m;
  });
  // The file holding a word: the longest file name that begins it (see index.py).
  const fileFor = (m, word) => {
    for (let n = word.length; n > 0; n -= 1) {
      if (m.shardSet.has(word.slice(0, n))) return word.slice(0, n);
    }
    return null;
  };
  const filesFor = (m, word, prefix) => {
    const own = fileFor(m, word);
    const files = own === null ? [] : [own];
    if (prefix) {
      const longer = m.shards.filter((k) => k.length > word.length && k.startsWith(word));
      if (longer.length <= PREFIX_FILES) files.push(...longer);
    }
    return files;
  };

  // ---- ranking -------------------------------------------------------------------------------
  // BM25's idf: a word held by few of the site's sections counts for more (see index.py).
  const rarity = (m, held) => Math.log(1 + (m.sections - held + 0.5) / (held + 0.5));
  const rank = async (query) => {
    const words = queryWords(query);
    if (!words.length) return [];
    const m = await manifest();
    const last = words.length - 1;
    const prefix = (i) => i === last && words[i].length > 1 && !/\s$/.test(query);
    const files = words.map((w, i) => filesFor(m, w, prefix(i)));
    const shards = await Promise.all(
      files.flat().map((k) => load("t", k, `search/t/${hex(k)}.js`)));
    const byKey = new Map(files.flat().map((k, i) => [k, shards[i]]));
    const found = new Map(); // "page section" -> {page, section, scores per word}
    const floors = words.map(() => 0); // what a section left out of a long list may hold
    words.forEach((word, i) => {
      const best = new Map();
      for (const key of files[i]) {
        const shard = byKey.get(key);
        for (const term of Object.keys(shard)) {
          const exact = term === word;
          if (!exact && !(prefix(i) && term.startsWith(word))) continue;
          const postings = shard[term]; // sections holding it, triples, the floor if any
          const weight = rarity(m, postings[0])
            * (exact ? 1 : PREFIX_WEIGHT * (word.length / term.length));
          const kept = postings.length - ((postings.length - 1) % 3);
          if (kept < postings.length) floors[i] = Math.max(floors[i], postings[kept] * weight);
          for (let j = 1; j < kept; j += 3) {
            const id = postings[j] * 65536 + postings[j + 1];
            best.set(id, Math.max(best.get(id) || 0, postings[j + 2] * weight));
          }
        }
      }
      for (const [id, score] of best) {
        if (!found.has(id)) found.set(id, { id, score: 0, matched: new Set(), maybe: 0 });
        const hit = found.get(id);
        hit.score += score;
        hit.matched.add(i);
      }
    });
    // A section missing from a word's list that was kept only in part may hold the word:
    // half the lowest score kept, and half a match.
    for (const hit of found.values()) {
      floors.forEach((floor, i) => {
        if (floor > 0 && !hit.matched.has(i)) { hit.score += floor / 2; hit.maybe += 0.5; }
      });
    }
    // Sections holding every word first, as a reader expects of several words.
    const hits = [...found.values()].map((h) => ({
      page: Math.floor(h.id / 65536), section: h.id % 65536,
      score: h.score * ((h.matched.size + h.maybe) / words.length) ** 2,
    })).sort((a, b) => b.score - a.score || a.page - b.page || a.section - b.section);
    const pages = new Map();
    for (const hit of hits) {
      if (!pages.has(hit.page)) {
        if (pages.size === MAX_PAGES) continue;
        pages.set(hit.page, []);
      }
      if (pages.get(hit.page).length < SECTIONS_PER_PAGE) pages.get(hit.page).push(hit.section);
    }
    const loaded = await Promise.all(
      [...pages.keys()].map((p) => load("p", String(p), `search/p/${p}.js`)));
    return [...pages.values()].map((sections, i) => ({ page: loaded[i], sections }));
  };

  // ---- snippets ------------------------------------------------------------------------------
  // Folded text with, for each of its characters, where it came from in the original.
  const foldWithOrigins = (text) => {
    let folded = "";
    const origin = [];
    for (let i = 0; i < text.length;) {
      const character = String.fromCodePoint(text.codePointAt(i));
      for (const f of fold(character)) { folded += f; origin.push(i); }
      i += character.length;
    }
    origin.push(text.length);
    return { folded, origin };
  };
  const matches = (text, words) => {
    const { folded, origin } = foldWithOrigins(text);
    // a joined word also matches its hyphenated spelling: nbca meets n-BCA
    const pattern = words.map((w) => [...w].join("[-\u2010\u2011]?")).join("|");
    const found = [];
    // to the end of the word: "lipio", typed so far, marks "lipiodol"
    const whole = new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})[\\p{L}\\p{N}]*`, "gu");
    for (const m of folded.matchAll(whole)) {
      found.push([origin[m.index], origin[m.index + m[0].length]]);
    }
    return found;
  };
  const snippet = (text, words) => {
    const spans = matches(text, words);
    let start = 0;
    if (spans.length && spans[0][0] > SNIPPET / 3) {
      start = text.lastIndexOf(" ", spans[0][0] - SNIPPET / 3) + 1;
    }
    let end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) {
      end = Math.max(text.lastIndexOf(" ", end), spans.length ? spans[0][1] : 0);
    }
    const out = document.createDocumentFragment();
    if (start > 0) out.append("… ");
    let at = start;
    for (const [from, to] of spans) {
      if (from < at || to > end) continue;
      out.append(text.slice(at, from));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(from, to);
      out.append(mark);
      at = to;
    }
    out.append(text.slice(at, end));
    if (end < text.length) out.append(" …");
    return out;
  };

  // ---- the search box ----------------------------------------------------------------------
  const build = () => {
    const box = document.createElement("div");
    box.className = "cp-search";
    box.setAttribute("role", "search");
    box.innerHTML = `
      <label class="cp-search__label" for="cp-search-input">Search this site</label>
      <input id="cp-search-input" class="cp-search__input" type="search" placeholder="Search"
        autocomplete="off" autocapitalize="off" spellcheck="false" role="combobox"
        aria-autocomplete="list" aria-expanded="false" aria-controls="cp-search-results">
      <div class="cp-search__panel" tabindex="0" role="region" aria-label="Search results panel"
        hidden>
        <p class="cp-search__status" role="status" aria-live="polite"></p>
        <ul id="cp-search-results" class="cp-search__results" role="listbox"
          aria-label="Search results"></ul>
      </div>`;
    const header = document.querySelector(".md-header__inner");
    if (header) {
      header.insertBefore(box, header.querySelector(".md-header__source"));
    } else {
      (document.querySelector("main") || document.body).prepend(box);
    }
    return box;
  };

  const start = () => {
    fetchScript = window.casepressLoader(data);
    const box = build();
    const input = box.querySelector("input");
    const panel = box.querySelector(".cp-search__panel");
    const status = box.querySelector(".cp-search__status");
    const list = box.querySelector("ul");
    let active = -1;
    let asked = 0; // the latest query; slower answers to earlier ones are dropped
    let broken = false;

    const open = (shown) => {
      panel.hidden = !shown;
      input.setAttribute("aria-expanded", String(shown && list.children.length > 0));
    };
    const options = () => [...list.querySelectorAll("[role=option]")];
    const activate = (index) => {
      const all = options();
      all.forEach((o, i) => o.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };
    const unavailable = (error) => {
      broken = true;
      list.replaceChildren();
      status.textContent =
        "Search unavailable: this copy of the site is missing part of its search data.";
      open(true);
      if (window.console) console.warn("casepress search:", error.message);
    };
    const show = (results, words) => {
      list.replaceChildren();
      let n = 0;
      for (const { page, sections } of results) {
        sections.forEach((number, i) => {
          const [anchor, title, text] = page.s[number];
          const item = document.createElement("li");
          item.id = `cp-search-option-${n++}`;
          item.setAttribute("role", "option");
          item.className = i === 0 ? "cp-search__result"
            : "cp-search__result cp-search__result--more";
          // An option holds no link (a control inside a control confuses screen readers):
          // a click or Enter opens its address.
          const target = page.u + (number > 0 && anchor ? `#${anchor}` : "");
          item.dataset.href = new URL(target, root).href;
          const heading = document.createElement("span");
          heading.className = "cp-search__title";
          heading.textContent = i === 0 ? page.t + (number > 0 ? ` › ${title}` : "") : title;
          const preview = document.createElement("span");
          preview.className = "cp-search__snippet";
          preview.append(snippet(text, words));
          item.append(heading, preview);
          list.append(item);
        });
      }
      const pages = results.length;
      status.textContent = pages ? `${pages} page${pages > 1 ? "s" : ""} found` : "No results";
      activate(-1);
      open(true);
    };
    const run = () => {
      const query = input.value;
      const asking = ++asked;
      if (broken) return;
      if (!query.trim()) { list.replaceChildren(); status.textContent = ""; open(false); return; }
      const words = queryWords(query);
      if (!words.length) { show([], words); return; }
      rank(query).then((results) => { if (asking === asked) show(results, words); },
        (error) => { if (asking === asked) unavailable(error); });
    };

    input.addEventListener("focus", () => {
      manifest().then(() => { if (input.value) run(); }, unavailable);
      if (input.value) open(true);
    });
    input.addEventListener("input", run);
    input.addEventListener("keydown", (event) => {
      const all = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        const next = active + (event.key === "ArrowDown" ? 1 : -1);
        activate(next >= all.length ? 0 : next < 0 ? all.length - 1 : next); // wraps round
      } else if (event.key === "Enter") {
        const chosen = all[active >= 0 ? active : 0];
        if (chosen) { event.preventDefault(); window.location.href = chosen.dataset.href; }
      } else if (event.key === "Escape") {
        event.preventDefault();
        open(false);
        activate(-1);
        input.blur();
      }
    });
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) window.location.href = option.dataset.href;
    });
    box.addEventListener("focusout", (event) => {
      if (!box.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target instanceof HTMLElement
        && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey
          && (event.key === "/" || event.key === "s")) {
        event.preventDefault();
        input.focus();
      }
    });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
