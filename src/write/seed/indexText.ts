import { PARAGRAPH_SEPARATOR } from "../../../entities";
import { normalizeText } from "../../text/normalize";

/*
 * The search index text of generated articles, computed the way
 * src/write/derived/searchIndex.ts computes it (normalizeText of the title, and of
 * the lead and body joined), but remembered piece by piece: a bulk load
 * normalises about a thousand words per article, and tokenising them one
 * regular expression match at a time cost 0.5 ms an article, 8 minutes for
 * a million. Splitting at ASCII white space cannot cut a word (no word
 * holds a space, tab or line break), so the normalised text of a whole is
 * the normalised pieces joined by single spaces, and pieces of a corpus
 * repeat heavily.
 */
export class IndexText {
  private readonly memo = new Map<string, string>();

  constructor(private readonly maxEntries = 500_000) {}

  of(text: string): string {
    const out: string[] = [];
    for (const piece of text.split(/[ \t\r\n]+/)) {
      if (piece === "") continue;
      let n = this.memo.get(piece);
      if (n === undefined) {
        if (this.memo.size >= this.maxEntries) this.memo.clear();
        n = normalizeText(piece);
        this.memo.set(piece, n);
      }
      if (n !== "") out.push(n);
    }
    return out.join(" ");
  }

  /** The index row's two texts: the title, and the lead and body as one text. */
  row(article: { title: string; lead: string | null; body: string | null }): { title: string; body: string } {
    const text = [article.lead, article.body].filter((t): t is string => typeof t === "string" && t !== "").join(PARAGRAPH_SEPARATOR);
    return { title: this.of(article.title), body: this.of(text) };
  }
}
