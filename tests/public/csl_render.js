// Renders CSL-JSON items with citeproc-js (npm "citeproc", pinned in package.json), for
// tests/public/test_citation_clients.py. Reads {"style": CSL XML, "locale": locale XML,
// "items": [CSL-JSON items]} on standard input; writes {"notes": [one note per item, in order],
// "bibliography": [entries]} as JSON, in plain text.
const CSL = require("citeproc");
const fs = require("fs");

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const items = Object.fromEntries(input.items.map((item) => [item.id, item]));
const engine = new CSL.Engine(
  { retrieveLocale: () => input.locale, retrieveItem: (id) => items[id] },
  input.style,
);
engine.setOutputFormat("text");
const notes = input.items.map((item) => engine.makeCitationCluster([{ id: item.id }]));
engine.updateItems(input.items.map((item) => item.id));
const bibliography = engine.makeBibliography()[1].map((entry) => entry.trim());
process.stdout.write(JSON.stringify({ notes, bibliography }));
