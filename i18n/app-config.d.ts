import type messages from "../messages/en";
import type { Locale } from "./locales";

// Makes every t("…") key and its arguments type-checked against the English catalog.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof messages;
  }
}
