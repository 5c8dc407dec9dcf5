// The search page: Pagefind's JavaScript API with our own accessible markup.
// Results are built as DOM nodes (never from HTML strings), counted in a
// live region, and the query is kept in the address (?q=) so it can be
// shared and so the home page's search action lands here.
const form = document.getElementById("brum-search-form");
if (form) {
  start(form);
}

// The page's words for what this script writes: the form's data-*
// attributes, in the page's language (English where a theme gives none).
const words = Object.assign(
  {
    results: { one: "{n} result", other: "{n} results" },
    none: "No results",
    for: " for “{term}”",
    in: " in {topic}",
    showing: "; showing the first {shown}",
    end: ".",
    failed: "Search could not be loaded. Please try again later, or browse the stories, partners and timeline from the menu.",
  },
  form ? wordsOf(form.dataset) : {},
);

function wordsOf(data) {
  const out = {};
  for (const key of ["none", "for", "in", "showing", "end", "failed"]) {
    if (data[key] !== undefined) out[key] = data[key];
  }
  try {
    if (data.results) out.results = JSON.parse(data.results);
  } catch (e) {
    // A theme's count that is not plural forms: keep English's.
  }
  return out;
}

async function start(form) {
  const status = document.getElementById("brum-search-status");
  const list = document.getElementById("brum-search-results");
  const nojs = document.getElementById("brum-search-nojs");
  const input = form.elements.namedItem("q");
  const topic = form.elements.namedItem("topic");
  const types = [...form.querySelectorAll('input[name="type"]')];

  let pagefind;
  try {
    pagefind = await import(form.dataset.bundle + "pagefind.js");
    await pagefind.options({ excerptLength: 24 });
    pagefind.init();
  } catch (e) {
    nojs.textContent = words.failed;
    return;
  }
  nojs.hidden = true;
  form.hidden = false;

  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  const wantTopic = params.get("topic") || "";
  if ([...topic.options].some((o) => o.value === wantTopic)) {
    topic.value = wantTopic;
  }

  let latest = 0;
  let timer;
  const run = async () => {
    const mine = ++latest;
    const term = input.value.trim();
    const filters = {};
    const chosen = types.filter((t) => t.checked).map((t) => t.value);
    if (chosen.length > 0 && chosen.length < types.length) {
      filters.type = { any: chosen };
    }
    if (topic.value) {
      filters.topic = topic.value;
    }
    keepInAddress(term, topic.value);
    if (!term && !topic.value) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const search = await pagefind.search(term || null, { filters });
    if (mine !== latest || !search) {
      return;
    }
    const shown = search.results.slice(0, 50);
    const data = await Promise.all(shown.map((r) => r.data()));
    if (mine !== latest) {
      return;
    }
    list.replaceChildren(...data.map(result));
    status.textContent = summary(search.results.length, shown.length, term, topic.value);
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  topic.addEventListener("change", run);
  for (const t of types) {
    t.addEventListener("change", run);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  if (input.value || topic.value) {
    run();
  }
}

function keepInAddress(term, topic) {
  const url = new URL(window.location.href);
  url.search = "";
  if (term) url.searchParams.set("q", term);
  if (topic) url.searchParams.set("topic", topic);
  window.history.replaceState(null, "", url);
}

function summary(total, shown, term, topic) {
  const forms = words.results;
  const form = forms[new Intl.PluralRules(document.documentElement.lang).select(total)] || forms.other;
  let text = total === 0 ? words.none : form.replace("{n}", total);
  if (term) text += words.for.replace("{term}", term);
  if (topic) text += words.in.replace("{topic}", topic);
  if (shown < total) text += words.showing.replace("{shown}", shown);
  return text + words.end;
}

function result(data) {
  const li = document.createElement("li");
  li.className = "brum-result";
  const h2 = document.createElement("h2");
  h2.className = "brum-result__title";
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = (data.meta && data.meta.title) || data.url;
  h2.append(a);
  const type = document.createElement("p");
  type.className = "brum-result__type";
  type.textContent = (data.meta && data.meta.type) || "";
  const excerpt = document.createElement("p");
  excerpt.className = "brum-result__excerpt";
  excerpt.append(...marked(data.excerpt || ""));
  li.append(h2, type, excerpt);
  return li;
}

// The excerpt is HTML with <mark> around the words found. It is parsed in an
// inert document and only its text and <mark> elements are copied, so no
// markup from a page can get into this one.
function marked(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = [];
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}
