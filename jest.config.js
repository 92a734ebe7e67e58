/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "/node_modules/feed/.+\\.js$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: "es2022",
        },
        module: { type: "commonjs" },
        sourceMaps: "inline",
      },
    ],
  },
  // `feed` ships as an ES module only: jest (CommonJS) needs it compiled like our own code.
  transformIgnorePatterns: ["/node_modules/(?!feed/)"],
  setupFiles: ["reflect-metadata"],
  // One temporary folder per run, removed with any private MariaDB left running (test/helpers/globalSetup.ts).
  globalSetup: "<rootDir>/test/helpers/globalSetup.ts",
  globalTeardown: "<rootDir>/test/helpers/globalTeardown.ts",
  // A bound for a hung test, not a speed check: on a loaded, shared machine the
  // MariaDB tests that spawn processes or send 10,000 requests took over a minute.
  testTimeout: 180000,
  // Integration suites share one MariaDB server; each makes its own database.
  maxWorkers: 2,
};
