// Command-line options of `npm run bench`. Small mode is for a quick look
// (about a minute); the default is issue 7's full corpus and longer runs.

export interface BenchOptions {
  /** Server URL without a database name; the benchmark makes (and drops) its own database. */
  mysqlUrl: string;
  /** The floor benchmark's database (newsgraph_bench); the scale benchmark names its own from scaleDbPrefix. */
  database: string;
  /** Authors, rubrics and hashtags follow from this as in `newsgraph seed` (corpusOptions). */
  articles: number;
  seed: number;
  /** Seconds of measurement per operation and concurrency. */
  duration: number;
  /** Seconds of unmeasured load before each measured run, so the JIT has settled. */
  warmup: number;
  concurrencies: number[];
  /** Only these operations (by name); all when empty. */
  only: string[];
  /** Write a CPU profile of the gateway (node --cpu-prof) and print its top functions. */
  profile: boolean;
  /** Keep the database afterwards (for a second run with --reuse). */
  keep: boolean;
  /** Use the database left by --keep instead of seeding a new one. */
  reuse: boolean;
  small: boolean;
  /** `--scale`: the scale benchmark (bench/scale.ts) instead of the floor benchmark. */
  scale: boolean;
  /** Corpus sizes of the scale benchmark, smallest first; each its own database. */
  scaleArticles: number[];
  /** Name prefix of the scale benchmark's databases (newsgraph_scale_ + 10k, 1m, ...). */
  scaleDbPrefix: string;
  /** Generated pages the scale benchmark imports to measure import speed (0: skip). */
  importPages: number;
  /** Extra environment for the gateways under test (KEY=VALUE), to measure a setting against its default in the same way. */
  gatewayEnv: Record<string, string>;
}

const USAGE = `npm run bench -- [--small] [--articles N] [--duration S] [--warmup S] [--concurrency 1,32]
                   [--only ArticlePage,FrontPage] [--profile] [--keep] [--reuse] [--mysql mysql://root@127.0.0.1:3306] [--database newsgraph_bench]
                   [--gateway-env KEY=VALUE ...]
       npm run bench -- --scale [--scale-articles 10000,1000000] [--scale-db-prefix newsgraph_scale_] [--import-pages 10000] [--duration S] [--warmup S]
                   [--concurrency 1,32] [--only ...] [--keep] [--reuse] [--mysql ...] [--gateway-env KEY=VALUE ...]`;

function positive(name: string, raw: string | undefined, allowZero = false): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new Error(`${name} needs a ${allowZero ? "non-negative" : "positive"} number, got "${raw ?? ""}".\n${USAGE}`);
  }
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const small = argv.includes("--small");
  const scale = argv.includes("--scale");
  const o: BenchOptions = {
    mysqlUrl: "mysql://root@127.0.0.1:3306",
    database: "newsgraph_bench",
    articles: small ? 5_000 : 100_000,
    seed: 1,
    duration: small ? 1 : scale ? 10 : 20,
    warmup: small ? 0.5 : scale ? 2 : 3,
    concurrencies: [1, 32],
    only: [],
    profile: false,
    keep: false,
    reuse: false,
    small,
    scale,
    scaleArticles: [10_000, 1_000_000],
    scaleDbPrefix: "newsgraph_scale_",
    importPages: 10_000,
    gatewayEnv: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    switch (arg) {
      case "--small":
      case "--scale":
        break;
      case "--database":
        o.database = next() ?? o.database;
        break;
      case "--scale-db-prefix":
        o.scaleDbPrefix = next() ?? o.scaleDbPrefix;
        break;
      case "--scale-articles":
        o.scaleArticles = (next() ?? "").split(",").map((n) => Math.floor(positive(arg, n)));
        break;
      case "--import-pages":
        o.importPages = Math.floor(positive(arg, next(), true));
        break;
      case "--articles":
        o.articles = Math.floor(positive(arg, next()));
        break;
      case "--duration":
        o.duration = positive(arg, next());
        break;
      case "--warmup":
        o.warmup = positive(arg, next(), true);
        break;
      case "--concurrency":
        o.concurrencies = (next() ?? "").split(",").map((c) => Math.floor(positive(arg, c)));
        break;
      case "--only":
        o.only = (next() ?? "").split(",").filter(Boolean);
        break;
      case "--mysql":
        o.mysqlUrl = next() ?? "";
        break;
      case "--profile":
        o.profile = true;
        break;
      case "--keep":
        o.keep = true;
        break;
      case "--reuse":
        o.reuse = true;
        break;
      case "--gateway-env": {
        const pair = next() ?? "";
        const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
        if (!m) throw new Error(`--gateway-env takes KEY=VALUE, got "${pair}".\n${USAGE}`);
        o.gatewayEnv[m[1]] = m[2];
        break;
      }
      default:
        throw new Error(`Unknown option "${arg}".\n${USAGE}`);
    }
  }
  if (!/^(mysql|mariadb):\/\//.test(o.mysqlUrl)) throw new Error(`--mysql must be a mysql:// URL, got "${o.mysqlUrl}".`);
  return o;
}

/** mysql://.../<database> for the benchmark's own database. */
export function databaseUrl(o: BenchOptions): string {
  const url = new URL(o.mysqlUrl);
  url.pathname = `/${o.database}`;
  return url.toString();
}
