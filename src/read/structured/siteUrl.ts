import type { SiteConfig } from "../../config";

/** The absolute URL of a path on the public site (SITE_URL may carry a base path, which new URL() would drop). */
export function siteUrlOf(site: SiteConfig, path: string): string {
  return `${site.url}${path.startsWith("/") ? "" : "/"}${path}`;
}
