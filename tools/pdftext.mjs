// Print the text of a PDF, one line per page ("--- page N" between pages): `node tools/pdftext.mjs file.pdf`.
// Used by the tests of `kg run --pdf` (is the text searchable, are the headings there?).
// pdfjs-dist comes from the project's package.json (`npm ci`).
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false }).promise;
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  const text = content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join("");
  process.stdout.write(`--- page ${n}\n${text}\n`);
}
