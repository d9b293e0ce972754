import { getTranslations } from "next-intl/server";
import type { ComposeMail } from "../users/email-verification";

/** A mail composer for `kind` in the request's language (the mail namespace of the catalogs). */
export async function composeMail(kind: "verify" | "reset"): Promise<ComposeMail> {
  const t = await getTranslations("mail");
  return (link) => ({ subject: t(`${kind}.subject`), text: t(`${kind}.text`, { link }) });
}
