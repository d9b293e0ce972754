import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authPageHref } from "./callback-url";
import { PAGE_PATH_HEADER } from "./page-path-header";

/** Sends the visitor to sign-in, to come back to the page they asked for. */
export async function redirectToSignIn(): Promise<never> {
  redirect(authPageHref("/sign-in", (await headers()).get(PAGE_PATH_HEADER)));
}
