import { parseSearchQuery } from "../../src/read/search/query";
import { makeSnippet } from "../../src/read/search/snippet";

const SENTENCE =
  "25 сентября 2025 года министр культуры и информации Республики Казахстан Аида Балаева провела встречу с министром культуры Французской Республики Рашидой Дати.";
const BODY = [
  "Стороны обсудили текущее состояние и перспективы двустороннего культурного сотрудничества, передает корреспондент Kazpravda.kz",
  SENTENCE + " Встреча прошла в рамках рабочего визита казахстанской делегации во Францию.",
  "Накануне встречи, в штаб-квартире ЮНЕСКО в Париже, состоялся праздничный концерт, посвящённый 100-летию со дня рождения великого казахстанского композитора и дирижёра Нургисы Тлендиева.",
].join("\n\n");

const snippet = (text: string, query: string, maxLength?: number) => makeSnippet(text, parseSearchQuery(query), maxLength);
const marked = (html: string) => [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);
/** What a reader sees: marks gone, entities back to characters, ellipses dropped. */
const visible = (html: string) =>
  html.replace(/<\/?mark>/g, "").replace(/&lt;|&gt;|&quot;|&amp;/g, "x").replace(/^…|…$/g, "");

describe("makeSnippet", () => {
  it("marks every form of the query words in a real sentence, and nothing else", () => {
    const html = snippet(SENTENCE, "министр культуры");
    expect(marked(html)).toEqual(["министр", "культуры", "министром", "культуры"]);
    expect(html).toBe(
      "25 сентября 2025 года <mark>министр</mark> <mark>культуры</mark> и информации Республики Казахстан Аида Балаева провела встречу с <mark>министром</mark> <mark>культуры</mark> Французской Республики Рашидой Дати.",
    );
  });

  it("cuts a long text on word boundaries around the matches, with ellipses", () => {
    const html = snippet(BODY, "министр культуры", 120);
    expect(marked(html)).toEqual(["министр", "культуры", "министром", "культуры"]);
    expect(html.startsWith("…")).toBe(true);
    expect(html.endsWith("…")).toBe(true);
    expect(visible(html).length).toBeLessThanOrEqual(120);
    for (const word of visible(html).split(" ")) expect(BODY.split(/\s+/)).toContain(word);
  });

  it("picks the passage with the most query words, not the first match", () => {
    const text = "Министр выступил первым. " + "Потом говорили другие участники встречи, долго и подробно. ".repeat(3) + "Затем министр культуры ответил на вопросы.";
    expect(snippet(text, "министр культуры", 60)).toBe("…долго и подробно. Затем <mark>министр</mark> <mark>культуры</mark> ответил на вопросы.");
    // At the end of the text the unused room goes before the match.
    expect(snippet(BODY, "Тлендиев композитор", 100)).toBe(
      "…100-летию со дня рождения великого казахстанского <mark>композитора</mark> и дирижёра Нургисы <mark>Тлендиева</mark>.",
    );
  });

  it("marks words by prefix and by the words of a phrase", () => {
    expect(marked(snippet(SENTENCE, "минист*"))).toEqual(["министр", "министром"]);
    expect(marked(snippet(SENTENCE, "«Аида Балаева»"))).toEqual(["Аида", "Балаева"]);
    expect(marked(snippet(BODY, "посвященный ЮНЕСКО", 80))).toEqual(["ЮНЕСКО", "посвящённый"]);
  });

  it("escapes the text around the marks and turns line breaks into spaces", () => {
    const text = 'Министр <b>культуры</b> & "искусства"\n\n\u202Eперевёрнутое\u0007';
    expect(snippet(text, "культура")).toBe("Министр &lt;b&gt;<mark>культуры</mark>&lt;/b&gt; &amp; &quot;искусства&quot; перевёрнутое");
  });

  it("gives the beginning of the text, cut on a word boundary, when nothing matches", () => {
    expect(snippet(BODY, "Тенгри", 60)).toBe("Стороны обсудили текущее состояние и перспективы…");
    expect(snippet("Коротко & ясно.", "Тенгри")).toBe("Коротко &amp; ясно.");
    expect(snippet("", "Тенгри")).toBe("");
  });

  it("cuts a word longer than the passage rather than overflow it", () => {
    const html = snippet("я".repeat(300) + " министр", "Тенгри", 50);
    expect(html).toBe("я".repeat(50) + "…");
  });
});
