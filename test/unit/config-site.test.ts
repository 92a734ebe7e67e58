import { ConfigError, loadConfig } from "../../src/config";

describe("site settings", () => {
  it("default to the gateway's own address and name", () => {
    expect(loadConfig({ HOST: "0.0.0.0", PORT: "8080" }).site).toEqual({ url: "http://0.0.0.0:8080", name: "newsgraph", logoUrl: undefined });
  });

  it("take SITE_URL without its trailing slash, keeping a base path, and the name and logo", () => {
    const site = loadConfig({ SITE_URL: "https://kazpravda.kz/ru/", SITE_NAME: "Казправда", PUBLISHER_LOGO_URL: "https://kazpravda.kz/logo.png" }).site;
    expect(site).toEqual({ url: "https://kazpravda.kz/ru", name: "Казправда", logoUrl: "https://kazpravda.kz/logo.png" });
  });

  it("refuse URLs that are not absolute http(s) or carry a query", () => {
    expect(() => loadConfig({ SITE_URL: "kazpravda.kz" })).toThrow(new ConfigError('SITE_URL must be an absolute http:// or https:// URL, got "kazpravda.kz".'));
    expect(() => loadConfig({ SITE_URL: "ftp://kazpravda.kz" })).toThrow(ConfigError);
    expect(() => loadConfig({ SITE_URL: "https://kazpravda.kz/?lang=kk" })).toThrow(new ConfigError('SITE_URL must not have a query or a fragment, got "https://kazpravda.kz/?lang=kk".'));
    expect(() => loadConfig({ PUBLISHER_LOGO_URL: "/logo.png" })).toThrow(ConfigError);
  });
});
