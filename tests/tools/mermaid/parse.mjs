// Parse Mermaid text from standard input with Mermaid's own parser and print what the
// flowchart holds as JSON: subgraphs (id, title, members), nodes and links. A parse error is
// printed to standard error with exit status 1. Mermaid needs a DOM to sanitize labels: jsdom.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, maxTextSize: 50_000_000, maxEdges: 1_000_000 });

const text = readFileSync(0, 'utf8');
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const out = {
    type: diagram.type,
    subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes })),
    nodes: [...db.getVertices().keys()],
    links: db.getEdges().map((e) => ({ from: e.start, to: e.end, text: e.text })),
  };
  process.stdout.write(JSON.stringify(out));
} catch (e) {
  process.stderr.write(String(e && e.message ? e.message : e));
  process.exit(1);
}
