import { badUserInput } from "../graphql/errors";

/** The languages the site publishes in (ISO 639-1), as stored in article.language. */
export const SITE_LANGUAGES = ["ru", "kk", "en"] as const;

export type SiteLanguage = (typeof SITE_LANGUAGES)[number];

/** An argument that narrows by language: a code outside the site's languages is an error, not an empty list. */
export function checkLanguage(value: string, argument: string): SiteLanguage {
  if (!(SITE_LANGUAGES as readonly string[]).includes(value)) {
    throw badUserInput(`${argument} must be one of ${SITE_LANGUAGES.join(", ")}, got "${value.slice(0, 20)}".`, argument);
  }
  return value as SiteLanguage;
}
