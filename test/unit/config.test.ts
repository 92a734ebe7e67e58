import { loadConfig } from "../../src/config";

// Settings that tune execution and memory: defaults, accepted values, and
// a sentence naming the setting and the value for anything else.

test("GRAPHQL_EXECUTOR is jit by default, or graphql-js", () => {
  expect(loadConfig({}).executor).toBe("jit");
  expect(loadConfig({ GRAPHQL_EXECUTOR: "graphql-js" }).executor).toBe("graphql-js");
  expect(() => loadConfig({ GRAPHQL_EXECUTOR: "fast" })).toThrow('GRAPHQL_EXECUTOR must be jit or graphql-js, got "fast".');
});

test("HEAP_GROWTH_PERCENT is 100 by default, a whole number from 0 to 1000", () => {
  expect(loadConfig({}).heapGrowthPercent).toBe(100);
  expect(loadConfig({ HEAP_GROWTH_PERCENT: "0" }).heapGrowthPercent).toBe(0);
  expect(() => loadConfig({ HEAP_GROWTH_PERCENT: "-5" })).toThrow('HEAP_GROWTH_PERCENT must be a whole number, got "-5".');
  expect(() => loadConfig({ HEAP_GROWTH_PERCENT: "1001" })).toThrow("HEAP_GROWTH_PERCENT must be between 0 and 1000, got 1001.");
});

test("SCHEDULE_POLL_SECONDS is 10 by default, 0 turns polling off, at most an hour", () => {
  expect(loadConfig({}).schedulePollMs).toBe(10_000);
  expect(loadConfig({ SCHEDULE_POLL_SECONDS: "0" }).schedulePollMs).toBe(0);
  expect(() => loadConfig({ SCHEDULE_POLL_SECONDS: "1.5" })).toThrow('SCHEDULE_POLL_SECONDS must be a whole number, got "1.5".');
  expect(() => loadConfig({ SCHEDULE_POLL_SECONDS: "3601" })).toThrow("SCHEDULE_POLL_SECONDS must be between 0 and 3600, got 3601.");
});

test("keep-alive and header timeouts outlast common proxies' idle timeouts, and the headers timeout stays the longer", () => {
  const defaults = loadConfig({});
  expect(defaults.keepAliveTimeoutMs).toBe(75_000);
  expect(defaults.headersTimeoutMs).toBe(76_000);
  expect(loadConfig({ KEEP_ALIVE_TIMEOUT_MS: "120000" }).headersTimeoutMs).toBe(121_000);
  expect(() => loadConfig({ KEEP_ALIVE_TIMEOUT_MS: "60000", HEADERS_TIMEOUT_MS: "60000" })).toThrow(
    "HEADERS_TIMEOUT_MS (60000) must be longer than KEEP_ALIVE_TIMEOUT_MS (60000).",
  );
  expect(() => loadConfig({ KEEP_ALIVE_TIMEOUT_MS: "soon" })).toThrow('KEEP_ALIVE_TIMEOUT_MS must be a whole number, got "soon".');
});

test("webhook settings: defaults, and a sentence for a bad value", () => {
  expect(loadConfig({}).webhooks).toEqual({ allowPrivate: false, deliver: true, retryBaseMs: 5000, retryWindowMs: 86_400_000, timeoutMs: 10_000, pollMs: 1000, historyMs: 30 * 86_400_000 });
  expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_DELIVERY: "false", WEBHOOK_RETRY_BASE_MS: "50" }).webhooks).toMatchObject({ allowPrivate: true, deliver: false, retryBaseMs: 50 });
  expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: "yes" })).toThrow('WEBHOOK_ALLOW_PRIVATE must be true or false, got "yes".');
  expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: "10" })).toThrow("WEBHOOK_TIMEOUT_MS must be between 100 and 120000, got 10.");
});

test("images: a local folder under ./data by default, a bucket when MEDIA_S3_BUCKET is set, limits and widths checked", () => {
  const local = loadConfig({}, "/srv/newsgraph").media;
  expect(local).toMatchObject({ dir: "/srv/newsgraph/data/media", s3: null, maxImageBytes: 20 * 1024 * 1024, maxImagePixels: 50_000_000, urlSecret: undefined, baseUrl: "" });
  expect(local.widths).toEqual([160, 320, 640, 1024, 1200, 1600, 2048]);
  const bucket = loadConfig({ MEDIA_S3_BUCKET: "pictures", MEDIA_S3_ENDPOINT: "http://127.0.0.1:9000", MEDIA_S3_ACCESS_KEY_ID: "a", MEDIA_S3_SECRET_ACCESS_KEY: "b" }).media.s3;
  expect(bucket).toEqual({ bucket: "pictures", endpoint: "http://127.0.0.1:9000", region: "us-east-1", accessKeyId: "a", secretAccessKey: "b", prefix: "" });
  expect(loadConfig({ MEDIA_WIDTHS: "800, 400,400" }).media.widths).toEqual([400, 800]);
  expect(() => loadConfig({ MEDIA_WIDTHS: "400,wide" })).toThrow('MEDIA_WIDTHS must be comma-separated whole numbers from 1 to 4096, got "400,wide".');
  expect(() => loadConfig({ MEDIA_S3_BUCKET: "p", MEDIA_S3_ACCESS_KEY_ID: "a" })).toThrow("MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY must be set together.");
  expect(() => loadConfig({ MEDIA_URL_SECRET: "short" })).toThrow("MEDIA_URL_SECRET must be at least 16 characters long.");
  expect(() => loadConfig({ MEDIA_BASE_URL: "cdn.example.kz" })).toThrow('MEDIA_BASE_URL must be an http:// or https:// URL, got "cdn.example.kz".');
  expect(loadConfig({ MEDIA_BASE_URL: "https://cdn.example.kz/" }).media.baseUrl).toBe("https://cdn.example.kz");
});
